// SPDX-License-Identifier: Apache-2.0
// Lowering: the DSL's records become the IR. Each control-flow group becomes a DAG component; a
// value crosses group boundaries as a `pipelinechannel--…` input of every group between its
// producer and its consumer, and a dependency between tasks in different groups becomes one
// between their first uncommon ancestors, which are siblings.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cel.hpp"
#include "ir/json_text.hpp"
#include "k8s_rules.hpp"
#include "kfpp/dsl/pipeline.hpp"
#include "lowering.hpp"

namespace kfpp::detail {

ir::Pipeline Lowering::run() {
  for (std::size_t g = 1; g < st_.groups.size(); ++g)
    if (!has_task(g))
      fail("kfpp.empty_group", group_path(g), "the group contains no task",
           "add a task inside it, or remove it");
  // As the SDK rules: copying an import into the workspace needs the pipeline to have one.
  for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
    const auto& im = st_.tasks[t].component->executor.importer;
    if (im && im->download_to_workspace && !(st_.config && st_.config->workspace))
      fail("kfpp.workspace_missing", task_path(t) + "/downloadToWorkspace",
           "the importer copies its artifact into the workspace, but the pipeline has none",
           "give the pipeline a workspace: p.config({.workspace = kfpp::WorkspaceOptions{.size "
           "= \"1Gi\"}})");
  }
  collect();
  if (!findings_.empty()) throw ValidationError(std::move(findings_));
  ir::Pipeline p = build();
  if (!findings_.empty()) throw ValidationError(std::move(findings_));
  return p;
}

// How a task in `group` receives `s` as input `port`; `with_field` applies a struct item's field.
void Lowering::bind(ir::Task& task, const std::string& port, bool artifact, const Source& s,
                    std::size_t group, bool with_field) const {
  if (artifact)
    artifact_binding(task.artifacts.emplace_back(), port, s, group);
  else
    parameter_binding(task.parameters.emplace_back(), port, s, group, with_field);
}

Lowering::Reach Lowering::reach(const Source& s, std::size_t group) const {
  bool local = false;
  std::string producer;
  std::string key;
  if (s.kind == Source::Kind::task_output && st_.tasks[s.task].group == group) {
    local = true;
    producer = st_.tasks[s.task].name;
    key = s.name;
  } else if (s.kind == Source::Kind::oneof && st_.groups[s.group].parent == group) {
    local = true;
    producer = st_.groups[s.group].name;
    key = channel_name(s);
  } else if (s.kind == Source::Kind::collected) {
    const std::size_t level = collected_level(s, group);
    if (st_.groups[level].parent == group) {
      local = true;
      producer = st_.groups[level].name;
      key = channel_name(s);
    }
  }
  if (local) return {true, std::move(producer), std::move(key), {}};
  std::string outside =
      s.kind == Source::Kind::pipeline_input && group == 0 ? s.name : channel_name(s);
  return {false, {}, {}, std::move(outside)};
}

void Lowering::artifact_binding(ir::ArtifactBinding& b, const std::string& port, const Source& s,
                                std::size_t group) const {
  Reach r = reach(s, group);
  b.name = port;
  b.kind =
      r.local ? ir::ArtifactBinding::Kind::task_output : ir::ArtifactBinding::Kind::component_input;
  b.source = r.local ? std::move(r.key) : std::move(r.outside);
  b.producer_task = std::move(r.producer);
}

void Lowering::parameter_binding(ir::ParameterBinding& b, const std::string& port, const Source& s,
                                 std::size_t group, bool with_field) const {
  b.name = port;
  if (s.kind == Source::Kind::constant) {
    b.kind = ir::ParameterBinding::Kind::constant;
    b.constant = s.constant;
    return;
  }
  Reach r = reach(s, group);
  if (r.local) {
    b.kind = ir::ParameterBinding::Kind::task_output;
    b.source = std::move(r.key);
    b.producer_task = std::move(r.producer);
  } else {
    b.kind = ir::ParameterBinding::Kind::component_input;
    b.source = std::move(r.outside);
    if (with_field && s.kind == Source::Kind::loop_item && !s.field.empty()) {
      std::string field;
      detail::append_json_string(field, s.field);
      b.expression_selector = "parseJson(string_value)[" + field + "]";
    }
  }
}

// A setting read at run time: the task takes the channel as an input of its own, named after
// it, and the setting reads that input.
std::string Lowering::setting_text(ir::Task& task, const Source& s, std::size_t group) const {
  if (s.kind == Source::Kind::constant)
    return s.constant.is_string() ? s.constant.as_string() : ir::python_json_text(s.constant);
  const std::string name = channel_name(s);
  if (!task.find_parameter(name))
    parameter_binding(task.parameters.emplace_back(), name, s, group, true);
  return "{{$.inputs.parameters['" + name + "']}}";
}

