// SPDX-License-Identifier: Apache-2.0
// Argo refuses a DAG of more than 200 tasks. A larger DAG becomes a DAG of parts, each a nested
// DAG of consecutive tasks in dependency order, so a part only ever waits for earlier parts.
#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "argo_context.hpp"
#include "ir/name_index.hpp"

namespace kfpp::detail::argo {

namespace {

using ir::ArtifactBinding;
using ir::ParameterBinding;

}  // namespace

std::set<std::string> upstream_tasks(const ir::Task& t) {
  std::vector<std::string> u = t.upstream();
  return {u.begin(), u.end()};
}

std::vector<std::string_view> upstream_names(const ir::Task& t) {
  auto reads_task = [](const auto& b) {
    if constexpr (std::is_same_v<std::decay_t<decltype(b)>, ParameterBinding>)
      return b.kind == ParameterBinding::Kind::task_output ||
             b.kind == ParameterBinding::Kind::task_final_status;
    else
      return b.kind == ArtifactBinding::Kind::task_output;
  };
  const std::size_t names =
      t.dependent_tasks.size() +
      static_cast<std::size_t>(std::count_if(t.parameters.begin(), t.parameters.end(), reads_task) +
                               std::count_if(t.artifacts.begin(), t.artifacts.end(), reads_task));
  std::vector<std::string_view> out;
  out.reserve(names);
  // A task names a few producers, often the same one for several inputs: each goes into its
  // sorted place once. Many names are sorted at the end instead.
  constexpr std::size_t kFew = 32;
  auto add = [&](std::string_view n) {
    if (names > kFew) return out.push_back(n);
    auto at = std::lower_bound(out.begin(), out.end(), n);
    if (at == out.end() || *at != n) out.insert(at, n);
  };
  for (const auto& d : t.dependent_tasks) add(d);
  for (const auto& b : t.parameters)
    if (reads_task(b)) add(b.producer_task);
  for (const auto& b : t.artifacts)
    if (reads_task(b)) add(b.producer_task);
  if (names > kFew) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

namespace {

// A DAG's tasks by name, as the split looks them up: `first` is the first task of a name (the
// one a name stands for), `last` the last one (the one the dependency order takes for an edge).
// A valid DAG names each task once; the two differ only in IR that validation refuses.
struct TaskIndex {
  explicit TaskIndex(const std::vector<ir::Task>& tasks)
      : first_of(tasks.size()), last(tasks.size()) {
    by_name.reserve(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const std::size_t* seen = by_name.find(tasks[i].name);
      const std::size_t f = seen ? *seen : i;
      if (!seen) by_name.emplace(tasks[i].name, i);
      first_of[i] = f;
      last[f] = i;
    }
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  [[nodiscard]] std::size_t first(std::string_view name) const {
    const std::size_t* f = by_name.find(name);
    return f ? *f : npos;
  }
  NameIndex<std::size_t> by_name;     // views into the tasks
  std::vector<std::size_t> first_of;  // by task index
  std::vector<std::size_t> last;      // by first index
};

// The tasks each task names: its dependencies, then the producers of its parameters (outputs
// and final statuses) and of its artifacts, in the order of its lists, each as the first task
// of the name (npos for none). Looked up once, for the order and for the split.
struct NamedTasks {
  NamedTasks(const std::vector<ir::Task>& tasks, const TaskIndex& names) : start(tasks.size() + 1) {
    first.reserve(tasks.size() * 2);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      start[i] = first.size();
      const ir::Task& t = tasks[i];
      for (const auto& d : t.dependent_tasks) first.push_back(names.first(d));
      for (const auto& b : t.parameters)
        if (b.kind == ParameterBinding::Kind::task_output ||
            b.kind == ParameterBinding::Kind::task_final_status)
          first.push_back(names.first(b.producer_task));
      for (const auto& b : t.artifacts)
        if (b.kind == ArtifactBinding::Kind::task_output)
          first.push_back(names.first(b.producer_task));
    }
    start[tasks.size()] = first.size();
  }
  std::vector<std::size_t> start;  // by task: its names are first[start[i]] … first[start[i+1]-1]
  std::vector<std::size_t> first;
};

// Task indexes in dependency order; ties keep the order of the DAG.
std::vector<std::size_t> topological(const TaskIndex& names, const NamedTasks& named) {
  const std::size_t n = named.start.size() - 1;
  // Each edge as often as the task names its source (Task::upstream() without the copies): a
  // task becomes ready when its count reaches zero, whatever the count.
  auto each_edge = [&](auto&& edge) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t e = named.start[i]; e < named.start[i + 1]; ++e) {
        const std::size_t f = named.first[e];
        if (f == TaskIndex::npos) continue;
        const std::size_t from = names.last[f];
        if (from != i && !edge(from, i)) return;
      }
  };
  bool forward = true;  // every edge from an earlier task to a later one
  each_edge([&](std::size_t from, std::size_t to) { return forward = from < to; });
  std::vector<std::size_t> order(n);
  // Tasks in an order that already respects every edge come out as they are: the smallest task
  // not yet taken has all its sources taken, so it is always the first ready.
  if (forward) {
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    return order;
  }
  // Edges grouped by source (counting sort, stable: each source's targets in order).
  std::vector<std::size_t> first_edge(n + 1, 0);
  std::vector<std::size_t> waiting(n, 0);
  std::size_t edges = 0;
  each_edge([&](std::size_t from, std::size_t to) {
    ++first_edge[from + 1];
    ++waiting[to];
    ++edges;
    return true;
  });
  for (std::size_t i = 0; i < n; ++i) first_edge[i + 1] += first_edge[i];
  std::vector<std::size_t> down(edges);
  {
    std::vector<std::size_t> fill(first_edge.begin(), first_edge.end() - 1);
    each_edge([&](std::size_t from, std::size_t to) {
      down[fill[from]++] = to;
      return true;
    });
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(i);
  order.clear();
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (std::size_t e = first_edge[i]; e < first_edge[i + 1]; ++e)
      if (--waiting[down[e]] == 0) ready.push(down[e]);
  }
  return order;  // shorter than the DAG only for a cycle, which validation reports
}

struct Splitter {
  explicit Splitter(Context& context, Rewritable& r) : cx(context), p(r.p) {
    index.reserve(r.from.components.size());
    for (std::size_t i = 0; i < r.from.components.size(); ++i)
      index.emplace(
          r.from.components[i].name,
          Entry{r.copy_of[i], r.copy_of[i] == Rewritable::npos ? &r.from.components[i] : nullptr});
  }

