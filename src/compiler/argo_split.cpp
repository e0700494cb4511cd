// SPDX-License-Identifier: Apache-2.0
// Argo refuses a DAG of more than 200 tasks. A larger DAG becomes a DAG of parts, each a nested
// DAG of consecutive tasks in dependency order, so a part only ever waits for earlier parts.
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "argo_context.hpp"

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
  std::vector<std::string_view> out(t.dependent_tasks.begin(), t.dependent_tasks.end());
  for (const auto& b : t.parameters)
    if (b.kind == ParameterBinding::Kind::task_output ||
        b.kind == ParameterBinding::Kind::task_final_status)
      out.push_back(b.producer_task);
  for (const auto& b : t.artifacts)
    if (b.kind == ArtifactBinding::Kind::task_output) out.push_back(b.producer_task);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

// Task indexes in dependency order; ties keep the order of the DAG.
std::vector<std::size_t> topological(const ir::Dag& dag) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(dag.tasks.size());
  for (std::size_t i = 0; i < dag.tasks.size(); ++i) index[dag.tasks[i].name] = i;
  std::vector<std::vector<std::size_t>> down(dag.tasks.size());
  std::vector<std::size_t> waiting(dag.tasks.size(), 0);
  for (std::size_t i = 0; i < dag.tasks.size(); ++i) {
    // Each edge as often as the task names its source (Task::upstream() without the copies): a
    // task becomes ready when its count reaches zero, whatever the count.
    auto edge = [&](const std::string& u) {
      auto it = index.find(u);
      if (it == index.end() || it->second == i) return;
      down[it->second].push_back(i);
      ++waiting[i];
    };
    const ir::Task& t = dag.tasks[i];
    for (const auto& d : t.dependent_tasks) edge(d);
    for (const auto& b : t.parameters)
      if (b.kind == ParameterBinding::Kind::task_output ||
          b.kind == ParameterBinding::Kind::task_final_status)
        edge(b.producer_task);
    for (const auto& b : t.artifacts)
      if (b.kind == ArtifactBinding::Kind::task_output) edge(b.producer_task);
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < waiting.size(); ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (std::size_t d : down[i])
      if (--waiting[d] == 0) ready.push(d);
  }
  return order;  // shorter than the DAG only for a cycle, which validation reports
}

struct Splitter {
  Splitter(Context& context, ir::Pipeline& pipeline) : cx(context), p(pipeline) {
    index.reserve(p.components.size());
    for (std::size_t i = 0; i < p.components.size(); ++i) index.emplace(p.components[i].name, i);
  }

  Context& cx;
  ir::Pipeline& p;
  // Component name → its place in p.components (the first, as find_component has it), kept as
  // parts are added: looking a name up scanned every component, once per part.
  std::unordered_map<std::string, std::size_t> index;

  ir::Component* component(const std::string& name) {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &p.components[it->second];
  }

  std::string unique_component_name(const std::string& base) {
    std::string name = base;
    for (int n = 2; index.count(name); ++n) name = base + "-" + std::to_string(n);
    return name;
  }

