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
/// Example: `spec.type = kfpp::ir::ParameterType::number_double;`
enum class ParameterType {
  string,             ///< STRING
  number_integer,     ///< NUMBER_INTEGER
  number_double,      ///< NUMBER_DOUBLE
  boolean,            ///< BOOLEAN
  list,               ///< LIST
  structure,          ///< STRUCT
  task_final_status,  ///< TASK_FINAL_STATUS
};

/// The KFP spelling of a parameter type.
/// Example: `kfpp::ir::to_string(kfpp::ir::ParameterType::number_double)` is `"NUMBER_DOUBLE"`
[[nodiscard]] const char* to_string(ParameterType t) noexcept;
/// The parameter type named `name` (`STRING` …), or nullopt.
/// Example: `auto t = kfpp::ir::parameter_type_from_string("BOOLEAN");`
[[nodiscard]] std::optional<ParameterType> parameter_type_from_string(const std::string& name);
/// Whether `v` is a valid constant of type `t` (integers are accepted for NUMBER_DOUBLE).
/// Example: `kfpp::ir::value_matches(3, kfpp::ir::ParameterType::number_double) == true`
[[nodiscard]] bool value_matches(const Value& v, ParameterType t) noexcept;

/// An artifact's type: `{schemaTitle: system.Dataset, schemaVersion: 0.0.1}`.
/// Example: `kfpp::ir::ArtifactType t{"system.Model"};`
struct ArtifactType {
  std::string schema_title;              ///< `system.Dataset`, `google.VertexModel`, …
  std::string schema_version = "0.0.1";  ///< the schema's version
  /// Equal when title and version are.
  friend bool operator==(const ArtifactType&, const ArtifactType&) = default;
};

/// Whether an artifact of type `from` may feed an input of type `to`: the same type, or either
/// of them the generic `system.Artifact` (as the KFP SDK allows).
/// Example: `kfpp::ir::artifact_fits({"system.Artifact"}, {"system.Dataset"}) == true`
[[nodiscard]] bool artifact_fits(const ArtifactType& from, const ArtifactType& to) noexcept;

/// A parameter port of a component.
/// Example: `kfpp::ir::ParameterSpec p{"epochs", kfpp::ir::ParameterType::number_integer, 10};`
struct ParameterSpec {
  std::string name;                            ///< the port's name
  ParameterType type = ParameterType::string;  ///< `parameterType`
  std::optional<Value> default_value;          ///< `defaultValue`, when the port has one
  bool is_optional = false;                    ///< `isOptional`
  std::string description;                     ///< `description`, written when not empty
};

/// An artifact port of a component.
/// Example: `kfpp::ir::ArtifactSpec a{"model", {"system.Model"}};`
struct ArtifactSpec {
  std::string name;          ///< the port's name
  ArtifactType type;         ///< `artifactType`
  bool is_list = false;      ///< `isArtifactList`: a list of artifacts (a loop's collected output)
  bool is_optional = false;  ///< `isOptional`
  std::string description;   ///< `description`, written when not empty
};

/// The inputs or the outputs of a component.
/// Example: `if (auto* p = component.inputs.find_parameter("x")) use(p->type);`
struct Interface {
  std::vector<ParameterSpec> parameters;  ///< `parameters`, in order of declaration
  std::vector<ArtifactSpec> artifacts;    ///< `artifacts`, in order of declaration

  /// The parameter named `name`, or null.
  [[nodiscard]] const ParameterSpec* find_parameter(const std::string& name) const;
  /// The artifact named `name`, or null.
  [[nodiscard]] const ArtifactSpec* find_artifact(const std::string& name) const;
  /// Whether there is no port at all.
  [[nodiscard]] bool empty() const noexcept { return parameters.empty() && artifacts.empty(); }
};

/// One command-line element of a container. Text may embed KFP placeholders such as
/// `{{$.inputs.parameters['x']}}`; `concat` and `if_present` are the structured forms.
/// Example: `container.args.push_back(kfpp::ir::Arg::of("--epochs"));`
struct Arg {
  /// Which form the element has.
  enum class Kind {
    text,       ///< a string
    concat,     ///< `{Concat: [...]}`
    if_present  ///< `{IfPresent: {InputName, Then, Else}}`
  };
  Kind kind = Kind::text;      ///< the form
  std::string text;            ///< text: the string
  std::vector<Arg> items;      ///< concat: the parts; if_present: the `Then` list
  std::string input_name;      ///< if_present: the optional input tested
  std::vector<Arg> otherwise;  ///< if_present: the `Else` list
  bool has_otherwise = false;  ///< if_present: whether `Else` is written
  /// if_present: `Then` is one element written as itself rather than as a list (the SDK's
  /// `then=x` rather than `then=[x]`); `items` then holds exactly that element.
  bool then_single = false;
  /// if_present: the same for `Else`.
  bool else_single = false;

