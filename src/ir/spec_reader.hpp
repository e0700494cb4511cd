// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/yaml_input.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "kfpp/ir/pipeline.hpp"

// Reading one PipelineSpec (and its PlatformSpec) into the IR: each member reads one proto
// message, and every key it does not ask for is reported by `MapInput::finish`. The members are
// defined by topic: the documents (reader.cpp), components and their interfaces
// (read_component.cpp), DAGs and tasks (read_dag.cpp), executors (read_executor.cpp) and the
// Kubernetes platform (read_kubernetes.cpp).
namespace kfpp::detail {

// The ranges of the proto types of numeric fields.
inline constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
inline constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
inline constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

class SpecReader {
 public:
  explicit SpecReader(YamlInput& in) : in_(in) {}

  void pipeline_spec(const YamlNode& doc, ir::Pipeline& p);
  void platform_spec(const YamlNode& doc, ir::Pipeline& p);

 private:
  // components (read_component.cpp)
  void component(const YamlNode& n, const YamlPath& path, ir::Component& c);
  void interface(const YamlNode& n, const YamlPath& path, ir::Interface& itf);
  ir::ParameterSpec parameter_spec(std::string_view name, const YamlNode& n, const YamlPath& path);
  ir::ArtifactType artifact_type(const YamlNode& n, const YamlPath& path);
  ir::ArtifactSpec artifact_spec(std::string_view name, const YamlNode& n, const YamlPath& path);

  // DAGs and tasks (read_dag.cpp)
  ir::Dag dag(const YamlNode& n, const YamlPath& path);
  ir::OutputSelector selector(const YamlNode& n, const YamlPath& path, const char* key_name);
  ir::DagOutput dag_parameter_output(std::string_view name, const YamlNode& n,
                                     const YamlPath& path);
  ir::DagOutput dag_artifact_output(std::string_view name, const YamlNode& n, const YamlPath& path);
  ir::ParameterBinding parameter_binding(std::string_view name, const YamlNode& n,
                                         const YamlPath& path);
  ir::ArtifactBinding artifact_binding(std::string_view name, const YamlNode& n,
                                       const YamlPath& path);
  ir::Task task(std::string_view name, const YamlNode& n, const YamlPath& path);

  // executors (read_executor.cpp)
  ir::Arg arg(const YamlNode& n, const YamlPath& path);
  static bool arg_list(const ir::Value& v, std::vector<ir::Arg>& out);
  static bool structured_arg(const ir::Value& v, ir::Arg& out);
  void resources(const YamlNode& n, const YamlPath& path, ir::Resources& r);
  void executor(const YamlNode& n, const YamlPath& path, ir::Executor& e);

  // the Kubernetes platform (read_kubernetes.cpp)
  std::optional<ir::ParameterBinding> run_time_binding(MapInput& m, std::string_view key);
  ir::StringMap string_map(const YamlNode& n, const YamlPath& path);
  ir::PodMetadata pod_metadata(const YamlNode& n, const YamlPath& path);
  std::vector<ir::SelectorRequirement> requirements(const YamlNode& n, const YamlPath& path);
  template <class T, class F>
  void list(MapInput& m, std::string_view key, std::vector<T>& out, const char* what, F&& one);
  ir::ObjectAsVolume object_as_volume(MapInput& m, const char* name_key, const char* parameter_key);
  ir::ObjectAsEnv object_as_env(MapInput& m, const char* name_key, const char* parameter_key,
                                const char* key_key);
  void kubernetes_executor(const YamlNode& n, const YamlPath& path, ir::KubernetesConfig& c);
  void kubernetes_platform(const YamlNode& n, const YamlPath& path, ir::Pipeline& p);

  YamlInput& in_;
};

}  // namespace kfpp::detail
