// SPDX-License-Identifier: Apache-2.0
// Text made from channels (`kfpp::format`, the SDK's f-strings) and importer metadata that reads
// channels: the IR they lower to and the rules they break.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "examples.hpp"
#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;
using kfpp::test::contains;
using kfpp::test::definition_error;

namespace {

using Echo = Component<Ports<Port<"msg", std::string>>, std::string>;

Echo echo() {
  return Echo::container("echo")
      .image("alpine:3.19")
      .command("echo")
      .args(kfpp::value_of<"msg">, kfpp::path_of<"Output">);
}

const kfpp::ir::ParameterBinding& input(const kfpp::ir::Task& t, const std::string& name) {
  const auto* b = t.find_parameter(name);
  REQUIRE(b != nullptr);
  return *b;
}

const kfpp::ir::Task& task(const kfpp::ir::Dag& dag, const std::string& name) {
  for (const auto& t : dag.tasks)
    if (t.name == name) return t;
  FAIL("no task " + name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("Format: constants are written into the text, channels become inputs of their own") {
  kfpp::Pipeline p("fmt");
  auto bucket = p.param<std::string>("bucket");
  auto epochs = p.param<int>("epochs", 3);
  // As the SDK writes f"gs://{bucket}/{{x}}/{epochs}-{3}-{0.5}-{run}": a constant integer or
  // float is written as Python's str() writes it, `{{`/`}}` stand for one brace, and each channel
  // reads an input named `pipelinechannel--<channel>`.
  auto t = p.add(echo(), in<"msg"> = kfpp::format("gs://{}/{{x}}/{}-{}-{}-{}", bucket, epochs, 3,
                                                  0.5, kfpp::pipeline_job_name));
  (void)t;
  auto ir = p.ir();
  const auto& echo_task = ir.root.dag->tasks.front();
  CHECK(input(echo_task, "msg").constant.as_string() ==
        "gs://{{$.inputs.parameters['pipelinechannel--bucket']}}/{x}/"
        "{{$.inputs.parameters['pipelinechannel--epochs']}}-3-0.5-{{$.pipeline_job_name}}");
  CHECK(input(echo_task, "pipelinechannel--bucket").kind ==
        kfpp::ir::ParameterBinding::Kind::component_input);
  CHECK(input(echo_task, "pipelinechannel--bucket").source == "bucket");
  CHECK(input(echo_task, "pipelinechannel--epochs").source == "epochs");
  // The extra inputs are the task's, not the component's.
  CHECK(ir.find_component("comp-echo")->inputs.parameters.size() == 1);
}

TEST_CASE("Format: a channel used twice is one input, and a template of constants is a constant") {
  kfpp::Pipeline p("fmt");
  auto a = p.param<std::string>("a");
  p.add(echo(), in<"msg"> = kfpp::format("{}/{}", a, a));
  p.add(echo(), in<"msg"> = kfpp::format("plain {}", "text"));
  auto ir = p.ir();
  const auto& first = task(*ir.root.dag, "echo");
  CHECK(first.parameters.size() == 2);
  CHECK(input(first, "msg").constant.as_string() ==
        "{{$.inputs.parameters['pipelinechannel--a']}}/"
        "{{$.inputs.parameters['pipelinechannel--a']}}");
  const auto& second = task(*ir.root.dag, "echo-2");
  CHECK(second.parameters.size() == 1);
  CHECK(input(second, "msg").constant.as_string() == "plain text");
}

TEST_CASE("Format: a task output read inside a condition crosses the group as an input") {
  auto produce = Component<Ports<>, std::string>::container("produce").image("alpine");
  kfpp::Pipeline p("fmt");
  auto flag = p.param<bool>("flag");
  auto made = p.add(produce).output();
  kfpp::If(p, flag == true, [&] { p.add(echo(), in<"msg"> = kfpp::format("got {}", made)); });
  auto ir = p.ir();
  const auto* cond = ir.find_component("comp-condition-1");
  REQUIRE(cond != nullptr);
  CHECK(cond->inputs.find_parameter("pipelinechannel--produce-Output") != nullptr);
  const auto& inner = cond->dag->tasks.front();
  CHECK(input(inner, "pipelinechannel--produce-Output").source ==
        "pipelinechannel--produce-Output");
  CHECK(task(*ir.root.dag, "condition-1").dependent_tasks == std::vector<std::string>{"produce"});
}

TEST_CASE("Format: a template reading a field of a struct item is a definition error") {
  kfpp::Pipeline p("fmt");
  std::vector<kfpp::Json> items{kfpp::Json::object({{"lr", 0.1}})};
  auto e = definition_error([&] {
    kfpp::ParallelFor(p, items, [&](kfpp::Channel<kfpp::Json> item) {
      p.add(echo(), in<"msg"> = kfpp::format("lr={}", item.field<double>("lr")));
    });
  });
  CHECK(e.code() == "kfpp.unsupported");
  CHECK(e.path() == "fmt/echo/inputs/msg");
  CHECK(contains(e.what(), "field 'lr' of a loop item"));
  CHECK(contains(e.what(), "pass the field to an input of its own"));
}

TEST_CASE("Format: a template reading a OneOf is a definition error") {
  auto produce = Component<Ports<>, std::string>::container("produce").image("alpine");
  kfpp::Pipeline p("fmt");
  auto flag = p.param<bool>("flag");
  kfpp::Channel<std::string> a;
  kfpp::Channel<std::string> b;
  kfpp::If(p, flag == true, [&] { a = p.add(produce).output(); }).Else([&] {
    b = p.add(produce).output();
  });
  auto either = kfpp::OneOf(a, b);
  auto e = definition_error([&] { p.add(echo(), in<"msg"> = kfpp::format("got {}", either)); });
  CHECK(e.code() == "kfpp.unsupported");
  CHECK(contains(e.what(), "reads a OneOf(...)"));
}

TEST_CASE("Format: a template reading a value of another pipeline is a definition error") {
  kfpp::Pipeline a("first");
  kfpp::Pipeline b("second");
  auto x = a.param<std::string>("x");
  auto e = definition_error([&] { b.add(echo(), in<"msg"> = kfpp::format("<{}>", x)); });
  CHECK(e.code() == "kfpp.foreign_value");
  CHECK(e.path() == "second/echo/inputs/msg");
}

TEST_CASE("Format: a template's input that collides with a component input is reported") {
  // The SDK refuses the same collision (its compiler raises 'Name collision').
  auto odd = Component<Ports<Port<"msg", std::string>,
                             Port<"pipelinechannel--a", std::string>>>::container("odd")
                 .image("alpine");
  kfpp::Pipeline p("fmt");
  auto a = p.param<std::string>("a");
  p.add(odd, in<"msg"> = kfpp::format("{}", a), in<"pipelinechannel--a"> = "x");
  try {
    (void)p.ir();
    FAIL("no ValidationError");
  } catch (const kfpp::ValidationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "kfpp.duplicate_name");
    CHECK(e.diagnostics()[0].path == "fmt/odd/inputs/msg");
    CHECK(contains(e.diagnostics()[0].message, "input 'pipelinechannel--a'"));
  }
}

TEST_CASE("Format: a template given to a loaded component's non-text input is a definition error") {
  auto loaded = kfpp::load_component_text(R"(name: Train
inputs:
- {name: epochs, type: Integer}
- {name: tag, type: String}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: epochs}, {inputValue: tag}]
)",
                                          "train.yaml");
  kfpp::Pipeline p("fmt");
  auto a = p.param<std::string>("a");
  auto e = definition_error([&] {
    p.add(loaded, {{"epochs", kfpp::format("{}", a)}, {"tag", "x"}});
  });
  CHECK(e.code() == "kfpp.type_mismatch");
  CHECK(contains(e.what(), "NUMBER_INTEGER parameter but the value is a template"));
  auto t = p.add(loaded, {{"epochs", 1}, {"tag", kfpp::format("v-{}", a)}});
  (void)t;
  auto ir = p.ir();
  const auto& train = ir.root.dag->tasks.back();
  CHECK(input(train, "tag").constant.as_string() ==
        "v-{{$.inputs.parameters['pipelinechannel--a']}}");
}

