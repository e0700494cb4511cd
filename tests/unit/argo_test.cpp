// SPDX-License-Identifier: Apache-2.0
// The Argo workflows of the conformance twins, read back and checked for what they mean: the
// dependencies, conditions, loop sources, fan-in references, exit handler, volumes and env.
#include <catch2/catch.hpp>

#include <kfpp/compiler/argo.hpp>
#include <kfpp/kfpp.hpp>
#include <set>

#include "argo_fixtures.hpp"
#include "compiler/argo_context.hpp"
#include "examples.hpp"
#include "helpers.hpp"
#include "wide_pipeline.hpp"
#include "yaml_tree.hpp"

using kfpp::ir::Value;
using kfpp::test::at_path;
using kfpp::test::named;
using kfpp::test::str;

namespace {

Value argo(const kfpp::Pipeline& p, const kfpp::ArgoOptions& o = {}) {
  auto docs = kfpp::test::load_all(kfpp::compile_argo(p.ir(), o));
  REQUIRE(docs.size() == 1);
  return docs[0];
}

const Value& spec_of(const Value& doc) {
  const Value* s = at_path(doc, "spec");
  REQUIRE(s);
  if (const Value* ws = at_path(*s, "workflowSpec")) return *ws;
  return *s;
}

const Value& tmpl(const Value& doc, const std::string& name) {
  return named(*at_path(spec_of(doc), "templates"), name);
}

const Value& task(const Value& doc, const std::string& dag, const std::string& name) {
  return named(*at_path(tmpl(doc, dag), "dag.tasks"), name);
}

std::string arg(const Value& t, const std::string& name) {
  return str(named(*at_path(t, "arguments.parameters"), name), "value");
}

std::string artifact_from(const Value& t, const std::string& name) {
  return str(named(*at_path(t, "arguments.artifacts"), name), "from");
}

std::vector<std::string> codes(const kfpp::ir::Pipeline& p, const kfpp::ArgoOptions& o = {}) {
  try {
    (void)kfpp::emit_argo(p, o);
  } catch (const kfpp::ValidationError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.code + " " + d.path + ": " + d.message);
    return out;
  }
  return {};
}

}  // namespace

TEST_CASE("Argo: a chain of Python components passes outputs through task variables") {
  const Value doc = argo(pythagorean());
  const std::string root = str(spec_of(doc), "entrypoint");
  CHECK(root == "pythagorean");
  const Value& tasks = *at_path(tmpl(doc, root), "dag.tasks");
  for (const auto& t : tasks.as_array()) {
    // Every value read from another task is waited for.
    const std::string depends = str(t, "depends");
    for (const auto& p : at_path(t, "arguments.parameters")
                             ? at_path(t, "arguments.parameters")->as_array()
                             : Value::Array{}) {
      const std::string v = str(p, "value");
      if (v.rfind("{{tasks.", 0) == 0) {
        const std::string producer = v.substr(8, v.find('.', 8) - 8);
        CHECK(depends.find(producer) != std::string::npos);
      }
    }
  }
  // A Python component runs kfpp's launcher with typed arguments and output files.
  const Value& sq = tmpl(doc, "square");
  CHECK(str(sq, "container.command.0") == "sh");
  const Value& args = *at_path(sq, "container.args");
  std::vector<std::string> a;
  for (const auto& x : args.as_array()) a.push_back(x.as_string());
  CHECK(a == std::vector<std::string>{"--function", "square", "--param", "x", "NUMBER_DOUBLE",
                                      "{{inputs.parameters.x}}", "--output-param", "Output",
                                      "NUMBER_DOUBLE", "/tmp/kfpp/outputs/Output"});
  CHECK(str(sq, "outputs.parameters.0.valueFrom.path") == "/tmp/kfpp/outputs/Output");
  CHECK(str(sq, "container.volumeMounts.0.mountPath") == "/tmp/kfpp/outputs");
}

