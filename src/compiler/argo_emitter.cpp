// SPDX-License-Identifier: Apache-2.0
// KFP IR → Argo Workflows. Each executor becomes a container template, each DAG component a DAG
// template; bindings become Argo variables in the DAG that calls the task.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "argo_context.hpp"
#include "argo_launcher.hpp"
#include "ir/json_text.hpp"
#include "ir/validate_bounds.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "kfpp/ir/validate.hpp"
#include "yaml_writer.hpp"

namespace kfpp {

namespace detail::argo {
namespace {

using ir::ArtifactBinding;
using ir::ParameterBinding;

std::string short_name(const std::string& component) {
  return component.rfind("comp-", 0) == 0 ? component.substr(5) : component;
}

std::string output_path(const std::string& name) { return std::string(kOutputsDir) + "/" + name; }
std::string input_path(const std::string& name) { return std::string(kInputsDir) + "/" + name; }

void replace_in(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// A template name Argo accepts: `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters.
std::string template_base(const std::string& name) { return dns_name(name, 120); }

std::string quantity(double v, bool memory) {
  std::string s = ir::python_float_text(v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return memory ? s + "G" : s;
}

// Text built on first use only: the executor input JSON, which few containers read.
class LazyText {
 public:
  explicit LazyText(std::function<std::string()> make) : make_(std::move(make)) {}
  const std::string& get() const {
    if (!text_) text_ = make_();
    return *text_;
  }

 private:
  std::function<std::string()> make_;
  mutable std::optional<std::string> text_;
};

class Lowering {
 public:
  Lowering(Context& cx, const ir::Pipeline& p) : cx_(cx), p_(p) {
    components_.reserve(p.components.size());
    for (const auto& c : p.components) components_.emplace(c.name, &c);
    executors_.reserve(p.executors.size());
    for (const auto& e : p.executors) executors_.emplace(e.label, &e);
  }

  Node run();

 private:
  struct Call {
    Node parameters = Node::seq();
    Node artifacts = Node::seq();
  };

  // --- bindings --------------------------------------------------------------------------
  std::string param_ref(const Scope& s, const ir::Task& t, const ParameterBinding& b,
                        const std::string& path);
  std::string status_json(const ir::Task& t, const std::string& producer);
  const ir::ParameterSpec* binding_type(const Scope& s, const ParameterBinding& b);
  bool produced_by_loop_list(const Scope& s, const ArtifactBinding& b);

  // --- templates -------------------------------------------------------------------------
  std::string leaf_template(const Scope& s, const ir::Task& t, const ir::Component& c, Call& call);
  std::string importer_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                const ir::ImporterSpec& imp, Call& call);
  std::string resource_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                const ir::ContainerSpec& spec, Call& call);
  std::string dag_template(const ir::Component& c, bool root, const std::string& path);
  Node dag_task(const Scope& s, const ir::Task& t);
  std::string add_template(Node tmpl, const std::string& base, bool dedupe);

  // --- analysis --------------------------------------------------------------------------
  // By name in constant time (the IR's own lookups scan, which made the lowering quadratic).
  const ir::Component* component(const std::string& name) const {
    auto it = components_.find(name);
    return it == components_.end() ? nullptr : it->second;
  }
  const ir::Executor* executor(const std::string& label) const {
    auto it = executors_.find(label);
    return it == executors_.end() ? nullptr : it->second;
  }
  const std::set<std::pair<std::string, std::string>>& field_inputs(const ir::Component& c);
  void find_loops(const ir::Component& c, bool in_loop);
  void trace_collected(const ir::Component& body, const std::string& output,
                       const std::string& prefix, const std::string& path);

  // --- text --------------------------------------------------------------------------------
  std::string translate(const std::string& text, const std::map<std::string, std::string>& params,
                        const ir::Component& c, const std::string& path,
                        const LazyText& executor_input);
  std::string arg_text(const ir::Arg& a, const std::map<std::string, std::string>& params,
                       const std::set<std::string>& present, const ir::Component& c,
                       const std::string& path, const LazyText& executor_input);

  Context& cx_;
  const ir::Pipeline& p_;
  std::unordered_map<std::string_view, const ir::Component*> components_;
  std::unordered_map<std::string_view, const ir::Executor*> executors_;
  std::vector<Node> templates_;
  std::unordered_multimap<std::size_t, std::size_t> by_content_;  // hash -> index in contents_
  std::vector<std::pair<Node, std::string>> contents_;            // a template and its name
  std::set<std::string> names_;
  std::map<std::string, std::string> dag_names_;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> fields_;
  std::set<std::string> in_loop_;  // DAG components run once per loop item (at any depth)
  // (DAG component, task, output) → key prefix of a loop output collected as artifacts
  std::map<std::tuple<std::string, std::string, std::string>, std::string> collected_;
  // (DAG component, loop task, output) → key prefix, for the consumers
  std::map<std::tuple<std::string, std::string, std::string>, std::string> collected_in_;
  std::set<std::string> pull_secrets_;
};

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
      if (!b.expression_selector.empty()) {
        const std::string f = selector_field(b.expression_selector);
        if (f.empty() || s.root) {
          cx_.unsupported(path, "the selector '" + b.expression_selector + "' has no Argo form",
                          "select one field of a loop item");
          return {};
        }
        return "{{inputs.parameters." + b.source + "--" + f + "}}";
      }
      if (s.root) return "{{workflow.parameters." + b.source + "}}";
      return "{{inputs.parameters." + b.source + "}}";
    }
    case ParameterBinding::Kind::task_output:
      if (!b.expression_selector.empty()) {
        cx_.unsupported(
            path, "a field of a task output ('" + b.expression_selector + "') has no Argo form",
            "output the field as its own parameter");
        return {};
      }
      if (!s.dag->dag->find_task(b.producer_task)) {
        cx_.unsupported(path, "reads task '" + b.producer_task + "', which is not in the same DAG",
                        "pass the value through the DAG's inputs");
        return {};
      }
      return "{{tasks." + b.producer_task + ".outputs.parameters." + b.source + "}}";
    case ParameterBinding::Kind::task_final_status:
      return status_json(t, b.producer_task);
  }
  return {};
}

const ir::ParameterSpec* Lowering::binding_type(const Scope& s, const ParameterBinding& b) {
  if (b.kind == ParameterBinding::Kind::component_input)
    return s.dag->inputs.find_parameter(b.source);
  if (b.kind == ParameterBinding::Kind::task_output) {
    if (const ir::Task* pt = s.dag->dag->find_task(b.producer_task))
      if (const ir::Component* pc = component(pt->component_ref))
        return pc->outputs.find_parameter(b.source);
  }
  return nullptr;
}

