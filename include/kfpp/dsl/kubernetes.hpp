// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/core.hpp"

/// Kubernetes settings of a task's pod (the kfp-kubernetes extension): volumes, secrets, config
/// maps, scheduling, pod metadata, security. Reach them with `task.kubernetes()`; create and
/// delete volume claims with `kfpp::k8s::create_pvc` and `kfpp::k8s::delete_pvc`. Every call
/// checks its arguments and throws `DefinitionError` (code, path, fix) on a bad one.
namespace kfpp::k8s {

/// A toleration of node taints. `op` is `Equal` (the default when empty) or `Exists`; `effect`
/// is `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or empty for all.
/// Example: `{.key = "nvidia.com/gpu", .op = "Exists", .effect = "NoSchedule"}`
struct Toleration {
  std::string key{};     ///< the taint's key; empty with `Exists` tolerates every taint
  std::string op{};      ///< `Equal` (empty) or `Exists`
  std::string value{};   ///< the taint's value, with `Equal`
  std::string effect{};  ///< the taint effect tolerated; empty: all
  std::optional<std::int64_t> seconds{};  ///< `tolerationSeconds`, only with `NoExecute`
};

/// `key op values` for node affinity; `op` is In, NotIn, Exists, DoesNotExist, Gt or Lt.
/// Example: `{"zone", "In", {"us-east-1a", "us-east-1b"}}`
struct Requirement {
  std::string key;  ///< the node label (or field)
  std::string op;   ///< In, NotIn, Exists, DoesNotExist, Gt or Lt
  /// The values compared with; none for Exists and DoesNotExist.
  std::vector<std::string> values{};
};

/// A node affinity term: required without a weight, preferred with a weight of 1 to 100.
/// Example: `{.match_expressions = {{"zone", "In", {"us-east-1a"}}}, .weight = 50}`
struct NodeAffinity {
  std::vector<Requirement> match_expressions{};  ///< requirements on node labels
  std::vector<Requirement> match_fields{};       ///< requirements on node fields
  std::optional<int> weight{};  ///< 1–100 for a preferred term; unset for a required one
};

/// Options of an `emptyDir` volume. Example: `{.medium = "Memory", .size_limit = "1Gi"}`
struct EmptyDir {
  std::optional<std::string> medium{};      ///< `Memory` for tmpfs; unset for the node's disk
  std::optional<std::string> size_limit{};  ///< a quantity such as `1Gi`
};

/// A volume claim created with the pod and deleted with it.
/// Example: `{.name = "scratch", .mount_path = "/scratch", .access_modes = {"ReadWriteOnce"},
/// .size = "1Gi"}`
struct EphemeralVolume {
  std::string name;                                  ///< the volume's name in the pod
  std::string mount_path;                            ///< where it is mounted
  std::vector<std::string> access_modes;             ///< e.g. ReadWriteOnce
  std::string size;                                  ///< a quantity such as `1Gi`
  std::optional<std::string> storage_class{};        ///< unset: the cluster's default class
  std::map<std::string, std::string> labels{};       ///< labels of the claim
  std::map<std::string, std::string> annotations{};  ///< annotations of the claim
};

/// The pod's security context; set at least one field.
/// Example: `{.run_as_user = 1000, .run_as_non_root = true}`
struct SecurityContext {
  std::optional<std::int64_t> run_as_user{};   ///< the user id the containers run as
  std::optional<std::int64_t> run_as_group{};  ///< the group id the containers run as
  std::optional<bool> run_as_non_root{};       ///< refuse to start a container running as root
};

/// A container run before the task's own.
/// Example: `{.name = "init", .image = "busybox:1.36", .command = {"sh", "-c"}, .args = {"echo"}}`
struct InitContainer {
  std::string name;                    ///< the container's name
  std::string image;                   ///< its image
  std::vector<std::string> command{};  ///< its command; empty: the image's entrypoint
  std::vector<std::string> args{};     ///< its arguments
  std::vector<std::pair<std::string, std::string>> env{};            ///< name, value
  std::vector<std::pair<std::string, std::string>> volume_mounts{};  ///< volume, mount path
  std::optional<std::string> restart_policy{};    ///< `Always` (a sidecar) or unset
  std::map<std::string, std::string> requests{};  ///< resource requests: resource → quantity
  std::map<std::string, std::string> limits{};    ///< resource limits: resource → quantity
};

/// Keys of a Secret or ConfigMap and the environment variables they become, in order.
/// Example: `{{"username", "DB_USER"}, {"password", "DB_PASS"}}`
using KeyToEnv = std::vector<std::pair<std::string, std::string>>;

/// The Kubernetes settings of one task. Each call adds to the task's pod and returns this, so
/// calls chain. Names (of secrets, config maps, claims) may be constants or channels read when the
/// task runs; a channel from another task makes this task wait for it.
/// Example:
/// ```
/// train.kubernetes()
///     .mount_pvc(pvc.output(), "/data")
///     .node_selector("nvidia.com/gpu.product", "NVIDIA-GeForce-RTX-3090")
///     .toleration({.key = "nvidia.com/gpu", .op = "Exists", .effect = "NoSchedule"});
/// ```
class Settings {
 public:
  // ---- volumes ----
  /// Mounts claim `pvc` at `mount_path` (a `sub_path` of it, if given).
  /// Example: `.mount_pvc("shared-data", "/mnt/shared")`
  Settings& mount_pvc(const StringArg& pvc, std::string mount_path, std::string sub_path = {});
  /// Mounts an `emptyDir` volume. Example: `.empty_dir("dshm", "/dev/shm", {.medium = "Memory"})`
  Settings& empty_dir(std::string volume, std::string mount_path, EmptyDir options = {});
  /// Adds a generic ephemeral volume (a claim living as long as the pod).
  Settings& ephemeral_volume(EphemeralVolume volume);

