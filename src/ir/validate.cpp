// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/validate.hpp"

#include "ir/cel_syntax.hpp"
#include "ir/name_index.hpp"
#include "ir/validate_bounds.hpp"
#include "kfpp/ir/kubernetes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace kfpp::ir {

namespace {

// A DAG's tasks (by index) and the tasks each waits for, walked depth first: from every
// unvisited task in index order, each task's edges in the order they were added.
class WaitGraph {
 public:
  explicit WaitGraph(std::size_t tasks) : tasks_(tasks) {}
  void add_edge(std::size_t from, std::size_t to) {
    edges_.push_back({static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  }
  [[nodiscard]] std::size_t size() const noexcept { return tasks_; }

  // Calls tree(from, to) for an edge to a task not seen yet, back(from, to) for an edge to a task
  // still on the path (it closes a cycle) and finish(task) when all a task waits for is done.
  template <class Tree, class Back, class Finish>
  void walk(Tree&& tree, Back&& back, Finish&& finish) const {
    // The edges grouped by their task, each group in the order added.
    std::vector<std::uint32_t> first(tasks_ + 1, 0);
    for (const Edge& e : edges_) ++first[e.from + 1];
    for (std::size_t i = 0; i < tasks_; ++i) first[i + 1] += first[i];
    std::vector<std::uint32_t> to(edges_.size());
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (const Edge& e : edges_) to[fill[e.from]++] = e.to;

    enum : std::uint8_t { fresh, open, done };
    std::vector<std::uint8_t> state(tasks_, fresh);
    struct Frame {
      std::uint32_t task;
      std::uint32_t next;  // index into `to`
    };
    std::vector<Frame> stack;
    for (std::uint32_t start = 0; start < tasks_; ++start) {
      if (state[start] != fresh) continue;
      state[start] = open;
      stack.push_back({start, first[start]});
      while (!stack.empty()) {
        Frame& f = stack.back();
        if (f.next == first[f.task + 1]) {
          state[f.task] = done;
          finish(static_cast<std::size_t>(f.task));
          stack.pop_back();
          continue;
        }
        const std::uint32_t from = f.task, next = to[f.next++];
        if (state[next] == fresh) {
          tree(static_cast<std::size_t>(from), static_cast<std::size_t>(next));
          state[next] = open;
          stack.push_back({next, first[next]});
        } else if (state[next] == open) {
          back(static_cast<std::size_t>(from), static_cast<std::size_t>(next));
        }
      }
    }
  }

 private:
  struct Edge {
    std::uint32_t from, to;
  };
  std::size_t tasks_;
  std::vector<Edge> edges_;
};

bool lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

const char* type_name(ParameterType t) { return to_string(t); }

// A set of names for the few a task has (its inputs, the tasks it waits for): a list scanned
// while it is short, a hash set past that, so that a hostile task with thousands of inputs
// stays linear.
class NameSet {
 public:
  void clear() {
    small_.clear();
    large_.clear();
  }
  // Adds `n`; false when it was there already.
  bool insert(std::string_view n) {
    if (large_.empty()) {
      if (std::find(small_.begin(), small_.end(), n) != small_.end()) return false;
      if (small_.size() < kSmall) {
        small_.push_back(n);
        return true;
      }
      for (std::string_view m : small_) large_.emplace(m, true);
    }
    return large_.emplace(n, true);
  }
  [[nodiscard]] bool count(std::string_view n) const {
    if (large_.empty()) return std::find(small_.begin(), small_.end(), n) != small_.end();
    return large_.contains(n);
  }

 private:
  static constexpr std::size_t kSmall = 8;
  std::vector<std::string_view> small_;  // while there are few
  detail::NameIndex<bool> large_;        // all of them, once there are more
};

// A finding's path, spelled out only when a finding is made (most checks pass): parts joined by
// '/', empty ones left out, and an optional index after them.
// Example: `Path(root) / "deploymentSpec" / label`.
struct Path {
  std::array<std::string_view, 6> parts{};
  std::size_t size = 0;
  std::size_t index = std::string::npos;

  explicit Path(std::string_view root) : parts{root}, size(1) {}
  Path operator/(std::string_view part) const {
    Path p = *this;
    if (!part.empty() && p.size < p.parts.size()) p.parts[p.size++] = part;
    return p;
  }
  Path at(std::size_t i) const {
    Path p = *this;
    p.index = i;
    return p;
  }
  operator std::string() const {  // NOLINT: converts where a path is expected
    std::string s(parts[0]);
    for (std::size_t i = 1; i < size; ++i) (s += '/') += parts[i];
    if (index != std::string::npos) (s += '/') += std::to_string(index);
    return s;
  }
};

class Checker {
 public:
  explicit Checker(const Pipeline& p) : p_(p) {}

  std::vector<Diagnostic> run() {
    const std::string& pname = p_.name;
    if (!is_valid_task_name(pname))
      add("kfpp.invalid_name", pname.empty() ? "<pipeline>" : pname,
          "pipeline name '" + pname + "' is not valid",
          "use lower-case letters, digits and '-', starting and ending with a letter or digit, "
          "at most 128 characters");
    if (!kfpp::detail::check_bounds(p_, out_)) return std::move(out_);
    index_definitions();
    compute_prefixes();
    check_component(p_.root, Path(root_path()));
    for (const auto& c : p_.components) {
      auto it = prefixes_.find(c.name);
      if (it != prefixes_.end())
        check_component(c, Path(it->second));
      else
        check_component(c, Path(root_path()) / "components" / c.name);
    }
    return std::move(out_);
  }

 private:
  void add(std::string code, std::string path, std::string message, std::string fix) {
    out_.push_back(
        Diagnostic{std::move(code), std::move(path), std::move(message), std::move(fix)});
  }

  std::string_view root_path() const {
    return p_.name.empty() ? std::string_view("<pipeline>") : std::string_view(p_.name);
  }

  void index_definitions() {
    executors_.reserve(p_.executors.size());
    components_.reserve(p_.components.size());
    for (const auto& e : p_.executors) {
      const Path path = Path(root_path()) / "deploymentSpec" / e.label;
      if (!executors_.emplace(e.label, &e))
        add("kfpp.duplicate_name", path, "executor '" + e.label + "' is defined twice",
            "give each executor its own label");
      if (!is_valid_task_name(e.label))
        add("kfpp.invalid_name", path, "executor label '" + e.label + "' is not valid",
            "use lower-case letters, digits and '-'");
      check_executor(e, path);
    }
    for (const auto& c : p_.components) {
      if (!components_.emplace(c.name, &c))
        add("kfpp.duplicate_name", Path(root_path()) / "components" / c.name,
            "component '" + c.name + "' is defined twice", "give each component its own name");
      if (!is_valid_task_name(c.name))
        add("kfpp.invalid_name", Path(root_path()) / "components" / c.name,
            "component name '" + c.name + "' is not valid",
            "use lower-case letters, digits and '-'");
    }
  }

  void check_executor(const Executor& e, const Path& path) {
    if (e.container.has_value() == e.importer.has_value()) {
      add("kfpp.invalid_executor", path, "an executor must be exactly one of container or importer",
          "define a container image or an importer, not both or neither");
      return;
    }
    if (e.container) {
      check_command_line(e.container->command, path / "container" / "command");
      check_command_line(e.container->args, path / "container" / "args");
      if (e.container->image.empty())
        add("kfpp.missing_image", path / "container" / "image", "the container has no image",
            "set an image such as 'python:3.11'");
      if (e.container->python) {
        const auto& fn = e.container->python->function_name;
        bool ok = !fn.empty() && !(fn[0] >= '0' && fn[0] <= '9');
        for (char c : fn)
          ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_');
        if (!ok)
          add("kfpp.invalid_name", path / "container" / "function",
              "'" + fn + "' is not a Python function name",
              "name the function defined in the component's source");
      }
    }
  }

  // The SDK refuses an IfPresent whose Then or Else is a list inside a Concat: the list has no
  // place in one joined string.
  void check_command_line(const std::vector<Arg>& args, const Path& path) {
    for (std::size_t i = 0; i < args.size(); ++i) check_arg(args[i], path.at(i), false);
  }
  void check_arg(const Arg& a, const Path& path, bool in_concat) {
    if (a.kind == Arg::Kind::text) return;
    if (a.kind == Arg::Kind::if_present && in_concat &&
        (!a.then_single || (a.has_otherwise && !a.else_single))) {
      add("kfpp.if_present_list_in_concat", path,
          "an IfPresent inside a Concat has a list as its Then or Else",
          "give Then and Else one element each (kfpp::if_present_single), or move the "
          "IfPresent out of the Concat");
      return;
    }
    const bool inner = in_concat || a.kind == Arg::Kind::concat;
    for (const auto& x : a.items) check_arg(x, path, inner);
    for (const auto& x : a.otherwise) check_arg(x, path, inner);
  }

  // A DAG component's path is that of the first task that runs it, so findings read as the user
  // sees the pipeline: `pipeline/condition-1/deploy/inputs/model`.
  void compute_prefixes() {
    std::queue<std::pair<const Component*, std::string>> todo;
    todo.emplace(&p_.root, std::string(root_path()));
    while (!todo.empty()) {
      auto [comp, path] = todo.front();
      todo.pop();
      if (!comp->dag) continue;
      for (const auto& t : comp->dag->tasks) {
        const Component* const* it = components_.find(t.component_ref);
        if (!it || !(*it)->dag) continue;
        if (prefixes_.emplace((*it)->name, path + "/" + t.name).second)
          todo.emplace(*it, path + "/" + t.name);
      }
    }
  }

  // Port names seen in one interface: few, so a list is quicker to search than a set.
  void check_interface(const Interface& itf, const Path& path) {
    auto& seen = ports_;
    seen.clear();
    auto check_name = [&](const std::string& n) {
      const bool again = std::find(seen.begin(), seen.end(), n) != seen.end();
      seen.push_back(n);
      if (again)
        add("kfpp.duplicate_name", path / n, "port '" + n + "' is declared twice",
            "parameters and artifacts of one component share a namespace: rename one");
      if (!is_valid_port_name(n))
        add("kfpp.invalid_name", path / n, "port name '" + n + "' is not valid",
            "start with a letter or '_', then use letters, digits, '_' or '-'");
    };
    for (const auto& prm : itf.parameters) {
      check_name(prm.name);
      if (prm.default_value && !value_matches(*prm.default_value, prm.type))
        add("kfpp.type_mismatch", path / prm.name,
            std::string("the default value does not match the parameter type ") +
                type_name(prm.type),
            "give a default of the declared type");
    }
    for (const auto& a : itf.artifacts) check_name(a.name);
  }

  void check_component(const Component& c, const Path& path) {
    check_interface(c.inputs, path / "inputs");
    check_interface(c.outputs, path / "outputs");
    if (c.dag && !c.executor_label.empty()) {
      add("kfpp.invalid_component", path,
          "component '" + c.name + "' has both a DAG and an executor", "keep one of them");
      return;
    }
    if (!c.dag) {
      if (&c == &p_.root) {
        add("kfpp.missing_root_dag", path, "the pipeline root has no DAG", "add at least one task");
        return;
      }
      const Executor* const* e = executors_.find(c.executor_label);
      if (c.executor_label.empty())
        add("kfpp.invalid_component", path,
            "component '" + c.name + "' has neither a DAG nor an executor",
            "give it an executor label or a DAG");
      else if (!e)
        add("kfpp.unknown_executor", path / "executorLabel",
            "executor '" + c.executor_label + "' is not defined",
            "define it under deploymentSpec.executors or fix the label");
      else
        check_importer(c, **e, path);
      return;
    }
    if (&c == &p_.root && c.dag->tasks.empty())
      add("kfpp.empty_pipeline", path, "the pipeline has no task", "add at least one task");
    check_dag(c, *c.dag, path);
  }

  void check_importer(const Component& c, const Executor& e, const Path& path) {
    if (!e.importer || e.importer->uri_parameter.empty()) return;
    if (!c.inputs.find_parameter(e.importer->uri_parameter))
      add("kfpp.unknown_parameter", path / "importer" / "artifactUri",
          "the importer reads its URI from '" + e.importer->uri_parameter +
              "', which is not an input of the component",
          "declare that STRING input or use a constant URI");
  }

  void check_dag(const Component& owner, const Dag& dag, const std::string& path) {
    detail::NameIndex<std::size_t> index;
    index.reserve(dag.tasks.size());
    for (std::size_t i = 0; i < dag.tasks.size(); ++i) {
      const auto& t = dag.tasks[i];
      if (!index.emplace(t.name, i))
        add("kfpp.duplicate_name", path + "/" + t.name, "task '" + t.name + "' appears twice",
            "give each task its own name");
      if (!is_valid_task_name(t.name))
        add("kfpp.invalid_name", path + "/" + t.name, "task name '" + t.name + "' is not valid",
            "use lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    // Each task's component, looked up once: a task's inputs name the tasks they come from.
    task_components_.clear();
    for (const auto& t : dag.tasks) task_components_.push_back(component_of(t));
    WaitGraph g(dag.tasks.size());
    for (std::size_t i = 0; i < dag.tasks.size(); ++i)
      check_task(owner, dag, dag.tasks[i], i, index, g, path);
    check_dag_outputs(owner, dag, index, path);
    report_cycles(dag, g, path);
  }

  const Component* component_of(const Task& t) const {
    const Component* const* it = components_.find(t.component_ref);
    return it ? *it : nullptr;
  }

  void check_task(const Component& owner, const Dag& dag, const Task& t, std::size_t self,
                  const detail::NameIndex<std::size_t>& index, WaitGraph& g,
                  const std::string& dag_path) {
    auto& deps = deps_;
    deps.clear();
    for (const auto& d : t.dependent_tasks) {
      deps.insert(d);
      const std::size_t* it = index.find(d);
      if (!it)
        add("kfpp.unknown_task", Path(dag_path) / t.name / "dependentTasks",
            "depends on task '" + d + "', which is not in the same DAG",
            "depend only on tasks of the same DAG, or fix the name");
      else
        g.add_edge(self, *it);
    }
    const Component* comp = task_components_[self];
    if (!comp) {
      add("kfpp.unknown_component", Path(dag_path) / t.name / "componentRef",
          "component '" + t.component_ref + "' is not defined",
          "define it under components or fix the reference");
    }
    // The condition is evaluated by the backend (all of CEL) and by the runner (the part KFP
    // writes, ir/cel.hpp); one that does not parse as CEL would fail every run.
    if (!t.trigger_condition.empty()) {
      if (auto why = detail::cel_syntax_error(t.trigger_condition))
        add("kfpp.bad_condition", Path(dag_path) / t.name / "triggerPolicy" / "condition",
            "the condition `" + t.trigger_condition.substr(0, 200) + "` is not valid CEL: " + *why,
            "write a CEL expression over inputs.parameter_values");
    }
    for (const auto& b : t.parameters)
      if (!b.expression_selector.empty())
        if (auto why = detail::cel_syntax_error(b.expression_selector))
          add("kfpp.bad_condition", Path(dag_path) / t.name / "inputs" / b.name,
              "the selector `" + b.expression_selector.substr(0, 200) +
                  "` is not valid CEL: " + *why,
              "write a CEL expression over string_value");
    // The index of the task an input comes from, or null.
    auto producer = [&](const std::string& name, const Path& where) -> const std::size_t* {
      const std::size_t* it = index.find(name);
      if (!it) {
        add("kfpp.unknown_task", where,
            "reads an output of task '" + name + "', which is not in the same DAG",
            "read outputs of tasks of the same DAG, or fix the name");
        return nullptr;
      }
      // Reading an output is a dependency even when dependentTasks omits it: the KFP backend
      // adds it, and so do kfpp's emitters.
      if (!deps.count(name)) g.add_edge(self, *it);
      return it;
    };

    auto& bound = bound_;
    bound.clear();
    const Path inputs = Path(dag_path) / t.name / "inputs";
    for (const auto& b : t.parameters) {
      const Path where = inputs / b.name;
      if (!bound.insert(b.name))
        add("kfpp.duplicate_name", where, "input '" + b.name + "' is bound twice",
            "bind each input once");
      const ParameterSpec* port = comp ? comp->inputs.find_parameter(b.name) : nullptr;
      if (comp && !port && !passed_through(*comp, b)) {
        add("kfpp.unknown_port", where,
            "component '" + comp->name + "' has no input parameter '" + b.name + "'",
            comp->inputs.find_artifact(b.name) ? "it is an artifact input: bind an artifact"
                                               : "check the input names of the component");
      }
      switch (b.kind) {
        case ParameterBinding::Kind::constant:
          if (port && !value_matches(b.constant, port->type))
            add("kfpp.type_mismatch", where,
                std::string("the constant does not match the input type ") + type_name(port->type),
                "pass a value of the input's type");
          break;
        case ParameterBinding::Kind::component_input: {
          const ParameterSpec* src = owner.inputs.find_parameter(b.source);
          if (!src)
            add("kfpp.unknown_parameter", where,
                "reads '" + b.source + "', which is not an input parameter of " +
                    (&owner == &p_.root ? std::string("the pipeline") : "'" + owner.name + "'"),
                "declare the parameter or fix the name");
          else if (port && b.expression_selector.empty())
            check_types(src->type, port->type, where, [&] { return "'" + b.source + "'"; });
          break;
        }
        case ParameterBinding::Kind::task_output: {
          const std::size_t* from = producer(b.producer_task, where);
          const Component* pc = from ? task_components_[*from] : nullptr;
          if (!pc) break;
          const Task* prod = &dag.tasks[*from];
          const ParameterSpec* out = pc->outputs.find_parameter(b.source);
          if (!out)
            add("kfpp.unknown_port", where,
                "task '" + prod->name + "' has no output parameter '" + b.source + "'",
                "check the output names of component '" + pc->name + "'");
          else if (port)
            check_types(out->type, port->type, where,
                        [&] { return "output '" + b.source + "' of task '" + prod->name + "'"; });
          break;
        }
        case ParameterBinding::Kind::task_final_status:
          if (!index.contains(b.producer_task))
            add("kfpp.unknown_task", where,
                "takes the final status of task '" + b.producer_task +
                    "', which is not in the same DAG",
                "name a task of the same DAG");
          // At run time a final status is a struct: a STRUCT input takes it too.
          if (port && port->type != ParameterType::task_final_status &&
              port->type != ParameterType::structure)
            add("kfpp.type_mismatch", where,
                std::string("a final status can only feed a TASK_FINAL_STATUS input, not ") +
                    type_name(port->type),
                "declare the input as a task final status");
          break;
      }
    }
    for (const auto& b : t.artifacts) {
      const Path where = inputs / b.name;
      if (!bound.insert(b.name))
        add("kfpp.duplicate_name", where, "input '" + b.name + "' is bound twice",
            "bind each input once");
      const ArtifactSpec* port = comp ? comp->inputs.find_artifact(b.name) : nullptr;
      if (comp && !port)
        add("kfpp.unknown_port", where,
            "component '" + comp->name + "' has no input artifact '" + b.name + "'",
            comp->inputs.find_parameter(b.name) ? "it is a parameter input: bind a parameter"
                                                : "check the input names of the component");
      if (b.kind == ArtifactBinding::Kind::component_input) {
        const ArtifactSpec* src = owner.inputs.find_artifact(b.source);
        if (!src)
          add("kfpp.unknown_parameter", where,
              "reads artifact '" + b.source + "', which is not an input of " +
                  (&owner == &p_.root ? std::string("the pipeline") : "'" + owner.name + "'"),
              "declare the artifact input or fix the name");
        else if (port)
          check_artifact_types(src->type, port->type, where);
      } else {
        const std::size_t* from = producer(b.producer_task, where);
        const Component* pc = from ? task_components_[*from] : nullptr;
        if (!pc) continue;
        const Task* prod = &dag.tasks[*from];
        const ArtifactSpec* out = pc->outputs.find_artifact(b.source);
        if (!out)
          add("kfpp.unknown_port", where,
              "task '" + prod->name + "' has no output artifact '" + b.source + "'",
              "check the output names of component '" + pc->name + "'");
        else if (port)
          check_artifact_types(out->type, port->type, where);
      }
    }
    if (!comp) return;
    check_platform_inputs(owner, t, *comp, dag_path, index);
    if (!t.iterator_item_input.empty() && t.iterator_over_artifacts) {
      if (!comp->inputs.find_artifact(t.iterator_item_input))
        add("kfpp.unknown_port", Path(dag_path) / t.name / "artifactIterator" / "itemInput",
            "the loop item input '" + t.iterator_item_input + "' is not an input artifact of '" +
                comp->name + "'",
            "declare it in the loop component's input artifacts");
      if (t.iterator_items_input.empty() || !t.find_artifact(t.iterator_items_input))
        add("kfpp.missing_input", Path(dag_path) / t.name / "artifactIterator" / "items",
            "the loop reads its items from artifact '" + t.iterator_items_input +
                "', which the task does not bind",
            "bind that input to the artifact list");
      bound.insert(t.iterator_item_input);
    } else if (!t.iterator_item_input.empty()) {
      if (!comp->inputs.find_parameter(t.iterator_item_input))
        add("kfpp.unknown_port", Path(dag_path) / t.name / "parameterIterator" / "itemInput",
            "the loop item input '" + t.iterator_item_input + "' is not an input of '" +
                comp->name + "'",
            "declare it in the loop component's inputs");
      if (t.iterator_raw_items.has_value() == !t.iterator_items_input.empty())
        add("kfpp.invalid_iterator", Path(dag_path) / t.name / "parameterIterator" / "items",
            "a loop takes its items either as a literal list or from an input, not both or neither",
            "set raw items or an input parameter");
      else if (t.iterator_raw_items && !t.iterator_raw_items->is_array())
        add("kfpp.invalid_iterator", Path(dag_path) / t.name / "parameterIterator" / "items",
            "the literal loop items are not a list", "give a JSON list");
      else if (!t.iterator_items_input.empty() && !bound.count(t.iterator_items_input))
        add("kfpp.missing_input", Path(dag_path) / t.name / "parameterIterator" / "items",
            "the loop reads its items from '" + t.iterator_items_input +
                "', which the task does not bind",
            "bind that input to the list");
      // The iterator passes each item itself.
      bound.insert(t.iterator_item_input);
    }
    for (const auto& prm : comp->inputs.parameters)
      if (!prm.is_optional && !prm.default_value && !bound.count(prm.name))
        add("kfpp.missing_input", Path(dag_path) / t.name / "inputs" / prm.name,
            "required input parameter '" + prm.name + "' is not bound",
            "pass a value, or give the input a default");
    for (const auto& a : comp->inputs.artifacts)
      if (!a.is_optional && !bound.count(a.name))
        add("kfpp.missing_input", Path(dag_path) / t.name / "inputs" / a.name,
            "required input artifact '" + a.name + "' is not bound",
            "pass an artifact, or make the input optional");
  }

  // An input the component does not declare is still passed to the task's driver: the reference
  // binds such `pipelinechannel--…` inputs for conditions, f-string placeholders and run-time
  // resources, and constants holding a placeholder for machine settings.
  bool passed_through(const Component& comp, const ParameterBinding& b) const {
    if (b.name.rfind("pipelinechannel--", 0) == 0 || read_by_settings(comp, b.name)) return true;
    return b.kind == ParameterBinding::Kind::constant && b.constant.is_string() &&
           b.constant.as_string().find("{{$.inputs.parameters[") != std::string::npos;
  }

  // An input the component does not declare may still feed the executor's image or resources
  // (`{{$.inputs.parameters['pipelinechannel--cpu']}}`), as the reference writes them.
  bool read_by_settings(const Component& comp, const std::string& input) const {
    const Executor* const* it = executors_.find(comp.executor_label);
    if (comp.executor_label.empty() || !it || !(*it)->container) return false;
    const ContainerSpec& c = *(*it)->container;
    const std::string placeholder = "{{$.inputs.parameters['" + input + "']}}";
    const Resources& r = c.resources;
    for (const std::string* text : {&c.image, &r.resource_cpu_limit, &r.resource_cpu_request,
                                    &r.resource_memory_limit, &r.resource_memory_request})
      if (*text == placeholder) return true;
    return r.accelerator && (r.accelerator->resource_type == placeholder ||
                             r.accelerator->resource_count == placeholder);
  }

  // Names a task's pod reads at run time come from the DAG's inputs or sibling tasks it waits for.
  void check_platform_inputs(const Component& owner, const Task& t, const Component& comp,
                             const std::string& dag_path,
                             const detail::NameIndex<std::size_t>& index) {
    const Executor* const* it = executors_.find(comp.executor_label);
    if (comp.executor_label.empty() || !it || !(*it)->kubernetes) return;
    (*it)->kubernetes->for_each_binding([&](const ParameterBinding& b) {
      const Path where = Path(dag_path) / t.name / "kubernetes" / b.source;
      if (b.kind == ParameterBinding::Kind::component_input) {
        if (!owner.inputs.find_parameter(b.source))
          add("kfpp.unknown_parameter", where,
              "the pod's settings read '" + b.source + "', which is not an input parameter of " +
                  (&owner == &p_.root ? std::string("the pipeline") : "'" + owner.name + "'"),
              "declare the parameter or fix the name");
      } else if (b.kind == ParameterBinding::Kind::task_output) {
        if (!index.contains(b.producer_task))
          add("kfpp.unknown_task", where,
              "the pod's settings read an output of task '" + b.producer_task +
                  "', which is not in the same DAG",
              "read outputs of tasks of the same DAG, or fix the name");
        else if (!deps_.count(b.producer_task))
          add("kfpp.missing_dependency", where,
              "the pod's settings read an output of task '" + b.producer_task +
                  "' but the task does not list it in dependentTasks",
              "add '" + b.producer_task + "' to the task's dependencies");
      }
    });
  }

  // `what()` names the value for the message, spelled out only when the types do not fit.
  template <class What>
  void check_types(ParameterType from, ParameterType to, const Path& where, What&& what) {
    if (from == to) return;
    // An integer is a number: KFP passes it to a double input unchanged.
    if (from == ParameterType::number_integer && to == ParameterType::number_double) return;
    // A final status passed on through a DAG input is a struct.
    if (from == ParameterType::task_final_status && to == ParameterType::structure) return;
    add("kfpp.type_mismatch", where,
        what() + " is " + type_name(from) + " but the input is " + type_name(to),
        "connect a value of type " + std::string(type_name(to)) + ", or convert it in a task");
  }

  void check_artifact_types(const ArtifactType& from, const ArtifactType& to, const Path& where) {
    if (artifact_fits(from, to)) return;
    add("kfpp.type_mismatch", where,
        "an artifact of type " + from.schema_title + " cannot feed an input of type " +
            to.schema_title,
        "connect a " + to.schema_title + " artifact, or declare the input as system.Artifact");
  }

  void check_dag_outputs(const Component& owner, const Dag& dag,
                         const detail::NameIndex<std::size_t>& index, const std::string& path) {
    for (const auto& o : dag.outputs) {
      std::string where = path + "/outputs/" + o.name;
      bool declared = o.is_artifact ? owner.outputs.find_artifact(o.name) != nullptr
                                    : owner.outputs.find_parameter(o.name) != nullptr;
      if (!declared)
        add("kfpp.unknown_port", where, "DAG output '" + o.name + "' is not declared",
            "declare it in the component's output definitions");
      std::vector<OutputSelector> one{{o.producer_task, o.output_key}};
      for (const auto& sel : o.oneof.empty() ? one : o.oneof) {
        const std::size_t* it = index.find(sel.producer_task);
        if (!it) {
          add("kfpp.unknown_task", where,
              "selects from task '" + sel.producer_task + "', which is not in the DAG",
              "select an output of a task of this DAG");
          continue;
        }
        const Component* pc = task_components_[*it];
        if (!pc) continue;
        bool has = o.is_artifact ? pc->outputs.find_artifact(sel.output_key) != nullptr
                                 : pc->outputs.find_parameter(sel.output_key) != nullptr;
        if (!has)
          add("kfpp.unknown_port", where,
              "task '" + sel.producer_task + "' has no output '" + sel.output_key + "'",
              "check the output names of component '" + pc->name + "'");
      }
    }
    for (const auto& prm : owner.outputs.parameters)
      if (std::none_of(dag.outputs.begin(), dag.outputs.end(),
                       [&](const DagOutput& o) { return !o.is_artifact && o.name == prm.name; }))
        add("kfpp.missing_output", path + "/outputs/" + prm.name,
            "output '" + prm.name + "' is declared but no task provides it",
            "select it from a task's output");
    for (const auto& a : owner.outputs.artifacts)
      if (std::none_of(dag.outputs.begin(), dag.outputs.end(),
                       [&](const DagOutput& o) { return o.is_artifact && o.name == a.name; }))
        add("kfpp.missing_output", path + "/outputs/" + a.name,
            "output '" + a.name + "' is declared but no task provides it",
            "select it from a task's output");
  }

  void report_cycles(const Dag& dag, const WaitGraph& g, const std::string& path) {
    std::vector<std::size_t> parent(g.size());
    std::vector<std::pair<std::size_t, std::size_t>> back;
    g.walk([&](std::size_t from, std::size_t to) { parent[to] = from; },
           [&](std::size_t from, std::size_t to) { back.emplace_back(from, to); },
           [](std::size_t) {});
    for (auto [from, to] : back) {
      // from waits for to, and to reaches from along tree edges.
      std::vector<std::size_t> chain{from};
      for (std::size_t v = from; v != to; v = parent[v]) chain.push_back(parent[v]);
      std::reverse(chain.begin(), chain.end());
      std::string text;
      for (std::size_t v : chain) text += dag.tasks[v].name + " -> ";
      text += dag.tasks[to].name;
      add("kfpp.cycle", path + "/" + dag.tasks[to].name,
          "tasks wait for each other in a cycle: " + text + " ('->' reads 'waits for')",
          "remove one of these dependencies");
    }
  }

  const Pipeline& p_;
  std::vector<Diagnostic> out_;
  NameSet deps_;  // scratch, reused task after task
  NameSet bound_;
  detail::NameIndex<const Executor*> executors_;
  detail::NameIndex<const Component*> components_;
  std::unordered_map<std::string, std::string> prefixes_;
  std::vector<std::string_view> ports_;            // scratch for check_interface
  std::vector<const Component*> task_components_;  // of the DAG being checked, by task
};

}  // namespace

bool is_valid_task_name(const std::string& name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  if (!lower_alnum(name.front()) || !lower_alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return lower_alnum(c) || c == '-'; });
}

bool is_valid_port_name(const std::string& name) noexcept {
  if (name.empty() || name.size() > 255) return false;
  char f = name.front();
  if (!((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z') || f == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::vector<Diagnostic> check(const Pipeline& pipeline) { return Checker(pipeline).run(); }

void validate(const Pipeline& pipeline) {
  auto all = check(pipeline);
  if (!all.empty()) throw ValidationError(std::move(all));
}

std::vector<std::size_t> topological_order(const Dag& dag) {
  detail::NameIndex<std::size_t> index;
  index.reserve(dag.tasks.size());
  for (std::size_t i = 0; i < dag.tasks.size(); ++i) index.emplace(dag.tasks[i].name, i);
  WaitGraph g(dag.tasks.size());
  for (std::size_t i = 0; i < dag.tasks.size(); ++i)
    for (const auto& d : dag.tasks[i].dependent_tasks) {
      const std::size_t* it = index.find(d);
      if (!it)
        throw ValidationError(
            {Diagnostic{"kfpp.unknown_task", dag.tasks[i].name + "/dependentTasks",
                        "depends on unknown task '" + d + "'", "fix the name"}});
      g.add_edge(i, *it);
    }
  std::vector<std::size_t> order;
  order.reserve(dag.tasks.size());
  bool cycle = false;
  // Edges point at dependencies, so a task finishes after everything it waits for.
  g.walk([](std::size_t, std::size_t) {}, [&](std::size_t, std::size_t) { cycle = true; },
         [&](std::size_t task) { order.push_back(task); });
  if (cycle)
    throw ValidationError(
        {Diagnostic{"kfpp.cycle", "dag", "the tasks wait for each other in a cycle",
                    "run kfpp::ir::check for the whole cycle"}});
  return order;
}

}  // namespace kfpp::ir
