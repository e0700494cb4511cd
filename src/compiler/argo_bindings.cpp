// SPDX-License-Identifier: Apache-2.0
// Argo lowering: what a binding reads, which loops collect artifacts, and KFP placeholders in
// command text as Argo variables.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/ir/kubernetes.hpp"

#include "argo_lowering.hpp"

namespace kfpp::detail::argo {

// --- bindings ------------------------------------------------------------------------------

std::string Lowering::status_json(const ir::Task& t, const std::string& producer) {
  (void)t;
  return "{\"error\":{},\"pipelineJobResourceName\":\"{{workflow.name}}\",\"pipelineTaskName\":\"" +
         producer + "\",\"state\":\"{{tasks." + producer + ".status}}\"}";
}

std::string Lowering::param_ref(const Scope& s, const ir::Task& t, const ParameterBinding& b,
                                const std::string& path) {
  switch (b.kind) {
    case ParameterBinding::Kind::constant: {
      std::string text =
          constant_text(cx_, b.constant, t.display_name.empty() ? t.name : t.display_name, path);
      // Text made from channels (the SDK's f-strings) reads other inputs of the task: each
      // `{{$.inputs.parameters['x']}}` becomes Argo's reference to what input x is bound to.
      static const std::string open = "{{$.inputs.parameters['";
      for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
        const std::size_t end = text.find("']}}", at + open.size());
        if (end == std::string::npos) break;
        const ParameterBinding* other =
            t.find_parameter(text.substr(at + open.size(), end - at - open.size()));
        if (!other || other == &b || other->kind == ParameterBinding::Kind::constant) {
          at = end;
          continue;
        }
        const std::string ref = param_ref(s, t, *other, path);
        text.replace(at, end + 4 - at, ref);
        at += ref.size();
      }
      return text;
    }
    case ParameterBinding::Kind::component_input: {
      if (s.absent.count(b.source)) {
        cx_.unsupported(
            path,
            "reads the optional input '" + b.source + "', which the group's caller leaves unset",
            "give the input a value or a default where the group is called");
        return {};
      }
      if (!b.expression_selector.empty()) {
        const std::string f = selector_field(b.expression_selector);
        if (f.empty() || s.root) {
          cx_.unsupported(path, "the selector '" + b.expression_selector + "' has no Argo form",
                          "select one field of a loop item");
          return {};
        }
        return "{{inputs.parameters." + b.source + "--" + f + "}}";
      }
      if (s.root) return cat({"{{workflow.parameters.", b.source, "}}"});
      return cat({"{{inputs.parameters.", b.source, "}}"});
    }
    case ParameterBinding::Kind::task_output:
      if (!b.expression_selector.empty()) {
        cx_.unsupported(
            path, "a field of a task output ('" + b.expression_selector + "') has no Argo form",
            "output the field as its own parameter");
        return {};
      }
      if (!task_in(*s.dag->dag, b.producer_task)) {
        cx_.unsupported(path, "reads task '" + b.producer_task + "', which is not in the same DAG",
                        "pass the value through the DAG's inputs");
        return {};
      }
      return cat({"{{tasks.", b.producer_task, ".outputs.parameters.", b.source, "}}"});
    case ParameterBinding::Kind::task_final_status:
      return status_json(t, b.producer_task);
  }
  return {};
}

const ir::ParameterSpec* Lowering::binding_type(const Scope& s, const ParameterBinding& b) {
  if (b.kind == ParameterBinding::Kind::component_input)
    return s.dag->inputs.find_parameter(b.source);
  if (b.kind == ParameterBinding::Kind::task_output) {
    if (const ir::Task* pt = task_in(*s.dag->dag, b.producer_task))
      if (const ir::Component* pc = component(pt->component_ref))
        return pc->outputs.find_parameter(b.source);
  }
  return nullptr;
}

bool Lowering::is_absent(const Scope& s, const ParameterBinding& b) const {
  return b.kind == ParameterBinding::Kind::component_input && b.expression_selector.empty() &&
         s.absent.count(b.source) > 0;
}

Argument Lowering::pipeline_input_artifact(std::string name, const std::string& input) const {
  // The object's key in the workflow's artifact repository, given when the run is submitted.
  return stored_artifact(std::move(name), "{{workflow.parameters." + input + "-key}}");
}

