// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <filesystem>
#include <kfpp/kfpp.hpp>

#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::in;
using kfpp::test::at_path;
using kfpp::test::contains;

namespace {

// A KFP v1 component.yaml, in the form component authors wrote them.
const char* const kV1 = R"(name: Train model
description: Trains a model on a dataset.
inputs:
- {name: data, type: Dataset}
- {name: epochs, type: Integer, default: '10'}
- {name: learning rate, type: Float}
- {name: tag, type: String, optional: true}
outputs:
- {name: model, type: Model}
- {name: accuracy, type: Float}
implementation:
  container:
    image: trainer:1.4
    command: [python3, /app/train.py]
    args:
    - --data
    - {inputPath: data}
    - {concat: [--epochs=, {inputValue: epochs}]}
    - --lr
    - {inputValue: learning rate}
    - if:
        cond: {isPresent: tag}
        then: [--tag, {inputValue: tag}]
    - --model
    - {outputPath: model}
    - --accuracy
    - {outputPath: accuracy}
    env: {PYTHONUNBUFFERED: '1'}
)";

using Prep = kfpp::Component<kfpp::Ports<>, kfpp::Ports<kfpp::Port<"data", kfpp::Dataset>>>;

Prep prep_component() {
  return Prep::container("prep")
      .image("alpine:3.19")
      .command("sh", "-c", "echo rows > $0", kfpp::path_of<"data">);
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kfpp::DefinitionError& e) {
    return e.code();
  }
  return "no error";
}

}  // namespace

TEST_CASE("Component files: a v1 component.yaml loads with typed ports and placeholders") {
  auto train = kfpp::load_component_text(kV1, "train.yaml");
  CHECK(train.name() == "Train model");
  REQUIRE(train.inputs().find_artifact("data"));
  CHECK(train.inputs().find_artifact("data")->type.schema_title == "system.Dataset");
  REQUIRE(train.inputs().find_parameter("epochs"));
  CHECK(train.inputs().find_parameter("epochs")->type == kfpp::ir::ParameterType::number_integer);
  CHECK(*train.inputs().find_parameter("epochs")->default_value == kfpp::ir::Value(10));
  CHECK(train.inputs().find_parameter("learning_rate")->type ==
        kfpp::ir::ParameterType::number_double);
  CHECK(train.inputs().find_parameter("tag")->is_optional);
  CHECK(train.outputs().find_artifact("model")->type.schema_title == "system.Model");
  CHECK(train.outputs().find_parameter("accuracy")->type == kfpp::ir::ParameterType::number_double);

  kfpp::Pipeline p("train-pipeline");
  auto data = p.add(prep_component());
  auto lr = p.param<double>("lr", 0.01);
  auto t = p.add(train, {{"data", data.output()}, {"learning_rate", lr}});
  t.cpu_limit("2").accelerator("nvidia.com/gpu", 1);
  p.output("accuracy", t.output<double>("accuracy"));
  auto doc = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto* args = at_path(doc, "deploymentSpec.executors.exec-train-model.container.args");
  REQUIRE(args);
  const auto& a = args->as_array();
  REQUIRE(a.size() == 10);
  CHECK(a[1] == kfpp::ir::Value("{{$.inputs.artifacts['data'].path}}"));
  CHECK(a[2] ==
        kfpp::ir::Value(R"({"Concat": ["--epochs=", "{{$.inputs.parameters['epochs']}}"]})"));
  CHECK(a[4] == kfpp::ir::Value("{{$.inputs.parameters['learning_rate']}}"));
  CHECK(
      a[5] ==
      kfpp::ir::Value(
          R"({"IfPresent": {"InputName": "tag", "Then": ["--tag", "{{$.inputs.parameters['tag']}}"]}})"));
  CHECK(a[7] == kfpp::ir::Value("{{$.outputs.artifacts['model'].path}}"));
  CHECK(a[9] == kfpp::ir::Value("{{$.outputs.parameters['accuracy'].output_file}}"));
  CHECK(*at_path(doc,
                 "root.dag.tasks.train-model.inputs.artifacts.data.taskOutputArtifact."
                 "producerTask") == kfpp::ir::Value("prep"));
  CHECK(*at_path(doc,
                 "deploymentSpec.executors.exec-train-model.container.resources."
                 "accelerator.resourceType") == kfpp::ir::Value("nvidia.com/gpu"));
}

