// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: executors: containers, their arguments and resources, and importers.
#include "ir/spec_reader.hpp"

namespace kfpp::detail {

using namespace ir;  // NOLINT(google-build-using-namespace): the members build IR types throughout

Arg SpecReader::arg(const YamlNode& n, const YamlPath& path) {
  std::string text = in_.string(n, path);
  bool structured = text.rfind("{\"Concat\":", 0) == 0 || text.rfind("{\"IfPresent\":", 0) == 0;
  if (!structured) return Arg::of(std::move(text));
  auto json = in_.json(n, path, text);
  if (!json) return Arg::of(std::move(text));
  Arg out;
  if (!structured_arg(*json, out)) {
    in_.error(n, path, "kfpp.bad_placeholder", "a malformed Concat or IfPresent placeholder",
              "write {\"Concat\": [...]} or {\"IfPresent\": {\"InputName\": …, \"Then\": [...]}}");
    return Arg::of(std::move(text));
  }
  return out;
}

bool SpecReader::arg_list(const Value& v, std::vector<Arg>& out) {
  if (!v.is_array()) return false;
  for (const auto& item : v.as_array()) {
    Arg a;
    if (item.is_string())
      a = Arg::of(item.as_string());
    else if (!structured_arg(item, a))
      return false;
    out.push_back(std::move(a));
  }
  return true;
}

bool SpecReader::structured_arg(const Value& v, Arg& out) {
  if (!v.is_object() || v.as_object().size() != 1) return false;
  const auto& [key, body] = *v.as_object().begin();
  if (key == "Concat") {
    out.kind = Arg::Kind::concat;
    return arg_list(body, out.items);
  }
  if (key != "IfPresent" || !body.is_object()) return false;
  out.kind = Arg::Kind::if_present;
  const auto& o = body.as_object();
  for (const auto& [k, _] : o)
    if (k != "InputName" && k != "Then" && k != "Else") return false;
  auto name = o.find("InputName");
  if (name == o.end() || !name->second.is_string()) return false;
  out.input_name = name->second.as_string();
  // `Then` and `Else` are each a list, or one element written as itself.
  auto branch = [](const Value& b, std::vector<Arg>& items, bool& single) {
    if (b.is_array()) return arg_list(b, items);
    Arg one;
    if (b.is_string())
      one = Arg::of(b.as_string());
    else if (!structured_arg(b, one))
      return false;
    items.push_back(std::move(one));
    single = true;
    return true;
  };
  if (auto then = o.find("Then");
      then != o.end() && !branch(then->second, out.items, out.then_single))
    return false;
  if (auto otherwise = o.find("Else"); otherwise != o.end()) {
    out.has_otherwise = true;
    if (!branch(otherwise->second, out.otherwise, out.else_single)) return false;
  }
  return true;
}

void SpecReader::resources(const YamlNode& n, const YamlPath& path, Resources& r) {
  MapInput m(in_, n, path, "container resources");
  if (!m.ok()) return;
  r.cpu_limit = m.number("cpuLimit");
  r.cpu_request = m.number("cpuRequest");
  r.memory_limit = m.number("memoryLimit");
  r.memory_request = m.number("memoryRequest");
  r.resource_cpu_limit = m.string("resourceCpuLimit");
  r.resource_cpu_request = m.string("resourceCpuRequest");
  r.resource_memory_limit = m.string("resourceMemoryLimit");
  r.resource_memory_request = m.string("resourceMemoryRequest");
  if (m.has("accelerator")) {
    MapInput a(in_, m.get("accelerator"), m.path("accelerator"), "accelerator");
    Accelerator acc;
    acc.type = a.string("type");
    acc.count = a.integer("count", 0, kInt64Max);
    acc.resource_type = a.string("resourceType");
    acc.resource_count = a.string("resourceCount");
    r.accelerator = acc;
    a.finish();
  }
  m.finish();
}

void SpecReader::executor(const YamlNode& n, const YamlPath& path, Executor& e) {
  MapInput m(in_, n, path, "an executor");
  if (!m.ok()) return;
  if (m.has("container")) {
    MapInput c(in_, m.get("container"), m.path("container"), "a container");
    ContainerSpec spec;
    spec.image = c.string("image");
    for_each_item(in_, c.get("command"), c.path("command"), "command",
                  [&](const YamlNode& v, const YamlPath& p) { spec.command.push_back(arg(v, p)); });
    if (c.has("args"))
      for_each_item(in_, c.get("args"), c.path("args"), "args",
                    [&](const YamlNode& v, const YamlPath& p) { spec.args.push_back(arg(v, p)); });
    if (c.has("env"))
      for_each_item(in_, c.get("env"), c.path("env"), "env",
                    [&](const YamlNode& v, const YamlPath& p) {
                      MapInput ev(in_, v, p, "an environment variable");
                      spec.env.push_back({ev.string("name"), ev.string("value")});
                      ev.finish();
                    });
    if (c.has("resources")) resources(c.get("resources"), c.path("resources"), spec.resources);
    if (spec.image.empty() && c.ok())
      in_.error(c.node(), c.path(), "kfpp.missing_key", "the container has no image", "set image");
    e.container = std::move(spec);
    c.finish();
  } else if (m.has("importer")) {
    MapInput im(in_, m.get("importer"), m.path("importer"), "an importer");
    ImporterSpec spec;
    {
      MapInput uri(in_, im.get("artifactUri"), im.path("artifactUri"), "artifactUri");
      if (uri.has("runtimeParameter"))
        spec.uri_parameter = uri.string("runtimeParameter");
      else
        spec.uri_constant = uri.string("constant");
      uri.finish();
    }
    spec.type = artifact_type(im.get("typeSchema"), im.path("typeSchema"));
    if (im.has("metadata")) spec.metadata = in_.value(im.get("metadata"), im.path("metadata"));
    spec.reimport = im.boolean("reimport").value_or(false);
    spec.download_to_workspace = im.boolean("downloadToWorkspace").value_or(false);
    e.importer = std::move(spec);
    im.finish();
  } else {
    in_.error(n, path, "kfpp.unsupported_executor",
              "kfpp reads container and importer executors only",
              "use a container or an importer executor");
  }
  m.finish();
}
}  // namespace kfpp::detail