bool Lowering::produced_by_loop_list(const Scope& s, const ArtifactBinding& b) {
  return b.kind == ArtifactBinding::Kind::task_output &&
         collected_in_.count({s.dag->name, b.producer_task, b.source}) > 0;
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
        cx_.unsupported(path,
                        "artifacts collected from a loop inside another loop have no Argo form",
                        "collect them from a loop at the top level or in a non-looped group");
        continue;
      }
      const std::string prefix = "kfpp-collected/{{workflow.uid}}/" + t.name + "/" + o.name;
      collected_in_[{c.name, t.name, o.name}] = prefix;
      trace_collected(*sub, o.name, prefix, path);
    }
  }
}

void Lowering::trace_collected(const ir::Component& body, const std::string& output,
                               const std::string& prefix, const std::string& path) {
  for (const auto& o : body.dag->outputs) {
    if (o.name != output) continue;
    std::vector<ir::OutputSelector> sources = o.oneof;
    if (sources.empty()) sources.push_back({o.producer_task, o.output_key});
    for (const auto& src : sources) {
      const ir::Task* t = body.dag->find_task(src.producer_task);
      const ir::Component* c = t ? component(t->component_ref) : nullptr;
      if (!c) continue;
      if (c->dag) {
        if (!t->iterator_item_input.empty())
          cx_.unsupported(path, "artifacts collected through two loops have no Argo form",
                          "collect them from the innermost loop");
        else
          trace_collected(*c, src.output_key, prefix, path);
      } else {
        collected_[{body.name, t->name, src.output_key}] = prefix;
      }
    }
  }
}

// --- text ----------------------------------------------------------------------------------

std::string Lowering::translate(const std::string& text,
                                const std::map<std::string, std::string>& params,
                                const ir::Component& c, const std::string& path,
                                const LazyText& executor_input) {
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
    auto quoted = [&](const std::string& head) -> std::string {
      // {{$.inputs.parameters['x']}} and the like: the name between the quotes.
      if (ph.rfind(head, 0) != 0) return {};
      const std::size_t q = ph.find("']", head.size());
      return q == std::string::npos ? std::string() : ph.substr(head.size(), q - head.size());
    };
    auto tail = [&](const std::string& head, const std::string& name) {
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
    for (const char* side : {"inputs", "outputs"}) {
      const std::string head = std::string("{{$.") + side + ".artifacts['";
      const std::string n = quoted(head);
      if (n.empty()) continue;
      artifact = true;
      const std::string field = tail(head, n);
      if (field == ".path" || field == ".uri") {
        // Argo artifacts have no URI a container can use; the local copy stands in for it.
        out += std::string(side) == "inputs" ? input_path(n) : output_path(n);
      } else {
        cx_.unsupported(path, "the placeholder " + ph + " (artifact metadata) has no Argo form",
                        "read the artifact's file instead");
      }
      break;
    }
    if (artifact) continue;
    if (ph.rfind("{{$.pipeline_", 0) == 0) {
      out += constant_text(cx_, ir::Value(ph), short_name(c.name), path);
      continue;
    }
    cx_.unsupported(path, "the placeholder " + ph + " has no Argo form",
                    "use the inputs, outputs and pipeline placeholders kfpp documents");
  }
  return out;
}

std::string Lowering::arg_text(const ir::Arg& a, const std::map<std::string, std::string>& params,
                               const std::set<std::string>& present, const ir::Component& c,
                               const std::string& path, const LazyText& executor_input) {
  switch (a.kind) {
    case ir::Arg::Kind::text:
      return translate(a.text, params, c, path, executor_input);
    case ir::Arg::Kind::concat: {
      std::string out;
      for (const auto& item : a.items)
        out += arg_text(item, params, present, c, path, executor_input);
      return out;
    }
    case ir::Arg::Kind::if_present:
      cx_.unsupported(path, "if_present nested inside concat has no Argo form",
                      "put if_present at the top level of the command or args");
      return {};
  }
  return {};
}

// --- templates -----------------------------------------------------------------------------

std::string Lowering::add_template(Node tmpl, const std::string& base, bool dedupe) {
  // Templates of the same content are written once; compared as trees, by hash first.
  std::size_t key = 0;
  if (dedupe) {
    key = tmpl.hash();
    auto [lo, hi] = by_content_.equal_range(key);
    for (auto it = lo; it != hi; ++it)
      if (contents_[it->second].first == tmpl) return contents_[it->second].second;
  }
  std::string name = template_base(base);
  for (int n = 2; names_.count(name); ++n) name = template_base(base) + "-" + std::to_string(n);
  names_.insert(name);
  Node named = Node::map();
  named.set("name", name);
  for (const auto& [k, v] : tmpl.fields()) named.set(k, v);
  templates_.push_back(std::move(named));
  if (dedupe) {
    by_content_.emplace(key, contents_.size());
    contents_.emplace_back(std::move(tmpl), name);
  }
  return name;
}