// The task's own settings on the executor it runs: env, image, resources, Kubernetes.
void Lowering::apply_settings(const detail::TaskRecord& rec, ir::Task& task, ir::Executor& exec) {
  if (rec.kubernetes) {
    exec.kubernetes.emplace() = *rec.kubernetes;
    exec.kubernetes->for_each_binding([&](ir::ParameterBinding& b) {
      if (b.name.empty() || b.name[0] != '\x01') return;
      const Source& s = rec.k8s_channels[std::stoul(b.name.substr(1))];
      b = ir::ParameterBinding{};
      parameter_binding(b, {}, s, rec.group, true);
    });
  }
  if (!exec.container) return;
  ir::ContainerSpec& c = *exec.container;
  for (const auto& e : rec.env) {
    auto it = std::find_if(c.env.begin(), c.env.end(),
                           [&](const ir::EnvVar& x) { return x.name == e.name; });
    if (it != c.env.end())
      it->value = e.value;
    else
      c.env.push_back(e);
  }
  if (rec.image) c.image = setting_text(task, *rec.image, rec.group);
  ir::Resources& r = c.resources;
  std::string* text[] = {&r.resource_cpu_request, &r.resource_cpu_limit, &r.resource_memory_request,
                         &r.resource_memory_limit};
  std::optional<double>* number[] = {&r.cpu_request, &r.cpu_limit, &r.memory_request,
                                     &r.memory_limit};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& q = rec.quantities[i];
    if (!q) continue;
    *text[i] = setting_text(task, *q, rec.group);
    // The old numeric field, for constants only (checked when set). The tasks of a large
    // pipeline mostly ask for the same few quantities: the last one of each kind is kept.
    if (q->kind == Source::Kind::constant) {
      ParsedQuantity& last = parsed_quantities_[i];
      if (!last.parsed || last.text != *text[i]) {
        last.number = i < 2 ? detail::check_cpu(*text[i], task.name)
                            : detail::check_memory(*text[i], task.name);
        last.text = *text[i];
        last.parsed = true;
      }
      *number[i] = last.number;
    }
  }
  if (rec.accelerator_type) {
    ir::Accelerator& a = r.accelerator.emplace();
    a.resource_type = setting_text(task, *rec.accelerator_type, rec.group);
    a.resource_count = setting_text(task, *rec.accelerator_count, rec.group);
    if (rec.accelerator_type->kind == Source::Kind::constant) a.type = a.resource_type;
    if (rec.accelerator_count->kind == Source::Kind::constant)
      a.count = rec.accelerator_count->constant.as_int();
  }
}

// A template, as the SDK writes an f-string: each channel becomes an input of the task of its
// own, named after the channel, and the text reads it through a placeholder.
void Lowering::bind_template(std::size_t t, ir::Task& task, const Binding& b) {
  const auto& rec = st_.tasks[t];
  std::string text = b.pieces.front();
  for (std::size_t i = 0; i < b.parts.size(); ++i) {
    const std::string name = channel_name(b.parts[i]);
    if (rec.component->inputs.find_parameter(name) || rec.component->inputs.find_artifact(name))
      fail("kfpp.duplicate_name", task_path(t) + "/inputs/" + b.port,
           "the template's channel becomes input '" + name +
               "' of the task, but the component already has an input of that name",
           "rename the component's input");
    if (!task.find_parameter(name))
      parameter_binding(task.parameters.emplace_back(), name, b.parts[i], rec.group, false);
    text += "{{$.inputs.parameters['" + name + "']}}" + b.pieces[i + 1];
  }
  ir::ParameterBinding p;
  p.name = b.port;
  p.kind = ir::ParameterBinding::Kind::constant;
  p.constant = ir::Value(std::move(text));
  task.parameters.push_back(std::move(p));
}