Argument Lowering::stored_artifact(std::string name, std::string key) const {
  return {std::move(name), std::move(key),
          cx_.options.collected_artifact_store == "gcs" ? Argument::Form::gcs_key
                                                        : Argument::Form::s3_key};
}

void Lowering::mount_workspace(Node& tmpl) const {
  if (!p_.config || !p_.config->workspace) return;
  Node m = Node::map();
  m.set("name", kWorkspaceVolume);
  m.set("mountPath", kWorkspacePath);
  tmpl.child("container").child("volumeMounts", Node::Kind::seq).push(std::move(m));
}

bool Lowering::produced_by_loop_list(const Scope& s, const ArtifactBinding& b) {
  return b.kind == ArtifactBinding::Kind::task_output &&
         collected_in_.count({s.dag->name, b.producer_task, b.source}) > 0;
}

std::string Lowering::list_refusal(const Scope& s, const ArtifactBinding& b) const {
  if (b.kind != ArtifactBinding::Kind::task_output) return {};
  // A group's list output, collected by a loop inside the group that itself runs inside an outer
  // loop: its key prefix (per outer iteration) is known only in the DAG that runs that loop.
  std::function<bool(const ir::Component&, const std::string&, const std::string&)> nested =
      [&](const ir::Component& dag, const std::string& task, const std::string& output) {
        const ir::Task* t = dag.dag ? dag.dag->find_task(task) : nullptr;
        const ir::Component* c = t ? component(t->component_ref) : nullptr;
        if (!c || !c->dag || !t->iterator_item_input.empty()) return false;
        for (const auto& o : c->dag->outputs) {
          if (o.name != output || !o.is_artifact) continue;
          if (nested_collected_.count({c->name, o.producer_task, o.output_key}) ||
              nested(*c, o.producer_task, o.output_key))
            return true;
        }
        return false;
      };
  if (nested(*s.dag, b.producer_task, b.source))
    return "the list output '" + b.source + "' of group '" + b.producer_task +
           "' is collected by a loop inside an outer loop and read outside the group; such a list "
           "has a key prefix of its own in each outer iteration only in the DAG that runs the "
           "inner loop";
  return {};
}

std::string Lowering::list_key(const Scope& s, const ArtifactBinding& b) {
  if (b.kind == ArtifactBinding::Kind::component_input) {
    const ir::ArtifactSpec* spec = s.dag->inputs.find_artifact(b.source);
    if (!spec || !spec->is_list) return {};
    // The pipeline's list input: the key prefix given when the run is submitted.
    if (s.root) return "{{workflow.parameters." + b.source + "-key}}";
    return "{{inputs.parameters." + b.source + "-key}}";
  }
  if (b.kind != ArtifactBinding::Kind::task_output) return {};
  // Most pipelines collect nothing: then no key is made to look for.
  if (collected_in_.empty()) return group_list_key(*s.dag, b.producer_task, b.source);
  if (auto it = collected_in_.find({s.dag->name, b.producer_task, b.source});
      it != collected_in_.end())
    return it->second;
  return group_list_key(*s.dag, b.producer_task, b.source);
}

std::string Lowering::group_list_key(const ir::Component& dag, const std::string& task,
                                     const std::string& output) {
  // A list output of a group run once: where its own DAG's list lives.
  if (!group_lists_) return {};  // no group has one
  const ir::Task* t = dag.dag ? task_in(*dag.dag, task) : nullptr;
  const ir::Component* c = t ? component(t->component_ref) : nullptr;
  if (!c || !c->dag || !t->iterator_item_input.empty()) return {};
  const ir::ArtifactSpec* spec = c->outputs.find_artifact(output);
  if (!spec || !spec->is_list) return {};
  for (const auto& o : c->dag->outputs) {
    if (o.name != output || !o.is_artifact || !o.oneof.empty()) continue;
    if (auto it = collected_in_.find({c->name, o.producer_task, o.output_key});
        it != collected_in_.end())
      return it->second;
    return group_list_key(*c, o.producer_task, o.output_key);
  }
  return {};
}

// --- analysis ------------------------------------------------------------------------------

