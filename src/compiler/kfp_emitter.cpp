// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/json_text.hpp"
#include "kfp_dag.hpp"
#include "kfp_header.hpp"
#include "kfp_platform.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/version.hpp"
#include "name_order.hpp"
#include "python_launcher.hpp"
#include "text_memo.hpp"
#include "yaml_writer.hpp"

namespace kfpp {

namespace {

using detail::many_by_name;
using detail::sorted_by_name;
using detail::TextMemo;
using detail::YamlWriter;

void append_arg_json(std::string& out, const ir::Arg& a);

void append_arg_list_json(std::string& out, const std::vector<ir::Arg>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ", ";
    append_arg_json(out, list[i]);
  }
  out += ']';
}

// The JSON form KFP uses for structured placeholders, nested ones included.
void append_arg_json(std::string& out, const ir::Arg& a) {
  switch (a.kind) {
    case ir::Arg::Kind::text:
      detail::append_json_string(out, a.text);
      return;
    case ir::Arg::Kind::concat:
      out += "{\"Concat\": ";
      append_arg_list_json(out, a.items);
      out += '}';
      return;
    case ir::Arg::Kind::if_present:
      out += "{\"IfPresent\": {\"InputName\": ";
      detail::append_json_string(out, a.input_name);
      out += ", \"Then\": ";
      if (a.then_single && a.items.size() == 1)
        append_arg_json(out, a.items.front());
      else
        append_arg_list_json(out, a.items);
      if (a.has_otherwise) {
        out += ", \"Else\": ";
        if (a.else_single && a.otherwise.size() == 1)
          append_arg_json(out, a.otherwise.front());
        else
          append_arg_list_json(out, a.otherwise);
      }
      out += "}}";
      return;
  }
}

void write_string_list(YamlWriter& w, detail::Word key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  w.word_key(key);
  w.begin_seq();
  for (const auto& s : items) w.string(s);
  w.end_seq();
}

void write_artifact_type(YamlWriter& w, detail::Word key, const ir::ArtifactType& t) {
  w.word_key(key);
  w.begin_map();
  w.word_entry("schemaTitle", t.schema_title);
  w.word_entry("schemaVersion", t.schema_version);
  w.end_map();
}

void write_interface(YamlWriter& w, detail::Word key, const ir::Interface& itf) {
  if (itf.empty()) return;
  w.word_key(key);
  w.begin_map();
  if (!itf.artifacts.empty()) {
    w.word_key("artifacts");
    w.begin_map();
    for (const auto* a : sorted_by_name(itf.artifacts)) {
      w.key(a->name);
      w.begin_map();
      write_artifact_type(w, "artifactType", a->type);
      if (!a->description.empty()) w.word_entry("description", a->description);
      if (a->is_list) {
        w.word_key("isArtifactList");
        w.boolean(true);
      }
      if (a->is_optional) {
        w.word_key("isOptional");
        w.boolean(true);
      }
      w.end_map();
    }
    w.end_map();
  }
  if (!itf.parameters.empty()) {
    w.word_key("parameters");
    w.begin_map();
    for (const auto* p : sorted_by_name(itf.parameters)) {
      w.key(p->name);
      w.begin_map();
      if (p->default_value) {
        w.word_key("defaultValue");
        w.struct_value(*p->default_value);
      }
      if (!p->description.empty()) w.word_entry("description", p->description);
      if (p->is_optional) {
        w.word_key("isOptional");
        w.boolean(true);
      }
      w.word_entry("parameterType", ir::to_string(p->type));
      w.end_map();
    }
    w.end_map();
  }
  w.end_map();
}

// A TextMemo (see text_memo.hpp) that first compares an element with the one looked up last: in
// name order, the components and executors of a component added many times come one after
// another, and are found without hashing them.
template <class T>
class Memo {
 public:
  using Span = typename TextMemo<T>::Span;

  // The text written for an element written as `x` is, or null: then write it and `add` it.
  [[nodiscard]] const Span* find(const T& x) {
    if (last_ && detail::same_text(*last_, x)) return &last_span_;
    hash_ = detail::text_hash(x);
    const Span* span = spans_.find(x, hash_);
    if (span) remember(x, *span);
    return span;
  }
  // After `find(x)` gave null: `span` was written for `x`.
  void add(const T& x, Span span) {
    spans_.add(x, hash_, span);
    remember(x, span);
  }

 private:
  void remember(const T& x, Span span) {
    last_ = &x;
    last_span_ = span;
  }

