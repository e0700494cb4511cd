// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/component.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/format.hpp"
#include "kfpp/dsl/kubernetes.hpp"
#include "kfpp/dsl/loaded.hpp"
#include "kfpp/dsl/ports.hpp"
#include "kfpp/ir/pipeline.hpp"

namespace kfpp {

class Pipeline;
class TaskRef;
namespace detail {
PipelineState& state_of(Pipeline& p);
std::size_t task_id(const TaskRef& t);
}  // namespace detail

/// How a failed task is retried: up to `max_retries` more runs, waiting `backoff_seconds` first
/// and `backoff_factor` times longer each time, never more than `max_backoff_seconds`.
/// Example: `.retry({.max_retries = 3, .backoff_seconds = 60})`
struct RetryOptions {
  int max_retries = 0;                      ///< runs after the first one; 0: no retry
  std::int64_t backoff_seconds = 0;         ///< the wait before the first retry
  double backoff_factor = 2.0;              ///< how much longer each following wait is
  std::int64_t max_backoff_seconds = 3600;  ///< the longest wait
};

/// What every task handle has, whatever its component's type.
/// Example: `void log(const kfpp::TaskRef& t) { std::cout << t.name(); }`
class TaskRef {
 public:
  /// The task's name in the pipeline (`square`, `square-2`, …).
  [[nodiscard]] const std::string& name() const;

  /// @cond KFPP_INTERNAL
 protected:
  TaskRef(detail::PipelineState* state, std::size_t id) : state_(state), id_(id) {}
  void require_set() const;
  void add_after(const TaskRef& other);
  void set_display_name(std::string text);
  void set_caching(bool enabled);
  void set_cache_key(std::string key);
  void set_quantity(int which, const StringArg& value);
  void set_accelerator(const StringArg& type, const CountArg& count);
  void set_env(std::string name, std::string value);
  void set_image(const StringArg& image);
  void set_retry(const RetryOptions& options);
  void set_ignore_upstream_failure();
  [[nodiscard]] detail::Source output_source(std::string_view key) const;
  [[nodiscard]] detail::Source loaded_output_source(std::string_view key, bool artifact,
                                                    ir::ParameterType type,
                                                    const ir::ArtifactType& artifact_type) const;
  friend std::size_t detail::task_id(const TaskRef& t);

  detail::PipelineState* state_;
  std::size_t id_;
  /// @endcond
};

/// A task: one run of a component in the pipeline, with typed outputs.
/// Example: `auto sq = p.add(square, kfpp::in<"x"> = a); sq.output();`
template <class Outputs>
class Task : public TaskRef {
 public:
  /// The single output of the component. Example: `auto y = task.output();`
  auto output() const {
    static_assert(Outputs::size == 1,
                  "kfpp: output() without a name needs a component with exactly one output; "
                  "name it: output<\"name\">()");
    using T = typename Outputs::template at<0>::type;
    return Channel<T>(output_source(Outputs::template at<0>::name));
  }

  /// The output called `Name`. Example: `auto acc = eval.output<"accuracy">();`
  template <detail::FixedString Name>
  auto output() const {
    if constexpr (Outputs::has(Name.view())) {
      using T = typename Outputs::template at<Outputs::index_of(Name.view())>::type;
      return Channel<T>(output_source(Name.view()));
    } else {
      static_assert(detail::component_has_no_output_named<Name>::value);
      return Channel<int>(detail::Source{});
    }
  }

  /// Output `name` of a task of a loaded component, as a `Channel<T>`; throws DefinitionError
  /// when the component has no such output or it is not a `T`.
  /// Example: `kfpp::Channel<double> acc = eval.output<double>("accuracy");`
  template <class T>
  requires std::is_same_v<Outputs, DynamicPorts> Channel<T> output(std::string_view name)
  const {
    if constexpr (is_artifact_v<T>)
      return Channel<T>(loaded_output_source(name, true, ir::ParameterType::string,
                                             detail::artifact_type_of<T>()));
    else
      return Channel<T>(
          loaded_output_source(name, false, detail::parameter_type_of<T>(), ir::ArtifactType{}));
  }

  /// Runs this task only after `others` have finished. Example: `b.after(a);`
  template <class... T>
  Task& after(const T&... others) {
    static_assert((std::is_base_of_v<TaskRef, T> && ...), "kfpp: after() takes tasks");
    (add_after(others), ...);
    return *this;
  }
  /// The name the KFP UI shows for the task. Example: `.display_name("Train the model")`
  Task& display_name(std::string text) {
    set_display_name(std::move(text));
    return *this;
  }
  /// Turns result caching on or off (on by default). Example: `.caching(false)`
  Task& caching(bool enabled) {
    set_caching(enabled);
    return *this;
  }
  /// A cache key of the user's choosing: runs with the same key share results, whatever their
  /// inputs. Example: `.cache_key("dataset-v3")`
  Task& cache_key(std::string key) {
    set_cache_key(std::move(key));
    return *this;
  }

