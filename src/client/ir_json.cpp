// SPDX-License-Identifier: Apache-2.0
// KFP IR YAML as the JSON the API takes for a run's pipeline_spec.
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "client/impl.hpp"

namespace kfpp {

namespace {

bool is_integer(const std::string& s) {
  std::size_t at = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (at == s.size()) return false;
  for (std::size_t i = at; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool is_float(const std::string& s, double& out) {
  if (s.find_first_of(".eE") == std::string::npos) return false;
  if (s.find_first_of("0123456789") == std::string::npos) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno == 0;
}

// A scalar as YAML's core schema reads a plain scalar; quoted scalars (tag "!") stay strings.
Json scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (is_integer(s)) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0) return v;
  }
  double d = 0;
  if (is_float(s, d)) return d;
  return s;
}

Json to_json(const YAML::Node& node, int depth) {
  if (depth > 200)
    usage_error("pipeline", "the YAML is nested more than 200 levels deep", "give KFP IR");
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : node) o[kv.first.as<std::string>()] = to_json(kv.second, depth + 1);
      return o;
    }
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& item : node) a.push_back(to_json(item, depth + 1));
      return a;
    }
    case YAML::NodeType::Scalar:
      return scalar(node);
    default:
      return nullptr;
  }
}

std::vector<YAML::Node> documents(const std::string& yaml) {
  std::vector<YAML::Node> docs;
  try {
    for (const auto& d : YAML::LoadAll(yaml))
      if (!d.IsNull()) docs.push_back(d);
  } catch (const YAML::Exception& e) {
    usage_error("pipeline",
                "the pipeline is not valid YAML (line " + std::to_string(e.mark.line + 1) + ": " +
                    e.msg + ")",
                "give a KFP IR file, as `kfpp::compile` or the KFP compiler writes it");
  }
  return docs;
}

void set_caching(Json& dag, bool enable) {
  auto tasks = dag.find("tasks");
  if (tasks == dag.end() || !tasks->is_object()) return;
  for (auto& [name, task] : tasks->items())
    if (task.is_object()) task["cachingOptions"]["enableCache"] = enable;
}

}  // namespace

Json pipeline_spec_json(const std::string& yaml, std::optional<bool> enable_caching) {
  std::vector<YAML::Node> docs = documents(yaml);
  if (docs.empty() || !docs[0].IsMap() || !docs[0]["pipelineInfo"] || !docs[0]["root"])
    usage_error("pipeline", "the text is not KFP IR (no pipelineInfo and root)",
                "give a pipeline compiled to KFP IR, not a component or an Argo workflow");
  Json spec = to_json(docs[0], 0);
  if (enable_caching) {
    if (auto root = spec.find("root"); root != spec.end() && root->contains("dag"))
      set_caching((*root)["dag"], *enable_caching);
    if (auto components = spec.find("components"); components != spec.end())
      for (auto& [name, component] : components->items())
        if (component.is_object() && component.contains("dag"))
          set_caching(component["dag"], *enable_caching);
  }
  if (docs.size() < 2) return spec;
  return Json{{"pipeline_spec", std::move(spec)}, {"platform_spec", to_json(docs[1], 0)}};
}

std::string pipeline_name_of(const std::string& yaml) {
  std::vector<YAML::Node> docs = documents(yaml);
  if (docs.empty() || !docs[0].IsMap()) return {};
  const YAML::Node& doc = docs[0];
  const YAML::Node info = doc["pipelineInfo"];
  if (!info || !info.IsMap()) return {};
  const YAML::Node name = info["name"];
  return name && name.IsScalar() ? name.Scalar() : std::string();
}

}  // namespace kfpp
