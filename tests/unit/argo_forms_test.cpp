// SPDX-License-Identifier: Apache-2.0
// The Argo forms of the KFP values a pod reads that Argo has no direct counterpart for (the
// workspace, the task id and pipeline root, optional inputs left unset, accelerators and importer
// URIs read at run time), checked for what the controller does with them; and the refusals left,
// by code and message. The IR is written here in the shape the SDK writes (see the files of
// ../shared/conformance/kfp-sdk each test names).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "argo_fixtures.hpp"
#include "ir/json_parse.hpp"
#include "runner_support.hpp"

using namespace kfpp::test;

namespace {

// critical/pipeline_with_workspace.yaml, with a container component writing into the workspace.
std::string workspace_file(bool with_workspace) {
  const std::string params =
      "      parameters:\n        workspace_path:\n          parameterType: STRING\n";
  return ir_file(
      "ws",
      {container("write", params, "",
                 "      container:\n        image: alpine\n        command:\n        - touch\n"
                 "        - '{{$.inputs.parameters[''workspace_path'']}}/data.txt'\n"),
       container("read", "", "",
                 "      container:\n        image: alpine\n        command:\n        - cat\n"
                 "        - /kfp-workspace/data.txt\n")},
      "  dag:\n    tasks:\n      read:\n        componentRef:\n          name: comp-read\n"
      "        dependentTasks:\n        - write\n        taskInfo:\n          name: read\n"
      "      write:\n        componentRef:\n          name: comp-write\n        inputs:\n"
      "          parameters:\n            workspace_path:\n              runtimeValue:\n"
      "                constant: '{{$.workspace_path}}'\n        taskInfo:\n"
      "          name: write\n",
      with_workspace
          ? "---\nplatforms:\n  kubernetes:\n    pipelineConfig:\n      workspace:\n"
            "        kubernetes:\n          pvcSpecPatch:\n            storageClassName: "
            "standard\n        size: 1Gi\n"
          : "");
}

}  // namespace

TEST_CASE("Argo form: the pipeline workspace is a claim the workflow creates, in every pod") {
  const Value doc = argo_of(workspace_file(true));
  // Argo creates each volumeClaimTemplate when the workflow starts and deletes it after.
  const Value& claims = get(doc, "spec.volumeClaimTemplates");
  REQUIRE(claims.as_array().size() == 1);
  const Value& claim = claims.as_array()[0];
  CHECK(str(claim, "metadata.name") == "kfp-workspace");
  CHECK(str(claim, "spec.storageClassName") == "standard");
  CHECK(str(claim, "spec.resources.requests.storage") == "1Gi");
  // KFP requires access modes of the patch or the cluster default; one node's is the default.
  CHECK(strings(get(claim, "spec.accessModes")) == std::vector<std::string>{"ReadWriteOnce"});
  for (const char* t : {"write", "read"}) {
    const Value* m = find_named(at_path(tmpl(doc, t), "container.volumeMounts"), "kfp-workspace");
    INFO(t);
    REQUIRE(m);
    CHECK(str(*m, "mountPath") == "/kfp-workspace");
  }
  CHECK(str(named(get(task(doc, "ws", "write"), "arguments.parameters"), "workspace_path"),
            "value") == "/kfp-workspace");
}

TEST_CASE("Argo form: the workspace path without a workspace is refused") {
  auto found = refusals(workspace_file(false));
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "kfpp.argo_unsupported ws/write/inputs/workspace_path: reads the workspace path, but "
        "the pipeline has no workspace");
}

namespace {

std::string placeholder_file(const std::string& root_extra = {}) {
  const std::string params =
      "      parameters:\n        task_id:\n          parameterType: STRING\n"
      "        root:\n          parameterType: STRING\n";
  return ir_file("ph",
                 {container("show", params, "",
                            "      container:\n        image: alpine\n        command:\n"
                            "        - echo\n        - '{{$.inputs.parameters[''task_id'']}}'\n"
                            "        - '{{$.inputs.parameters[''root'']}}'\n")},
                 "  dag:\n    tasks:\n      show:\n        componentRef:\n"
                 "          name: comp-show\n        inputs:\n          parameters:\n"
                 "            root:\n              runtimeValue:\n"
                 "                constant: '{{$.pipeline_root}}/x'\n"
                 "            task_id:\n              runtimeValue:\n"
                 "                constant: 'id={{$.pipeline_task_uuid}}'\n"
                 "        taskInfo:\n          name: show\n") +
         root_extra;
}

}  // namespace