void Lowering::leaf_task(ir::Task& task, std::size_t t, const std::string& component) {
  auto& rec = st_.tasks[t];
  task.name = rec.name;
  task.display_name = rec.display_name;
  task.component_ref = component;
  task.enable_cache = rec.caching;
  task.cache_key = rec.cache_key;
  task.retry_policy = rec.retry;
  std::size_t artifacts = 0;
  for (const auto& b : rec.bindings) artifacts += b.artifact ? 1 : 0;
  task.artifacts.reserve(artifacts);
  task.parameters.reserve(rec.bindings.size() - artifacts);
  for (const auto& b : rec.bindings) {
    if (b.parts.empty())
      bind(task, b.port, b.artifact, b.source, rec.group, true);
    else
      bind_template(t, task, b);
  }
  task.dependent_tasks = sorted_once(task_deps_[t]);
  if (rec.exit_handler != 0) {
    const std::string& handler = st_.groups[rec.exit_handler].name;
    for (const auto& p : rec.component->inputs.parameters)
      if (p.type == ir::ParameterType::task_final_status)
        task.parameters.push_back(
            {p.name, ir::ParameterBinding::Kind::task_final_status, {}, {}, handler});
    task.dependent_tasks.push_back(handler);
    task.trigger_strategy = "ALL_UPSTREAM_TASKS_COMPLETED";
  } else if (rec.ignore_upstream_failure) {
    task.trigger_strategy = "ALL_UPSTREAM_TASKS_COMPLETED";
    for (const auto& p : rec.component->inputs.parameters) {
      if (p.type != ir::ParameterType::task_final_status) continue;
      // The status is that of the one task this one waits for, in its own scope.
      if (task.dependent_tasks.size() != 1) {
        fail("kfpp.final_status_upstream", task_path(t) + "/inputs/" + p.name,
             "a task that ignores upstream failures reads the final status of the one task it "
             "waits for, but it waits for " +
                 std::to_string(task.dependent_tasks.size()) + " in its scope",
             "make it wait for exactly one task (with after()), or use an ExitHandler");
        continue;
      }
      task.parameters.push_back({p.name,
                                 ir::ParameterBinding::Kind::task_final_status,
                                 {},
                                 {},
                                 task.dependent_tasks.front()});
    }
  }
}

ir::Task Lowering::group_task(std::size_t g) {
  const GroupRecord& rec = st_.groups[g];
  ir::Task task;
  task.name = rec.name;
  task.display_name = rec.display_name;
  task.component_ref = "comp-" + rec.name;
  task.enable_cache.reset();
  for (const auto& [name, c] : group_inputs_[g]) {
    // A loop's own item is its iterator's, not an input the parent binds.
    if (rec.kind == GroupRecord::Kind::loop && name == rec.item_input) continue;
    bind(task, name, c.artifact, c.source, rec.parent, false);
  }
  if (rec.kind == GroupRecord::Kind::loop) {
    task.iterator_item_input = rec.item_input;
    if (rec.raw_items)
      task.iterator_raw_items = rec.raw_items;
    else
      task.iterator_items_input = channel_name(rec.items);
    task.iterator_over_artifacts = rec.item_artifact.has_value();
    task.parallelism_limit = rec.parallelism;
  }
  task.dependent_tasks = sorted_once(group_deps_[g]);
  if (rec.kind == GroupRecord::Kind::condition)
    task.trigger_condition =
        detail::to_cel(rec.terms, [this](const Source& src) { return channel_name(src); });
  return task;
}

ir::Interface Lowering::group_interface(std::size_t g) const {
  ir::Interface itf;
  for (const auto& [name, c] : group_inputs_[g]) {
    const Source& s = c.source;
    if (c.artifact) {
      ir::ArtifactSpec a;
      a.name = name;
      const auto* spec = artifact_of(s);
      if (spec) a.type = spec->type;
      if (s.kind == Source::Kind::loop_item) a.type = *st_.groups[s.group].item_artifact;
      a.is_list = s.kind == Source::Kind::collected || (spec && spec->is_list);
      itf.artifacts.push_back(std::move(a));
    } else {
      ir::ParameterSpec p;
      p.name = name;
      if (s.kind == Source::Kind::loop_item)
        p.type = st_.groups[s.group].item_type;
      else if (s.kind == Source::Kind::collected)
        p.type = ir::ParameterType::list;
      else if (const auto* spec = parameter_of(s))
        p.type = spec->type;
      itf.parameters.push_back(std::move(p));
    }
  }
  return itf;
}

