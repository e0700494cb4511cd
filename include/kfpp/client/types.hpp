// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/ir/value.hpp"

namespace kfpp {

/// A point in time as the API writes it (RFC 3339, `2026-01-05T10:00:00Z`); empty when the server
/// left the field out.
/// Example: `if (run.finished_at) std::cout << run.finished_at.rfc3339;`
struct Timestamp {
  std::string rfc3339{};                           ///< the text the server sent, or empty
  std::optional<std::chrono::sys_seconds> time{};  ///< the parsed time (UTC), when it parsed

  /// Whether the server gave a time. Example: `if (run.created_at) ...`
  explicit operator bool() const noexcept { return !rfc3339.empty(); }
  /// The time of `text` (RFC 3339); an empty or unreadable text gives no `time`.
  /// Example: `auto t = kfpp::Timestamp::parse("2026-01-05T10:00:00Z");`
  [[nodiscard]] static Timestamp parse(std::string text);
  /// `time` as RFC 3339 UTC text (`2026-01-05T10:00:00Z`).
  /// Example: `auto t = kfpp::Timestamp::at(std::chrono::sys_seconds{std::chrono::seconds{0}});`
  [[nodiscard]] static Timestamp at(std::chrono::sys_seconds time);
};

/// The state of a run or task (`v2beta1RuntimeState`).
/// Example: `if (run.state == kfpp::RunState::succeeded) ...`
enum class RunState {
  unspecified,  ///< not given
  pending,      ///< being prepared
  running,      ///< in progress
  succeeded,    ///< finished successfully
  skipped,      ///< skipped (e.g. cached)
  failed,       ///< failed
  canceling,    ///< being canceled
  canceled,     ///< canceled
  paused,       ///< paused
};

/// The API's name of a state (`SUCCEEDED`). Example: `kfpp::to_string(kfpp::RunState::failed)`
[[nodiscard]] std::string_view to_string(RunState state) noexcept;
/// The state named `name` (`RUNNING`); unknown names are `unspecified`.
/// Example: `kfpp::run_state_from("FAILED") == kfpp::RunState::failed`
[[nodiscard]] RunState run_state_from(std::string_view name) noexcept;
/// Whether a run in `state` is done: succeeded, skipped, failed or canceled.
/// Example: `if (kfpp::is_final(run.state)) report(run);`
[[nodiscard]] bool is_final(RunState state) noexcept;

/// Whether an experiment or run is archived (`v2beta1*StorageState`).
/// Example: `if (e.storage_state == kfpp::StorageState::archived) ...`
enum class StorageState {
  unspecified,  ///< not given
  available,    ///< in use
  archived,     ///< archived
};

/// The error the server attached to an object (`google.rpc.Status`).
/// Example: `if (run.error) std::cerr << run.error->message;`
struct ServerStatus {
  int code = 0;           ///< gRPC code
  std::string message{};  ///< what happened
};

/// What `GET /healthz` says about the backend. Example: `if (client.health().multi_user) ...`
struct Health {
  bool multi_user = false;       ///< whether the backend is in multi-user mode
  std::string pipeline_store{};  ///< where pipelines are stored (`database`, `kubernetes`)
};

/// An experiment. Example: `kfpp::Experiment e = client.create_experiment("nightly");`
struct Experiment {
  std::string id{};                 ///< `experiment_id`
  std::string display_name{};       ///< its (unique) name
  std::string description{};        ///< what it is for
  std::string namespace_{};         ///< its namespace on a multi-user cluster
  Timestamp created_at{};           ///< when it was created
  Timestamp last_run_created_at{};  ///< when its last run was created
  StorageState storage_state = StorageState::unspecified;  ///< archived or not
};

/// A pipeline (the versions hold the specs). Example: `kfpp::PipelineInfo p = client.get_pipeline(id);`
struct PipelineInfo {
  std::string id{};                     ///< `pipeline_id`
  std::string name{};                   ///< unique name
  std::string display_name{};           ///< name shown in the UI
  std::string description{};            ///< what it does
  std::string namespace_{};             ///< its namespace; empty: shared
  Timestamp created_at{};               ///< when it was created
  std::optional<ServerStatus> error{};  ///< set when the server could not read it
};

/// A version of a pipeline. Example: `kfpp::PipelineVersion v = client.get_pipeline_version(p, v_id);`
struct PipelineVersion {
  std::string id{};                     ///< `pipeline_version_id`
  std::string pipeline_id{};            ///< the pipeline it belongs to
  std::string name{};                   ///< its name
  std::string display_name{};           ///< name shown in the UI
  std::string description{};            ///< what changed
  std::string code_source_url{};        ///< where its source is
  std::string package_url{};            ///< where the server read it from, if from a URL
  Timestamp created_at{};               ///< when it was created
  std::optional<ServerStatus> error{};  ///< set when the server could not read it
};

/// One task of a run, from the run's details. Example: `for (auto& t : run.tasks) t.state;`
struct RunTask {
  std::string id{};                        ///< `task_id`
  std::string display_name{};              ///< the task's name
  RunState state = RunState::unspecified;  ///< its state
};

/// A pipeline run. Example: `kfpp::Run r = client.get_run(id); kfpp::to_string(r.state);`
struct Run {
  std::string id{};                   ///< `run_id`
  std::string experiment_id{};        ///< its experiment
  std::string display_name{};         ///< its name
  std::string description{};          ///< its description
  std::string pipeline_id{};          ///< the pipeline it runs, when run from a pipeline version
  std::string pipeline_version_id{};  ///< the version it runs, when run from a pipeline version
  std::string service_account{};      ///< the Kubernetes service account of its pods
  std::string recurring_run_id{};     ///< the recurring run that made it, if any
  ir::Value::Object parameters{};     ///< the runtime parameters
  std::string pipeline_root{};        ///< where its artifacts go
  RunState state = RunState::unspecified;                  ///< its state
  StorageState storage_state = StorageState::unspecified;  ///< archived or not
  Timestamp created_at{};                                  ///< when it was created
  Timestamp scheduled_at{};                                ///< when it was scheduled
  Timestamp finished_at{};                                 ///< when it finished
  std::optional<ServerStatus> error{};                     ///< why it failed
  std::vector<RunTask> tasks{};  ///< its tasks, when the server reports them
};

/// Whether a recurring run schedules runs (`v2beta1RecurringRunStatus`).
/// Example: `if (r.status == kfpp::RecurringRunStatus::enabled) ...`
enum class RecurringRunStatus {
  unspecified,  ///< not given
  enabled,      ///< schedules runs
  disabled,     ///< does not
};

/// A recurring run: a pipeline started on a cron schedule or at an interval.
/// Example: `kfpp::RecurringRun r = client.get_recurring_run(id); r.cron;`
struct RecurringRun {
  std::string id{};                   ///< `recurring_run_id`
  std::string display_name{};         ///< its name
  std::string description{};          ///< its description
  std::string experiment_id{};        ///< the experiment of its runs
  std::string namespace_{};           ///< its namespace
  std::string pipeline_id{};          ///< the pipeline, when from a pipeline version
  std::string pipeline_version_id{};  ///< the version, when from a pipeline version
  std::string service_account{};      ///< the service account of its runs
  ir::Value::Object parameters{};     ///< the runtime parameters of its runs
  std::string pipeline_root{};        ///< where its runs' artifacts go
  std::string cron{};                 ///< the cron schedule, or empty
  std::int64_t interval_seconds = 0;  ///< the interval, or 0
  Timestamp start_time{};             ///< no run before
  Timestamp end_time{};               ///< no run after
  std::int64_t max_concurrency = 0;   ///< runs at once
  bool no_catchup = false;            ///< skip missed intervals instead of backfilling them
  RecurringRunStatus status = RecurringRunStatus::unspecified;  ///< enabled or not
  Timestamp created_at{};                                       ///< when it was created
  Timestamp updated_at{};                                       ///< when it last changed
  std::optional<ServerStatus> error{};                          ///< a problem the server reports
};

/// One page of a list call and the token of the next (empty on the last page).
/// Example: `for (auto page = client.list_runs(); ; page = client.list_runs({.page_token = page.next_page_token})) { ...; if (page.next_page_token.empty()) break; }`
template <class T>
struct Page {
  std::vector<T> items{};         ///< the objects on this page
  std::string next_page_token{};  ///< pass as `ListOptions::page_token` for the next page
  int total_size = 0;             ///< the number of objects matching, when the server says
};

/// Paging, sorting and filtering of list calls.
/// Example: `client.list_runs({.page_size = 20, .sort_by = "created_at desc", .experiment_id = id});`
struct ListOptions {
  std::string page_token{};  ///< from the previous page's `next_page_token`
  int page_size = 0;         ///< objects per page; 0: the server's default
  std::string sort_by{};     ///< `field` or `field desc`
  /// A filter as the API takes it (JSON of `v2beta1Filter`), e.g. from `filter_equals`.
  std::string filter{};
  std::string namespace_{};     ///< overrides the client's namespace
  std::string experiment_id{};  ///< runs and recurring runs of one experiment
};

/// A filter selecting objects whose `key` equals `value`, for `ListOptions::filter`.
/// Example: `client.list_experiments({.filter = kfpp::filter_equals("display_name", "nightly")});`
[[nodiscard]] std::string filter_equals(std::string_view key, std::string_view value);

/// The pipeline a run or recurring run executes: IR text (a file's contents or `kfpp::compile`'s
/// output) or a pipeline uploaded before (its id, and optionally a version id; without one the
/// server takes the latest version).
/// Example: `kfpp::PipelineSource{.yaml = kfpp::compile(p)}` or `{.pipeline_id = id}`
struct PipelineSource {
  std::string yaml{};                 ///< KFP IR YAML (one or two documents)
  std::string pipeline_id{};          ///< an uploaded pipeline
  std::string pipeline_version_id{};  ///< one of its versions
};

/// What a new run is: its name, pipeline, parameters and settings (`kfp.Client.run_pipeline`).
/// Example: `client.create_run({.display_name = "nightly", .pipeline = {.yaml = text}, .parameters = {{"epochs", 3}}});`
struct RunRequest {
  std::string display_name{};      ///< the run's name (required)
  std::string description{};       ///< optional
  std::string experiment_id{};     ///< its experiment; empty: the server's default experiment
  PipelineSource pipeline{};       ///< what it runs
  ir::Value::Object parameters{};  ///< values of the pipeline's parameters
  std::string pipeline_root{};     ///< where artifacts go; empty: the pipeline's default
  /// Caching for every task of a pipeline given as YAML (it overrides each task's setting); unset:
  /// as compiled.
  std::optional<bool> enable_caching{};
  std::string service_account{};  ///< Kubernetes service account of its pods
};

/// What a new recurring run is: a cron expression or an interval, a window, concurrency and the
/// run's settings (`kfp.Client.create_recurring_run`).
/// Example: `client.create_recurring_run({.run = {...}, .cron = "0 0 3 * * *"});`
struct RecurringRunRequest {
  RunRequest run{};                   ///< name, pipeline, parameters and settings of each run
  std::string cron{};                 ///< a 6-field cron expression (seconds first), or
  std::int64_t interval_seconds = 0;  ///< an interval; exactly one of the two
  std::optional<std::chrono::sys_seconds> start_time{};  ///< no run before
  std::optional<std::chrono::sys_seconds> end_time{};    ///< no run after
  std::int64_t max_concurrency = 1;                      ///< runs at once, 1 to 10
  bool no_catchup = false;  ///< skip missed intervals instead of backfilling them
  bool enabled = true;      ///< whether it starts enabled
};

/// How `Client::wait_for_run` waits: the longest time, the time between polls, and a function
/// told of each state change (the run as last read).
/// Example: `client.wait_for_run(id, {.timeout = std::chrono::minutes(30), .on_progress = print});`
struct WaitOptions {
  std::chrono::milliseconds timeout{std::chrono::hours(24)};  ///< give up after this
  std::chrono::milliseconds poll_interval{5000};              ///< between two reads of the run
  std::function<void(const Run&)>
      on_progress{};  ///< called when the state or a task's state changes
};

}  // namespace kfpp
