// SPDX-License-Identifier: Apache-2.0
// kfp-kubernetes settings of an executor as the fields of an Argo container template.
#include "argo_context.hpp"
#include "kfpp/ir/kubernetes.hpp"

namespace kfpp::detail::argo {

namespace {

using ir::ParameterBinding;

struct Pod {
  Context& cx;
  Node& tmpl;
  const std::function<std::string(const ParameterBinding&)>& runtime;
  const std::function<bool(const ParameterBinding&)>& is_list;
  const std::string& path;
  int volumes = 0;
  std::vector<std::pair<std::string, std::string>> patch;  // podSpecPatch fields: key, JSON

  Node& container() { return tmpl.child("container"); }

  std::string name(const std::string& constant, const std::optional<ParameterBinding>& param) {
    if (!param) return constant;
    if (param->kind == ParameterBinding::Kind::constant)
      return constant_text(cx, param->constant, "", path);
    return runtime(*param);
  }

  void add_env(Node env) { container().child("env", Node::Kind::seq).push(std::move(env)); }

  std::string add_volume(const std::string& prefix, Node source, const std::string& mount_path,
                         const std::string& sub_path = {}) {
    std::string vname = "kfpp-" + prefix + "-" + std::to_string(volumes++);
    Node v = Node::map();
    v.set("name", vname);
    for (const auto& [k, val] : source.fields()) v.set(k, val);
    tmpl.child("volumes", Node::Kind::seq).push(std::move(v));
    if (!mount_path.empty()) mount(vname, mount_path, sub_path);
    return vname;
  }

  void mount(const std::string& vname, const std::string& mount_path,
             const std::string& sub_path = {}) {
    Node m = Node::map();
    m.set("name", vname);
    m.set("mountPath", mount_path);
    if (!sub_path.empty()) m.set("subPath", sub_path);
    container().child("volumeMounts", Node::Kind::seq).push(std::move(m));
  }