TEST_CASE("Argo: conditions become when expressions with quoted text and bare numbers") {
  const Value doc = argo(if_elif_else());
  const Value& c1 = task(doc, "if-elif-else", "condition-branches-1");
  CHECK(str(c1, "depends") == "flip-three-sided-coin");
  CHECK(arg(c1, "pipelinechannel--flip-three-sided-coin-result") ==
        "{{tasks.flip-three-sided-coin.outputs.parameters.result}}");
  const Value& branches = tmpl(doc, "condition-branches-1");
  CHECK(str(named(*at_path(branches, "dag.tasks"), "condition-6"), "when") ==
        "'{{inputs.parameters.pipelinechannel--flip-three-sided-coin-result}}' == 'heads'");
  CHECK(str(named(*at_path(branches, "dag.tasks"), "condition-11"), "when") ==
        "!('{{inputs.parameters.pipelinechannel--flip-three-sided-coin-result}}' == 'heads') && "
        "!('{{inputs.parameters.pipelinechannel--flip-three-sided-coin-result}}' == 'tails')");
  const Value& numbers = tmpl(doc, "condition-branches-2");
  CHECK(str(named(*at_path(numbers, "dag.tasks"), "condition-3"), "when") ==
        "{{inputs.parameters.pipelinechannel--random-num-result}} > "
        "{{inputs.parameters.pipelinechannel--threshold}}");

  // Two doubles compare as numbers.
  const Value ml = argo(ml_training_pipeline());
  const Value& deploy = task(ml, "ml-training-pipeline", "condition-1");
  CHECK(str(deploy, "when") ==
        "{{tasks.evaluate-model.outputs.parameters.accuracy}} >= "
        "{{workflow.parameters.accuracy_threshold}}");
  CHECK(str(deploy, "depends") == "evaluate-model && train-model");
  CHECK(artifact_from(task(ml, "ml-training-pipeline", "train-model"), "train_data") ==
        "{{tasks.preprocess-data.outputs.artifacts.train_data}}");
}

TEST_CASE("Argo: the exit handler runs as the group's exit hook with the group's status") {
  const Value doc = argo(exit_handler());
  const Value& group = task(doc, "pipeline-with-exit-handler", "exit-handler-1");
  CHECK(str(group, "hooks.exit.template") == "exit-op");
  const Value& hook = *at_path(group, "hooks.exit");
  CHECK(arg(hook, "user_input") == "{{workflow.parameters.message}}");
  const std::string status = arg(hook, "status");
  CHECK(status.find("\"state\":\"{{tasks.exit-handler-1.status}}\"") != std::string::npos);
  CHECK(status.find("\"pipelineJobResourceName\":\"{{workflow.name}}\"") != std::string::npos);
  // The exit task is not also a task of the DAG.
  CHECK(at_path(tmpl(doc, "pipeline-with-exit-handler"), "dag.tasks")->as_array().size() == 1);
  CHECK(str(task(doc, "exit-handler-1", "fail-op"), "depends") == "print-op");
}

TEST_CASE("Argo: loops read literal items, item fields, parameters and task outputs") {
  const Value doc = argo(parallelfor());
  const std::string root = "parallelfor";
  const Value& letters = task(doc, root, "for-loop-2");
  CHECK(str(letters, "withItems") == R"(["a", "b", "c"])");
  CHECK(arg(letters, "pipelinechannel--loop-item-param-1") == "{{item}}");

  const Value& dicts = task(doc, root, "for-loop-4");
  CHECK(arg(dicts, "pipelinechannel--loop-item-param-3--label") == "{{item.label}}");
  CHECK(arg(task(doc, "for-loop-4", "echo-kv"), "name") ==
        "{{inputs.parameters.pipelinechannel--loop-item-param-3--label}}");

  // parallelism=2: the loop runs inside a DAG template that carries the limit.
  const Value& limited = task(doc, root, "for-loop-5");
  const std::string wrapper = str(limited, "template");
  CHECK(str(tmpl(doc, wrapper), "parallelism") == "2");
  CHECK(arg(limited, "kfpp-items") == "{{workflow.parameters.names}}");
  CHECK(str(task(doc, wrapper, "for-loop-5"), "withParam") == "{{inputs.parameters.kfpp-items}}");

  const Value& from_task = task(doc, root, "for-loop-6");
  CHECK(str(from_task, "withParam") == "{{tasks.make-list.outputs.parameters.out}}");
  CHECK(str(from_task, "depends") == "make-list");

  // Fan-in: the loop's aggregated output, declared by the loop body.
  CHECK(arg(task(doc, root, "sum-ints"), "nums") ==
        "{{tasks.for-loop-11.outputs.parameters.pipelinechannel--double-result}}");
  CHECK(str(tmpl(doc, "for-loop-11"), "outputs.parameters.0.valueFrom.parameter") ==
        "{{tasks.double.outputs.parameters.result}}");
  // Collected artifacts: each iteration stores under one prefix, the consumer reads the prefix.
  const std::string key = str(tmpl(doc, "write-dataset"), "outputs.artifacts.0.s3.key");
  const std::string prefix = str(tmpl(doc, "concat-datasets"), "inputs.artifacts.0.s3.key");
  CHECK(key == prefix + "/{{pod.name}}");
  CHECK(str(task(doc, root, "concat-datasets"), "depends") == "for-loop-11");
}