  Context& cx;
  ir::Pipeline& p;
  // A component: its place in p.components (a copy, or a part), or the caller's own.
  struct Entry {
    std::size_t copy = Rewritable::npos;
    const ir::Component* original = nullptr;
  };
  // Component name → the first component of that name (as find_component has it), kept as
  // parts are added: looking a name up scanned every component, once per part. The names are
  // views into the caller's components and into `names_of_parts`.
  NameIndex<Entry> index;
  std::deque<std::string> names_of_parts;  // (a deque: its strings stay where they are)

  // The component to rewrite: one copied into p.components (DAGs and parts are).
  ir::Component* component(const std::string& name) {
    const Entry* e = index.find(name);
    return !e || e->copy == Rewritable::npos ? nullptr : &p.components[e->copy];
  }
  // The component to read: its copy or the caller's.
  const ir::Component* read(const std::string& name) {
    const Entry* e = index.find(name);
    if (!e) return nullptr;
    return e->copy == Rewritable::npos ? e->original : &p.components[e->copy];
  }

  std::string unique_component_name(const std::string& base) {
    std::string name = base;
    for (int n = 2; index.contains(name); ++n) name = base + "-" + std::to_string(n);
    return name;
  }

  // `source`, when given, holds the DAG's tasks, which the component's own DAG then lacks (the
  // rewritable copy leaves them out): the parts copy them from there, with `integers` applied.
  void split(const std::string& component_name, bool is_root,
             const std::vector<ir::Task>* source = nullptr,
             const IntegerInputs* integers = nullptr) {
    auto find = [&]() -> ir::Component* { return is_root ? &p.root : component(component_name); };
    ir::Component* comp = find();
    if (!comp || !comp->dag || (source ? *source : comp->dag->tasks).size() <= kMaxDagTasks) return;

    ir::Dag whole = std::move(*comp->dag);
    const std::vector<ir::Task>& tasks = source ? *source : whole.tasks;
    const ir::Interface inputs = comp->inputs;
    const TaskIndex names(tasks);
    const NamedTasks named(tasks, names);
    const std::vector<std::size_t> order = topological(names, named);
    const std::size_t parts = (order.size() + kMaxDagTasks - 1) / kMaxDagTasks;
    constexpr std::size_t npos = TaskIndex::npos;
    // The part of the task a name stands for: the last of that name in dependency order.
    std::vector<std::size_t> part_of(tasks.size(), npos);
    for (std::size_t k = 0; k < order.size(); ++k)
      part_of[names.first_of[order[k]]] = k / kMaxDagTasks;
    auto part_at = [&](std::size_t f) { return f == npos ? npos : part_of[f]; };
    auto part_named = [&](const std::string& task) { return part_at(names.first(task)); };

    const std::string base = is_root ? "comp-" + dns_name(p.name, 40) : component_name;
    std::vector<ir::Component> part_comps(parts);
    std::vector<ir::Task> part_tasks(parts);
    std::vector<std::set<std::string>> part_inputs(parts);   // names already declared
    std::vector<std::set<std::string>> part_outputs(parts);  // names already exported
    for (std::size_t i = 0; i < parts; ++i) {
      part_comps[i].name = unique_component_name(base + "-part-" + std::to_string(i + 1));
      part_comps[i].dag.emplace().tasks.reserve(
          std::min(kMaxDagTasks, order.size() - i * kMaxDagTasks));
      // Reserve the name before the next part looks for a free one.
      index.emplace(names_of_parts.emplace_back(part_comps[i].name),
                    Entry{p.components.size(), nullptr});
      p.components.push_back(ir::Component{part_comps[i].name, {}, {}, {}, std::nullopt});
      part_tasks[i].name = "part-" + std::to_string(i + 1);
      part_tasks[i].component_ref = part_comps[i].name;
      part_tasks[i].enable_cache.reset();
    }

    // Each task's outputs (by the first task of a name whose component exists), for the edges
    // that cross parts, found when the first such edge needs them: no component is added from
    // here on, so the pointers hold.
    std::vector<const ir::Interface*> outputs;
    auto outputs_of = [&](const std::string& task) -> const ir::Interface* {
      if (outputs.empty()) {
        outputs.assign(tasks.size(), nullptr);
        for (std::size_t i = 0; i < tasks.size(); ++i)
          if (const std::size_t f = names.first_of[i]; !outputs[f])
            if (const ir::Component* c = read(tasks[i].component_ref)) outputs[f] = &c->outputs;
      }
      const std::size_t f = names.first(task);
      return f == npos ? nullptr : outputs[f];
    };

    // The part producing `task`'s output `key` exports it under a name unique in that part.
    auto export_output = [&](std::size_t from, const std::string& task, const std::string& key,
                             bool artifact) -> std::string {
      std::string name = cat({task, "--", key});
      if (part_outputs[from].insert(name).second) {
        ir::DagOutput o;
        o.name = name;
        o.is_artifact = artifact;
        o.producer_task = task;
        o.output_key = key;
        part_comps[from].dag->outputs.push_back(std::move(o));
        if (const ir::Interface* out = outputs_of(task)) {
          if (artifact) {
            if (const ir::ArtifactSpec* a = out->find_artifact(key)) {
              ir::ArtifactSpec spec = *a;
              spec.name = name;
              part_comps[from].outputs.artifacts.push_back(std::move(spec));
            }
          } else if (const ir::ParameterSpec* s = out->find_parameter(key)) {
            ir::ParameterSpec spec = *s;
            spec.name = name;
            spec.default_value.reset();
            spec.is_optional = false;
            part_comps[from].outputs.parameters.push_back(std::move(spec));
          }
        }
      }
      return name;
    };
    auto depend = [&](std::size_t part, std::size_t on) {
      auto& deps = part_tasks[part].dependent_tasks;
      const std::string& n = part_tasks[on].name;
      if (std::find(deps.begin(), deps.end(), n) == deps.end()) deps.push_back(n);
    };

    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t me = k / kMaxDagTasks;
      ir::Component& pc = part_comps[me];
      ir::Task& call = part_tasks[me];
      // Copied, not moved, into its part (which has room for it): the index of names views the
      // tasks' own names.
      ir::Task& t = pc.dag->tasks.emplace_back(tasks[order[k]]);
      if (integers) integers->fix(t);
      // The parts of the tasks it names, in NamedTasks' order.
      const std::size_t deps_at = named.start[order[k]];
      std::size_t at = deps_at + t.dependent_tasks.size();

      auto declare_input = [&](const std::string& name, bool artifact, const ir::ParameterSpec* ps,
                               const ir::ArtifactSpec* as) {
        if (!part_inputs[me].insert(name).second) return false;
        if (artifact && as) {
          ir::ArtifactSpec spec = *as;
          spec.name = name;
          pc.inputs.artifacts.push_back(std::move(spec));
        } else if (ps) {
          ir::ParameterSpec spec = *ps;
          spec.name = name;
          pc.inputs.parameters.push_back(std::move(spec));
        }
        return true;
      };

      for (auto& b : t.parameters) {
        if (b.kind == ParameterBinding::Kind::component_input) {
          if (declare_input(b.source, false, inputs.find_parameter(b.source), nullptr)) {
            ParameterBinding pass;
            pass.name = b.source;
            pass.kind = ParameterBinding::Kind::component_input;
            pass.source = b.source;
            call.parameters.push_back(std::move(pass));
          }
        } else if (b.kind == ParameterBinding::Kind::task_output) {
          const std::size_t from = part_at(named.first[at++]);
          if (from == npos || from == me) continue;
          std::string name = export_output(from, b.producer_task, b.source, false);
          const ir::Interface* out = outputs_of(b.producer_task);
          if (declare_input(name, false, out ? out->find_parameter(b.source) : nullptr, nullptr)) {
            ParameterBinding pass;
            pass.name = name;
            pass.kind = ParameterBinding::Kind::task_output;
            pass.producer_task = part_tasks[from].name;
            pass.source = name;
            call.parameters.push_back(std::move(pass));
          }
          depend(me, from);
          b.kind = ParameterBinding::Kind::component_input;
          b.source = std::move(name);
          b.producer_task.clear();
        } else if (b.kind == ParameterBinding::Kind::task_final_status) {
          const std::size_t from = part_at(named.first[at++]);
          if (from != npos && from != me)
            cx.unsupported(
                p.name + "/" + t.name,
                "reads the final status of a task in another part of a DAG split for Argo's "
                "200-task limit",
                "keep the exit task next to the task it watches, or make the DAG smaller");
        }
      }
      for (auto& b : t.artifacts) {
        if (b.kind == ArtifactBinding::Kind::component_input) {
          if (declare_input(b.source, true, nullptr, inputs.find_artifact(b.source))) {
            ArtifactBinding pass;
            pass.name = b.source;
            pass.kind = ArtifactBinding::Kind::component_input;
            pass.source = b.source;
            call.artifacts.push_back(std::move(pass));
          }
          continue;
        }
        const std::size_t from = part_at(named.first[at++]);
        if (from == npos || from == me) continue;
        std::string name = export_output(from, b.producer_task, b.source, true);
        const ir::Interface* out = outputs_of(b.producer_task);
        if (declare_input(name, true, nullptr, out ? out->find_artifact(b.source) : nullptr)) {
          ArtifactBinding pass;
          pass.name = name;
          pass.kind = ArtifactBinding::Kind::task_output;
          pass.producer_task = part_tasks[from].name;
          pass.source = name;
          call.artifacts.push_back(std::move(pass));
        }
        depend(me, from);
        b.kind = ArtifactBinding::Kind::component_input;
        b.source = std::move(name);
        b.producer_task.clear();
      }
      // Dependencies on tasks of earlier parts become dependencies of this part.
      auto& deps = t.dependent_tasks;
      std::size_t kept = 0;
      for (std::size_t r = 0; r < deps.size(); ++r) {
        const std::size_t from = part_at(named.first[deps_at + r]);
        if (from != npos && from != me) {
          depend(me, from);
        } else {
          if (kept != r) deps[kept] = std::move(deps[r]);
          ++kept;
        }
      }
      deps.erase(deps.begin() + static_cast<std::ptrdiff_t>(kept), deps.end());
    }

