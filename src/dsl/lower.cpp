// SPDX-License-Identifier: Apache-2.0
// Lowering: the DSL's records become the IR. Each control-flow group becomes a DAG component; a
// value crosses group boundaries as a `pipelinechannel--…` input of every group between its
// producer and its consumer, and a dependency between tasks in different groups becomes one
// between their first uncommon ancestors, which are siblings.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kfpp/dsl/pipeline.hpp"
#include "state.hpp"

namespace kfpp {

namespace {

using detail::Comparison;
using detail::GroupRecord;
using detail::Operand;
using detail::PipelineState;
using detail::Source;

// A node of the group tree: a task or a group.
struct Node {
  bool is_group = false;
  std::size_t index = 0;
  friend bool operator==(const Node&, const Node&) = default;
};

// A value as it crosses groups.
struct Channel {
  Source source;
  bool artifact = false;
};

class Lowering {
 public:
  Lowering(PipelineState& st, bool steal) : st_(st), steal_(steal) {}

  ir::Pipeline run() {
    for (std::size_t g = 1; g < st_.groups.size(); ++g)
      if (!has_task(g))
        fail("kfpp.empty_group", group_path(g), "the group contains no task",
             "add a task inside it, or remove it");
    collect();
    if (!findings_.empty()) throw ValidationError(std::move(findings_));
    return build();
  }

 private:
  // ---- the group tree ---------------------------------------------------------------------
  bool has_task(std::size_t g) const {
    for (const auto& m : st_.groups[g].members)
      if (!m.is_group || has_task(m.index)) return true;
    return false;
  }

  std::vector<Node> path_of(Node n) const {
    std::vector<Node> path{n};
    std::size_t g = n.is_group ? st_.groups[n.index].parent : st_.tasks[n.index].group;
    for (;;) {
      path.push_back({true, g});
      if (g == 0) break;
      g = st_.groups[g].parent;
    }
    std::reverse(path.begin(), path.end());
    if (n.is_group && n.index == 0) path.resize(1);
    return path;
  }

  std::string group_path(std::size_t g) const {
    std::string path;
    for (std::size_t x = g; x != 0; x = st_.groups[x].parent) path = "/" + st_.groups[x].name + path;
    return st_.name + path;
  }

  std::string task_path(std::size_t t) const {
    return group_path(st_.tasks[t].group) + "/" + st_.tasks[t].name;
  }

  std::string node_name(Node n) const {
    return n.is_group ? st_.groups[n.index].name : st_.tasks[n.index].name;
  }

  void fail(std::string code, std::string path, std::string message, std::string fix) {
    findings_.push_back({std::move(code), std::move(path), std::move(message), std::move(fix)});
  }

  // ---- channels ---------------------------------------------------------------------------
  std::string channel_name(const Source& s) const {
    if (s.kind == Source::Kind::task_output)
      return "pipelinechannel--" + st_.tasks[s.task].name + "-" + s.name;
    return "pipelinechannel--" + s.name;
  }

  // The values a task uses: its inputs, and those its enclosing conditions compare.
  std::vector<Channel> channels_used(std::size_t t) const {
    std::vector<Channel> used;
    for (const auto& b : st_.tasks[t].bindings)
      if (b.source.kind != Source::Kind::constant) used.push_back({b.source, b.artifact});
    for (std::size_t g = st_.tasks[t].group; g != 0; g = st_.groups[g].parent)
      if (st_.groups[g].kind == GroupRecord::Kind::condition)
        for (const auto& term : st_.groups[g].terms)
          for (const Operand* o : {&term.left, &term.right})
            if (o->is_channel) used.push_back({o->source, false});
    return used;
  }

  void collect() {
    group_inputs_.assign(st_.groups.size(), {});
    task_deps_.assign(st_.tasks.size(), {});
    group_deps_.assign(st_.groups.size(), {});
    for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
      const std::vector<Node> down_path = path_of({false, t});
      for (const Channel& c : channels_used(t)) {
        if (c.source.kind == Source::Kind::pipeline_input) {
          for (std::size_t i = 1; i + 1 < down_path.size(); ++i)
            group_inputs_[down_path[i].index].emplace(channel_name(c.source), c);
          continue;
        }
        link(t, down_path, {false, c.source.task}, &c);
      }
      for (std::size_t a : st_.tasks[t].after) link(t, down_path, {false, a}, nullptr);
    }
  }