TEST_CASE("Argo: a pipeline used as a component is a nested DAG template with outputs") {
  const Value doc = argo(nested_pipeline());
  const Value& second = task(doc, "outer-pipeline", "inner-pipeline-2");
  CHECK(arg(second, "x") == "{{tasks.inner-pipeline.outputs.parameters.doubled}}");
  CHECK(str(tmpl(doc, "inner-pipeline"), "dag.tasks.0.arguments.parameters.0.value") ==
        "{{inputs.parameters.x}}");
  CHECK(str(tmpl(doc, "outer-pipeline"), "outputs.artifacts.0.from") ==
        "{{tasks.inner-pipeline-2.outputs.artifacts.report}}");
}

TEST_CASE("Argo: importers fetch the URI as an artifact, constant or read at run time") {
  const Value doc = argo(importer_pipeline());
  const Value& fixed = tmpl(doc, "importer");
  CHECK(str(fixed, "inputs.artifacts.0.gcs.bucket") == "ml-pipeline-playground");
  CHECK(str(fixed, "inputs.artifacts.0.gcs.key") == "shakespeare1.txt");
  CHECK(str(fixed, "outputs.parameters.0.value") == R"({"lines": 100, "source": "shakespeare"})");
  CHECK(arg(task(doc, "pipeline-with-importer", "importer-2"), "uri") ==
        "{{workflow.parameters.model_uri}}");
  CHECK(str(tmpl(doc, "importer-2"), "inputs.artifacts.0.gcs.bucket")
            .find("inputs.parameters['uri']") != std::string::npos);
}

TEST_CASE("Argo: Kubernetes settings become volumes, env, scheduling and resources") {
  const Value doc = argo(resources_kubernetes());
  const std::string root = "resources-and-kubernetes";
  // A claim created by a task: a resource template, its name read back and mounted.
  const Value& create = tmpl(doc, "createpvc");
  CHECK(str(create, "resource.action") == "create");
  auto manifest = kfpp::test::load_all(str(create, "resource.manifest"));
  REQUIRE(manifest.size() == 1);
  CHECK(str(manifest[0], "kind") == "PersistentVolumeClaim");
  CHECK(str(manifest[0], "spec.resources.requests.storage") == "5Gi");
  CHECK(str(create, "outputs.parameters.0.valueFrom.jsonPath") == "{.metadata.name}");
  const Value& producer = task(doc, root, "producer");
  CHECK(arg(producer, "kfpp-setting-0") == "{{tasks.createpvc.outputs.parameters.name}}");
  CHECK(str(tmpl(doc, "producer"), "volumes.0.persistentVolumeClaim.claimName") ==
        "{{inputs.parameters.kfpp-setting-0}}");
  CHECK(str(tmpl(doc, "producer"), "retryStrategy.limit") == "3");
  CHECK(str(tmpl(doc, "deletepvc"), "resource.action") == "delete");
  CHECK(str(task(doc, root, "deletepvc"), "depends").find("createpvc") != std::string::npos);

  const Value& trainer = tmpl(doc, "trainer");
  CHECK(str(*at_path(trainer, "container.resources.limits"), "nvidia") == "<absent>");
  CHECK(at_path(trainer, "container.resources.limits")->as_object().at("nvidia.com/gpu") ==
        Value("2"));
  CHECK(str(*at_path(trainer, "container.resources.limits"), "cpu") == "8");
  CHECK(str(trainer, "tolerations.0.key") == "nvidia.com/gpu");
  CHECK(str(trainer, "activeDeadlineSeconds") == "7200");

  const Value& consumer = tmpl(doc, "consumer-2");
  const Value& env = *at_path(consumer, "container.env");
  CHECK(str(named(env, "DB_PASS"), "valueFrom.secretKeyRef.name") == "db-credentials");
  CHECK(str(named(env, "APP_LEVEL"), "valueFrom.configMapKeyRef.key") == "level");
  CHECK(str(named(env, "MY_POD_NAME"), "valueFrom.fieldRef.fieldPath") == "metadata.name");
  const std::string secret_volume =
      str(named(*at_path(consumer, "container.volumeMounts"), std::string("kfpp-secret-0")),
          "mountPath");
  CHECK(secret_volume == "/etc/tls");
  CHECK(str(named(*at_path(consumer, "volumes"), "kfpp-secret-0"), "secret.secretName") ==
        "tls-cert");
  CHECK(str(consumer, "metadata.labels.team") == "ml");
  // Image pull secrets are the workflow's.
  CHECK(str(spec_of(doc), "imagePullSecrets") ==
        R"([{"name": "other-cred"}, {"name": "regcred"}])");

  // Names and JSON read at run time.
  const Value extras = argo(kubernetes_extras());
  const Value& t2 = tmpl(extras, "echo-2");
  CHECK(
      str(t2, "podSpecPatch") ==
      R"({"nodeSelector":{{inputs.parameters.kfpp-setting-0}},"tolerations":{{inputs.parameters.kfpp-setting-1}}})");
  CHECK(str(t2,
            "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
            "nodeSelectorTerms.0.matchExpressions.0.key") == "gpu");
  CHECK(str(t2, "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.weight") ==
        "50");
  CHECK(arg(task(extras, "kubernetes-extras", "echo-2"), "kfpp-setting-1") ==
        "{{workflow.parameters.tolerations}}");

  const Value sort = argo(pvc_sort());
  CHECK(str(tmpl(sort, "sort-numbers"), "volumes.0.persistentVolumeClaim.claimName") ==
        "aidatasource");
  CHECK(str(task(sort, "pvc-sort", "sort-numbers"), "depends") == "generate-numbers");
}

