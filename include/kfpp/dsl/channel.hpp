// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/types.hpp"

namespace kfpp {

/// A typed value that exists only when the pipeline runs: a pipeline parameter or a task output.
/// Pass it to a task input of the same type.
/// Example: `kfpp::Channel<double> a = p.param<double>("a");`
template <class T>
class Channel {
 public:
  /// The type of the value. Example: `using T = kfpp::Channel<double>::value_type;`
  using value_type = T;

  /// The plain description of the source; used by the library.
  [[nodiscard]] const detail::Source& source() const noexcept { return source_; }

  /// A field of a struct loop item, read as type `U`.
  /// Example: `kfpp::ParallelFor(p, configs, [&](auto item) { item.template field<double>("lr");
  /// })`
  template <class U>
  [[nodiscard]] Channel<U> field(std::string name) const {
    static_assert(std::is_same_v<T, Json>, "kfpp: field() reads a field of a struct (Json) item");
    return Channel<U>(detail::field_of(source_, std::move(name)));
  }

  /// Made by `Pipeline::param` and `Task::output`; use those.
  explicit Channel(detail::Source s) : source_(std::move(s)) {}

  /// An unset channel, to assign later (e.g. from inside a loop's body). Passing it anywhere
  /// before it is assigned is a `DefinitionError` (`kfpp.foreign_value`).
  /// Example: `kfpp::Channel<int> doubled; kfpp::ParallelFor(p, xs, [&](auto x) { doubled = ...;
  /// });`
  Channel() { source_.kind = detail::Source::Kind::task_output; }

 private:
  detail::Source source_;
};

namespace detail {
template <class T>
struct is_channel : std::false_type {};
template <class T>
struct is_channel<Channel<T>> : std::true_type {};
}  // namespace detail

/// A string setting given either as a constant or as a `Channel<std::string>` read when the task
/// runs (a pipeline parameter or a task output). Default-constructed, it is unset.
/// Example: `task.cpu_limit("500m"); task.cpu_limit(p.param<std::string>("cpu"));`
class StringArg {
 public:
  StringArg() = default;  ///< Unset.
  /// A constant. Example: `task.memory_limit("16Gi");`
  ///@{
  StringArg(const char* s) {
    source_.constant = ir::Value(std::string(s));
    set_ = true;
  }
  StringArg(std::string s) {
    source_.constant = ir::Value(std::move(s));
    set_ = true;
  }
  StringArg(std::string_view s) {
    source_.constant = ir::Value(std::string(s));
    set_ = true;
  }
  ///@}
  /// A value read when the task runs. Example: `task.memory_limit(p.param<std::string>("mem"));`
  StringArg(const Channel<std::string>& c) : source_(c.source()), set_(true) {}

  /// Whether a value was given.
  [[nodiscard]] bool is_set() const noexcept { return set_; }
  /// Whether it is a constant (rather than read at run time).
  [[nodiscard]] bool is_constant() const noexcept {
    return source_.kind == detail::Source::Kind::constant;
  }
  /// The constant; empty for a channel.
  [[nodiscard]] std::string text() const {
    return is_constant() && set_ ? source_.constant.as_string() : std::string();
  }
  /// The plain description of the source; used by the library.
  [[nodiscard]] const detail::Source& source() const noexcept { return source_; }

 private:
  detail::Source source_;
  bool set_ = false;
};

/// A count given as a non-negative integer constant or as a channel of an integer or a string of
/// digits. Example: `task.accelerator("nvidia.com/gpu", 2)`
class CountArg {
 public:
  /// A constant count. Example: `task.accelerator("nvidia.com/gpu", 4);`
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  CountArg(I n) {
    source_.constant = ir::Value(static_cast<long long>(n));
  }
  /// A count read when the task runs.
  /// Example: `task.accelerator("nvidia.com/gpu", p.param<int>("gpus"));`
  template <class T>
  CountArg(const Channel<T>& c) : source_(c.source()) {
    static_assert(
        std::is_same_v<T, std::string> || (std::is_integral_v<T> && !std::is_same_v<T, bool>),
        "kfpp: a count comes from a Channel of an integer or of a std::string");
  }
  /// The plain description of the source; used by the library.
  [[nodiscard]] const detail::Source& source() const noexcept { return source_; }

