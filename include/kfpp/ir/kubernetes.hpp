// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/task_inputs.hpp"

/// The kfp-kubernetes executor config: what a KFP v2 file's second document (the
/// `PlatformSpec`) says about an executor's pod, under its label in
/// `platforms.kubernetes.deploymentSpec.executors`. Field names follow
/// `kubernetes_executor_config.proto`. A name given at run time is a `ParameterBinding` without a
/// port name (constant, `componentInputParameter` or `taskOutputParameter`).
namespace kfpp::ir {

/// Labels, annotations and quantities: name → value, sorted by name.
/// Example: `kfpp::ir::StringMap labels{{"team", "ml"}};`
using StringMap = std::map<std::string, std::string>;

/// A Secret or ConfigMap mounted as files (`secretAsVolume`, `configMapAsVolume`).
/// Example: `config.secret_as_volume.push_back({"db-credentials", std::nullopt, "/secrets/db"});`
struct ObjectAsVolume {
  std::string name;  ///< the old constant field (`secretName`, `configMapName`); may be empty
  std::optional<ParameterBinding> name_parameter;  ///< `secretNameParameter` …
  std::string mount_path;                          ///< where the files appear in the container
  std::optional<bool> optional;  ///< `optional`: start the pod even when the object is missing
};

/// One key of a Secret or ConfigMap exposed as an environment variable.
/// Example: `kfpp::ir::KeyToEnv k{"password", "DB_PASSWORD"};`
struct KeyToEnv {
  std::string key;      ///< `secretKey` or `configMapKey`
  std::string env_var;  ///< the environment variable's name
};

/// A Secret or ConfigMap read into environment variables (`secretAsEnv`, `configMapAsEnv`).
/// Example: `config.secret_as_env.push_back({"db", std::nullopt, {{"password", "DB_PASSWORD"}}});`
struct ObjectAsEnv {
  std::string name;  ///< the old constant field; may be empty
  /// The name given at run time (`secretNameParameter` …).
  std::optional<ParameterBinding> name_parameter;
  std::vector<KeyToEnv> key_to_env;  ///< `keyToEnv`: which keys become which variables
  std::optional<bool> optional;      ///< `optional`: start the pod even when the object is missing
};

/// A PersistentVolumeClaim mounted into the main container.
/// Example: `for (const auto& m : config.pvc_mount) std::cout << m.mount_path;`
struct PvcMount {
  /// The old `pvc_reference` field: `constant` (a string), `componentInputParameter` or
  /// `taskOutputParameter`.
  std::optional<ParameterBinding> reference;
  /// `pvcNameParameter`: the claim's name, possibly given at run time.
  std::optional<ParameterBinding> pvc_name_parameter;
  std::string mount_path;  ///< `mountPath`
  std::string sub_path;    ///< `subPath`, when set
};

/// Labels the node must carry, as a map and/or as one JSON object given at run time.
/// Example: `config.node_selector.emplace().labels["cloud.google.com/gke-accelerator"] = "nvidia-tesla-t4";`
struct NodeSelector {
  StringMap labels;                      ///< `labels`: label → value
  std::optional<ParameterBinding> json;  ///< `nodeSelectorJson`: a JSON object given at run time
};

/// Labels and annotations of a pod (or of a volume claim).
/// Example: `config.pod_metadata.emplace().labels["team"] = "ml";`
struct PodMetadata {
  StringMap labels;       ///< `labels`: name → value
  StringMap annotations;  ///< `annotations`: name → value
};

/// An image pull secret.
/// Example: `config.image_pull_secret.push_back({"registry-credentials"});`
struct ImagePullSecret {
  std::string secret_name;  ///< the old constant field; may be empty
  /// `secretNameParameter`: the name, possibly given at run time.
  std::optional<ParameterBinding> secret_name_parameter;
};

/// An environment variable read from a field of the pod (`metadata.name` …).
/// Example: `config.field_path_as_env.push_back({"POD_NAME", "metadata.name"});`
struct FieldPathAsEnv {
  std::string name;        ///< the environment variable's name
  std::string field_path;  ///< `fieldPath`, e.g. `metadata.name`
};

/// A toleration, or (`json`) tolerations given as JSON at run time.
/// Example: `config.tolerations.push_back({"gpu", "Exists", "", "NoSchedule"});`
struct Toleration {
  std::string key;     ///< `key`
  std::string op;      ///< `operator`: Equal or Exists
  std::string value;   ///< `value`
  std::string effect;  ///< `effect`: NoSchedule, PreferNoSchedule or NoExecute
  std::optional<std::int64_t> toleration_seconds;  ///< `tolerationSeconds`
  /// `tolerationJson`: a toleration or a list of them, given at run time.
  std::optional<ParameterBinding> json;
};

/// `key operator values`, as node and pod selectors use it.
/// Example: `kfpp::ir::SelectorRequirement r{"zone", "In", {"eu-west1-b"}};`
struct SelectorRequirement {
  std::string key;                  ///< the label (or field)
  std::string op;                   ///< `operator`: In, NotIn, Exists, DoesNotExist, Gt or Lt
  std::vector<std::string> values;  ///< `values`
};

/// A node affinity term: required when it has no weight, preferred with one; or JSON.
/// Example: `config.node_affinity.push_back({{{"zone", "In", {"eu-west1-b"}}}});`
struct NodeAffinityTerm {
  std::vector<SelectorRequirement> match_expressions;  ///< `matchExpressions` on node labels
  std::vector<SelectorRequirement> match_fields;       ///< `matchFields` on node fields
  /// `weight` (1–100) of a preferred term; absent for a required one.
  std::optional<std::int32_t> weight;
  std::optional<ParameterBinding> json;  ///< `nodeAffinityJson`: a whole term given at run time
};

/// A pod (anti-)affinity term.
/// Example: `kfpp::ir::PodAffinityTerm t; t.match_pod_labels["app"] = "db"; t.topology_key = "kubernetes.io/hostname";`
struct PodAffinityTerm {
  std::vector<SelectorRequirement> match_pod_expressions;  ///< `matchPodExpressions`
  StringMap match_pod_labels;                              ///< `matchPodLabels`
  std::string topology_key;             ///< `topologyKey`, e.g. `kubernetes.io/hostname`
  std::vector<std::string> namespaces;  ///< `namespaces`
  std::vector<SelectorRequirement> match_namespace_expressions;  ///< `matchNamespaceExpressions`
  StringMap match_namespace_labels;                              ///< `matchNamespaceLabels`
  /// `weight` (1–100) of a preferred term; absent for a required one.
  std::optional<std::int32_t> weight;
  std::optional<bool> anti;  ///< `antiAffinity`: keep away from the matched pods
};

/// A volume claim made with the pod and deleted with it.
/// Example: `config.generic_ephemeral_volume.push_back({"scratch", "/scratch", {"ReadWriteOnce"}, "5Gi"});`
struct GenericEphemeralVolume {
  std::string volume_name;                ///< `volumeName`
  std::string mount_path;                 ///< `mountPath`
  std::vector<std::string> access_modes;  ///< `accessModes`, e.g. ReadWriteOnce
  std::string size;                       ///< `size`, a quantity such as `5Gi`
  bool default_storage_class = false;   ///< `defaultStorageClass`: use the cluster's default class
  std::string storage_class_name;       ///< `storageClassName`
  std::optional<PodMetadata> metadata;  ///< `metadata` of the claim
};

/// A shared-memory volume (`/dev/shm`).
/// Example: `config.enabled_shared_memory = kfpp::ir::EnabledSharedMemory{"shm", "1Gi"};`
struct EnabledSharedMemory {
  std::string volume_name;  ///< `volumeName`
  std::string size;         ///< `size`, e.g. `1Gi`; empty: no limit
};

/// An `emptyDir` volume.
/// Example: `config.empty_dir_mounts.push_back({"cache", "/cache"});`
struct EmptyDirMount {
  std::string volume_name;                ///< `volumeName`
  std::string mount_path;                 ///< `mountPath`
  std::optional<std::string> medium;      ///< `medium`, e.g. `Memory`
  std::optional<std::string> size_limit;  ///< `sizeLimit`
};

/// The pod's security context.
/// Example: `config.security_context.emplace().run_as_non_root = true;`
struct SecurityContext {
  std::optional<std::int64_t> run_as_user;   ///< `runAsUser`
  std::optional<std::int64_t> run_as_group;  ///< `runAsGroup`
  std::optional<bool> run_as_non_root;       ///< `runAsNonRoot`
};

/// A volume an init container mounts.
/// Example: `kfpp::ir::VolumeMount m{"cache", "/cache"};`
struct VolumeMount {
  std::string volume_name;  ///< `volumeName`
  std::string mount_path;   ///< `mountPath`
};

/// A container run before the main one.
/// Example: `kfpp::ir::InitContainer c; c.name = "fetch"; c.image = "alpine:3.20";`
struct InitContainer {
  std::string name;                           ///< `name`
  std::string image;                          ///< `image`
  std::vector<std::string> command;           ///< `command`
  std::vector<std::string> args;              ///< `args`
  std::vector<EnvVar> env;                    ///< `env`
  std::vector<VolumeMount> volume_mounts;     ///< `volumeMounts`
  std::optional<std::string> restart_policy;  ///< `restartPolicy`; `Always` makes it a sidecar
  StringMap resource_requests;                ///< `resources.requests`: resource → quantity
  StringMap resource_limits;                  ///< `resources.limits`: resource → quantity
};

/// Everything kfp-kubernetes can say about one executor's pod.
/// Example: `if (exec.kubernetes) std::cout << exec.kubernetes->tolerations.size();`
struct KubernetesConfig {
  std::vector<ObjectAsVolume> secret_as_volume;    ///< `secretAsVolume`
  std::vector<ObjectAsEnv> secret_as_env;          ///< `secretAsEnv`
  std::vector<PvcMount> pvc_mount;                 ///< `pvcMount`
  std::optional<NodeSelector> node_selector;       ///< `nodeSelector`
  std::optional<PodMetadata> pod_metadata;         ///< `podMetadata`
  std::vector<ImagePullSecret> image_pull_secret;  ///< `imagePullSecret`
  /// `imagePullPolicy`: Always, Never or IfNotPresent; empty: unset.
  std::string image_pull_policy;
  std::vector<ObjectAsVolume> config_map_as_volume;              ///< `configMapAsVolume`
  std::vector<ObjectAsEnv> config_map_as_env;                    ///< `configMapAsEnv`
  std::int64_t active_deadline_seconds = 0;                      ///< 0: no timeout
  std::vector<FieldPathAsEnv> field_path_as_env;                 ///< `fieldPathAsEnv`
  std::vector<Toleration> tolerations;                           ///< `tolerations`
  std::vector<GenericEphemeralVolume> generic_ephemeral_volume;  ///< `genericEphemeralVolume`
  std::vector<NodeAffinityTerm> node_affinity;                   ///< `nodeAffinity`
  std::vector<PodAffinityTerm> pod_affinity;                     ///< `podAffinity`
  std::optional<EnabledSharedMemory> enabled_shared_memory;      ///< `enabledSharedMemory`
  std::vector<EmptyDirMount> empty_dir_mounts;                   ///< `emptyDirMounts`
  std::optional<SecurityContext> security_context;               ///< `securityContext`
  std::vector<InitContainer> init_containers;                    ///< `initContainers`

