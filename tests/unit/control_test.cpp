// SPDX-License-Identifier: Apache-2.0
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

using Produce =
    Component<Ports<>,
              Ports<Port<"n", int>, Port<"x", double>, Port<"s", std::string>, Port<"b", bool>>>;
using Echo = Component<Ports<Port<"msg", std::string>>>;
using Notify = Component<Ports<Port<"status", kfpp::PipelineTaskFinalStatus>>>;

Produce produce() { return Produce::container("produce").image("alpine"); }
Echo echo() {
  return Echo::container("echo").image("alpine").command("echo").args(kfpp::value_of<"msg">);
}
Notify notify() {
  return Notify::container("notify").image("alpine").args(kfpp::value_of<"status">);
}

template <class F>
std::string definition_code(F&& f) {
  return kfpp::test::definition_error(std::forward<F>(f)).code();
}

// The whole message: `[code] path: what (fix)`.
template <class F>
std::string definition_text(F&& f) {
  return kfpp::test::definition_error(std::forward<F>(f)).what();
}

std::string condition_of(const kfpp::Pipeline& p, const std::string& task) {
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto* c = at_path(d, "root.dag.tasks." + task + ".triggerPolicy.condition");
  REQUIRE(c != nullptr);
  return c->as_string();
}

}  // namespace

TEST_CASE("Conditions: operands are cast and quoted the way the KFP backend reads them") {
  kfpp::Pipeline p("cel");
  auto t = p.add(produce());
  auto n = t.output<"n">();
  auto x = t.output<"x">();
  kfpp::Condition(p, n > 3, [&] { p.add(echo(), in<"msg"> = "a"); });
  kfpp::Condition(p, x <= n, [&] { p.add(echo(), in<"msg"> = "b"); });
  kfpp::Condition(p, x == 0.5, [&] { p.add(echo(), in<"msg"> = "c"); });
  kfpp::Condition(p, t.output<"s">() != "it's", [&] { p.add(echo(), in<"msg"> = "d"); });
  kfpp::Condition(p, t.output<"b">() == true, [&] { p.add(echo(), in<"msg"> = "e"); });
  kfpp::Condition(p, x < 1e-7, [&] { p.add(echo(), in<"msg"> = "f"); });
  const std::string v = "inputs.parameter_values['pipelinechannel--produce-";
  CHECK(condition_of(p, "condition-1") == "int(" + v + "n']) > 3");
  CHECK(condition_of(p, "condition-2") == v + "x'] <= double(int(" + v + "n']))");
  CHECK(condition_of(p, "condition-3") == v + "x'] == 0.5");
  CHECK(condition_of(p, "condition-4") == v + "s'] != 'it\\'s'");
  CHECK(condition_of(p, "condition-5") == v + "b'] == true");
  CHECK(condition_of(p, "condition-6") == v + "x'] < 1e-07");
}

TEST_CASE("Conditions: Elif and Else negate every earlier branch") {
  kfpp::Pipeline p("chain");
  auto s = p.add(produce()).output<"s">();
  kfpp::If(p, s == "a", [&] {
    p.add(echo(), in<"msg"> = "1");
  }).Elif(s == "b", [&] {
      p.add(echo(), in<"msg"> = "2");
    }).Else([&] { p.add(echo(), in<"msg"> = "3"); });
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const std::string base = "components.comp-condition-branches-1.dag.tasks.";
  const std::string v = "inputs.parameter_values['pipelinechannel--produce-s']";
  CHECK(at_path(d, base + "condition-2.triggerPolicy.condition")->as_string() == v + " == 'a'");
  CHECK(at_path(d, base + "condition-3.triggerPolicy.condition")->as_string() ==
        "!(" + v + " == 'a') && " + v + " == 'b'");
  CHECK(at_path(d, base + "condition-4.triggerPolicy.condition")->as_string() ==
        "!(" + v + " == 'a') && !(" + v + " == 'b')");
  CHECK(at_path(d, "root.dag.tasks.condition-branches-1.dependentTasks")
            ->as_array()
            .at(0)
            .as_string() == "produce");
}

