// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kfpp/client/error.hpp"
#include "kfpp/client/options.hpp"
#include "kfpp/client/parameters.hpp"
#include "kfpp/client/transport.hpp"
#include "kfpp/client/types.hpp"

namespace kfpp {

/// Options of a pipeline upload. Example: `client.upload_pipeline(yaml, {.name = "training"});`
struct UploadOptions {
  /// The pipeline's name; empty: the name in the IR (`pipelineInfo.name`).
  std::string name{};
  std::string display_name{};  ///< the name shown in the UI; empty: `name`
  std::string description{};   ///< optional
  /// A namespace for a private pipeline; empty: shared (the client's namespace is not used, as in
  /// `kfp.Client.upload_pipeline`).
  std::string namespace_{};
};

/// Options of a pipeline version upload. Example: `client.upload_pipeline_version(yaml, id, {.name = "v2"});`
struct VersionOptions {
  std::string name{};          ///< the version's name (required)
  std::string display_name{};  ///< the name shown in the UI; empty: `name`
  std::string description{};   ///< optional
};

/// A client of the KFP REST API v2beta1: health, experiments, pipelines and their versions, runs
/// and recurring runs, as `kfp.Client` offers them. Calls block; each failure throws
/// `kfpp::ApiError` with the HTTP status and the server's error body. One client holds no global
/// state; use one per thread or guard it.
/// Example:
/// ```cpp
/// kfpp::Client client({.host = "http://127.0.0.1:8888"});
/// kfpp::Experiment e = client.ensure_experiment("nightly");
/// kfpp::Run run = client.create_run({.display_name = "nightly", .experiment_id = e.id,
///                                    .pipeline = {.yaml = kfpp::compile(p)},
///                                    .parameters = {{"epochs", 3}}});
/// run = client.wait_for_run(run.id);
/// ```
class Client {
 public:
  /// A client for `options`. Throws `ApiError` (`kfpp.client_usage`) when no host is given, and
  /// when the token file cannot be read.
  /// Example: `kfpp::Client client(kfpp::ClientOptions::from_environment());`
  explicit Client(ClientOptions options);
  ~Client();  ///< Releases the transport.
  /// Clients move but do not copy. Example: `kfpp::Client c2 = std::move(c);`
  ///@{
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ///@}

  /// The options the client runs with (the host normalised). Example: `client.options().host`
  [[nodiscard]] const ClientOptions& options() const noexcept;

  /// The backend's health (`GET /healthz`). Example: `bool multi = client.health().multi_user;`
  [[nodiscard]] Health health();

  /// A link to the KFP UI page of a run. Example: `std::cout << client.run_url(run.id);`
  [[nodiscard]] std::string run_url(std::string_view run_id) const;
  /// A link to the KFP UI page of an experiment. Example: `client.experiment_url(e.id)`
  [[nodiscard]] std::string experiment_url(std::string_view experiment_id) const;
  /// A link to the KFP UI page of a pipeline. Example: `client.pipeline_url(p.id)`
  [[nodiscard]] std::string pipeline_url(std::string_view pipeline_id) const;

  // Experiments

  /// Creates an experiment in `namespace_` (empty: the client's).
  /// Example: `kfpp::Experiment e = client.create_experiment("nightly", "runs every night");`
  Experiment create_experiment(const std::string& name, const std::string& description = {},
                               const std::string& namespace_ = {});
  /// The experiment named `name`, created when there is none (what `kfp.Client.create_experiment`
  /// does). Example: `auto e = client.ensure_experiment("nightly");`
  Experiment ensure_experiment(const std::string& name, const std::string& description = {},
                               const std::string& namespace_ = {});
  /// The experiment with this id. Example: `auto e = client.get_experiment(id);`
  [[nodiscard]] Experiment get_experiment(const std::string& id);
  /// The experiment named `name`; throws `kfpp.api_not_found` when there is none and
  /// `kfpp.client_usage` when the name is not unique.
  /// Example: `auto e = client.get_experiment_by_name("nightly");`
  [[nodiscard]] Experiment get_experiment_by_name(const std::string& name,
                                                  const std::string& namespace_ = {});
  /// The experiment named `name`, if there is one. Example: `if (auto e = client.find_experiment("x")) ...`
  [[nodiscard]] std::optional<Experiment> find_experiment(const std::string& name,
                                                          const std::string& namespace_ = {});
  /// One page of experiments. Example: `auto page = client.list_experiments({.page_size = 50});`
  [[nodiscard]] Page<Experiment> list_experiments(const ListOptions& options = {});
  /// Archives an experiment. Example: `client.archive_experiment(id);`
  void archive_experiment(const std::string& id);
  /// Restores an archived experiment. Example: `client.unarchive_experiment(id);`
  void unarchive_experiment(const std::string& id);
  /// Deletes an experiment (not its runs). Example: `client.delete_experiment(id);`
  void delete_experiment(const std::string& id);

  // Pipelines

