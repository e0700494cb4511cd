// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp {

/// Which Argo resource `emit_argo` writes.
/// Example: `options.kind = kfpp::ArgoKind::cron_workflow;`
enum class ArgoKind {
  workflow,           ///< `Workflow`: submit it (`argo submit`, `kubectl create`)
  workflow_template,  ///< `WorkflowTemplate`: store it, run it by reference
  cron_workflow,      ///< `CronWorkflow`: run it on a schedule (Argo 3.6 and later)
};

/// The schedule of a `CronWorkflow`.
/// Example: `ArgoCron{.schedules = {"0 3 * * *"}, .timezone = "Europe/Paris"}`
struct ArgoCron {
  std::vector<std::string> schedules;           ///< five-field cron expressions; at least one
  std::string timezone;                         ///< IANA name; empty: the controller's
  std::string concurrency_policy;               ///< `Allow`, `Forbid` or `Replace`; empty: Allow
  std::int64_t starting_deadline_seconds = -1;  ///< < 0: not set
};

/// How long a finished workflow is kept (`ttlStrategy`); < 0 leaves a field out.
/// Example: `options.ttl.seconds_after_success = 3600;`
struct ArgoTtl {
  std::int64_t seconds_after_completion = -1;  ///< `secondsAfterCompletion`
  std::int64_t seconds_after_success = -1;     ///< `secondsAfterSuccess`
  std::int64_t seconds_after_failure = -1;     ///< `secondsAfterFailure`
};

/// etcd's default request limit, the most one Kubernetes object can hold: 1.5 MiB.
/// Example: `if (yaml.size() > kfpp::kArgoMaxObjectBytes) split_the_pipeline();`
inline constexpr std::size_t kArgoMaxObjectBytes = 1572864;
/// Above this size (1 MiB) a resource is close to the limit; the `kfpp` tool warns.
/// Example: `if (yaml.size() > kfpp::kArgoWarnObjectBytes) warn();`
inline constexpr std::size_t kArgoWarnObjectBytes = 1048576;

/// Workflow-level settings of the Argo output. Every field is optional.
/// Example: `kfpp::ArgoOptions o; o.namespace_ = "ml"; o.service_account = "pipeline-runner";`
struct ArgoOptions {
  ArgoKind kind = ArgoKind::workflow;  ///< Workflow, WorkflowTemplate or CronWorkflow
  /// `metadata.name`. Empty: a Workflow gets `generateName: <pipeline-name>-`, a template or a
  /// cron workflow the pipeline name. Long names are shortened with a stable hash suffix.
  std::string name;
  std::string namespace_;       ///< `metadata.namespace`
  std::string service_account;  ///< `spec.serviceAccountName`
  /// `spec.artifactRepositoryRef`: the config map and key naming the artifact repository.
  std::string artifact_repository_config_map;
  std::string artifact_repository_key;             ///< the key in that config map
  std::map<std::string, std::string> labels;       ///< of the workflow object
  std::map<std::string, std::string> annotations;  ///< of the workflow object
  ArgoTtl ttl;                                     ///< `spec.ttlStrategy`
  std::string pod_gc;                              ///< `podGC.strategy`, e.g. `OnPodSuccess`
  std::int64_t active_deadline_seconds = 0;        ///< the whole run's timeout; 0: none
  std::int64_t parallelism = 0;                    ///< pods running at once in the run; 0: no limit
  /// Caching: empty (the default) runs every task every time. A config map name turns KFP
  /// caching into Argo memoization stored in that config map, for tasks with caching on whose
  /// inputs are all parameters.
  std::string memoize_config_map;
  std::string memoize_max_age;  ///< e.g. `24h`; empty: no limit
  /// The image of the small pods that import artifacts (importer tasks).
  std::string utility_image = "busybox:1.36";
  /// Where loop outputs collected as a list of artifacts are kept: the artifact repository's
  /// kind, `s3` or `gcs` (artifacts are then addressed by key in the configured repository).
  std::string collected_artifact_store = "s3";
  ArgoCron cron;  ///< used when `kind` is `cron_workflow`
  /// The largest resource written, in bytes: Kubernetes refuses an object over etcd's request
  /// limit (1.5 MiB unless the cluster's etcd was started with a larger `--max-request-bytes`).
  /// 0: no limit.
  std::size_t max_object_bytes = kArgoMaxObjectBytes;
};

/// The Argo Workflows YAML of `pipeline`: a `Workflow`, `WorkflowTemplate` or `CronWorkflow`
/// (`argoproj.io/v1alpha1`) that a plain Argo controller runs with only an artifact repository
/// configured. Throws `kfpp::ValidationError` listing every construct with no Argo form.
/// Deterministic: same IR and options, same bytes. It does not validate the IR first;
/// `compile_argo` does.
/// Example: `std::string yaml = kfpp::emit_argo(ir, {});`
[[nodiscard]] std::string emit_argo(const ir::Pipeline& pipeline, const ArgoOptions& options);

/// Validates `pipeline` (throws `kfpp::ValidationError`) and returns its Argo YAML.
/// Example: `std::string yaml = kfpp::compile_argo(ir, {.kind = kfpp::ArgoKind::workflow});`
[[nodiscard]] std::string compile_argo(const ir::Pipeline& pipeline,
                                       const ArgoOptions& options = {});

/// Like `compile_argo`, written atomically to `path` (no file is written on error).
/// Example: `kfpp::compile_argo_to_file(ir, {}, "workflow.yaml");`
void compile_argo_to_file(const ir::Pipeline& pipeline, const ArgoOptions& options,
                          const std::string& path);

}  // namespace kfpp
