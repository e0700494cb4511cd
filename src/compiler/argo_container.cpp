// SPDX-License-Identifier: Apache-2.0
// Argo lowering: the container template of an executor, as one task calls it.

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "argo_launcher.hpp"
#include "ir/json_text.hpp"
#include "runner/python_component.hpp"

#include "argo_lowering.hpp"

namespace kfpp::detail::argo {

namespace {

void replace_in(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string quantity(double v, bool memory) {
  std::string s = ir::python_float_text(v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return memory ? s + "G" : s;
}

// The SDK's lightweight component (`pip install kfp…`, then `python3 -m kfp.dsl.executor_main`
// on the module given as the command's last element) as a function kfpp's launcher runs, when
// nothing it asks for needs the real KFP runtime (no package built on the SDK) and its package
// indexes are read exactly: one `--index-url`, then any `--extra-index-url` and `--trusted-host`,
// the same on every pip line, each value a word the shell reads as itself.
std::optional<ir::PythonFunction> sdk_python_function(const ir::ContainerSpec& spec) {
  const std::optional<PythonComponent> pc = python_component(spec);
  if (!pc || !pc->pip_options_exact) return std::nullopt;
  for (const auto& a : spec.command)
    if (a.kind != ir::Arg::Kind::text) return std::nullopt;
  for (const auto& pkg : pc->packages) {
    const std::string name = import_name(pkg);
    if (name.rfind("kfp", 0) == 0 || name.rfind("google_cloud_pipeline_components", 0) == 0)
      return std::nullopt;
  }
  ir::PythonFunction fn;
  std::vector<std::string> hosts;
  for (std::size_t i = 0; i + 1 < pc->pip_options.size(); i += 2) {
    const std::string& flag = pc->pip_options[i];
    const std::string& value = pc->pip_options[i + 1];
    if (flag == "--trusted-host") {
      hosts.push_back(value);
    } else if ((flag == "--index-url" || flag == "-i") == fn.pip_index_urls.empty() &&
               hosts.empty()) {
      // The launcher writes the first index as `--index-url`, the others as extra indexes,
      // then the trusted hosts: the same options only when the command has them in that order.
      fn.pip_index_urls.push_back(value);
    } else {
      return std::nullopt;
    }
  }
  if (!hosts.empty() && fn.pip_index_urls.empty()) return std::nullopt;
  fn.pip_trusted_hosts = std::move(hosts);
  fn.source = pc->module;
  fn.function_name = pc->function_name;
  fn.packages = pc->packages;
  return fn;
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

}  // namespace

std::string list_wrapper_script(const std::set<std::string>& inputs) {
  // The entries of the input's directory, sorted by name (the shell's glob order).
  std::string s =
      "kfpp_list() {\n"
      "  out=''\n"
      "  for f in \"$1\"/*; do\n"
      "    [ -e \"$f\" ] || continue\n"
      "    out=\"$out${out:+, }{\\\"name\\\": \\\"${f##*/}\\\", \\\"uri\\\": \\\"$f\\\", "
      "\\\"metadata\\\": {}}\"\n"
      "  done\n"
      "  printf '[%s]' \"$out\"\n"
      "}\n";
  std::size_t i = 0;
  for (const auto& in : inputs)
    s += "l" + std::to_string(i++) + "=$(kfpp_list " + shell_quoted(input_path(in)) + ")\n";
  s += "for a do\n"
       "  shift\n"
       "  while :; do\n"
       "    case $a in\n";
  i = 0;
  for (const auto& in : inputs) {
    const std::string m = shell_quoted(list_marker(in));
    s += "      *" + m + "*) a=${a%%" + m + "*}$l" + std::to_string(i++) + "${a#*" + m + "} ;;\n";
  }
  s += "      *) break ;;\n"
       "    esac\n"
       "  done\n"
       "  set -- \"$@\" \"$a\"\n"
       "done\n"
       "exec \"$@\"\n";
  return s;
}

// --- artifact metadata -----------------------------------------------------------------------

namespace {

bool arg_names(const ir::Arg& a, const std::string& placeholder) {
  if (a.text.find(placeholder) != std::string::npos || a.text.find("{{$}}") != std::string::npos)
    return true;
  for (const auto& x : a.items)
    if (arg_names(x, placeholder)) return true;
  for (const auto& x : a.otherwise)
    if (arg_names(x, placeholder)) return true;
  return false;
}

// Whether Python source names `<name>.metadata` (`name` a whole identifier).
bool names_metadata(const std::string& source, const std::string& name) {
  const std::string attribute = name + ".metadata";
  for (std::size_t at = source.find(attribute); at != std::string::npos;
       at = source.find(attribute, at + 1)) {
    const char before = at == 0 ? ' ' : source[at - 1];
    if (!std::isalnum(static_cast<unsigned char>(before)) && before != '_' && before != '.')
      return true;
  }
  return false;
}

}  // namespace

bool Lowering::leaf_reads_metadata(const ir::Component& c, const std::string& input) {
  const ir::Executor* e = executor(c.executor_label);
  if (!e || !e->container) return false;
  const ir::ContainerSpec& spec = *e->container;
  // A Python function reads it as its argument's `.metadata` (the argument named as the input).
  if (spec.python) return names_metadata(spec.python->source, input);
  if (std::optional<ir::PythonFunction> fn = sdk_python_function(spec))
    return names_metadata(fn->source, input);
  const std::string placeholder = "{{$.inputs.artifacts['" + input + "'].metadata}}";
  for (const auto* list : {&spec.command, &spec.args})
    for (const auto& a : *list)
      if (arg_names(a, placeholder)) return true;
  for (const auto& env : spec.env)
    if (env.value.find(placeholder) != std::string::npos ||
        env.value.find("{{$}}") != std::string::npos)
      return true;
  return false;
}

bool Lowering::writes_metadata(const ir::Component& c, const std::string& output) {
  const ir::ArtifactSpec* spec = c.outputs.find_artifact(output);
  if (!spec || spec->is_list) return false;
  if (c.dag) {
    // A group carries it when every source of the output gives it.
    for (const auto& o : c.dag->outputs) {
      if (o.name != output || !o.is_artifact) continue;
      std::vector<ir::OutputSelector> from = o.oneof;
      if (from.empty()) from.push_back({o.producer_task, o.output_key});
      for (const auto& src : from) {
        const ir::Task* t = c.dag->find_task(src.producer_task);
        const ir::Component* sc = t ? component(t->component_ref) : nullptr;
        if (!sc || !t->iterator_item_input.empty() || !writes_metadata(*sc, src.output_key))
          return false;
      }
      return true;
    }
    return false;
  }
  const ir::Executor* e = executor(c.executor_label);
  if (!e) return false;
  // An importer keeps the metadata it is given as its output parameter `<name>-metadata`.
  if (e->importer)
    return e->importer->metadata.has_value() &&
           (c.outputs.artifacts.empty() ? std::string("artifact") : c.outputs.artifacts[0].name) ==
               output;
  if (!e->container) return false;
  // kfpp's launcher reports what the function set (the executor output, split per artifact).
  const ir::ContainerSpec& cs = *e->container;
  if (cs.python || sdk_python_function(cs)) return true;
  // A container that reads `{{$}}` may write KFP's executor output, split after it the same way.
  if (cs.command.empty()) return false;
  for (const auto* list : {&cs.command, &cs.args})
    for (const auto& a : *list)
      if (arg_names(a, "{{$}}")) return true;
  return false;
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

std::optional<Node> Lowering::container_template(const ir::Interface& in_defs,
                                                 const ir::Interface& out_defs,
                                                 const ir::Executor& exec, const LeafFacts& f,
                                                 const std::string& path, const TaskReads& reads) {
  const ir::ContainerSpec& spec = *exec.container;
  Node tmpl = Node::map();
  Node inputs = Node::map();
  Node in_params = Node::seq();
  Node in_artifacts = Node::seq();
  std::map<std::string, std::string> params;  // input → Argo text inside the template
  std::set<std::string> present;
  input_metadata_.clear();

  // Parameters: the task's, then the component's defaults.
  std::set<std::string> inlined;  // constants only the pod can resolve, written in place
  for (const auto& p : f.parameters) {
    present.insert(p.name);
    if (p.inlined) {
      params[p.name] = *p.inlined;
      inlined.insert(p.name);
      continue;
    }
    in_params.push(Node::map()).set("name", p.name);
    params[p.name] = cat({"{{inputs.parameters.", p.name, "}}"});
  }
  for (const auto& ps : in_defs.parameters) {
    if (present.count(ps.name) || !ps.default_value) continue;
    Node p = Node::map();
    p.set("name", ps.name);
    p.set("default", ps.default_value->is_string() ? ps.default_value->as_string()
                                                   : ir::python_json_text(*ps.default_value));
    in_params.push(std::move(p));
    params[ps.name] = cat({"{{inputs.parameters.", ps.name, "}}"});
    present.insert(ps.name);
  }
  using Form = LeafFacts::Artifact::Form;
  for (std::size_t i = 0; i < in_defs.artifacts.size(); ++i) {
    const ir::ArtifactSpec& as = in_defs.artifacts[i];
    const LeafFacts::Artifact& fact = f.artifacts[i];
    if (fact.form == Form::unbound) continue;
    present.insert(as.name);
    if (fact.form == Form::list_refused) continue;
    Node a = Node::map();
    a.set("name", as.name);
    a.set("path", input_path(as.name));
    if (fact.form == Form::list_key || fact.form == Form::list_key_input) {
      std::string key = fact.key;
      if (fact.form == Form::list_key_input) {
        in_params.push(Node::map()).set("name", as.name + "-key");
        key = "{{inputs.parameters." + as.name + "-key}}";
      }
      a.child(cx_.options.collected_artifact_store == "gcs" ? "gcs" : "s3").set("key", key);
      in_artifacts.push(std::move(a));
      continue;
    }
    in_artifacts.push(std::move(a));
    if (fact.form == Form::file_with_metadata) {
      in_params.push(Node::map()).set("name", as.name + "-metadata");
      input_metadata_[as.name] = "{{inputs.parameters." + as.name + "-metadata}}";
    }
  }

  // Outputs, in one directory every pod has (an empty-dir volume), so programs need not make it.
  Node outputs = Node::map();
  Node out_params = Node::seq();
  Node out_artifacts = Node::seq();
  for (const auto& ps : out_defs.parameters) {
    Node o = Node::map();
    o.set("name", ps.name);
    o.child("valueFrom").set("path", output_path(ps.name));
    out_params.push(std::move(o));
  }
  for (std::size_t i = 0; i < out_defs.artifacts.size(); ++i) {
    const ir::ArtifactSpec& as = out_defs.artifacts[i];
    Node o = Node::map();
    o.set("name", as.name);
    o.set("path", output_path(as.name));
    const std::vector<std::string>* prefixes = f.collected[i];
    if (!prefixes) {
      out_artifacts.push(std::move(o));
      continue;
    }
    // Collected: stored under each list's prefix it belongs to, at the pod's name (a second
    // list, an outer loop's flat one, gets a copy: an output has one key).
    for (std::size_t k = 0; k < prefixes->size(); ++k) {
      Node copy = Node::map();
      copy.set("name", k == 0 ? as.name : as.name + "-kfpp-copy-" + std::to_string(k));
      copy.set("path", output_path(as.name));
      copy.child(cx_.options.collected_artifact_store == "gcs" ? "gcs" : "s3")
          .set("key", (*prefixes)[k] + "/{{pod.name}}");
      copy.child("archive").set("none", Node::map());
      out_artifacts.push(std::move(copy));
    }
  }
  // The run ids of the DAGs above whose lists these output keys read.
  if (f.iteration)
    for (const auto& param : *f.iteration) in_params.push(Node::map()).set("name", param);
  // The metadata of outputs a consumer reads: a file the pod writes (kfpp's launcher splits it
  // from its executor output), `{}` when it writes none.
  std::vector<std::pair<std::string, std::string>> metadata_files;
  for (std::size_t i = 0; i < out_defs.artifacts.size(); ++i) {
    const ir::ArtifactSpec& as = out_defs.artifacts[i];
    if (!f.metadata_out[i]) continue;
    const std::string name = as.name + "-metadata";
    metadata_files.emplace_back(as.name, output_path(name));
    Node o = Node::map();
    o.set("name", name);
    Node& from = o.child("valueFrom");
    from.set("path", output_path(name));
    from.set("default", "{}");
    out_params.push(std::move(o));
  }

  // The executor input (`{{$}}`), for containers that read it: KFP's shape, with local paths.
  const LazyText executor_input([&] {
    Node ei = Node::map();
    Node& in = ei.child("inputs");
    Node& values = in.child("parameterValues");
    for (const auto& [name, ref] : params) {
      const ir::ParameterSpec* ps = in_defs.find_parameter(name);
      const bool text = !ps || ps->type == ir::ParameterType::string;
      values.set(name, text ? "\x01" + name : "\x02" + name);
    }
    Node& ia = in.child("artifacts");
    for (const auto& as : in_defs.artifacts) {
      if (!present.count(as.name)) continue;
      Node one = Node::map();
      one.set("name", as.name);
      one.child("type").set("schemaTitle", as.type.schema_title);
      one.set("uri", input_path(as.name));
      if (input_metadata_.count(as.name))
        one.set("metadata", "\x03" + as.name);
      else
        one.set("metadata", Node::map());
      ia.child(as.name).child("artifacts", Node::Kind::seq).push(std::move(one));
    }
    Node& out = ei.child("outputs");
    for (const auto& ps : out_defs.parameters)
      out.child("parameters").child(ps.name).set("outputFile", output_path(ps.name));
    for (const auto& as : out_defs.artifacts) {
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
    // Input metadata (JSON) goes in as the Argo variable of its parameter.
    for (const auto& [name, ref] : input_metadata_)
      replace_in(text, "\"\\u0003" + name + "\"", ref);
    // Parameter values go in as Argo variables: JSON text as is, strings through toJson.
    for (const auto& [name, ref] : params) {
      if (inlined.count(name)) {
        std::string quoted;
        detail::append_json_string(quoted, ref);
        replace_in(text, "\"\\u0001" + name + "\"", quoted);
        continue;
      }
      replace_in(text, "\"\\u0001" + name + "\"", "{{=toJson(inputs.parameters['" + name + "'])}}");
      replace_in(text, "\"\\u0002" + name + "\"", ref);
    }
    return text;
  });

  Node container = Node::map();
  container.set("image",
                translate(spec.image, params, in_defs, reads, path + "/image", executor_input));
  // A Python component, built in C++ or written by the SDK, runs with kfpp's launcher.
  std::optional<ir::PythonFunction> from_sdk;
  if (!spec.python) from_sdk = sdk_python_function(spec);
  if (spec.python || from_sdk) {
    const ir::PythonFunction& fn = spec.python ? *spec.python : *from_sdk;
    if (!check_literal(cx_, fn.source, path + "/python")) return std::nullopt;
    Node& cmd = container.set("command", Node::seq());
    for (auto& part : argo_python_command(fn, output_path("executor_output.json"), metadata_files))
      cmd.push(std::move(part));
    Node& args = container.set("args", Node::seq());
    args.push("--function");
    args.push(fn.function_name);
    for (const auto& ps : in_defs.parameters) {
      if (!present.count(ps.name)) continue;
      args.push("--param");
      args.push(ps.name);
      args.push(ir::to_string(ps.type));
      args.push(params[ps.name]);
    }
    for (const auto& as : in_defs.artifacts) {
      if (!present.count(as.name)) continue;
      args.push(as.is_list ? "--artifact-list" : "--artifact");
      args.push(as.name);
      args.push(input_path(as.name));
      if (auto it = input_metadata_.find(as.name); it != input_metadata_.end()) {
        args.push("--artifact-metadata");
        args.push(as.name);
        args.push(it->second);
      }
    }
    for (const auto& ps : out_defs.parameters) {
      args.push("--output-param");
      args.push(ps.name);
      args.push(ir::to_string(ps.type));
      args.push(output_path(ps.name));
    }
    for (const auto& as : out_defs.artifacts) {
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
        const std::string where = cat({path, "/", key, "/", std::to_string(i)});
        if (a.kind == ir::Arg::Kind::text && !check_literal(cx_, a.text, where)) continue;
        if (a.kind == ir::Arg::Kind::if_present) {
          // Whether the input is given is known here, for this task.
          const auto& chosen = present.count(a.input_name) ? a.items : a.otherwise;
          for (const auto& x : chosen)
            l.push(arg_text(x, params, present, in_defs, reads, where, executor_input));
          continue;
        }
        l.push(arg_text(a, params, present, in_defs, reads, where, executor_input));
      }
    };
    lists_read_.clear();
    lists_allowed_ = true;
    list("command", spec.command);
    list("args", spec.args);
    lists_allowed_ = false;
    if (!lists_read_.empty()) {
      // The list placeholders: a shell wrapper lists the collected artifacts when the pod runs
      // and puts their JSON into the arguments, then runs the container's own command.
      if (spec.command.empty()) {
        cx_.unsupported(path + "/args",
                        "a list placeholder needs the container's command: the wrapper that "
                        "writes the list runs it",
                        "give the container a command (its image's entrypoint)");
      } else {
        Node cmd = Node::seq();
        cmd.push("sh");
        cmd.push("-c");
        cmd.push(list_wrapper_script(lists_read_));
        cmd.push("kfpp-list");
        for (const auto& part : container.find("command")->items()) cmd.push(part);
        container.set("command", std::move(cmd));
      }
    }
    if (!metadata_files.empty()) {
      // The container writes KFP's executor output (it reads `{{$}}`): after it, a wrapper
      // splits the metadata of each output a consumer reads from it, where the image has
      // python3 (else the outputs' metadata is the default, `{}`).
      Node cmd = Node::seq();
      cmd.push("sh");
      cmd.push("-c");
      cmd.push("\"$@\" || exit\nif command -v python3 >/dev/null 2>&1; then\n  exec " +
               metadata_split_command(output_path("executor_output.json"), metadata_files) +
               "\nfi\n");
      cmd.push("kfpp-metadata");
      for (const auto& part : container.find("command")->items()) cmd.push(part);
      container.set("command", std::move(cmd));
    }
  }
  if (!spec.env.empty()) {
    Node& env = container.set("env", Node::seq());
    for (const auto& e : spec.env) {
      if (!check_literal(cx_, e.value, path + "/env/" + e.name)) continue;
      Node v = Node::map();
      v.set("name", e.name);
      v.set("value",
            translate(e.value, params, in_defs, reads, path + "/env/" + e.name, executor_input));
      env.push(std::move(v));
    }
  }
  // Resources: the string fields (which may read parameters), else the old numeric ones. A value
  // read at run time is no quantity the CRD accepts, and a resource name read at run time is a
  // map key: those go into a pod spec patch of the `main` container, resolved before it applies.
  const ir::Resources& r = spec.resources;
  Node limits = Node::map();
  Node requests = Node::map();
  Node late_limits = Node::map();
  Node late_requests = Node::map();
  auto put = [&](Node& into, Node& late, const std::string& key, const std::string& text) {
    const std::string v =
        translate(text, params, in_defs, reads, path + "/resources", executor_input);
    if (v.find("{{") != std::string::npos || key.find("{{") != std::string::npos)
      late.set(key, v);
    else
      into.set(key, v);
  };
  auto q = [&](Node& into, Node& late, const char* key, const std::string& text,
               std::optional<double> old, bool memory) {
    if (!text.empty())
      put(into, late, key, text);
    else if (old)
      into.set(key, quantity(*old, memory));
  };
  q(limits, late_limits, "cpu", r.resource_cpu_limit, r.cpu_limit, false);
  q(limits, late_limits, "memory", r.resource_memory_limit, r.memory_limit, true);
  q(requests, late_requests, "cpu", r.resource_cpu_request, r.cpu_request, false);
  q(requests, late_requests, "memory", r.resource_memory_request, r.memory_request, true);
  if (r.accelerator) {
    std::string type =
        !r.accelerator->resource_type.empty() ? r.accelerator->resource_type : r.accelerator->type;
    if (type.find("{{") != std::string::npos)
      type =
          translate(type, params, in_defs, reads, path + "/resources/accelerator", executor_input);
    if (!r.accelerator->resource_count.empty())
      put(limits, late_limits, type, r.accelerator->resource_count);
    else if (type.find("{{") != std::string::npos)
      late_limits.set(type, r.accelerator->count.value_or(1));
    else
      limits.set(type, r.accelerator->count.value_or(1));
  }
  if (!limits.empty() || !requests.empty()) {
    Node& res = container.child("resources");
    if (!limits.empty()) res.set("limits", std::move(limits));
    if (!requests.empty()) res.set("requests", std::move(requests));
  }
  std::string resources_patch;  // a podSpecPatch field
  if (!late_limits.empty() || !late_requests.empty()) {
    Node main = Node::map();
    main.set("name", "main");
    Node& res = main.child("resources");
    if (!late_limits.empty()) res.set("limits", std::move(late_limits));
    if (!late_requests.empty()) res.set("requests", std::move(late_requests));
    resources_patch = "\"containers\":[";
    main.append_json(resources_patch);
    resources_patch += "]";
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
    reads.give(name, b);
    return "{{inputs.parameters." + name + "}}";
  };
  apply_kubernetes(cx_, exec, tmpl, runtime, reads.is_list, pull_secrets_, path);
  if (!resources_patch.empty()) {
    Node* patch = tmpl.find("podSpecPatch");
    if (patch)
      *patch = patch->str().substr(0, patch->str().size() - 1) + "," + resources_patch + "}";
    else
      tmpl.set("podSpecPatch", "{" + resources_patch + "}");
  }
  mount_workspace(tmpl);

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

  if (f.retry) {
    const ir::RetryPolicy& rp = *f.retry;
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

  // A task whose artifacts a loop collects is not memoized either: a cached run stores nothing
  // under this run's prefix, and the list would miss its artifact.
  bool collected = false;
  for (const auto* prefixes : f.collected)
    if (prefixes) collected = true;
  if (!cx_.options.memoize_config_map.empty() && f.enable_cache && in_defs.artifacts.empty() &&
      !collected) {
    std::string key = "'" + reads.component_name() + "'";
    if (!f.cache_key.empty()) {
      key += " + '\\n' + '" + f.cache_key + "'";
    } else {
      for (const auto& [name, ref] : params)
        if (!inlined.count(name)) key += " + '\\n' + inputs.parameters['" + name + "']";
    }
    Node& memo = tmpl.child("memoize");
    memo.set("key", "{{=sprig.sha256sum(" + key + ")}}");
    memo.child("cache").child("configMap").set("name", cx_.options.memoize_config_map);
    if (!cx_.options.memoize_max_age.empty()) memo.set("maxAge", cx_.options.memoize_max_age);
  }
  return tmpl;
}

}  // namespace kfpp::detail::argo
