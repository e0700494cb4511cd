// SPDX-License-Identifier: Apache-2.0
// The Argo forms of pipeline input artifacts and of artifact metadata, which Argo has no direct
// counterpart for: the key a caller gives, and the metadata a producer writes carried beside its
// artifact as a parameter, to consumers, through groups, loops and OneOf. The IR is written here
// in the shape the SDK writes (see the files of ../shared/conformance/kfp-sdk each test names).
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "argo_fixtures.hpp"
#include "compiler/argo_launcher.hpp"
#include "ir/json_parse.hpp"

using namespace kfpp::test;

namespace {

// An input definition of one Dataset `data`.
const std::string kDataset = artifact_def("data", "system.Dataset");

}  // namespace

TEST_CASE("Argo form: a pipeline input artifact is a key in the artifact repository") {
  // input_artifact.yaml: the root has an input artifact `data` that its task reads.
  const std::string file = ir_file(
      "input-artifact",
      {container("show", kDataset, "",
                 "      container:\n        image: alpine\n        command:\n        - cat\n"
                 "        - '{{$.inputs.artifacts[''data''].path}}'\n")},
      "  dag:\n    tasks:\n      show:\n        componentRef:\n          name: comp-show\n"
      "        inputs:\n          artifacts:\n            data:\n"
      "              componentInputArtifact: data\n        taskInfo:\n          name: show\n"
      "  inputDefinitions:\n" +
          kDataset);
  const Value doc = argo_of(file);
  // A parameter the caller gives with `-p data-key=…`; no value, so submitting without fails.
  const Value& param = named(get(doc, "spec.arguments.parameters"), "data-key");
  CHECK(!at_path(param, "value"));
  // The task's argument is a key-only artifact: the controller fills in the repository.
  const Value& art = named(get(task(doc, "input-artifact", "show"), "arguments.artifacts"), "data");
  CHECK(str(art, "s3.key") == "{{workflow.parameters.data-key}}");
  CHECK(!at_path(art, "from"));
  CHECK(str(named(get(tmpl(doc, "show"), "inputs.artifacts"), "data"), "path") ==
        "/tmp/kfpp/inputs/data");
  CHECK(strings(get(tmpl(doc, "show"), "container.command")) ==
        std::vector<std::string>{"cat", "/tmp/kfpp/inputs/data"});

  kfpp::ArgoOptions gcs;
  gcs.collected_artifact_store = "gcs";
  const Value on_gcs = argo_of(file, gcs);
  CHECK(str(named(get(task(on_gcs, "input-artifact", "show"), "arguments.artifacts"), "data"),
            "gcs.key") == "{{workflow.parameters.data-key}}");
}

TEST_CASE("Argo form: a pipeline input artifact passed into a group") {
  const std::string group =
      "  comp-inner:\n    dag:\n      tasks:\n        show:\n          componentRef:\n"
      "            name: comp-show\n          inputs:\n            artifacts:\n"
      "              data:\n                componentInputArtifact: data\n"
      "          taskInfo:\n            name: show\n    inputDefinitions:\n" +
      kDataset;
  const std::string file = ir_file(
      "outer",
      {group, container("show", kDataset, "",
                        "      container:\n        image: alpine\n        command:\n"
                        "        - cat\n        - '{{$.inputs.artifacts[''data''].path}}'\n")},
      "  dag:\n    tasks:\n      inner:\n        componentRef:\n          name: comp-inner\n"
      "        inputs:\n          artifacts:\n            data:\n"
      "              componentInputArtifact: data\n        taskInfo:\n          name: inner\n"
      "  inputDefinitions:\n" +
          kDataset);
  const Value doc = argo_of(file);
  CHECK(str(named(get(task(doc, "outer", "inner"), "arguments.artifacts"), "data"), "s3.key") ==
        "{{workflow.parameters.data-key}}");
  // Inside the group, the artifact is the group's input as usual.
  CHECK(str(named(get(task(doc, "inner", "show"), "arguments.artifacts"), "data"), "from") ==
        "{{inputs.artifacts.data}}");
}