  /// A text element.
  static Arg of(std::string s) {
    return Arg{Kind::text, std::move(s), {}, {}, {}, false, false, false};
  }
};

/// A lightweight Python component: function source run by the KFP launcher.
/// Example: `kfpp::ir::PythonFunction f{"def add(a: int, b: int) -> int:\n    return a + b\n", "add"};`
struct PythonFunction {
  std::string source;                 ///< the function's text (and anything it needs around it)
  std::string function_name;          ///< the function to call
  std::vector<std::string> packages;  ///< pip requirements, installed before running
  std::vector<std::string> pip_index_urls;  ///< extra indexes; the first is `--index-url`
  std::string kfp_package = "kfp==2.15.2";  ///< the KFP runtime the launcher installs
  /// Hosts pip trusts (`--trusted-host`); unset: each index URL, as the SDK 2.15 does.
  std::optional<std::vector<std::string>> pip_trusted_hosts;
  bool install_kfp_package = true;  ///< whether the launcher installs the KFP runtime
  std::string kfp_package_path;     ///< non-empty: what pip installs instead of `kfp_package`
  bool use_venv = false;            ///< install the runtime into a virtual environment
  /// The image already holds the function and the runtime (the SDK's `target_image`): the
  /// command is `python3 -m kfp.dsl.executor_main`, without the function's text.
  bool containerized = false;

  /// Whether the launcher installs the KFP runtime: asked to, not containerized, and no
  /// requirement of the user's names a `kfp…` package (the SDK then leaves the runtime to it).
  /// Example: `if (!fn.installs_kfp()) { /* the image or the packages bring kfp */ }`
  [[nodiscard]] bool installs_kfp() const noexcept {
    if (!install_kfp_package || containerized) return false;
    for (const auto& p : packages)
      if (p.rfind("kfp", 0) == 0) return false;
    return true;
  }
};

struct KubernetesConfig;  // kfpp/ir/kubernetes.hpp

/// An optional `T` held out of line, so that a header can hold one without `T`'s definition
/// (which only code reading it includes). Copies deeply; used like `std::optional`.
/// Example: `exec.kubernetes.emplace().image_pull_policy = "Always";`
template <class T>
class Indirect {
 public:
  /// Empty.
  Indirect() noexcept = default;
  /// A deep copy.
  Indirect(const Indirect& other);
  /// Takes `other`'s value, leaving it empty.
  Indirect(Indirect&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
  /// A deep copy.
  Indirect& operator=(const Indirect& other);
  /// Takes `other`'s value, leaving it empty.
  Indirect& operator=(Indirect&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = other.p_;
      other.p_ = nullptr;
    }
    return *this;
  }
  /// Frees the value.
  ~Indirect() { reset(); }

  /// A default `T`, replacing any value held.
  T& emplace();
  /// Drops the value.
  void reset() noexcept;
  /// Whether a value is held.
  [[nodiscard]] bool has_value() const noexcept { return p_ != nullptr; }
  /// Whether a value is held.
  explicit operator bool() const noexcept { return p_ != nullptr; }
  /// The value; only when one is held.
  T& operator*() noexcept { return *p_; }
  /// The value; only when one is held.
  const T& operator*() const noexcept { return *p_; }
  /// The value's members; only when one is held.
  T* operator->() noexcept { return p_; }
  /// The value's members; only when one is held.
  const T* operator->() const noexcept { return p_; }

 private:
  T* p_ = nullptr;
};

// Defined and instantiated once, in the library.
extern template class Indirect<KubernetesConfig>;

/// The accelerators a container asks for. `type`/`count` are the old fields, written only for
/// constants; `resource_type`/`resource_count` may hold a placeholder read at run time.
/// Example: `resources.accelerator = kfpp::ir::Accelerator{"nvidia.com/gpu", 1, "nvidia.com/gpu", "1"};`
struct Accelerator {
  std::string type;                   ///< `accelerator.type`, constants only
  std::optional<std::int64_t> count;  ///< `accelerator.count`, constants only
  std::string resource_type;          ///< `accelerator.resourceType`
  std::string resource_count;         ///< `accelerator.resourceCount`
};