  // ---- resources ----
  /// Minimum CPUs: a number (`1.5`) or millicores (`500m`), or a channel read at run time.
  /// Example: `.cpu_request("500m")`
  Task& cpu_request(const StringArg& cpus) {
    set_quantity(0, cpus);
    return *this;
  }
  /// Maximum CPUs. Example: `.cpu_limit("2")`
  Task& cpu_limit(const StringArg& cpus) {
    set_quantity(1, cpus);
    return *this;
  }
  /// Minimum memory: bytes with an optional suffix (`512Mi`, `2G`), or a channel.
  /// Example: `.memory_request("1G")`
  Task& memory_request(const StringArg& bytes) {
    set_quantity(2, bytes);
    return *this;
  }
  /// Maximum memory. Example: `.memory_limit("32Gi")`
  Task& memory_limit(const StringArg& bytes) {
    set_quantity(3, bytes);
    return *this;
  }
  /// `count` accelerators of `type` (a resource name such as `nvidia.com/gpu`).
  /// Example: `.accelerator("nvidia.com/gpu", 2)`
  Task& accelerator(const StringArg& type, const CountArg& count = 1) {
    set_accelerator(type, count);
    return *this;
  }

  // ---- container ----
  /// Sets an environment variable of the task's container (replacing one of the same name).
  /// Example: `.env("LOG_LEVEL", "debug")`
  Task& env(std::string name, std::string value) {
    set_env(std::move(name), std::move(value));
    return *this;
  }
  /// Runs the task in another image, constant or read at run time.
  /// Example: `.image("python:3.12")`
  Task& image(const StringArg& ref) {
    set_image(ref);
    return *this;
  }
  /// Retries the task when it fails. Example: `.retry({.max_retries = 3, .backoff_seconds = 60})`
  Task& retry(const RetryOptions& options) {
    set_retry(options);
    return *this;
  }
  /// Runs the task once the tasks it waits for have finished, even when they failed (the
  /// trigger policy `ALL_UPSTREAM_TASKS_COMPLETED`). Every input fed by another task's output
  /// must then have a default, for when that output is never produced; a
  /// `PipelineTaskFinalStatus` input receives the final status of the one task it waits for.
  /// Example: `p.add(clean_up, kfpp::in<"msg"> = fail.output()).ignore_upstream_failure();`
  Task& ignore_upstream_failure() {
    set_ignore_upstream_failure();
    return *this;
  }

  /// The Kubernetes settings of the task's pod: volumes, secrets, scheduling, metadata.
  /// Example: `task.kubernetes().mount_pvc("data", "/data").pod_label("team", "ml");`
  k8s::Settings kubernetes() {
    require_set();
    return k8s::Settings(state_, id_);
  }

  /// An unset handle, to assign later: a task added inside a group's body and waited for after
  /// it. Using it before it is assigned throws `DefinitionError` (`kfpp.unset_task`).
  /// Example:
  /// ```
  /// kfpp::Task<Train::outputs> train;
  /// kfpp::ParallelFor(p, folds, [&](kfpp::Channel<int> f) { train = p.add(trainer, kfpp::in<"fold"> = f); });
  /// p.add(report).after(train);  // waits for the whole loop
  /// ```
  Task() : TaskRef(nullptr, 0) {}