  // Records that task `t` needs `producer` (for `c`, or for ordering when `c` is null).
  void link(std::size_t t, const std::vector<Node>& down_path, Node producer, const Channel* c) {
    const std::vector<Node> up_path = path_of(producer);
    std::size_t common = 0;
    while (common < up_path.size() && common < down_path.size() &&
           up_path[common] == down_path[common])
      ++common;
    if (common >= up_path.size() || common >= down_path.size()) return;
    Node up = up_path[common];
    Node down = down_path[common];
    if (up.is_group) {
      const GroupRecord& g = st_.groups[up.index];
      const char* kind = g.kind == GroupRecord::Kind::exit_handler ? "exit handler" : "condition";
      fail("kfpp.out_of_scope", task_path(t) + (c ? "/inputs" : "/after"),
           std::string(c ? "reads an output of" : "waits for") + " task '" + node_name(producer) +
               "', which runs inside " + kind + " '" + g.name + "' that '" +
               st_.tasks[t].name + "' is not in",
           "move the task into the same " + std::string(kind) +
               ", or read the value before the " + kind);
      return;
    }
    std::set<std::string>& deps = down.is_group ? group_deps_[down.index] : task_deps_[down.index];
    deps.insert(node_name(up));
    if (!c) return;
    for (std::size_t i = common; i + 1 < down_path.size(); ++i)
      group_inputs_[down_path[i].index].emplace(channel_name(c->source), *c);
  }

  // ---- types of channels ------------------------------------------------------------------
  const ir::ParameterSpec* parameter_of(const Source& s) const {
    if (s.kind == Source::Kind::pipeline_input) return st_.inputs.find_parameter(s.name);
    return st_.tasks[s.task].component.outputs.find_parameter(s.name);
  }
  const ir::ArtifactSpec* artifact_of(const Source& s) const {
    if (s.kind == Source::Kind::pipeline_input) return st_.inputs.find_artifact(s.name);
    return st_.tasks[s.task].component.outputs.find_artifact(s.name);
  }

  // ---- conditions as CEL ------------------------------------------------------------------
  static std::string cel_string(const std::string& s) {
    std::string out = "'";
    for (char ch : s) {
      if (ch == '\\' || ch == '\'') out += '\\';
      if (ch == '\n') {
        out += "\\n";
        continue;
      }
      out += ch;
    }
    return out + "'";
  }

  std::string operand_text(const Operand& o, ir::ParameterType canonical) const {
    std::string text;
    if (o.is_channel) {
      text = "inputs.parameter_values['" + channel_name(o.source) + "']";
      if (o.type == ir::ParameterType::number_integer) text = "int(" + text + ")";
    } else if (o.literal.is_string()) {
      text = cel_string(o.literal.as_string());
    } else if (o.literal.is_bool()) {
      text = o.literal.as_bool() ? "true" : "false";
    } else if (o.literal.is_int()) {
      text = std::to_string(o.literal.as_int());
    } else {
      text = ir::python_float_text(o.literal.as_double());
    }
    if (o.type != canonical && canonical == ir::ParameterType::number_double)
      text = "double(" + text + ")";
    return text;
  }

  std::string cel(const std::vector<Comparison>& terms) const {
    std::string out;
    for (const auto& t : terms) {
      ir::ParameterType canonical = t.left.type == t.right.type ? t.left.type
                                                                : ir::ParameterType::number_double;
      std::string one = operand_text(t.left, canonical) + " " + t.op + " " +
                        operand_text(t.right, canonical);
      if (!out.empty()) out += " && ";
      out += t.negate ? "!(" + one + ")" : one;
    }
    return out;
  }

  // ---- building the IR --------------------------------------------------------------------
  void bind(ir::Task& task, const std::string& port, bool artifact, const Source& s,
            std::size_t group) const {
    const bool local = s.kind == Source::Kind::task_output && st_.tasks[s.task].group == group;
    const std::string outside =
        s.kind == Source::Kind::pipeline_input && group == 0 ? s.name : channel_name(s);
    if (artifact) {
      ir::ArtifactBinding b;
      b.name = port;
      if (local) {
        b.kind = ir::ArtifactBinding::Kind::task_output;
        b.source = s.name;
        b.producer_task = st_.tasks[s.task].name;
      } else {
        b.kind = ir::ArtifactBinding::Kind::component_input;
        b.source = outside;
      }
      task.artifacts.push_back(std::move(b));
      return;
    }
    ir::ParameterBinding b;
    b.name = port;
    if (s.kind == Source::Kind::constant) {
      b.kind = ir::ParameterBinding::Kind::constant;
      b.constant = s.constant;
    } else if (local) {
      b.kind = ir::ParameterBinding::Kind::task_output;
      b.source = s.name;
      b.producer_task = st_.tasks[s.task].name;
    } else {
      b.kind = ir::ParameterBinding::Kind::component_input;
      b.source = outside;
    }
    task.parameters.push_back(std::move(b));
  }

