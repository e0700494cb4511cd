// SPDX-License-Identifier: Apache-2.0
// Argo lowering: DAG templates (a pipeline, a group, a loop body) and the task that calls each
// template from its DAG.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ir/json_text.hpp"

#include "argo_lowering.hpp"
#include "yaml_writer.hpp"

namespace kfpp::detail::argo {

// --- DAGs ----------------------------------------------------------------------------------

Node argument_node(const Argument& a) {
  Node n = Node::map();
  n.set("name", a.name);
  switch (a.form) {
    case Argument::Form::value:
      n.set("value", a.text);
      break;
    case Argument::Form::from:
      n.set("from", a.text);
      break;
    case Argument::Form::s3_key:
    case Argument::Form::gcs_key:
      n.child(a.form == Argument::Form::s3_key ? "s3" : "gcs").set("key", a.text);
      break;
  }
  return n;
}

namespace {

bool is_exit_strategy(const ir::Task& t) {
  return t.trigger_strategy == "ALL_UPSTREAM_TASKS_COMPLETED";
}

std::string choose_expression(const std::vector<ir::OutputSelector>& from, const char* kind) {
  // The first branch that ran: `tasks['a'].status == 'Succeeded' ? … : …`.
  std::string expr;
  for (std::size_t i = 0; i + 1 < from.size(); ++i)
    expr += "tasks['" + from[i].producer_task + "'].status == 'Succeeded' ? tasks['" +
            from[i].producer_task + "'].outputs." + kind + "['" + from[i].output_key + "'] : ";
  expr += "tasks['" + from.back().producer_task + "'].outputs." + kind + "['" +
          from.back().output_key + "']";
  return expr;
}

// A DAG's output parameter `name`, read from the task that gives it, or from the first of
// several that ran (`OneOf`).
Node parameter_from(const std::string& name, const std::vector<ir::OutputSelector>& from) {
  Node p = Node::map();
  p.set("name", name);
  if (from.size() == 1)
    p.child("valueFrom")
        .set("parameter", "{{tasks." + from[0].producer_task + ".outputs.parameters." +
                              from[0].output_key + "}}");
  else
    p.child("valueFrom").set("expression", choose_expression(from, "parameters"));
  return p;
}

}  // namespace

std::string Lowering::dag_template(const ir::Component& c, bool root, const std::string& path,
                                   const std::set<std::string>& absent) {
  // One template per component and set of inputs its callers leave unset.
  std::string key = c.name;
  for (const auto& a : absent) key += "\n" + a;
  if (auto it = dag_names_.find(key); it != dag_names_.end()) return it->second;
  // Reserve the name (and the place: callers come first) before the tasks add theirs.
  const std::string base = root ? dns_name(p_.name, 63) : short_name(c.name);
  std::string name = template_base(base);
  for (int n = 2; names_.count(name); ++n) name = template_base(base) + "-" + std::to_string(n);
  names_.insert(name);
  dag_names_[key] = name;
  const std::size_t slot = templates_.size();
  templates_.push_back(Node::map());

  Scope s{&c, root, path, absent};
  Node tmpl = Node::map();
  tmpl.set("name", name);
  if (!root) {
    Node params = Node::seq();
    for (const auto& ps : c.inputs.parameters) {
      if (absent.count(ps.name)) continue;
      Node& p = params.push(Node::map());
      p.set("name", ps.name);
      // A caller may leave an input with a default unbound.
      if (ps.default_value)
        p.set("default", ps.default_value->is_string() ? ps.default_value->as_string()
                                                       : ir::python_json_text(*ps.default_value));
    }
    for (const auto& [input, field] : field_inputs(c))
      params.push(Node::map()).set("name", input + "--" + field);
    // The run ids of the DAGs above whose lists this DAG's tasks store under.
    if (auto it = iteration_inputs_.find(c.name); it != iteration_inputs_.end())
      for (const auto& param : it->second) params.push(Node::map()).set("name", param);
    // A list of artifacts comes in as the key prefix that holds it.
    for (const auto& as : c.inputs.artifacts)
      if (as.is_list && !absent.count(as.name))
        params.push(Node::map()).set("name", as.name + "-key");
    // An artifact whose metadata a task inside reads comes with it as a parameter.
    for (const auto& as : c.inputs.artifacts)
      if (!absent.count(as.name) && metadata_in_.count({c.name, as.name}))
        params.push(Node::map()).set("name", as.name + "-metadata");
    Node arts = Node::seq();
    for (const auto& as : c.inputs.artifacts)
      if (!as.is_list && !absent.count(as.name)) arts.push(Node::map()).set("name", as.name);
    if (!params.empty()) tmpl.child("inputs").set("parameters", std::move(params));
    if (!arts.empty()) tmpl.child("inputs").set("artifacts", std::move(arts));
  }

  // Exit tasks: a task that runs whatever happened to one group becomes that group's exit hook.
  std::map<std::string, const ir::Task*> hooks;  // group task → exit task
  std::set<std::string> hooked;
  for (const auto& t : c.dag->tasks) {
    if (!is_exit_strategy(t) || t.dependent_tasks.size() != 1) continue;
    const std::string& group = t.dependent_tasks[0];
    const ir::Task* g = task_in(*c.dag, group);
    const ir::Component* gc = g ? component(g->component_ref) : nullptr;
    if (!gc || !gc->dag || hooks.count(group)) continue;
    bool read_by_others = false;
    for (const auto& o : c.dag->tasks)
      if (upstream_tasks(o).count(t.name)) read_by_others = true;
    const std::set<std::string> before = upstream_tasks(*g);
    bool reads_only_before = true;
    for (const auto& pr : upstream_tasks(t))
      if (pr != group && !before.count(pr)) reads_only_before = false;
    if (read_by_others || !reads_only_before) continue;
    hooks[group] = &t;
    hooked.insert(t.name);
  }

  // The column of the tasks in the workflow's text: `spec.templates[].dag.tasks`, two deeper in
  // a cron workflow (`spec.workflowSpec.templates`). Tasks are only written: they go straight
  // into text (one piece for all of them), which takes far less memory than trees.
  const int tasks_column = cx_.options.kind == ArgoKind::cron_workflow ? 8 : 6;
  YamlWriter tasks;
  tasks.reserve(c.dag->tasks.size() * 512);
  tasks.begin_items(tasks_column);
  if (iteration_owners_.count(c.name)) {
    // This run's id, first: the prefix of the lists its inner loops collect for its tasks.
    DagTask step;
    step.name = "kfpp-iteration";
    step.tmpl = iteration_template();
    write_task(tasks, step, nullptr);
  }
  for (const auto& t : c.dag->tasks) {
    if (hooked.count(t.name)) continue;
    const DagTask task = dag_task(s, t);
    for (const auto& extra : extra_tasks_) write_task(tasks, extra, nullptr);
    extra_tasks_.clear();
    if (auto h = hooks.find(t.name); h != hooks.end()) {
      const DagTask exit = dag_task(s, *h->second);
      write_task(tasks, task, &exit);
    } else {
      write_task(tasks, task, nullptr);
    }
  }
  Node& task_list = tmpl.child("dag").child("tasks", Node::Kind::seq);
  if (tasks.size() > 0) task_list.push(Node::written(tasks.take(), tasks_column));

  // Outputs of the DAG, from its tasks (lists of artifacts collected from a loop stay in the
  // artifact repository under their key; consumers read them from there).
  Node out_params = Node::seq();
  Node out_artifacts = Node::seq();
  for (const auto& o : c.dag->outputs) {
    std::vector<ir::OutputSelector> from = o.oneof;
    if (from.empty()) from.push_back({o.producer_task, o.output_key});
    if (o.is_artifact) {
      const ir::ArtifactSpec* spec = c.outputs.find_artifact(o.name);
      if (spec && spec->is_list) continue;
      Node a = Node::map();
      a.set("name", o.name);
      if (from.size() == 1)
        a.set("from", "{{tasks." + from[0].producer_task + ".outputs.artifacts." +
                          from[0].output_key + "}}");
      else
        a.set("fromExpression", choose_expression(from, "artifacts"));
      out_artifacts.push(std::move(a));
      if (!metadata_out_.count({c.name, o.name})) continue;
      // Its metadata beside it, for the consumers that read it.
      std::vector<ir::OutputSelector> keys = from;
      for (auto& k : keys) k.output_key += "-metadata";
      out_params.push(parameter_from(o.name + "-metadata", keys));
    } else {
      out_params.push(parameter_from(o.name, from));
    }
  }
  if (!out_params.empty()) tmpl.child("outputs").set("parameters", std::move(out_params));
  if (!out_artifacts.empty()) tmpl.child("outputs").set("artifacts", std::move(out_artifacts));
  templates_[slot] = std::move(tmpl);
  return name;
}

Lowering::DagTask Lowering::dag_task(const Scope& s, const ir::Task& t) {
  const std::string path = cat({s.path, "/", t.name});
  const ir::Component* c = component(t.component_ref);
  DagTask task;
  task.name = t.name;
  if (!c) return task;
  reads_iteration_ = false;
  Call call;
  std::string tmpl_name;
  const bool looped = !t.iterator_item_input.empty();

  if (!c->dag) {
    tmpl_name = leaf_template(s, t, *c, call);
  } else {
    const std::string sub_path = path;
    // Optional inputs left unset stay unset inside the group, as in KFP: its tasks do not give
    // them (their own defaults apply); the group's template is one without those inputs.
    std::set<std::string> unset;
    for (const auto& ps : c->inputs.parameters) {
      const ParameterBinding* b = t.find_parameter(ps.name);
      if (ps.default_value || ps.name == t.iterator_item_input || (b && !is_absent(s, *b)))
        continue;
      if (ps.is_optional)
        unset.insert(ps.name);
      else
        cx_.unsupported(path + "/inputs/" + ps.name,
                        "the group's input '" + ps.name +
                            "' is left unset and has no default; Argo needs a value",
                        "pass a value, or give the input a default");
    }
    for (const auto& as : c->inputs.artifacts) {
      const ArtifactBinding* b = t.find_artifact(as.name);
      if (as.is_optional &&
          (!b || (b->kind == ArtifactBinding::Kind::component_input && s.absent.count(b->source))))
        unset.insert(as.name);
    }
    tmpl_name = dag_template(*c, false, sub_path, unset);
    for (const auto& b : t.parameters) {
      if (is_absent(s, b)) continue;
      call.parameter(b.name, param_ref(s, t, b, path + "/inputs/" + b.name));
    }
    if (auto it = iteration_inputs_.find(c->name); it != iteration_inputs_.end())
      for (const auto& param : it->second) call.parameter(param, iteration_ref(s, param));
    if (looped && !t.iterator_over_artifacts) call.parameter(t.iterator_item_input, "{{item}}");
    for (const auto& [input, field] : field_inputs(*c)) {
      if (looped && input == t.iterator_item_input) {
        call.parameter(input + "--" + field, "{{item." + field + "}}");
      } else {
        const ParameterBinding* b = t.find_parameter(input);
        if (!b || b->kind != ParameterBinding::Kind::component_input ||
            !b->expression_selector.empty() || s.root) {
          cx_.unsupported(path + "/inputs/" + input,
                          "a field of this input is read inside the group, but the input is not a "
                          "loop item",
                          "select fields of loop items only");
          continue;
        }
        call.parameter(input + "--" + field,
                       "{{inputs.parameters." + b->source + "--" + field + "}}");
      }
    }
    for (const auto& b : t.artifacts) {
      if (b.kind == ArtifactBinding::Kind::component_input && s.absent.count(b.source)) continue;
      const ir::ArtifactSpec* spec = c->inputs.find_artifact(b.name);
      if (produced_by_loop_list(s, b) || (spec && spec->is_list)) {
        // A list goes into the group as its key prefix.
        const std::string key = list_key(s, b);
        if (const std::string why = list_refusal(s, b); key.empty() && !why.empty()) {
          cx_.unsupported(path + "/inputs/" + b.name, why,
                          "read the inner loop's output in the DAG that runs the loop, or "
                          "collect it outside the outer loop");
          continue;
        }
        if (key.empty()) {
          cx_.unsupported(path + "/inputs/" + b.name,
                          "a list of artifacts passed into a group has no Argo form unless it is "
                          "collected from a loop, a group's list output or the DAG's list input",
                          "collect the list from a loop");
          continue;
        }
        call.parameter(b.name + "-key", key);
        continue;
      }
      if (b.kind == ArtifactBinding::Kind::component_input) {
        if (s.root)
          call.artifacts.push_back(pipeline_input_artifact(b.name, b.source));
        else
          call.artifact(b.name, "{{inputs.artifacts." + b.source + "}}");
      } else {
        call.artifact(b.name,
                      "{{tasks." + b.producer_task + ".outputs.artifacts." + b.source + "}}");
      }
      if (metadata_in_.count({c->name, b.name}))
        call.parameter(b.name + "-metadata", metadata_ref(s, b));
    }
  }

  // Loop source.
  Node with_items;
  std::string with_param;
  std::string keys_task;  // the task listing the keys of a loop over artifacts
  if (looped && t.iterator_over_artifacts) {
    // A loop over the list's entries: a small step lists the keys under the list's prefix (its
    // entries, downloaded), the loop runs once per key with that object as the item.
    const ArtifactBinding* b = t.find_artifact(t.iterator_items_input);
    const std::string key = b ? list_key(s, *b) : std::string();
    if (key.empty()) {
      cx_.unsupported(path,
                      "a loop over a list of artifacts has an Argo form only for a list collected "
                      "from a loop, a group's list output or the DAG's list input",
                      "loop over a list collected from a loop");
    } else {
      keys_task = dns_name("kfpp-keys-" + t.name, 63);
      DagTask lt;
      lt.name = keys_task;
      lt.tmpl = list_keys_template();
      lt.call.parameter("key", key);
      if (b->kind == ArtifactBinding::Kind::task_output && task_in(*s.dag->dag, b->producer_task))
        lt.depends = b->producer_task;
      extra_tasks_.push_back(std::move(lt));
      with_param = "{{tasks." + keys_task + ".outputs.parameters.keys}}";
      call.artifacts.push_back(stored_artifact(t.iterator_item_input, key + "/{{item}}"));
    }
  } else if (looped) {
    if (t.iterator_raw_items) {
      with_items = Node::from(*t.iterator_raw_items);
      if (t.iterator_raw_items->is_array() && t.iterator_raw_items->as_array().empty())
        cx_.unsupported(path, "the loop has no items", "give at least one item");
      for (const auto& item :
           t.iterator_raw_items->is_array() ? t.iterator_raw_items->as_array() : ir::Value::Array{})
        if (item.is_string()) check_literal(cx_, item.as_string(), path + "/items");
    } else if (const ParameterBinding* b = t.find_parameter(t.iterator_items_input)) {
      with_param = param_ref(s, t, *b, path + "/items");
    } else {
      cx_.unsupported(path, "the loop's items come from no input", "loop over a list");
    }
  }

  // A loop with a parallelism limit runs inside its own DAG template, which carries the limit.
  if (looped && t.parallelism_limit > 0) {
    Node wrapper = Node::map();
    Node inner = Node::map();
    inner.set("name", t.name);
    inner.set("template", tmpl_name);
    Node inner_args = Node::map();
    std::vector<Argument> outer_params;
    std::vector<Argument> outer_artifacts;
    Node w_params = Node::seq();
    Node w_artifacts = Node::seq();
    Node i_params = Node::seq();
    Node i_artifacts = Node::seq();
    for (const auto& a : call.parameters) {
      if (a.text.find("{{item") != std::string::npos) {
        i_params.push(argument_node(a));
        continue;
      }
      w_params.push(Node::map()).set("name", a.name);
      outer_params.push_back(a);
      i_params.push(argument_node({a.name, "{{inputs.parameters." + a.name + "}}"}));
    }
    for (const auto& a : call.artifacts) {
      // The item of a loop over artifacts belongs to the inner (looping) task.
      const bool stored = a.form == Argument::Form::s3_key || a.form == Argument::Form::gcs_key;
      if (stored && a.text.find("{{item") != std::string::npos) {
        const std::string& k = a.text;
        if (k.find("{{inputs.") == std::string::npos && k.find("{{tasks.") == std::string::npos) {
          i_artifacts.push(argument_node(a));
          continue;
        }
        // A prefix read from this DAG (its list input, its run's id step) is not known in the
        // limit's DAG: it goes in as the limit's input `kfpp-prefix`.
        const std::string suffix = "/{{item}}";
        w_params.push(Node::map()).set("name", "kfpp-prefix");
        outer_params.push_back({"kfpp-prefix", k.substr(0, k.size() - suffix.size())});
        Argument item = a;
        item.text = "{{inputs.parameters.kfpp-prefix}}" + suffix;
        i_artifacts.push(argument_node(item));
        continue;
      }
      w_artifacts.push(Node::map()).set("name", a.name);
      outer_artifacts.push_back(a);
      i_artifacts.push(
          argument_node({a.name, "{{inputs.artifacts." + a.name + "}}", Argument::Form::from}));
    }
    if (!with_param.empty()) {
      w_params.push(Node::map()).set("name", "kfpp-items");
      outer_params.push_back({"kfpp-items", with_param});
    }
    if (!w_params.empty()) wrapper.child("inputs").set("parameters", std::move(w_params));
    if (!w_artifacts.empty()) wrapper.child("inputs").set("artifacts", std::move(w_artifacts));
    wrapper.set("parallelism", t.parallelism_limit);
    if (!i_params.empty()) inner_args.set("parameters", std::move(i_params));
    if (!i_artifacts.empty()) inner_args.set("artifacts", std::move(i_artifacts));
    if (!inner_args.empty()) inner.set("arguments", std::move(inner_args));
    if (!with_param.empty())
      inner.set("withParam", "{{inputs.parameters.kfpp-items}}");
    else
      inner.set("withItems", with_items);
    wrapper.child("dag").child("tasks", Node::Kind::seq).push(std::move(inner));
    // The wrapper hands on the loop's aggregated outputs.
    if (c->dag) {
      Node outs = Node::seq();
      for (const auto& o : c->dag->outputs) {
        if (o.is_artifact) continue;
        Node p = Node::map();
        p.set("name", o.name);
        p.child("valueFrom")
            .set("parameter", "{{tasks." + t.name + ".outputs.parameters." + o.name + "}}");
        outs.push(std::move(p));
      }
      if (!outs.empty()) wrapper.child("outputs").set("parameters", std::move(outs));
    }
    tmpl_name = add_template(std::move(wrapper), t.name + "-limited", false);
    call.parameters = std::move(outer_params);
    call.artifacts = std::move(outer_artifacts);
    with_param.clear();
    with_items = Node();
  }

  task.tmpl = std::move(tmpl_name);
  task.call = std::move(call);

  // Dependencies: what the task waits for and what it reads, within this DAG.
  std::string& depends = task.depends;
  auto depend = [&](std::string_view d) {
    if (!depends.empty()) depends += " && ";
    depends += d;
  };
  for (const std::string_view d : upstream_names(t)) {
    if (!task_in(*s.dag->dag, d) || d == keys_task) continue;
    if (is_exit_strategy(t))
      depend(cat({"(", d, ".Succeeded || ", d, ".Failed || ", d, ".Errored)"}));
    else
      depend(d);
  }
  if (!keys_task.empty()) depend(keys_task);
  if (reads_iteration_) depend("kfpp-iteration");
  if (!t.trigger_condition.empty()) {
    auto operand = [&](const std::string& input) -> WhenOperand {
      const ParameterBinding* b = t.find_parameter(input);
      if (!b) {
        cx_.unsupported(
            path + "/condition",
            "the condition reads '" + input + "', which the task does not take as input",
            "compare values the condition's group receives");
        return {};
      }
      const ir::ParameterSpec* ps = c->inputs.find_parameter(input);
      const bool text = !ps || ps->type == ir::ParameterType::string ||
                        ps->type == ir::ParameterType::list ||
                        ps->type == ir::ParameterType::structure;
      return {param_ref(s, t, *b, path + "/condition"), text};
    };
    task.when = when_expression(cx_, t.trigger_condition, operand, path + "/condition");
  }
  task.with_param = std::move(with_param);
  task.with_items = std::move(with_items);
  return task;
}

namespace {

// The arguments of a call, each line in one append.
void write_argument_list(YamlWriter& w, const std::vector<Argument>& list) {
  using Form = Argument::Form;
  w.begin_seq();
  for (const auto& a : list) {
    w.begin_map();
    w.word_entry("name", a.name);
    switch (a.form) {
      case Form::value:
        w.word_entry("value", a.text);
        break;
      case Form::from:
        w.word_entry("from", a.text);
        break;
      case Form::s3_key:
      case Form::gcs_key:
        w.key(a.form == Form::s3_key ? "s3" : "gcs");
        w.begin_map();
        w.word_entry("key", a.text);
        w.end_map();
        break;
    }
    w.end_map();
  }
  w.end_seq();
}

void write_arguments(YamlWriter& w, const std::vector<Argument>& parameters,
                     const std::vector<Argument>& artifacts) {
  if (parameters.empty() && artifacts.empty()) return;
  w.word_key("arguments");
  w.begin_map();
  if (!parameters.empty()) {
    w.word_key("parameters");
    write_argument_list(w, parameters);
  }
  if (!artifacts.empty()) {
    w.word_key("artifacts");
    write_argument_list(w, artifacts);
  }
  w.end_map();
}

}  // namespace

void Lowering::write_task(YamlWriter& w, const DagTask& task, const DagTask* exit) {
  w.begin_map();
  w.word_entry("name", task.name);
  if (task.tmpl) {
    w.word_entry("template", *task.tmpl);
    write_arguments(w, task.call.parameters, task.call.artifacts);
  }
  if (!task.depends.empty()) w.word_entry("depends", task.depends);
  if (!task.when.empty()) w.word_entry("when", task.when);
  if (!task.with_param.empty()) w.word_entry("withParam", task.with_param);
  if (task.with_items.kind() != Node::Kind::null) {
    w.word_key("withItems");
    task.with_items.write(w);
  }
  if (exit) {
    w.word_key("hooks");
    w.begin_map();
    w.word_key("exit");
    w.begin_map();
    if (exit->tmpl) w.word_entry("template", *exit->tmpl);
    write_arguments(w, exit->call.parameters, exit->call.artifacts);
    w.end_map();
    w.end_map();
  }
  w.end_map();
}

std::string Lowering::iteration_ref(const Scope& s, const std::string& param) {
  auto owner = iteration_owner_of_.find(param);
  if (owner != iteration_owner_of_.end() && owner->second == s.dag->name) {
    reads_iteration_ = true;
    return "{{tasks.kfpp-iteration.outputs.parameters.id}}";
  }
  return "{{inputs.parameters." + param + "}}";
}

}  // namespace kfpp::detail::argo