// Each branch hands out its option; the If chain picks the one that ran.
void Lowering::add_oneof_outputs(std::vector<LoopOutputs>& outs) const {
  for (std::size_t w = 1; w < st_.groups.size(); ++w) {
    const GroupRecord& chain = st_.groups[w];
    for (std::size_t k = 0; k < chain.oneofs.size(); ++k) {
      ir::DagOutput pick;
      pick.name = "pipelinechannel--" + chain.name + "-oneof-" + std::to_string(k + 1);
      for (const Source& o : chain.oneofs[k]) {
        const std::size_t branch = st_.tasks[o.task].group;
        const std::string name = channel_name(o);
        const auto* art = artifact_of(o);
        pick.is_artifact = art != nullptr;
        if (art) {
          ir::ArtifactSpec a;
          a.name = name;
          a.type = art->type;
          if (!outs[branch].outputs.find_artifact(name))
            outs[branch].outputs.artifacts.push_back(a);
        } else if (const auto* prm = parameter_of(o)) {
          if (!outs[branch].outputs.find_parameter(name))
            outs[branch].outputs.parameters.push_back({name, prm->type, std::nullopt, false, {}});
        }
        outs[branch].selectors.push_back({name, art != nullptr, st_.tasks[o.task].name, o.name});
        pick.oneof.push_back({st_.groups[branch].name, name});
      }
      const Source& first = chain.oneofs[k].front();
      if (pick.is_artifact) {
        ir::ArtifactSpec a;
        a.name = pick.name;
        a.type = artifact_of(first)->type;
        outs[w].outputs.artifacts.push_back(std::move(a));
      } else {
        outs[w].outputs.parameters.push_back(
            {pick.name, parameter_of(first)->type, std::nullopt, false, {}});
      }
      outs[w].selectors.push_back(std::move(pick));
    }
  }
}

Lowering::LoopOutputs Lowering::loop_outputs(std::size_t g) const {
  LoopOutputs out;
  // Each Collected(...) read after loop `g`, or after a loop around it: the loop `g` contains
  // that hands the list up (0: the producer itself).
  std::map<std::string, std::pair<Channel, std::size_t>> outs;
  auto visit = [&](const Source& s, bool artifact, std::size_t consumer) {
    if (s.kind != Source::Kind::collected) return;
    const std::size_t top = collected_level(s, consumer);
    std::size_t child = 0;
    for (std::size_t x = s.group;; x = st_.groups[x].parent) {
      if (x == g) {
        outs.emplace(channel_name(s), std::pair{Channel{s, artifact}, child});
        return;
      }
      if (x == top || x == 0) return;
      child = x;
    }
  };
  for (const auto& rec : st_.tasks)
    for (const auto& b : rec.bindings) visit(b.source, b.artifact, rec.group);
  for (const auto& [name, s] : st_.output_sources)
    visit(s, st_.outputs.find_artifact(name) != nullptr, 0);
  for (const auto& [name, use] : outs) {
    const auto& [c, child] = use;
    if (c.artifact) {
      ir::ArtifactSpec a;
      a.name = name;
      if (const auto* spec = artifact_of(c.source)) a.type = spec->type;
      a.is_list = true;
      out.outputs.artifacts.push_back(std::move(a));
    } else {
      out.outputs.parameters.push_back({name, ir::ParameterType::list, std::nullopt, false, {}});
    }
    if (child == 0)
      out.selectors.push_back({name, c.artifact, st_.tasks[c.source.task].name, c.source.name});
    else
      out.selectors.push_back({name, c.artifact, st_.groups[child].name, name});
  }
  return out;
}

