// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "examples.hpp"
#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::test::at_path;

TEST_CASE("Examples: every example validates and compiles to the same bytes twice") {
  for (const auto& ex : kExamples) {
    INFO(ex.name);
    auto ir = ex.build().ir();
    CHECK(kfpp::ir::check(ir).empty());
    std::string first = kfpp::compile(ex.build());
    CHECK(kfpp::compile(ex.build()) == first);
    CHECK(first.rfind("# PIPELINE DEFINITION\n", 0) == 0);
  }
}

// A pipeline going away is lowered by moving its records and freeing each as soon as it is
// lowered (a component when its last task is): the text must be the one of a pipeline kept.
TEST_CASE("Examples: a pipeline going away compiles to the text of one that is kept") {
  for (const auto& ex : kExamples) {
    INFO(ex.name);
    const kfpp::Pipeline kept = ex.build();
    const std::string text = kfpp::compile(kept);
    CHECK(kfpp::compile(ex.build()) == text);
    kfpp::Pipeline going = ex.build();
    CHECK(kfpp::emit_kfp(std::move(going).ir()) == text);
  }
}

TEST_CASE("Examples: run_main writes nothing for --validate-only and rejects bad flags") {
  const char* validate[] = {"pythagorean", "--validate-only"};
  CHECK(kfpp::run_main(2, const_cast<char**>(validate), pythagorean) == 0);
  const char* bad[] = {"pythagorean", "--frobnicate"};
  CHECK(kfpp::run_main(2, const_cast<char**>(bad), pythagorean) == 2);
  const char* target[] = {"pythagorean", "--target", "tekton"};
  CHECK(kfpp::run_main(3, const_cast<char**>(target), pythagorean) == 2);
  const char* missing[] = {"pythagorean", "-o"};
  CHECK(kfpp::run_main(2, const_cast<char**>(missing), pythagorean) == 2);
}

TEST_CASE("Examples: run_main reports a definition error with exit code 1") {
  const char* args[] = {"broken"};
  int rc = kfpp::run_main(1, const_cast<char**>(args), [] { return kfpp::Pipeline("Bad Name"); });
  CHECK(rc == 1);
}

namespace {
std::string text_at(const kfpp::ir::Value& d, const std::string& path) {
  const auto* v = at_path(d, path);
  REQUIRE(v != nullptr);
  return v->as_string();
}
}  // namespace

TEST_CASE(
    "Examples: the hyperparameter search trains per parameter set and selects after the loop") {
  auto d = kfpp::test::load_all(kfpp::compile(hyperparameter_search())).at(0);
  CHECK(at_path(d, "root.dag.tasks.for-loop-2.iteratorPolicy.parallelismLimit")->as_int() == 3);
  auto raw = text_at(d, "root.dag.tasks.for-loop-2.parameterIterator.items.raw");
  CHECK(kfpp::test::contains(raw, R"({"learning_rate": "0.05", "max_depth": "5"})"));
  const std::string train = "components.comp-for-loop-2.dag.tasks.train.inputs.";
  CHECK(text_at(d, train + "parameters.learning_rate.parameterExpressionSelector") ==
        R"(parseJson(string_value)["learning_rate"])");
  CHECK(text_at(d, train + "artifacts.data.componentInputArtifact") ==
        "pipelinechannel--load-data-data");
  CHECK(text_at(
            d,
            "root.dag.tasks.select-best.inputs.artifacts.models.taskOutputArtifact.producerTask") ==
        "for-loop-2");
  CHECK(
      at_path(d,
              "components.comp-for-loop-2.outputDefinitions.artifacts.pipelinechannel--train-model."
              "isArtifactList")
          ->as_bool());
  CHECK(text_at(
            d,
            "components.comp-for-loop-2.outputDefinitions.parameters.pipelinechannel--train-score."
            "parameterType") == "LIST");
  CHECK(at_path(d, "root.dag.outputs.artifacts.best_model.artifactSelectors")->as_array().size() ==
        1);
}

TEST_CASE("Examples: the cluster is deleted by an exit handler whatever happens") {
  auto d = kfpp::test::load_all(kfpp::compile(cluster_lifecycle())).at(0);
  CHECK(text_at(d, "root.dag.tasks.delete-cluster.triggerPolicy.strategy") ==
        "ALL_UPSTREAM_TASKS_COMPLETED");
  CHECK(
      text_at(
          d,
          "root.dag.tasks.delete-cluster.inputs.parameters.status.taskFinalStatus.producerTask") ==
      "exit-handler-1");
  CHECK(text_at(d, "root.dag.tasks.exit-handler-1.taskInfo.name") == "run-on-cluster");
  const std::string inner = "components.comp-exit-handler-1.dag.tasks.";
  CHECK(text_at(d, inner + "run-job.inputs.parameters.endpoint.taskOutputParameter.producerTask") ==
        "create-cluster");
  CHECK(at_path(d, inner + "run-job-2.dependentTasks")->as_array().size() == 2);
  CHECK(text_at(d, inner + "create-cluster.inputs.parameters.workers.componentInputParameter") ==
        "pipelinechannel--workers");
}

