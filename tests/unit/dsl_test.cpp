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
using kfpp::test::definition_error;

namespace {

using Echo = Component<Ports<Port<"msg", std::string>>, std::string>;

Echo echo() {
  return Echo::container("echo")
      .image("alpine:3.19")
      .command("echo")
      .args(kfpp::value_of<"msg">, kfpp::path_of<"Output">);
}

kfpp::ir::Value emitted(const kfpp::Pipeline& p) {
  return kfpp::test::load_all(kfpp::compile(p)).at(0);
}

}  // namespace

TEST_CASE("DSL: task names and component names are made unique in the order tasks are added") {
  kfpp::Pipeline p("names");
  auto t1 = p.add(echo(), in<"msg"> = "a");
  auto t2 = p.add(echo(), in<"msg"> = t1.output());
  auto t3 = p.add(echo(), in<"msg"> = t2.output());
  CHECK(t1.name() == "echo");
  CHECK(t2.name() == "echo-2");
  CHECK(t3.name() == "echo-3");
  auto d = emitted(p);
  CHECK(at_path(d, "root.dag.tasks.echo-3.componentRef.name")->as_string() == "comp-echo-3");
  CHECK(at_path(d, "components.comp-echo-2.executorLabel")->as_string() == "exec-echo-2");
  CHECK(at_path(d, "root.dag.tasks.echo-3.dependentTasks")->as_array().at(0).as_string() ==
        "echo-2");
}

TEST_CASE("DSL: a component changed after tasks use it changes only the tasks added later") {
  // Tasks share their component's data until the component changes; then it is copied, so a
  // component keeps value semantics (as a copy of it does).
  kfpp::Pipeline p("later");
  auto c = echo();
  auto copy = c;
  auto first = p.add(c, in<"msg"> = "a");
  c.image("alpine:3.20").env("MODE", "b");
  auto second = p.add(c, in<"msg"> = first.output());
  copy.image("busybox:1.36");
  (void)p.add(copy, in<"msg"> = second.output());
  auto d = emitted(p);
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo.container.image")->as_string() ==
        "alpine:3.19");
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo.container.env") == nullptr);
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo-2.container.image")->as_string() ==
        "alpine:3.20");
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo-2.container.env")->as_array().size() == 1);
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo-3.container.image")->as_string() ==
        "busybox:1.36");
  CHECK(at_path(d, "deploymentSpec.executors.exec-echo-3.container.env") == nullptr);
  CHECK(c.data().executor.container->image == "alpine:3.20");
  CHECK(copy.data().executor.container->image == "busybox:1.36");
}

TEST_CASE("DSL: Python function names become KFP names") {
  auto c =
      Component<Ports<>, int>::python("Load_Data__v2", "def Load_Data__v2() -> int: return 1\n");
  kfpp::Pipeline p("naming");
  CHECK(p.add(c).name() == "load-data-v2");
}

TEST_CASE("DSL: constants are converted to the port's type") {
  using C = Component<Ports<Port<"d", double>, Port<"i", std::int64_t>, Port<"b", bool>,
                            Port<"l", std::vector<int>>,
                            Port<"m", std::map<std::string, std::string>>, Port<"j", kfpp::Json>>>;
  auto c = C::container("types").image("alpine");
  kfpp::Pipeline p("types");
  p.add(c, in<"d"> = 3, in<"i"> = 7, in<"b"> = true, in<"l"> = std::vector<int>{1, 2},
        in<"m"> = std::map<std::string, std::string>{{"k", "v"}},
        in<"j"> = kfpp::Json::object({{"lr", 0.5}}));
  auto d = emitted(p);
  const std::string base = "root.dag.tasks.types.inputs.parameters.";
  CHECK(at_path(d, base + "d.runtimeValue.constant")->as_double() == 3.0);
  CHECK(at_path(d, base + "d.runtimeValue.constant")->is_double());
  // A protobuf Value holds every number as a double: the SDK writes `7.0`.
  CHECK(at_path(d, base + "i.runtimeValue.constant")->as_double() == 7.0);
  CHECK(at_path(d, base + "i.runtimeValue.constant")->is_double());
  CHECK(at_path(d, base + "b.runtimeValue.constant")->as_bool());
  CHECK(at_path(d, base + "l.runtimeValue.constant")->as_array().size() == 2);
  CHECK(at_path(d, base + "m.runtimeValue.constant.k")->as_string() == "v");
  CHECK(at_path(d, base + "j.runtimeValue.constant.lr")->as_double() == 0.5);
  CHECK(at_path(d, "components.comp-types.inputDefinitions.parameters.l.parameterType")
            ->as_string() == "LIST");
  CHECK(at_path(d, "components.comp-types.inputDefinitions.parameters.m.parameterType")
            ->as_string() == "STRUCT");
}