std::string Lowering::leaf_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                    Call& call) {
  const std::string path = s.path + "/" + t.name;
  const ir::Executor* exec = executor(c.executor_label);
  if (!exec) return {};
  if (exec->importer) return importer_template(s, t, c, *exec->importer, call);
  const ir::ContainerSpec& spec = *exec->container;
  if (spec.image == "argostub/createpvc" || spec.image == "argostub/deletepvc")
    return resource_template(s, t, c, spec, call);

  Node tmpl = Node::map();
  Node inputs = Node::map();
  Node in_params = Node::seq();
  Node in_artifacts = Node::seq();
  std::map<std::string, std::string> params;  // input → Argo text inside the template
  std::set<std::string> present;

  // Parameters: every binding of the task (pipeline channels used by settings included), then
  // the component's defaults.
  for (const auto& b : t.parameters) {
    Node p = Node::map();
    p.set("name", b.name);
    in_params.push(std::move(p));
    Node a = Node::map();
    a.set("name", b.name);
    std::string value = param_ref(s, t, b, path + "/inputs/" + b.name);
    // A task that runs after its upstream failed takes the input's default when the output it
    // reads was never produced.
    const ir::ParameterSpec* own = c.inputs.find_parameter(b.name);
    if (t.trigger_strategy == "ALL_UPSTREAM_TASKS_COMPLETED" &&
        b.kind == ParameterBinding::Kind::task_output && own && own->default_value &&
        !value.empty()) {
      std::string fallback;
      detail::append_json_string(fallback, own->default_value->is_string()
                                               ? own->default_value->as_string()
                                               : ir::python_json_text(*own->default_value));
      value = "{{=tasks['" + b.producer_task + "'].status == 'Succeeded' ? tasks['" +
              b.producer_task + "'].outputs.parameters['" + b.source + "'] : " + fallback + "}}";
    }
    a.set("value", value);
    call.parameters.push(std::move(a));
    params[b.name] = "{{inputs.parameters." + b.name + "}}";
    present.insert(b.name);
  }
  for (const auto& ps : c.inputs.parameters) {
    if (present.count(ps.name) || !ps.default_value) continue;
    Node p = Node::map();
    p.set("name", ps.name);
    p.set("default", ps.default_value->is_string() ? ps.default_value->as_string()
                                                   : ir::python_json_text(*ps.default_value));
    in_params.push(std::move(p));
    params[ps.name] = "{{inputs.parameters." + ps.name + "}}";
    present.insert(ps.name);
  }
  for (const auto& as : c.inputs.artifacts) {
    const ArtifactBinding* b = t.find_artifact(as.name);
    if (!b) continue;
    present.insert(as.name);
    Node a = Node::map();
    a.set("name", as.name);
    a.set("path", input_path(as.name));
    if (produced_by_loop_list(s, *b)) {
      a.child(cx_.options.collected_artifact_store == "gcs" ? "gcs" : "s3")
          .set("key", collected_in_[{s.dag->name, b->producer_task, b->source}]);
      in_artifacts.push(std::move(a));
      continue;
    }
    if (as.is_list) {
      cx_.unsupported(path + "/inputs/" + as.name,
                      "a list of artifacts that is not collected from a loop has no Argo form",
                      "collect the list from a loop in the same DAG");
      continue;
    }
    in_artifacts.push(std::move(a));
    Node arg = Node::map();
    arg.set("name", as.name);
    if (b->kind == ArtifactBinding::Kind::component_input) {
      if (s.root) {
        cx_.unsupported(path + "/inputs/" + as.name, "pipeline input artifacts have no Argo form",
                        "import the artifact inside the pipeline (an importer)");
        continue;
      }
      arg.set("from", "{{inputs.artifacts." + b->source + "}}");
    } else {
      if (!s.dag->dag->find_task(b->producer_task)) {
        cx_.unsupported(path + "/inputs/" + as.name,
                        "reads task '" + b->producer_task + "', which is not in the same DAG",
                        "pass the artifact through the DAG's inputs");
        continue;
      }
      arg.set("from", "{{tasks." + b->producer_task + ".outputs.artifacts." + b->source + "}}");
    }
    call.artifacts.push(std::move(arg));
  }

  // Outputs, in one directory every pod has (an empty-dir volume), so programs need not make it.
  Node outputs = Node::map();
  Node out_params = Node::seq();
  Node out_artifacts = Node::seq();
  for (const auto& ps : c.outputs.parameters) {
    Node o = Node::map();
    o.set("name", ps.name);
    o.child("valueFrom").set("path", output_path(ps.name));
    out_params.push(std::move(o));
  }
  for (const auto& as : c.outputs.artifacts) {
    Node o = Node::map();
    o.set("name", as.name);
    o.set("path", output_path(as.name));
    if (auto it = collected_.find({s.dag->name, t.name, as.name}); it != collected_.end()) {
      o.child(cx_.options.collected_artifact_store == "gcs" ? "gcs" : "s3")
          .set("key", it->second + "/{{pod.name}}");
      o.child("archive").set("none", Node::map());
    }
    out_artifacts.push(std::move(o));
  }

  // The executor input (`{{$}}`), for containers that read it: KFP's shape, with local paths.
  const LazyText executor_input([&] {
    Node ei = Node::map();
    Node& in = ei.child("inputs");
    Node& values = in.child("parameterValues");
    for (const auto& [name, ref] : params) {
      const ir::ParameterSpec* ps = c.inputs.find_parameter(name);
      const bool text = !ps || ps->type == ir::ParameterType::string;
      values.set(name, text ? "\x01" + name : "\x02" + name);
    }
    Node& ia = in.child("artifacts");
    for (const auto& as : c.inputs.artifacts) {
      if (!present.count(as.name)) continue;
      Node one = Node::map();
      one.set("name", as.name);
      one.child("type").set("schemaTitle", as.type.schema_title);
      one.set("uri", input_path(as.name));
      one.set("metadata", Node::map());
      ia.child(as.name).child("artifacts", Node::Kind::seq).push(std::move(one));
    }
    Node& out = ei.child("outputs");
    for (const auto& ps : c.outputs.parameters)
      out.child("parameters").child(ps.name).set("outputFile", output_path(ps.name));
    for (const auto& as : c.outputs.artifacts) {
      Node one = Node::map();
      one.set("name", as.name);
      one.child("type").set("schemaTitle", as.type.schema_title);
      one.set("uri", output_path(as.name));
      one.set("metadata", Node::map());
      out.child("artifacts")
          .child(as.name)
          .child("artifacts", Node::Kind::seq)
          .push(std::move(one));
    }
    out.set("outputFile", output_path("executor_output.json"));
    std::string text;
    ei.append_json(text);
    // Parameter values go in as Argo variables: JSON text as is, strings through toJson.
    for (const auto& [name, ref] : params) {
      replace_in(text, "\"\\u0001" + name + "\"", "{{=toJson(inputs.parameters['" + name + "'])}}");
      replace_in(text, "\"\\u0002" + name + "\"", ref);
    }
    return text;
  });

  Node container = Node::map();
  container.set("image", translate(spec.image, params, c, path + "/image", executor_input));
  if (spec.python) {
    const ir::PythonFunction& fn = *spec.python;
    if (!check_literal(cx_, fn.source, path + "/python")) return {};
    Node& cmd = container.set("command", Node::seq());
    for (auto& part : argo_python_command(fn)) cmd.push(std::move(part));
    Node& args = container.set("args", Node::seq());
    args.push("--function");
    args.push(fn.function_name);
    for (const auto& ps : c.inputs.parameters) {
      if (!present.count(ps.name)) continue;
      args.push("--param");
      args.push(ps.name);
      args.push(ir::to_string(ps.type));
      args.push(params[ps.name]);
    }
    for (const auto& as : c.inputs.artifacts) {
      if (!present.count(as.name)) continue;
      args.push(as.is_list ? "--artifact-list" : "--artifact");
      args.push(as.name);
      args.push(input_path(as.name));
    }
    for (const auto& ps : c.outputs.parameters) {
      args.push("--output-param");
      args.push(ps.name);
      args.push(ir::to_string(ps.type));
      args.push(output_path(ps.name));
    }
    for (const auto& as : c.outputs.artifacts) {
      args.push("--output-artifact");
      args.push(as.name);
      args.push(output_path(as.name));
    }
  } else {
    auto list = [&](const char* key, const std::vector<ir::Arg>& items) {
      if (items.empty()) return;
      Node& l = container.set(key, Node::seq());
      for (std::size_t i = 0; i < items.size(); ++i) {
        const ir::Arg& a = items[i];
        const std::string where = path + "/" + key + "/" + std::to_string(i);
        if (a.kind == ir::Arg::Kind::text && !check_literal(cx_, a.text, where)) continue;
        if (a.kind == ir::Arg::Kind::if_present) {
          // Whether the input is given is known here, for this task.
          const auto& chosen = present.count(a.input_name) ? a.items : a.otherwise;
          for (const auto& x : chosen)
            l.push(arg_text(x, params, present, c, where, executor_input));
          continue;
        }
        l.push(arg_text(a, params, present, c, where, executor_input));
      }
    };
    list("command", spec.command);
    list("args", spec.args);
  }
  if (!spec.env.empty()) {
    Node& env = container.set("env", Node::seq());
    for (const auto& e : spec.env) {
      if (!check_literal(cx_, e.value, path + "/env/" + e.name)) continue;
      Node v = Node::map();
      v.set("name", e.name);
      v.set("value", translate(e.value, params, c, path + "/env/" + e.name, executor_input));
      env.push(std::move(v));
    }
  }
  // Resources: the string fields (which may read parameters), else the old numeric ones.
  const ir::Resources& r = spec.resources;
  Node limits = Node::map();
  Node requests = Node::map();
  auto q = [&](Node& into, const char* key, const std::string& text, std::optional<double> old,
               bool memory) {
    if (!text.empty())
      into.set(key, translate(text, params, c, path + "/resources", executor_input));
    else if (old)
      into.set(key, quantity(*old, memory));
  };
  q(limits, "cpu", r.resource_cpu_limit, r.cpu_limit, false);
  q(limits, "memory", r.resource_memory_limit, r.memory_limit, true);
  q(requests, "cpu", r.resource_cpu_request, r.cpu_request, false);
  q(requests, "memory", r.resource_memory_request, r.memory_request, true);
  if (r.accelerator) {
    const std::string type =
        !r.accelerator->resource_type.empty() ? r.accelerator->resource_type : r.accelerator->type;
    if (type.find("{{") != std::string::npos) {
      cx_.unsupported(path + "/resources/accelerator",
                      "an accelerator type read at run time has no Argo form (resource names are "
                      "map keys)",
                      "give the accelerator type as a constant");
    } else if (!r.accelerator->resource_count.empty()) {
      limits.set(type, translate(r.accelerator->resource_count, params, c, path + "/resources",
                                 executor_input));
    } else {
      limits.set(type, r.accelerator->count.value_or(1));
    }
  }
  if (!limits.empty() || !requests.empty()) {
    Node& res = container.child("resources");
    if (!limits.empty()) res.set("limits", std::move(limits));
    if (!requests.empty()) res.set("requests", std::move(requests));
  }

  if (!in_params.empty()) inputs.set("parameters", std::move(in_params));
  if (!in_artifacts.empty()) inputs.set("artifacts", std::move(in_artifacts));
  if (!out_params.empty()) outputs.set("parameters", std::move(out_params));
  if (!out_artifacts.empty()) outputs.set("artifacts", std::move(out_artifacts));
  const bool has_outputs = !outputs.empty();
  if (!inputs.empty()) tmpl.set("inputs", std::move(inputs));
  if (has_outputs) tmpl.set("outputs", std::move(outputs));
  tmpl.set("container", std::move(container));

  // Settings read at run time become extra template inputs given by the caller.
  int extra = 0;
  auto runtime = [&](const ParameterBinding& b) -> std::string {
    const std::string name = "kfpp-setting-" + std::to_string(extra++);
    tmpl.child("inputs").child("parameters", Node::Kind::seq).push(Node::map()).set("name", name);
    Node a = Node::map();
    a.set("name", name);
    a.set("value", param_ref(s, t, b, path + "/kubernetes"));
    call.parameters.push(std::move(a));
    return "{{inputs.parameters." + name + "}}";
  };
  auto is_list = [&](const ParameterBinding& b) {
    const ir::ParameterSpec* ps = binding_type(s, b);
    return ps && ps->type == ir::ParameterType::list;
  };
  apply_kubernetes(cx_, *exec, tmpl, runtime, is_list, pull_secrets_, path);

  if (has_outputs) {
    Node m = Node::map();
    m.set("name", "kfpp-outputs");
    m.set("mountPath", kOutputsDir);
    tmpl.child("container").child("volumeMounts", Node::Kind::seq).push(std::move(m));
    Node v = Node::map();
    v.set("name", "kfpp-outputs");
    v.set("emptyDir", Node::map());
    tmpl.child("volumes", Node::Kind::seq).push(std::move(v));
  }

  if (t.retry_policy && t.retry_policy->max_retry_count > 0) {
    const ir::RetryPolicy& rp = *t.retry_policy;
    Node& rs = tmpl.child("retryStrategy");
    rs.set("limit", rp.max_retry_count);
    Node& backoff = rs.child("backoff");
    backoff.set("duration", rp.backoff_duration);
    if (rp.backoff_factor == static_cast<double>(static_cast<std::int64_t>(rp.backoff_factor)))
      backoff.set("factor", static_cast<std::int64_t>(rp.backoff_factor));
    else
      backoff.set("factor", ir::python_float_text(rp.backoff_factor));
    backoff.set("maxDuration", rp.backoff_max_duration);
  }

  if (!cx_.options.memoize_config_map.empty() && t.enable_cache.value_or(false) &&
      c.inputs.artifacts.empty()) {
    std::string key = "'" + c.name + "'";
    if (!t.cache_key.empty()) {
      key += " + '\\n' + '" + t.cache_key + "'";
    } else {
      for (const auto& [name, ref] : params) key += " + '\\n' + inputs.parameters['" + name + "']";
    }
    Node& memo = tmpl.child("memoize");
    memo.set("key", "{{=sprig.sha256sum(" + key + ")}}");
    memo.child("cache").child("configMap").set("name", cx_.options.memoize_config_map);
    if (!cx_.options.memoize_max_age.empty()) memo.set("maxAge", cx_.options.memoize_max_age);
  }
  return add_template(std::move(tmpl), short_name(c.name), true);
}