TEST_CASE("Argo form: the task id is the pod's name and the pipeline root a parameter") {
  // critical/pipeline_with_placeholders.yaml passes both as constants of a task's inputs.
  const Value doc = argo_of(placeholder_file());
  const Value& show = tmpl(doc, "show");
  // The task id exists only in the pod: written into the container, not passed by the DAG.
  CHECK(strings(get(show, "container.command")) ==
        std::vector<std::string>{"echo", "id={{pod.name}}", "{{inputs.parameters.root}}"});
  CHECK(!find_named(at_path(show, "inputs.parameters"), "task_id"));
  CHECK(!find_named(at_path(task(doc, "ph", "show"), "arguments.parameters"), "task_id"));
  CHECK(str(named(get(task(doc, "ph", "show"), "arguments.parameters"), "root"), "value") ==
        "{{workflow.parameters.kfpp-pipeline-root}}/x");
  // Without a defaultPipelineRoot, KFP's own default.
  CHECK(str(named(get(doc, "spec.arguments.parameters"), "kfpp-pipeline-root"), "value") ==
        "minio://mlpipeline/v2/artifacts");

  std::string with_root = placeholder_file();
  with_root.insert(0, "defaultPipelineRoot: s3://bucket/root\n");
  CHECK(str(named(get(argo_of(with_root), "spec.arguments.parameters"), "kfpp-pipeline-root"),
            "value") == "s3://bucket/root");
}

TEST_CASE("Argo form: the task id given to a group is refused") {
  const std::string file = ir_file(
      "ph",
      {"  comp-g:\n    dag:\n      tasks:\n        show:\n          componentRef:\n"
       "            name: comp-show\n          inputs:\n            parameters:\n"
       "              s:\n                componentInputParameter: id\n"
       "          taskInfo:\n            name: show\n    inputDefinitions:\n"
       "      parameters:\n        id:\n          parameterType: STRING\n",
       container("show", "      parameters:\n        s:\n          parameterType: STRING\n", "",
                 "      container:\n        image: alpine\n        command:\n        - echo\n"
                 "        - '{{$.inputs.parameters[''s'']}}'\n")},
      "  dag:\n    tasks:\n      g:\n        componentRef:\n          name: comp-g\n"
      "        inputs:\n          parameters:\n            id:\n              runtimeValue:\n"
      "                constant: '{{$.pipeline_task_uuid}}'\n        taskInfo:\n"
      "          name: g\n");
  auto found = refusals(file);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rfind("kfpp.argo_unsupported ph/g/inputs/id: the task id placeholder has an "
                       "Argo value only inside a task's pod",
                       0) == 0);
}

namespace {

// parallel_and_nested/nested_pipeline_opt_inputs_nil_compiled.yaml: a nested pipeline whose
// optional input, without a default, its caller may leave unset.
std::string nested_optional_file(bool second_call_sets_it, bool condition_reads_it = false) {
  std::string inner =
      "  comp-nested:\n    dag:\n      tasks:\n        show:\n          componentRef:\n"
      "            name: comp-show\n          inputs:\n            parameters:\n"
      "              x:\n                componentInputParameter: nx\n";
  if (condition_reads_it)
    inner +=
        "          triggerPolicy:\n            condition: "
        "inputs.parameter_values['x'] == 3\n";
  inner +=
      "          taskInfo:\n            name: show\n    inputDefinitions:\n      parameters:\n"
      "        nx:\n          isOptional: true\n          parameterType: NUMBER_INTEGER\n";
  std::string root =
      "  dag:\n    tasks:\n      nested:\n        componentRef:\n          name: comp-nested\n"
      "        taskInfo:\n          name: nested\n";
  if (second_call_sets_it)
    root +=
        "      nested-2:\n        componentRef:\n          name: comp-nested\n"
        "        inputs:\n          parameters:\n            nx:\n              runtimeValue:\n"
        "                constant: 3.0\n        taskInfo:\n          name: nested-2\n";
  return ir_file(
      "opt",
      {inner,
       container("show",
                 "      parameters:\n        x:\n          isOptional: true\n"
                 "          parameterType: NUMBER_INTEGER\n",
                 "",
                 "      container:\n        image: alpine\n        command:\n        - echo\n"
                 "        - '{\"IfPresent\": {\"InputName\": \"x\", \"Then\": "
                 "[\"{{$.inputs.parameters[''x'']}}\"], \"Else\": [\"none\"]}}'\n")},
      root);
}

}  // namespace