/// CPU, memory and accelerators of a container. Each quantity has an old numeric field (CPUs;
/// memory in decimal GB), written only for constants, and a new string field (`500m`, `32Gi`, or
/// a placeholder such as `{{$.inputs.parameters['pipelinechannel--cpu']}}`).
/// Example: `container.resources.resource_cpu_limit = "500m";`
struct Resources {
  std::optional<double> cpu_limit;         ///< `cpuLimit` (CPUs)
  std::optional<double> cpu_request;       ///< `cpuRequest` (CPUs)
  std::optional<double> memory_limit;      ///< `memoryLimit` (GB)
  std::optional<double> memory_request;    ///< `memoryRequest` (GB)
  std::string resource_cpu_limit;          ///< `resourceCpuLimit`
  std::string resource_cpu_request;        ///< `resourceCpuRequest`
  std::string resource_memory_limit;       ///< `resourceMemoryLimit`
  std::string resource_memory_request;     ///< `resourceMemoryRequest`
  std::optional<Accelerator> accelerator;  ///< `accelerator`

  /// Whether nothing is set.
  [[nodiscard]] bool empty() const noexcept {
    return !cpu_limit && !cpu_request && !memory_limit && !memory_request &&
           resource_cpu_limit.empty() && resource_cpu_request.empty() &&
           resource_memory_limit.empty() && resource_memory_request.empty() && !accelerator;
  }
};

/// A container executor. For a Python function, `command` and `args` are derived by emitters from
/// `python` and left empty here.
/// Example: `kfpp::ir::ContainerSpec c; c.image = "alpine:3.20"; c.command = {kfpp::ir::Arg::of("echo")};`
struct ContainerSpec {
  std::string image;                     ///< `image`
  std::vector<Arg> command;              ///< `command`
  std::vector<Arg> args;                 ///< `args`
  std::vector<EnvVar> env;               ///< `env` (constant values)
  std::optional<PythonFunction> python;  ///< set for a lightweight Python component
  Resources resources;                   ///< `resources`
};

/// An importer executor: brings an existing artifact (by URI) into the pipeline.
/// Example: `kfpp::ir::ImporterSpec i{"gs://bucket/data.csv", "", {"system.Dataset"}};`
struct ImporterSpec {
  std::string uri_constant;            ///< `artifactUri.constant`, when the URI is fixed
  std::string uri_parameter;           ///< non-empty: `artifactUri.runtimeParameter`
  ArtifactType type;                   ///< `typeSchema`
  std::optional<Value> metadata;       ///< an object, written only when present
  bool reimport = false;               ///< `reimport`
  bool download_to_workspace = false;  ///< also copy the artifact into the pipeline's workspace
};

/// A named executor (`exec-…`): a container or an importer, and what the Kubernetes platform
/// spec says about its pod.
/// Example: `if (const auto* e = ir.find_executor("exec-train"); e && e->container) use(e->container->image);`
struct Executor {
  std::string label;                       ///< `exec-…`
  std::optional<ContainerSpec> container;  ///< a container executor
  std::optional<ImporterSpec> importer;    ///< or an importer
  /// The kfp-kubernetes settings of the pod (`#include <kfpp/ir/kubernetes.hpp>` to read them).
  Indirect<KubernetesConfig> kubernetes;
};

/// How a failed task is retried (`retryPolicy`); durations are `<seconds>s`.
/// Example: `task.retry_policy = kfpp::ir::RetryPolicy{3, "10s"};`
struct RetryPolicy {
  std::int64_t max_retry_count = 0;            ///< `maxRetryCount`
  std::string backoff_duration = "0s";         ///< `backoffDuration`
  double backoff_factor = 2.0;                 ///< `backoffFactor`
  std::string backoff_max_duration = "3600s";  ///< `backoffMaxDuration`
};

/// A task of a DAG: an instance of a component with its inputs bound.
/// Example: `for (const auto& t : ir.root.dag->tasks) std::cout << t.name << " <- " << t.upstream().size();`
struct Task {
  std::string name;                          ///< key in the DAG, unique in the pipeline
  std::string display_name;                  ///< `taskInfo.name`; empty means `name`
  std::string component_ref;                 ///< `comp-…`
  std::vector<ParameterBinding> parameters;  ///< `inputs.parameters`
  std::vector<ArtifactBinding> artifacts;    ///< `inputs.artifacts`
  std::vector<std::string> dependent_tasks;  ///< sibling tasks that must finish first
  /// `cachingOptions`: absent for DAG tasks; `enableCache` and optional cache key otherwise.
  std::optional<bool> enable_cache = true;
  std::string cache_key;  ///< `cachingOptions.cacheKey`, when set
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
  std::int64_t parallelism_limit = 0;       ///< `iteratorPolicy.parallelismLimit`; 0: unlimited
  std::optional<RetryPolicy> retry_policy;  ///< `retryPolicy`

