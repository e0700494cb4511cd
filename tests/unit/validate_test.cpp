// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"

using kfpp::ir::ParameterBinding;
using kfpp::ir::ParameterType;
using kfpp::test::contains;
using kfpp::test::two_task_pipeline;
using kfpp::test::with_code;

TEST_CASE("Validation: the sample pipeline is clean") {
  CHECK(kfpp::ir::check(two_task_pipeline()).empty());
  CHECK_NOTHROW(kfpp::ir::validate(two_task_pipeline()));
}

TEST_CASE("Validation: a cycle is reported with the whole cycle") {
  auto p = two_task_pipeline();
  auto& tasks = p.root.dag->tasks;
  kfpp::ir::Task c = tasks[1];
  c.name = "third";
  c.dependent_tasks = {"consumer"};
  c.parameters[0] = {"text", ParameterBinding::Kind::constant, "x", {}, {}};
  tasks.push_back(c);
  tasks[0].dependent_tasks = {"third"};  // producer waits for third, which waits for consumer
  auto found = with_code(p, "kfpp.cycle");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "producer -> third -> consumer -> producer"));
  CHECK(found[0].path.rfind("demo/", 0) == 0);
  CHECK_THROWS_AS(kfpp::ir::validate(p), kfpp::ValidationError);
  CHECK_THROWS_AS(kfpp::ir::topological_order(*p.root.dag), kfpp::ValidationError);
}

TEST_CASE("Validation: a task waiting for itself is a cycle of one") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].dependent_tasks = {"producer"};
  auto found = with_code(p, "kfpp.cycle");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "producer -> producer"));
  CHECK(found[0].path == "demo/producer");
}

TEST_CASE("Validation: topological order puts producers first") {
  auto p = two_task_pipeline();
  std::swap(p.root.dag->tasks[0], p.root.dag->tasks[1]);
  auto order = kfpp::ir::topological_order(*p.root.dag);
  REQUIRE(order.size() == 2);
  CHECK(p.root.dag->tasks[order[0]].name == "producer");
  CHECK(p.root.dag->tasks[order[1]].name == "consumer");
}

TEST_CASE("Validation: a dependency on an unknown task is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[1].dependent_tasks.push_back("ghost");
  auto found = with_code(p, "kfpp.unknown_task");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/consumer/dependentTasks");
  CHECK(contains(found[0].message, "'ghost'"));
}

TEST_CASE("Validation: reading the output of an unknown producer is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[1].parameters[0].producer_task = "nobody";
  auto found = with_code(p, "kfpp.unknown_task");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/consumer/inputs/text");
  CHECK(contains(found[0].message, "'nobody'"));
}

TEST_CASE("Validation: an unknown component reference is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].component_ref = "comp-missing";
  auto found = with_code(p, "kfpp.unknown_component");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/componentRef");
  CHECK(contains(found[0].message, "comp-missing"));
}

TEST_CASE("Validation: an unknown executor label is reported") {
  auto p = two_task_pipeline();
  p.components[0].executor_label = "exec-missing";
  auto found = with_code(p, "kfpp.unknown_executor");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/components/comp-producer/executorLabel");
}

TEST_CASE("Validation: binding an input the component lacks is an unknown port") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters.push_back(
      {"volume", ParameterBinding::Kind::constant, 11, {}, {}});
  auto found = with_code(p, "kfpp.unknown_port");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/inputs/volume");
  CHECK(contains(found[0].message, "no input parameter 'volume'"));
}

TEST_CASE("Validation: reading an output the producer lacks is an unknown port") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[1].parameters[0].source = "result";
  auto found = with_code(p, "kfpp.unknown_port");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/consumer/inputs/text");
  CHECK(contains(found[0].message, "no output parameter 'result'"));
}

TEST_CASE("Validation: reading a pipeline parameter that does not exist is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters[0].source = "mesage";
  auto found = with_code(p, "kfpp.unknown_parameter");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/inputs/msg");
  CHECK(contains(found[0].message, "'mesage'"));
}

TEST_CASE("Validation: a required input left unbound is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters.clear();
  auto found = with_code(p, "kfpp.missing_input");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/inputs/msg");
  CHECK(contains(found[0].fix, "default"));
}