 private:
  friend class Pipeline;
  Task(detail::PipelineState* state, std::size_t id) : TaskRef(state, id) {}
};

/// The shared storage of a run: a volume claim made for the run and mounted into every task that
/// asks for it through `kfpp::workspace_path` (the SDK's `dsl.WorkspaceConfig`).
/// Example: `kfpp::WorkspaceOptions{.size = "10Gi"}`
struct WorkspaceOptions {
  std::string size;                        ///< a quantity such as `1Gi` (required)
  Json pvc_spec_patch = Json::object({});  ///< merged into the claim's `spec`
};

/// Run-level settings of the Kubernetes platform (the SDK's `dsl.PipelineConfig`): the workspace,
/// how long the run's resources are kept after it ends, and its time limit. 0 leaves a limit unset.
/// Example: `p.config({.workspace = kfpp::WorkspaceOptions{.size = "1Gi"}, .active_deadline_seconds = 3600});`
struct PipelineConfig {
  std::optional<WorkspaceOptions> workspace{};  ///< `workspace`
  std::int64_t ttl_seconds_after_finished = 0;  ///< `resourceTtlOnCompletion`
  std::int64_t ttl_seconds_after_success = 0;   ///< `resourceTtlOnSuccess`
  std::int64_t ttl_seconds_after_failure = 0;   ///< `resourceTtlOnFailure`
  std::int64_t active_deadline_seconds = 0;     ///< `activeDeadlineSeconds`
};

/// What `Pipeline::importer` takes besides the URI.
/// Example: `p.importer<kfpp::Dataset>("gs://b/f.txt", {.reimport = true})`
struct ImporterOptions {
  bool reimport = false;  ///< import again even when the URI was imported before
  /// Metadata of the imported artifact: an object, constant (`kfpp::Json`) or with channels and
  /// templates in it (`kfpp::JsonTemplate`); each channel becomes an input `metadata`,
  /// `metadata-2`, … of the importer.
  std::optional<JsonTemplate> metadata{};
  /// Also copy the artifact into the run's workspace (needs `PipelineConfig::workspace`).
  bool download_to_workspace = false;
};

namespace detail {

template <class In>
struct RequiredInputs;
template <class... P>
struct RequiredInputs<Ports<P...>> {
  template <class Port, class... B>
  static constexpr bool one() {
    if constexpr (Port::optional || ((B::name == Port::name) || ... || false))
      return true;
    else
      return required_input_is_not_bound<Port::fixed_name>::value;
  }
  template <class... B>
  static constexpr bool all() {
    return (one<P, B...>() && ... && true);
  }
};

template <class B, class... Rest>
constexpr bool bound_once() {
  if constexpr (((B::name == Rest::name) || ... || false))
    return input_is_bound_twice<B::fixed_name>::value;
  else
    return true;
}

template <class... B>
struct UniqueBindings;
template <>
struct UniqueBindings<> {
  static constexpr bool value = true;
};
template <class B, class... Rest>
struct UniqueBindings<B, Rest...> {
  static constexpr bool value = bound_once<B, Rest...>() && UniqueBindings<Rest...>::value;
};

}  // namespace detail

/// A pipeline under construction: typed parameters, tasks, outputs. Lower it with `ir()`, or
/// compile it with `kfpp::compile`.
/// Example:
/// ```
/// kfpp::Pipeline p("addition-pipeline");
/// auto a = p.param<int>("a");
/// auto t = p.add(add, kfpp::in<"num1"> = a, kfpp::in<"num2"> = 1);
/// ```
class Pipeline {
 public:
  /// A pipeline called `name` (lower-case letters, digits and '-').
  explicit Pipeline(std::string name);
  ~Pipeline();  ///< Frees the definition.
  /// Pipelines move (a function may build and return one) but do not copy.
  /// Example: `kfpp::Pipeline p = make_pipeline();`
  ///@{
  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ///@}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// The pipeline's description. Example: `p.description("Trains and deploys a model.")`
  Pipeline& description(std::string text);
  /// The name the KFP UI shows. Example: `p.display_name("Training")`
  Pipeline& display_name(std::string text);
  /// Describes pipeline input `input` (declared before). Example: `p.describe("epochs", "Passes.")`
  Pipeline& describe(const std::string& input, std::string text);
  /// Describes pipeline output `output` (declared before).
  /// Example: `p.describe_output("model", "The trained model.")`
  Pipeline& describe_output(const std::string& output, std::string text);
  /// Where the run's artifacts are stored unless the run says otherwise (`defaultPipelineRoot`).
  /// Example: `p.pipeline_root("gs://my-bucket/runs")`
  Pipeline& pipeline_root(std::string uri);
  /// Run-level platform settings: workspace, resource TTLs, time limit; checked here.
  /// Example: `p.config({.workspace = kfpp::WorkspaceOptions{.size = "1Gi"}});`
  Pipeline& config(const PipelineConfig& settings);

  /// A required pipeline input of type `T` (a parameter type, an artifact type or a list of
  /// artifacts, `std::vector<kfpp::Dataset>`).
  /// Example: `auto a = p.param<double>("a");`
  template <class T>
  Channel<T> param(std::string name) {
    static_assert(is_artifact_v<T> || is_parameter_type<T>(),
                  "kfpp: a pipeline input is a parameter type or an artifact type");
    if constexpr (is_artifact_v<T>)
      return Channel<T>(add_artifact_input(std::move(name), detail::artifact_type_of<T>()));
    else if constexpr (is_artifact_list_v<T>)
      return Channel<T>(add_artifact_input(
          std::move(name), detail::artifact_type_of<typename T::value_type>(), true));
    else
      return Channel<T>(
          add_parameter_input(std::move(name), detail::parameter_type_of<T>(), std::nullopt));
  }