std::string Lowering::importer_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                        const ir::ImporterSpec& imp, Call& call) {
  const std::string path = s.path + "/" + t.name;
  std::string uri = imp.uri_constant;
  if (imp.download_to_workspace)
    cx_.unsupported(path, "an importer downloading into the pipeline workspace has no Argo form",
                    "drop download_to_workspace; the imported artifact is passed as usual");
  std::string scheme_source;  // the URI whose scheme decides the artifact's kind
  bool runtime = false;
  if (uri.empty()) {
    const ParameterBinding* b = t.find_parameter(imp.uri_parameter);
    // Text made from channels (an f-string) is a URI known at run time, with its own scheme.
    const bool text = b && b->kind == ParameterBinding::Kind::constant && b->constant.is_string() &&
                      b->constant.as_string().find("{{$.inputs.parameters[") != std::string::npos;
    if (b && b->kind == ParameterBinding::Kind::constant && b->constant.is_string() && !text) {
      uri = b->constant.as_string();
    } else if (b) {
      runtime = true;
      // A URI given at run time keeps the scheme of its default.
      const ir::ParameterSpec* ps = binding_type(s, *b);
      if (text)
        scheme_source = b->constant.as_string();
      else if (s.root && ps && ps->default_value && ps->default_value->is_string())
        scheme_source = ps->default_value->as_string();
      Node a = Node::map();
      a.set("name", "uri");
      a.set("value", param_ref(s, t, *b, path + "/inputs/uri"));
      call.parameters.push(std::move(a));
    }
  }
  if (!runtime) scheme_source = uri;
  if (!check_literal(cx_, uri, path + "/uri")) return {};
  const std::string scheme = scheme_source.substr(0, scheme_source.find("://"));
  if (scheme_source.find("://") == std::string::npos ||
      (scheme != "gs" && scheme != "s3" && scheme != "http" && scheme != "https")) {
    cx_.unsupported(path + "/uri",
                    runtime ? "the importer's URI is read at run time and its scheme is unknown"
                            : "the importer URI '" + uri + "' has no Argo artifact kind",
                    runtime ? "give the pipeline parameter a default gs://, s3:// or http(s):// URI"
                            : "use a gs://, s3:// or http(s):// URI");
    return {};
  }
  const std::string out_name =
      c.outputs.artifacts.empty() ? std::string("artifact") : c.outputs.artifacts[0].name;
  const std::string local = input_path(out_name);

  Node tmpl = Node::map();
  Node& inputs = tmpl.child("inputs");
  if (runtime) inputs.child("parameters", Node::Kind::seq).push(Node::map()).set("name", "uri");
  Node& art = inputs.child("artifacts", Node::Kind::seq).push(Node::map());
  art.set("name", out_name);
  art.set("path", local);
  const std::string value = runtime ? "inputs.parameters['uri']" : "";
  auto part = [&](int which) -> std::string {
    // which 1: bucket, 2: key
    if (!runtime) {
      const std::string rest = uri.substr(uri.find("://") + 3);
      const std::size_t slash = rest.find('/');
      if (which == 1) return rest.substr(0, slash);
      return slash == std::string::npos ? std::string() : rest.substr(slash + 1);
    }
    return "{{=sprig.regexReplaceAll('^[a-z0-9]+://([^/]*)/?(.*)$', " + value + ", '${" +
           std::to_string(which) + "}')}}";
  };
  if (scheme == "http" || scheme == "https") {
    art.child("http").set("url", runtime ? "{{inputs.parameters.uri}}" : uri);
  } else {
    Node& loc = art.child(scheme == "gs" ? "gcs" : "s3");
    loc.set("bucket", part(1));
    loc.set("key", part(2));
  }
  Node& outs = tmpl.child("outputs");
  Node& oa = outs.child("artifacts", Node::Kind::seq).push(Node::map());
  oa.set("name", out_name);
  oa.set("path", local);
  if (imp.metadata) {
    // Argo has no metadata store; the importer keeps its metadata as an output parameter.
    std::string json = ir::python_json_text(*imp.metadata);
    if (json.find("{{$.inputs.parameters[") != std::string::npos)
      cx_.unsupported(path + "/metadata", "importer metadata read at run time has no Argo form",
                      "give the importer constant metadata");
    Node& op = outs.child("parameters", Node::Kind::seq).push(Node::map());
    op.set("name", out_name + "-metadata");
    op.set("value", json);
  }
  Node& container = tmpl.child("container");
  container.set("image", cx_.options.utility_image);
  Node& cmd = container.set("command", Node::seq());
  cmd.push("sh");
  cmd.push("-c");
  cmd.push("test -e \"$0\"");
  container.set("args", Node::seq()).push(local);
  return add_template(std::move(tmpl), short_name(c.name), true);
}