TEST_CASE("Argo form: artifact metadata placeholders read the empty metadata") {
  // container_with_artifact_output.yaml passes `{{$.outputs.artifacts['model'].metadata}}`. The
  // producer reads no `{{$}}`, so it writes no executor output: its artifact has no metadata.
  const std::string file = ir_file(
      "meta",
      {container("train", "", artifact_def("model", "system.Model"),
                 "      container:\n        image: alpine\n        command:\n        - sh\n"
                 "        - run.sh\n        args:\n"
                 "        - '{{$.outputs.artifacts[''model''].metadata}}'\n"
                 "        - '{{$.outputs.artifacts[''model''].uri}}'\n"),
       container("use", artifact_def("data", "system.Model"), "",
                 "      container:\n        image: alpine\n        command:\n        - echo\n"
                 "        - '{{$.inputs.artifacts[''data''].metadata}}'\n")},
      "  dag:\n    tasks:\n      train:\n        componentRef:\n          name: comp-train\n"
      "        taskInfo:\n          name: train\n      use:\n        componentRef:\n"
      "          name: comp-use\n        inputs:\n          artifacts:\n            data:\n"
      "              taskOutputArtifact:\n                outputArtifactKey: model\n"
      "                producerTask: train\n        taskInfo:\n          name: use\n");
  const Value doc = argo_of(file);
  CHECK(strings(get(tmpl(doc, "train"), "container.args")) ==
        std::vector<std::string>{"{}", "/tmp/kfpp/outputs/model"});
  CHECK(strings(get(tmpl(doc, "use"), "container.command")) ==
        std::vector<std::string>{"echo", "{}"});
}

namespace {

using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

// A Python producer setting its output's metadata, as a Python function sets it.
Component<Ports<>, Ports<Port<"data", Dataset>>> metadata_producer() {
  return Component<Ports<>, Ports<Port<"data", Dataset>>>::python(
      "describe", "def describe(data: Output[Dataset]):\n    data.metadata['rows'] = 3\n");
}

// A container that echoes what it is given (`args`).
template <class... A>
Component<Ports<Port<"data", Dataset>>> echo(const std::string& name, A... args) {
  return Component<Ports<Port<"data", Dataset>>>::container(name)
      .image("alpine")
      .command("echo")
      .args(args...);
}

}  // namespace

TEST_CASE("Argo form: a consumer reads the metadata its producer wrote, as a parameter") {
  kfpp::Pipeline p("meta");
  auto made = p.add(metadata_producer());
  p.add(echo("placeholder", kfpp::metadata_of<"data">), in<"data"> = made.output());
  p.add(echo("whole", kfpp::executor_input), in<"data"> = made.output());
  const Value doc = workflow(p);
  // The producer: its launcher reports the metadata in the executor output, split into one
  // file per artifact, exported as `<artifact>-metadata` with `{}` when the file is missing.
  const Value& producer = tmpl(doc, "describe");
  const Value& out = named(get(producer, "outputs.parameters"), "data-metadata");
  CHECK(str(out, "valueFrom.path") == "/tmp/kfpp/outputs/data-metadata");
  CHECK(str(out, "valueFrom.default") == "{}");
  const std::string script = str(producer, "container.command.2");
  CHECK(script.find("\"$@\" --executor-output '/tmp/kfpp/outputs/executor_output.json'\n") !=
        std::string::npos);
  CHECK(script.find(
            "\nexec " +
            kfpp::detail::metadata_split_command("/tmp/kfpp/outputs/executor_output.json",
                                                 {{"data", "/tmp/kfpp/outputs/data-metadata"}}) +
            "\n") != std::string::npos);
  // Each consumer takes it from the producer's parameter, as a template input.
  for (const char* consumer : {"placeholder", "whole"}) {
    INFO(consumer);
    CHECK(str(named(get(task(doc, "meta", consumer), "arguments.parameters"), "data-metadata"),
              "value") == "{{tasks.describe.outputs.parameters.data-metadata}}");
    CHECK(find_named(at_path(tmpl(doc, consumer), "inputs.parameters"), "data-metadata"));
  }
  CHECK(strings(get(tmpl(doc, "placeholder"), "container.args")) ==
        std::vector<std::string>{"{{inputs.parameters.data-metadata}}"});
  // In `{{$}}` the metadata is the parameter's text (JSON): with a value in its place, the
  // document is KFP's executor input holding that metadata.
  std::string whole = str(tmpl(doc, "whole"), "container.args.0");
  const std::string var = "{{inputs.parameters.data-metadata}}";
  const std::size_t at = whole.find(var);
  REQUIRE(at != std::string::npos);
  whole.replace(at, var.size(), "{\"rows\": 3}");
  const std::optional<Value> ei = kfpp::detail::parse_json(whole, nullptr);
  REQUIRE(ei);
  CHECK(str(*ei, "inputs.artifacts.data.artifacts.0.metadata.rows") == "3");
}