TEST_CASE("Argo: the kinds and the workflow options") {
  kfpp::ArgoOptions o;
  o.kind = kfpp::ArgoKind::cron_workflow;
  o.cron.schedules = {"0 3 * * *"};
  o.cron.timezone = "Europe/Paris";
  o.cron.concurrency_policy = "Forbid";
  o.cron.starting_deadline_seconds = 60;
  o.namespace_ = "ml";
  o.service_account = "runner";
  o.labels = {{"team", "ml"}};
  o.ttl.seconds_after_completion = 3600;
  o.pod_gc = "OnPodSuccess";
  o.artifact_repository_config_map = "artifact-repositories";
  o.artifact_repository_key = "minio";
  const Value doc = argo(addition(), o);
  CHECK(str(doc, "kind") == "CronWorkflow");
  CHECK(str(doc, "metadata.name") == "addition-pipeline");
  CHECK(str(doc, "spec.schedules") == R"(["0 3 * * *"])");
  CHECK(str(doc, "spec.concurrencyPolicy") == "Forbid");
  CHECK(str(doc, "spec.startingDeadlineSeconds") == "60");
  const Value& spec = spec_of(doc);
  CHECK(str(spec, "serviceAccountName") == "runner");
  CHECK(str(spec, "ttlStrategy.secondsAfterCompletion") == "3600");
  CHECK(str(spec, "podGC.strategy") == "OnPodSuccess");
  CHECK(str(spec, "artifactRepositoryRef.key") == "minio");

  o.kind = kfpp::ArgoKind::workflow_template;
  CHECK(str(argo(addition(), o), "kind") == "WorkflowTemplate");
  CHECK(str(argo(addition()), "metadata.generateName") == "addition-pipeline-");
}

TEST_CASE("Argo: long names are shortened with a stable hash within Kubernetes' limits") {
  using kfpp::detail::argo::dns_name;
  const std::string long_name(80, 'a');
  const std::string a = dns_name(long_name, 52);
  CHECK(a.size() == 52);
  CHECK(a == dns_name(long_name, 52));
  CHECK(a != dns_name(long_name + "b", 52));
  CHECK(dns_name("My_Pipeline!", 63) == "my-pipeline");
  kfpp::ArgoOptions o;
  o.kind = kfpp::ArgoKind::cron_workflow;
  o.cron.schedules = {"@daily"};
  o.name = std::string(70, 'x');
  CHECK(str(argo(addition(), o), "metadata.name").size() == 52);
  o.kind = kfpp::ArgoKind::workflow;
  o.name.clear();
  auto ir = addition().ir();
  ir.name = std::string(90, 'p');
  const Value doc = kfpp::test::load_all(kfpp::emit_argo(ir, o))[0];
  CHECK(str(doc, "metadata.generateName").size() == 58);
}