TEST_CASE("Examples: cross-validation runs one task per fold and averages the collected scores") {
  auto d = kfpp::test::load_all(kfpp::compile(cross_validation())).at(0);
  CHECK(text_at(d, "root.dag.tasks.for-loop-1.parameterIterator.items.inputParameter") ==
        "pipelinechannel--split-folds-folds");
  CHECK(text_at(d,
                "root.dag.tasks.for-loop-1.inputs.parameters.pipelinechannel--split-folds-folds."
                "taskOutputParameter.producerTask") == "split-folds");
  CHECK(text_at(d,
                "components.comp-for-loop-1.inputDefinitions.parameters."
                "pipelinechannel--split-folds-folds-loop-item.parameterType") == "NUMBER_INTEGER");
  CHECK(text_at(d,
                "root.dag.tasks.average.inputs.parameters.scores.taskOutputParameter."
                "outputParameterKey") == "pipelinechannel--train-fold-Output");
  CHECK(text_at(d, "root.dag.outputs.parameters.mean_score.valueFromParameter.producerSubtask") ==
        "average");
}

TEST_CASE("Examples: the GPU step gets two RTX 3090s and the publish step its credentials") {
  const auto docs = kfpp::test::load_all(kfpp::compile(gpu_training()));
  REQUIRE(docs.size() == 2);
  const auto& d = docs[0];
  const std::string res = "deploymentSpec.executors.exec-train.container.resources.";
  CHECK(text_at(d, res + "accelerator.resourceType") == "nvidia.com/gpu");
  CHECK(text_at(d, res + "accelerator.resourceCount") == "2");
  CHECK(text_at(d, res + "resourceCpuLimit") == "16");
  CHECK(text_at(d, res + "resourceMemoryLimit") == "64Gi");
  CHECK(at_path(d, res + "memoryLimit")->as_double() == 64.0 * 1073741824.0 / 1e9);
  const std::string k8s = "platforms.kubernetes.deploymentSpec.executors.";
  const auto* selector = at_path(docs[1], k8s + "exec-train.nodeSelector.labels");
  REQUIRE(selector);
  CHECK(selector->as_object().at("nvidia.com/gpu.product").as_string() ==
        "NVIDIA-GeForce-RTX-3090");
  const std::string pub = k8s + "exec-publish.";
  const auto& env = at_path(docs[1], pub + "secretAsEnv")->as_array().at(0);
  CHECK(env.as_object().at("secretName").as_string() == "registry-credentials");
  CHECK(env.as_object().at("keyToEnv").as_array().size() == 2);
  const auto& vol = at_path(docs[1], pub + "secretAsVolume")->as_array().at(0);
  CHECK(vol.as_object().at("mountPath").as_string() == "/etc/registry-tls");
  const auto& cm = at_path(docs[1], pub + "configMapAsEnv")->as_array().at(0);
  CHECK(cm.as_object().at("configMapName").as_string() == "registry-config");
  const auto& pull = at_path(docs[1], pub + "imagePullSecret")->as_array().at(0);
  CHECK(pull.as_object().at("secretName").as_string() == "regcred");
}

TEST_CASE("Examples: both PVC sort tasks mount the shared claim, the sort after the generate") {
  const auto docs = kfpp::test::load_all(kfpp::compile(pvc_sort()));
  REQUIRE(docs.size() == 2);
  for (const char* exec : {"exec-generate-numbers", "exec-sort-numbers"}) {
    INFO(exec);
    const auto& m = at_path(docs[1], std::string("platforms.kubernetes.deploymentSpec.executors.") +
                                         exec + ".pvcMount")
                        ->as_array()
                        .at(0);
    CHECK(m.as_object().at("mountPath").as_string() == "/mnt/shared");
    CHECK(m.as_object().at("constant").as_string() == "aidatasource");
  }
  CHECK(at_path(docs[0], "root.dag.tasks.sort-numbers.dependentTasks")
            ->as_array()
            .at(0)
            .as_string() == "generate-numbers");
}