TEST_CASE("Scope: reading an output from inside a condition, from outside it, is reported") {
  kfpp::Pipeline p("scope");
  auto s = p.add(produce()).output<"s">();
  kfpp::Channel<std::string> inner = s;
  kfpp::Condition(p, s == "go", [&] { inner = p.add(produce()).output<"s">(); });
  p.add(echo(), in<"msg"> = inner);
  try {
    (void)p.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const auto& d = e.diagnostics()[0];
    CHECK(d.code == "kfpp.out_of_scope");
    CHECK(d.path == "scope/echo/inputs");
    CHECK(contains(d.message, "'produce-2'"));
    CHECK(contains(d.message, "condition 'condition-1'"));
    CHECK(contains(d.fix, "same condition"));
  }
}

TEST_CASE("Scope: waiting for a task inside an exit handler from outside it is reported") {
  kfpp::Pipeline p("scope");
  auto cleanup = p.add(notify());
  kfpp::TaskRef* inside = nullptr;
  std::optional<kfpp::Task<Ports<>>> first;
  kfpp::ExitHandler(p, cleanup, [&] { first.emplace(p.add(echo(), in<"msg"> = "x")); });
  inside = &*first;
  p.add(echo(), in<"msg"> = "y").after(*first);
  (void)inside;
  try {
    (void)p.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    CHECK(e.diagnostics().at(0).code == "kfpp.out_of_scope");
    CHECK(e.diagnostics().at(0).path == "scope/echo-2/after");
    CHECK(contains(e.diagnostics().at(0).message,
                   "waits for task 'echo', which runs inside exit handler 'exit-handler-1'"));
  }
}

TEST_CASE("Scope: a group without tasks is reported") {
  kfpp::Pipeline p("empty");
  auto s = p.add(produce()).output<"s">();
  kfpp::Condition(p, s == "x", [] {});
  try {
    (void)p.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    CHECK(e.diagnostics().at(0).code == "kfpp.empty_group");
    CHECK(e.diagnostics().at(0).path == "empty/condition-1");
  }
}

TEST_CASE("Exit handlers: the exit task gets the final status and runs whatever happened") {
  kfpp::Pipeline p("exits");
  auto cleanup = p.add(notify());
  kfpp::ExitHandler(p, cleanup, [&] { p.add(echo(), in<"msg"> = "work"); });
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.notify.inputs.parameters.status.taskFinalStatus.producerTask")
            ->as_string() == "exit-handler-1");
  CHECK(at_path(d, "root.dag.tasks.notify.triggerPolicy.strategy")->as_string() ==
        "ALL_UPSTREAM_TASKS_COMPLETED");
  CHECK(at_path(d, "components.comp-notify.inputDefinitions.parameters.status.isOptional")
            ->as_bool());
  CHECK(at_path(d, "root.dag.tasks.exit-handler-1.taskInfo.name")->as_string() == "exit-handler-1");
}

TEST_CASE("Exit handlers: misuse is rejected at the call") {
  SECTION("below the top level") {
    kfpp::Pipeline p("exits");
    auto s = p.add(produce()).output<"s">();
    auto cleanup = p.add(notify());
    CHECK(definition_text([&] {
            kfpp::Condition(p, s == "x", [&] {
              kfpp::ExitHandler(p, cleanup, [&] { p.add(echo(), in<"msg"> = "w"); });
            });
          }) ==
          "[kfpp.exit_handler_not_top] exits/condition-1/exit-handler: an exit handler must be at "
          "the top level of the pipeline (move the ExitHandler out of the condition or loop)");
  }
  SECTION("an exit task added inside a condition") {
    kfpp::Pipeline p("exits");
    auto s = p.add(produce()).output<"s">();
    std::optional<kfpp::Task<Ports<>>> cleanup;
    kfpp::Condition(p, s == "x", [&] { cleanup.emplace(p.add(notify())); });
    CHECK(definition_text(
              [&] { kfpp::ExitHandler(p, *cleanup, [&] { p.add(echo(), in<"msg"> = "w"); }); }) ==
          "[kfpp.exit_task_not_top] exits/exit-handler/notify: the exit task must be added at the "
          "top level of the pipeline (add the exit task outside every condition and loop)");
  }
  SECTION("one exit task for two handlers") {
    kfpp::Pipeline p("exits");
    auto cleanup = p.add(notify());
    kfpp::ExitHandler(p, cleanup, [&] { p.add(echo(), in<"msg"> = "w"); });
    CHECK(definition_text(
              [&] { kfpp::ExitHandler(p, cleanup, [&] { p.add(echo(), in<"msg"> = "v"); }); }) ==
          "[kfpp.duplicate_exit_task] exits/exit-handler/notify: the task already exits another "
          "handler (add one exit task per exit handler)");
  }
  SECTION("an exit task that reads another task's output") {
    kfpp::Pipeline p("exits");
    auto s = p.add(produce()).output<"s">();
    auto cleanup = p.add(echo(), in<"msg"> = s);
    CHECK(definition_text(
              [&] { kfpp::ExitHandler(p, cleanup, [&] { p.add(echo(), in<"msg"> = "w"); }); }) ==
          "[kfpp.exit_task_reads_outputs] exits/echo/inputs/msg: an exit task cannot read other "
          "tasks' outputs (pass pipeline parameters or constants to the exit task)");
  }
}

