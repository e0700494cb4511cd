// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/task_inputs.hpp"

/// The kfp-kubernetes executor config: what a KFP v2 file's second document (the
/// `PlatformSpec`) says about an executor's pod, under
/// `platforms.kubernetes.deploymentSpec.executors.<label>`. Field names follow
/// `kubernetes_executor_config.proto`. A name given at run time is a `ParameterBinding` without a
/// port name (constant, `componentInputParameter` or `taskOutputParameter`).
namespace kfpp::ir {

using StringMap = std::map<std::string, std::string>;

/// A Secret or ConfigMap mounted as files (`secretAsVolume`, `configMapAsVolume`).
struct ObjectAsVolume {
  std::string name;  ///< the old constant field (`secretName`, `configMapName`); may be empty
  std::optional<ParameterBinding> name_parameter;  ///< `secretNameParameter` …
  std::string mount_path;
  std::optional<bool> optional;
};

/// One key of a Secret or ConfigMap exposed as an environment variable.
struct KeyToEnv {
  std::string key;  ///< `secretKey` or `configMapKey`
  std::string env_var;
};

/// A Secret or ConfigMap read into environment variables (`secretAsEnv`, `configMapAsEnv`).
struct ObjectAsEnv {
  std::string name;  ///< the old constant field; may be empty
  std::optional<ParameterBinding> name_parameter;
  std::vector<KeyToEnv> key_to_env;
  std::optional<bool> optional;
};

/// A PersistentVolumeClaim mounted into the main container.
struct PvcMount {
  /// The old `pvc_reference` field: `constant` (a string), `componentInputParameter` or
  /// `taskOutputParameter`.
  std::optional<ParameterBinding> reference;
  std::optional<ParameterBinding> pvc_name_parameter;
  std::string mount_path;
  std::string sub_path;
};

/// Labels the node must carry, as a map and/or as one JSON object given at run time.
struct NodeSelector {
  StringMap labels;
  std::optional<ParameterBinding> json;
};

/// Labels and annotations of a pod (or of a volume claim).
struct PodMetadata {
  StringMap labels;
  StringMap annotations;
};

/// An image pull secret.
struct ImagePullSecret {
  std::string secret_name;  ///< the old constant field; may be empty
  std::optional<ParameterBinding> secret_name_parameter;
};

/// An environment variable read from a field of the pod (`metadata.name` …).
struct FieldPathAsEnv {
  std::string name;
  std::string field_path;
};

/// A toleration, or (`json`) tolerations given as JSON at run time.
struct Toleration {
  std::string key;
  std::string op;  ///< `operator`: Equal or Exists
  std::string value;
  std::string effect;
  std::optional<std::int64_t> toleration_seconds;
  std::optional<ParameterBinding> json;
};

/// `key operator values`, as node and pod selectors use it.
struct SelectorRequirement {
  std::string key;
  std::string op;
  std::vector<std::string> values;
};

/// A node affinity term: required when it has no weight, preferred with one; or JSON.
struct NodeAffinityTerm {
  std::vector<SelectorRequirement> match_expressions;
  std::vector<SelectorRequirement> match_fields;
  std::optional<std::int32_t> weight;
  std::optional<ParameterBinding> json;
};

/// A pod (anti-)affinity term.
struct PodAffinityTerm {
  std::vector<SelectorRequirement> match_pod_expressions;
  StringMap match_pod_labels;
  std::string topology_key;
  std::vector<std::string> namespaces;
  std::vector<SelectorRequirement> match_namespace_expressions;
  StringMap match_namespace_labels;
  std::optional<std::int32_t> weight;
  std::optional<bool> anti;
};

/// A volume claim made with the pod and deleted with it.
struct GenericEphemeralVolume {
  std::string volume_name;
  std::string mount_path;
  std::vector<std::string> access_modes;
  std::string size;
  bool default_storage_class = false;
  std::string storage_class_name;
  std::optional<PodMetadata> metadata;
};

/// A shared-memory volume (`/dev/shm`).
struct EnabledSharedMemory {
  std::string volume_name;
  std::string size;
};

/// An `emptyDir` volume.
struct EmptyDirMount {
  std::string volume_name;
  std::string mount_path;
  std::optional<std::string> medium;
  std::optional<std::string> size_limit;
};

/// The pod's security context.
struct SecurityContext {
  std::optional<std::int64_t> run_as_user;
  std::optional<std::int64_t> run_as_group;
  std::optional<bool> run_as_non_root;
};

/// A volume an init container mounts.
struct VolumeMount {
  std::string volume_name;
  std::string mount_path;
};

/// A container run before the main one.
struct InitContainer {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::vector<VolumeMount> volume_mounts;
  std::optional<std::string> restart_policy;
  StringMap resource_requests;
  StringMap resource_limits;
};

/// Everything kfp-kubernetes can say about one executor's pod.
struct KubernetesConfig {
  std::vector<ObjectAsVolume> secret_as_volume;
  std::vector<ObjectAsEnv> secret_as_env;
  std::vector<PvcMount> pvc_mount;
  std::optional<NodeSelector> node_selector;
  std::optional<PodMetadata> pod_metadata;
  std::vector<ImagePullSecret> image_pull_secret;
  std::string image_pull_policy;
  std::vector<ObjectAsVolume> config_map_as_volume;
  std::vector<ObjectAsEnv> config_map_as_env;
  std::int64_t active_deadline_seconds = 0;  ///< 0: no timeout
  std::vector<FieldPathAsEnv> field_path_as_env;
  std::vector<Toleration> tolerations;
  std::vector<GenericEphemeralVolume> generic_ephemeral_volume;
  std::vector<NodeAffinityTerm> node_affinity;
  std::vector<PodAffinityTerm> pod_affinity;
  std::optional<EnabledSharedMemory> enabled_shared_memory;
  std::vector<EmptyDirMount> empty_dir_mounts;
  std::optional<SecurityContext> security_context;
  std::vector<InitContainer> init_containers;

  /// Calls `f(binding)` for every name or JSON value given at run time, in a fixed order.
  template <class F>
  void for_each_binding(F&& f) {
    visit(*this, f);
  }
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