    // The DAG's own outputs now come from the parts.
    ir::Dag outer;
    for (auto& o : whole.outputs) {
      auto reroute = [&](std::string& task, std::string& key) {
        const std::size_t from = part_named(task);
        if (from == npos) return;
        key = export_output(from, task, key, o.is_artifact);
        task = part_tasks[from].name;
      };
      reroute(o.producer_task, o.output_key);
      for (auto& s : o.oneof) reroute(s.producer_task, s.output_key);
      outer.outputs.push_back(std::move(o));
    }
    outer.tasks = std::move(part_tasks);

    // Store the parts (their reserved entries, at the end of the list) and the rewritten DAG,
    // then split further when even the parts are too many.
    std::vector<std::string> part_names;
    for (auto& pc : part_comps) {
      part_names.push_back(pc.name);
      *component(pc.name) = std::move(pc);
    }
    comp = find();
    comp->dag = std::move(outer);
    for (const auto& name : part_names) split(name, false);
    split(component_name, is_root);
  }
};

}  // namespace

IntegerInputs::IntegerInputs(const ir::Pipeline& p) {
  auto has_integer = [](const ir::Component& c) {
    return std::any_of(c.inputs.parameters.begin(), c.inputs.parameters.end(),
                       [](const auto& ps) { return ps.type == ir::ParameterType::number_integer; });
  };
  any_ = std::any_of(p.components.begin(), p.components.end(), has_integer);
  if (!any_) return;  // no constant to fix: no index
  components_.reserve(p.components.size());
  // The first component of a name is the one a task's reference finds.
  for (const auto& c : p.components) components_.emplace(c.name, &c);
}