TEST_CASE("Conditions: Elif after other tasks is rejected at the call, and scopes close on throw") {
  kfpp::Pipeline p("branches");
  auto s = p.add(produce()).output<"s">();
  kfpp::If chain(p, s == "a", [&] { p.add(echo(), in<"msg"> = "1"); });
  p.add(echo(), in<"msg"> = "between");
  CHECK(definition_text([&] { chain.Elif(s == "b", [&] { p.add(echo(), in<"msg"> = "2"); }); }) ==
        "[kfpp.misplaced_branch] branches/condition-1: tasks or groups were added between the If "
        "and this branch (call Elif/Else on the If right after it, in the same scope)");
  // A body that throws leaves the pipeline at the scope it was in.
  CHECK_THROWS(kfpp::Condition(p, s == "z", [&] {
    p.add(echo(), in<"msg"> = "inside");
    throw std::runtime_error("boom");
  }));
  p.add(echo(), in<"msg"> = "after");
  auto ir = p.ir();
  CHECK(ir.root.dag->find_task("echo-4") != nullptr);  // at the top, not in condition-2
  CHECK(ir.find_component("comp-condition-2")->dag->find_task("echo-3") != nullptr);
}

TEST_CASE("Loops: an unset channel is rejected where it is used") {
  kfpp::Pipeline p("unset");
  kfpp::Channel<std::string> never;
  try {
    p.add(echo(), in<"msg"> = never);
    FAIL("no error");
  } catch (const kfpp::DefinitionError& e) {
    CHECK(e.code() == "kfpp.foreign_value");
    CHECK(e.path() == "unset/echo/inputs/msg");
  }
  CHECK(definition_text([&] { (void)kfpp::Collected(never); }) ==
        "[kfpp.collected_outside_loop] Collected: Collected takes the output of a task inside a "
        "ParallelFor (pass task.output() of a task added in the loop's body)");
}

TEST_CASE("Loops: reading a loop task's output after the loop needs Collected") {
  kfpp::Pipeline p("fanin");
  kfpp::Channel<std::string> inside;
  kfpp::ParallelFor(p, std::vector<int>{1, 2},
                    [&](kfpp::Channel<int>) { inside = p.add(produce()).output<"s">(); });
  p.add(echo(), in<"msg"> = inside);
  try {
    (void)p.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    const auto& d = e.diagnostics().at(0);
    CHECK(d.code == "kfpp.out_of_scope");
    CHECK(d.path == "fanin/echo/inputs");
    CHECK(contains(d.message, "loop 'for-loop-2'"));
    CHECK(contains(d.fix, "kfpp::Collected"));
  }
}

