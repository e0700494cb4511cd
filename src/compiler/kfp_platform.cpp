// SPDX-License-Identifier: Apache-2.0
#include "kfp_platform.hpp"

#include <string>
#include <utility>

namespace kfpp::detail {

namespace {

using ir::Value;
using Object = Value::Object;
using Array = Value::Array;

// Proto3 JSON leaves out empty strings, lists and maps; these helpers do the same.
void put(Object& o, const char* key, const std::string& s) {
  if (!s.empty()) o.emplace(key, Value(s));
}

void put(Object& o, const char* key, const std::vector<std::string>& list) {
  if (list.empty()) return;
  Array a;
  a.reserve(list.size());
  for (const auto& s : list) a.emplace_back(s);
  o.emplace(key, Value(std::move(a)));
}

void put(Object& o, const char* key, const ir::StringMap& m) {
  if (m.empty()) return;
  Object out;
  for (const auto& [k, v] : m) out.emplace(k, Value(v));
  o.emplace(key, Value(std::move(out)));
}

void put(Object& o, const char* key, const std::optional<ir::ParameterBinding>& b) {
  if (b) o.emplace(key, input_parameter_json(*b));
}

void put(Object& o, const char* key, const std::optional<bool>& b) {
  if (b) o.emplace(key, Value(*b));
}

// A 64-bit integer is a string in proto3 JSON.
void put_int64(Object& o, const char* key, const std::optional<std::int64_t>& i) {
  if (i) o.emplace(key, Value(std::to_string(*i)));
}

template <class T, class F>
void put_list(Object& o, const char* key, const std::vector<T>& items, F&& one) {
  if (items.empty()) return;
  Array a;
  a.reserve(items.size());
  for (const auto& x : items) a.push_back(one(x));
  o.emplace(key, Value(std::move(a)));
}

Value object_as_volume(const ir::ObjectAsVolume& v, const char* name_key,
                       const char* parameter_key) {
  Object o;
  put(o, name_key, v.name);
  put(o, parameter_key, v.name_parameter);
  put(o, "mountPath", v.mount_path);
  put(o, "optional", v.optional);
  return Value(std::move(o));
}

Value object_as_env(const ir::ObjectAsEnv& v, const char* name_key, const char* parameter_key,
                    const char* key_key) {
  Object o;
  put(o, name_key, v.name);
  put(o, parameter_key, v.name_parameter);
  put_list(o, "keyToEnv", v.key_to_env, [&](const ir::KeyToEnv& k) {
    Object e;
    put(e, key_key, k.key);
    put(e, "envVar", k.env_var);
    return Value(std::move(e));
  });
  put(o, "optional", v.optional);
  return Value(std::move(o));
}

Value selector_requirement(const ir::SelectorRequirement& r) {
  Object o;
  put(o, "key", r.key);
  put(o, "operator", r.op);
  put(o, "values", r.values);
  return Value(std::move(o));
}

Value pod_metadata(const ir::PodMetadata& m) {
  Object o;
  put(o, "annotations", m.annotations);
  put(o, "labels", m.labels);
  return Value(std::move(o));
}

// The deprecated `pvc_reference` oneof is spelled without the InputParameterSpec wrapper.
void put_pvc_reference(Object& o, const ir::ParameterBinding& b) {
  switch (b.kind) {
    case ir::ParameterBinding::Kind::constant:
      o.emplace("constant", b.constant);
      return;
    case ir::ParameterBinding::Kind::component_input:
      // The old field cannot select a field of the value: only the new one names the claim then.
      if (b.expression_selector.empty()) o.emplace("componentInputParameter", Value(b.source));
      return;
    case ir::ParameterBinding::Kind::task_output:
    case ir::ParameterBinding::Kind::task_final_status: {
      Value full = input_parameter_json(b);
      for (auto& [k, v] : full.as_object()) o.emplace(k, std::move(v));
      return;
    }
  }
}

}  // namespace

Value input_parameter_json(const ir::ParameterBinding& b) {
  Object o;
  switch (b.kind) {
    case ir::ParameterBinding::Kind::constant:
      o.emplace("runtimeValue", Value(Object{{"constant", b.constant}}));
      break;
    case ir::ParameterBinding::Kind::component_input:
      o.emplace("componentInputParameter", Value(b.source));
      // A field of a struct loop item.
      if (!b.expression_selector.empty())
        o.emplace("parameterExpressionSelector", Value(b.expression_selector));
      break;
    case ir::ParameterBinding::Kind::task_output:
      o.emplace("taskOutputParameter", Value(Object{{"outputParameterKey", Value(b.source)},
                                                    {"producerTask", Value(b.producer_task)}}));
      break;
    case ir::ParameterBinding::Kind::task_final_status:
      o.emplace("taskFinalStatus", Value(Object{{"producerTask", Value(b.producer_task)}}));
      break;
  }
  return Value(std::move(o));
}

Value kubernetes_config_json(const ir::KubernetesConfig& c) {
  Object o;
  put_list(o, "secretAsVolume", c.secret_as_volume, [](const ir::ObjectAsVolume& v) {
    return object_as_volume(v, "secretName", "secretNameParameter");
  });
  put_list(o, "secretAsEnv", c.secret_as_env, [](const ir::ObjectAsEnv& v) {
    return object_as_env(v, "secretName", "secretNameParameter", "secretKey");
  });
  put_list(o, "pvcMount", c.pvc_mount, [](const ir::PvcMount& m) {
    Object e;
    if (m.reference) put_pvc_reference(e, *m.reference);
    put(e, "mountPath", m.mount_path);
    put(e, "pvcNameParameter", m.pvc_name_parameter);
    put(e, "subPath", m.sub_path);
    return Value(std::move(e));
  });
  if (c.node_selector) {
    Object e;
    put(e, "labels", c.node_selector->labels);
    put(e, "nodeSelectorJson", c.node_selector->json);
    o.emplace("nodeSelector", Value(std::move(e)));
  }
  if (c.pod_metadata) o.emplace("podMetadata", pod_metadata(*c.pod_metadata));
  put_list(o, "imagePullSecret", c.image_pull_secret, [](const ir::ImagePullSecret& s) {
    Object e;
    put(e, "secretName", s.secret_name);
    put(e, "secretNameParameter", s.secret_name_parameter);
    return Value(std::move(e));
  });
  put(o, "imagePullPolicy", c.image_pull_policy);
  put_list(o, "configMapAsVolume", c.config_map_as_volume, [](const ir::ObjectAsVolume& v) {
    return object_as_volume(v, "configMapName", "configMapNameParameter");
  });
  put_list(o, "configMapAsEnv", c.config_map_as_env, [](const ir::ObjectAsEnv& v) {
    return object_as_env(v, "configMapName", "configMapNameParameter", "configMapKey");
  });
  if (c.active_deadline_seconds != 0)
    put_int64(o, "activeDeadlineSeconds", c.active_deadline_seconds);
  put_list(o, "fieldPathAsEnv", c.field_path_as_env, [](const ir::FieldPathAsEnv& f) {
    Object e;
    put(e, "fieldPath", f.field_path);
    put(e, "name", f.name);
    return Value(std::move(e));
  });
  put_list(o, "tolerations", c.tolerations, [](const ir::Toleration& t) {
    Object e;
    put(e, "effect", t.effect);
    put(e, "key", t.key);
    put(e, "operator", t.op);
    put_int64(e, "tolerationSeconds", t.toleration_seconds);
    put(e, "tolerationJson", t.json);
    put(e, "value", t.value);
    return Value(std::move(e));
  });
  put_list(o, "genericEphemeralVolume", c.generic_ephemeral_volume,
           [](const ir::GenericEphemeralVolume& v) {
             Object e;
             put(e, "accessModes", v.access_modes);
             if (v.default_storage_class) e.emplace("defaultStorageClass", Value(true));
             if (v.metadata) e.emplace("metadata", pod_metadata(*v.metadata));
             put(e, "mountPath", v.mount_path);
             put(e, "size", v.size);
             put(e, "storageClassName", v.storage_class_name);
             put(e, "volumeName", v.volume_name);
             return Value(std::move(e));
           });
  put_list(o, "nodeAffinity", c.node_affinity, [](const ir::NodeAffinityTerm& t) {
    Object e;
    put_list(e, "matchExpressions", t.match_expressions, selector_requirement);
    put_list(e, "matchFields", t.match_fields, selector_requirement);
    // An int32 inside a Struct is a double.
    if (t.weight) e.emplace("weight", Value(static_cast<double>(*t.weight)));
    put(e, "nodeAffinityJson", t.json);
    return Value(std::move(e));
  });
  put_list(o, "podAffinity", c.pod_affinity, [](const ir::PodAffinityTerm& t) {
    Object e;
    put_list(e, "matchPodExpressions", t.match_pod_expressions, selector_requirement);
    put(e, "matchPodLabels", t.match_pod_labels);
    put(e, "topologyKey", t.topology_key);
    put(e, "namespaces", t.namespaces);
    put_list(e, "matchNamespaceExpressions", t.match_namespace_expressions, selector_requirement);
    put(e, "matchNamespaceLabels", t.match_namespace_labels);
    if (t.weight) e.emplace("weight", Value(static_cast<double>(*t.weight)));
    put(e, "anti", t.anti);
    return Value(std::move(e));
  });
  if (c.enabled_shared_memory) {
    Object e;
    put(e, "size", c.enabled_shared_memory->size);
    put(e, "volumeName", c.enabled_shared_memory->volume_name);
    o.emplace("enabledSharedMemory", Value(std::move(e)));
  }
  put_list(o, "emptyDirMounts", c.empty_dir_mounts, [](const ir::EmptyDirMount& m) {
    Object e;
    if (m.medium) e.emplace("medium", Value(*m.medium));
    put(e, "mountPath", m.mount_path);
    if (m.size_limit) e.emplace("sizeLimit", Value(*m.size_limit));
    put(e, "volumeName", m.volume_name);
    return Value(std::move(e));
  });
  if (c.security_context) {
    Object e;
    put_int64(e, "runAsGroup", c.security_context->run_as_group);
    put(e, "runAsNonRoot", c.security_context->run_as_non_root);
    put_int64(e, "runAsUser", c.security_context->run_as_user);
    o.emplace("securityContext", Value(std::move(e)));
  }
  put_list(o, "initContainers", c.init_containers, [](const ir::InitContainer& ic) {
    Object e;
    put(e, "args", ic.args);
    put(e, "command", ic.command);
    put_list(e, "env", ic.env, [](const ir::EnvVar& v) {
      Object x;
      put(x, "name", v.name);
      put(x, "value", v.value);
      return Value(std::move(x));
    });
    put(e, "image", ic.image);
    put(e, "name", ic.name);
    if (!ic.resource_requests.empty() || !ic.resource_limits.empty()) {
      Object r;
      put(r, "limits", ic.resource_limits);
      put(r, "requests", ic.resource_requests);
      e.emplace("resources", Value(std::move(r)));
    }
    if (ic.restart_policy) e.emplace("restartPolicy", Value(*ic.restart_policy));
    put_list(e, "volumeMounts", ic.volume_mounts, [](const ir::VolumeMount& m) {
      Object x;
      put(x, "mountPath", m.mount_path);
      put(x, "volumeName", m.volume_name);
      return Value(std::move(x));
    });
    return Value(std::move(e));
  });
  return Value(std::move(o));
}

// `v` with every integer turned into a double, as a protobuf Struct holds numbers.
static Value struct_numbers(const Value& v) {
  if (v.is_int()) return Value(static_cast<double>(v.as_int()));
  if (v.is_array()) {
    Value::Array a;
    a.reserve(v.as_array().size());
    for (const auto& x : v.as_array()) a.push_back(struct_numbers(x));
    return Value(std::move(a));
  }
  if (v.is_object()) {
    Object o;
    for (const auto& [k, x] : v.as_object()) o.emplace(k, struct_numbers(x));
    return Value(std::move(o));
  }
  return v;
}

Value pipeline_config_json(const ir::PipelineConfig& c) {
  Object o;
  auto put_int = [&](const char* key, std::int64_t v) {
    // int32 fields: plain numbers in proto3 JSON.
    if (v != 0) o.emplace(key, Value(static_cast<long long>(v)));
  };
  put_int("activeDeadlineSeconds", c.active_deadline_seconds);
  put_int("resourceTtlOnCompletion", c.resource_ttl_on_completion);
  put_int("resourceTtlOnFailure", c.resource_ttl_on_failure);
  put_int("resourceTtlOnSuccess", c.resource_ttl_on_success);
  if (c.workspace) {
    Object w;
    if (c.workspace->pvc_spec_patch)
      w.emplace("kubernetes",
                Value(Object{{"pvcSpecPatch", struct_numbers(*c.workspace->pvc_spec_patch)}}));
    put(w, "size", c.workspace->size);
    o.emplace("workspace", Value(std::move(w)));
  }
  return Value(std::move(o));
}

}  // namespace kfpp::detail
