// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/task_inputs.hpp"
#include "kfpp/ir/value.hpp"

/// The IR: plain data that mirrors a KFP v2 `PipelineSpec`. The DSL lowers into it, the IR reader
/// fills it from a file, and every emitter reads only it.
namespace kfpp::ir {

/// The type of a parameter, as KFP names it (`parameterType`).
enum class ParameterType {
  string,             ///< STRING
  number_integer,     ///< NUMBER_INTEGER
  number_double,      ///< NUMBER_DOUBLE
  boolean,            ///< BOOLEAN
  list,               ///< LIST
  structure,          ///< STRUCT
  task_final_status,  ///< TASK_FINAL_STATUS
};

/// The KFP spelling of a parameter type, e.g. `NUMBER_DOUBLE`.
[[nodiscard]] const char* to_string(ParameterType t) noexcept;
/// The parameter type named `name` (`STRING` …), or nullopt.
[[nodiscard]] std::optional<ParameterType> parameter_type_from_string(const std::string& name);
/// Whether `v` is a valid constant of type `t` (integers are accepted for NUMBER_DOUBLE).
[[nodiscard]] bool value_matches(const Value& v, ParameterType t) noexcept;

/// An artifact's type: `{schemaTitle: system.Dataset, schemaVersion: 0.0.1}`.
struct ArtifactType {
  std::string schema_title;
  std::string schema_version = "0.0.1";
  friend bool operator==(const ArtifactType&, const ArtifactType&) = default;
};

/// Whether an artifact of type `from` may feed an input of type `to`: the same type, or either
/// of them the generic `system.Artifact` (as the KFP SDK allows).
/// Example: `kfpp::ir::artifact_fits({"system.Artifact"}, {"system.Dataset"}) == true`
[[nodiscard]] bool artifact_fits(const ArtifactType& from, const ArtifactType& to) noexcept;

/// A parameter port of a component.
struct ParameterSpec {
  std::string name;
  ParameterType type = ParameterType::string;
  std::optional<Value> default_value;
  bool is_optional = false;
  std::string description;
};

/// An artifact port of a component.
struct ArtifactSpec {
  std::string name;
  ArtifactType type;
  bool is_list = false;
  bool is_optional = false;
  std::string description;
};

/// The inputs or the outputs of a component.
struct Interface {
  std::vector<ParameterSpec> parameters;
  std::vector<ArtifactSpec> artifacts;

  [[nodiscard]] const ParameterSpec* find_parameter(const std::string& name) const;
  [[nodiscard]] const ArtifactSpec* find_artifact(const std::string& name) const;
  [[nodiscard]] bool empty() const noexcept { return parameters.empty() && artifacts.empty(); }
};

/// One command-line element of a container. Text may embed KFP placeholders such as
/// `{{$.inputs.parameters['x']}}`; `concat` and `if_present` are the structured forms.
struct Arg {
  enum class Kind { text, concat, if_present };
  Kind kind = Kind::text;
  std::string text;            ///< text: the string
  std::vector<Arg> items;      ///< concat: the parts; if_present: the `Then` list
  std::string input_name;      ///< if_present: the optional input tested
  std::vector<Arg> otherwise;  ///< if_present: the `Else` list
  bool has_otherwise = false;  ///< if_present: whether `Else` is written

  static Arg of(std::string s) { return Arg{Kind::text, std::move(s), {}, {}, {}, false}; }
};

/// A lightweight Python component: function source run by the KFP launcher.
struct PythonFunction {
  std::string source;                 ///< the function's text (and anything it needs around it)
  std::string function_name;          ///< the function to call
  std::vector<std::string> packages;  ///< pip requirements, installed before running
  std::vector<std::string> pip_index_urls;  ///< extra indexes; the first is `--index-url`
  std::string kfp_package = "kfp==2.15.2";  ///< the KFP runtime the launcher installs
};

struct KubernetesConfig;  // kfpp/ir/kubernetes.hpp

/// An optional `T` held out of line, so that a header can hold one without `T`'s definition
/// (which only code reading it includes). Copies deeply; used like `std::optional`.
/// Example: `exec.kubernetes.emplace().image_pull_policy = "Always";`
template <class T>
class Indirect {
 public:
  Indirect() noexcept = default;
  Indirect(const Indirect& other);
  Indirect(Indirect&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
  Indirect& operator=(const Indirect& other);
  Indirect& operator=(Indirect&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = other.p_;
      other.p_ = nullptr;
    }
    return *this;
  }
  ~Indirect() { reset(); }