std::string Lowering::resource_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                        const ir::ContainerSpec& spec, Call& call) {
  const std::string path = s.path + "/" + t.name;
  const bool create = spec.image == "argostub/createpvc";
  Node tmpl = Node::map();
  // An input's value in the manifest: JSON of a constant, or the Argo variable of a run-time
  // value (strings quoted, structures as their JSON).
  auto value = [&](const std::string& name, bool& set) -> std::string {
    const ParameterBinding* b = t.find_parameter(name);
    const ir::ParameterSpec* ps = c.inputs.find_parameter(name);
    set = true;
    if (b && b->kind == ParameterBinding::Kind::constant) {
      std::string out;
      if (b->constant.is_string()) {
        if (b->constant.as_string().empty()) set = false;
        check_literal(cx_, b->constant.as_string(), path + "/inputs/" + name);
        detail::append_json_string(out, b->constant.as_string());
      } else {
        out = ir::python_json_text(b->constant);
      }
      return out;
    }
    if (!b) {
      if (ps && ps->default_value &&
          !(ps->default_value->is_string() && ps->default_value->as_string().empty()))
        return ir::python_json_text(*ps->default_value);
      set = false;
      return {};
    }
    tmpl.child("inputs").child("parameters", Node::Kind::seq).push(Node::map()).set("name", name);
    Node a = Node::map();
    a.set("name", name);
    a.set("value", param_ref(s, t, *b, path + "/inputs/" + name));
    call.parameters.push(std::move(a));
    const std::string ref = "{{inputs.parameters." + name + "}}";
    return ps && ps->type == ir::ParameterType::string ? "\"" + ref + "\"" : ref;
  };
  std::string manifest = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n";
  bool set = false;
  if (create) {
    const std::string name = value("pvc_name", set);
    const bool has_name = set;
    const std::string suffix = value("pvc_name_suffix", set);
    if (has_name && set)
      cx_.unsupported(path, "both pvc_name and pvc_name_suffix are given",
                      "give at most one of them");
    if (has_name) {
      manifest += "  name: " + name + "\n";
    } else if (set) {
      // KFP puts a fresh id before the suffix; the step's pod name is unique to this run of it.
      std::string raw = suffix;
      if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
      manifest += "  name: \"{{pod.name}}" + raw + "\"\n";
    } else {
      manifest += "  generateName: pvc-\n";
    }
    std::string annotations = value("annotations", set);
    if (set) manifest += "  annotations: " + annotations + "\n";
    manifest += "spec:\n";
    manifest += "  accessModes: " + value("access_modes", set) + "\n";
    manifest += "  resources:\n    requests:\n      storage: " + value("size", set) + "\n";
    const std::string sc = value("storage_class_name", set);
    if (set) manifest += "  storageClassName: " + sc + "\n";
    const std::string vn = value("volume_name", set);
    if (set) manifest += "  volumeName: " + vn + "\n";
    const std::string ds = value("data_source", set);
    if (set) manifest += "  dataSource: " + ds + "\n";
    Node& out = tmpl.child("outputs").child("parameters", Node::Kind::seq).push(Node::map());
    out.set("name", "name");
    out.child("valueFrom").set("jsonPath", "{.metadata.name}");
  } else {
    manifest += "  name: " + value("pvc_name", set) + "\n";
  }
  Node& res = tmpl.child("resource");
  res.set("action", create ? "create" : "delete");
  res.set("manifest", manifest);
  return add_template(std::move(tmpl), short_name(c.name), true);
}