TEST_CASE("DSL: pipeline placeholders feed string inputs as KFP placeholders") {
  kfpp::Pipeline p("placeholders");
  p.add(echo(), in<"msg"> = kfpp::pipeline_job_name);
  p.add(echo(), in<"msg"> = kfpp::pipeline_task_id);
  auto d = emitted(p);
  CHECK(
      at_path(d, "root.dag.tasks.echo.inputs.parameters.msg.runtimeValue.constant")->as_string() ==
      "{{$.pipeline_job_name}}");
  CHECK(at_path(d, "root.dag.tasks.echo-2.inputs.parameters.msg.runtimeValue.constant")
            ->as_string() == "{{$.pipeline_task_uuid}}");
}

TEST_CASE("DSL: command-line placeholders are written the KFP way") {
  using C = Component<Ports<Port<"text", std::string>, Port<"seed", std::optional<int>>,
                            Port<"data", kfpp::Dataset>>,
                      Ports<Port<"model", kfpp::Model>, Port<"score", double>>>;
  auto c =
      C::container("train")
          .image("trainer:1")
          .command("train")
          .args(kfpp::value_of<"text">, kfpp::path_of<"data">, kfpp::uri_of<"data">,
                kfpp::metadata_of<"data">, kfpp::path_of<"model">, kfpp::uri_of<"model">,
                kfpp::metadata_of<"model">, kfpp::path_of<"score">, kfpp::executor_input,
                kfpp::pipeline_job_id, kfpp::concat("--text=", kfpp::value_of<"text">, "!"),
                kfpp::if_present<"seed">("--seed", kfpp::value_of<"seed">).otherwise("--random"),
                kfpp::if_present<"seed">(kfpp::concat("-s", kfpp::value_of<"seed">)))
          .default_value<"seed">(7);
  kfpp::Pipeline p("placeholders");
  auto data = p.param<kfpp::Dataset>("data");
  p.add(c, in<"text"> = "t", in<"data"> = data);
  auto d = emitted(p);
  const auto& args = at_path(d, "deploymentSpec.executors.exec-train.container.args")->as_array();
  std::vector<std::string> expected = {
      "{{$.inputs.parameters['text']}}",
      "{{$.inputs.artifacts['data'].path}}",
      "{{$.inputs.artifacts['data'].uri}}",
      "{{$.inputs.artifacts['data'].metadata}}",
      "{{$.outputs.artifacts['model'].path}}",
      "{{$.outputs.artifacts['model'].uri}}",
      "{{$.outputs.artifacts['model'].metadata}}",
      "{{$.outputs.parameters['score'].output_file}}",
      "{{$}}",
      "{{$.pipeline_job_uuid}}",
      R"({"Concat": ["--text=", "{{$.inputs.parameters['text']}}", "!"]})",
      R"({"IfPresent": {"InputName": "seed", "Then": ["--seed", "{{$.inputs.parameters['seed']}}"], "Else": ["--random"]}})",
      R"({"IfPresent": {"InputName": "seed", "Then": [{"Concat": ["-s", "{{$.inputs.parameters['seed']}}"]}]}})"};
  REQUIRE(args.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(args[i].as_string() == expected[i]);
  const auto* seed = at_path(d, "components.comp-train.inputDefinitions.parameters.seed");
  CHECK(at_path(*seed, "defaultValue")->as_double() == 7.0);
  CHECK(at_path(*seed, "isOptional")->as_bool());
  CHECK(at_path(d, "root.dag.tasks.train.inputs.artifacts.data.componentInputArtifact")
            ->as_string() == "data");
}

TEST_CASE("DSL: after, display name and caching reach the IR") {
  kfpp::Pipeline p("settings");
  auto a = p.add(echo(), in<"msg"> = "a");
  auto b = p.add(echo(), in<"msg"> = "b");
  b.after(a).display_name("Second step").caching(false);
  auto d = emitted(p);
  CHECK(at_path(d, "root.dag.tasks.echo-2.dependentTasks")->as_array().at(0).as_string() == "echo");
  CHECK(at_path(d, "root.dag.tasks.echo-2.taskInfo.name")->as_string() == "Second step");
  CHECK(at_path(d, "root.dag.tasks.echo-2.cachingOptions")->as_object().empty());
  CHECK(at_path(d, "root.dag.tasks.echo.cachingOptions.enableCache")->as_bool());
}

TEST_CASE("DSL: a bad pipeline name is a definition error at the call") {
  auto e = definition_error([] { kfpp::Pipeline p("My Pipeline"); });
  CHECK(e.code() == "kfpp.invalid_name");
  CHECK(contains(e.what(), "lower-case"));
}

TEST_CASE("DSL: a duplicate or invalid parameter name is a definition error") {
  kfpp::Pipeline p("params");
  (void)p.param<int>("epochs");
  auto dup = definition_error([&] { (void)p.param<double>("epochs"); });
  CHECK(dup.code() == "kfpp.duplicate_name");
  CHECK(dup.path() == "params/inputs/epochs");
  auto bad = definition_error([&] { (void)p.param<int>("learning rate"); });
  CHECK(bad.code() == "kfpp.invalid_name");
}

TEST_CASE("DSL: a value from another pipeline is a definition error") {
  kfpp::Pipeline a("first");
  kfpp::Pipeline b("second");
  auto x = a.param<std::string>("x");
  auto e = definition_error([&] { b.add(echo(), in<"msg"> = x); });
  CHECK(e.code() == "kfpp.foreign_value");
  CHECK(e.path() == "second/echo/inputs/msg");
  auto t = a.add(echo(), in<"msg"> = "m");
  auto u = b.add(echo(), in<"msg"> = "n");
  CHECK(definition_error([&] { u.after(t); }).code() == "kfpp.foreign_value");
  CHECK(definition_error([&] { u.after(u); }).code() == "kfpp.cycle");
}

TEST_CASE("DSL: Python components reject a bad function name and a command of their own") {
  using C = Component<Ports<>>;
  CHECK(definition_error([] { (void)C::python("2fast", ""); }).code() == "kfpp.invalid_name");
  CHECK(definition_error([] { (void)C::python("go", "def go(): pass").command("sh"); }).code() ==
        "kfpp.python_command");
  CHECK(definition_error([] { (void)C::container("c").packages({"numpy"}); }).code() ==
        "kfpp.not_python");
}

TEST_CASE("DSL: a pipeline output must come from a task") {
  kfpp::Pipeline p("outputs");
  auto x = p.param<std::string>("x");
  auto e = definition_error([&] { p.output("out", x); });
  CHECK(e.code() == "kfpp.invalid_output");
  auto t = p.add(echo(), in<"msg"> = x);
  p.output("out", t.output());
  CHECK(definition_error([&] { p.output("out", t.output()); }).code() == "kfpp.duplicate_name");
}

TEST_CASE("DSL: Python packages and indexes reach the launcher") {
  auto c = Component<Ports<>>::python("go", "def go():\n    pass\n")
               .packages({"pandas==2.2", "it's"})
               .pip_index_urls({"https://pypi.example.com/simple", "https://extra.example.com"});
  kfpp::Pipeline p("py");
  p.add(c);
  auto d = emitted(p);
  const auto& cmd = at_path(d, "deploymentSpec.executors.exec-go.container.command")->as_array();
  REQUIRE(cmd.size() == 4);
  const std::string& script = cmd[2].as_string();
  CHECK(contains(script, "'pandas==2.2' 'it'\\''s'"));
  CHECK(contains(script,
                 "--index-url 'https://pypi.example.com/simple' --extra-index-url "
                 "'https://extra.example.com'"));
  CHECK(contains(script, "'kfp==2.15.2'"));
  CHECK(contains(script, "kfp.dsl.executor_main"));
  CHECK(contains(cmd[3].as_string(), "def go():\n    pass\n"));
  const auto& args = at_path(d, "deploymentSpec.executors.exec-go.container.args")->as_array();
  CHECK(args.at(3).as_string() == "go");
}

TEST_CASE("DSL: pipeline inputs are described by name, and only existing ones") {
  kfpp::Pipeline p("described");
  auto x = p.param<std::string>("x", "default text");
  p.describe("x", "What to echo.");
  p.add(echo(), in<"msg"> = x);
  auto d = emitted(p);
  CHECK(at_path(d, "root.inputDefinitions.parameters.x.defaultValue")->as_string() ==
        "default text");
  CHECK(at_path(d, "root.inputDefinitions.parameters.x.description")->as_string() ==
        "What to echo.");
  auto e = definition_error([&] { p.describe("y", "nothing"); });
  CHECK(e.code() == "kfpp.unknown_parameter");
  CHECK(e.path() == "described/inputs/y");
}

TEST_CASE("DSL: each task's constant CPU and memory reach its executor as numbers") {
  // The KFP IR's old numeric fields: CPUs, and memory in decimal gigabytes (2Gi is
  // 2 * 1024^3 bytes, 2.147483648 GB). Tasks one after another ask for the same, then other,
  // then the first quantities again.
  kfpp::Pipeline p("quantities");
  const std::vector<std::pair<std::string, std::string>> asks{
      {"1", "2Gi"}, {"1", "2Gi"}, {"500m", "512M"}, {"1", "2Gi"}};
  for (const auto& [cpu, memory] : asks)
    p.add(echo(), in<"msg"> = "hi").cpu_limit(cpu).memory_limit(memory);
  const auto doc = emitted(p);
  const std::vector<std::pair<double, double>> want{
      {1.0, 2.147483648}, {1.0, 2.147483648}, {0.5, 0.512}, {1.0, 2.147483648}};
  const char* execs[] = {"exec-echo", "exec-echo-2", "exec-echo-3", "exec-echo-4"};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(execs[i]);
    const std::string res =
        std::string("deploymentSpec.executors.") + execs[i] + ".container.resources.";
    CHECK(at_path(doc, res + "cpuLimit")->as_double() == Approx(want[i].first));
    CHECK(at_path(doc, res + "memoryLimit")->as_double() == Approx(want[i].second));
    CHECK(at_path(doc, res + "resourceCpuLimit")->as_string() == asks[i].first);
  }
}