  // ---- secrets and config maps ----
  /// Sets environment variables from keys of a Secret.
  /// Example: `.secret_as_env("db-credentials", {{"password", "DB_PASS"}})`
  Settings& secret_as_env(const StringArg& secret, KeyToEnv keys, bool optional = false);
  /// Mounts a Secret's keys as files. Example: `.secret_as_volume("tls-cert", "/etc/tls")`
  Settings& secret_as_volume(const StringArg& secret, std::string mount_path,
                             bool optional = false);
  /// Sets environment variables from keys of a ConfigMap.
  /// Example: `.config_map_as_env("app-config", {{"level", "APP_LEVEL"}})`
  Settings& config_map_as_env(const StringArg& config_map, KeyToEnv keys, bool optional = false);
  /// Mounts a ConfigMap's keys as files. Example: `.config_map_as_volume("app-files", "/etc/app")`
  Settings& config_map_as_volume(const StringArg& config_map, std::string mount_path,
                                 bool optional = false);
  /// Sets an environment variable from a field of the pod.
  /// Example: `.field_path_as_env("MY_POD_NAME", "metadata.name")`
  Settings& field_path_as_env(std::string env_var, std::string field_path);
  /// Secrets to pull the image with. Example: `.image_pull_secrets({"regcred"})`
  Settings& image_pull_secrets(const std::vector<StringArg>& secrets);
  /// `Always`, `IfNotPresent` or `Never`. Example: `.image_pull_policy("IfNotPresent")`
  Settings& image_pull_policy(std::string policy);

  // ---- scheduling ----
  /// Runs only on nodes with this label. Example: `.node_selector("disktype", "ssd")`
  Settings& node_selector(std::string key, std::string value);
  /// Node selector labels as one JSON object (replaces an earlier one).
  /// Example: `.node_selector_json(p.param<kfpp::Json>("selector", sel))`
  Settings& node_selector_json(const JsonArg& labels);
  /// Adds a node affinity term. Example: `.node_affinity({.match_expressions = {{"zone", "In",
  /// {"a"}}}})`
  Settings& node_affinity(NodeAffinity term);
  /// Node affinity as a Kubernetes `NodeAffinity` object (replaces an earlier JSON one).
  Settings& node_affinity_json(const JsonArg& affinity);
  /// Adds a toleration. Example: `.toleration({.key = "gpu", .op = "Exists"})`
  Settings& toleration(Toleration t);
  /// Tolerations as JSON: a constant object or list is checked and added one by one; a channel is
  /// read when the task runs.
  Settings& toleration_json(const JsonArg& tolerations);
  /// Stops the pod after `seconds` (`activeDeadlineSeconds`). Example: `.timeout(7200)`
  Settings& timeout(std::int64_t seconds);

  // ---- pod ----
  /// Adds a pod label. Example: `.pod_label("team", "ml")`
  Settings& pod_label(std::string key, std::string value);
  /// Adds a pod annotation. Example: `.pod_annotation("owner", "kfpp")`
  Settings& pod_annotation(std::string key, std::string value);
  /// Sets the pod's security context. Example: `.security_context({.run_as_user = 1000})`
  Settings& security_context(SecurityContext context);
  /// Adds an init container. Example: `.init_container({.name = "init", .image = "busybox"})`
  Settings& init_container(InitContainer container);

  /// Made by `Task::kubernetes()`; use that.
  Settings(detail::PipelineState* state, std::size_t task) : state_(state), task_(task) {}

 private:
  detail::PipelineState* state_;
  std::size_t task_;
};

/// What `create_pvc` makes. Give exactly one of `name` and `name_suffix` (the claim is then
/// called `<run name>-<suffix>`).
/// Example: `{.name_suffix = "-data", .access_modes = {"ReadWriteOnce"}, .size = "5Gi"}`
struct PvcOptions {
  StringArg name{};                                  ///< the claim's fixed name
  StringArg name_suffix{};                           ///< or: a suffix of the run's name
  std::vector<std::string> access_modes{};           ///< e.g. ReadWriteOnce, ReadWriteMany
  StringArg size{};                                  ///< a quantity such as `5Gi`
  StringArg storage_class{};                         ///< unset: the component's default (`''`)
  StringArg volume_name{};                           ///< a pre-existing PersistentVolume to bind
  std::map<std::string, std::string> annotations{};  ///< annotations of the claim
  std::map<std::string, std::string> data_source{};  ///< `apiGroup`, `kind`, `name`
};

namespace detail {
/// The CreatePVC and DeletePVC components, as the reference defines them.
kfpp::detail::ComponentData create_pvc_component();
kfpp::detail::ComponentData delete_pvc_component();
/// The checked inputs of a CreatePVC task; `where` names it in errors.
std::vector<kfpp::detail::Binding> create_pvc_bindings(const PvcOptions& o,
                                                       const std::string& where);
std::vector<kfpp::detail::Binding> delete_pvc_bindings(const StringArg& pvc,
                                                       const std::string& where);
}  // namespace detail

}  // namespace kfpp::k8s