const std::set<std::pair<std::string, std::string>>& Lowering::field_inputs(
    const ir::Component& c) {
  if (auto it = fields_.find(c.name); it != fields_.end()) return it->second;
  std::set<std::pair<std::string, std::string>> out;
  fields_[c.name];  // guards against a cycle, which validation reports
  auto from_binding = [&](const ParameterBinding& b) {
    if (b.kind != ParameterBinding::Kind::component_input || b.expression_selector.empty()) return;
    const std::string f = selector_field(b.expression_selector);
    if (!f.empty()) out.emplace(b.source, f);
  };
  if (c.dag) {
    for (const auto& t : c.dag->tasks) {
      for (const auto& b : t.parameters) from_binding(b);
      const ir::Component* sub = component(t.component_ref);
      if (!sub) continue;
      if (!sub->executor_label.empty()) {
        const ir::Executor* e = executor(sub->executor_label);
        if (e && e->kubernetes) e->kubernetes->for_each_binding(from_binding);
        continue;
      }
      for (const auto& [input, field] : field_inputs(*sub)) {
        if (!t.iterator_item_input.empty() && input == t.iterator_item_input) continue;
        const ParameterBinding* b = t.find_parameter(input);
        if (b && b->kind == ParameterBinding::Kind::component_input &&
            b->expression_selector.empty())
          out.emplace(b->source, field);
      }
    }
  }
  return fields_[c.name] = std::move(out);
}

void Lowering::find_loops(const ir::Component& c, bool in_loop) {
  if (!c.dag) return;
  if (in_loop) in_loop_.insert(c.name);
  for (const auto& t : c.dag->tasks) {
    const ir::Component* sub = component(t.component_ref);
    if (!sub || !sub->dag) continue;
    const bool looped = !t.iterator_item_input.empty();
    find_loops(*sub, in_loop || looped);
    if (!looped) continue;
    for (const auto& o : sub->dag->outputs) {
      if (!o.is_artifact) continue;
      const std::string path = p_.name + "/" + t.name + "/outputs/" + o.name;
      if (in_loop) {
        if (read_in(c, t.name, o.name)) {
          // Read in this DAG, which runs once per outer iteration: each run needs a prefix of its
          // own, and a DAG has no name unique to one run (loop items may repeat, and Argo passes
          // it no iteration index). A step at its start outputs its pod's name, unique to the
          // run; the inner loop's tasks store under it and this DAG's tasks read it.
          const std::string param = dns_name("kfpp-iteration-" + short_name(c.name), 120);
          iteration_owners_.insert(c.name);
          iteration_owner_of_[param] = c.name;
          const std::string base = "kfpp-collected/{{workflow.uid}}/";
          const std::string rest = "/" + t.name + "/" + o.name;
          collected_in_[{c.name, t.name, o.name}] =
              base + "{{tasks.kfpp-iteration.outputs.parameters.id}}" + rest;
          trace_collected(*sub, o.name, base + "{{inputs.parameters." + param + "}}" + rest, path,
                          param);
          continue;
        }
        // Collected further out, the outer loop's collection holds these artifacts (see
        // trace_collected); read inside the outer loop some other way, refused where it is read.
        nested_collected_.insert({c.name, t.name, o.name});
        continue;
      }
      // Loop names are unique within their DAG only: a group's loops go under the group's name.
      const std::string prefix = "kfpp-collected/{{workflow.uid}}/" +
                                 (&c == &p_.root ? std::string() : short_name(c.name) + "/") +
                                 t.name + "/" + o.name;
      collected_in_[{c.name, t.name, o.name}] = prefix;
      trace_collected(*sub, o.name, prefix, path);
    }
  }
}

bool Lowering::read_in(const ir::Component& c, const std::string& task, const std::string& output) {
  for (const auto& t : c.dag->tasks)
    for (const auto& b : t.artifacts)
      if (b.kind == ArtifactBinding::Kind::task_output && b.producer_task == task &&
          b.source == output)
        return true;
  return false;
}

void Lowering::trace_collected(const ir::Component& body, const std::string& output,
                               const std::string& prefix, const std::string& path,
                               const std::string& iteration) {
  if (!iteration.empty()) iteration_inputs_[body.name].insert(iteration);
  for (const auto& o : body.dag->outputs) {
    if (o.name != output) continue;
    std::vector<ir::OutputSelector> sources = o.oneof;
    if (sources.empty()) sources.push_back({o.producer_task, o.output_key});
    for (const auto& src : sources) {
      const ir::Task* t = task_in(*body.dag, src.producer_task);
      const ir::Component* c = t ? component(t->component_ref) : nullptr;
      if (!c) continue;
      if (c->dag) {
        // Through an inner loop too: every iteration of both loops stores its artifact under
        // the outer loop's prefix (each at its pod's name), one flat list as KFP collects it.
        trace_collected(*c, src.output_key, prefix, path, iteration);
      } else {
        std::vector<std::string>& keys = collected_[{body.name, t->name, src.output_key}];
        if (std::find(keys.begin(), keys.end(), prefix) == keys.end()) keys.push_back(prefix);
        if (!iteration.empty()) leaf_iteration_[{body.name, t->name}].insert(iteration);
      }
    }
  }
}

