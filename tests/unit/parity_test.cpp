// SPDX-License-Identifier: Apache-2.0
// The rules of the SDK's authoring surface that kfpp enforces at the call or when lowering.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

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

TEST_CASE(
    "ignore_upstream_failure: on Argo the task waits for any end and falls back to the "
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
  kfpp::Condition(p, coin == "heads", "on-heads", [&] {
    p.add(echo(), in<"msg"> = "h");
  }).Elif(coin == "tails", "on-tails", [&] {
      p.add(echo(), in<"msg"> = "t");
    }).Else("on-edge", [&] { p.add(echo(), in<"msg"> = "e"); });
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

namespace {
kfpp::Pipeline settings_pipeline() {
  kfpp::Pipeline p("settings");
  auto msg = p.param<std::string>("msg", "hi");
  (void)p.param<int>("epochs", 1);
  (void)p.param<double>("rate", 0.5);
  (void)p.param<bool>("fast", false);
  (void)p.param<std::vector<std::string>>("tags", std::vector<std::string>{"a"});
  (void)p.param<kfpp::Json>("cfg", kfpp::Json::object({}));
  (void)p.param<kfpp::Dataset>("data");
  p.add(echo(), in<"msg"> = msg);
  return p;
}

int run_main_with(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return kfpp::run_main(static_cast<int>(argv.size()), argv.data(), settings_pipeline);
}
}  // namespace

// The SDK's compiler replaces pipelineInfo.name and the root's defaults (marking them optional)
// and refuses a name that is not a pipeline input (modify_pipeline_spec_with_override).
TEST_CASE("Compile options: the name, root and parameter defaults are replaced, type-checked") {
  kfpp::CompileOptions o;
  o.pipeline_name = "nightly";
  o.pipeline_root = "gs://bucket/runs";
  o.parameters = {{"epochs", 20}, {"rate", 1}, {"tags", kfpp::Json::array({"x", "y"})}};
  auto d = kfpp::test::load_all(kfpp::compile(settings_pipeline(), o)).at(0);
  CHECK(at_path(d, "pipelineInfo.name")->as_string() == "nightly");
  CHECK(at_path(d, "defaultPipelineRoot")->as_string() == "gs://bucket/runs");
  CHECK(at_path(d, "root.inputDefinitions.parameters.epochs.defaultValue")->as_double() == 20.0);
  CHECK(at_path(d, "root.inputDefinitions.parameters.rate.defaultValue")->is_double());
  CHECK(at_path(d, "root.inputDefinitions.parameters.tags.defaultValue.1")->as_string() == "y");

  auto code_of = [](kfpp::CompileOptions bad) {
    return kfpp::test::definition_error([&] { (void)kfpp::compile(settings_pipeline(), bad); })
        .code();
  };
  CHECK(definition_text([&] {
          (void)kfpp::compile(settings_pipeline(), {.parameters = {{"epoch", 3}}});
        }) ==
        "[kfpp.unknown_parameter] settings/inputs/epoch: the pipeline has no parameter "
        "called 'epoch' (its parameters are msg, epochs, rate, fast, tags, cfg)");
  CHECK(definition_text([&] {
          (void)kfpp::compile(settings_pipeline(), {.parameters = {{"epochs", "many"}}});
        }) ==
        "[kfpp.bad_parameter_value] settings/inputs/epochs: the value given is not a value "
        "of parameter 'epochs', which is NUMBER_INTEGER (give a value of the parameter's "
        "type)");
  CHECK(code_of({.parameters = {{"data", "gs://x"}}}) == "kfpp.unsupported");
  CHECK(code_of({.pipeline_name = "Not A Name"}) == "kfpp.invalid_name");
}

TEST_CASE("Compile options: run_main's --param reads the value by the parameter's type") {
  const std::string out = "parity-run-main.yaml";
  REQUIRE(run_main_with({"prog", "-o", out, "--name", "renamed", "--pipeline-root", "s3://b",
                         "--param", "epochs=7", "--param", "rate=2.5", "--param", "fast=true",
                         "--param", "tags=[\"p\", \"q\"]", "--param", "msg=a=b"}) == 0);
  auto d = kfpp::test::load_file(out).at(0);
  CHECK(at_path(d, "pipelineInfo.name")->as_string() == "renamed");
  CHECK(at_path(d, "defaultPipelineRoot")->as_string() == "s3://b");
  CHECK(at_path(d, "root.inputDefinitions.parameters.epochs.defaultValue")->as_double() == 7.0);
  CHECK(at_path(d, "root.inputDefinitions.parameters.rate.defaultValue")->as_double() == 2.5);
  CHECK(at_path(d, "root.inputDefinitions.parameters.fast.defaultValue")->as_bool());
  CHECK(at_path(d, "root.inputDefinitions.parameters.tags.defaultValue.0")->as_string() == "p");
  CHECK(at_path(d, "root.inputDefinitions.parameters.msg.defaultValue")->as_string() == "a=b");
  std::remove(out.c_str());

  const kfpp::ir::Pipeline ir = settings_pipeline().ir();
  auto text_error = [&](const char* name, const std::string& text) -> std::string {
    return kfpp::test::definition_error(
               [&] { (void)kfpp::parameter_value_from_text(ir, name, text); })
        .what();
  };
  CHECK(text_error("epochs", "7.5") ==
        "[kfpp.bad_parameter_value] settings/inputs/epochs: '7.5' is not a value of parameter "
        "'epochs', which is NUMBER_INTEGER (give a value of the parameter's type)");
  CHECK(contains(text_error("fast", "yes"), "which is BOOLEAN"));
  CHECK(contains(text_error("rate", "nan"), "which is NUMBER_DOUBLE"));
  CHECK(contains(text_error("tags", "{\"a\": 1}"), "which is LIST"));
  CHECK(contains(text_error("nope", "1"), "[kfpp.unknown_parameter]"));
  CHECK(contains(text_error("cfg", "{\"a\": [1, 2,]}"), "which is STRUCT"));
  CHECK(contains(text_error("cfg", "{\"a\": 1} x"), "which is STRUCT"));
  // A long value is cut short in the message.
  const std::string deep = text_error("tags", std::string(100000, '['));
  CHECK(contains(deep, "which is LIST"));
  CHECK(deep.size() < 400);
  const kfpp::Json cfg =
      kfpp::parameter_value_from_text(ir, "cfg", R"({"lr": 0.5, "n": 3, "s": "\u00e9\n"})");
  CHECK(cfg.as_object().at("lr").as_double() == 0.5);
  CHECK(cfg.as_object().at("n").as_int() == 3);
  CHECK(cfg.as_object().at("s").as_string() == "\xc3\xa9\n");
  // Unknown names and malformed flags stop the program before anything is written.
  CHECK(run_main_with({"prog", "-o", out, "--param", "nope=1"}) == 1);
  CHECK(run_main_with({"prog", "-o", out, "--param", "epochs"}) == 2);
  CHECK(run_main_with({"prog", "-o", out, "--param", "epochs=1", "--param", "epochs=2"}) == 2);
  CHECK_FALSE(std::ifstream(out).good());
}

TEST_CASE("Pipeline config: workspace sizes and seconds are checked when set") {
  kfpp::Pipeline p("config");
  CHECK(definition_text([&] { p.config({.workspace = kfpp::WorkspaceOptions{.size = "1 Gi"}}); }) ==
        "[kfpp.invalid_value] config/pipelineConfig/workspace/size: '1 Gi' is not a workspace "
        "size (give a quantity such as 500Mi, 1Gi or 10G)");
  CHECK(kfpp::test::definition_error([&] {
          p.config({.workspace = kfpp::WorkspaceOptions{}});
        }).code() == "kfpp.invalid_value");
  CHECK(contains(definition_text([&] { p.config({.active_deadline_seconds = -1}); }),
                 "config/pipelineConfig/activeDeadlineSeconds: activeDeadlineSeconds is -1"));
  CHECK(kfpp::test::definition_error([&] {
          p.config({.ttl_seconds_after_success = 1LL << 31});
        }).code() == "kfpp.invalid_value");
  CHECK(kfpp::test::definition_error([&] { p.pipeline_root(""); }).code() == "kfpp.invalid_value");
  // Without a patch the SDK still writes the workspace's (empty) Kubernetes patch.
  p.config(
      {.workspace = kfpp::WorkspaceOptions{.size = "1.5Gi"}, .ttl_seconds_after_finished = 60});
  p.add(echo(), in<"msg"> = kfpp::workspace_path);
  auto docs = kfpp::test::load_all(kfpp::compile(p));
  REQUIRE(docs.size() == 2);
  const auto& pc = *at_path(docs[1], "platforms.kubernetes.pipelineConfig");
  CHECK(at_path(pc, "workspace.size")->as_string() == "1.5Gi");
  CHECK(at_path(pc, "workspace.kubernetes.pvcSpecPatch")->as_object().empty());
  CHECK(at_path(pc, "resourceTtlOnCompletion")->as_int() == 60);
}

TEST_CASE("Pipeline config: an importer copies into the workspace only when there is one") {
  kfpp::Pipeline p("ws");
  p.importer<kfpp::Dataset>("s3://b/data", {.download_to_workspace = true});
  auto f = first_finding([&] { (void)p.ir(); });
  CHECK(f.code == "kfpp.workspace_missing");
  CHECK(f.path == "ws/importer/downloadToWorkspace");
  p.config({.workspace = kfpp::WorkspaceOptions{.size = "1Gi"}});
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(
      at_path(d, "deploymentSpec.executors.exec-importer.importer.downloadToWorkspace")->as_bool());
}

TEST_CASE("Ergonomics: braced lists are taken where a list value is expected") {
  using Tagged = Component<Ports<Port<"tags", std::vector<std::string>>,
                                 Port<"sizes", std::optional<std::vector<double>>>>>;
  auto tagged = Tagged::container("tagged").image("alpine").default_value<"sizes">({1, 2});
  kfpp::Pipeline p("braced");
  auto tags = p.param<std::vector<std::string>>("tags", {"a", "b"});
  p.add(tagged, in<"tags"> = tags);
  p.add(tagged, in<"tags"> = {"x"}, in<"sizes"> = {3});
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto& def = at_path(d, "root.inputDefinitions.parameters.tags.defaultValue")->as_array();
  REQUIRE(def.size() == 2);
  CHECK(def[1].as_string() == "b");
  const auto* sizes =
      at_path(d, "components.comp-tagged.inputDefinitions.parameters.sizes.defaultValue");
  REQUIRE(sizes != nullptr);
  CHECK(sizes->as_array().at(0).is_double());
  CHECK(sizes->as_array().at(1).as_double() == 2.0);
  CHECK(at_path(d, "root.dag.tasks.tagged-2.inputs.parameters.tags.runtimeValue.constant.0")
            ->as_string() == "x");
  CHECK(at_path(d, "root.dag.tasks.tagged-2.inputs.parameters.sizes.runtimeValue.constant.0")
            ->is_double());
}

TEST_CASE("Ergonomics: a task handle made inside a group is kept for a later after()") {
  kfpp::Pipeline p("handles");
  auto coin = p.add(echo(), in<"msg"> = "x").output();
  kfpp::Task<Echo::outputs> inside;
  CHECK(kfpp::test::definition_error([&] {
          p.add(echo(), in<"msg"> = "y").after(inside);
        }).code() == "kfpp.unset_task");
  CHECK(definition_text([&] { (void)inside.name(); }) ==
        "[kfpp.unset_task] <task>: the task handle was never assigned a task (assign it the "
        "result of p.add(...) before using it)");
  kfpp::ParallelFor(p, std::vector<int>{1, 2},
                    [&](kfpp::Channel<int>) { inside = p.add(echo(), in<"msg"> = "z"); });
  (void)coin;
  p.add(echo(), in<"msg"> = "after").after(inside);
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(d, "root.dag.tasks.echo-4.dependentTasks.0")->as_string() == "for-loop-2");
}