bool IntegerInputs::integral(ir::Value& v) {
  if (!(v.is_double() && std::isfinite(v.as_double()) &&
        std::trunc(v.as_double()) == v.as_double() && std::fabs(v.as_double()) < 9.0e15))
    return false;
  v = ir::Value(static_cast<long long>(v.as_double()));
  return true;
}

void IntegerInputs::fix(ir::Task& t) const {
  if (!any_) return;
  auto it = components_.find(t.component_ref);
  if (it == components_.end()) return;
  for (auto& b : t.parameters) {
    if (b.kind != ParameterBinding::Kind::constant) continue;
    const ir::ParameterSpec* ps = it->second->inputs.find_parameter(b.name);
    if (ps && ps->type == ir::ParameterType::number_integer) integral(b.constant);
  }
}

void integer_parameters_as_integers(ir::Pipeline& p, const IntegerInputs& integers) {
  auto fix_interface = [&](ir::Component& c) {
    for (auto& ps : c.inputs.parameters)
      if (ps.type == ir::ParameterType::number_integer && ps.default_value)
        IntegerInputs::integral(*ps.default_value);
  };
  for (auto& c : p.components) fix_interface(c);
  fix_interface(p.root);
  if (!integers.any()) return;
  auto fix_tasks = [&](ir::Component& c) {
    if (!c.dag) return;
    for (auto& t : c.dag->tasks) integers.fix(t);
  };
  for (auto& c : p.components) fix_tasks(c);
  fix_tasks(p.root);
}

