// SPDX-License-Identifier: Apache-2.0
// The Argo emitter builds a leaf task's container template once per distinct set of facts (the
// component's interface and container, the executor's Kubernetes settings, the task's settings,
// what the calling DAG leaves unset) and gives it to every later task with the same facts. Each
// case below changes one fact of a second task and checks that the task gets the template it
// gets alone, never the first task's, and that the change shows in the template (else sharing
// would be right).
#include <catch2/catch.hpp>

#include <functional>
#include <kfpp/compiler/argo.hpp>
#include <kfpp/ir/kubernetes.hpp>
#include <kfpp/ir/pipeline.hpp>
#include <string>
#include <vector>

#include "argo_fixtures.hpp"
#include "yaml_tree.hpp"

using kfpp::ir::Arg;
using kfpp::ir::ArtifactBinding;
using kfpp::ir::ParameterBinding;
using kfpp::ir::Value;
using kfpp::test::named;

namespace {

ParameterBinding constant(const std::string& name, Value v) {
  return {name, ParameterBinding::Kind::constant, std::move(v), "", ""};
}

ParameterBinding from_input(const std::string& name, const std::string& input) {
  return {name, ParameterBinding::Kind::component_input, {}, input, ""};
}

// One leaf component, its executor and the root task calling it, all named `name`.
struct Leaf {
  kfpp::ir::Component component;
  kfpp::ir::Executor executor;
  kfpp::ir::Task task;
};

Leaf base_leaf() {
  Leaf l;
  l.component.inputs.parameters.push_back(
      {"x", kfpp::ir::ParameterType::string, Value("a"), false, ""});
  l.component.inputs.parameters.push_back(
      {"y", kfpp::ir::ParameterType::number_integer, std::nullopt, true, ""});
  l.component.inputs.artifacts.push_back({"data", {"system.Dataset"}, false, true, ""});
  l.component.outputs.parameters.push_back(
      {"score", kfpp::ir::ParameterType::number_double, std::nullopt, false, ""});
  auto& c = l.executor.container.emplace();
  c.image = "registry.example.com/work:1";
  c.command = {Arg::of("work")};
  c.args = {Arg::of("--x={{$.inputs.parameters['x']}}"),
            Arg::of("{{$.outputs.parameters['score'].output_file}}")};
  c.env = {{"MODE", "fast"}};
  c.resources.resource_cpu_limit = "1";
  l.task.parameters.push_back(constant("x", Value("b")));
  return l;
}

kfpp::ir::Pipeline pipeline_of(const std::vector<std::pair<std::string, Leaf>>& leaves) {
  kfpp::ir::Pipeline p;
  p.name = "keys";
  p.root.dag.emplace();
  p.root.inputs.artifacts.push_back({"rows", {"system.Dataset"}, false, false, ""});
  for (const auto& [name, leaf] : leaves) {
    kfpp::ir::Component c = leaf.component;
    c.name = "comp-" + name;
    c.executor_label = "exec-" + name;
    p.components.push_back(c);
    kfpp::ir::Executor e = leaf.executor;
    e.label = c.executor_label;
    p.executors.push_back(e);
    kfpp::ir::Task t = leaf.task;
    t.name = name;
    t.component_ref = c.name;
    p.root.dag->tasks.push_back(t);
  }
  return p;
}

// The template that the task at `path` (task names from the root DAG down) calls, without its
// name.
Value template_of(const std::string& yaml, const std::vector<std::string>& path) {
  const std::vector<Value> docs = kfpp::test::load_all(yaml);
  REQUIRE(docs.size() == 1);
  const Value* templates = kfpp::test::at_path(docs[0], "spec.templates");
  REQUIRE(templates);
  const Value* entry = kfpp::test::at_path(docs[0], "spec.entrypoint");
  REQUIRE(entry);
  Value t = named(*templates, entry->as_string());
  for (const auto& task : path) {
    const Value* tasks = kfpp::test::at_path(t, "dag.tasks");
    REQUIRE(tasks);
    t = named(*templates, named(*tasks, task).as_object().at("template").as_string());
  }
  t.as_object().erase("name");
  return t;
}

kfpp::ArgoOptions memoized() {
  kfpp::ArgoOptions o;
  o.memoize_config_map = "cache";
  return o;
}

}  // namespace

