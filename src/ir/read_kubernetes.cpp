// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: the Kubernetes platform spec (the executors' Kubernetes settings, the pipeline's
// config).
#include <unordered_map>

#include "ir/spec_reader.hpp"

namespace kfpp::detail {

using namespace ir;  // NOLINT(google-build-using-namespace): the members build IR types throughout

std::optional<ParameterBinding> SpecReader::run_time_binding(MapInput& m, std::string_view key) {
  if (!m.has(key)) return std::nullopt;
  ParameterBinding b = parameter_binding("", m.get(key), m.path(key));
  return b;
}

StringMap SpecReader::string_map(const YamlNode& n, const YamlPath& path) {
  StringMap out;
  for_each_entry(in_, n, path, "a map of strings",
                 [&](std::string_view k, const YamlNode& v, const YamlPath& p) {
                   out.emplace(k, in_.string(v, p));
                 });
  return out;
}

PodMetadata SpecReader::pod_metadata(const YamlNode& n, const YamlPath& path) {
  PodMetadata md;
  MapInput m(in_, n, path, "metadata");
  if (m.has("labels")) md.labels = string_map(m.get("labels"), m.path("labels"));
  if (m.has("annotations"))
    md.annotations = string_map(m.get("annotations"), m.path("annotations"));
  m.finish();
  return md;
}

std::vector<SelectorRequirement> SpecReader::requirements(const YamlNode& n, const YamlPath& path) {
  std::vector<SelectorRequirement> out;
  for_each_item(in_, n, path, "selector requirements", [&](const YamlNode& v, const YamlPath& p) {
    MapInput m(in_, v, p, "a selector requirement");
    SelectorRequirement r;
    r.key = m.string("key");
    r.op = m.string("operator");
    if (m.has("values")) r.values = in_.strings(m.get("values"), m.path("values"));
    out.push_back(std::move(r));
    m.finish();
  });
  return out;
}

template <class T, class F>
void SpecReader::list(MapInput& m, std::string_view key, std::vector<T>& out, const char* what,
                      F&& one) {
  if (!m.has(key)) return;
  for_each_item(in_, m.get(key), m.path(key), what, [&](const YamlNode& v, const YamlPath& p) {
    MapInput item(in_, v, p, what);
    if (!item.ok()) return;
    out.push_back(one(item));
    item.finish();
  });
}

ObjectAsVolume SpecReader::object_as_volume(MapInput& m, const char* name_key,
                                            const char* parameter_key) {
  ObjectAsVolume v;
  v.name = m.string(name_key);
  v.name_parameter = run_time_binding(m, parameter_key);
  v.mount_path = m.string("mountPath");
  v.optional = m.boolean("optional");
  return v;
}

ObjectAsEnv SpecReader::object_as_env(MapInput& m, const char* name_key, const char* parameter_key,
                                      const char* key_key) {
  ObjectAsEnv v;
  v.name = m.string(name_key);
  v.name_parameter = run_time_binding(m, parameter_key);
  list(m, "keyToEnv", v.key_to_env, "a key to expose", [&](MapInput& k) {
    return KeyToEnv{k.string(key_key), k.string("envVar")};
  });
  v.optional = m.boolean("optional");
  return v;
}

void SpecReader::kubernetes_executor(const YamlNode& n, const YamlPath& path, KubernetesConfig& c) {
  MapInput m(in_, n, path, "a kubernetes executor config");
  if (!m.ok()) return;
  list(m, "secretAsVolume", c.secret_as_volume, "a secret volume",
       [&](MapInput& v) { return object_as_volume(v, "secretName", "secretNameParameter"); });
  list(m, "secretAsEnv", c.secret_as_env, "a secret as env", [&](MapInput& v) {
    return object_as_env(v, "secretName", "secretNameParameter", "secretKey");
  });
  list(m, "pvcMount", c.pvc_mount, "a PVC mount", [&](MapInput& v) {
    PvcMount pm;
    if (v.has("constant")) {
      ParameterBinding b;
      b.constant = in_.value(v.get("constant"), v.path("constant"));
      pm.reference = b;
    } else if (v.has("componentInputParameter")) {
      ParameterBinding b;
      b.kind = ParameterBinding::Kind::component_input;
      b.source = v.string("componentInputParameter");
      pm.reference = b;
    } else if (v.has("taskOutputParameter")) {
      ParameterBinding b;
      b.kind = ParameterBinding::Kind::task_output;
      MapInput t(in_, v.get("taskOutputParameter"), v.path("taskOutputParameter"),
                 "taskOutputParameter");
      b.source = t.string("outputParameterKey");
      b.producer_task = t.string("producerTask");
      t.finish();
      pm.reference = b;
    }
    pm.pvc_name_parameter = run_time_binding(v, "pvcNameParameter");
    pm.mount_path = v.string("mountPath");
    pm.sub_path = v.string("subPath");
    return pm;
  });
  if (m.has("nodeSelector")) {
    MapInput s(in_, m.get("nodeSelector"), m.path("nodeSelector"), "nodeSelector");
    NodeSelector ns;
    if (s.has("labels")) ns.labels = string_map(s.get("labels"), s.path("labels"));
    ns.json = run_time_binding(s, "nodeSelectorJson");
    c.node_selector = std::move(ns);
    s.finish();
  }
  if (m.has("podMetadata"))
    c.pod_metadata = pod_metadata(m.get("podMetadata"), m.path("podMetadata"));
  list(m, "imagePullSecret", c.image_pull_secret, "an image pull secret", [&](MapInput& v) {
    ImagePullSecret s;
    s.secret_name = v.string("secretName");
    s.secret_name_parameter = run_time_binding(v, "secretNameParameter");
    return s;
  });
  c.image_pull_policy = m.string("imagePullPolicy");
  list(m, "configMapAsVolume", c.config_map_as_volume, "a config map volume",
       [&](MapInput& v) { return object_as_volume(v, "configMapName", "configMapNameParameter"); });
  list(m, "configMapAsEnv", c.config_map_as_env, "a config map as env", [&](MapInput& v) {
    return object_as_env(v, "configMapName", "configMapNameParameter", "configMapKey");
  });
  c.active_deadline_seconds = m.integer("activeDeadlineSeconds", 0, kInt64Max).value_or(0);
  list(m, "fieldPathAsEnv", c.field_path_as_env, "a field path as env", [&](MapInput& v) {
    FieldPathAsEnv f;
    f.name = v.string("name");
    f.field_path = v.string("fieldPath");
    return f;
  });
  list(m, "tolerations", c.tolerations, "a toleration", [&](MapInput& v) {
    Toleration t;
    t.key = v.string("key");
    t.op = v.string("operator");
    t.value = v.string("value");
    t.effect = v.string("effect");
    t.toleration_seconds = v.integer("tolerationSeconds", kInt64Min, kInt64Max);
    t.json = run_time_binding(v, "tolerationJson");
    return t;
  });
  list(m, "genericEphemeralVolume", c.generic_ephemeral_volume, "an ephemeral volume",
       [&](MapInput& v) {
         GenericEphemeralVolume g;
         g.volume_name = v.string("volumeName");
         g.mount_path = v.string("mountPath");
         if (v.has("accessModes"))
           g.access_modes = in_.strings(v.get("accessModes"), v.path("accessModes"));
         g.size = v.string("size");
         g.default_storage_class = v.boolean("defaultStorageClass").value_or(false);
         g.storage_class_name = v.string("storageClassName");
         if (v.has("metadata")) g.metadata = pod_metadata(v.get("metadata"), v.path("metadata"));
         return g;
       });
  list(m, "nodeAffinity", c.node_affinity, "a node affinity term", [&](MapInput& v) {
    NodeAffinityTerm t;
    if (v.has("matchExpressions"))
      t.match_expressions = requirements(v.get("matchExpressions"), v.path("matchExpressions"));
    if (v.has("matchFields"))
      t.match_fields = requirements(v.get("matchFields"), v.path("matchFields"));
    if (auto w = v.integer("weight", kInt32Min, kInt32Max))
      t.weight = static_cast<std::int32_t>(*w);
    t.json = run_time_binding(v, "nodeAffinityJson");
    return t;
  });
  list(m, "podAffinity", c.pod_affinity, "a pod affinity term", [&](MapInput& v) {
    PodAffinityTerm t;
    if (v.has("matchPodExpressions"))
      t.match_pod_expressions =
          requirements(v.get("matchPodExpressions"), v.path("matchPodExpressions"));
    if (v.has("matchPodLabels"))
      t.match_pod_labels = string_map(v.get("matchPodLabels"), v.path("matchPodLabels"));
    t.topology_key = v.string("topologyKey");
    if (v.has("namespaces")) t.namespaces = in_.strings(v.get("namespaces"), v.path("namespaces"));
    if (v.has("matchNamespaceExpressions"))
      t.match_namespace_expressions =
          requirements(v.get("matchNamespaceExpressions"), v.path("matchNamespaceExpressions"));
    if (v.has("matchNamespaceLabels"))
      t.match_namespace_labels =
          string_map(v.get("matchNamespaceLabels"), v.path("matchNamespaceLabels"));
    if (auto w = v.integer("weight", kInt32Min, kInt32Max))
      t.weight = static_cast<std::int32_t>(*w);
    t.anti = v.boolean("anti");
    return t;
  });
  if (m.has("enabledSharedMemory")) {
    MapInput s(in_, m.get("enabledSharedMemory"), m.path("enabledSharedMemory"),
               "enabledSharedMemory");
    c.enabled_shared_memory = EnabledSharedMemory{s.string("volumeName"), s.string("size")};
    s.finish();
  }
  list(m, "emptyDirMounts", c.empty_dir_mounts, "an empty-dir mount", [&](MapInput& v) {
    EmptyDirMount e;
    e.volume_name = v.string("volumeName");
    e.mount_path = v.string("mountPath");
    if (v.has("medium")) e.medium = v.string("medium");
    if (v.has("sizeLimit")) e.size_limit = v.string("sizeLimit");
    return e;
  });
  if (m.has("securityContext")) {
    MapInput s(in_, m.get("securityContext"), m.path("securityContext"), "securityContext");
    SecurityContext sc;
    sc.run_as_user = s.integer("runAsUser", 0, kInt64Max);
    sc.run_as_group = s.integer("runAsGroup", 0, kInt64Max);
    sc.run_as_non_root = s.boolean("runAsNonRoot");
    c.security_context = sc;
    s.finish();
  }
  list(m, "initContainers", c.init_containers, "an init container", [&](MapInput& v) {
    InitContainer ic;
    ic.name = v.string("name");
    ic.image = v.string("image");
    if (v.has("command")) ic.command = in_.strings(v.get("command"), v.path("command"));
    if (v.has("args")) ic.args = in_.strings(v.get("args"), v.path("args"));
    list(v, "env", ic.env, "an environment variable", [&](MapInput& e) {
      return EnvVar{e.string("name"), e.string("value")};
    });
    list(v, "volumeMounts", ic.volume_mounts, "a volume mount", [&](MapInput& e) {
      return VolumeMount{e.string("volumeName"), e.string("mountPath")};
    });
    if (v.has("restartPolicy")) ic.restart_policy = v.string("restartPolicy");
    if (v.has("resources")) {
      MapInput r(in_, v.get("resources"), v.path("resources"), "resources");
      if (r.has("requests"))
        ic.resource_requests = string_map(r.get("requests"), r.path("requests"));
      if (r.has("limits")) ic.resource_limits = string_map(r.get("limits"), r.path("limits"));
      r.finish();
    }
    return ic;
  });
  m.finish();
}

void SpecReader::kubernetes_platform(const YamlNode& n, const YamlPath& path, Pipeline& p) {
  MapInput m(in_, n, path, "the kubernetes platform spec");
  if (!m.ok()) return;
  if (m.has("deploymentSpec")) {
    MapInput d(in_, m.get("deploymentSpec"), m.path("deploymentSpec"), "deploymentSpec");
    // The executors of the first document by label (unique: the parser refuses a duplicate
    // key), so that each of the platform's is found at once, not by a scan of them all.
    std::unordered_map<std::string_view, Executor*> by_label;
    by_label.reserve(p.executors.size());
    for (auto& x : p.executors) by_label.emplace(x.label, &x);
    for_each_entry(in_, d.get("executors"), d.path("executors"), "executors",
                   [&](std::string_view label, const YamlNode& v, const YamlPath& at) {
                     const auto found = by_label.find(label);
                     Executor* e = found == by_label.end() ? nullptr : found->second;
                     if (!e) {
                       in_.error(v, at, "kfpp.unknown_executor",
                                 "no executor `" + std::string(label) + "` in deploymentSpec",
                                 "name an executor of the first document");
                       return;
                     }
                     kubernetes_executor(v, at, e->kubernetes.emplace());
                   });
    d.finish();
  }
  if (m.has("pipelineConfig")) {
    MapInput c(in_, m.get("pipelineConfig"), m.path("pipelineConfig"), "pipelineConfig");
    PipelineConfig pc;
    pc.active_deadline_seconds = c.integer("activeDeadlineSeconds", 0, kInt64Max).value_or(0);
    pc.resource_ttl_on_completion = c.integer("resourceTtlOnCompletion", 0, kInt32Max).value_or(0);
    pc.resource_ttl_on_success = c.integer("resourceTtlOnSuccess", 0, kInt32Max).value_or(0);
    pc.resource_ttl_on_failure = c.integer("resourceTtlOnFailure", 0, kInt32Max).value_or(0);
    if (c.has("workspace")) {
      MapInput w(in_, c.get("workspace"), c.path("workspace"), "workspace");
      WorkspaceConfig ws;
      ws.size = w.string("size");
      if (w.has("kubernetes")) {
        MapInput k(in_, w.get("kubernetes"), w.path("kubernetes"), "workspace.kubernetes");
        if (k.has("pvcSpecPatch"))
          ws.pvc_spec_patch = in_.value(k.get("pvcSpecPatch"), k.path("pvcSpecPatch"));
        k.finish();
      }
      pc.workspace = std::move(ws);
      w.finish();
    }
    p.config = std::move(pc);
    c.finish();
  }
  m.finish();
}
}  // namespace kfpp::detail