 private:
  detail::Source source_;
};

/// A JSON setting (an object or a list) given as a constant `kfpp::Json` or as a channel of a
/// struct or list type. Example: `k8s.node_selector_json(p.param<kfpp::Json>("selector", {}))`
class JsonArg {
 public:
  /// A constant. Example: `k8s.node_selector_json(kfpp::Json::object({{"disk", "ssd"}}));`
  JsonArg(Json value) { source_.constant = std::move(value); }
  /// A value read when the task runs.
  /// Example: `k8s.tolerations_json(p.param<kfpp::Json>("tolerations"));`
  template <class T>
  JsonArg(const Channel<T>& c) : source_(c.source()) {
    static_assert(
        std::is_same_v<T, Json> || detail::is_vector<T>::value || detail::is_string_map<T>::value,
        "kfpp: a JSON setting comes from a Channel of kfpp::Json, a std::vector or a "
        "std::map");
  }
  /// The plain description of the source; used by the library.
  [[nodiscard]] const detail::Source& source() const noexcept { return source_; }

 private:
  detail::Source source_;
};

/// A pipeline parameter. Example: `kfpp::Param<int> epochs = p.param<int>("epochs", 10);`
template <class T>
using Param = Channel<T>;

/// A task output. Example: `kfpp::Output<double> acc = eval.output<"accuracy">();`
template <class T>
using Output = Channel<T>;

/// A value the KFP backend fills in when the task runs (job name, task id, …): a string that can
/// feed a `std::string` input or stand in a container's command line.
/// Example: `p.add(notify, kfpp::in<"job"> = kfpp::pipeline_job_name);`
struct PipelinePlaceholder {
  std::string_view text;  ///< the KFP placeholder, e.g. `{{$.pipeline_job_name}}`
};

/// The run's name. Example: `p.add(notify, kfpp::in<"run"> = kfpp::pipeline_job_name);`
inline constexpr PipelinePlaceholder pipeline_job_name{"{{$.pipeline_job_name}}"};
/// The run's resource name. Example: `kfpp::in<"run"> = kfpp::pipeline_job_resource_name`
inline constexpr PipelinePlaceholder pipeline_job_resource_name{"{{$.pipeline_job_resource_name}}"};
/// The run's id. Example: `kfpp::in<"run_id"> = kfpp::pipeline_job_id`
inline constexpr PipelinePlaceholder pipeline_job_id{"{{$.pipeline_job_uuid}}"};
/// The task's name. Example: `kfpp::in<"task"> = kfpp::pipeline_task_name`
inline constexpr PipelinePlaceholder pipeline_task_name{"{{$.pipeline_task_name}}"};
/// The task's id. Example: `kfpp::in<"task_id"> = kfpp::pipeline_task_id`
inline constexpr PipelinePlaceholder pipeline_task_id{"{{$.pipeline_task_uuid}}"};
/// When the run was created (UTC). Example: `kfpp::in<"created"> = kfpp::pipeline_job_create_time_utc`
inline constexpr PipelinePlaceholder pipeline_job_create_time_utc{
    "{{$.pipeline_job_create_time_utc}}"};
/// When a scheduled run was scheduled (UTC).
/// Example: `kfpp::in<"scheduled"> = kfpp::pipeline_job_schedule_time_utc`
inline constexpr PipelinePlaceholder pipeline_job_schedule_time_utc{
    "{{$.pipeline_job_schedule_time_utc}}"};
/// The path where the run's workspace is mounted (needs `PipelineConfig::workspace`).
/// Example: `p.add(write_files, kfpp::in<"workspace_path"> = kfpp::workspace_path);`
inline constexpr PipelinePlaceholder workspace_path{"{{$.workspace_path}}"};
/// The pipeline root (where artifacts are stored). Example: `kfpp::in<"root"> = kfpp::pipeline_root`
inline constexpr PipelinePlaceholder pipeline_root{"{{$.pipeline_root}}"};

}  // namespace kfpp