  TextMemo<T> spans_;
  const T* last_ = nullptr;
  Span last_span_{};
  std::size_t hash_ = 0;  // of the element `find` looked up last
};

// What the components and executors of a pipeline written so far look like.
struct Memos {
  Memo<ir::Interface> inputs;
  Memo<ir::Interface> outputs;
  Memo<ir::ContainerSpec> containers;
};

// `key: interface`, or the text of an equal interface written before (at the same depth).
void write_interface(YamlWriter& w, detail::Word key, const ir::Interface& itf,
                     Memo<ir::Interface>& memo) {
  if (const auto* span = memo.find(itf)) {
    w.repeat_entries(span->first, span->second);
    return;
  }
  const std::size_t from = w.size();
  write_interface(w, key, itf);
  memo.add(itf, {from, w.size()});
}

// The body of a component; `memos` for the components under `components:` (all at one depth),
// null for the root.
void write_component_body(YamlWriter& w, const ir::Component& c, Memos* memos) {
  if (c.dag) detail::write_kfp_dag(w, *c.dag);
  if (!c.executor_label.empty()) w.word_entry("executorLabel", c.executor_label);
  if (memos && (c.dag || !c.executor_label.empty())) {
    write_interface(w, "inputDefinitions", c.inputs, memos->inputs);
    write_interface(w, "outputDefinitions", c.outputs, memos->outputs);
    return;
  }
  write_interface(w, "inputDefinitions", c.inputs);
  write_interface(w, "outputDefinitions", c.outputs);
}

void write_args(YamlWriter& w, detail::Word key, const std::vector<ir::Arg>& args) {
  if (args.empty()) return;
  w.word_key(key);
  w.begin_seq();
  std::string placeholder;
  for (const auto& a : args) {
    if (a.kind == ir::Arg::Kind::text) {
      w.string(a.text);
      continue;
    }
    placeholder.clear();
    append_arg_json(placeholder, a);
    w.string(placeholder);
  }
  w.end_seq();
}

void write_optional_number(YamlWriter& w, detail::Word key, const std::optional<double>& d) {
  if (!d) return;
  w.word_key(key);
  w.number(*d);
}

void write_resources(YamlWriter& w, const ir::Resources& r) {
  w.word_key("resources");
  w.begin_map();
  if (const auto& acc = r.accelerator) {
    w.word_key("accelerator");
    w.begin_map();
    // A 64-bit integer inside a Struct is a string.
    if (acc->count) w.word_entry("count", std::to_string(*acc->count));
    if (!acc->resource_count.empty()) w.word_entry("resourceCount", acc->resource_count);
    if (!acc->resource_type.empty()) w.word_entry("resourceType", acc->resource_type);
    if (!acc->type.empty()) w.word_entry("type", acc->type);
    w.end_map();
  }
  write_optional_number(w, "cpuLimit", r.cpu_limit);
  write_optional_number(w, "cpuRequest", r.cpu_request);
  write_optional_number(w, "memoryLimit", r.memory_limit);
  write_optional_number(w, "memoryRequest", r.memory_request);
  if (!r.resource_cpu_limit.empty()) w.word_entry("resourceCpuLimit", r.resource_cpu_limit);
  if (!r.resource_cpu_request.empty()) w.word_entry("resourceCpuRequest", r.resource_cpu_request);
  if (!r.resource_memory_limit.empty())
    w.word_entry("resourceMemoryLimit", r.resource_memory_limit);
  if (!r.resource_memory_request.empty())
    w.word_entry("resourceMemoryRequest", r.resource_memory_request);
  w.end_map();
}

void write_container(YamlWriter& w, const ir::ContainerSpec& c) {
  w.word_key("container");
  w.begin_map();
  if (c.python) {
    write_string_list(w, "args", detail::kfp_python_args(*c.python));
    write_string_list(w, "command", detail::kfp_python_command(*c.python));
  } else {
    write_args(w, "args", c.args);
    write_args(w, "command", c.command);
  }
  if (!c.env.empty()) {
    w.word_key("env");
    w.begin_seq();
    for (const auto& v : c.env) {
      w.begin_map();
      w.word_entry("name", v.name);
      w.word_entry("value", v.value);
      w.end_map();
    }
    w.end_seq();
  }
  w.word_entry("image", c.image);
  if (!c.resources.empty()) write_resources(w, c.resources);
  w.end_map();
}

void write_executor(YamlWriter& w, const ir::Executor& e, Memo<ir::ContainerSpec>& memo) {
  w.key(e.label);
  w.begin_map();
  if (e.container && !e.importer) {
    // Executors differ by label alone when one component is added many times.
    if (const auto* span = memo.find(*e.container)) {
      w.repeat_entries(span->first, span->second);
    } else {
      const std::size_t from = w.size();
      write_container(w, *e.container);
      memo.add(*e.container, {from, w.size()});
    }
    w.end_map();
    return;
  }
  if (e.container) write_container(w, *e.container);
  if (e.importer) {
    const auto& im = *e.importer;
    w.word_key("importer");
    w.begin_map();
    w.word_key("artifactUri");
    w.begin_map();
    if (!im.uri_parameter.empty())
      w.word_entry("runtimeParameter", im.uri_parameter);
    else
      w.word_entry("constant", im.uri_constant);
    w.end_map();
    if (im.download_to_workspace) {
      w.word_key("downloadToWorkspace");
      w.boolean(true);
    }
    if (im.metadata) {
      w.word_key("metadata");
      w.struct_value(*im.metadata);
    }
    if (im.reimport) {
      w.word_key("reimport");
      w.boolean(true);
    }
    write_artifact_type(w, "typeSchema", im.type);
    w.end_map();
  }
  w.end_map();
}

// The second document: the Kubernetes settings of every executor that has some (Structs, so
// every number is a double), and the pipeline-level ones (a message with integer fields).
void write_platform_spec(std::string& out, const ir::Pipeline& p,
                         const std::vector<const ir::Executor*>& execs) {
  std::vector<std::pair<const std::string*, ir::Value>> configs;
  for (const auto* e : execs)
    if (e->kubernetes) {
      ir::Value json = detail::kubernetes_config_json(*e->kubernetes);
      if (!json.as_object().empty()) configs.emplace_back(&e->label, std::move(json));
    }
  if (configs.empty() && !p.config) return;
  YamlWriter w(detail::YamlStyle::pyyaml);
  w.begin_map();
  w.word_key("platforms");
  w.begin_map();
  w.word_key("kubernetes");
  w.begin_map();
  if (!configs.empty()) {
    w.word_key("deploymentSpec");
    w.begin_map();
    w.word_key("executors");
    w.begin_map();
    for (const auto& [label, json] : configs) {
      w.key(*label);
      w.struct_value(json);
    }
    w.end_map();
    w.end_map();
  }
  if (p.config) {
    w.word_key("pipelineConfig");
    w.value(detail::pipeline_config_json(*p.config));
  }
  w.end_map();
  w.end_map();
  w.end_map();
  out += "---\n";
  out += w.take();
}

// A generous guess at the size of the text, from counts alone (a look at every component, task
// and executor, none at their strings but the command lines), so that the text is written into one
// allocation: a string of megabytes grown by doubling holds the old and the new copy at once, and
// pages reserved but never written are never resident.
std::size_t estimated_size(const ir::Pipeline& p) {
  auto ports = [](const ir::Interface& itf) {
    return 112 * (itf.parameters.size() + itf.artifacts.size());
  };
  auto dag = [](const ir::Dag& d) {
    std::size_t bytes = 256 * d.outputs.size();
    for (const auto& t : d.tasks)
      bytes += 448 + 208 * (t.parameters.size() + t.artifacts.size()) +
               40 * t.dependent_tasks.size() + t.trigger_condition.size();
    return bytes;
  };
  std::size_t bytes = 1024 + ports(p.root.inputs) + ports(p.root.outputs);
  if (p.root.dag) bytes += dag(*p.root.dag);
  for (const auto& c : p.components) {
    bytes += 192 + ports(c.inputs) + ports(c.outputs);
    if (c.dag) bytes += dag(*c.dag);
  }
  for (const auto& e : p.executors) {
    bytes += 512;
    if (const auto& c = e.container) {
      bytes += 96 * c->env.size();
      for (const auto* list : {&c->command, &c->args})
        for (const auto& a : *list) bytes += 96 + 2 * a.text.size();
      if (c->python) bytes += 4096 + 2 * c->python->source.size();
    }
    if (e.kubernetes) bytes += 1024;
  }
  return bytes;
}

}  // namespace