// --- DAGs ----------------------------------------------------------------------------------

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

}  // namespace

std::string Lowering::dag_template(const ir::Component& c, bool root, const std::string& path) {
  if (auto it = dag_names_.find(c.name); it != dag_names_.end()) return it->second;
  // Reserve the name (and the place: callers come first) before the tasks add theirs.
  const std::string base = root ? dns_name(p_.name, 63) : short_name(c.name);
  std::string name = template_base(base);
  for (int n = 2; names_.count(name); ++n) name = template_base(base) + "-" + std::to_string(n);
  names_.insert(name);
  dag_names_[c.name] = name;
  const std::size_t slot = templates_.size();
  templates_.push_back(Node::map());

  Scope s{&c, root, path};
  Node tmpl = Node::map();
  tmpl.set("name", name);
  if (!root) {
    Node params = Node::seq();
    for (const auto& ps : c.inputs.parameters) {
      Node& p = params.push(Node::map());
      p.set("name", ps.name);
      // A caller may leave an input with a default unbound.
      if (ps.default_value)
        p.set("default", ps.default_value->is_string() ? ps.default_value->as_string()
                                                       : ir::python_json_text(*ps.default_value));
    }
    for (const auto& [input, field] : field_inputs(c))
      params.push(Node::map()).set("name", input + "--" + field);
    Node arts = Node::seq();
    for (const auto& as : c.inputs.artifacts)
      if (!as.is_list) arts.push(Node::map()).set("name", as.name);
    if (!params.empty()) tmpl.child("inputs").set("parameters", std::move(params));
    if (!arts.empty()) tmpl.child("inputs").set("artifacts", std::move(arts));
  }

  // Exit tasks: a task that runs whatever happened to one group becomes that group's exit hook.
  std::map<std::string, const ir::Task*> hooks;  // group task → exit task
  std::set<std::string> hooked;
  for (const auto& t : c.dag->tasks) {
    if (!is_exit_strategy(t) || t.dependent_tasks.size() != 1) continue;
    const std::string& group = t.dependent_tasks[0];
    const ir::Task* g = c.dag->find_task(group);
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

  Node tasks = Node::seq();
  for (const auto& t : c.dag->tasks) {
    if (hooked.count(t.name)) continue;
    Node task = dag_task(s, t);
    if (auto h = hooks.find(t.name); h != hooks.end()) {
      Node exit = dag_task(s, *h->second);
      Node hook = Node::map();
      hook.set("template", *exit.find("template"));
      if (const Node* args = exit.find("arguments")) hook.set("arguments", *args);
      task.child("hooks").set("exit", std::move(hook));
    }
    tasks.push(std::move(task));
  }
  tmpl.child("dag").set("tasks", std::move(tasks));

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
    } else {
      Node p = Node::map();
      p.set("name", o.name);
      if (from.size() == 1)
        p.child("valueFrom")
            .set("parameter", "{{tasks." + from[0].producer_task + ".outputs.parameters." +
                                  from[0].output_key + "}}");
      else
        p.child("valueFrom").set("expression", choose_expression(from, "parameters"));
      out_params.push(std::move(p));
    }
  }
  if (!out_params.empty()) tmpl.child("outputs").set("parameters", std::move(out_params));
  if (!out_artifacts.empty()) tmpl.child("outputs").set("artifacts", std::move(out_artifacts));
  templates_[slot] = std::move(tmpl);
  return name;
}