TEST_CASE("Importer: a template URI reads its channels as inputs, as the SDK's f-string does") {
  kfpp::Pipeline p("imp");
  auto bucket = p.param<std::string>("bucket");
  auto run = p.param<std::string>("run");
  p.importer<kfpp::Dataset>(kfpp::format("gs://{}/{}/x", bucket, run));
  auto ir = p.ir();
  const auto& t = ir.root.dag->tasks.front();
  CHECK(input(t, "uri").constant.as_string() ==
        "gs://{{$.inputs.parameters['pipelinechannel--bucket']}}/"
        "{{$.inputs.parameters['pipelinechannel--run']}}/x");
  CHECK(input(t, "pipelinechannel--bucket").source == "bucket");
  CHECK(ir.executors.front().importer->uri_parameter == "uri");
}

TEST_CASE("Importer: metadata keys must be text or channels, and metadata must be an object") {
  kfpp::Pipeline p("imp");
  auto n = p.param<int>("n");
  auto key = definition_error([&] {
    p.importer<kfpp::Dataset>("gs://b/x", {.metadata = kfpp::JsonTemplate::object({{1, n}})});
  });
  CHECK(key.code() == "kfpp.invalid_value");
  CHECK(key.path() == "imp/importer/metadata");
  CHECK(contains(key.what(), "a key of the importer metadata is not text"));
  auto list = definition_error(
      [&] { p.importer<kfpp::Dataset>("gs://b/x", {.metadata = kfpp::JsonTemplate::array({n})}); });
  CHECK(list.code() == "kfpp.invalid_value");
  CHECK(contains(list.what(), "importer metadata must be an object"));
}

