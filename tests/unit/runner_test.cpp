// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <kfpp/ir/kubernetes.hpp>
#include <kfpp/kfpp.hpp>
#include <kfpp/runner/run.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

#include "examples.hpp"
#include "helpers.hpp"
#include "runner_support.hpp"

using kfpp::RunOptions;
using kfpp::TaskState;
using kfpp::ir::ParameterType;
using kfpp::test::constant;
using kfpp::test::contains;
using kfpp::test::file_text;
using kfpp::test::fresh_work_dir;
using kfpp::test::from_task;
using kfpp::test::param;
using kfpp::test::PipelineBuilder;

namespace {

RunOptions in(const std::string& dir) {
  RunOptions o;
  o.work_dir = dir;
  o.jobs = 4;
  return o;
}

}  // namespace

TEST_CASE("Runner: a DSL pipeline with Python components runs with kfpp's launcher") {
  RunOptions o = in(fresh_work_dir("dsl-pythagorean"));
  o.parameters = {{"a", 3.0}, {"b", 4.0}};
  kfpp::RunResult r = kfpp::run_local(pythagorean(), o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  REQUIRE(r.parameters.count("Output"));
  CHECK(r.parameters.at("Output").is_double());
  CHECK(r.parameters.at("Output").as_double() == 5.0);
  CHECK(r.find("add")->parameters.at("Output").as_double() == 25.0);
  CHECK(contains(file_text(r.run_dir + "/run.json"), "\"Output\": 5.0"));
}

TEST_CASE("Runner: a failing task is retried with its backoff until it succeeds") {
  PipelineBuilder b("retry");
  // Fails on the first two attempts, counting them in a file.
  b.shell("flaky",
          "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"; "
          "echo attempt $n; [ $n -ge 3 ] && echo -n $n > \"$2\"",
          {param("counter", ParameterType::string)}, {param("n", ParameterType::number_integer)});
  const std::string dir = fresh_work_dir("retry");
  auto t = PipelineBuilder::task("flaky", "flaky");
  t.parameters.push_back(constant("counter", std::string(dir) + "/counter"));
  t.retry_policy = kfpp::ir::RetryPolicy{3, "0.2s", 2.0, "10s"};
  t.enable_cache = false;
  b.p.root.dag->tasks.push_back(t);
  kfpp::RunResult r = kfpp::run_local(b.p, in(dir));
  INFO(kfpp::run_summary_text(r));
  const kfpp::TaskResult* f = r.find("flaky");
  REQUIRE(f);
  CHECK(r.state == TaskState::succeeded);
  CHECK(f->attempts == 3);
  CHECK(f->parameters.at("n") == kfpp::ir::Value(3));
  // Backoff 0.2 s, then 0.4 s.
  CHECK(f->end_seconds - f->start_seconds >= 0.6);
  CHECK(contains(file_text(f->log_path), "attempt 3 of 4"));
}

TEST_CASE("Runner: a task failing after its retries fails the run and its dependents never start") {
  PipelineBuilder b("fails");
  b.shell("bad", "echo broken; exit 3", {}, {param("out", ParameterType::string)});
  b.shell("after", "echo -n \"$1\" > \"$2\"", {param("x", ParameterType::string)},
          {param("y", ParameterType::string)});
  auto bad = PipelineBuilder::task("bad", "bad");
  bad.retry_policy = kfpp::ir::RetryPolicy{1, "0s", 2.0, "0s"};
  auto after = PipelineBuilder::task("after", "after");
  after.parameters.push_back(from_task("x", "bad", "out"));
  b.p.root.dag->tasks = {bad, after};
  kfpp::RunResult r = kfpp::run_local(b.p, in(fresh_work_dir("fails")));
  CHECK(r.state == TaskState::failed);
  CHECK(r.find("bad")->state == TaskState::failed);
  CHECK(r.find("bad")->attempts == 2);
  CHECK(r.find("bad")->error == "exited with status 3");
  CHECK(contains(file_text(r.find("bad")->log_path), "broken"));
  CHECK(r.find("after")->state == TaskState::skipped);
  CHECK(r.find("after")->attempts == 0);
  CHECK(contains(r.error, "task 'bad' failed"));
}

TEST_CASE("Runner: a task that ignores upstream failure runs with its defaults") {
  PipelineBuilder b("ignore");
  b.shell("bad", "exit 1", {}, {param("out", ParameterType::string)});
  auto& c = b.shell("cleanup", "echo -n \"got $1\" > \"$2\"", {param("x", ParameterType::string)},
                    {param("y", ParameterType::string)});
  c.inputs.parameters[0].default_value = kfpp::ir::Value("the default");
  c.inputs.parameters[0].is_optional = true;
  auto cleanup = PipelineBuilder::task("cleanup", "cleanup");
  cleanup.parameters.push_back(from_task("x", "bad", "out"));
  cleanup.trigger_strategy = "ALL_UPSTREAM_TASKS_COMPLETED";
  b.p.root.dag->tasks = {PipelineBuilder::task("bad", "bad"), cleanup};
  kfpp::RunResult r = kfpp::run_local(b.p, in(fresh_work_dir("ignore")));
  CHECK(r.state == TaskState::failed);
  REQUIRE(r.find("cleanup")->state == TaskState::succeeded);
  CHECK(r.find("cleanup")->parameters.at("y") == kfpp::ir::Value("got the default"));
}

TEST_CASE("Runner: a loop with parallelism 3 never runs more than 3 iterations at once") {
  PipelineBuilder b("loop");
  b.shell("nap", "sleep 0.4; echo -n \"$1\" > \"$2\"", {param("i", ParameterType::number_integer)},
          {param("o", ParameterType::number_integer)});
  kfpp::ir::Component body;
  body.name = "comp-for-loop-1";
  body.inputs.parameters.push_back(
      param("pipelinechannel--loop-item-param-1", ParameterType::number_integer));
  auto& dag = body.dag.emplace();
  auto nap = PipelineBuilder::task("nap", "nap");
  nap.enable_cache = false;
  nap.parameters.push_back({"i",
                            kfpp::ir::ParameterBinding::Kind::component_input,
                            {},
                            "pipelinechannel--loop-item-param-1",
                            {}});
  dag.tasks.push_back(nap);
  dag.outputs.push_back({"pipelinechannel--nap-o", false, "nap", "o"});
  body.outputs.parameters.push_back(param("pipelinechannel--nap-o", ParameterType::list));
  b.p.components.push_back(body);
  auto loop = PipelineBuilder::task("for-loop-1", "for-loop-1");
  loop.enable_cache.reset();
  loop.iterator_item_input = "pipelinechannel--loop-item-param-1";
  loop.iterator_raw_items = kfpp::ir::Value::array({0, 1, 2, 3, 4, 5, 6});
  loop.parallelism_limit = 3;
  b.p.root.dag->tasks.push_back(loop);
  kfpp::test::ConcurrencyProbe probe;
  RunOptions o = in(fresh_work_dir("loop"));
  o.jobs = 8;
  o.observer = &probe;
  kfpp::RunResult r = kfpp::run_local(b.p, o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  CHECK(probe.started.size() == 7);
  CHECK(probe.most == 3);
  CHECK(kfpp::test::most_overlapping(r, "for-loop-1[") == 3);
  // Collected in iteration order, numbers as the backend writes them.
  CHECK(r.find("for-loop-1")->parameters.at("pipelinechannel--nap-o") ==
        kfpp::ir::Value::array({0, 1, 2, 3, 4, 5, 6}));
}

TEST_CASE("Runner: numbers reach commands as the backend writes them") {
  PipelineBuilder b("numbers");
  b.p.root.inputs.parameters.push_back(param("x", ParameterType::number_double));
  b.shell("twice", "echo -n $(( $1 * 2 )) > \"$2\"", {param("x", ParameterType::number_double)},
          {param("y", ParameterType::number_integer)});
  auto t = PipelineBuilder::task("twice", "twice");
  t.parameters.push_back({"x", kfpp::ir::ParameterBinding::Kind::component_input, {}, "x", {}});
  b.p.root.dag->tasks.push_back(t);
  RunOptions o = in(fresh_work_dir("numbers"));
  o.parameters["x"] = 3.0;  // the backend gives `3`, never `3.0`, so shell arithmetic works
  kfpp::RunResult r = kfpp::run_local(b.p, o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  CHECK(r.find("twice")->parameters.at("y") == kfpp::ir::Value(6));
}

TEST_CASE("Runner: the second run of a task with the same inputs is a cache hit") {
  PipelineBuilder b("cache");
  b.shell("stamp", "date +%s%N > \"$1\"", {}, {param("t", ParameterType::string)});
  b.p.root.dag->tasks.push_back(PipelineBuilder::task("stamp", "stamp"));
  const std::string dir = fresh_work_dir("cache");
  kfpp::RunResult first = kfpp::run_local(b.p, in(dir));
  kfpp::RunResult second = kfpp::run_local(b.p, in(dir));
  REQUIRE(first.state == TaskState::succeeded);
  REQUIRE(second.state == TaskState::succeeded);
  CHECK(first.find("stamp")->state == TaskState::succeeded);
  CHECK(second.find("stamp")->state == TaskState::cached);
  CHECK(second.find("stamp")->parameters == first.find("stamp")->parameters);
  CHECK(second.find("stamp")->fingerprint == first.find("stamp")->fingerprint);
  CHECK(contains(kfpp::run_summary_text(second), "1 cached"));
  RunOptions fresh = in(dir);
  fresh.cache = false;
  kfpp::RunResult third = kfpp::run_local(b.p, fresh);
  CHECK(third.find("stamp")->state == TaskState::succeeded);
  CHECK(third.find("stamp")->parameters != first.find("stamp")->parameters);
}

TEST_CASE("Runner: a condition that cannot be evaluated fails the run with the expression") {
  PipelineBuilder b("badcond");
  b.shell("echo", "echo hi", {}, {});
  auto t = PipelineBuilder::task("echo", "echo");
  t.parameters.push_back(constant("pipelinechannel--x", "abc"));
  t.trigger_condition = "int(inputs.parameter_values['pipelinechannel--x']) > 2";
  b.p.root.dag->tasks.push_back(t);
  kfpp::RunResult r = kfpp::run_local(b.p, in(fresh_work_dir("badcond")));
  CHECK(r.state == TaskState::failed);
  const kfpp::TaskResult* e = r.find("echo");
  REQUIRE(e);
  CHECK(e->state == TaskState::failed);
  CHECK(e->attempts == 0);
  CHECK(contains(e->error, "[kfpp.cel_eval] echo/triggerPolicy/condition"));
  CHECK(contains(e->error, "int(inputs.parameter_values['pipelinechannel--x']) > 2"));
}

TEST_CASE("Runner: a task past its timeout is stopped with its process group") {
  PipelineBuilder b("timeout");
  b.shell("slow", "sleep 30 & sleep 30; echo done", {}, {});
  b.executor("slow").kubernetes.emplace().active_deadline_seconds = 1;
  b.p.root.dag->tasks.push_back(PipelineBuilder::task("slow", "slow"));
  kfpp::RunResult r = kfpp::run_local(b.p, in(fresh_work_dir("timeout")));
  const kfpp::TaskResult* s = r.find("slow");
  CHECK(r.state == TaskState::failed);
  CHECK(s->error == "stopped after its timeout");
  CHECK(s->end_seconds - s->start_seconds < 5);
}

TEST_CASE("Runner: cancellation stops running tasks and records the run as cancelled") {
  PipelineBuilder b("cancel");
  b.shell("slow", "sleep 30", {}, {});
  b.shell("next", "echo next", {}, {});
  auto next = PipelineBuilder::task("next", "next");
  next.dependent_tasks = {"slow"};
  b.p.root.dag->tasks = {PipelineBuilder::task("slow", "slow"), next};
  std::atomic<bool> cancel{false};
  struct Canceller : kfpp::RunObserver {
    std::atomic<bool>* flag;
    void task_started(const kfpp::TaskResult&) override { *flag = true; }
  } canceller;
  canceller.flag = &cancel;
  RunOptions o = in(fresh_work_dir("cancel"));
  o.cancel = &cancel;
  o.observer = &canceller;
  kfpp::RunResult r = kfpp::run_local(b.p, o);
  CHECK(r.state == TaskState::cancelled);
  CHECK(r.find("slow")->state == TaskState::cancelled);
  CHECK(r.find("next")->state == TaskState::cancelled);
  CHECK(r.seconds < 5);
  CHECK(contains(file_text(r.run_dir + "/run.json"), "\"state\": \"cancelled\""));
}

TEST_CASE("Runner: secrets and config maps come from folders as env vars, values never printed") {
  PipelineBuilder b("secrets");
  b.shell("use", "echo -n \"${#DB_PASSWORD}:$LEVEL\" > \"$1\"", {},
          {param("out", ParameterType::string)});
  auto& k = b.executor("use").kubernetes.emplace();
  k.secret_as_env.push_back({"db", std::nullopt, {{"password", "DB_PASSWORD"}}, std::nullopt});
  k.config_map_as_env.push_back({"app", std::nullopt, {{"level", "LEVEL"}}, std::nullopt});
  b.p.root.dag->tasks.push_back(PipelineBuilder::task("use", "use"));
  const std::string dir = fresh_work_dir("secrets");
  REQUIRE(std::system(("mkdir -p " + dir + "/s/db " + dir + "/c/app && printf hunter2 > " + dir +
                       "/s/db/password && printf debug > " + dir + "/c/app/level")
                          .c_str()) == 0);
  RunOptions o = in(dir);
  o.secrets_dir = dir + "/s";
  o.config_maps_dir = dir + "/c";
  kfpp::RunResult r = kfpp::run_local(b.p, o);
  REQUIRE(r.state == TaskState::succeeded);
  CHECK(r.find("use")->parameters.at("out") == kfpp::ir::Value("7:debug"));
  CHECK(!contains(kfpp::run_record_json(r), "hunter2"));
  // Without the folders, the setting is reported as not applied.
  kfpp::RunResult bare = kfpp::run_local(b.p, in(dir));
  CHECK(contains(kfpp::run_summary_text(bare), "secret 'db' as env (give --secrets DIR)"));
  // A missing key fails the task, naming it.
  o.config_maps_dir = dir + "/s";
  o.cache = false;
  kfpp::RunResult missing = kfpp::run_local(b.p, o);
  CHECK(missing.state == TaskState::failed);
  CHECK(contains(missing.find("use")->error, "config map 'app' has no key 'level'"));
}

TEST_CASE("Runner: parameters are checked before anything runs") {
  const std::string dir = fresh_work_dir("params");
  auto code = [&](std::map<std::string, kfpp::ir::Value> params) {
    RunOptions o = in(dir);
    o.parameters = std::move(params);
    try {
      (void)kfpp::run_local(pythagorean(), o);
    } catch (const kfpp::Error& e) {
      return e.code();
    }
    return std::string("none");
  };
  CHECK(code({{"a", 3.0}}) == "kfpp.missing_parameter");
  CHECK(code({{"a", 3.0}, {"b", "four"}}) == "kfpp.bad_parameter_value");
  CHECK(code({{"a", 3.0}, {"b", 4.0}, {"c", 1}}) == "kfpp.unknown_parameter");
  CHECK(kfpp::parameter_from_text("a", "3", ParameterType::number_double) == kfpp::ir::Value(3.0));
  CHECK(kfpp::parameter_from_text("l", "[1, 2]", ParameterType::list) ==
        kfpp::ir::Value::array({1, 2}));
  CHECK_THROWS_WITH(kfpp::parameter_from_text("n", "3.5", ParameterType::number_integer),
                    Catch::Contains("[kfpp.bad_parameter_value] n: '3.5' is not an integer"));
}

TEST_CASE("Parameter text: one reading for the runner, the client and compile options") {
  using kfpp::ir::ParameterType;
  using kfpp::ir::Value;
  const auto from = [](const char* text, ParameterType type) {
    return kfpp::parameter_from_text("p", text, type);
  };
  CHECK(from("-7", ParameterType::number_integer) == Value(std::int64_t{-7}));
  CHECK(from("1e3", ParameterType::number_double) == Value(1000.0));
  CHECK(from("True", ParameterType::boolean) == Value(true));
  CHECK(from("false", ParameterType::boolean) == Value(false));
  CHECK(from(" x ", ParameterType::string) == Value(" x "));
  CHECK(from("{\"k\": 1}", ParameterType::structure) == Value::object({{"k", 1}}));
  // What strtod or strtoll would take but a typed value is not.
  for (const char* bad : {"0x10", "inf", "nan", " 3", "3 ", "", "+"})
    CHECK_THROWS_WITH(from(bad, ParameterType::number_double), Catch::Contains("is not a number"));
  for (const char* bad : {"+5", "9223372036854775808", "3.0", " 3"})
    CHECK_THROWS_WITH(from(bad, ParameterType::number_integer),
                      Catch::Contains("is not an integer"));
  CHECK_THROWS_WITH(from("yes", ParameterType::boolean), Catch::Contains("is not true or false"));
  CHECK_THROWS_WITH(from("{}", ParameterType::list), Catch::Contains("is not a JSON list"));
  CHECK_THROWS_WITH(from("[1]", ParameterType::structure), Catch::Contains("is not a JSON object"));
  CHECK_THROWS_WITH(from("x", ParameterType::task_final_status),
                    Catch::Contains("[kfpp.bad_parameter_value]"));
}

TEST_CASE("Runner: shard_report fills its templates and loops over the collected shards") {
  const std::string dir = fresh_work_dir("shard-report");
  { std::ofstream(dir + "/source.txt") << "one\ntwo\nthree\n"; }
  RunOptions o = in(dir + "/work");
  o.parameters = {{"data_dir", dir}, {"owner", "ops"}};
  kfpp::RunResult r = kfpp::run_local(shard_report(), o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  // The importer's URI "{data_dir}/{file}" and its metadata {owner, "{owner}-source"}.
  const auto& imported = r.find("importer")->artifacts.at("artifact").at(0);
  CHECK(imported.path == dir + "/source.txt");
  CHECK(imported.metadata == kfpp::ir::Value::object({{"owner", "ops"}, {"label", "ops-source"}}));
  CHECK(r.find("count-lines")->parameters.at("report") == kfpp::ir::Value("source: 3"));
  // One shard per name, each written as "{owner}:{name}", each counted with its label.
  REQUIRE(r.find("write-shards")->artifacts.at("shards").size() == 3);
  std::vector<std::string> shard_texts;
  for (const auto& a : r.find("write-shards")->artifacts.at("shards"))
    shard_texts.push_back(file_text(a.path));
  std::sort(shard_texts.begin(), shard_texts.end());
  CHECK(shard_texts == std::vector<std::string>{"ops:alpha\n", "ops:beta\n", "ops:gamma\n"});
  std::size_t counted = 0;
  for (const auto& t : r.tasks)
    if (t.path.rfind("for-loop-", 0) == 0 && t.parameters.count("report")) {
      CHECK(t.parameters.at("report") == kfpp::ir::Value("shard of ops: 1"));
      ++counted;
    }
  CHECK(counted == 3);
}

TEST_CASE("Runner: metadata a Python function gives an artifact is recorded and read downstream") {
  using kfpp::Component;
  using kfpp::Port;
  using kfpp::Ports;
  auto produce = Component<Ports<>, Ports<Port<"data", kfpp::Dataset>>>::python(
      "produce", R"(def produce(data: Output[Dataset]):
    with open(data.path, 'w') as f:
        f.write('a\nb\nc\n')
    data.metadata['rows'] = 3
    data.metadata['source'] = 'inline'
)");
  auto describe = Component<Ports<Port<"data", kfpp::Dataset>>, std::string>::python(
      "describe", R"(def describe(data: Input[Dataset]) -> str:
    return '%s:%d' % (data.metadata['source'], data.metadata['rows'])
)");
  kfpp::Pipeline p("metadata-flow");
  auto made = p.add(produce);
  p.add(describe, kfpp::in<"data"> = made.output());
  RunOptions o = in(fresh_work_dir("metadata-flow"));
  kfpp::RunResult r = kfpp::run_local(p, o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  // As the KFP backend records it from the executor's output, and hands it to the next task.
  CHECK(r.find("produce")->artifacts.at("data").at(0).metadata ==
        kfpp::ir::Value::object({{"rows", 3}, {"source", "inline"}}));
  CHECK(r.find("describe")->parameters.at("Output") == kfpp::ir::Value("inline:3"));
}

TEST_CASE("Runner: an artifact a Python function returns is its output, wherever it was written") {
  using kfpp::Component;
  using kfpp::Port;
  using kfpp::Ports;
  using Make = Component<Ports<>, Ports<Port<"Output", kfpp::Dataset>>>;
  // Written at dsl.get_uri('elsewhere'), beside the output: the file is copied to the output.
  auto make = Make::python("make", R"(def make() -> Dataset:
    d = Dataset(uri=dsl.get_uri('elsewhere'), metadata={'rows': 2})
    with open(d.path, 'w') as f:
        f.write('a\nb\n')
    return d
)");
  auto count = Component<Ports<Port<"data", kfpp::Dataset>>, std::string>::python(
      "count", R"(def count(data: Dataset) -> str:
    with open(data.path) as f:
        return '%d/%d' % (len(f.read().splitlines()), data.metadata['rows'])
)");
  kfpp::Pipeline p("returned-artifact");
  auto made = p.add(make);
  p.add(count, kfpp::in<"data"> = made.output());
  kfpp::RunResult r = kfpp::run_local(p, in(fresh_work_dir("returned-artifact")));
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == TaskState::succeeded);
  const kfpp::ArtifactResult& out = r.find("make")->artifacts.at("Output").at(0);
  CHECK(file_text(out.path) == "a\nb\n");
  CHECK(out.metadata == kfpp::ir::Value::object({{"rows", 2}}));
  CHECK(r.find("count")->parameters.at("Output") == kfpp::ir::Value("2/2"));
}

TEST_CASE("Runner: a returned artifact with no file or no URI fails its task with the reason") {
  using Make = kfpp::Component<kfpp::Ports<>, kfpp::Ports<kfpp::Port<"Output", kfpp::Dataset>>>;
  const std::string dir = fresh_work_dir("returned-nothing");
  for (const auto& [body, reason] : std::vector<std::pair<std::string, std::string>>{
           {"Dataset(uri='" + dir + "/never-written')",
            "kfpp launcher: the function returned for its output artifact 'Output' one at '" + dir +
                "/never-written', where there is no file (write it at dsl.get_uri('Output'))"},
           {"Dataset()",
            "kfpp launcher: the function returned for its output artifact 'Output' one with no "
            "URI (give it dsl.get_uri('Output'))"}}) {
    INFO(body);
    kfpp::Pipeline p("returned-nothing");
    p.add(Make::python("make", "def make() -> Dataset:\n    return " + body + "\n"));
    kfpp::RunResult r = kfpp::run_local(p, in(dir + "/" + std::to_string(body.size())));
    REQUIRE(r.state == TaskState::failed);
    CHECK(r.find("make")->error == "exited with status 1");
    CHECK(contains(file_text(r.find("make")->log_path), reason));
  }
}