  /// A default `T`, replacing any value held.
  T& emplace();
  /// Drops the value.
  void reset() noexcept;
  [[nodiscard]] bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T& operator*() noexcept { return *p_; }
  const T& operator*() const noexcept { return *p_; }
  T* operator->() noexcept { return p_; }
  const T* operator->() const noexcept { return p_; }

 private:
  T* p_ = nullptr;
};

// Defined and instantiated once, in the library.
extern template class Indirect<KubernetesConfig>;

/// The accelerators a container asks for. `type`/`count` are the old fields, written only for
/// constants; `resource_type`/`resource_count` may hold a placeholder read at run time.
struct Accelerator {
  std::string type;
  std::optional<std::int64_t> count;
  std::string resource_type;
  std::string resource_count;
};

/// CPU, memory and accelerators of a container. Each quantity has an old numeric field (CPUs;
/// memory in decimal GB), written only for constants, and a new string field (`500m`, `32Gi`, or
/// a placeholder such as `{{$.inputs.parameters['pipelinechannel--cpu']}}`).
struct Resources {
  std::optional<double> cpu_limit;
  std::optional<double> cpu_request;
  std::optional<double> memory_limit;
  std::optional<double> memory_request;
  std::string resource_cpu_limit;
  std::string resource_cpu_request;
  std::string resource_memory_limit;
  std::string resource_memory_request;
  std::optional<Accelerator> accelerator;

  [[nodiscard]] bool empty() const noexcept {
    return !cpu_limit && !cpu_request && !memory_limit && !memory_request &&
           resource_cpu_limit.empty() && resource_cpu_request.empty() &&
           resource_memory_limit.empty() && resource_memory_request.empty() && !accelerator;
  }
};

/// A container executor. For a Python function, `command` and `args` are derived by emitters from
/// `python` and left empty here.
struct ContainerSpec {
  std::string image;
  std::vector<Arg> command;
  std::vector<Arg> args;
  std::vector<EnvVar> env;
  std::optional<PythonFunction> python;
  Resources resources;
};

/// An importer executor: brings an existing artifact (by URI) into the pipeline.
struct ImporterSpec {
  /// The URI, either constant or read from the component input parameter named here.
  std::string uri_constant;
  std::string uri_parameter;  ///< non-empty: `artifactUri.runtimeParameter`
  ArtifactType type;
  std::optional<Value> metadata;  ///< an object, written only when present
  bool reimport = false;
  bool download_to_workspace = false;  ///< also copy the artifact into the pipeline's workspace
};

/// A named executor (`exec-…`): a container or an importer, and what the Kubernetes platform
/// spec says about its pod.
struct Executor {
  std::string label;
  std::optional<ContainerSpec> container;
  std::optional<ImporterSpec> importer;
  /// The kfp-kubernetes settings of the pod (`#include <kfpp/ir/kubernetes.hpp>` to read them).
  Indirect<KubernetesConfig> kubernetes;
};

/// How a failed task is retried (`retryPolicy`); durations are `<seconds>s`.
struct RetryPolicy {
  std::int64_t max_retry_count = 0;
  std::string backoff_duration = "0s";
  double backoff_factor = 2.0;
  std::string backoff_max_duration = "3600s";
};

/// A task of a DAG: an instance of a component with its inputs bound.
struct Task {
  std::string name;           ///< key in the DAG, unique in the pipeline
  std::string display_name;   ///< `taskInfo.name`; empty means `name`
  std::string component_ref;  ///< `comp-…`
  std::vector<ParameterBinding> parameters;
  std::vector<ArtifactBinding> artifacts;
  std::vector<std::string> dependent_tasks;  ///< sibling tasks that must finish first
  /// `cachingOptions`: absent for DAG tasks; `enableCache` and optional cache key otherwise.
  std::optional<bool> enable_cache = true;
  std::string cache_key;
  /// `triggerPolicy.condition`: a CEL expression over `inputs.parameter_values[...]`.
  std::string trigger_condition;
  /// `triggerPolicy.strategy`, e.g. `ALL_UPSTREAM_TASKS_COMPLETED` for exit tasks.
  std::string trigger_strategy;
  /// `parameterIterator`: run the component once per item; set `iterator_item_input`.
  std::string iterator_item_input;          ///< the component input each item is passed as
  std::optional<Value> iterator_raw_items;  ///< a literal list (written as JSON text)
  std::string iterator_items_input;         ///< or: the component input holding the list
  /// `artifactIterator` instead of `parameterIterator`: `iterator_items_input` names an input
  /// artifact list and `iterator_item_input` the artifact each iteration receives.
  bool iterator_over_artifacts = false;
  std::int64_t parallelism_limit = 0;  ///< `iteratorPolicy.parallelismLimit`; 0: unlimited
  std::optional<RetryPolicy> retry_policy;

