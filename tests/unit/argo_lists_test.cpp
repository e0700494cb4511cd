// SPDX-License-Identifier: Apache-2.0
// The Argo forms of lists of artifacts: the list placeholder, written by a shell wrapper around
// the command; a loop's collected artifacts stored under one key prefix, passed into groups and
// looped over, with and without a parallelism limit; and the refusals left, by code and message.
// The IR is written here in the shape the SDK writes (see the files of
// ../shared/conformance/kfp-sdk each test names).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "argo_fixtures.hpp"
#include "ir/json_parse.hpp"
#include "runner_support.hpp"

using namespace kfpp::test;

namespace {

// A loop over [1, 2] whose `double` task writes `out_dataset`, collected by the root task
// `show` (artifacts_simple.yaml's shape); `show_command` is show's executor.
std::string collected_list_file(const std::string& show_command) {
  const std::string loop =
      "  comp-for-loop-2:\n    dag:\n      outputs:\n        artifacts:\n"
      "          pipelinechannel--double-out_dataset:\n            artifactSelectors:\n"
      "            - outputArtifactKey: out_dataset\n              producerSubtask: double\n"
      "      tasks:\n        double:\n          componentRef:\n            name: comp-double\n"
      "          inputs:\n            parameters:\n              num:\n"
      "                componentInputParameter: pipelinechannel--loop-item-param-1\n"
      "          taskInfo:\n            name: double\n"
      "    inputDefinitions:\n      parameters:\n        pipelinechannel--loop-item-param-1:\n"
      "          parameterType: NUMBER_INTEGER\n"
      "    outputDefinitions:\n      artifacts:\n        pipelinechannel--double-out_dataset:\n"
      "          artifactType:\n            schemaTitle: system.Dataset\n"
      "            schemaVersion: 0.0.1\n          isArtifactList: true\n";
  return ir_file(
      "collected-list",
      {container("double",
                 "      parameters:\n        num:\n          parameterType: NUMBER_INTEGER\n",
                 artifact_def("out_dataset", "system.Dataset"),
                 "      container:\n        image: alpine\n        command:\n        - sh\n"
                 "        - -c\n        - echo $0 > $1\n"
                 "        - '{{$.inputs.parameters[''num'']}}'\n"
                 "        - '{{$.outputs.artifacts[''out_dataset''].path}}'\n"),
       container("show", artifact_def("in_datasets", "system.Dataset", true), "", show_command),
       loop},
      "  dag:\n    tasks:\n" +
          reading_task("show", "show", "in_datasets", "for-loop-2",
                       "pipelinechannel--double-out_dataset") +
          kRootLoop);
}

}  // namespace