  void split(const std::string& component_name, bool is_root) {
    auto find = [&]() -> ir::Component* { return is_root ? &p.root : component(component_name); };
    ir::Component* comp = find();
    if (!comp || !comp->dag || comp->dag->tasks.size() <= kMaxDagTasks) return;

    ir::Dag whole = std::move(*comp->dag);
    const ir::Interface inputs = comp->inputs;
    const std::vector<std::size_t> order = topological(whole);
    const std::size_t parts = (order.size() + kMaxDagTasks - 1) / kMaxDagTasks;
    std::unordered_map<std::string, std::size_t> part_of;
    part_of.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      part_of[whole.tasks[order[k]].name] = k / kMaxDagTasks;

    const std::string base = is_root ? "comp-" + dns_name(p.name, 40) : component_name;
    std::vector<ir::Component> part_comps(parts);
    std::vector<ir::Task> part_tasks(parts);
    std::vector<std::set<std::string>> part_inputs(parts);   // names already declared
    std::vector<std::set<std::string>> part_outputs(parts);  // names already exported
    for (std::size_t i = 0; i < parts; ++i) {
      part_comps[i].name = unique_component_name(base + "-part-" + std::to_string(i + 1));
      part_comps[i].dag.emplace();
      // Reserve the name before the next part looks for a free one.
      index.emplace(part_comps[i].name, p.components.size());
      p.components.push_back(ir::Component{part_comps[i].name, {}, {}, {}, std::nullopt});
      part_tasks[i].name = "part-" + std::to_string(i + 1);
      part_tasks[i].component_ref = part_comps[i].name;
      part_tasks[i].enable_cache.reset();
    }

    // Each task's outputs by its name, for the edges that cross parts; taken before the tasks
    // move into their parts (no component is added from here on, so the pointers hold).
    std::unordered_map<std::string, const ir::Interface*> outputs;
    outputs.reserve(whole.tasks.size());
    for (const auto& t : whole.tasks)
      if (const ir::Component* c = component(t.component_ref)) outputs.emplace(t.name, &c->outputs);
    auto outputs_of = [&](const std::string& task) -> const ir::Interface* {
      auto it = outputs.find(task);
      return it == outputs.end() ? nullptr : it->second;
    };

    // The part producing `task`'s output `key` exports it under a name unique in that part.
    auto export_output = [&](std::size_t from, const std::string& task, const std::string& key,
                             bool artifact) -> std::string {
      const std::string name = task + "--" + key;
      if (part_outputs[from].insert(name).second) {
        ir::DagOutput o;
        o.name = name;
        o.is_artifact = artifact;
        o.producer_task = task;
        o.output_key = key;
        part_comps[from].dag->outputs.push_back(o);
        if (const ir::Interface* out = outputs_of(task)) {
          if (artifact) {
            if (const ir::ArtifactSpec* a = out->find_artifact(key)) {
              ir::ArtifactSpec spec = *a;
              spec.name = name;
              part_comps[from].outputs.artifacts.push_back(spec);
            }
          } else if (const ir::ParameterSpec* s = out->find_parameter(key)) {
            ir::ParameterSpec spec = *s;
            spec.name = name;
            spec.default_value.reset();
            spec.is_optional = false;
            part_comps[from].outputs.parameters.push_back(spec);
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
      ir::Task t = std::move(whole.tasks[order[k]]);
      const std::size_t me = k / kMaxDagTasks;
      ir::Component& pc = part_comps[me];
      ir::Task& call = part_tasks[me];
      const std::string where = p.name + "/" + t.name;

      auto declare_input = [&](const std::string& name, bool artifact, const ir::ParameterSpec* ps,
                               const ir::ArtifactSpec* as) {
        if (!part_inputs[me].insert(name).second) return false;
        if (artifact && as) {
          ir::ArtifactSpec spec = *as;
          spec.name = name;
          pc.inputs.artifacts.push_back(spec);
        } else if (ps) {
          ir::ParameterSpec spec = *ps;
          spec.name = name;
          pc.inputs.parameters.push_back(spec);
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
            call.parameters.push_back(pass);
          }
        } else if (b.kind == ParameterBinding::Kind::task_output) {
          auto it = part_of.find(b.producer_task);
          if (it == part_of.end() || it->second == me) continue;
          const std::string name = export_output(it->second, b.producer_task, b.source, false);
          const ir::Interface* out = outputs_of(b.producer_task);
          if (declare_input(name, false, out ? out->find_parameter(b.source) : nullptr, nullptr)) {
            ParameterBinding pass;
            pass.name = name;
            pass.kind = ParameterBinding::Kind::task_output;
            pass.producer_task = part_tasks[it->second].name;
            pass.source = name;
            call.parameters.push_back(pass);
          }
          depend(me, it->second);
          b.kind = ParameterBinding::Kind::component_input;
          b.source = name;
          b.producer_task.clear();
        } else if (b.kind == ParameterBinding::Kind::task_final_status) {
          auto it = part_of.find(b.producer_task);
          if (it != part_of.end() && it->second != me)
            cx.unsupported(
                where,
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
            call.artifacts.push_back(pass);
          }
          continue;
        }
        auto it = part_of.find(b.producer_task);
        if (it == part_of.end() || it->second == me) continue;
        const std::string name = export_output(it->second, b.producer_task, b.source, true);
        const ir::Interface* out = outputs_of(b.producer_task);
        if (declare_input(name, true, nullptr, out ? out->find_artifact(b.source) : nullptr)) {
          ArtifactBinding pass;
          pass.name = name;
          pass.kind = ArtifactBinding::Kind::task_output;
          pass.producer_task = part_tasks[it->second].name;
          pass.source = name;
          call.artifacts.push_back(pass);
        }
        depend(me, it->second);
        b.kind = ArtifactBinding::Kind::component_input;
        b.source = name;
        b.producer_task.clear();
      }
      std::vector<std::string> deps;
      for (const auto& d : t.dependent_tasks) {
        auto it = part_of.find(d);
        if (it != part_of.end() && it->second != me)
          depend(me, it->second);
        else
          deps.push_back(d);
      }
      t.dependent_tasks = std::move(deps);
      pc.dag->tasks.push_back(std::move(t));
    }

    // The DAG's own outputs now come from the parts.
    ir::Dag outer;
    for (const auto& o : whole.outputs) {
      ir::DagOutput moved = o;
      auto reroute = [&](std::string& task, std::string& key) {
        auto it = part_of.find(task);
        if (it == part_of.end()) return;
        key = export_output(it->second, task, key, o.is_artifact);
        task = part_tasks[it->second].name;
      };
      reroute(moved.producer_task, moved.output_key);
      for (auto& s : moved.oneof) reroute(s.producer_task, s.output_key);
      outer.outputs.push_back(moved);
    }
    for (std::size_t i = 0; i < parts; ++i) outer.tasks.push_back(part_tasks[i]);

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

void integer_parameters_as_integers(ir::Pipeline& p) {
  auto integral = [](ir::Value& v) {
    if (v.is_double() && std::isfinite(v.as_double()) &&
        std::trunc(v.as_double()) == v.as_double() && std::fabs(v.as_double()) < 9.0e15)
      v = ir::Value(static_cast<long long>(v.as_double()));
  };
  auto fix_interface = [&](ir::Component& c) {
    for (auto& ps : c.inputs.parameters)
      if (ps.type == ir::ParameterType::number_integer && ps.default_value)
        integral(*ps.default_value);
  };
  std::unordered_map<std::string_view, const ir::Component*> comps;
  for (auto& c : p.components) {
    fix_interface(c);
    comps.emplace(c.name, &c);
  }
  fix_interface(p.root);
  auto fix_tasks = [&](ir::Component& c) {
    if (!c.dag) return;
    for (auto& t : c.dag->tasks) {
      auto it = comps.find(t.component_ref);
      if (it == comps.end()) continue;
      for (auto& b : t.parameters) {
        if (b.kind != ParameterBinding::Kind::constant) continue;
        const ir::ParameterSpec* ps = it->second->inputs.find_parameter(b.name);
        if (ps && ps->type == ir::ParameterType::number_integer) integral(b.constant);
      }
    }
  };
  for (auto& c : p.components) fix_tasks(c);
  fix_tasks(p.root);
}

void split_large_dags(Context& cx, ir::Pipeline& p) {
  Splitter s{cx, p};
  std::vector<std::string> names;
  for (const auto& c : p.components)
    if (c.dag) names.push_back(c.name);
  for (const auto& n : names) s.split(n, false);
  s.split(p.root.name, true);
}

}  // namespace kfpp::detail::argo