  ir::Task leaf_task(std::size_t t, const std::string& component) {
    auto& rec = st_.tasks[t];
    ir::Task task;
    task.name = rec.name;
    task.display_name = rec.display_name;
    task.component_ref = component;
    task.enable_cache = rec.caching;
    for (const auto& b : rec.bindings) bind(task, b.port, b.artifact, b.source, rec.group);
    task.dependent_tasks.assign(task_deps_[t].begin(), task_deps_[t].end());
    if (rec.exit_handler != 0) {
      const std::string& handler = st_.groups[rec.exit_handler].name;
      for (const auto& p : rec.component.inputs.parameters)
        if (p.type == ir::ParameterType::task_final_status)
          task.parameters.push_back(
              {p.name, ir::ParameterBinding::Kind::task_final_status, {}, {}, handler});
      task.dependent_tasks.push_back(handler);
      task.trigger_strategy = "ALL_UPSTREAM_TASKS_COMPLETED";
    }
    return task;
  }

  ir::Task group_task(std::size_t g) const {
    const GroupRecord& rec = st_.groups[g];
    ir::Task task;
    task.name = rec.name;
    task.display_name = rec.display_name;
    task.component_ref = "comp-" + rec.name;
    task.enable_cache.reset();
    for (const auto& [name, c] : group_inputs_[g]) bind(task, name, c.artifact, c.source, rec.parent);
    task.dependent_tasks.assign(group_deps_[g].begin(), group_deps_[g].end());
    if (rec.kind == GroupRecord::Kind::condition) task.trigger_condition = cel(rec.terms);
    return task;
  }

  ir::Interface group_interface(std::size_t g) const {
    ir::Interface itf;
    for (const auto& [name, c] : group_inputs_[g]) {
      if (c.artifact) {
        ir::ArtifactSpec a;
        a.name = name;
        if (const auto* spec = artifact_of(c.source)) a.type = spec->type;
        itf.artifacts.push_back(std::move(a));
      } else {
        ir::ParameterSpec p;
        p.name = name;
        if (const auto* spec = parameter_of(c.source)) p.type = spec->type;
        itf.parameters.push_back(std::move(p));
      }
    }
    return itf;
  }

  ir::Pipeline build() {
    ir::Pipeline p;
    p.name = st_.name;
    p.description = st_.description;
    p.display_name = st_.display_name;
    p.root.name = "root";
    p.root.inputs = st_.inputs;
    p.root.outputs = st_.outputs;
    p.components.reserve(st_.tasks.size() + st_.groups.size());
    p.executors.reserve(st_.tasks.size());

    detail::UniqueNames component_names;
    for (std::size_t g = 1; g < st_.groups.size(); ++g)
      (void)component_names.make("comp-" + st_.groups[g].name);
    // Every task gets its own component and executor, named in the order tasks were added.
    std::vector<std::string> task_component(st_.tasks.size());
    for (std::size_t t = 0; t < st_.tasks.size(); ++t)
      task_component[t] =
          component_names.make("comp-" + detail::sanitize_name(st_.tasks[t].component.name));

    // The DAGs first: they read the tasks' ports, which are then moved into the components.
    std::vector<ir::Dag> dags(st_.groups.size());
    std::vector<ir::Interface> group_inputs(st_.groups.size());
    for (std::size_t g = 1; g < st_.groups.size(); ++g) group_inputs[g] = group_interface(g);
    for (std::size_t g = 0; g < st_.groups.size(); ++g)
      for (const auto& m : st_.groups[g].members)
        dags[g].tasks.push_back(m.is_group ? group_task(m.index)
                                           : leaf_task(m.index, task_component[m.index]));
    for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
      auto& rec = st_.tasks[t];
      ir::Component comp;
      comp.name = task_component[t];
      comp.inputs = steal_ ? std::move(rec.component.inputs) : rec.component.inputs;
      comp.outputs = steal_ ? std::move(rec.component.outputs) : rec.component.outputs;
      comp.executor_label = "exec-" + comp.name.substr(5);
      ir::Executor exec = steal_ ? std::move(rec.component.executor) : rec.component.executor;
      exec.label = comp.executor_label;
      p.executors.push_back(std::move(exec));
      p.components.push_back(std::move(comp));
    }
    for (std::size_t g = 1; g < st_.groups.size(); ++g) {
      ir::Component comp;
      comp.name = "comp-" + st_.groups[g].name;
      comp.inputs = std::move(group_inputs[g]);
      comp.dag = std::move(dags[g]);
      p.components.push_back(std::move(comp));
    }
    p.root.dag = std::move(dags[0]);
    for (const auto& [name, s] : st_.output_sources) {
      ir::DagOutput o;
      o.name = name;
      o.is_artifact = st_.outputs.find_artifact(name) != nullptr;
      o.producer_task = st_.tasks[s.task].name;
      o.output_key = s.name;
      p.root.dag->outputs.push_back(std::move(o));
    }
    return p;
  }

  PipelineState& st_;
  bool steal_;
  std::vector<Diagnostic> findings_;
  std::vector<std::map<std::string, Channel>> group_inputs_;
  std::vector<std::set<std::string>> task_deps_;
  std::vector<std::set<std::string>> group_deps_;
};

}  // namespace

ir::Pipeline Pipeline::lower(detail::PipelineState& st, bool steal) {
  return Lowering(st, steal).run();
}

}  // namespace kfpp