TEST_CASE("Argo: a 500-task pipeline is split into nested DAGs of at most 200 tasks") {
  const Value doc = argo(kfpp::testing::wide_pipeline(500));
  std::size_t leaf_tasks = 0;
  for (const auto& t : at_path(spec_of(doc), "templates")->as_array()) {
    const Value* tasks = at_path(t, "dag.tasks");
    if (!tasks) continue;
    CHECK(tasks->as_array().size() <= 200);
    for (const auto& x : tasks->as_array())
      if (str(x, "template").rfind("wide-part", 0) != 0) ++leaf_tasks;
  }
  CHECK(leaf_tasks == 500);
  // Data crossing parts goes out of one part and into the next.
  const Value& part2 = task(doc, "wide", "part-2");
  CHECK(str(part2, "depends") == "part-1");
  CHECK(arg(part2, "step-199--text") == "{{tasks.part-1.outputs.parameters.step-199--text}}");
  CHECK(str(tmpl(doc, "wide-part-2"), "dag.tasks.0.arguments.parameters.1.value") ==
        "{{inputs.parameters.step-199--text}}");
}

TEST_CASE("Argo: constructs with no Argo form are errors naming the construct and the task") {
  auto p = kfpp::test::two_task_pipeline();
  SECTION("a literal that Argo would read as its variable") {
    p.root.dag->tasks[0].parameters[0] = {"msg",
                                          kfpp::ir::ParameterBinding::Kind::constant,
                                          Value("{{inputs.parameters.x}}"),
                                          {},
                                          {}};
    auto c = codes(p);
    REQUIRE(c.size() == 1);
    CHECK(c[0].rfind("kfpp.argo_unsupported demo/producer/inputs/msg", 0) == 0);
  }
  SECTION("an artifact placeholder of another field in a command") {
    p.executors[0].container->args = {kfpp::ir::Arg::of("{{$.inputs.artifacts['data'].size}}")};
    auto c = codes(p);
    REQUIRE(c.size() == 1);
    CHECK(c[0] ==
          "kfpp.argo_unsupported demo/producer/args/0: the placeholder "
          "{{$.inputs.artifacts['data'].size}} has no Argo form");
  }
  SECTION("a condition of another form") {
    p.root.dag->tasks[1].trigger_condition = "size(inputs.parameter_values['text']) > 1";
    auto c = codes(p);
    REQUIRE(c.size() == 1);
    CHECK(c[0].find("demo/consumer/condition") != std::string::npos);
  }
  SECTION("more templates than Argo takes") {
    for (int i = 0; i < 210; ++i) {
      auto e = p.executors[1];
      e.label = "exec-c" + std::to_string(i);
      e.container->image = "alpine:" + std::to_string(i);
      p.executors.push_back(e);
      auto comp = p.components[1];
      comp.name = "comp-c" + std::to_string(i);
      comp.executor_label = e.label;
      p.components.push_back(comp);
      auto t = p.root.dag->tasks[1];
      t.name = "c" + std::to_string(i);
      t.component_ref = comp.name;
      p.root.dag->tasks.push_back(t);
    }
    auto c = codes(p);
    REQUIRE(c.size() == 1);
    CHECK(c[0].rfind("kfpp.argo_limit", 0) == 0);
  }
  SECTION("bad options") {
    kfpp::ArgoOptions o;
    o.kind = kfpp::ArgoKind::cron_workflow;
    o.cron.schedules = {"every day"};
    o.cron.concurrency_policy = "Sometimes";
    o.labels = {{"team", "not a value"}};
    o.pod_gc = "Never";
    auto c = codes(p, o);
    CHECK(c.size() == 4);
    for (const auto& x : c) CHECK(x.rfind("kfpp.invalid_option demo/argo/", 0) == 0);
  }
}