  // A JSON value: a constant becomes fields now, a run-time value goes into the pod spec patch.
  // Returns the constant, or null after queuing the patch.
  const ir::Value* json(const ParameterBinding& b, const std::string& patch_key, bool as_list) {
    if (b.kind == ParameterBinding::Kind::constant) return &b.constant;
    std::string v = runtime(b);
    if (as_list && !is_list(b)) v = "[" + v + "]";
    patch.emplace_back(patch_key, std::move(v));
    return nullptr;
  }
};

Node requirements(const std::vector<ir::SelectorRequirement>& reqs) {
  Node out = Node::seq();
  for (const auto& r : reqs) {
    Node e = Node::map();
    e.set("key", r.key);
    e.set("operator", r.op);
    if (!r.values.empty()) {
      Node& vs = e.set("values", Node::seq());
      for (const auto& v : r.values) vs.push(v);
    }
    out.push(std::move(e));
  }
  return out;
}

Node string_map(const ir::StringMap& m) {
  Node out = Node::map();
  for (const auto& [k, v] : m) out.set(k, v);
  return out;
}

Node label_selector(const std::vector<ir::SelectorRequirement>& exprs,
                    const ir::StringMap& labels) {
  Node s = Node::map();
  if (!exprs.empty()) s.set("matchExpressions", requirements(exprs));
  if (!labels.empty()) s.set("matchLabels", string_map(labels));
  return s;
}

void secrets_and_config_maps(Pod& pod, const ir::KubernetesConfig& k) {
  for (const auto& s : k.secret_as_volume) {
    Node src = Node::map();
    Node& secret = src.set("secret", Node::map());
    secret.set("secretName", pod.name(s.name, s.name_parameter));
    if (s.optional) secret.set("optional", *s.optional);
    pod.add_volume("secret", std::move(src), s.mount_path);
  }
  for (const auto& c : k.config_map_as_volume) {
    Node src = Node::map();
    Node& cm = src.set("configMap", Node::map());
    cm.set("name", pod.name(c.name, c.name_parameter));
    if (c.optional) cm.set("optional", *c.optional);
    pod.add_volume("config-map", std::move(src), c.mount_path);
  }
  auto as_env = [&](const std::vector<ir::ObjectAsEnv>& list, const char* ref) {
    for (const auto& s : list) {
      const std::string obj = pod.name(s.name, s.name_parameter);
      for (const auto& kv : s.key_to_env) {
        Node e = Node::map();
        e.set("name", kv.env_var);
        Node& r = e.child("valueFrom").set(ref, Node::map());
        r.set("name", obj);
        r.set("key", kv.key);
        if (s.optional) r.set("optional", *s.optional);
        pod.add_env(std::move(e));
      }
    }
  };
  as_env(k.secret_as_env, "secretKeyRef");
  as_env(k.config_map_as_env, "configMapKeyRef");
}

void volumes(Pod& pod, const ir::KubernetesConfig& k) {
  for (const auto& m : k.pvc_mount) {
    // The new field wins; the old one is there for older backends.
    const auto& b = m.pvc_name_parameter ? m.pvc_name_parameter : m.reference;
    Node src = Node::map();
    src.child("persistentVolumeClaim").set("claimName", b ? pod.name("", b) : std::string());
    pod.add_volume("pvc", std::move(src), m.mount_path, m.sub_path);
  }
  for (const auto& e : k.empty_dir_mounts) {
    Node src = Node::map();
    Node& ed = src.set("emptyDir", Node::map());
    if (e.medium && !e.medium->empty()) ed.set("medium", *e.medium);
    if (e.size_limit && !e.size_limit->empty()) ed.set("sizeLimit", *e.size_limit);
    pod.add_volume("empty-dir", std::move(src), e.mount_path);
  }
  if (k.enabled_shared_memory) {
    Node src = Node::map();
    Node& ed = src.set("emptyDir", Node::map());
    ed.set("medium", "Memory");
    if (!k.enabled_shared_memory->size.empty()) ed.set("sizeLimit", k.enabled_shared_memory->size);
    pod.add_volume("shm", std::move(src), "/dev/shm");
  }
  for (const auto& g : k.generic_ephemeral_volume) {
    Node src = Node::map();
    Node& claim = src.child("ephemeral").child("volumeClaimTemplate");
    if (g.metadata && (!g.metadata->labels.empty() || !g.metadata->annotations.empty())) {
      Node& md = claim.child("metadata");
      if (!g.metadata->labels.empty()) md.set("labels", string_map(g.metadata->labels));
      if (!g.metadata->annotations.empty())
        md.set("annotations", string_map(g.metadata->annotations));
    }
    Node& spec = claim.child("spec");
    Node& modes = spec.set("accessModes", Node::seq());
    for (const auto& m : g.access_modes) modes.push(m);
    spec.child("resources").child("requests").set("storage", g.size);
    if (!g.default_storage_class && !g.storage_class_name.empty())
      spec.set("storageClassName", g.storage_class_name);
    // The volume keeps the name the user gave, so init containers can mount it by that name.
    Node v = Node::map();
    v.set("name", g.volume_name);
    v.set("ephemeral", *src.find("ephemeral"));
    pod.tmpl.child("volumes", Node::Kind::seq).push(std::move(v));
    pod.mount(g.volume_name, g.mount_path);
  }
}

void scheduling(Pod& pod, const ir::KubernetesConfig& k) {
  if (k.node_selector) {
    Node sel = string_map(k.node_selector->labels);
    if (k.node_selector->json) {
      if (const ir::Value* v = pod.json(*k.node_selector->json, "nodeSelector", false)) {
        if (!v->is_object()) {
          pod.cx.unsupported(pod.path + "/kubernetes/nodeSelector",
                             "the node selector JSON is not an object",
                             "give an object of label keys and values");
        } else {
          for (const auto& [key, val] : v->as_object())
            sel.set(key, val.is_string() ? val.as_string() : ir::python_json_text(val));
        }
      }
    }
    if (!sel.empty()) pod.tmpl.set("nodeSelector", std::move(sel));
  }
  Node tolerations = Node::seq();
  for (const auto& t : k.tolerations) {
    if (t.json) {
      if (const ir::Value* v = pod.json(*t.json, "tolerations", true)) {
        if (v->is_array())
          for (const auto& item : v->as_array()) tolerations.push(Node::from(item));
        else
          tolerations.push(Node::from(*v));
      }
      continue;
    }
    Node n = Node::map();
    if (!t.key.empty()) n.set("key", t.key);
    if (!t.op.empty()) n.set("operator", t.op);
    if (!t.value.empty()) n.set("value", t.value);
    if (!t.effect.empty()) n.set("effect", t.effect);
    if (t.toleration_seconds) n.set("tolerationSeconds", *t.toleration_seconds);
    tolerations.push(std::move(n));
  }
  if (!tolerations.empty()) pod.tmpl.set("tolerations", std::move(tolerations));

  Node required = Node::seq();
  Node preferred = Node::seq();
  for (const auto& term : k.node_affinity) {
    if (term.json) {
      const ir::Value* v = pod.json(*term.json, "nodeAffinity", false);
      if (!v) continue;
      if (!v->is_object()) {
        pod.cx.unsupported(pod.path + "/kubernetes/nodeAffinity",
                           "the node affinity JSON is not an object",
                           "give a Kubernetes NodeAffinity object");
        continue;
      }
      const auto& o = v->as_object();
      if (auto r = o.find("requiredDuringSchedulingIgnoredDuringExecution"); r != o.end()) {
        if (r->second.is_object()) {
          const auto& ro = r->second.as_object();
          if (auto ts = ro.find("nodeSelectorTerms"); ts != ro.end() && ts->second.is_array())
            for (const auto& x : ts->second.as_array()) required.push(Node::from(x));
        }
      }
      if (auto p = o.find("preferredDuringSchedulingIgnoredDuringExecution");
          p != o.end() && p->second.is_array())
        for (const auto& x : p->second.as_array()) preferred.push(Node::from(x));
      continue;
    }
    Node sel = Node::map();
    if (!term.match_expressions.empty())
      sel.set("matchExpressions", requirements(term.match_expressions));
    if (!term.match_fields.empty()) sel.set("matchFields", requirements(term.match_fields));
    if (term.weight) {
      Node pref = Node::map();
      pref.set("weight", static_cast<std::int64_t>(*term.weight));
      pref.set("preference", std::move(sel));
      preferred.push(std::move(pref));
    } else {
      required.push(std::move(sel));
    }
  }
  Node affinity = Node::map();
  if (!required.empty() || !preferred.empty()) {
    Node& na = affinity.child("nodeAffinity");
    if (!required.empty())
      na.child("requiredDuringSchedulingIgnoredDuringExecution")
          .set("nodeSelectorTerms", std::move(required));
    if (!preferred.empty())
      na.set("preferredDuringSchedulingIgnoredDuringExecution", std::move(preferred));
  }
  for (const auto& term : k.pod_affinity) {
    Node t = Node::map();
    t.set("labelSelector", label_selector(term.match_pod_expressions, term.match_pod_labels));
    t.set("topologyKey", term.topology_key);
    if (!term.namespaces.empty()) {
      Node& ns = t.set("namespaces", Node::seq());
      for (const auto& n : term.namespaces) ns.push(n);
    }
    if (!term.match_namespace_expressions.empty() || !term.match_namespace_labels.empty())
      t.set("namespaceSelector",
            label_selector(term.match_namespace_expressions, term.match_namespace_labels));
    Node& kind = affinity.child(term.anti.value_or(false) ? "podAntiAffinity" : "podAffinity");
    if (term.weight) {
      Node w = Node::map();
      w.set("weight", static_cast<std::int64_t>(*term.weight));
      w.set("podAffinityTerm", std::move(t));
      kind.child("preferredDuringSchedulingIgnoredDuringExecution", Node::Kind::seq)
          .push(std::move(w));
    } else {
      kind.child("requiredDuringSchedulingIgnoredDuringExecution", Node::Kind::seq)
          .push(std::move(t));
    }
  }
  if (!affinity.empty()) pod.tmpl.set("affinity", std::move(affinity));
}

Node init_container(const ir::InitContainer& c) {
  Node n = Node::map();
  n.set("name", c.name);
  n.set("image", c.image);
  auto list = [&](const char* key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    Node& l = n.set(key, Node::seq());
    for (const auto& s : items) l.push(s);
  };
  list("command", c.command);
  list("args", c.args);
  if (!c.env.empty()) {
    Node& env = n.set("env", Node::seq());
    for (const auto& e : c.env) {
      Node v = Node::map();
      v.set("name", e.name);
      v.set("value", e.value);
      env.push(std::move(v));
    }
  }
  if (!c.resource_requests.empty() || !c.resource_limits.empty()) {
    Node& r = n.child("resources");
    if (!c.resource_limits.empty()) r.set("limits", string_map(c.resource_limits));
    if (!c.resource_requests.empty()) r.set("requests", string_map(c.resource_requests));
  }
  if (!c.volume_mounts.empty()) {
    Node& vm = n.set("volumeMounts", Node::seq());
    for (const auto& m : c.volume_mounts) {
      Node v = Node::map();
      v.set("name", m.volume_name);
      v.set("mountPath", m.mount_path);
      vm.push(std::move(v));
    }
  }
  if (c.restart_policy && !c.restart_policy->empty()) n.set("restartPolicy", *c.restart_policy);
  return n;
}

}  // namespace

void apply_kubernetes(Context& cx, const ir::Executor& exec, Node& tmpl,
                      const std::function<std::string(const ParameterBinding&)>& runtime,
                      const std::function<bool(const ParameterBinding&)>& is_list,
                      std::set<std::string>& pull_secrets, const std::string& path) {
  if (!exec.kubernetes) return;
  const ir::KubernetesConfig& k = *exec.kubernetes;
  Pod pod{cx, tmpl, runtime, is_list, path, 0, {}};

  if (k.pod_metadata) {
    Node& md = tmpl.child("metadata");
    if (!k.pod_metadata->labels.empty()) md.set("labels", string_map(k.pod_metadata->labels));
    if (!k.pod_metadata->annotations.empty())
      md.set("annotations", string_map(k.pod_metadata->annotations));
  }
  secrets_and_config_maps(pod, k);
  for (const auto& f : k.field_path_as_env) {
    Node e = Node::map();
    e.set("name", f.name);
    e.child("valueFrom").child("fieldRef").set("fieldPath", f.field_path);
    pod.add_env(std::move(e));
  }
  volumes(pod, k);
  scheduling(pod, k);
  if (!k.image_pull_policy.empty()) pod.container().set("imagePullPolicy", k.image_pull_policy);
  if (k.security_context) {
    Node sc = Node::map();
    if (k.security_context->run_as_user) sc.set("runAsUser", *k.security_context->run_as_user);
    if (k.security_context->run_as_group) sc.set("runAsGroup", *k.security_context->run_as_group);
    if (k.security_context->run_as_non_root)
      sc.set("runAsNonRoot", *k.security_context->run_as_non_root);
    pod.container().set("securityContext", std::move(sc));
  }
  if (!k.init_containers.empty()) {
    Node& ic = tmpl.set("initContainers", Node::seq());
    for (const auto& c : k.init_containers) ic.push(init_container(c));
  }
  if (k.active_deadline_seconds > 0) tmpl.set("activeDeadlineSeconds", k.active_deadline_seconds);

  // Image pull secrets are the workflow's (Argo has no per-template list); one named at run
  // time is patched into this pod alone.
  std::vector<std::string> patched_secrets;
  for (const auto& s : k.image_pull_secret) {
    if (s.secret_name_parameter &&
        s.secret_name_parameter->kind != ParameterBinding::Kind::constant) {
      patched_secrets.push_back(runtime(*s.secret_name_parameter));
    } else {
      const std::string n = pod.name(s.secret_name, s.secret_name_parameter);
      if (!n.empty()) pull_secrets.insert(n);
    }
  }
  if (!patched_secrets.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < patched_secrets.size(); ++i)
      list += (i ? ",{\"name\":\"" : "{\"name\":\"") + patched_secrets[i] + "\"}";
    pod.patch.emplace_back("imagePullSecrets", list + "]");
  }
  if (!pod.patch.empty()) {
    std::string text = "{";
    std::set<std::string> keys;
    for (std::size_t i = 0; i < pod.patch.size(); ++i) {
      const auto& [key, json] = pod.patch[i];
      // A patch replaces lists and the node affinity whole: a second source would be lost.
      const bool clash = !keys.insert(key).second ||
                         (key == "tolerations" && tmpl.find("tolerations")) ||
                         (key == "nodeAffinity" && tmpl.find("affinity") &&
                          tmpl.find("affinity")->find("nodeAffinity"));
      if (clash && key != "nodeSelector") {
        cx.unsupported(path + "/kubernetes/" + key,
                       key + " read at run time cannot be combined with other " + key +
                           " on the same task in Argo (a pod spec patch replaces them)",
                       "give them all in one JSON value read at run time, or all as constants");
      }
      if (i) text += ",";
      if (key == "nodeAffinity")
        text += "\"affinity\":{\"nodeAffinity\":" + json + "}";
      else
        text += "\"" + key + "\":" + json;
    }
    text += "}";
    tmpl.set("podSpecPatch", text);
  }
}

}  // namespace kfpp::detail::argo
