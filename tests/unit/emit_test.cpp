// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <unistd.h>

#include <dirent.h>
#include <cstdio>
#include <fstream>
#include <functional>
#include <kfpp/kfpp.hpp>
#include <tuple>

#include "compiler/text_memo.hpp"
#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::test::contains;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/kfpp-test-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  REQUIRE(d != nullptr);
  while (auto* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("Emitter: the same IR gives the same bytes") {
  auto p = kfpp::test::two_task_pipeline();
  std::string first = kfpp::compile_kfp(p);
  for (int i = 0; i < 5; ++i) CHECK(kfpp::compile_kfp(p) == first);
  // Task order in the IR does not change the text either.
  std::swap(p.root.dag->tasks[0], p.root.dag->tasks[1]);
  std::swap(p.components[0], p.components[1]);
  CHECK(kfpp::compile_kfp(p) == first);
}

TEST_CASE("Emitter: the header comment and sdkVersion name the pipeline and kfpp") {
  auto p = kfpp::test::two_task_pipeline();
  p.description = "Two steps.\nSecond line.";
  p.root.inputs.parameters[0].default_value = kfpp::ir::Value("hi");
  std::string text = kfpp::compile_kfp(p);
  // One comment line per line of the description, continued under its first word.
  CHECK(text.rfind("# PIPELINE DEFINITION\n# Name: demo\n# Description: Two steps.\n"
                   "#              Second line.\n"
                   "# Inputs:\n#    message: str [Default: 'hi']\n",
                   0) == 0);
  auto d = kfpp::test::load_all(text).at(0);
  CHECK(kfpp::test::at_path(d, "sdkVersion")->as_string() ==
        std::string("kfpp-") + kfpp::version_string);
  CHECK(kfpp::test::at_path(d, "schemaVersion")->as_string() == "2.1.0");
}

TEST_CASE("Emitter: an invalid pipeline leaves the target file untouched") {
  std::string dir = temp_dir();
  std::string path = dir + "/out.yaml";
  { std::ofstream(path) << "previous content\n"; }
  auto p = kfpp::test::two_task_pipeline();
  p.root.dag->tasks[1].component_ref = "comp-missing";
  CHECK_THROWS_AS(kfpp::compile_kfp_to_file(p, path), kfpp::ValidationError);
  CHECK(kfpp::test::read_text(path) == "previous content\n");
  CHECK(list_dir(dir) == std::vector<std::string>{"out.yaml"});

  kfpp::compile_kfp_to_file(kfpp::test::two_task_pipeline(), path);
  CHECK(kfpp::test::read_text(path) == kfpp::compile_kfp(kfpp::test::two_task_pipeline()));
  CHECK(list_dir(dir) == std::vector<std::string>{"out.yaml"});
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("Emitter: an unwritable path is an I/O error with the path") {
  try {
    kfpp::compile_kfp_to_file(kfpp::test::two_task_pipeline(), "/nonexistent-dir/x/out.yaml");
    FAIL("no exception");
  } catch (const kfpp::IoError& e) {
    CHECK(e.code() == "kfpp.io");
    CHECK(e.path() == "/nonexistent-dir/x/out.yaml");
  }
}

TEST_CASE("Emitter: importer fields follow the reference: reimport only when set") {
  kfpp::Pipeline p("imports");
  auto uri = p.param<std::string>("uri");
  auto a = p.importer<kfpp::Dataset>("gs://b/a.csv");
  auto b = p.importer<kfpp::Model>(uri, {.reimport = true});
  (void)a;
  (void)b;
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  using kfpp::test::at_path;
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer.importer.reimport") == nullptr);
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer.importer.metadata") == nullptr);
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer-2.importer.reimport")->as_bool());
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer-2.importer.artifactUri.runtimeParameter")
            ->as_string() == "uri");
  CHECK(at_path(d, "root.dag.tasks.importer-2.inputs.parameters.uri.componentInputParameter")
            ->as_string() == "uri");
}

TEST_CASE("Emitter: importer metadata must be an object") {
  kfpp::Pipeline p("imports");
  CHECK_THROWS_AS(p.importer<kfpp::Dataset>("gs://b/a", {.metadata = kfpp::Json(3)}),
                  kfpp::DefinitionError);
}

namespace {

// The lines of `yaml` from the one that is `head` up to the next at its indentation or less.
std::string block_of(const std::string& yaml, const std::string& head) {
  const auto at = yaml.find("\n" + head + "\n");
  REQUIRE(at != std::string::npos);
  const std::size_t indent = head.find_first_not_of(' ');
  std::size_t end = at + head.size() + 2;
  while (end < yaml.size()) {
    const std::size_t next = yaml.find('\n', end);
    const std::string line = yaml.substr(end, next - end);
    if (line.find_first_not_of(' ') <= indent) break;
    if (next == std::string::npos) return yaml.substr(at);
    end = next + 1;
  }
  return yaml.substr(at, end - at);
}

// Leaf components `names` of one container and one interface each, one root task per component.
kfpp::ir::Pipeline leaf_pipeline(const std::vector<std::string>& names,
                                 const std::vector<kfpp::ir::ContainerSpec>& containers,
                                 const std::vector<kfpp::ir::Interface>& inputs) {
  kfpp::ir::Pipeline p;
  p.name = "memo";
  p.root.dag.emplace();
  for (std::size_t i = 0; i < names.size(); ++i) {
    kfpp::ir::Component c;
    c.name = "comp-" + names[i];
    c.executor_label = "exec-" + names[i];
    c.inputs = inputs[i];
    p.components.push_back(c);
    kfpp::ir::Executor e;
    e.label = c.executor_label;
    e.container = containers[i];
    p.executors.push_back(e);
    kfpp::ir::Task t;
    t.name = names[i];
    t.component_ref = c.name;
    p.root.dag->tasks.push_back(t);
  }
  return p;
}

}  // namespace

TEST_CASE("Emitter: a component or executor like an earlier one is written as it is alone") {
  // The emitter copies the text of an interface or a container equal to one it wrote before;
  // each variant below differs from the first in one field and must read as it does alone.
  using kfpp::ir::Arg;
  kfpp::ir::ContainerSpec base;
  base.image = "python:3.11";
  base.command = {Arg::of("sh"), Arg::of("-c")};
  base.args = {Arg::of("run {{$.inputs.parameters['x']}}")};
  base.env = {{"MODE", "fast"}};
  base.resources.cpu_limit = 1.0;
  base.resources.resource_cpu_limit = "1";
  kfpp::ir::Interface base_in;
  base_in.parameters.push_back({"x", kfpp::ir::ParameterType::number_double, 0.0, false, "a"});
  base_in.artifacts.push_back({"data", {"system.Dataset"}, false, false, ""});

  kfpp::ir::ContainerSpec python = base;
  python.command.clear();
  python.args.clear();
  python.python.emplace();
  python.python->source = "def f():\n    pass\n";
  python.python->function_name = "f";
  using Change = std::function<void(kfpp::ir::ContainerSpec&)>;
  const std::vector<std::tuple<std::string, const kfpp::ir::ContainerSpec*, Change>> containers{
      {"the same", &base, [](auto&) {}},
      {"image", &base, [](auto& c) { c.image = "python:3.12"; }},
      {"command", &base, [](auto& c) { c.command[1] = Arg::of("-ec"); }},
      {"args", &base, [](auto& c) { c.args[0] = Arg::of("run {{$.inputs.parameters['y']}}"); }},
      {"a concat", &base,
       [](auto& c) {
         Arg a;
         a.kind = Arg::Kind::concat;
         a.items = {Arg::of("--x="), Arg::of("{{$.inputs.parameters['x']}}")};
         c.args.push_back(a);
       }},
      {"env", &base, [](auto& c) { c.env[0].value = "slow"; }},
      {"cpu as a number (-0.0 is not 0.0)", &base, [](auto& c) { c.resources.cpu_limit = -0.0; }},
      {"cpu as text", &base, [](auto& c) { c.resources.resource_cpu_limit = "2"; }},
      {"memory", &base, [](auto& c) { c.resources.resource_memory_limit = "1Gi"; }},
      {"accelerator", &base,
       [](auto& c) {
         c.resources.accelerator = kfpp::ir::Accelerator{"", 1, "nvidia.com/gpu", "1"};
       }},
      {"a python function", &base, [&](auto& c) { c = python; }},
      {"the same python function", &python, [](auto&) {}},
      {"python source", &python, [](auto& c) { c.python->source += "\n"; }},
      {"python packages", &python, [](auto& c) { c.python->packages = {"numpy"}; }},
      {"python index", &python,
       [](auto& c) { c.python->pip_index_urls = {"https://pypi.example.com/simple"}; }},
      {"python trusted hosts", &python,
       [](auto& c) { c.python->pip_trusted_hosts = std::vector<std::string>{}; }},
      {"python runtime", &python, [](auto& c) { c.python->install_kfp_package = false; }},
      {"python venv", &python, [](auto& c) { c.python->use_venv = true; }},
  };
  for (const auto& [what, first, change] : containers) {
    CAPTURE(what);
    kfpp::ir::ContainerSpec variant = *first;
    change(variant);
    CHECK(kfpp::detail::same_text(*first, variant) == (what.rfind("the same", 0) == 0));
    const std::string both =
        kfpp::emit_kfp(leaf_pipeline({"a", "b"}, {*first, variant}, {base_in, base_in}));
    const std::string alone = kfpp::emit_kfp(leaf_pipeline({"b"}, {variant}, {base_in}));
    CHECK(block_of(both, "    exec-b:") == block_of(alone, "    exec-b:"));
  }

  std::vector<std::pair<std::string, std::function<void(kfpp::ir::Interface&)>>> interfaces{
      {"the same", [](auto&) {}},
      {"a default's sign", [](auto& i) { i.parameters[0].default_value = -0.0; }},
      {"a default's kind", [](auto& i) { i.parameters[0].default_value = "0.0"; }},
      {"no default", [](auto& i) { i.parameters[0].default_value.reset(); }},
      {"a description", [](auto& i) { i.parameters[0].description = "b"; }},
      {"optional", [](auto& i) { i.parameters[0].is_optional = true; }},
      {"a type", [](auto& i) { i.parameters[0].type = kfpp::ir::ParameterType::number_integer; }},
      {"an artifact type", [](auto& i) { i.artifacts[0].type.schema_title = "system.Model"; }},
      {"a schema version", [](auto& i) { i.artifacts[0].type.schema_version = "0.0.2"; }},
      {"a list", [](auto& i) { i.artifacts[0].is_list = true; }},
      {"an optional artifact", [](auto& i) { i.artifacts[0].is_optional = true; }},
      {"an artifact's description", [](auto& i) { i.artifacts[0].description = "rows"; }},
  };
  for (const auto& [what, change] : interfaces) {
    CAPTURE(what);
    kfpp::ir::Interface variant = base_in;
    change(variant);
    CHECK(kfpp::detail::same_text(base_in, variant) == (what == "the same"));
    const std::string both =
        kfpp::emit_kfp(leaf_pipeline({"a", "b"}, {base, base}, {base_in, variant}));
    const std::string alone = kfpp::emit_kfp(leaf_pipeline({"b"}, {base}, {variant}));
    CHECK(block_of(both, "  comp-b:") == block_of(alone, "  comp-b:"));
  }

  // Like the one before last but not the last: found by its hash.
  kfpp::ir::ContainerSpec other = base;
  other.image = "python:3.12";
  kfpp::ir::Interface other_in = base_in;
  other_in.artifacts.clear();
  const std::string three = kfpp::emit_kfp(
      leaf_pipeline({"a", "b", "c"}, {base, other, base}, {base_in, other_in, base_in}));
  const std::string alone = kfpp::emit_kfp(leaf_pipeline({"c"}, {base}, {base_in}));
  CHECK(block_of(three, "  comp-c:") == block_of(alone, "  comp-c:"));
  CHECK(block_of(three, "    exec-c:") == block_of(alone, "    exec-c:"));
}

TEST_CASE("Emitter: a task's caching and retry entries like the task before are written as alone") {
  // The emitter copies the text of a task's caching options or retry policy equal to those of
  // the task written before it in the same DAG; each variant below differs from the first task
  // in one field and must read as it does alone.
  kfpp::ir::Task base;
  base.enable_cache = true;
  base.retry_policy = kfpp::ir::RetryPolicy{3, "30s", 2.0, "3600s"};
  using Change = std::function<void(kfpp::ir::Task&)>;
  const std::vector<std::pair<std::string, Change>> tasks{
      {"the same", [](auto&) {}},
      {"caching off", [](auto& t) { t.enable_cache = false; }},
      {"no caching options", [](auto& t) { t.enable_cache.reset(); }},
      {"a cache key", [](auto& t) { t.cache_key = "v2"; }},
      {"no retry", [](auto& t) { t.retry_policy.reset(); }},
      {"retry count", [](auto& t) { t.retry_policy->max_retry_count = 4; }},
      {"backoff", [](auto& t) { t.retry_policy->backoff_duration = "31s"; }},
      {"backoff factor", [](auto& t) { t.retry_policy->backoff_factor = 3.0; }},
      {"longest backoff", [](auto& t) { t.retry_policy->backoff_max_duration = "60s"; }},
  };
  kfpp::ir::ContainerSpec c;
  c.image = "alpine:3.20";
  for (const auto& [what, change] : tasks) {
    CAPTURE(what);
    kfpp::ir::Pipeline both = leaf_pipeline({"a", "b"}, {c, c}, {{}, {}});
    kfpp::ir::Pipeline alone = leaf_pipeline({"b"}, {c}, {{}});
    auto& first = both.root.dag->tasks[0];
    auto& second = both.root.dag->tasks[1];
    first.enable_cache = base.enable_cache;
    first.retry_policy = base.retry_policy;
    second.enable_cache = base.enable_cache;
    second.retry_policy = base.retry_policy;
    change(second);
    alone.root.dag->tasks[0] = second;
    CHECK(block_of(kfpp::emit_kfp(both), "      b:") ==
          block_of(kfpp::emit_kfp(alone), "      b:"));
  }
  // A DAG of its own is deeper: its tasks are written as they are alone, whatever came before.
  kfpp::ir::Pipeline nested = leaf_pipeline({"a", "b"}, {c, c}, {{}, {}});
  for (auto& t : nested.root.dag->tasks) t.retry_policy = base.retry_policy;
  kfpp::ir::Component inner;
  inner.name = "comp-inner";
  inner.dag.emplace().tasks = {nested.root.dag->tasks[1]};
  nested.root.dag->tasks[1].component_ref = "comp-inner";
  nested.components.push_back(inner);
  const auto doc = kfpp::test::load_all(kfpp::emit_kfp(nested)).at(0);
  for (const std::string task :
       {"root.dag.tasks.a.", "root.dag.tasks.b.", "components.comp-inner.dag.tasks.b."}) {
    CAPTURE(task);
    const auto* count = kfpp::test::at_path(doc, task + "retryPolicy.maxRetryCount");
    REQUIRE(count != nullptr);
    CHECK(count->as_int() == 3);
    CHECK(kfpp::test::at_path(doc, task + "retryPolicy.backoffDuration")->as_string() == "30s");
    CHECK(kfpp::test::at_path(doc, task + "cachingOptions.enableCache")->as_bool());
  }
}

TEST_CASE("Emitter: a task's inputs and the tasks it waits for are written by name, each once") {
  // As the SDK writes them (keys sorted, dependentTasks sorted and unique), whatever the order
  // in the IR: in order already, or not.
  for (const bool in_order : {true, false}) {
    CAPTURE(in_order);
    auto p = kfpp::test::two_task_pipeline();
    auto& consumer = p.root.dag->tasks[1];
    using Kind = kfpp::ir::ParameterBinding::Kind;
    consumer.parameters = {{"a", Kind::component_input, {}, "message", {}},
                           {"b", Kind::component_input, {}, "message", {}}};
    consumer.dependent_tasks = {"a-task", "producer"};
    if (!in_order) {
      std::swap(consumer.parameters[0], consumer.parameters[1]);
      consumer.dependent_tasks = {"producer", "a-task", "producer"};
    }
    const std::string text = kfpp::emit_kfp(p);
    CHECK(contains(text,
                   "        dependentTasks:\n        - a-task\n        - producer\n"
                   "        inputs:\n          parameters:\n            a:\n"));
    CHECK(contains(text, "            b:\n              componentInputParameter: message\n"));
  }
}