TEST_CASE("Loops: Collected outside a loop, inside its own loop, and items outside theirs") {
  kfpp::Pipeline p("fanin");
  auto s = p.add(produce()).output<"s">();
  CHECK(definition_text([&] { (void)kfpp::Collected(s); }) ==
        "[kfpp.collected_outside_loop] fanin/produce/outputs/s: task 'produce' is not inside a "
        "ParallelFor (use the output directly; Collected is for loop outputs)");

  kfpp::Pipeline q("inner");
  kfpp::Channel<int> item;
  kfpp::ParallelFor(q, std::vector<int>{1, 2}, [&](kfpp::Channel<int> i) {
    item = i;
    auto n = q.add(produce()).output<"n">();
    q.add(Component<Ports<Port<"ns", std::vector<int>>>>::container("sum").image("a"),
          in<"ns"> = kfpp::Collected(n));
  });
  q.add(Component<Ports<Port<"n", int>>>::container("use").image("a"), in<"n"> = item);
  try {
    (void)q.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].code == "kfpp.out_of_scope");
    CHECK(e.diagnostics()[0].path == "inner/for-loop-2/sum/inputs");
    CHECK(contains(e.diagnostics()[0].message, "inside it"));
    CHECK(e.diagnostics()[1].code == "kfpp.out_of_scope");
    CHECK(e.diagnostics()[1].path == "inner/use/inputs");
    CHECK(contains(e.diagnostics()[1].message, "item of loop 'for-loop-2' outside that loop"));
  }
}

TEST_CASE("Loops: literal items are written as JSON, with parallelism and struct fields") {
  kfpp::Pipeline p("items");
  kfpp::ParallelFor(p, std::vector<double>{0.5, 1e-05, 2.0}, kfpp::LoopOptions{.parallelism = 3},
                    [&](kfpp::Channel<double>) { p.add(echo(), in<"msg"> = "x"); });
  kfpp::ParallelFor(p, std::vector<kfpp::Json>{kfpp::Json::object({{"k", "v\u00e9"}})},
                    [&](kfpp::Channel<kfpp::Json> item) {
                      p.add(echo(), in<"msg"> = item.field<std::string>("k"));
                    });
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.for-loop-2.parameterIterator.items.raw")->as_string() ==
        "[0.5, 1e-05, 2.0]");
  CHECK(at_path(d, "root.dag.tasks.for-loop-2.iteratorPolicy.parallelismLimit")->as_int() == 3);
  CHECK(at_path(d,
                "components.comp-for-loop-2.inputDefinitions.parameters."
                "pipelinechannel--loop-item-param-1.parameterType")
            ->as_string() == "NUMBER_DOUBLE");
  CHECK(at_path(d,
                "components.comp-for-loop-4.dag.tasks.echo-2.inputs.parameters.msg."
                "parameterExpressionSelector")
            ->as_string() == "parseJson(string_value)[\"k\"]");
  CHECK(definition_code([&] {
          kfpp::ParallelFor(p, std::vector<int>{}, [&](kfpp::Channel<int>) {});
        }) == "kfpp.invalid_value");
  CHECK(definition_code([&] {
          kfpp::ParallelFor(p, std::vector<int>{1}, kfpp::LoopOptions{.parallelism = -1},
                            [&](kfpp::Channel<int>) {});
        }) == "kfpp.invalid_value");
}

TEST_CASE("Pipelines as components: the declared ports must be the pipeline's own") {
  auto inner = [] {
    kfpp::Pipeline p("inner");
    auto x = p.param<int>("x");
    auto t =
        p.add(Component<Ports<Port<"n", int>>, int>::container("twice").image("a"), in<"n"> = x);
    p.output("y", t.output());
    return p;
  };
  CHECK_NOTHROW(Component<Ports<Port<"x", int>>, Ports<Port<"y", int>>>::pipeline(inner()));
  CHECK(definition_code([&] {
          (void)Component<Ports<Port<"x", double>>, Ports<Port<"y", int>>>::pipeline(inner());
        }) == "kfpp.pipeline_ports");
  CHECK(definition_code([&] {
          (void)Component<Ports<Port<"x", int>>, Ports<Port<"z", int>>>::pipeline(inner());
        }) == "kfpp.pipeline_ports");
  CHECK(definition_code([&] {
          (void)Component<Ports<>, Ports<Port<"y", int>>>::pipeline(inner());
        }) == "kfpp.pipeline_ports");
  // An invalid inner pipeline is reported when it is turned into a component.
  kfpp::Pipeline broken("broken");
  (void)broken.param<int>("x");
  CHECK_THROWS_AS((Component<Ports<Port<"x", int>>>::pipeline(broken)), kfpp::ValidationError);
}