  [[nodiscard]] const ParameterBinding* find_parameter(const std::string& n) const;
  [[nodiscard]] const ArtifactBinding* find_artifact(const std::string& n) const;
  /// The sibling tasks this one waits for: `dependent_tasks` and every task whose output or final
  /// status it reads (the KFP backend adds those too); sorted, each once.
  [[nodiscard]] std::vector<std::string> upstream() const;
};

/// One task output a DAG output may come from.
struct OutputSelector {
  std::string producer_task;
  std::string output_key;
};

/// An output of a DAG, selected from one of its tasks, or (`oneof`) from whichever of several
/// tasks ran: `valueFromOneof` for parameters, several `artifactSelectors` for artifacts.
struct DagOutput {
  std::string name;
  bool is_artifact = false;
  std::string producer_task;
  std::string output_key;
  std::vector<OutputSelector> oneof{};
};

/// A graph of tasks.
struct Dag {
  std::vector<Task> tasks;
  std::vector<DagOutput> outputs;

  [[nodiscard]] const Task* find_task(const std::string& n) const;
};

/// A component (`comp-…`, or the root): an interface and either an executor or a DAG.
struct Component {
  std::string name;
  Interface inputs;
  Interface outputs;
  std::string executor_label;  ///< non-empty for a leaf component
  std::optional<Dag> dag;      ///< present for a DAG component
};

/// The shared storage of a run, mounted into every task that asks for it (`dsl.WORKSPACE_PATH`).
struct WorkspaceConfig {
  std::string size;                     ///< a quantity such as `10Gi`
  std::optional<Value> pvc_spec_patch;  ///< an object merged into the claim's spec
};

/// Pipeline-level settings of the Kubernetes platform (`platforms.kubernetes.pipelineConfig`).
struct PipelineConfig {
  std::optional<WorkspaceConfig> workspace;
  std::int64_t resource_ttl_on_completion = 0;  ///< seconds to keep the run's objects; 0: unset
  std::int64_t resource_ttl_on_success = 0;
  std::int64_t resource_ttl_on_failure = 0;
  std::int64_t active_deadline_seconds = 0;  ///< the whole run's time limit; 0: unset
};

/// A whole pipeline: what one KFP IR file holds.
struct Pipeline {
  std::string name;  ///< `pipelineInfo.name`
  std::string display_name;
  std::string description;
  std::string sdk_version;  ///< empty: `kfpp-<version>`
  std::string schema_version = "2.1.0";
  std::string default_pipeline_root;
  std::vector<Component> components;  ///< every `comp-…`, root excluded
  std::vector<Executor> executors;
  Component root;                        ///< has a `dag`
  std::optional<PipelineConfig> config;  ///< pipeline-level platform settings

  [[nodiscard]] const Component* find_component(const std::string& n) const;
  [[nodiscard]] const Executor* find_executor(const std::string& label) const;
};

}  // namespace kfpp::ir