  /// A pipeline parameter with a default; the default must be of type `T`.
  /// Example: `auto c = p.param<int>("c", 10);`
  template <class T, class D>
  Channel<T> param(std::string name, D&& default_value) {
    static_assert(is_parameter_type<T>(), "kfpp: only parameters take defaults");
    if constexpr (detail::constant_fits<T, D>()) {
      return Channel<T>(add_parameter_input(std::move(name), detail::parameter_type_of<T>(),
                                            detail::constant_value<T>(default_value)));
    } else {
      static_assert(
          detail::default_value_of_type_does_not_fit_parameter_of_type<std::decay_t<D>, T>::value);
      return Channel<T>(detail::Source{});
    }
  }

  /// A list parameter whose default is written as a braced list.
  /// Example: `auto tags = p.param<std::vector<std::string>>("tags", {"a", "b"});`
  template <class T, class E>
  Channel<T> param(std::string name, std::initializer_list<E> default_items) {
    return param<T>(std::move(name), std::vector<E>(default_items));
  }

  /// Adds a task running `component`, with every required input bound by `kfpp::in<"name"> = v`.
  /// Unknown names, missing required inputs and type mismatches do not compile.
  /// Example: `auto t = p.add(square, kfpp::in<"x"> = a);`
  template <class In, class Out, class... B>
  Task<typename Component<In, Out>::outputs> add(const Component<In, Out>& component,
                                                 B&&... bindings) {
    static_assert((check_name<In, std::decay_t<B>>() && ... && true));
    static_assert(detail::UniqueBindings<std::decay_t<B>...>::value);
    static_assert(detail::RequiredInputs<In>::template all<std::decay_t<B>...>());
    std::vector<detail::Binding> bs;
    bs.reserve(sizeof...(B));
    (lower_binding<In>(bs, bindings), ...);
    return Task<typename Component<In, Out>::outputs>(
        state_, add_task(component.shared_data(), std::move(bs)));
  }

  /// Adds an importer task: brings the artifact at `uri` (a string, a `Channel<std::string>` or a
  /// `kfpp::format` template) into the pipeline as a `T`; its output is `output()`.
  /// Example: `auto data = p.importer<kfpp::Dataset>("gs://bucket/data.csv").output();`
  template <class T, class U>
  Task<Ports<Port<"artifact", T>>> importer(U&& uri, ImporterOptions options = {}) {
    static_assert(is_artifact_v<T>, "kfpp: an importer brings in an artifact type");
    detail::Source src;
    if constexpr (std::is_same_v<std::decay_t<U>, Template>) {
      return Task<Ports<Port<"artifact", T>>>(
          state_, add_importer(uri, detail::artifact_type_of<T>(), std::move(options)));
    } else if constexpr (detail::is_channel<std::decay_t<U>>::value) {
      static_assert(std::is_same_v<typename std::decay_t<U>::value_type, std::string>,
                    "kfpp: an importer's URI is a std::string");
      src = uri.source();
    } else {
      static_assert(std::is_convertible_v<const U&, std::string_view>,
                    "kfpp: an importer's URI is a string, a Channel<std::string> or a template");
      src.constant = ir::Value(std::string(std::string_view(uri)));
    }
    return Task<Ports<Port<"artifact", T>>>(
        state_, add_importer(std::move(src), detail::artifact_type_of<T>(), std::move(options)));
  }

  /// Declares pipeline output `name`, taken from a task output.
  /// Example: `p.output("Output", root.output());`
  template <class T>
  Pipeline& output(std::string name, const Channel<T>& value) {
    add_output(std::move(name), value.source(), is_artifact_v<T> || is_artifact_list_v<T>);
    return *this;
  }

  /// Adds a task running a component loaded from a file, with `inputs` by name; names, kinds and
  /// types are checked here (`DefinitionError`), as are required inputs.
  /// Example: `auto t = p.add(train, {{"epochs", 10}, {"data", prep.output<"data">()}});`
  Task<DynamicPorts> add(const LoadedComponent& component, const std::vector<NamedInput>& inputs) {
    return Task<DynamicPorts>(
        state_, add_task(component.shared_data(),
                         detail::check_loaded_inputs(component.data(), name(), inputs)));
  }

  /// Adds a task running `component` with inputs already checked; used by the library (e.g.
  /// `kfpp::k8s::create_pvc`).
  template <class Outputs>
  Task<Outputs> add_checked(const detail::ComponentData& component,
                            std::vector<detail::Binding> bindings) {
    return Task<Outputs>(state_, add_task(component, std::move(bindings)));
  }