TEST_CASE("Argo form: a Python consumer gets its input's metadata from the launcher") {
  kfpp::Pipeline p("meta");
  auto made = p.add(metadata_producer());
  p.add(Component<Ports<Port<"data", Dataset>>>::python(
            "show", "def show(data: Input[Dataset]):\n    print(data.metadata)\n"),
        in<"data"> = made.output());
  const std::vector<std::string> args = strings(get(tmpl(workflow(p), "show"), "container.args"));
  CHECK(args == std::vector<std::string>{"--function", "show", "--artifact", "data",
                                         "/tmp/kfpp/inputs/data", "--artifact-metadata", "data",
                                         "{{inputs.parameters.data-metadata}}"});
}

TEST_CASE("Argo form: a group carries an artifact's metadata beside it") {
  // In through the group's input (nested pipeline), out through its output.
  kfpp::Pipeline inner("inner");
  auto data = inner.param<Dataset>("data");
  inner.add(echo("use", kfpp::metadata_of<"data">), in<"data"> = data);
  auto made = inner.add(metadata_producer());
  inner.output("made", made.output());
  using Inner = Component<Ports<Port<"data", Dataset>>, Ports<Port<"made", Dataset>>>;
  kfpp::Pipeline p("meta");
  auto first = p.add(metadata_producer());
  auto group = p.add(Inner::pipeline(inner), in<"data"> = first.output());
  p.add(echo("after", kfpp::metadata_of<"data">), in<"data"> = group.output<"made">());
  const Value doc = workflow(p);
  const Value& g = tmpl(doc, "inner");
  CHECK(find_named(at_path(g, "inputs.parameters"), "data-metadata"));
  CHECK(str(named(get(task(doc, "inner", "use"), "arguments.parameters"), "data-metadata"),
            "value") == "{{inputs.parameters.data-metadata}}");
  CHECK(str(named(get(task(doc, "meta", "inner"), "arguments.parameters"), "data-metadata"),
            "value") == "{{tasks.describe.outputs.parameters.data-metadata}}");
  CHECK(str(named(get(g, "outputs.parameters"), "made-metadata"), "valueFrom.parameter") ==
        "{{tasks.describe.outputs.parameters.data-metadata}}");
  CHECK(str(named(get(task(doc, "meta", "after"), "arguments.parameters"), "data-metadata"),
            "value") == "{{tasks.inner.outputs.parameters.made-metadata}}");
}

TEST_CASE("Argo form: a loop body reads the metadata of an artifact made outside it") {
  // Through the parallelism limit's DAG too: the parameter goes where the artifact goes (the
  // body's input `pipelinechannel--describe-data`, as the SDK names it).
  kfpp::Pipeline p("meta");
  auto made = p.add(metadata_producer());
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, {.parallelism = 1}, [&](kfpp::Channel<int>) {
    p.add(echo("use", kfpp::metadata_of<"data">), in<"data"> = made.output());
  });
  const Value doc = workflow(p);
  const Value* found = nullptr;
  for (const auto& t : get(tmpl(doc, "meta"), "dag.tasks").as_array())
    if (str(t, "name").rfind("for-loop-", 0) == 0) found = &t;
  REQUIRE(found);
  const Value& loop = *found;
  const std::string input = str(loop, "arguments.artifacts.0.name");
  const std::string param = input + "-metadata";
  CHECK(str(named(get(loop, "arguments.parameters"), param), "value") ==
        "{{tasks.describe.outputs.parameters.data-metadata}}");
  const Value& limited = tmpl(doc, str(loop, "template"));
  CHECK(find_named(at_path(limited, "inputs.parameters"), param));
  const Value& body = get(limited, "dag.tasks.0");
  CHECK(str(named(get(body, "arguments.parameters"), param), "value") ==
        "{{inputs.parameters." + param + "}}");
  const Value& inner = tmpl(doc, str(body, "template"));
  CHECK(find_named(at_path(inner, "inputs.parameters"), param));
  CHECK(str(named(get(inner, "dag.tasks"), "use"), "arguments.parameters.0.value") ==
        "{{inputs.parameters." + param + "}}");
}