namespace {
// The pipeline of the SDK corpus's if_else_with_oneof_parameters.yaml.
kfpp::Pipeline flip_coin_pipeline() {
  auto flip_coin = Component<Ports<>, std::string>::python(
      "flip_coin",
      "def flip_coin() -> str:\n    import random\n"
      "    return 'heads' if random.randint(0, 1) == 0 else 'tails'\n");
  auto print_and_return = Component<Ports<Port<"text", std::string>>, std::string>::python(
      "print_and_return",
      "def print_and_return(text: str) -> str:\n    print(text)\n"
      "    return text\n");
  kfpp::Pipeline p("flip-coin-pipeline");
  auto coin = p.add(flip_coin).output();
  kfpp::Channel<std::string> heads, tails;
  kfpp::If(p, coin == "heads", [&] {
    heads = p.add(print_and_return, in<"text"> = "Got heads!").output();
  }).Else([&] { tails = p.add(print_and_return, in<"text"> = "Got tails!").output(); });
  auto result = kfpp::OneOf(heads, tails);
  p.add(print_and_return, in<"text"> = result);
  p.output("Output", result);
  return p;
}
}  // namespace

// Run by the ctest entry conformance.oneof, which skips (exit 77) when the corpus is absent.
TEST_CASE("OneOf: the If chain hands out the output of the branch that ran, as the SDK writes it",
          "[.conformance]") {
  const std::string ref =
      std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/if_else_with_oneof_parameters.yaml";
  auto reference = kfpp::test::load_file(ref);
  auto ours = kfpp::test::load_all(kfpp::compile(flip_coin_pipeline()));
  auto diffs = kfpp::test::ir_differences(ours, reference);
  for (const auto& d : diffs) UNSCOPED_INFO(d);
  CHECK(diffs.empty());
}

TEST_CASE("OneOf: options must come from every branch of one chain that ends with Else") {
  kfpp::Pipeline p("oneof");
  auto s = p.add(produce()).output<"s">();
  kfpp::Channel<std::string> a, b, c;
  kfpp::If chain(p, s == "x", [&] { a = p.add(produce()).output<"s">(); });
  chain.Elif(s == "y", [&] { b = p.add(produce()).output<"s">(); });
  CHECK(definition_text([&] { (void)kfpp::OneOf(a, b); }) ==
        "[kfpp.invalid_oneof] oneof/OneOf: the If chain has no Else, so no branch may run (end "
        "the chain with Else and pass an output from it too)");
  chain.Else([&] { c = p.add(produce()).output<"s">(); });
  CHECK(definition_code([&] { (void)kfpp::OneOf(a, b); }) == "kfpp.invalid_oneof");  // Else missing
  CHECK(definition_code([&] { (void)kfpp::OneOf(a, a, c); }) == "kfpp.invalid_oneof");  // twice
  CHECK(definition_code([&] { (void)kfpp::OneOf(s, c); }) == "kfpp.invalid_oneof");  // not a branch
  auto all = kfpp::OneOf(a, b, c);
  p.add(echo(), in<"msg"> = all);
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto* sel = at_path(d,
                            "components.comp-condition-branches-1.dag.outputs.parameters."
                            "pipelinechannel--condition-branches-1-oneof-1.valueFromOneof."
                            "parameterSelectors");
  REQUIRE(sel != nullptr);
  CHECK(sel->as_array().size() == 3);
}

TEST_CASE("Loops: waiting for a task inside a loop waits for the whole loop") {
  kfpp::Pipeline p("after-loop");
  std::optional<kfpp::Task<Ports<>>> inside;
  kfpp::ParallelFor(p, std::vector<int>{1, 2},
                    [&](kfpp::Channel<int>) { inside.emplace(p.add(echo(), in<"msg"> = "x")); });
  p.add(echo(), in<"msg"> = "done").after(*inside);
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.echo-2.dependentTasks")->as_array().at(0).as_string() ==
        "for-loop-2");
}