TEST_CASE("Argo form: the list placeholder is written by a shell wrapper around the command") {
  // artifacts_simple.yaml's add-container: `{{$.inputs.artifacts['in_datasets']}}` as an argument
  // (here also inside a longer one), the list collected from a loop.
  const Value doc = argo_of(collected_list_file(
      "      container:\n        image: alpine\n        command:\n        - printf\n"
      "        - '%s\\n'\n        args:\n        - '{{$.inputs.artifacts[''in_datasets'']}}'\n"
      "        - '--lists={{$.inputs.artifacts[''in_datasets'']}};end'\n"));
  const Value& show = tmpl(doc, "show");
  // The list is the loop's collected key prefix, downloaded as a directory.
  const Value& in = named(get(show, "inputs.artifacts"), "in_datasets");
  CHECK(str(in, "path") == "/tmp/kfpp/inputs/in_datasets");
  CHECK(str(in, "s3.key") ==
        "kfpp-collected/{{workflow.uid}}/for-loop-2/pipelinechannel--double-out_dataset");
  // The command runs the wrapper first (`sh -c SCRIPT kfpp-list`), then the container's own.
  const std::vector<std::string> cmd = strings(get(show, "container.command"));
  REQUIRE(cmd.size() == 6);
  CHECK(cmd[0] == "sh");
  CHECK(cmd[1] == "-c");
  CHECK(cmd[3] == "kfpp-list");
  CHECK(cmd[4] == "printf");
  CHECK(cmd[5] == "%s\\n");
  const std::vector<std::string> args = strings(get(show, "container.args"));
  REQUIRE(args.size() == 2);
  CHECK(args[0] == "@kfpp-artifact-list:in_datasets@");
  CHECK(args[1] == "--lists=@kfpp-artifact-list:in_datasets@;end");

  // The wrapper in a real shell, on a directory of two artifacts (as Argo downloads the prefix:
  // one entry per iteration): the arguments the command gets are KFP's JSON of the list.
  const std::string dir = kfpp::test::fresh_work_dir("argo-list-placeholder");
  REQUIRE(std::system(("mkdir -p '" + dir + "/in_datasets' && echo 2 > '" + dir +
                       "/in_datasets/double-1' && echo 4 > '" + dir + "/in_datasets/double-2'")
                          .c_str()) == 0);
  std::string script = cmd[2];
  const std::string where = "/tmp/kfpp/inputs/in_datasets";
  REQUIRE(script.find(where) != std::string::npos);
  script.replace(script.find(where), where.size(), dir + "/in_datasets");
  std::ofstream(dir + "/wrapper.sh") << script;
  const std::string run = "sh -c \"$(cat '" + dir + "/wrapper.sh')\" kfpp-list printf '%s\\n' '" +
                          args[0] + "' '" + args[1] + "' > '" + dir + "/out.txt'";
  REQUIRE(std::system(run.c_str()) == 0);
  const std::string entries = "[{\"name\": \"double-1\", \"uri\": \"" + dir +
                              "/in_datasets/double-1\", \"metadata\": {}}, {\"name\": "
                              "\"double-2\", \"uri\": \"" +
                              dir + "/in_datasets/double-2\", \"metadata\": {}}]";
  CHECK(kfpp::test::file_text(dir + "/out.txt") == entries + "\n--lists=" + entries + ";end\n");
  // The first argument parses as KFP's list: each artifact's name and URI (the local copy).
  const std::string out = kfpp::test::file_text(dir + "/out.txt");
  std::string error;
  const std::optional<Value> parsed =
      kfpp::detail::parse_json(out.substr(0, out.find('\n')), &error);
  INFO(error);
  REQUIRE(parsed);
  REQUIRE(parsed->is_array());
  REQUIRE(parsed->as_array().size() == 2);
  CHECK(str(parsed->as_array()[1], "name") == "double-2");
  CHECK(str(parsed->as_array()[1], "uri") == dir + "/in_datasets/double-2");
  CHECK(str(parsed->as_array()[1], "metadata") == "{}");
}

TEST_CASE("Argo form: the list placeholder outside command and args is refused") {
  const auto r = refusals(collected_list_file(
      "      container:\n        image: alpine\n        command:\n        - cat\n"
      "        env:\n        - name: LIST\n"
      "          value: '{{$.inputs.artifacts[''in_datasets'']}}'\n"));
  REQUIRE(r.size() == 1);
  CHECK(r[0] ==
        "kfpp.argo_unsupported collected-list/show/env/LIST: the list placeholder "
        "{{$.inputs.artifacts['in_datasets']}} has an Argo form only in a container's command or "
        "args, for an input that is a list of artifacts");
}

TEST_CASE("Argo form: the list placeholder in a container without a command is refused") {
  const auto r =
      refusals(collected_list_file("      container:\n        image: alpine\n        args:\n"
                                   "        - '{{$.inputs.artifacts[''in_datasets'']}}'\n"));
  REQUIRE(r.size() == 1);
  CHECK(r[0] ==
        "kfpp.argo_unsupported collected-list/show/args: a list placeholder needs the "
        "container's command: the wrapper that writes the list runs it");
}

namespace {

const char* kPrefix = "kfpp-collected/{{workflow.uid}}/for-loop-2/pipelinechannel--double-out";

}  // namespace

TEST_CASE("Argo form: a task whose artifacts a loop collects is not memoized") {
  // A cached run (Argo's memoize) skips the pod, so nothing would be stored under this run's
  // prefix and the list would miss the artifact. The same component run once, outside a loop,
  // is memoized as documented.
  std::string file = lists_file("", std::string(kRootLoop) + R"(      twice:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-double
        inputs:
          parameters:
            num:
              runtimeValue:
                constant: 3
        taskInfo:
          name: twice
)" + reading_task("show", "show", "in", "for-loop-2", "pipelinechannel--double-out"));
  const std::string in_loop = "          taskInfo:\n            name: double\n";
  REQUIRE(file.find(in_loop) != std::string::npos);
  file.replace(file.find(in_loop), 0, "          cachingOptions:\n            enableCache: true\n");
  kfpp::ArgoOptions o;
  o.memoize_config_map = "kfpp-cache";
  const Value doc = argo_of(file, o);
  const Value& looped = tmpl(doc, str(task(doc, "for-loop-2", "double"), "template"));
  CHECK(str(looped, "outputs.artifacts.0.s3.key") == std::string(kPrefix) + "/{{pod.name}}");
  CHECK(!at_path(looped, "memoize"));
  const Value& once = tmpl(doc, str(task(doc, "lists", "twice"), "template"));
  CHECK(str(once, "memoize.cache.configMap.name") == "kfpp-cache");
}