  /// Uploads KFP IR text as a new pipeline (with its first version).
  /// Example: `kfpp::PipelineInfo p = client.upload_pipeline(kfpp::compile(pipeline));`
  PipelineInfo upload_pipeline(const std::string& yaml, const UploadOptions& options = {});
  /// Uploads a KFP IR file as a new pipeline. Example: `client.upload_pipeline_file("p.yaml");`
  PipelineInfo upload_pipeline_file(const std::string& path, const UploadOptions& options = {});
  /// Uploads KFP IR text as a new version of pipeline `pipeline_id`.
  /// Example: `auto v = client.upload_pipeline_version(yaml, p.id, {.name = "v2"});`
  PipelineVersion upload_pipeline_version(const std::string& yaml, const std::string& pipeline_id,
                                          const VersionOptions& options);
  /// One page of pipelines. Example: `auto page = client.list_pipelines();`
  [[nodiscard]] Page<PipelineInfo> list_pipelines(const ListOptions& options = {});
  /// The pipeline with this id. Example: `auto p = client.get_pipeline(id);`
  [[nodiscard]] PipelineInfo get_pipeline(const std::string& id);
  /// The id of the pipeline named `name`, if there is one (in `namespace_`, else shared ones).
  /// Example: `std::optional<std::string> id = client.get_pipeline_id("training");`
  [[nodiscard]] std::optional<std::string> get_pipeline_id(const std::string& name,
                                                           const std::string& namespace_ = {});
  /// Deletes a pipeline; with `cascade` its versions too (else it must have none).
  /// Example: `client.delete_pipeline(id, true);`
  void delete_pipeline(const std::string& id, bool cascade = false);
  /// One page of the versions of a pipeline. Example: `auto page = client.list_pipeline_versions(id);`
  [[nodiscard]] Page<PipelineVersion> list_pipeline_versions(const std::string& pipeline_id,
                                                             const ListOptions& options = {});
  /// A version of a pipeline. Example: `auto v = client.get_pipeline_version(p_id, v_id);`
  [[nodiscard]] PipelineVersion get_pipeline_version(const std::string& pipeline_id,
                                                     const std::string& version_id);
  /// Deletes a version of a pipeline. Example: `client.delete_pipeline_version(p_id, v_id);`
  void delete_pipeline_version(const std::string& pipeline_id, const std::string& version_id);

  // Runs

  /// Starts a run. Throws `kfpp.client_usage` when the request names no pipeline or two, or
  /// when its YAML is not KFP IR. Example: `kfpp::Run r = client.create_run(request);`
  Run create_run(const RunRequest& request);
  /// A run, with its state and tasks. Example: `auto r = client.get_run(id);`
  [[nodiscard]] Run get_run(const std::string& id);
  /// One page of runs (of `options.experiment_id` when given).
  /// Example: `auto page = client.list_runs({.sort_by = "created_at desc"});`
  [[nodiscard]] Page<Run> list_runs(const ListOptions& options = {});
  /// Polls a run until it is done (`is_final`) and returns it; throws `ApiError`
  /// (`kfpp.run_timeout`) when `options.timeout` passes first.
  /// Example: `kfpp::Run done = client.wait_for_run(id, {.timeout = std::chrono::minutes(10)});`
  Run wait_for_run(const std::string& id, const WaitOptions& options = {});
  /// Stops a run. Example: `client.terminate_run(id);`
  void terminate_run(const std::string& id);
  /// Runs the failed tasks of a failed run again. Example: `client.retry_run(id);`
  void retry_run(const std::string& id);
  /// Archives a run. Example: `client.archive_run(id);`
  void archive_run(const std::string& id);
  /// Restores an archived run. Example: `client.unarchive_run(id);`
  void unarchive_run(const std::string& id);
  /// Deletes a run. Example: `client.delete_run(id);`
  void delete_run(const std::string& id);

  // Recurring runs

  /// Creates a recurring run. Throws `kfpp.client_usage` unless exactly one of `cron` and
  /// `interval_seconds` is given. Example: `auto r = client.create_recurring_run(request);`
  RecurringRun create_recurring_run(const RecurringRunRequest& request);
  /// A recurring run. Example: `auto r = client.get_recurring_run(id);`
  [[nodiscard]] RecurringRun get_recurring_run(const std::string& id);
  /// One page of recurring runs. Example: `auto page = client.list_recurring_runs();`
  [[nodiscard]] Page<RecurringRun> list_recurring_runs(const ListOptions& options = {});
  /// Lets a recurring run schedule runs again. Example: `client.enable_recurring_run(id);`
  void enable_recurring_run(const std::string& id);
  /// Stops a recurring run from scheduling runs. Example: `client.disable_recurring_run(id);`
  void disable_recurring_run(const std::string& id);
  /// Deletes a recurring run. Example: `client.delete_recurring_run(id);`
  void delete_recurring_run(const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_{};
};

}  // namespace kfpp