TEST_CASE("Argo: a task like an earlier one gets the template it gets alone") {
  using Change = std::function<void(Leaf&)>;
  const Change none = [](Leaf&) {};
  // Memoization needs a task without input artifacts.
  const Change no_artifacts = [](Leaf& l) { l.component.inputs.artifacts.clear(); };
  struct Case {
    std::string what;
    Change change;  // the second task's difference
    Change both;    // applied to both tasks first
    kfpp::ArgoOptions options{};
  };
  const std::vector<Case> cases{
      // The component's interface and container.
      {"image", [](Leaf& l) { l.executor.container->image = "registry.example.com/work:2"; }, none},
      {"command", [](Leaf& l) { l.executor.container->command[0] = Arg::of("run"); }, none},
      {"args",
       [](Leaf& l) { l.executor.container->args[0] = Arg::of("-x={{$.inputs.parameters['x']}}"); },
       none},
      {"env", [](Leaf& l) { l.executor.container->env[0].value = "slow"; }, none},
      {"cpu", [](Leaf& l) { l.executor.container->resources.resource_cpu_limit = "2"; }, none},
      {"a python function",
       [](Leaf& l) {
         auto& c = *l.executor.container;
         c.command.clear();
         c.args.clear();
         c.python.emplace();
         c.python->source = "def work(x: str) -> float:\n    return 1.0\n";
         c.python->function_name = "work";
       },
       none},
      {"a default", [](Leaf& l) { l.component.inputs.parameters[0].default_value = Value("c"); },
       [](Leaf& l) { l.task.parameters.clear(); }},
      {"a parameter type",
       [](Leaf& l) { l.component.inputs.parameters[0].type = kfpp::ir::ParameterType::structure; },
       [](Leaf& l) { l.executor.container->args.push_back(Arg::of("{{$}}")); }},
      {"an output",
       [](Leaf& l) {
         l.component.outputs.artifacts.push_back({"model", {"system.Model"}, false, false, ""});
       },
       none},
      {"kubernetes settings",
       [](Leaf& l) {
         l.executor.kubernetes.emplace().node_selector.emplace().labels["pool"] = "gpu";
       },
       none},
      // The component's name, which the template reads in these cases.
      {"the name in {{$.pipeline_task_name}}", none,
       [](Leaf& l) { l.executor.container->args[0] = Arg::of("{{$.pipeline_task_name}}"); }},
      {"the name in a memoization key", none, no_artifacts, memoized()},
      // The task's settings.
      {"a parameter it gives",
       [](Leaf& l) { l.task.parameters.push_back(constant("y", Value(3))); }, none},
      {"which parameter it gives", [](Leaf& l) { l.task.parameters = {constant("y", Value(3))}; },
       none},
      {"a parameter it leaves to the default", [](Leaf& l) { l.task.parameters.clear(); }, none},
      {"its display name in the task id", [](Leaf& l) { l.task.display_name = "second"; },
       [](Leaf& l) {
         l.task.parameters[0].constant = Value("{{$.pipeline_task_uuid}}-{{$.pipeline_task_name}}");
       }},
      {"an artifact it gives",
       [](Leaf& l) {
         l.task.artifacts.push_back({"data", ArtifactBinding::Kind::component_input, "rows", ""});
       },
       none},
      {"retries",
       [](Leaf& l) {
         l.task.retry_policy = kfpp::ir::RetryPolicy{3, "10s"};
       },
       none},
      {"caching", [](Leaf& l) { l.task.enable_cache = true; },
       [&](Leaf& l) {
         no_artifacts(l);
         l.task.enable_cache = false;
       },
       memoized()},
      {"a cache key", [](Leaf& l) { l.task.cache_key = "v2"; }, no_artifacts, memoized()},
  };
  for (const auto& [what, change, both_tasks, options] : cases) {
    CAPTURE(what);
    Leaf first = base_leaf();
    both_tasks(first);
    Leaf second = first;
    change(second);
    const Value both =
        template_of(kfpp::emit_argo(pipeline_of({{"a", first}, {"b", second}}), options), {"b"});
    const Value alone = template_of(kfpp::emit_argo(pipeline_of({{"b", second}}), options), {"b"});
    const Value first_alone =
        template_of(kfpp::emit_argo(pipeline_of({{"a", first}}), options), {"a"});
    CHECK(both == alone);
    CHECK_FALSE(first_alone == alone);
  }
}