TEST_CASE("Argo form: an optional input of a nested pipeline left unset stays unset inside") {
  const Value doc = argo_of(nested_optional_file(true));
  // Called without the input: a template that does not declare it (Argo would demand a value),
  // whose task does not give it, so the component runs without it: its IfPresent takes `Else`.
  const Value& unset_call = task(doc, "opt", "nested");
  const Value& set_call = task(doc, "opt", "nested-2");
  const std::string unset_tmpl = str(unset_call, "template");
  const std::string set_tmpl = str(set_call, "template");
  CHECK(unset_tmpl != set_tmpl);
  CHECK(!at_path(tmpl(doc, unset_tmpl), "inputs.parameters"));
  CHECK(!at_path(task(doc, unset_tmpl, "show"), "arguments"));
  const std::string show_unset = str(task(doc, unset_tmpl, "show"), "template");
  CHECK(strings(get(tmpl(doc, show_unset), "container.command")) ==
        std::vector<std::string>{"echo", "none"});
  // Called with it: the usual form.
  CHECK(str(named(get(tmpl(doc, set_tmpl), "inputs.parameters"), "nx"), "name") == "nx");
  CHECK(str(named(get(set_call, "arguments.parameters"), "nx"), "value") == "3");
  const std::string show_set = str(task(doc, set_tmpl, "show"), "template");
  CHECK(strings(get(tmpl(doc, show_set), "container.command")) ==
        std::vector<std::string>{"echo", "{{inputs.parameters.x}}"});
}

TEST_CASE("Argo form: a condition on an optional input left unset is refused") {
  auto found = refusals(nested_optional_file(false, true));
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "kfpp.argo_unsupported opt/nested/show/condition: reads the optional input 'nx', which "
        "the group's caller leaves unset");
}

TEST_CASE("Argo form: an accelerator type read at run time goes into the pod spec patch") {
  // pipeline_with_string_machine_fields_pipeline_input.yaml sets type and count from inputs.
  const std::string params =
      "      parameters:\n        gpu:\n          parameterType: STRING\n"
      "        n:\n          parameterType: STRING\n";
  const std::string file = ir_file(
      "acc",
      {container("train", params, "",
                 "      container:\n        image: alpine\n        command:\n        - train\n"
                 "        resources:\n          accelerator:\n"
                 "            resourceCount: '{{$.inputs.parameters[''n'']}}'\n"
                 "            resourceType: '{{$.inputs.parameters[''gpu'']}}'\n"
                 "          resourceCpuLimit: '2'\n")},
      "  dag:\n    tasks:\n      train:\n        componentRef:\n          name: comp-train\n"
      "        inputs:\n          parameters:\n            gpu:\n"
      "              componentInputParameter: gpu\n            n:\n"
      "              componentInputParameter: n\n        taskInfo:\n          name: train\n"
      "  inputDefinitions:\n    parameters:\n      gpu:\n        defaultValue: nvidia.com/gpu\n"
      "        parameterType: STRING\n      n:\n        defaultValue: '1'\n"
      "        parameterType: STRING\n");
  const Value doc = argo_of(file);
  const Value& t = tmpl(doc, "train");
  CHECK(str(t, "container.resources.limits.cpu") == "2");
  // Argo merges the patch into the pod by container name (`main`); the key is resolved first.
  std::string error;
  const std::optional<Value> parsed = kfpp::detail::parse_json(str(t, "podSpecPatch"), &error);
  INFO(error);
  REQUIRE(parsed);
  const Value& patch = *parsed;
  CHECK(str(patch, "containers.0.name") == "main");
  const Value& limits = get(patch, "containers.0.resources.limits");
  REQUIRE(limits.as_object().size() == 1);
  CHECK(limits.as_object().begin()->first == "{{inputs.parameters.gpu}}");
  CHECK(limits.as_object().begin()->second == Value("{{inputs.parameters.n}}"));
}