TEST_CASE("Argo form: the metadata of a OneOf artifact is the one of the branch that ran") {
  auto flip = Component<Ports<>, std::string>::python(
      "flip_coin", "def flip_coin() -> str:\n    return 'heads'\n");
  kfpp::Pipeline p("meta");
  auto coin = p.add(flip).output();
  kfpp::Channel<Dataset> heads, tails;
  kfpp::If(p, coin == "heads", [&] { heads = p.add(metadata_producer()).output(); }).Else([&] {
    tails = p.add(metadata_producer()).output();
  });
  p.add(echo("use", kfpp::metadata_of<"data">), in<"data"> = kfpp::OneOf(heads, tails));
  const Value doc = workflow(p);
  // The group choosing the branch: its artifact output `from` the branch that succeeded, and
  // the metadata parameter beside it chosen the same way.
  const Value& use = task(doc, "meta", "use");
  const std::string group = str(use, "depends");
  const Value& artifact = get(use, "arguments.artifacts.0");
  const std::string from = str(artifact, "from");
  const std::string output = from.substr(from.rfind('.') + 1, from.size() - from.rfind('.') - 3);
  CHECK(str(named(get(use, "arguments.parameters"), "data-metadata"), "value") ==
        "{{tasks." + group + ".outputs.parameters." + output + "-metadata}}");
  const Value& outs = get(tmpl(doc, str(task(doc, "meta", group), "template")), "outputs");
  std::string expression = str(named(get(outs, "artifacts"), output), "fromExpression");
  INFO(expression);
  REQUIRE(expression.find("].status == 'Succeeded' ? tasks['") != std::string::npos);
  for (std::size_t at = expression.find(".outputs.artifacts['"); at != std::string::npos;
       at = expression.find(".outputs.artifacts['", at)) {
    expression.replace(at, 20, ".outputs.parameters['");
    at = expression.find("']", at);
    expression.insert(at, "-metadata");
  }
  CHECK(str(named(get(outs, "parameters"), output + "-metadata"), "valueFrom.expression") ==
        expression);
  CHECK(expression.find("-metadata']") != std::string::npos);
}

TEST_CASE("Argo form: an importer's metadata reaches the consumers that read it") {
  kfpp::Pipeline p("meta");
  auto data =
      p.importer<Dataset>("gs://bucket/data.csv", {.metadata = kfpp::Json::object({{"rows", 3}})});
  p.add(echo("use", kfpp::metadata_of<"data">), in<"data"> = data.output());
  const Value doc = workflow(p);
  CHECK(str(named(get(task(doc, "meta", "use"), "arguments.parameters"), "data-metadata"),
            "value") == "{{tasks.importer.outputs.parameters.artifact-metadata}}");
}

TEST_CASE("Argo form: metadata nobody gives or nobody reads adds nothing") {
  // A container writing no executor output, a pipeline input artifact: the consumer reads `{}`.
  kfpp::Pipeline p("meta");
  auto plain = p.add(Component<Ports<>, Ports<Port<"data", Dataset>>>::container("plain")
                         .image("alpine")
                         .command("touch")
                         .args(kfpp::path_of<"data">));
  auto given = p.param<Dataset>("given");
  p.add(echo("from-plain", kfpp::metadata_of<"data">), in<"data"> = plain.output());
  p.add(echo("from-input", kfpp::metadata_of<"data">), in<"data"> = given);
  // A Python producer setting metadata that its consumer does not read.
  auto made = p.add(metadata_producer());
  p.add(echo("path-only", kfpp::path_of<"data">), in<"data"> = made.output());
  const Value doc = workflow(p);
  for (const char* consumer : {"from-plain", "from-input"}) {
    INFO(consumer);
    CHECK(!at_path(task(doc, "meta", consumer), "arguments.parameters"));
    // Both read `{}`: one template serves them.
    const Value& t = tmpl(doc, str(task(doc, "meta", consumer), "template"));
    CHECK(strings(get(t, "container.args")) == std::vector<std::string>{"{}"});
    CHECK(!at_path(t, "inputs.parameters"));
  }
  CHECK(!at_path(tmpl(doc, "describe"), "outputs.parameters"));
  CHECK(str(tmpl(doc, "describe"), "container.command.2").find("--executor-output") ==
        std::string::npos);
}