ir::Pipeline Lowering::build() {
  ir::Pipeline p;
  p.name = st_.name;
  p.description = st_.description;
  p.display_name = st_.display_name;
  p.default_pipeline_root = st_.pipeline_root;
  p.config = st_.config;
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
  std::vector<std::map<std::string, std::string>> inner_names(st_.tasks.size());
  for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
    task_component[t] =
        component_names.make("comp-" + detail::sanitize_name(st_.tasks[t].component->name));
    // A pipeline used as a component brings its components along, renamed to stay unique.
    if (const auto& sub = st_.tasks[t].component->pipeline)
      for (const auto& c : sub->components) inner_names[t][c.name] = component_names.make(c.name);
  }

  // The DAGs first: they read the tasks' ports, which are then moved into the components.
  std::vector<ir::Dag> dags(st_.groups.size());
  std::vector<ir::Interface> group_inputs(st_.groups.size());
  std::vector<LoopOutputs> group_outputs(st_.groups.size());
  for (std::size_t g = 1; g < st_.groups.size(); ++g) {
    group_inputs[g] = group_interface(g);
    if (st_.groups[g].kind == GroupRecord::Kind::loop) group_outputs[g] = loop_outputs(g);
  }
  add_oneof_outputs(group_outputs);
  for (std::size_t g = 0; g < st_.groups.size(); ++g) {
    dags[g].tasks.reserve(st_.groups[g].members.size());
    for (const auto& m : st_.groups[g].members) {
      if (m.is_group) {
        dags[g].tasks.push_back(group_task(m.index));
        continue;
      }
      leaf_task(dags[g].tasks.emplace_back(), m.index, task_component[m.index]);
      // A pipeline going away frees each task's inputs once they are lowered: the memory goes
      // to the IR being built instead of adding to the peak.
      if (steal_) release(st_.tasks[m.index].bindings);
    }
  }
  // Where each leaf task landed, to add the inputs its settings read.
  std::vector<ir::Task*> leaf_tasks(st_.tasks.size());
  for (std::size_t g = 0; g < st_.groups.size(); ++g)
    for (std::size_t i = 0; i < st_.groups[g].members.size(); ++i)
      if (!st_.groups[g].members[i].is_group)
        leaf_tasks[st_.groups[g].members[i].index] = &dags[g].tasks[i];
  for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
    auto& rec = st_.tasks[t];
    ir::Component comp;
    comp.name = task_component[t];
    // Taken from the task's component when the pipeline is going away and no other task or
    // component shares it (a ComponentData is never made const: SharedComponent and add_task
    // make it), copied otherwise.
    auto* own = steal_ && rec.component.use_count() == 1
                    ? const_cast<detail::ComponentData*>(rec.component.get())
                    : nullptr;
    // (Not `own ? std::move(...) : ...`: that copies into a temporary, then assigns it.)
    if (own) {
      comp.inputs = std::move(own->inputs);
      comp.outputs = std::move(own->outputs);
    } else {
      comp.inputs = rec.component->inputs;
      comp.outputs = rec.component->outputs;
    }
    if (rec.component->pipeline) {
      splice(own ? std::move(*own->pipeline) : *rec.component->pipeline, inner_names[t], comp, p);
      p.components.push_back(std::move(comp));
      continue;
    }
    comp.executor_label = "exec-" + comp.name.substr(5);
    ir::Executor& exec = own ? p.executors.emplace_back(std::move(own->executor))
                             : p.executors.emplace_back(rec.component->executor);
    exec.label = comp.executor_label;
    apply_settings(rec, *leaf_tasks[t], exec);
    p.components.push_back(std::move(comp));
    // The last task of a component going away frees it.
    if (steal_) rec.component.reset();
  }
  for (std::size_t g = 1; g < st_.groups.size(); ++g) {
    ir::Component comp;
    comp.name = "comp-" + st_.groups[g].name;
    comp.inputs = std::move(group_inputs[g]);
    comp.dag = std::move(dags[g]);
    comp.outputs = std::move(group_outputs[g].outputs);
    comp.dag->outputs = std::move(group_outputs[g].selectors);
    p.components.push_back(std::move(comp));
  }
  p.root.dag = std::move(dags[0]);
  for (const auto& [name, s] : st_.output_sources) {
    ir::DagOutput o;
    o.name = name;
    o.is_artifact = st_.outputs.find_artifact(name) != nullptr;
    o.producer_task = s.kind == Source::Kind::collected ? st_.groups[collected_level(s, 0)].name
                      : s.kind == Source::Kind::oneof   ? st_.groups[s.group].name
                                                        : st_.tasks[s.task].name;
    o.output_key = s.kind == Source::Kind::collected ? channel_name(s) : s.name;
    p.root.dag->outputs.push_back(std::move(o));
  }
  return p;
}

// Makes `comp` run the DAG of `sub`, adding sub's components and executors to `p` under the
// names in `names`.
void Lowering::splice(ir::Pipeline sub, const std::map<std::string, std::string>& names,
                      ir::Component& comp, ir::Pipeline& p) {
  auto rename_refs = [&](ir::Dag& dag) {
    for (auto& task : dag.tasks) {
      auto it = names.find(task.component_ref);
      if (it != names.end()) task.component_ref = it->second;
    }
  };
  std::map<std::string, std::string> labels;
  for (auto& c : sub.components) {
    c.name = names.at(c.name);
    if (!c.executor_label.empty()) {
      std::string label = "exec-" + c.name.substr(5);
      labels[c.executor_label] = label;
      c.executor_label = std::move(label);
    }
    if (c.dag) rename_refs(*c.dag);
    p.components.push_back(std::move(c));
  }
  for (auto& e : sub.executors) {
    auto it = labels.find(e.label);
    if (it == labels.end()) continue;  // an executor no component of the pipeline runs
    e.label = it->second;
    p.executors.push_back(std::move(e));
  }
  comp.dag = std::move(sub.root.dag);
  if (comp.dag) rename_refs(*comp.dag);
}

}  // namespace kfpp::detail

namespace kfpp {

ir::Pipeline Pipeline::lower(detail::PipelineState& st, bool steal) {
  return detail::Lowering(st, steal).run();
}

}  // namespace kfpp