TEST_CASE("Validation: duplicate and missing inputs are found however many inputs a task has") {
  // A task's bound inputs are kept in a short list, and in a hash set past eight: check both
  // sides of that switch, and at it, and a set that grows past its first array.
  for (const std::size_t n : {1u, 7u, 8u, 9u, 60u}) {
    INFO(n << " inputs");
    auto p = two_task_pipeline();
    auto& comp = p.components[0];
    auto& task = p.root.dag->tasks[0];
    for (std::size_t i = 0; i < n; ++i) {
      const std::string name = "in" + std::to_string(i);
      comp.inputs.parameters.push_back({name, ParameterType::string, std::nullopt, false, {}});
      task.parameters.push_back({name, ParameterBinding::Kind::constant, "x", {}, {}});
    }
    CHECK(kfpp::ir::check(p).empty());
    // The last input bound twice, the first left out.
    auto dup = p;
    dup.root.dag->tasks[0].parameters.push_back(dup.root.dag->tasks[0].parameters.back());
    auto found = with_code(dup, "kfpp.duplicate_name");
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "demo/producer/inputs/in" + std::to_string(n - 1));
    auto missing = p;
    auto& ps = missing.root.dag->tasks[0].parameters;
    ps.erase(ps.begin() + 1);  // after msg: in0
    found = with_code(missing, "kfpp.missing_input");
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "demo/producer/inputs/in0");
  }
}

TEST_CASE("Validation: an input with a default may stay unbound") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters.clear();
  p.components[0].inputs.parameters[0].default_value = kfpp::ir::Value("hi");
  CHECK(with_code(p, "kfpp.missing_input").empty());
}

TEST_CASE("Validation: a constant of the wrong type is a type mismatch") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters[0] = {"msg", ParameterBinding::Kind::constant, 3.5, {}, {}};
  auto found = with_code(p, "kfpp.type_mismatch");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/inputs/msg");
  CHECK(contains(found[0].message, "STRING"));
}

TEST_CASE("Validation: a task output of the wrong type is a type mismatch naming both types") {
  auto p = two_task_pipeline();
  p.components[0].outputs.parameters[0].type = ParameterType::number_double;
  auto found = with_code(p, "kfpp.type_mismatch");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "NUMBER_DOUBLE"));
  CHECK(contains(found[0].message, "STRING"));
}

TEST_CASE("Validation: an integer output may feed a double input") {
  auto p = two_task_pipeline();
  p.components[0].outputs.parameters[0].type = ParameterType::number_integer;
  p.components[1].inputs.parameters[0].type = ParameterType::number_double;
  CHECK(kfpp::ir::check(p).empty());
}

TEST_CASE("Validation: a default of the wrong type is a type mismatch") {
  auto p = two_task_pipeline();
  p.root.inputs.parameters[0].default_value = kfpp::ir::Value(true);
  auto found = with_code(p, "kfpp.type_mismatch");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/inputs/message");
}

TEST_CASE("Validation: an artifact of another type is a type mismatch") {
  auto p = two_task_pipeline();
  p.components[0].outputs.artifacts.push_back(
      {"model", {"system.Model", "0.0.1"}, false, false, {}});
  p.components[1].inputs.artifacts.push_back(
      {"data", {"system.Dataset", "0.0.1"}, false, false, {}});
  p.root.dag->tasks[1].artifacts.push_back(
      {"data", kfpp::ir::ArtifactBinding::Kind::task_output, "model", "producer"});
  auto found = with_code(p, "kfpp.type_mismatch");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "system.Model"));
  CHECK(contains(found[0].message, "system.Dataset"));
  p.components[1].inputs.artifacts[0].type.schema_title = "system.Artifact";
  CHECK(with_code(p, "kfpp.type_mismatch").empty());
}

TEST_CASE("Validation: reading an output is a dependency even when dependentTasks omits it") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[1].dependent_tasks.clear();
  // The KFP backend adds the dependency, as kfpp's emitters do: not an error.
  CHECK(kfpp::ir::check(p).empty());
  // But it counts for cycles: the producer waiting for its consumer closes one.
  p.root.dag->tasks[0].dependent_tasks.push_back("consumer");
  auto found = with_code(p, "kfpp.cycle");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "consumer"));
  CHECK(contains(found[0].message, "producer"));
}

TEST_CASE("Validation: duplicate names are reported for tasks, components, executors and ports") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[1].name = "producer";
  p.components.push_back(p.components[0]);
  p.executors.push_back(p.executors[0]);
  p.components[1].inputs.artifacts.push_back(
      {"text", {"system.Artifact", "0.0.1"}, false, true, {}});
  auto found = with_code(p, "kfpp.duplicate_name");
  std::vector<std::string> paths;
  for (const auto& d : found) paths.push_back(d.path);
  CHECK(std::count(paths.begin(), paths.end(), "demo/producer") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "demo/components/comp-producer") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "demo/deploymentSpec/exec-producer") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "demo/components/comp-consumer/inputs/text") == 1);
}