bool Lowering::reads_metadata(const ir::Component& c, const std::string& input) {
  const ir::ArtifactSpec* spec = c.inputs.find_artifact(input);
  if (!spec || spec->is_list) return false;  // a list's artifacts carry no metadata (`{}`)
  if (c.dag) return metadata_in_.count({c.name, input}) > 0;
  // Found once per shape: large pipelines give each task a component of its own, most of them
  // the same.
  const ir::Executor* e = executor(c.executor_label);
  if (!e || !e->container) return false;
  return shape_reads_metadata(shape(c, *e), c,
                              static_cast<std::size_t>(spec - c.inputs.artifacts.data()));
}

void Lowering::find_metadata_reads() {
  std::vector<const ir::Component*> dags{&p_.root};
  for (const auto& c : p_.components)
    if (c.dag) dags.push_back(&c);
  // Groups read an input's metadata when a task inside does, at any depth.
  for (bool changed = true; changed;) {
    changed = false;
    for (const ir::Component* d : dags) {
      if (d == &p_.root) continue;  // a pipeline input artifact has no producer: `{}`
      for (const auto& t : d->dag->tasks) {
        const ir::Component* sub = component(t.component_ref);
        if (!sub) continue;
        for (const auto& b : t.artifacts) {
          if (b.kind != ArtifactBinding::Kind::component_input) continue;
          const ir::ArtifactSpec* own = d->inputs.find_artifact(b.source);
          if (own && !own->is_list && reads_metadata(*sub, b.name) &&
              metadata_in_.insert({d->name, b.source}).second)
            changed = true;
        }
      }
    }
  }
  // Producers give the metadata some consumer reads: a task's output read by a sibling, a
  // group's output read outside it (then its source inside gives it too).
  auto want = [&](const ir::Component& d, const std::string& task, const std::string& output) {
    const ir::Task* pt = d.dag->find_task(task);
    const ir::Component* pc = pt ? component(pt->component_ref) : nullptr;
    if (!pc || !pt->iterator_item_input.empty() || !writes_metadata(*pc, output)) return false;
    return metadata_out_.insert({pc->name, output}).second;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (const ir::Component* d : dags) {
      for (const auto& t : d->dag->tasks) {
        const ir::Component* sub = component(t.component_ref);
        if (!sub) continue;
        for (const auto& b : t.artifacts)
          if (b.kind == ArtifactBinding::Kind::task_output && reads_metadata(*sub, b.name) &&
              want(*d, b.producer_task, b.source))
            changed = true;
      }
      for (const auto& o : d->dag->outputs) {
        if (!o.is_artifact || !metadata_out_.count({d->name, o.name})) continue;
        std::vector<ir::OutputSelector> from = o.oneof;
        if (from.empty()) from.push_back({o.producer_task, o.output_key});
        for (const auto& src : from)
          if (want(*d, src.producer_task, src.output_key)) changed = true;
      }
    }
  }
}

std::string Lowering::metadata_ref(const Scope& s, const ArtifactBinding& b) {
  if (b.kind == ArtifactBinding::Kind::component_input) {
    if (!s.root && metadata_in_.count({s.dag->name, b.source}))
      return "{{inputs.parameters." + b.source + "-metadata}}";
    return "{}";
  }
  const ir::Task* pt = s.dag->dag->find_task(b.producer_task);
  const ir::Component* pc = pt ? component(pt->component_ref) : nullptr;
  if (!pc || !pt->iterator_item_input.empty()) return "{}";
  if (!metadata_out_.count({pc->name, b.source})) return "{}";
  return "{{tasks." + b.producer_task + ".outputs.parameters." + b.source + "-metadata}}";
}

// --- text ----------------------------------------------------------------------------------