TEST_CASE(
    "Argo: a pipeline input that is a list of artifacts is a key prefix given at submission") {
  // `p.param<std::vector<Dataset>>`: like a single input artifact (`-p data-key=…`), but the key
  // is the prefix of a folder in the artifact repository, one entry per artifact.
  using kfpp::Component;
  using kfpp::Dataset;
  using kfpp::in;
  using kfpp::Port;
  using kfpp::Ports;
  auto many = Component<Ports<Port<"data", std::vector<Dataset>>>>::container("many")
                  .image("alpine")
                  .command("ls");
  auto one =
      Component<Ports<Port<"data", Dataset>>>::container("one").image("alpine").command("true");
  kfpp::Pipeline p("lists");
  auto datasets = p.param<std::vector<Dataset>>("datasets");
  p.add(many, in<"data"> = datasets);
  kfpp::ParallelFor(p, datasets, [&](kfpp::Channel<Dataset> d) { p.add(one, in<"data"> = d); });
  const Value doc = argo(p);
  // A workflow parameter with no value: submitting without it fails.
  const Value& key = named(*at_path(spec_of(doc), "arguments.parameters"), "datasets-key");
  CHECK(!at_path(key, "value"));
  const std::string given = "{{workflow.parameters.datasets-key}}";
  // The reader downloads the folder at that prefix (its template input `data-key`).
  const Value& reader = task(doc, "lists", "many");
  CHECK(arg(reader, "data-key") == given);
  const Value& rt = tmpl(doc, str(reader, "template"));
  CHECK(str(named(*at_path(rt, "inputs.artifacts"), "data"), "s3.key") ==
        "{{inputs.parameters.data-key}}");
  CHECK(str(named(*at_path(rt, "inputs.artifacts"), "data"), "path") == "/tmp/kfpp/inputs/data");
  // The loop over it lists the folder's entries, each iteration's item the object at one.
  const Value& keys = task(doc, "lists", "kfpp-keys-for-loop-1");
  CHECK(arg(keys, "key") == given);
  const Value& loop = task(doc, "lists", "for-loop-1");
  CHECK(str(loop, "withParam") == "{{tasks.kfpp-keys-for-loop-1.outputs.parameters.keys}}");
  CHECK(str(named(*at_path(loop, "arguments.artifacts"), "pipelinechannel--datasets-loop-item"),
            "s3.key") == given + "/{{item}}");
  CHECK(arg(loop, "pipelinechannel--datasets-key") == given);
}

TEST_CASE("Argo: an importer URI with no Argo artifact kind is an error naming the task") {
  kfpp::Pipeline p("imports");
  auto data = p.importer<kfpp::Dataset>("ftp://example.com/data.csv");
  (void)data;
  auto c = codes(p.ir());
  REQUIRE(c.size() == 1);
  CHECK(c[0].rfind("kfpp.argo_unsupported imports/importer/uri", 0) == 0);
  CHECK(c[0].find("ftp://example.com/data.csv") != std::string::npos);
}

TEST_CASE("Argo: output is deterministic") {
  CHECK(kfpp::compile_argo(parallelfor().ir()) == kfpp::compile_argo(parallelfor().ir()));
}

TEST_CASE("Argo: integer parameters keep integer text when the IR holds them as doubles") {
  // KFP IR holds every number as a double (`defaultValue: 10.0`, `constant: 3.0`), as the SDK and
  // kfpp write it; read back and converted, an int parameter must still reach `int()` as `10`.
  using Add = kfpp::Component<kfpp::Ports<kfpp::Port<"a", int>, kfpp::Port<"b", int>>, int>;
  auto add = Add::container("add")
                 .image("alpine")
                 .command("sh", "-c", "expr $0 + $1")
                 .args(kfpp::value_of<"a">, kfpp::value_of<"b">);
  kfpp::Pipeline p("ints");
  auto c = p.param<int>("c", 10);
  p.add(add, kfpp::in<"a"> = c, kfpp::in<"b"> = 3);
  const std::string kfp = kfpp::compile(p);
  REQUIRE(kfp.find("defaultValue: 10.0") != std::string::npos);
  const kfpp::ir::Pipeline back = kfpp::ir::read_pipeline(kfp, "ints.yaml");
  auto docs = kfpp::test::load_all(kfpp::emit_argo(back, {}));
  const Value& doc = docs.at(0);
  CHECK(str(named(*at_path(spec_of(doc), "arguments.parameters"), "c"), "value") == "10");
  CHECK(arg(task(doc, "ints", "add"), "b") == "3");
}

TEST_CASE("Argo: a resource over Kubernetes' object size limit is refused with its size") {
  using Echo = kfpp::Component<kfpp::Ports<kfpp::Port<"s", std::string>>, kfpp::Ports<>>;
  auto echo = Echo::container("echo").image("alpine").command("echo").args(kfpp::value_of<"s">);
  kfpp::Pipeline p("big");
  p.add(echo, kfpp::in<"s"> = std::string(1600 * 1024, 'x'));
  const auto ir = p.ir();
  auto found = codes(ir);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rfind("kfpp.argo_too_large big/argo: the Argo resource is", 0) == 0);
  CHECK(found[0].find("over the 1572864-byte limit") != std::string::npos);
  // A cluster whose etcd takes larger requests raises the limit; 0 turns the check off.
  kfpp::ArgoOptions larger;
  larger.max_object_bytes = 4 << 20;
  CHECK(codes(ir, larger).empty());
  larger.max_object_bytes = 0;
  CHECK(codes(ir, larger).empty());
}
