// SPDX-License-Identifier: Apache-2.0
// KFP IR YAML as the JSON the API takes for a run's pipeline_spec.
#include <string>
#include <vector>

#include "client/impl.hpp"
#include "ir/yaml_input.hpp"

namespace kfpp {

namespace {

// The documents of `yaml`, read by kfpp's YAML reader (limits, UTF-8 and duplicate keys checked);
// a document that is only null is left out.
std::vector<detail::YamlNode> documents(detail::YamlInput& in, const std::string& yaml) {
  std::vector<detail::YamlNode> docs;
  for (const auto& d : in.load_all(yaml))
    if (!d.is_null()) docs.push_back(d);
  try {
    in.throw_if_failed();
  } catch (const ParseError& e) {
    usage_error("pipeline", std::string("the pipeline is not valid YAML: ") + e.what(),
                "give a KFP IR file, as `kfpp::compile` or the KFP compiler writes it");
  }
  return docs;
}

// A node as JSON, its plain scalars resolved as the SDK's PyYAML reads them (YAML 1.1).
Json to_json(detail::YamlInput& in, const detail::YamlNode& node) {
  return json_from_value(in.value(node, "pipeline"));
}

void set_caching(Json& dag, bool enable) {
  auto tasks = dag.find("tasks");
  if (tasks == dag.end() || !tasks->is_object()) return;
  for (auto& [name, task] : tasks->items())
    if (task.is_object()) task["cachingOptions"]["enableCache"] = enable;
}

}  // namespace

Json pipeline_spec_json(const std::string& yaml, std::optional<bool> enable_caching) {
  detail::YamlInput in("pipeline", true, nullptr);
  std::vector<detail::YamlNode> docs = documents(in, yaml);
  if (docs.empty() || !docs[0].is_map() || !docs[0]["pipelineInfo"].defined() ||
      !docs[0]["root"].defined())
    usage_error("pipeline", "the text is not KFP IR (no pipelineInfo and root)",
                "give a pipeline compiled to KFP IR, not a component or an Argo workflow");
  Json spec = to_json(in, docs[0]);
  if (enable_caching) {
    if (auto root = spec.find("root"); root != spec.end() && root->contains("dag"))
      set_caching((*root)["dag"], *enable_caching);
    if (auto components = spec.find("components"); components != spec.end())
      for (auto& [name, component] : components->items())
        if (component.is_object() && component.contains("dag"))
          set_caching(component["dag"], *enable_caching);
  }
  if (docs.size() < 2) return spec;
  return Json{{"pipeline_spec", std::move(spec)}, {"platform_spec", to_json(in, docs[1])}};
}

std::string pipeline_name_of(const std::string& yaml) {
  detail::YamlInput in("pipeline", true, nullptr);
  std::vector<detail::YamlNode> docs = documents(in, yaml);
  if (docs.empty() || !docs[0].is_map()) return {};
  const detail::YamlNode name = docs[0]["pipelineInfo"]["name"];
  return name.is_scalar() ? name.text() : std::string();
}

}  // namespace kfpp