namespace {

std::string importer_file(const std::string& uri_binding, bool to_workspace) {
  const std::string out = kfpp::test::artifact_def("artifact", "system.Dataset");
  std::string imp =
      "  comp-importer:\n    executorLabel: exec-importer\n    inputDefinitions:\n"
      "      parameters:\n        uri:\n          parameterType: STRING\n"
      "    outputDefinitions:\n" +
      out + "\x01" + std::string("exec-importer") + "\x02" +
      "      importer:\n        artifactUri:\n" + "          runtimeParameter: uri\n" +
      (to_workspace ? "        downloadToWorkspace: true\n" : "") +
      "        typeSchema:\n          schemaTitle: system.Dataset\n"
      "          schemaVersion: 0.0.1\n";
  return ir_file(
      "imp",
      {imp, container("where", "",
                      "      parameters:\n        Output:\n"
                      "          parameterType: STRING\n",
                      "      container:\n        image: alpine\n        command:\n"
                      "        - where\n")},
      "  dag:\n    tasks:\n      importer:\n        componentRef:\n          name: comp-importer\n"
      "        dependentTasks:\n        - where\n        inputs:\n          parameters:\n"
      "            uri:\n" +
          uri_binding +
          "        taskInfo:\n          name: importer\n      where:\n        componentRef:\n"
          "          name: comp-where\n        taskInfo:\n          name: where\n",
      to_workspace ? "---\nplatforms:\n  kubernetes:\n    pipelineConfig:\n      workspace:\n"
                     "        size: 1Gi\n"
                   : "");
}

const char* kFromTask =
    "              taskOutputParameter:\n                outputParameterKey: Output\n"
    "                producerTask: where\n";

}  // namespace

TEST_CASE("Argo form: an importer URI from a task output is read at run time") {
  // pipeline_with_importer.yaml: the URI comes from another task, its scheme unknown now.
  const Value doc = argo_of(importer_file(kFromTask, false));
  CHECK(str(named(get(task(doc, "imp", "importer"), "arguments.parameters"), "uri"), "value") ==
        "{{tasks.where.outputs.parameters.Output}}");
  // The URI is taken as `scheme://bucket/key` in the kind of the artifact repository.
  const Value& in = named(get(tmpl(doc, "importer"), "inputs.artifacts"), "artifact");
  CHECK(str(in, "s3.bucket") ==
        "{{=sprig.regexReplaceAll('^[a-z0-9]+://([^/]*)/?(.*)$', inputs.parameters['uri'], "
        "'${1}')}}");
  CHECK(str(in, "s3.key") ==
        "{{=sprig.regexReplaceAll('^[a-z0-9]+://([^/]*)/?(.*)$', inputs.parameters['uri'], "
        "'${2}')}}");
}

TEST_CASE("Argo form: an importer downloading into the workspace copies the artifact there") {
  const Value doc = argo_of(importer_file(kFromTask, true));
  const Value& t = tmpl(doc, "importer");
  const Value* m = find_named(at_path(t, "container.volumeMounts"), "kfp-workspace");
  REQUIRE(m);
  CHECK(str(*m, "mountPath") == "/kfp-workspace");
  CHECK(strings(get(t, "container.args")) ==
        std::vector<std::string>{"/tmp/kfpp/inputs/artifact", "{{inputs.parameters.uri}}"});
  // The script, run by a real shell on a real file: the copy lands where KFP's importer puts it
  // (/kfp-workspace/.artifacts/<gcs|s3>/<bucket>/<key>), here under a scratch directory.
  std::string script = str(t, "container.command.2");
  const std::filesystem::path dir = kfpp::test::fresh_work_dir("argo-importer-ws");
  std::string::size_type at;
  while ((at = script.find("/kfp-workspace")) != std::string::npos)
    script.replace(at, 14, (dir / "ws").string());
  {
    std::ofstream(dir / "script.sh") << script;
    std::ofstream(dir / "in.csv") << "a,b\n";
  }
  // As the container runs it: `sh -c SCRIPT ARG0 ARG1`, the artifact's path being `$0`.
  const std::string cmd = "sh -c \"$(cat '" + (dir / "script.sh").string() + "')\" '" +
                          (dir / "in.csv").string() + "' gs://bucket/data/in.csv";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(kfpp::test::file_text((dir / "ws/.artifacts/gcs/bucket/data/in.csv").string()) == "a,b\n");
}

TEST_CASE("Argo form: an importer downloading into a workspace the pipeline lacks is refused") {
  std::string file = importer_file(kFromTask, true);
  file.erase(file.find("---\nplatforms"));
  auto found = refusals(file);
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "kfpp.argo_unsupported imp/importer: the importer downloads into the workspace, but the "
        "pipeline has none");
}