Node Lowering::dag_task(const Scope& s, const ir::Task& t) {
  const std::string path = s.path + "/" + t.name;
  const ir::Component* c = component(t.component_ref);
  Node task = Node::map();
  task.set("name", t.name);
  if (!c) return task;
  Call call;
  std::string tmpl_name;
  const bool looped = !t.iterator_item_input.empty();

  if (!c->dag) {
    tmpl_name = leaf_template(s, t, *c, call);
  } else {
    const std::string sub_path = path;
    tmpl_name = dag_template(*c, false, sub_path);
    for (const auto& b : t.parameters) {
      Node a = Node::map();
      a.set("name", b.name);
      a.set("value", param_ref(s, t, b, path + "/inputs/" + b.name));
      call.parameters.push(std::move(a));
    }
    if (looped) {
      Node a = Node::map();
      a.set("name", t.iterator_item_input);
      a.set("value", "{{item}}");
      call.parameters.push(std::move(a));
    }
    for (const auto& ps : c->inputs.parameters)
      if (!ps.default_value && !t.find_parameter(ps.name) && ps.name != t.iterator_item_input)
        cx_.unsupported(path + "/inputs/" + ps.name,
                        "the group's input '" + ps.name +
                            "' is left unset and has no default; Argo needs a value",
                        "pass a value, or give the input a default");
    for (const auto& [input, field] : field_inputs(*c)) {
      Node a = Node::map();
      a.set("name", input + "--" + field);
      if (looped && input == t.iterator_item_input) {
        a.set("value", "{{item." + field + "}}");
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
        a.set("value", "{{inputs.parameters." + b->source + "--" + field + "}}");
      }
      call.parameters.push(std::move(a));
    }
    for (const auto& b : t.artifacts) {
      const ir::ArtifactSpec* spec = c->inputs.find_artifact(b.name);
      if (produced_by_loop_list(s, b) || (spec && spec->is_list)) {
        cx_.unsupported(path + "/inputs/" + b.name,
                        "a list of artifacts collected from a loop is passed into a group",
                        "consume the collected artifacts with a task in the loop's own DAG");
        continue;
      }
      Node a = Node::map();
      a.set("name", b.name);
      if (b.kind == ArtifactBinding::Kind::component_input) {
        if (s.root) {
          cx_.unsupported(path + "/inputs/" + b.name, "pipeline input artifacts have no Argo form",
                          "import the artifact inside the pipeline (an importer)");
          continue;
        }
        a.set("from", "{{inputs.artifacts." + b.source + "}}");
      } else {
        a.set("from", "{{tasks." + b.producer_task + ".outputs.artifacts." + b.source + "}}");
      }
      call.artifacts.push(std::move(a));
    }
  }

  // Loop source.
  Node with_items;
  std::string with_param;
  if (looped && t.iterator_over_artifacts) {
    cx_.unsupported(path, "a loop over a list of artifacts has no Argo form",
                    "loop over a list of parameters (e.g. the artifacts' URIs)");
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
    Node outer_params = Node::seq();
    Node outer_artifacts = Node::seq();
    Node w_params = Node::seq();
    Node w_artifacts = Node::seq();
    Node i_params = Node::seq();
    Node i_artifacts = Node::seq();
    for (const auto& a : call.parameters.items()) {
      const std::string& v = a.find("value")->str();
      if (v.find("{{item") != std::string::npos) {
        i_params.push(a);
        continue;
      }
      const std::string& n = a.find("name")->str();
      w_params.push(Node::map()).set("name", n);
      outer_params.push(a);
      Node x = Node::map();
      x.set("name", n);
      x.set("value", "{{inputs.parameters." + n + "}}");
      i_params.push(std::move(x));
    }
    for (const auto& a : call.artifacts.items()) {
      const std::string& n = a.find("name")->str();
      w_artifacts.push(Node::map()).set("name", n);
      outer_artifacts.push(a);
      Node x = Node::map();
      x.set("name", n);
      x.set("from", "{{inputs.artifacts." + n + "}}");
      i_artifacts.push(std::move(x));
    }
    if (!with_param.empty()) {
      w_params.push(Node::map()).set("name", "kfpp-items");
      Node x = Node::map();
      x.set("name", "kfpp-items");
      x.set("value", with_param);
      outer_params.push(std::move(x));
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

  task.set("template", tmpl_name);
  Node args = Node::map();
  if (!call.parameters.empty()) args.set("parameters", std::move(call.parameters));
  if (!call.artifacts.empty()) args.set("artifacts", std::move(call.artifacts));
  if (!args.empty()) task.set("arguments", std::move(args));

  // Dependencies: what the task waits for and what it reads, within this DAG.
  std::vector<std::string> deps;
  for (const auto& d : upstream_tasks(t)) {
    if (!s.dag->dag->find_task(d)) continue;
    deps.push_back(
        is_exit_strategy(t) ? "(" + d + ".Succeeded || " + d + ".Failed || " + d + ".Errored)" : d);
  }
  if (!deps.empty()) {
    std::string depends;
    for (const auto& d : deps) depends += (depends.empty() ? "" : " && ") + d;
    task.set("depends", depends);
  }
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
    std::string when = when_expression(cx_, t.trigger_condition, operand, path + "/condition");
    if (!when.empty()) task.set("when", when);
  }
  if (!with_param.empty()) task.set("withParam", with_param);
  if (with_items.kind() != Node::Kind::null) task.set("withItems", std::move(with_items));
  return task;
}

// --- the workflow --------------------------------------------------------------------------

Node Lowering::run() {
  find_loops(p_.root, false);
  const std::string entry = dag_template(p_.root, true, p_.name);
  if (templates_.size() > kMaxTemplates)
    cx_.unsupported(p_.name,
                    "the workflow needs " + std::to_string(templates_.size()) +
                        " templates; Argo takes at most " + std::to_string(kMaxTemplates),
                    "use fewer distinct components (identical tasks share one template)",
                    "kfpp.argo_limit");

  const ArgoOptions& o = cx_.options;
  Node spec = Node::map();
  spec.set("entrypoint", entry);
  Node params = Node::seq();
  for (const auto& ps : p_.root.inputs.parameters) {
    Node a = Node::map();
    a.set("name", ps.name);
    if (ps.default_value) {
      const std::string v = ps.default_value->is_string() ? ps.default_value->as_string()
                                                          : ir::python_json_text(*ps.default_value);
      check_literal(cx_, v, p_.name + "/inputs/" + ps.name);
      a.set("value", v);
    }
    params.push(std::move(a));
  }
  for (const auto& as : p_.root.inputs.artifacts)
    cx_.unsupported(p_.name + "/inputs/" + as.name, "pipeline input artifacts have no Argo form",
                    "import the artifact inside the pipeline (an importer)");
  if (!params.empty()) spec.child("arguments").set("parameters", std::move(params));
  if (!o.service_account.empty()) spec.set("serviceAccountName", o.service_account);
  if (!o.artifact_repository_config_map.empty()) {
    Node& ref = spec.child("artifactRepositoryRef");
    ref.set("configMap", o.artifact_repository_config_map);
    if (!o.artifact_repository_key.empty()) ref.set("key", o.artifact_repository_key);
  }
  if (!pull_secrets_.empty()) {
    Node& l = spec.set("imagePullSecrets", Node::seq());
    for (const auto& n : pull_secrets_) l.push(Node::map()).set("name", n);
  }
  // The pipeline's own run settings apply where the options leave a field unset.
  ArgoTtl ttl_options = o.ttl;
  std::int64_t deadline = o.active_deadline_seconds;
  if (const auto& pc = p_.config) {
    if (deadline <= 0 && pc->active_deadline_seconds > 0) deadline = pc->active_deadline_seconds;
    auto from_config = [](std::int64_t& slot, std::int64_t v) {
      if (slot < 0 && v > 0) slot = v;
    };
    from_config(ttl_options.seconds_after_completion, pc->resource_ttl_on_completion);
    from_config(ttl_options.seconds_after_success, pc->resource_ttl_on_success);
    from_config(ttl_options.seconds_after_failure, pc->resource_ttl_on_failure);
    if (pc->workspace)
      cx_.unsupported(p_.name + "/workspace",
                      "the pipeline workspace (a claim shared by every task) has no Argo form "
                      "in kfpp",
                      "mount a PVC created with CreatePVC instead of the workspace");
  }
  if (deadline > 0) spec.set("activeDeadlineSeconds", deadline);
  if (o.parallelism > 0) spec.set("parallelism", o.parallelism);
  if (ttl_options.seconds_after_completion >= 0 || ttl_options.seconds_after_success >= 0 ||
      ttl_options.seconds_after_failure >= 0) {
    Node& ttl = spec.child("ttlStrategy");
    if (ttl_options.seconds_after_completion >= 0)
      ttl.set("secondsAfterCompletion", ttl_options.seconds_after_completion);
    if (ttl_options.seconds_after_success >= 0)
      ttl.set("secondsAfterSuccess", ttl_options.seconds_after_success);
    if (ttl_options.seconds_after_failure >= 0)
      ttl.set("secondsAfterFailure", ttl_options.seconds_after_failure);
  }
  if (!o.pod_gc.empty()) spec.child("podGC").set("strategy", o.pod_gc);
  Node& list = spec.set("templates", Node::seq());
  for (auto& t : templates_) list.push(std::move(t));

  Node doc = Node::map();
  doc.set("apiVersion", "argoproj.io/v1alpha1");
  const char* kind = o.kind == ArgoKind::workflow            ? "Workflow"
                     : o.kind == ArgoKind::workflow_template ? "WorkflowTemplate"
                                                             : "CronWorkflow";
  doc.set("kind", kind);
  Node& md = doc.child("metadata");
  const std::string base = o.name.empty() ? p_.name : o.name;
  if (o.kind == ArgoKind::workflow && o.name.empty())
    md.set("generateName", dns_name(base, 57) + "-");
  else
    md.set("name", dns_name(base, o.kind == ArgoKind::cron_workflow ? 52 : 63));
  if (!o.namespace_.empty()) md.set("namespace", o.namespace_);
  Node labels = Node::map();
  for (const auto& [k, v] : o.labels) labels.set(k, v);
  if (!labels.empty()) md.set("labels", std::move(labels));
  Node annotations = Node::map();
  if (!p_.display_name.empty()) annotations.set("kfpp.dev/display-name", p_.display_name);
  if (!p_.description.empty()) annotations.set("kfpp.dev/description", p_.description);
  for (const auto& [k, v] : o.annotations) annotations.set(k, v);
  if (!annotations.empty()) md.set("annotations", std::move(annotations));

  if (o.kind == ArgoKind::cron_workflow) {
    Node cron = Node::map();
    Node& schedules = cron.set("schedules", Node::seq());
    for (const auto& sch : o.cron.schedules) schedules.push(sch);
    if (!o.cron.timezone.empty()) cron.set("timezone", o.cron.timezone);
    if (!o.cron.concurrency_policy.empty())
      cron.set("concurrencyPolicy", o.cron.concurrency_policy);
    if (o.cron.starting_deadline_seconds >= 0)
      cron.set("startingDeadlineSeconds", o.cron.starting_deadline_seconds);
    cron.set("workflowSpec", std::move(spec));
    doc.set("spec", std::move(cron));
  } else {
    doc.set("spec", std::move(spec));
  }
  return doc;
}

// --- options -------------------------------------------------------------------------------

bool label_part_ok(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(s.front())) &&
         std::isalnum(static_cast<unsigned char>(s.back()));
}