  /// The parameter input named `n`, or null.
  [[nodiscard]] const ParameterBinding* find_parameter(const std::string& n) const;
  /// The artifact input named `n`, or null.
  [[nodiscard]] const ArtifactBinding* find_artifact(const std::string& n) const;
  /// The sibling tasks this one waits for: `dependent_tasks` and every task whose output or final
  /// status it reads (the KFP backend adds those too); sorted, each once.
  [[nodiscard]] std::vector<std::string> upstream() const;
};

/// One task output a DAG output may come from.
/// Example: `kfpp::ir::OutputSelector s{"train", "model"};`
struct OutputSelector {
  std::string producer_task;  ///< the task in the DAG
  std::string output_key;     ///< its output
};

/// An output of a DAG, selected from one of its tasks, or (`oneof`) from whichever of several
/// tasks ran: `valueFromOneof` for parameters, several `artifactSelectors` for artifacts.
/// Example: `dag.outputs.push_back({"Output", false, "square-root", "Output"});`
struct DagOutput {
  std::string name;                     ///< the DAG component's output
  bool is_artifact = false;             ///< an artifact output (else a parameter)
  std::string producer_task;            ///< the task it comes from (unless `oneof`)
  std::string output_key;               ///< that task's output (unless `oneof`)
  std::vector<OutputSelector> oneof{};  ///< the candidates of a `oneof` output
};

/// A graph of tasks.
/// Example: `const kfpp::ir::Task* t = ir.root.dag->find_task("train");`
struct Dag {
  std::vector<Task> tasks;         ///< in order of creation
  std::vector<DagOutput> outputs;  ///< `outputs` of the DAG

  /// The task named `n`, or null.
  [[nodiscard]] const Task* find_task(const std::string& n) const;
};

/// A component (`comp-…`, or the root): an interface and either an executor or a DAG.
/// Example: `const kfpp::ir::Component* c = ir.find_component("comp-train");`
struct Component {
  std::string name;            ///< `comp-…`; empty for the root
  Interface inputs;            ///< `inputDefinitions`
  Interface outputs;           ///< `outputDefinitions`
  std::string executor_label;  ///< non-empty for a leaf component
  std::optional<Dag> dag;      ///< present for a DAG component
};

/// The shared storage of a run, mounted into every task that asks for it (`dsl.WORKSPACE_PATH`).
/// Example: `ir.config.emplace().workspace = kfpp::ir::WorkspaceConfig{"10Gi"};`
struct WorkspaceConfig {
  std::string size;                     ///< a quantity such as `10Gi`
  std::optional<Value> pvc_spec_patch;  ///< an object merged into the claim's spec
};

/// Pipeline-level settings of the Kubernetes platform (`platforms.kubernetes.pipelineConfig`).
/// Example: `ir.config.emplace().active_deadline_seconds = 3600;`
struct PipelineConfig {
  std::optional<WorkspaceConfig> workspace;     ///< `workspace`
  std::int64_t resource_ttl_on_completion = 0;  ///< seconds to keep the run's objects; 0: unset
  std::int64_t resource_ttl_on_success = 0;     ///< the same, after success; 0: unset
  std::int64_t resource_ttl_on_failure = 0;     ///< the same, after failure; 0: unset
  std::int64_t active_deadline_seconds = 0;     ///< the whole run's time limit; 0: unset
};

/// A whole pipeline: what one KFP IR file holds.
/// Example: `kfpp::ir::Pipeline ir = kfpp::ir::read_pipeline_file("pipeline.yaml");`
struct Pipeline {
  std::string name;                      ///< `pipelineInfo.name`
  std::string display_name;              ///< `pipelineInfo.displayName`, when set
  std::string description;               ///< `pipelineInfo.description`, when set
  std::string sdk_version;               ///< empty: `kfpp-<version>`
  std::string schema_version = "2.1.0";  ///< `schemaVersion`
  std::string default_pipeline_root;     ///< `defaultPipelineRoot`, when set
  std::vector<Component> components;     ///< every `comp-…`, root excluded
  std::vector<Executor> executors;       ///< every `exec-…`
  Component root;                        ///< has a `dag`
  std::optional<PipelineConfig> config;  ///< pipeline-level platform settings

  /// The component named `n` (`comp-…`), or null.
  [[nodiscard]] const Component* find_component(const std::string& n) const;
  /// The executor labelled `label` (`exec-…`), or null.
  [[nodiscard]] const Executor* find_executor(const std::string& label) const;
};

}  // namespace kfpp::ir
