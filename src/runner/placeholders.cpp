// SPDX-License-Identifier: Apache-2.0
#include "runner/placeholders.hpp"

#include "ir/json_parse.hpp"
#include "kfpp/error.hpp"

namespace kfpp::detail {

namespace {

[[noreturn]] void cannot(const std::string& placeholder, const std::string& why) {
  throw Error({"kfpp.placeholder", placeholder, why,
               "bind the input, or use a placeholder the local runner knows"});
}

// `['name']` or `["name"]` at `at` of `s`: the name, with `at` moved past the brackets.
bool bracket_name(const std::string& s, std::size_t& at, std::string& name) {
  if (s.compare(at, 1, "[") != 0 || at + 2 >= s.size()) return false;
  char q = s[at + 1];
  if (q != '\'' && q != '"') return false;
  std::size_t end = s.find(q, at + 2);
  if (end == std::string::npos || s.compare(end + 1, 1, "]") != 0) return false;
  name = s.substr(at + 2, end - at - 2);
  at = end + 2;
  return true;
}

struct Context {
  const ir::Component& comp;
  const Inputs& in;
  const OutputPaths& out;
  const std::function<std::string(const std::string&)>& pipeline_text;
};

std::string fill(const std::string& inner, const Context& c) {
  const std::string whole = "{{" + inner + "}}";
  if (inner == "$") return executor_input_json(c.comp, c.in, c.out);
  if (inner.rfind("$.pipeline_", 0) == 0) {
    std::string s = c.pipeline_text(whole);
    if (s == whole) cannot(whole, "this pipeline-level placeholder has no local value");
    return s;
  }
  struct Prefix {
    const char* text;
    int kind;  // 0 input parameter, 1 output parameter, 2 input artifact, 3 output artifact
  };
  for (Prefix p : {Prefix{"$.inputs.parameters", 0}, Prefix{"$.outputs.parameters", 1},
                   Prefix{"$.inputs.artifacts", 2}, Prefix{"$.outputs.artifacts", 3}}) {
    std::string prefix = p.text;
    if (inner.rfind(prefix, 0) != 0) continue;
    std::size_t at = prefix.size();
    std::string name;
    if (!bracket_name(inner, at, name)) cannot(whole, "the placeholder is malformed");
    std::string rest = inner.substr(at);
    if (p.kind == 0 && rest.empty()) {
      auto it = c.in.parameters.find(name);
      if (it == c.in.parameters.end()) cannot(whole, "input parameter '" + name + "' has no value");
      return backend_text(it->second);
    }
    if (p.kind == 1 && rest == ".output_file") {
      auto it = c.out.parameter_files.find(name);
      if (it == c.out.parameter_files.end())
        cannot(whole, "the component has no output parameter '" + name + "'");
      return it->second;
    }
    if (p.kind == 2 || p.kind == 3) {
      const ArtifactResult* a = nullptr;
      if (p.kind == 2) {
        auto it = c.in.artifacts.find(name);
        if (it == c.in.artifacts.end() || it->second.empty())
          cannot(whole, "input artifact '" + name + "' has no value");
        const ir::ArtifactSpec* spec = c.comp.inputs.find_artifact(name);
        if (rest.empty() && spec && spec->is_list) {
          ir::Value::Array all;
          for (const auto& one : it->second) all.push_back(artifact_json(one));
          return backend_json(ir::Value(std::move(all)));
        }
        if (it->second.size() > 1)
          cannot(whole, "input artifact '" + name + "' is a list of artifacts");
        a = &it->second.front();
      } else {
        auto it = c.out.artifacts.find(name);
        if (it == c.out.artifacts.end())
          cannot(whole, "the component has no output artifact '" + name + "'");
        a = &it->second;
      }
      if (rest == ".path") return a->path;
      if (rest == ".uri") return a->uri;
      if (rest == ".metadata") return backend_json(a->metadata);
      if (rest.empty()) return backend_json(artifact_json(*a));
    }
    cannot(whole, "the local runner does not know this placeholder");
  }
  cannot(whole, "the local runner does not know this placeholder");
}

// The value the placeholder `{{$.inputs.parameters['name']}}` at `open` of `text` names, with
// `close` set past it; null when it is not one or names no value.
const ir::Value* input_parameter_at(const std::string& text, std::size_t open,
                                    const ir::Value::Object& parameters, std::size_t& close) {
  static const std::string prefix = "{{$.inputs.parameters";
  if (text.compare(open, prefix.size(), prefix) != 0) return nullptr;
  std::size_t at = open + prefix.size();
  std::string name;
  if (!bracket_name(text, at, name) || text.compare(at, 2, "}}") != 0) return nullptr;
  auto it = parameters.find(name);
  if (it == parameters.end()) return nullptr;
  close = at + 2;
  return &it->second;
}

std::string fill_text(const std::string& text, const Context& c) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    std::size_t open = text.find("{{$", at);
    if (open == std::string::npos) break;
    std::size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    out += text.substr(at, open - at);
    out += fill(text.substr(open + 2, close - open - 2), c);
    at = close + 2;
  }
  out += text.substr(at);
  return out;
}