TEST_CASE("Argo form: a collected list passed into a group is its key prefix, a parameter") {
  // artifacts_complex.yaml's add-two-lists-of-datasets: a nested pipeline with a list input.
  const Value doc = argo_of(lists_file(
      R"(  comp-sum:
    dag:
      tasks:
        show:
          componentRef:
            name: comp-show
          inputs:
            artifacts:
              in:
                componentInputArtifact: datasets
          taskInfo:
            name: show
    inputDefinitions:
)" + artifact_def("datasets", "system.Dataset", true),
      std::string(kRootLoop) +
          reading_task("sum", "sum", "datasets", "for-loop-2", "pipelinechannel--double-out")));
  // Each iteration stores its artifact under the loop's prefix, at its pod's name.
  CHECK(str(tmpl(doc, "double"), "outputs.artifacts.0.s3.key") ==
        std::string(kPrefix) + "/{{pod.name}}");
  // The root gives the group the prefix as the parameter `datasets-key`, after the loop.
  const Value& sum = task(doc, "lists", "sum");
  CHECK(str(sum, "depends") == "for-loop-2");
  CHECK(str(named(get(sum, "arguments.parameters"), "datasets-key"), "value") == kPrefix);
  CHECK(!at_path(sum, "arguments.artifacts"));
  // The group declares it and hands it to its task, whose template reads the prefix as a folder.
  CHECK(find_named(at_path(tmpl(doc, "sum"), "inputs.parameters"), "datasets-key"));
  const Value& show = task(doc, "sum", "show");
  CHECK(str(named(get(show, "arguments.parameters"), "in-key"), "value") ==
        "{{inputs.parameters.datasets-key}}");
  const Value& in = named(get(tmpl(doc, "show"), "inputs.artifacts"), "in");
  CHECK(str(in, "s3.key") == "{{inputs.parameters.in-key}}");
  CHECK(str(in, "path") == "/tmp/kfpp/inputs/in");
  CHECK(find_named(at_path(tmpl(doc, "show"), "inputs.parameters"), "in-key"));
}

TEST_CASE("Argo form: a loop over a list of artifacts loops over the keys a step lists") {
  // pipeline_with_parallelfor_list_artifacts_GH-12033.yaml: ParallelFor over a list output.
  const Value doc = argo_of(lists_file(loop_over_list_body("for-loop-2-out"),
                                       std::string(kRootLoop) + loop_over_list_task()));
  // A step after the producing loop lists the keys under the prefix.
  const Value& keys = task(doc, "lists", "kfpp-keys-for-loop-3");
  CHECK(str(keys, "depends") == "for-loop-2");
  CHECK(str(named(get(keys, "arguments.parameters"), "key"), "value") == kPrefix);
  const Value& lt = tmpl(doc, str(keys, "template"));
  const Value& listed = named(get(lt, "inputs.artifacts"), "list");
  CHECK(str(listed, "s3.key") == "{{inputs.parameters.key}}");
  CHECK(str(listed, "optional") == "true");  // no iteration stored nothing: no key
  CHECK(str(lt, "outputs.parameters.0.valueFrom.path") == "/tmp/kfpp/outputs/keys");
  // The loop runs once per listed key, its item the object at that key.
  const Value& loop = task(doc, "lists", "for-loop-3");
  CHECK(str(loop, "depends") == "for-loop-2 && kfpp-keys-for-loop-3");
  CHECK(str(loop, "withParam") == "{{tasks.kfpp-keys-for-loop-3.outputs.parameters.keys}}");
  CHECK(str(named(get(loop, "arguments.artifacts"), "pipelinechannel--for-loop-2-out-loop-item"),
            "s3.key") == std::string(kPrefix) + "/{{item}}");
  CHECK(str(named(get(loop, "arguments.parameters"), "pipelinechannel--for-loop-2-out-key"),
            "value") == kPrefix);
  CHECK(str(named(get(task(doc, "for-loop-3", "one"), "arguments.artifacts"), "in"), "from") ==
        "{{inputs.artifacts.pipelinechannel--for-loop-2-out-loop-item}}");

  // The step's script in a real shell, on a folder of two entries: their names as JSON.
  const std::string dir = kfpp::test::fresh_work_dir("argo-list-keys");
  REQUIRE(std::system(("mkdir -p '" + dir + "/list' && echo 2 > '" + dir +
                       "/list/double-7' && mkdir '" + dir + "/list/double-9'")
                          .c_str()) == 0);
  std::string script = strings(get(lt, "container.command"))[2];
  for (const std::string& from :
       {std::string("/tmp/kfpp/inputs/list"), std::string("/tmp/kfpp/outputs/keys")}) {
    const std::size_t at = script.find(from);
    REQUIRE(at != std::string::npos);
    script.replace(at, from.size(), dir + (from.back() == 't' ? "/list" : "/keys"));
  }
  std::ofstream(dir + "/list.sh") << script;
  REQUIRE(std::system(("sh '" + dir + "/list.sh'").c_str()) == 0);
  CHECK(kfpp::test::file_text(dir + "/keys") == "[\"double-7\", \"double-9\"]");
  REQUIRE(std::system(("rm -r '" + dir + "/list'/* && sh '" + dir + "/list.sh'").c_str()) == 0);
  CHECK(kfpp::test::file_text(dir + "/keys") == "[]");
}