  /// The pipeline lowered to the IR (not validated; `kfpp::compile` validates). On a temporary
  /// pipeline the data is moved rather than copied.
  /// Example: `kfpp::ir::Pipeline ir = p.ir();`
  [[nodiscard]] ir::Pipeline ir() const&;
  /// Lowers a pipeline that is going away, moving its data and freeing the rest before the IR is
  /// returned: the pipeline is empty afterwards. Example: `build().ir()`
  [[nodiscard]] ir::Pipeline ir() &&;

  /// The pipeline's name.
  [[nodiscard]] const std::string& name() const;

 private:
  template <class In, class B>
  static constexpr bool check_name() {
    if constexpr (In::has(B::name)) {
      using To = typename In::template at<In::index_of(B::name)>::type;
      return detail::check_binding<To, decltype(B::value)>();
    } else {
      return detail::component_has_no_input_named<B::fixed_name>::value;
    }
  }

  template <class In, class B>
  void lower_binding(std::vector<detail::Binding>& out, const B& b) {
    using D = std::decay_t<B>;
    using To = typename In::template at<In::index_of(D::name)>::type;
    using V = decltype(D::value);
    constexpr bool artifact = is_artifact_v<To> || is_artifact_list_v<To>;
    if constexpr (detail::is_channel<V>::value)
      bind_channel(out, D::name, artifact, b.value.source());
    else if constexpr (std::is_same_v<V, PipelinePlaceholder>)
      bind_constant(out, D::name, ir::Value(std::string(b.value.text)));
    else if constexpr (std::is_same_v<V, Template>)
      bind_template(out, D::name, b.value);
    else
      bind_constant(out, D::name, detail::constant_value<To>(b.value));
  }
  static void bind_channel(std::vector<detail::Binding>& out, std::string_view port, bool artifact,
                           const detail::Source& source);
  static void bind_constant(std::vector<detail::Binding>& out, std::string_view port,
                            ir::Value value);
  static void bind_template(std::vector<detail::Binding>& out, std::string_view port,
                            const Template& text);

  detail::Source add_parameter_input(std::string name, ir::ParameterType type,
                                     std::optional<ir::Value> default_value);
  detail::Source add_artifact_input(std::string name, ir::ArtifactType type, bool list = false);
  std::size_t add_task(const detail::SharedComponent& component, std::vector<detail::Binding> bs);
  std::size_t add_task(const detail::ComponentData& component, std::vector<detail::Binding> bs);
  std::size_t add_importer(detail::Source uri, ir::ArtifactType type, ImporterOptions options);
  std::size_t add_importer(const Template& uri, ir::ArtifactType type, ImporterOptions options);
  std::size_t add_importer_task(detail::Binding uri, ir::ArtifactType type,
                                ImporterOptions options);
  void add_output(std::string name, const detail::Source& source, bool artifact);
  static ir::Pipeline lower(detail::PipelineState& state, bool steal);
  friend detail::PipelineState& detail::state_of(Pipeline& p);

  detail::PipelineState* state_;  // owned; a raw pointer keeps <memory> out of the header
};

template <class In, class Out>
Component<In, Out> Component<In, Out>::pipeline(const Pipeline& p) {
  Component c(p.name());
  detail::use_pipeline(c.data_.mut(), p.ir());
  return c;
}

namespace k8s {

/// Adds a task that creates a PersistentVolumeClaim; its output is the claim's name, to mount
/// with `mount_pvc` and delete with `delete_pvc`.
/// Example:
/// ```
/// auto pvc = kfpp::k8s::create_pvc(p, {.name_suffix = "-data", .access_modes = {"ReadWriteOnce"},
///                                      .size = "5Gi"});
/// train.kubernetes().mount_pvc(pvc.output(), "/data");
/// ```
inline Task<Ports<Port<"name", std::string>>> create_pvc(Pipeline& p, const PvcOptions& options) {
  return p.add_checked<Ports<Port<"name", std::string>>>(
      detail::create_pvc_component(), detail::create_pvc_bindings(options, p.name()));
}

/// Adds a task that deletes claim `pvc`; make it run after the tasks that use the claim.
/// Example: `kfpp::k8s::delete_pvc(p, pvc.output()).after(train);`
inline Task<Ports<>> delete_pvc(Pipeline& p, const StringArg& pvc) {
  return p.add_checked<Ports<>>(detail::delete_pvc_component(),
                                detail::delete_pvc_bindings(pvc, p.name()));
}

}  // namespace k8s

}  // namespace kfpp