  /// Calls `f(binding)` for every name or JSON value given at run time, in a fixed order.
  /// Example: `config.for_each_binding([](kfpp::ir::ParameterBinding& b) { rename(b); });`
  template <class F>
  void for_each_binding(F&& f) {
    visit(*this, f);
  }
  /// Calls `f(binding)` for every name or JSON value given at run time, in a fixed order.
  template <class F>
  void for_each_binding(F&& f) const {
    visit(*this, f);
  }

 private:
  template <class Self, class F>
  static void visit(Self& c, F& f) {
    auto one = [&](auto& opt) {
      if (opt) f(*opt);
    };
    for (auto& v : c.secret_as_volume) one(v.name_parameter);
    for (auto& v : c.secret_as_env) one(v.name_parameter);
    for (auto& v : c.pvc_mount) {
      one(v.reference);
      one(v.pvc_name_parameter);
    }
    if (c.node_selector) one(c.node_selector->json);
    for (auto& v : c.image_pull_secret) one(v.secret_name_parameter);
    for (auto& v : c.config_map_as_volume) one(v.name_parameter);
    for (auto& v : c.config_map_as_env) one(v.name_parameter);
    for (auto& v : c.tolerations) one(v.json);
    for (auto& v : c.node_affinity) one(v.json);
  }
};

}  // namespace kfpp::ir
