// SPDX-License-Identifier: Apache-2.0
// Lowering: the DSL's records become the IR. Each control-flow group becomes a DAG component; a
// value crosses group boundaries as a `pipelinechannel--…` input of every group between its
// producer and its consumer, and a dependency between tasks in different groups becomes one
// between their first uncommon ancestors, which are siblings. lower_scope.cpp works out what
// crosses which group; lower.cpp builds the IR from that.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kfpp/error.hpp"
#include "state.hpp"

namespace kfpp::detail {

// A node of the group tree: a task or a group.
struct LoweringNode {
  bool is_group = false;
  std::size_t index = 0;
  friend bool operator==(const LoweringNode&, const LoweringNode&) = default;
};

// A value as it crosses groups.
struct LoweringChannel {
  Source source;
  bool artifact = false;
};

class Lowering {
 public:
  using Node = LoweringNode;
  using Channel = LoweringChannel;

  Lowering(PipelineState& st, bool steal) : st_(st), steal_(steal) {}

  ir::Pipeline run();

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
    for (std::size_t x = g; x != 0; x = st_.groups[x].parent)
      path = "/" + st_.groups[x].name + path;
    return st_.name + path;
  }
  std::string task_path(std::size_t t) const {
    return group_path(st_.tasks[t].group) + "/" + st_.tasks[t].name;
  }
  std::string node_name(Node n) const {
    return n.is_group ? st_.groups[n.index].name : st_.tasks[n.index].name;
  }
  // `deps` sorted, each name once; taken from it.
  static std::vector<std::string> sorted_once(std::vector<std::string>& deps) {
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    return std::move(deps);
  }
  // Frees what `v` holds.
  template <class T>
  static void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
  }
  void fail(std::string code, std::string path, std::string message, std::string fix) {
    findings_.push_back({std::move(code), std::move(path), std::move(message), std::move(fix)});
  }

  // ---- channels ---------------------------------------------------------------------------
  std::string channel_name(const Source& s) const {
    switch (s.kind) {
      case Source::Kind::task_output:
      case Source::Kind::collected:
        return "pipelinechannel--" + st_.tasks[s.task].name + "-" + s.name;
      case Source::Kind::loop_item:
      case Source::Kind::oneof:
        return s.name;
      default:
        return "pipelinechannel--" + s.name;
    }
  }

  // Channels a task's settings read at run time: resources and image, and Kubernetes names.
  template <class F>
  void for_each_setting_channel(const detail::TaskRecord& rec, F&& f) const {
    for (const auto& q : rec.quantities)
      if (q && q->kind != Source::Kind::constant) f(*q);
    for (const auto* o : {&rec.accelerator_type, &rec.accelerator_count, &rec.image})
      if (*o && (*o)->kind != Source::Kind::constant) f(**o);
    for (const auto& c : rec.k8s_channels) f(c);
  }

  // The values a task uses: its inputs, its settings', and those its enclosing conditions compare.
  std::vector<Channel> channels_used(std::size_t t) const;
  void collect();
  // The common case, handled without walking the group tree: a top-level task that reads only
  // pipeline inputs and outputs of other top-level tasks.
  bool siblings_only(std::size_t t);
  void add_input(Node n, const Channel& c);
  // Records that the consumer at the end of `down_path` needs `producer` (for `c`, or for ordering
  // when `c` is null); `include_last` when the consumer is a group that takes the value as input.
  void link(const std::string& where, const std::vector<Node>& down_path, bool include_last,
            Node producer, const Channel* c, bool collected);

  // Collected(...) read by a consumer in `group`: the loop whose output it reads, the outermost
  // of the loops nested directly around the producer's that `group` is outside of.
  std::size_t collected_level(const Source& s, std::size_t group) const {
    auto encloses = [&](std::size_t outer, std::size_t g) {
      for (;; g = st_.groups[g].parent) {
        if (g == outer) return true;
        if (g == 0) return false;
      }
    };
    std::size_t l = s.group;
    while (!encloses(st_.groups[l].parent, group) &&
           st_.groups[st_.groups[l].parent].kind == GroupRecord::Kind::loop)
      l = st_.groups[l].parent;
    return l;
  }

  // ---- types of channels ------------------------------------------------------------------
  const Source& resolved(const Source& s) const {
    return s.kind == Source::Kind::oneof ? st_.groups[s.group].oneofs[s.task].front() : s;
  }
  const ir::ParameterSpec* parameter_of(const Source& in) const {
    const Source& s = resolved(in);
    if (s.kind == Source::Kind::pipeline_input) return st_.inputs.find_parameter(s.name);
    if (s.kind == Source::Kind::loop_item) return nullptr;
    return st_.tasks[s.task].component->outputs.find_parameter(s.name);
  }
  const ir::ArtifactSpec* artifact_of(const Source& in) const {
    const Source& s = resolved(in);
    if (s.kind == Source::Kind::pipeline_input) return st_.inputs.find_artifact(s.name);
    if (s.kind == Source::Kind::loop_item) return nullptr;
    return st_.tasks[s.task].component->outputs.find_artifact(s.name);
  }

  // ---- building the IR --------------------------------------------------------------------
  // How a task in `group` receives `s` as input `port`; `with_field` applies a struct item's field.
  void bind(ir::Task& task, const std::string& port, bool artifact, const Source& s,
            std::size_t group, bool with_field) const;

  // How `s` reaches a task in `group`: as a sibling's output, or as an input of the group.
  struct Reach {
    bool local = false;
    std::string producer;
    std::string key;      // local: the output key
    std::string outside;  // otherwise: the group's input
  };
  Reach reach(const Source& s, std::size_t group) const;
  // Fills `b`, a binding just made in place, with how a task in `group` receives `s` as `port`.
  void artifact_binding(ir::ArtifactBinding& b, const std::string& port, const Source& s,
                        std::size_t group) const;
  void parameter_binding(ir::ParameterBinding& b, const std::string& port, const Source& s,
                         std::size_t group, bool with_field) const;
  // A setting read at run time: the task takes the channel as an input of its own, named after
  // it, and the setting reads that input.
  std::string setting_text(ir::Task& task, const Source& s, std::size_t group) const;
  // The task's own settings on the executor it runs: env, image, resources, Kubernetes.
  void apply_settings(const detail::TaskRecord& rec, ir::Task& task, ir::Executor& exec);
  void bind_template(std::size_t t, ir::Task& task, const Binding& b);
  // Fills `task`, made in place in its DAG, as task `t` running `component`.
  void leaf_task(ir::Task& task, std::size_t t, const std::string& component);
  ir::Task group_task(std::size_t g);
  ir::Interface group_interface(std::size_t g) const;

  // What a loop hands out through Collected: one list per output, in its outputs.
  struct LoopOutputs {
    ir::Interface outputs;
    std::vector<ir::DagOutput> selectors;
  };
  // Each branch hands out its option; the If chain picks the one that ran.
  void add_oneof_outputs(std::vector<LoopOutputs>& outs) const;
  LoopOutputs loop_outputs(std::size_t g) const;
  ir::Pipeline build();
  // Makes `comp` run the DAG of `sub`, adding sub's components and executors to `p` under the
  // names in `names`.
  static void splice(ir::Pipeline sub, const std::map<std::string, std::string>& names,
                     ir::Component& comp, ir::Pipeline& p);

  PipelineState& st_;
  bool steal_;
  std::vector<Diagnostic> findings_;
  std::vector<std::map<std::string, Channel>> group_inputs_;
  // The names of the siblings each task or group waits for, in any order, some more than once
  // (sorted_once makes them the set they stand for).
  std::vector<std::vector<std::string>> task_deps_;
  std::vector<std::vector<std::string>> group_deps_;
  // The constant quantity of each kind (cpu request, cpu limit, memory request, memory limit)
  // lowered last, and its number.
  struct ParsedQuantity {
    std::string text;
    double number = 0;
    bool parsed = false;
  };
  std::array<ParsedQuantity, 4> parsed_quantities_;
};

}  // namespace kfpp::detail