bool label_key_ok(const std::string& key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string::npos) return label_part_ok(key, 63);
  const std::string prefix = key.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253 || prefix != dns_name(prefix, 253)) {
    // A prefix is a DNS subdomain: labels separated by dots.
    for (char c : prefix)
      if (!(std::islower(static_cast<unsigned char>(c)) ||
            std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'))
        return false;
  }
  return label_part_ok(key.substr(slash + 1), 63);
}

void check_options(Context& cx, const std::string& where) {
  const ArgoOptions& o = cx.options;
  auto bad = [&](const std::string& field, const std::string& what, const std::string& fix) {
    cx.unsupported(where + "/" + field, what, fix, "kfpp.invalid_option");
  };
  for (const auto& [k, v] : o.labels) {
    if (!label_key_ok(k))
      bad("labels/" + k, "'" + k + "' is not a label key",
          "use [prefix/]name, name of at most 63 of [A-Za-z0-9-_.]");
    if (!v.empty() && !label_part_ok(v, 63))
      bad("labels/" + k, "'" + v + "' is not a label value",
          "use at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric");
  }
  for (const auto& [k, v] : o.annotations)
    if (!label_key_ok(k))
      bad("annotations/" + k, "'" + k + "' is not an annotation key", "use [prefix/]name");
  if (!o.namespace_.empty() && dns_name(o.namespace_, 63) != o.namespace_)
    bad("namespace", "'" + o.namespace_ + "' is not a namespace name", "use a DNS-1123 label");
  if (!o.pod_gc.empty() && o.pod_gc != "OnPodCompletion" && o.pod_gc != "OnPodSuccess" &&
      o.pod_gc != "OnWorkflowCompletion" && o.pod_gc != "OnWorkflowSuccess")
    bad("podGC", "unknown pod GC strategy '" + o.pod_gc + "'",
        "use OnPodCompletion, OnPodSuccess, OnWorkflowCompletion or OnWorkflowSuccess");
  if (o.collected_artifact_store != "s3" && o.collected_artifact_store != "gcs")
    bad("collectedArtifactStore", "unknown artifact store '" + o.collected_artifact_store + "'",
        "use s3 or gcs, the kind of the configured artifact repository");
  if (o.active_deadline_seconds < 0)
    bad("activeDeadlineSeconds", "a negative timeout", "use seconds > 0");
  if (o.parallelism < 0)
    bad("parallelism", "a negative parallelism", "use a count > 0, or 0 for none");
  if (o.kind != ArgoKind::cron_workflow) return;
  if (o.cron.schedules.empty())
    bad("cron/schedules", "a cron workflow without a schedule",
        "give a five-field cron expression");
  for (const auto& sch : o.cron.schedules) {
    int fields = 0;
    bool in = false;
    for (char c : sch) {
      if (c == ' ' || c == '\t') {
        in = false;
      } else if (!in) {
        in = true;
        ++fields;
      }
    }
    const bool macro = !sch.empty() && sch.front() == '@';
    if (!macro && fields != 5)
      bad("cron/schedules", "'" + sch + "' is not a five-field cron expression",
          "write minute hour day-of-month month day-of-week, e.g. '0 3 * * *'");
  }
  const std::string& cp = o.cron.concurrency_policy;
  if (!cp.empty() && cp != "Allow" && cp != "Forbid" && cp != "Replace")
    bad("cron/concurrencyPolicy", "unknown concurrency policy '" + cp + "'",
        "use Allow, Forbid or Replace");
}

}  // namespace
}  // namespace detail::argo

std::string emit_argo(const ir::Pipeline& pipeline, const ArgoOptions& options) {
  // The lowering descends into nested DAGs: refuse component cycles and runaway nesting first.
  std::vector<Diagnostic> bounds;
  if (!kfpp::detail::check_bounds(pipeline, bounds)) throw ValidationError(std::move(bounds));
  ir::Pipeline p = pipeline;
  detail::argo::Context cx{p, options, {}};
  detail::argo::check_options(cx, p.name + "/argo");
  detail::argo::integer_parameters_as_integers(p);
  detail::argo::split_large_dags(cx, p);
  detail::Node doc;
  if (cx.problems.empty()) {
    detail::argo::Lowering lowering(cx, p);
    doc = lowering.run();
  }
  if (!cx.problems.empty()) throw ValidationError(std::move(cx.problems));
  detail::YamlWriter w;
  doc.write(w);
  std::string text = w.take();
  if (options.max_object_bytes != 0 && text.size() > options.max_object_bytes) {
    const auto mib = [](std::size_t b) {
      return std::to_string(b / 1048576) + "." + std::to_string(b % 1048576 * 10 / 1048576);
    };
    throw ValidationError(
        {{"kfpp.argo_too_large", p.name + "/argo",
          "the Argo resource is " + std::to_string(text.size()) + " bytes (" + mib(text.size()) +
              " MiB), over the " + std::to_string(options.max_object_bytes) +
              "-byte limit of one Kubernetes object (etcd's request limit)",
          "split the pipeline into smaller ones, move large inline text (Python "
          "sources, scripts) into images or artifacts, or raise the limit "
          "(ArgoOptions::max_object_bytes, kfpp convert --max-bytes) when the "
          "cluster's etcd accepts larger requests"}});
  }
  return text;
}

std::string compile_argo(const ir::Pipeline& pipeline, const ArgoOptions& options) {
  ir::validate(pipeline);
  return emit_argo(pipeline, options);
}

void compile_argo_to_file(const ir::Pipeline& pipeline, const ArgoOptions& options,
                          const std::string& path) {
  write_file_atomically(path, compile_argo(pipeline, options));
}

}  // namespace kfpp
