// SPDX-License-Identifier: Apache-2.0
// The rules of the SDK's authoring surface that kfpp enforces at the call or when lowering.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;
using kfpp::test::at_path;
using kfpp::test::contains;

namespace {

using Echo = Component<Ports<Port<"msg", std::string>>, std::string>;
using MaybeEcho = Component<Ports<Port<"msg", std::optional<std::string>>>>;
using Status = Component<Ports<Port<"status", kfpp::PipelineTaskFinalStatus>>>;

Echo echo() {
  return Echo::container("echo").image("alpine").command("echo").args(kfpp::value_of<"msg">);
}
MaybeEcho maybe_echo() {
  return MaybeEcho::container("maybe-echo").image("alpine").default_value<"msg">("none");
}

template <class F>
std::string definition_text(F&& f) {
  return kfpp::test::definition_error(std::forward<F>(f)).what();
}

template <class F>
kfpp::Diagnostic first_finding(F&& f) {
  try {
    f();
  } catch (const kfpp::ValidationError& e) {
    return e.diagnostics().at(0);
  }
  FAIL("no ValidationError was thrown");
  return {};
}

}  // namespace

TEST_CASE("ignore_upstream_failure: an input fed by a task needs a default") {
  kfpp::Pipeline p("ignore");
  auto first = p.add(echo(), in<"msg"> = "x");
  auto second = p.add(echo(), in<"msg"> = first.output());
  CHECK(definition_text([&] { second.ignore_upstream_failure(); }) ==
        "[kfpp.upstream_input_without_default] ignore/echo-2/inputs/msg: input 'msg' reads an "
        "output of task 'echo' but has no default, so it has no value when that task fails "
        "(give the component's input 'msg' a default (or make it optional), or do not ignore "
        "upstream failures)");
  // Constants and pipeline parameters are there whatever happened upstream.
  CHECK_NOTHROW(p.add(echo(), in<"msg"> = p.param<std::string>("m")).ignore_upstream_failure());
  auto third = p.add(maybe_echo(), in<"msg"> = first.output()).ignore_upstream_failure();
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.maybe-echo.triggerPolicy.strategy")->as_string() ==
        "ALL_UPSTREAM_TASKS_COMPLETED");
  CHECK(at_path(d, "root.dag.tasks.echo-2.triggerPolicy") == nullptr);
  (void)third;
}

TEST_CASE("ignore_upstream_failure: on Argo the task waits for any end and falls back to the "
          "input's default") {
  kfpp::Pipeline p("ignore");
  auto first = p.add(echo(), in<"msg"> = "x");
  p.add(maybe_echo(), in<"msg"> = first.output()).ignore_upstream_failure();
  auto wf = kfpp::test::load_all(kfpp::compile_argo(p)).at(0);
  const auto& tasks = at_path(wf, "spec.templates.0.dag.tasks")->as_array();
  const kfpp::ir::Value* task = nullptr;
  for (const auto& t : tasks)
    if (at_path(t, "name")->as_string() == "maybe-echo") task = &t;
  REQUIRE(task != nullptr);
  CHECK(at_path(*task, "depends")->as_string() ==
        "(echo.Succeeded || echo.Failed || echo.Errored)");
  CHECK(at_path(*task, "arguments.parameters.0.value")->as_string() ==
        "{{=tasks['echo'].status == 'Succeeded' ? tasks['echo'].outputs.parameters['Output'] : "
        "\"none\"}}");
}

TEST_CASE("ignore_upstream_failure: a final-status input reads the one task waited for") {
  kfpp::Pipeline p("status");
  auto first = p.add(echo(), in<"msg"> = "x");
  p.add(Status::container("report").image("alpine")).after(first).ignore_upstream_failure();
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.report.inputs.parameters.status.taskFinalStatus.producerTask")
            ->as_string() == "echo");

  kfpp::Pipeline q("status");
  auto a = q.add(echo(), in<"msg"> = "x");
  auto b = q.add(echo(), in<"msg"> = "y");
  q.add(Status::container("report").image("alpine")).after(a, b).ignore_upstream_failure();
  auto f = first_finding([&] { (void)q.ir(); });
  CHECK(f.code == "kfpp.final_status_upstream");
  CHECK(f.path == "status/report/inputs/status");
  CHECK(contains(f.message, "but it waits for 2 in its scope"));
}

// The SDK writes every group's `taskInfo.name` as the name given to it, else its key
// (pipeline_spec_builder: `group.display_name or group.name`); the keys are numbered as usual.
TEST_CASE("Groups: every kind takes a name, shown as taskInfo.name; the keys stay numbered") {
  kfpp::Pipeline p("names");
  auto coin = p.add(echo(), in<"msg"> = "x").output();
  kfpp::Condition(p, coin == "heads", "on-heads", [&] { p.add(echo(), in<"msg"> = "h"); })
      .Elif(coin == "tails", "on-tails", [&] { p.add(echo(), in<"msg"> = "t"); })
      .Else("on-edge", [&] { p.add(echo(), in<"msg"> = "e"); });
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, {.parallelism = 1, .name = "each-fold"},
                    [&](kfpp::Channel<int>) { p.add(echo(), in<"msg"> = "f"); });
  auto exit = p.add(Status::container("report").image("alpine"));
  kfpp::ExitHandler(p, exit, "guarded", [&] { p.add(echo(), in<"msg"> = "g"); });
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  auto name_of = [&](const std::string& dag, const std::string& key) {
    const auto* v = at_path(d, dag + ".dag.tasks." + key + ".taskInfo.name");
    return v ? v->as_string() : std::string("<none>");
  };
  CHECK(name_of("root", "condition-branches-1") == "condition-branches-1");
  CHECK(name_of("components.comp-condition-branches-1", "condition-2") == "on-heads");
  CHECK(name_of("components.comp-condition-branches-1", "condition-3") == "on-tails");
  CHECK(name_of("components.comp-condition-branches-1", "condition-4") == "on-edge");
  CHECK(name_of("root", "for-loop-6") == "each-fold");
  CHECK(at_path(d, "root.dag.tasks.for-loop-6.iteratorPolicy.parallelismLimit")->as_int() == 1);
  CHECK(name_of("root", "exit-handler-7") == "guarded");
}