std::vector<const ir::Component*> Rewritable::components() const {
  std::vector<const ir::Component*> all;
  all.reserve(from.components.size() + p.components.size() - origin.size());
  for (std::size_t i = 0; i < from.components.size(); ++i)
    all.push_back(copy_of[i] == npos ? &from.components[i] : &p.components[copy_of[i]]);
  for (std::size_t i = origin.size(); i < p.components.size(); ++i) all.push_back(&p.components[i]);
  return all;
}

void split_large_dags(Context& cx, Rewritable& r, const IntegerInputs& integers) {
  ir::Pipeline& p = r.p;
  const ir::Pipeline& from = r.from;
  // The tasks of a DAG over the limit, when the copy left them out (see rewritable_copy): the
  // copy of index `i` in `p` is of the component of index `r.origin[i]` in `from` (parts come
  // after the copies).
  auto source = [](const ir::Component& c, const ir::Component& original) {
    return c.dag && c.dag->tasks.empty() && original.dag &&
                   original.dag->tasks.size() > kMaxDagTasks
               ? &original.dag->tasks
               : nullptr;
  };
  const std::size_t n = p.components.size();
  Splitter s{cx, r};
  std::vector<std::string> names;
  for (const auto& c : p.components)
    if (c.dag) names.push_back(c.name);
  for (const auto& name : names) {
    const std::size_t i = s.index.find(name)->copy;
    if (i == Rewritable::npos) continue;  // the first of the name is a leaf: nothing to split
    s.split(name, false, source(p.components[i], from.components[r.origin[i]]), &integers);
  }
  s.split(p.root.name, true, source(p.root, from.root), &integers);
  // A component the split did not reach (the second of a name) gets its tasks back.
  for (std::size_t i = 0; i < n; ++i) {
    ir::Component& c = p.components[i];
    if (const std::vector<ir::Task>* tasks = source(c, from.components[r.origin[i]])) {
      c.dag->tasks = *tasks;
      for (auto& t : c.dag->tasks) integers.fix(t);
    }
  }
}

}  // namespace kfpp::detail::argo