TEST_CASE("Validation: invalid names are reported with the rule to follow") {
  auto p = two_task_pipeline();
  p.name = "My Pipeline";
  p.root.dag->tasks[0].name = "Producer_1";
  p.root.dag->tasks[1].dependent_tasks = {"Producer_1"};
  p.root.dag->tasks[1].parameters[0].producer_task = "Producer_1";
  p.components[0].inputs.parameters[0].name = "9lives";
  auto found = with_code(p, "kfpp.invalid_name");
  REQUIRE(found.size() == 3);
  CHECK(found[0].path == "My Pipeline");
  CHECK(contains(found[0].fix, "lower-case"));
  CHECK(std::any_of(found.begin(), found.end(),
                    [](const auto& d) { return d.path == "My Pipeline/Producer_1"; }));
}

TEST_CASE("Validation: a container without an image is reported") {
  auto p = two_task_pipeline();
  p.executors[0].container->image.clear();
  auto found = with_code(p, "kfpp.missing_image");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/deploymentSpec/exec-producer/container/image");
}

TEST_CASE("Validation: an executor must be a container or an importer, not both") {
  auto p = two_task_pipeline();
  p.executors[0].importer.emplace();
  auto found = with_code(p, "kfpp.invalid_executor");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/deploymentSpec/exec-producer");
}

TEST_CASE("Validation: a component needs a DAG or an executor") {
  auto p = two_task_pipeline();
  p.components[0].executor_label.clear();
  auto found = with_code(p, "kfpp.invalid_component");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/components/comp-producer");
}

TEST_CASE("Validation: a pipeline without a root DAG is reported") {
  auto p = two_task_pipeline();
  p.root.dag.reset();
  auto found = with_code(p, "kfpp.missing_root_dag");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo");
}

TEST_CASE("Validation: a declared output that no task provides is reported") {
  auto p = two_task_pipeline();
  p.root.outputs.parameters.push_back({"result", ParameterType::string, std::nullopt, false, {}});
  auto found = with_code(p, "kfpp.missing_output");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/outputs/result");
  p.root.dag->outputs.push_back({"result", false, "producer", "out"});
  CHECK(kfpp::ir::check(p).empty());
}

TEST_CASE("Validation: every finding is thrown together, in the message too") {
  auto p = two_task_pipeline();
  p.root.dag->tasks[0].parameters.clear();
  p.root.dag->tasks[1].component_ref = "comp-nope";
  try {
    kfpp::ir::validate(p);
    FAIL("no exception");
  } catch (const kfpp::ValidationError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(contains(e.what(), "2 problems"));
    CHECK(contains(e.what(), "[kfpp.missing_input] demo/producer/inputs/msg"));
    CHECK(contains(e.what(), "[kfpp.unknown_component] demo/consumer/componentRef"));
  }
}

TEST_CASE("Validation: a pipeline without tasks is reported") {
  auto p = two_task_pipeline();
  p.root.dag->tasks.clear();
  auto found = with_code(p, "kfpp.empty_pipeline");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo");
}

TEST_CASE("Validation: a loop needs its items from exactly one place and its item as an input") {
  auto p = two_task_pipeline();
  auto& t = p.root.dag->tasks[0];
  t.iterator_item_input = "item";
  auto found = with_code(p, "kfpp.invalid_iterator");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/producer/parameterIterator/items");
  CHECK(contains(found[0].message, "not both or neither"));
  auto unknown = with_code(p, "kfpp.unknown_port");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].path == "demo/producer/parameterIterator/itemInput");
  t.iterator_raw_items = kfpp::ir::Value("not a list");
  found = with_code(p, "kfpp.invalid_iterator");
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "not a list"));
}

TEST_CASE("Validation: an importer reading its URI from a missing input is reported") {
  auto p = two_task_pipeline();
  p.executors[0].container.reset();
  p.executors[0].importer.emplace();
  p.executors[0].importer->uri_parameter = "uri";
  p.executors[0].importer->type = {"system.Dataset", "0.0.1"};
  auto found = with_code(p, "kfpp.unknown_parameter");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/components/comp-producer/importer/artifactUri");
  CHECK(contains(found[0].message, "'uri'"));
}