void resolve_into(const std::vector<ir::Arg>& args, const Context& c,
                  std::vector<std::string>& out) {
  for (const auto& a : args) {
    switch (a.kind) {
      case ir::Arg::Kind::text:
        out.push_back(fill_text(a.text, c));
        break;
      case ir::Arg::Kind::concat: {
        std::vector<std::string> parts;
        resolve_into(a.items, c, parts);
        std::string joined;
        for (const auto& p : parts) joined += p;
        out.push_back(std::move(joined));
        break;
      }
      case ir::Arg::Kind::if_present: {
        bool present = c.in.parameters.count(a.input_name) || c.in.artifacts.count(a.input_name);
        resolve_into(present ? a.items : a.otherwise, c, out);
        break;
      }
    }
  }
}

}  // namespace

std::string fill_input_parameters(const std::string& text, const ir::Value::Object& parameters) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open = text.find("{{$", at); open != std::string::npos;
       open = text.find("{{$", open + 1)) {
    std::size_t close = 0;
    const ir::Value* v = input_parameter_at(text, open, parameters, close);
    if (!v) continue;
    out += text.substr(at, open - at) + backend_text(*v);
    at = close;
    open = close - 1;
  }
  return out + text.substr(at);
}

ir::Value fill_metadata(const ir::Value& metadata, const ir::Value::Object& parameters) {
  if (metadata.is_string()) {
    const std::string& s = metadata.as_string();
    std::size_t close = 0;
    if (const ir::Value* v = input_parameter_at(s, 0, parameters, close); v && close == s.size())
      return *v;
    return ir::Value(fill_input_parameters(s, parameters));
  }
  if (metadata.is_array()) {
    ir::Value::Array a;
    for (const auto& x : metadata.as_array()) a.push_back(fill_metadata(x, parameters));
    return ir::Value(std::move(a));
  }
  if (metadata.is_object()) {
    ir::Value::Object o;
    for (const auto& [k, x] : metadata.as_object())
      o[fill_input_parameters(k, parameters)] = fill_metadata(x, parameters);
    return ir::Value(std::move(o));
  }
  return metadata;
}

ir::Value artifact_json(const ArtifactResult& a) {
  return ir::Value(ir::Value::Object{
      {"name", ir::Value(a.name)},
      {"type", ir::Value(ir::Value::Object{{"schemaTitle", ir::Value(a.schema_title)}})},
      {"uri", ir::Value(a.uri)},
      {"metadata", a.metadata},
  });
}

std::string executor_input_json(const ir::Component& comp, const Inputs& in,
                                const OutputPaths& out) {
  ir::Value::Object artifacts;
  for (const auto& [name, list] : in.artifacts) {
    ir::Value::Array items;
    for (const auto& a : list) items.push_back(artifact_json(a));
    artifacts[name] = ir::Value(ir::Value::Object{{"artifacts", ir::Value(std::move(items))}});
  }
  ir::Value::Object params;
  for (const auto& [name, v] : in.parameters)
    if (comp.inputs.find_parameter(name)) params[name] = v;
  ir::Value::Object out_params;
  for (const auto& [name, file] : out.parameter_files)
    out_params[name] = ir::Value(ir::Value::Object{{"outputFile", ir::Value(file)}});
  ir::Value::Object out_artifacts;
  for (const auto& [name, a] : out.artifacts)
    out_artifacts[name] =
        ir::Value(ir::Value::Object{{"artifacts", ir::Value(ir::Value::Array{artifact_json(a)})}});
  ir::Value doc(ir::Value::Object{
      {"inputs", ir::Value(ir::Value::Object{{"parameterValues", ir::Value(std::move(params))},
                                             {"artifacts", ir::Value(std::move(artifacts))}})},
      {"outputs", ir::Value(ir::Value::Object{{"parameters", ir::Value(std::move(out_params))},
                                              {"artifacts", ir::Value(std::move(out_artifacts))},
                                              {"outputFile", ir::Value(out.executor_output)}})},
  });
  return backend_json(doc);
}

std::vector<std::string> resolve_args(
    const std::vector<ir::Arg>& args, const ir::Component& comp, const Inputs& in,
    const OutputPaths& out, const std::function<std::string(const std::string&)>& pipeline_text) {
  Context c{comp, in, out, pipeline_text};
  std::vector<std::string> result;
  resolve_into(args, c, result);
  return result;
}

}  // namespace kfpp::detail