TEST_CASE("Argo form: a loop over a list of artifacts with a parallelism limit") {
  // The limit puts the loop in a DAG of its own; the item stays with the looping task there.
  const Value doc = argo_of(lists_file(loop_over_list_body("for-loop-2-out"),
                                       std::string(kRootLoop) + loop_over_list_task(1)));
  const Value& outer = task(doc, "lists", "for-loop-3");
  CHECK(str(outer, "depends") == "for-loop-2 && kfpp-keys-for-loop-3");
  CHECK(str(named(get(outer, "arguments.parameters"), "kfpp-items"), "value") ==
        "{{tasks.kfpp-keys-for-loop-3.outputs.parameters.keys}}");
  CHECK(!find_named(at_path(outer, "arguments.artifacts"),
                    "pipelinechannel--for-loop-2-out-loop-item"));
  const Value& limited = tmpl(doc, str(outer, "template"));
  CHECK(str(limited, "parallelism") == "1");
  const Value& inner = named(get(limited, "dag.tasks"), "for-loop-3");
  CHECK(str(inner, "withParam") == "{{inputs.parameters.kfpp-items}}");
  CHECK(str(named(get(inner, "arguments.artifacts"), "pipelinechannel--for-loop-2-out-loop-item"),
            "s3.key") == std::string(kPrefix) + "/{{item}}");
}

TEST_CASE("Argo form: a limited loop over a group's own list input takes the prefix as input") {
  // The limit's DAG does not see the group's inputs that the item's key reads: the prefix goes
  // into it as its input `kfpp-prefix`.
  const Value doc = argo_of(lists_file(
      loop_over_list_body("datasets") + R"(  comp-each:
    dag:
      tasks:
        for-loop-3:
          artifactIterator:
            itemInput: pipelinechannel--datasets-loop-item
            items:
              inputArtifact: pipelinechannel--datasets
          componentRef:
            name: comp-for-loop-3
          inputs:
            artifacts:
              pipelinechannel--datasets:
                componentInputArtifact: datasets
          iteratorPolicy:
            parallelismLimit: 2
          taskInfo:
            name: for-loop-3
    inputDefinitions:
)" + artifact_def("datasets", "system.Dataset", true),
      std::string(kRootLoop) +
          reading_task("each", "each", "datasets", "for-loop-2", "pipelinechannel--double-out")));
  const Value& outer = task(doc, "each", "for-loop-3");
  CHECK(given(outer, "kfpp-prefix") == "{{inputs.parameters.datasets-key}}");
  CHECK(given(outer, "kfpp-items") == "{{tasks.kfpp-keys-for-loop-3.outputs.parameters.keys}}");
  const Value& limited = tmpl(doc, str(outer, "template"));
  CHECK(str(limited, "parallelism") == "2");
  CHECK(find_named(at_path(limited, "inputs.parameters"), "kfpp-prefix"));
  const Value& inner = named(get(limited, "dag.tasks"), "for-loop-3");
  CHECK(str(named(get(inner, "arguments.artifacts"), "pipelinechannel--datasets-loop-item"),
            "s3.key") == "{{inputs.parameters.kfpp-prefix}}/{{item}}");
  // The keys are listed from the same prefix.
  CHECK(given(task(doc, "each", "kfpp-keys-for-loop-3"), "key") ==
        "{{inputs.parameters.datasets-key}}");
}