std::string emit_kfp(const ir::Pipeline& p) {
  YamlWriter w(detail::YamlStyle::pyyaml);
  Memos memos;
  w.reserve(estimated_size(p));
  w.raw(detail::kfp_header_comment(p));
  w.begin_map();
  if (!p.components.empty()) {
    w.word_key("components");
    w.begin_map();
    for (const auto* c : many_by_name(p.components)) {
      w.key(c->name);
      w.begin_map();
      write_component_body(w, *c, &memos);
      w.end_map();
    }
    w.end_map();
  }
  if (!p.default_pipeline_root.empty())
    w.word_entry("defaultPipelineRoot", p.default_pipeline_root);
  const std::vector<const ir::Executor*> execs = detail::in_name_order(
      p.executors, [](const ir::Executor& e) -> std::string_view { return e.label; });
  if (!execs.empty()) {
    w.word_key("deploymentSpec");
    w.begin_map();
    w.word_key("executors");
    w.begin_map();
    for (const auto* e : execs) write_executor(w, *e, memos.containers);
    w.end_map();
    w.end_map();
  }
  w.word_key("pipelineInfo");
  w.begin_map();
  if (!p.description.empty()) w.word_entry("description", p.description);
  if (!p.display_name.empty()) w.word_entry("displayName", p.display_name);
  w.word_entry("name", p.name);
  w.end_map();
  w.word_key("root");
  w.begin_map();
  write_component_body(w, p.root, nullptr);
  w.end_map();
  w.word_entry("schemaVersion", p.schema_version);
  w.word_entry("sdkVersion",
               p.sdk_version.empty() ? std::string("kfpp-") + version_string : p.sdk_version);
  w.end_map();
  std::string out = w.take();
  write_platform_spec(out, p, execs);
  return out;
}

}  // namespace kfpp