TEST_CASE("Scope: a pipeline output taken from inside a group is reported") {
  kfpp::Pipeline p("outputs");
  auto s = p.add(produce()).output<"s">();
  kfpp::Channel<std::string> inside;
  kfpp::Condition(p, s == "x", [&] { inside = p.add(produce()).output<"s">(); });
  p.output("result", inside);
  try {
    (void)p.ir();
    FAIL("no error");
  } catch (const kfpp::ValidationError& e) {
    const auto& d = e.diagnostics().at(0);
    CHECK(d.code == "kfpp.out_of_scope");
    CHECK(d.path == "outputs/outputs/result");
    CHECK(contains(d.message, "from inside a condition, loop or exit handler"));
  }
}

TEST_CASE("Loops: constructs kfpp does not support yet are refused, not dropped") {
  kfpp::Pipeline p("unsupported");
  auto s = p.add(produce()).output<"s">();
  CHECK(definition_text([&] {
          kfpp::ParallelFor(p, std::vector<int>{1}, [&](kfpp::Channel<int>) {
            kfpp::Condition(p, s == "x",
                            [&] { (void)kfpp::Collected(p.add(produce()).output<"n">()); });
          });
        }) ==
        "[kfpp.unsupported] unsupported/produce-2/outputs/n: Collected reads tasks directly in a "
        "loop's body; this one is nested in 'condition-3' (move the task to the loop's body)");
  CHECK(definition_code([&] {
          kfpp::ParallelFor(p, std::vector<kfpp::Json>{kfpp::Json::object({{"xs", "a"}})},
                            [&](kfpp::Channel<kfpp::Json> item) {
                              auto xs = item.field<std::vector<std::string>>("xs");
                              kfpp::ParallelFor(p, xs, [&](kfpp::Channel<std::string>) {});
                            });
        }) == "kfpp.unsupported");
}

TEST_CASE("Tasks: an empty display name is rejected") {
  kfpp::Pipeline p("names");
  auto t = p.add(echo(), in<"msg"> = "x");
  CHECK(definition_text([&] { t.display_name(""); }) ==
        "[kfpp.invalid_value] names/echo/displayName: the display name is empty (give a name, or "
        "do not set one)");
}

TEST_CASE(
    "Groups compose: conditions on loop items, fan-in read in a condition, loops in handlers") {
  kfpp::Pipeline p("compose");
  auto threshold = p.param<int>("threshold", 2);
  auto cleanup = p.add(notify());
  kfpp::ExitHandler(p, cleanup, [&] {
    kfpp::Channel<double> x;
    kfpp::ParallelFor(p, std::vector<int>{1, 2, 3}, [&](kfpp::Channel<int> n) {
      kfpp::Condition(p, n > threshold, [&] { p.add(echo(), in<"msg"> = "big"); });
      x = p.add(produce()).output<"x">();
    });
    auto s = p.add(produce()).output<"s">();
    kfpp::Condition(p, s == "go", [&] {
      p.add(Component<Ports<Port<"xs", std::vector<double>>>>::container("sum").image("a"),
            in<"xs"> = kfpp::Collected(x));
    });
  });
  auto ir = p.ir();
  auto findings = kfpp::ir::check(ir);
  for (const auto& f : findings) UNSCOPED_INFO(f.to_string());
  CHECK(findings.empty());
  auto d = kfpp::test::load_all(kfpp::emit_kfp(ir)).at(0);
  // The loop's condition reads the item and the pipeline parameter passed down to it.
  CHECK(at_path(d, "components.comp-for-loop-3.dag.tasks.condition-4.triggerPolicy.condition")
            ->as_string() ==
        "int(inputs.parameter_values['pipelinechannel--loop-item-param-2']) > "
        "int(inputs.parameter_values['pipelinechannel--threshold'])");
  // The fan-in crosses into the later condition as an input of its own.
  CHECK(at_path(d,
                "components.comp-exit-handler-1.dag.tasks.condition-5.inputs.parameters."
                "pipelinechannel--produce-x.taskOutputParameter.producerTask")
            ->as_string() == "for-loop-3");
}