TEST_CASE("Component files: wiring a loaded component is checked when the task is added") {
  auto train = kfpp::load_component_text(kV1, "train.yaml");
  kfpp::Pipeline p("checks");
  auto data = p.add(prep_component());
  auto name = p.param<std::string>("name");
  CHECK(code_of([&] {
          p.add(train, {{"data", data.output()}, {"learning_rat", 0.1}});
        }) == "kfpp.unknown_port");
  CHECK(code_of([&] {
          p.add(train, {{"data", data.output()}, {"learning_rate", name}});
        }) == "kfpp.type_mismatch");
  CHECK(code_of([&] {
          p.add(train, {{"data", data.output()}, {"learning_rate", "fast"}});
        }) == "kfpp.type_mismatch");
  CHECK(code_of([&] {
          p.add(train, {{"data", name}, {"learning_rate", 0.1}});
        }) == "kfpp.type_mismatch");
  CHECK(code_of([&] { p.add(train, {{"learning_rate", 0.1}}); }) == "kfpp.missing_input");
  CHECK(code_of([&] {
          p.add(train, {{"data", data.output()}, {"learning_rate", 1}, {"learning_rate", 2}});
        }) == "kfpp.duplicate_name");
  auto ok = p.add(train, {{"data", data.output()}, {"learning_rate", 1}});
  CHECK(code_of([&] { (void)ok.output<std::string>("accuracy"); }) == "kfpp.type_mismatch");
  CHECK(code_of([&] { (void)ok.output<double>("acc"); }) == "kfpp.unknown_port");
  CHECK(code_of([&] { (void)ok.output<kfpp::Model>("model"); }) == "no error");
}

TEST_CASE("Component files: a saved component loads back and compiles to the same pipeline") {
  auto add =
      kfpp::Component<kfpp::Ports<kfpp::Port<"num1", int>, kfpp::Port<"num2", int>>, int>::python(
          "addition_component",
          "def addition_component(num1: int, num2: int) -> "
          "int:\n    return num1 + num2\n");
  const auto dir = std::filesystem::temp_directory_path() / "kfpp-component-test";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "add.yaml").string();
  kfpp::save_component(add, file);
  auto loaded = kfpp::load_component(file);
  CHECK(loaded.name() == "addition-component");

  auto build = [](auto wire) {
    kfpp::Pipeline p("sum");
    auto a = p.param<int>("a");
    wire(p, a);
    return kfpp::compile(p);
  };
  const std::string typed = build([&](kfpp::Pipeline& p, kfpp::Channel<int> a) {
    auto first = p.add(add, in<"num1"> = a, in<"num2"> = 2);
    p.add(add, in<"num1"> = first.output(), in<"num2"> = 3);
  });
  const std::string from_file = build([&](kfpp::Pipeline& p, kfpp::Channel<int> a) {
    auto first = p.add(loaded, {{"num1", a}, {"num2", 2}});
    p.add(loaded, {{"num1", first.output<int>("Output")}, {"num2", 3}});
  });
  CHECK(from_file == typed);

  // v1 in, v2 out: the saved file is a valid KFP IR component.
  kfpp::save_component(kfpp::load_component_text(kV1, "train.yaml"), file);
  auto ir = kfpp::ir::read_pipeline_file(file);
  CHECK(kfpp::ir::check(ir).empty());
  CHECK(ir.name == "train-model");
  std::filesystem::remove_all(dir);
}

TEST_CASE("Component files: errors name the file, line and key") {
  std::string bad = kV1;
  bad.replace(bad.find("{inputValue: epochs}"), 20, "{inputValue: epoch}");
  try {
    (void)kfpp::load_component_text(bad, "train.yaml");
    FAIL("no error");
  } catch (const kfpp::ParseError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.code() == "kfpp.unknown_port");
    CHECK(e.path() == "train.yaml:18:41 implementation.container.args[2].concat[1].inputValue");
  }
  std::string odd = kV1;
  odd.replace(odd.find("{outputPath: model}"), 19, "{outputPaths: model}");
  try {
    (void)kfpp::load_component_text(odd, "train.yaml");
    FAIL("no error");
  } catch (const kfpp::ParseError& e) {
    CHECK(e.code() == "kfpp.bad_placeholder");
  }
  CHECK_THROWS_AS(kfpp::load_component("/nonexistent/c.yaml"), kfpp::ParseError);
}