std::string Lowering::translate(const std::string& text,
                                const std::map<std::string, std::string>& params,
                                const ir::Interface& in_defs, const TaskReads& reads,
                                const std::string& path, const LazyText& executor_input) {
  if (text.find("{{") == std::string::npos) return text;
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t at = text.find("{{$", pos);
    if (at == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, at - pos);
    const std::size_t end = text.find("}}", at);
    if (end == std::string::npos) {
      out += text.substr(at);
      break;
    }
    const std::string ph = text.substr(at, end + 2 - at);
    pos = end + 2;
    auto quoted = [&](std::string_view head) -> std::string {
      // {{$.inputs.parameters['x']}} and the like: the name between the quotes.
      if (ph.rfind(head, 0) != 0) return {};
      const std::size_t q = ph.find("']", head.size());
      return q == std::string::npos ? std::string() : ph.substr(head.size(), q - head.size());
    };
    auto tail = [&](std::string_view head, const std::string& name) {
      return ph.substr(head.size() + name.size() + 2,
                       ph.size() - 2 - head.size() - name.size() - 2);
    };
    if (ph == "{{$}}") {
      out += executor_input.get();
      continue;
    }
    if (std::string n = quoted("{{$.inputs.parameters['"); !n.empty()) {
      auto it = params.find(n);
      if (it == params.end()) {
        cx_.unsupported(path, "the placeholder " + ph + " reads an input the task does not give",
                        "give the input a value or a default, or wrap it in if_present");
      } else {
        out += it->second;
      }
      continue;
    }
    if (std::string n = quoted("{{$.outputs.parameters['"); !n.empty()) {
      out += output_path(n);
      continue;
    }
    bool artifact = false;
    struct Side {
      const char* name;
      std::string_view head;
    };
    static constexpr Side kSides[] = {{"inputs", "{{$.inputs.artifacts['"},
                                      {"outputs", "{{$.outputs.artifacts['"}};
    for (const auto& [side, head] : kSides) {
      const std::string n = quoted(head);
      if (n.empty()) continue;
      artifact = true;
      const std::string field = tail(head, n);
      if (field == ".path" || field == ".uri") {
        // Argo artifacts have no URI a container can use; the local copy stands in for it.
        out += std::string(side) == "inputs" ? input_path(n) : output_path(n);
      } else if (field == ".metadata") {
        // An input's metadata is what its producer wrote, carried as a parameter where it can
        // be; an output starts with none (as in KFP, where the task writes it).
        auto it = std::string(side) == "inputs" ? input_metadata_.find(n) : input_metadata_.end();
        out += it != input_metadata_.end() ? it->second : std::string("{}");
      } else if (field.empty() && lists_allowed_ && std::string(side) == "inputs" &&
                 in_defs.find_artifact(n) && in_defs.find_artifact(n)->is_list) {
        // KFP gives the list's artifacts as JSON; in Argo they are the entries of a directory,
        // named only at run time: a marker the container's list wrapper replaces.
        out += list_marker(n);
        lists_read_.insert(n);
      } else if (field.empty()) {
        cx_.unsupported(path,
                        "the list placeholder " + ph +
                            " has an Argo form only in a container's command or args, for an "
                            "input that is a list of artifacts",
                        "pass the list as an argument of the container's command");
      } else {
        cx_.unsupported(path, "the placeholder " + ph + " has no Argo form",
                        "read the artifact's path, URI or metadata");
      }
      break;
    }
    if (artifact) continue;
    if (ph.rfind("{{$.pipeline_", 0) == 0 || ph == "{{$.workspace_path}}") {
      out += constant_text(cx_, ir::Value(ph), short_name(reads.component_name()), path,
                           "{{pod.name}}");
      continue;
    }
    cx_.unsupported(path, "the placeholder " + ph + " has no Argo form",
                    "use the inputs, outputs and pipeline placeholders kfpp documents");
  }
  return out;
}

std::string Lowering::arg_text(const ir::Arg& a, const std::map<std::string, std::string>& params,
                               const std::set<std::string>& present, const ir::Interface& in_defs,
                               const TaskReads& reads, const std::string& path,
                               const LazyText& executor_input) {
  switch (a.kind) {
    case ir::Arg::Kind::text:
      return translate(a.text, params, in_defs, reads, path, executor_input);
    case ir::Arg::Kind::concat: {
      std::string out;
      for (const auto& item : a.items)
        out += arg_text(item, params, present, in_defs, reads, path, executor_input);
      return out;
    }
    case ir::Arg::Kind::if_present:
      cx_.unsupported(path, "if_present nested inside concat has no Argo form",
                      "put if_present at the top level of the command or args");
      return {};
  }
  return {};
}

}  // namespace kfpp::detail::argo