TEST_CASE("Descriptions: ports and pipeline outputs are described by name") {
  auto c = echo().describe<"msg">("What to print.").describe<"Output">("What was printed.");
  kfpp::Pipeline p("described");
  auto t = p.add(c, in<"msg"> = "x");
  p.output("said", t.output()).describe_output("said", "The echo.");
  CHECK(definition_text([&] { p.describe_output("sad", "x"); }) ==
        "[kfpp.unknown_output] described/outputs/sad: the pipeline has no output called 'sad' "
        "(declare it with output(\"sad\", ...) before describing it)");
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(
      at_path(d, "components.comp-echo.inputDefinitions.parameters.msg.description")->as_string() ==
      "What to print.");
  CHECK(at_path(d, "components.comp-echo.outputDefinitions.parameters.Output.description")
            ->as_string() == "What was printed.");
  CHECK(at_path(d, "root.outputDefinitions.parameters.said.description")->as_string() ==
        "The echo.");
}

TEST_CASE("IfPresent: one element is written as itself, a list as a list, as the SDK writes them") {
  using Opt = Component<Ports<Port<"seed", std::optional<int>>>>;
  auto c = Opt::container("opt").image("alpine").command("run").args(
      kfpp::if_present<"seed">("--seed", kfpp::value_of<"seed">),
      kfpp::if_present_single<"seed">(kfpp::value_of<"seed">).otherwise("none"),
      kfpp::concat("--s=", kfpp::if_present_single<"seed">(kfpp::value_of<"seed">).otherwise("0")));
  kfpp::Pipeline p("ifp");
  p.add(c);
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto& args = at_path(d, "deploymentSpec.executors.exec-opt.container.args")->as_array();
  REQUIRE(args.size() == 3);
  CHECK(args[0].as_string() ==
        "{\"IfPresent\": {\"InputName\": \"seed\", \"Then\": [\"--seed\", "
        "\"{{$.inputs.parameters['seed']}}\"]}}");
  CHECK(args[1].as_string() ==
        "{\"IfPresent\": {\"InputName\": \"seed\", \"Then\": "
        "\"{{$.inputs.parameters['seed']}}\", \"Else\": \"none\"}}");
  CHECK(args[2].as_string() ==
        "{\"Concat\": [\"--s=\", {\"IfPresent\": {\"InputName\": \"seed\", \"Then\": "
        "\"{{$.inputs.parameters['seed']}}\", \"Else\": \"0\"}}]}");
  // Both forms read back as they were written.
  auto back = kfpp::ir::read_pipeline(kfpp::compile(p), "ifp.yaml");
  const auto& read_args = back.find_executor("exec-opt")->container->args;
  CHECK_FALSE(read_args[0].then_single);
  CHECK(read_args[1].then_single);
  CHECK(read_args[1].else_single);
  CHECK(kfpp::compile_kfp(back) == kfpp::compile(p));
}

TEST_CASE("IfPresent: a list inside concat is refused when defined, as the SDK refuses it") {
  using Opt = Component<Ports<Port<"seed", std::optional<int>>>>;
  CHECK(definition_text([] {
          (void)Opt::container("opt").image("alpine").args(
              "x", kfpp::concat("--s=", kfpp::if_present<"seed">(kfpp::value_of<"seed">)));
        }) ==
        "[kfpp.if_present_list_in_concat] component opt/args/1: an if_present inside a "
        "concat has a list of arguments (use kfpp::if_present_single<\"name\">(x)."
        "otherwise(y) inside concat, or move the if_present out of it)");
}
