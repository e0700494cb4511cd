// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: components and their interfaces.
#include "ir/spec_reader.hpp"

namespace kfpp::detail {

using namespace ir;  // NOLINT(google-build-using-namespace): the members build IR types throughout

void SpecReader::component(const YamlNode& n, const YamlPath& path, Component& c) {
  MapInput m(in_, n, path, "a component");
  if (!m.ok()) return;
  if (m.has("dag")) c.dag = dag(m.get("dag"), m.path("dag"));
  c.executor_label = m.string("executorLabel");
  interface(m.get("inputDefinitions"), m.path("inputDefinitions"), c.inputs);
  interface(m.get("outputDefinitions"), m.path("outputDefinitions"), c.outputs);
  if (c.dag && !c.executor_label.empty())
    in_.error(n, path, "kfpp.bad_component", "a component has either a dag or an executorLabel",
              "keep one of them");
  if (!c.dag && c.executor_label.empty())
    in_.error(n, path, "kfpp.bad_component", "a component needs a dag or an executorLabel",
              "add `executorLabel: exec-…` or a `dag`");
  m.finish();
}

void SpecReader::interface(const YamlNode& n, const YamlPath& path, Interface& itf) {
  if (!n.defined()) return;
  MapInput m(in_, n, path, "inputs or outputs");
  for_each_entry(in_, m.get("parameters"), m.path("parameters"), "parameters",
                 [&](std::string_view name, const YamlNode& v, const YamlPath& p) {
                   itf.parameters.push_back(parameter_spec(name, v, p));
                 });
  for_each_entry(in_, m.get("artifacts"), m.path("artifacts"), "artifacts",
                 [&](std::string_view name, const YamlNode& v, const YamlPath& p) {
                   itf.artifacts.push_back(artifact_spec(name, v, p));
                 });
  m.finish();
}

ParameterSpec SpecReader::parameter_spec(std::string_view name, const YamlNode& n,
                                         const YamlPath& path) {
  ParameterSpec s;
  s.name = name;
  MapInput m(in_, n, path, "a parameter");
  if (!m.ok()) return s;
  std::string type = m.string("parameterType");
  if (auto t = parameter_type_from_string(type); t && type != "PARAMETER_TYPE_ENUM_UNSPECIFIED") {
    s.type = *t;
  } else {
    in_.error(m.get("parameterType"), m.path("parameterType"), "kfpp.bad_parameter_type",
              type.empty() ? "the parameter has no parameterType"
                           : "`" + type + "` is not a parameter type",
              "use STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT or "
              "TASK_FINAL_STATUS");
  }
  if (m.has("defaultValue"))
    s.default_value = in_.value(m.get("defaultValue"), m.path("defaultValue"));
  s.is_optional = m.boolean("isOptional").value_or(false);
  s.description = m.string("description");
  m.finish();
  return s;
}

ArtifactType SpecReader::artifact_type(const YamlNode& n, const YamlPath& path) {
  ArtifactType t;
  MapInput m(in_, n, path, "an artifact type");
  t.schema_title = m.string("schemaTitle");
  t.schema_version = m.string("schemaVersion");
  if (m.ok() && t.schema_title.empty())
    in_.error(n, path, "kfpp.missing_key", "the artifact type has no schemaTitle",
              "set schemaTitle, e.g. system.Dataset");
  m.finish();
  return t;
}

ArtifactSpec SpecReader::artifact_spec(std::string_view name, const YamlNode& n,
                                       const YamlPath& path) {
  ArtifactSpec s;
  s.name = name;
  MapInput m(in_, n, path, "an artifact");
  if (!m.ok()) return s;
  s.type = artifact_type(m.get("artifactType"), m.path("artifactType"));
  s.is_list = m.boolean("isArtifactList").value_or(false);
  s.is_optional = m.boolean("isOptional").value_or(false);
  s.description = m.string("description");
  m.finish();
  return s;
}
}  // namespace kfpp::detail