TEST_CASE("Importer: a metadata channel of another pipeline is a definition error") {
  kfpp::Pipeline a("first");
  kfpp::Pipeline b("second");
  auto x = a.param<std::string>("x");
  auto e = definition_error([&] {
    b.importer<kfpp::Dataset>("gs://b/x", {.metadata = kfpp::JsonTemplate::object({{"k", x}})});
  });
  CHECK(e.code() == "kfpp.foreign_value");
}

TEST_CASE("Format: the Argo target reads a template's channels by reference") {
  auto produce = Component<Ports<>, std::string>::container("produce").image("alpine");
  kfpp::Pipeline p("fmt");
  auto bucket = p.param<std::string>("bucket");
  auto made = p.add(produce).output();
  p.add(echo(), in<"msg"> = kfpp::format("gs://{}/{}", bucket, made));
  const std::string argo = kfpp::compile_argo(p.ir(), {});
  CHECK(contains(argo, "gs://{{workflow.parameters.bucket}}/{{tasks.produce.outputs.parameters"));
  CHECK(!contains(argo, "{{$.inputs.parameters"));
}

TEST_CASE("Format: under Argo shard_report loops over the keys of the artifacts it collected") {
  // The loop over the nested pipeline's collected shards: a step lists the shards' keys, and
  // the loop runs once per key, after both the producer and that step.
  const std::string argo = kfpp::compile_argo(shard_report().ir(), {});
  CHECK(contains(argo, "- name: kfpp-keys-for-loop-1"));
  CHECK(contains(argo, "depends: 'write-shards && kfpp-keys-for-loop-1'"));
  CHECK(contains(argo, "withParam: '{{tasks.kfpp-keys-for-loop-1.outputs.parameters.keys}}'"));
  CHECK(!contains(argo, "{{$.inputs"));
}

TEST_CASE("Format: under Argo an importer's template URI is read at run time with its scheme") {
  kfpp::Pipeline p("imp");
  auto bucket = p.param<std::string>("bucket");
  p.importer<kfpp::Dataset>(kfpp::format("gs://{}/data.csv", bucket));
  const std::string argo = kfpp::compile_argo(p.ir(), {});
  CHECK(contains(argo, "gcs:"));
  CHECK(contains(argo, "gs://{{workflow.parameters.bucket}}/data.csv"));
  CHECK(!contains(argo, "{{$.inputs.parameters"));
}

TEST_CASE("Format: under Argo importer metadata read at run time takes the template's inputs") {
  kfpp::Pipeline p("imp");
  auto owner = p.param<std::string>("owner");
  p.importer<kfpp::Dataset>("gs://b/x",
                            {.metadata = kfpp::JsonTemplate::object(
                                 {{"owner", owner}, {"label", kfpp::format("{}-source", owner)}})});
  const auto docs = kfpp::test::load_all(kfpp::compile_argo(p.ir(), {}));
  const auto& obj = [](const kfpp::ir::Value& v, const char* k) -> const kfpp::ir::Value& {
    return v.as_object().at(k);
  };
  const kfpp::ir::Value* importer = nullptr;
  const kfpp::ir::Value* dag = nullptr;
  for (const auto& t : obj(obj(docs.at(0), "spec"), "templates").as_array()) {
    if (obj(t, "name").as_string() == "importer") importer = &t;
    if (t.as_object().count("dag")) dag = &t;
  }
  REQUIRE(importer);
  REQUIRE(dag);
  // The task passes the pipeline parameter to the template's one metadata input ...
  const auto& task = obj(obj(*dag, "dag"), "tasks").as_array().at(0);
  const auto& args = obj(obj(task, "arguments"), "parameters").as_array();
  REQUIRE(args.size() == 1);
  CHECK(obj(args[0], "name").as_string() == "metadata");
  CHECK(obj(args[0], "value").as_string() == "{{workflow.parameters.owner}}");
  const auto& declared = obj(obj(*importer, "inputs"), "parameters").as_array();
  REQUIRE(declared.size() == 1);
  CHECK(obj(declared[0], "name").as_string() == "metadata");
  // ... and the metadata output is the JSON with Argo's variable where KFP's placeholder was.
  const auto& out = obj(obj(*importer, "outputs"), "parameters").as_array().at(0);
  CHECK(obj(out, "name").as_string() == "artifact-metadata");
  CHECK(
      obj(out, "value").as_string() ==
      R"({"label": "{{inputs.parameters.metadata}}-source", "owner": "{{inputs.parameters.metadata}}"})");
}