TEST_CASE("Argo: retry settings each make a template of their own") {
  const std::vector<std::pair<std::string, kfpp::ir::RetryPolicy>> cases{
      {"the count", {4, "30s", 2.0, "3600s"}},
      {"the backoff", {3, "31s", 2.0, "3600s"}},
      {"the factor", {3, "30s", 1.5, "3600s"}},
      {"the longest backoff", {3, "30s", 2.0, "60s"}},
  };
  for (const auto& [what, policy] : cases) {
    CAPTURE(what);
    Leaf first = base_leaf();
    first.task.retry_policy = kfpp::ir::RetryPolicy{3, "30s", 2.0, "3600s"};
    Leaf second = first;
    second.task.retry_policy = policy;
    const Value both =
        template_of(kfpp::emit_argo(pipeline_of({{"a", first}, {"b", second}}), {}), {"b"});
    const Value alone = template_of(kfpp::emit_argo(pipeline_of({{"b", second}}), {}), {"b"});
    CHECK(both == alone);
    CHECK_FALSE(template_of(kfpp::emit_argo(pipeline_of({{"b", first}}), {}), {"b"}) == alone);
  }
}

TEST_CASE("Argo: a task in a group that leaves an input unset gets the template it gets alone") {
  // The group `comp-g` passes its optional input `x` to its task `work`; called once with `x`
  // and once without, its task takes the component's default in the second call: two templates.
  Leaf leaf = base_leaf();
  leaf.task.parameters = {from_input("x", "x")};
  auto pipeline = [&](bool with_x_first) {
    kfpp::ir::Pipeline p = pipeline_of({});
    kfpp::ir::Component work = leaf.component;
    work.name = "comp-work";
    work.executor_label = "exec-work";
    p.components.push_back(work);
    kfpp::ir::Executor e = leaf.executor;
    e.label = work.executor_label;
    p.executors.push_back(e);
    kfpp::ir::Component g;
    g.name = "comp-g";
    g.inputs.parameters.push_back({"x", kfpp::ir::ParameterType::string, std::nullopt, true, ""});
    g.dag.emplace();
    kfpp::ir::Task inner = leaf.task;
    inner.name = "work";
    inner.component_ref = work.name;
    g.dag->tasks.push_back(inner);
    p.components.push_back(g);
    kfpp::ir::Task with_x;
    with_x.name = "with-x";
    with_x.component_ref = g.name;
    with_x.parameters = {constant("x", Value("given"))};
    kfpp::ir::Task without_x;
    without_x.name = "without-x";
    without_x.component_ref = g.name;
    if (with_x_first) p.root.dag->tasks.push_back(with_x);
    p.root.dag->tasks.push_back(without_x);
    return p;
  };
  const Value both = template_of(kfpp::emit_argo(pipeline(true), {}), {"without-x", "work"});
  const Value alone = template_of(kfpp::emit_argo(pipeline(false), {}), {"without-x", "work"});
  const Value given = template_of(kfpp::emit_argo(pipeline(true), {}), {"with-x", "work"});
  CHECK(both == alone);
  CHECK_FALSE(given == alone);
}

TEST_CASE("Argo: components named like an earlier one are still told apart by their text") {
  // The SDK names a component added again `comp-work-2`; the emitter compares such a component
  // with the earlier `comp-work` first. A different image must still give a template of its own,
  // and the same text the same template.
  Leaf first = base_leaf();
  Leaf second = first;
  second.executor.container->image = "registry.example.com/work:2";
  const std::string both =
      kfpp::emit_argo(pipeline_of({{"work", first}, {"work-2", second}, {"work-3", first}}), {});
  const Value alone =
      template_of(kfpp::emit_argo(pipeline_of({{"work-2", second}}), {}), {"work-2"});
  CHECK(template_of(both, {"work-2"}) == alone);
  CHECK_FALSE(template_of(both, {"work"}) == alone);
  CHECK(template_of(both, {"work-3"}) == template_of(both, {"work"}));
  const std::vector<Value> docs = kfpp::test::load_all(both);
  const Value* entry = kfpp::test::at_path(docs[0], "spec.entrypoint");
  const Value root = named(*kfpp::test::at_path(docs[0], "spec.templates"), entry->as_string());
  const Value* tasks = kfpp::test::at_path(root, "dag.tasks");
  REQUIRE(tasks);
  CHECK(named(*tasks, "work-3").as_object().at("template").as_string() ==
        named(*tasks, "work").as_object().at("template").as_string());
}
