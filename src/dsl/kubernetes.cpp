// SPDX-License-Identifier: Apache-2.0
// The Kubernetes settings of a task, checked at the call that makes them, and the CreatePVC and
// DeletePVC components.
#include "kfpp/dsl/kubernetes.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "k8s_rules.hpp"
#include "kfpp/dsl/component.hpp"
#include "kfpp/error.hpp"
#include "state.hpp"

namespace kfpp::k8s {

namespace {

using kfpp::detail::Source;

[[noreturn]] void fail(const char* code, const std::string& where, std::string message,
                       std::string fix) {
  throw DefinitionError({code, where, std::move(message), std::move(fix)});
}

// The task's config, after checking the task runs a container.
struct Target {
  kfpp::detail::PipelineState& st;
  kfpp::detail::TaskRecord& rec;
  std::string base;  // `pipeline/task/kubernetes`

  std::string at(const std::string& what) const { return base + "/" + what; }

  ir::KubernetesConfig& config() {
    if (!rec.kubernetes) rec.kubernetes.emplace();
    return *rec.kubernetes;
  }

  // A name given as a constant (checked as a DNS subdomain) or read at run time.
  ir::ParameterBinding name(const StringArg& arg, const std::string& where, const char* what) {
    if (!arg.is_set())
      fail("kfpp.invalid_value", where, std::string("no ") + what + " given",
           std::string("give the ") + what);
    return value(arg.source(), where, [&](const std::string& text) {
      kfpp::detail::check_dns_subdomain(text, where, what);
    });
  }

  template <class Check>
  ir::ParameterBinding value(const Source& s, const std::string& where, Check&& check) {
    st.check_source(s, where);
    ir::ParameterBinding b;
    if (s.kind == Source::Kind::constant) {
      check(s.constant.is_string() ? s.constant.as_string() : std::string());
      b.constant = s.constant;
      return b;
    }
    b.name = kfpp::detail::channel_marker(rec.k8s_channels.size());
    rec.k8s_channels.push_back(s);
    return b;
  }

  // Mount paths of the main container are unique.
  void new_mount(const std::string& path, const std::string& where) {
    kfpp::detail::check_mount_path(path, where);
    const auto& c = config();
    std::vector<const std::string*> used;
    for (const auto& m : c.pvc_mount) used.push_back(&m.mount_path);
    for (const auto& m : c.secret_as_volume) used.push_back(&m.mount_path);
    for (const auto& m : c.config_map_as_volume) used.push_back(&m.mount_path);
    for (const auto& m : c.empty_dir_mounts) used.push_back(&m.mount_path);
    for (const auto& m : c.generic_ephemeral_volume) used.push_back(&m.mount_path);
    for (const std::string* u : used)
      if (*u == path)
        fail("kfpp.duplicate_mount_path", where,
             "something is already mounted at '" + path + "' in this task",
             "mount each volume at its own path");
  }

  // Volume names the task declares are unique.
  void new_volume(const std::string& name, const std::string& where) {
    kfpp::detail::check_dns_label(name, where, "volume name");
    const auto& c = config();
    for (const auto& m : c.empty_dir_mounts)
      if (m.volume_name == name)
        fail("kfpp.duplicate_name", where, "the task already has a volume called '" + name + "'",
             "give each volume its own name");
    for (const auto& m : c.generic_ephemeral_volume)
      if (m.volume_name == name)
        fail("kfpp.duplicate_name", where, "the task already has a volume called '" + name + "'",
             "give each volume its own name");
  }

  // Environment variables set from secrets, config maps and fields are unique.
  void new_env(const std::string& name, const std::string& where) {
    kfpp::detail::check_env_name(name, where);
    const auto& c = config();
    bool taken = false;
    for (const auto& e : c.secret_as_env)
      for (const auto& k : e.key_to_env) taken |= k.env_var == name;
    for (const auto& e : c.config_map_as_env)
      for (const auto& k : e.key_to_env) taken |= k.env_var == name;
    for (const auto& f : c.field_path_as_env) taken |= f.name == name;
    if (taken)
      fail("kfpp.duplicate_name", where,
           "environment variable '" + name + "' is already set from a secret, config map or field",
           "set each variable from one source");
  }
};

Target target(kfpp::detail::PipelineState* st, std::size_t id) {
  auto& rec = st->tasks.at(id);
  std::string base = st->name + "/" + rec.name + "/kubernetes";
  if (!rec.component->executor.container || rec.component->pipeline)
    fail("kfpp.unsupported", base, "Kubernetes settings apply only to a task that runs a container",
         "set them on the tasks inside the pipeline, not on the pipeline or an importer");
  return Target{*st, rec, std::move(base)};
}

void set_map_entry(ir::StringMap& m, const std::string& key, const std::string& value,
                   const std::string& where) {
  auto [it, fresh] = m.emplace(key, value);
  if (!fresh && it->second != value)
    fail("kfpp.duplicate_name", where,
         "'" + key + "' is already set to '" + it->second + "' on this task", "set each key once");
}

std::vector<ir::KeyToEnv> key_to_env(Target& t, const KeyToEnv& keys, const std::string& where) {
  if (keys.empty())
    fail("kfpp.invalid_value", where, "no key is mapped to an environment variable",
         "map at least one key, e.g. {{\"password\", \"DB_PASS\"}}");
  std::vector<ir::KeyToEnv> out;
  std::set<std::string> mine;
  for (const auto& [key, env] : keys) {
    const std::string w = where + "/" + key;
    bool key_ok = !key.empty();
    for (char c : key)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        key_ok = false;
    if (!key_ok)
      fail("kfpp.invalid_value", w, "'" + key + "' is not a valid key of a Secret or ConfigMap",
           "use letters, digits, '-', '_' and '.'");
    t.new_env(env, w);
    if (!mine.insert(env).second)
      fail("kfpp.duplicate_name", w, "environment variable '" + env + "' is set twice",
           "map each variable once");
    out.push_back({key, env});
  }
  return out;
}

void check_requirements(const std::vector<Requirement>& rs, const std::string& where, bool fields) {
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const auto& r = rs[i];
    const std::string w = where + "/" + std::to_string(i);
    if (r.key.empty())
      fail("kfpp.invalid_value", w, "the requirement has no key", "name a node label or field");
    if (fields && r.key != "metadata.name")
      fail("kfpp.invalid_value", w, "Kubernetes matches node fields only on 'metadata.name'",
           "use match_expressions for labels");
    if (!fields) kfpp::detail::check_label_key(r.key, w + "/key");
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty())
        fail("kfpp.invalid_value", w, "operator " + r.op + " needs at least one value",
             "list the values to match");
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty())
        fail("kfpp.invalid_value", w, "operator " + r.op + " takes no values", "drop the values");
    } else if (r.op == "Gt" || r.op == "Lt") {
      bool number = r.values.size() == 1 && !r.values[0].empty();
      if (number)
        for (char c : r.values[0]) number &= c >= '0' && c <= '9';
      if (!number)
        fail("kfpp.invalid_value", w, "operator " + r.op + " needs exactly one integer value",
             "give one value such as \"4\"");
    } else {
      fail("kfpp.invalid_value", w, "'" + r.op + "' is not a node selector operator",
           "use In, NotIn, Exists, DoesNotExist, Gt or Lt");
    }
  }
}

std::vector<ir::SelectorRequirement> to_ir(const std::vector<Requirement>& rs) {
  std::vector<ir::SelectorRequirement> out;
  out.reserve(rs.size());
  for (const auto& r : rs) out.push_back({r.key, r.op, r.values});
  return out;
}

void check_field_path(const std::string& path, const std::string& where) {
  static const std::set<std::string> plain = {"metadata.name",
                                              "metadata.namespace",
                                              "metadata.uid",
                                              "spec.nodeName",
                                              "spec.serviceAccountName",
                                              "status.hostIP",
                                              "status.hostIPs",
                                              "status.podIP",
                                              "status.podIPs"};
  if (plain.count(path)) return;
  for (const char* prefix : {"metadata.labels['", "metadata.annotations['"}) {
    const std::string p = prefix;
    if (path.size() > p.size() + 2 && path.compare(0, p.size(), p) == 0 &&
        path.compare(path.size() - 2, 2, "']") == 0) {
      kfpp::detail::check_label_key(path.substr(p.size(), path.size() - p.size() - 2), where);
      return;
    }
  }
  fail("kfpp.invalid_value", where, "'" + path + "' is not a pod field Kubernetes can expose",
       "use metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], "
       "metadata.annotations['k'], spec.nodeName, spec.serviceAccountName, status.hostIP or "
       "status.podIP");
}

void check_metadata(const std::map<std::string, std::string>& labels,
                    const std::map<std::string, std::string>& annotations,
                    const std::string& where) {
  for (const auto& [k, v] : labels) {
    kfpp::detail::check_label_key(k, where + "/labels/" + k);
    kfpp::detail::check_label_value(v, where + "/labels/" + k);
  }
  for (const auto& [k, v] : annotations)
    kfpp::detail::check_label_key(k, where + "/annotations/" + k);
}

std::string json_string(const ir::Value& v) { return v.is_string() ? v.as_string() : ""; }

}  // namespace

// ---- volumes ------------------------------------------------------------------------------

Settings& Settings::mount_pvc(const StringArg& pvc, std::string mount_path, std::string sub_path) {
  Target t = target(state_, task_);
  const std::string where = t.at("pvcMount/" + mount_path);
  t.new_mount(mount_path, where);
  if (!sub_path.empty()) {
    const std::string padded = "/" + sub_path + "/";
    if (sub_path[0] == '/' || padded.find("/../") != std::string::npos)
      fail("kfpp.invalid_mount_path", where + "/subPath",
           "sub path '" + sub_path + "' is absolute or contains '..'",
           "give a path inside the claim, such as 'data/train'");
  }
  ir::PvcMount m;
  m.pvc_name_parameter = t.name(pvc, where + "/pvcName", "claim name");
  // The old field keeps the name, in its own spelling.
  m.reference = m.pvc_name_parameter;
  m.mount_path = std::move(mount_path);
  m.sub_path = std::move(sub_path);
  t.config().pvc_mount.push_back(std::move(m));
  return *this;
}

Settings& Settings::empty_dir(std::string volume, std::string mount_path, EmptyDir options) {
  Target t = target(state_, task_);
  const std::string where = t.at("emptyDirMounts/" + volume);
  t.new_volume(volume, where);
  t.new_mount(mount_path, where + "/mountPath");
  if (options.medium && !options.medium->empty() && *options.medium != "Memory" &&
      options.medium->rfind("HugePages", 0) != 0)
    fail("kfpp.invalid_value", where + "/medium",
         "'" + *options.medium + "' is not an emptyDir medium",
         "use \"Memory\", \"HugePages\", or leave it unset for the node's disk");
  if (options.size_limit) kfpp::detail::check_quantity(*options.size_limit, where + "/sizeLimit");
  t.config().empty_dir_mounts.push_back({std::move(volume), std::move(mount_path),
                                         std::move(options.medium), std::move(options.size_limit)});
  return *this;
}

Settings& Settings::ephemeral_volume(EphemeralVolume v) {
  Target t = target(state_, task_);
  const std::string where = t.at("genericEphemeralVolume/" + v.name);
  t.new_volume(v.name, where);
  t.new_mount(v.mount_path, where + "/mountPath");
  if (v.access_modes.empty())
    fail("kfpp.invalid_value", where + "/accessModes", "no access mode given",
         "give one, e.g. {\"ReadWriteOnce\"}");
  for (const auto& m : v.access_modes) kfpp::detail::check_access_mode(m, where + "/accessModes");
  kfpp::detail::check_quantity(v.size, where + "/size");
  if (v.storage_class)
    kfpp::detail::check_dns_subdomain(*v.storage_class, where + "/storageClassName",
                                      "storage class name");
  check_metadata(v.labels, v.annotations, where + "/metadata");
  ir::GenericEphemeralVolume g;
  g.volume_name = std::move(v.name);
  g.mount_path = std::move(v.mount_path);
  g.access_modes = std::move(v.access_modes);
  g.size = std::move(v.size);
  g.default_storage_class = !v.storage_class;
  if (v.storage_class) g.storage_class_name = std::move(*v.storage_class);
  if (!v.labels.empty() || !v.annotations.empty())
    g.metadata = ir::PodMetadata{{v.labels.begin(), v.labels.end()},
                                 {v.annotations.begin(), v.annotations.end()}};
  t.config().generic_ephemeral_volume.push_back(std::move(g));
  return *this;
}

// ---- secrets and config maps --------------------------------------------------------------

namespace {

// Secrets and config maps are read the same way; only the config's list and the words differ.
void add_as_env(Target& t, std::vector<ir::ObjectAsEnv> ir::KubernetesConfig::*list,
                const StringArg& name, const KeyToEnv& keys, bool optional,
                const std::string& where, const char* what) {
  ir::ObjectAsEnv e;
  e.name_parameter = t.name(name, where, what);
  e.name = name.text();
  e.key_to_env = key_to_env(t, keys, where);
  e.optional = optional;
  (t.config().*list).push_back(std::move(e));
}

void add_as_volume(Target& t, std::vector<ir::ObjectAsVolume> ir::KubernetesConfig::*list,
                   const StringArg& name, std::string mount_path, bool optional,
                   const std::string& where, const char* what) {
  t.new_mount(mount_path, where);
  ir::ObjectAsVolume v;
  v.name_parameter = t.name(name, where, what);
  v.name = name.text();
  v.mount_path = std::move(mount_path);
  v.optional = optional;
  (t.config().*list).push_back(std::move(v));
}

}  // namespace

Settings& Settings::secret_as_env(const StringArg& secret, KeyToEnv keys, bool optional) {
  Target t = target(state_, task_);
  add_as_env(t, &ir::KubernetesConfig::secret_as_env, secret, keys, optional, t.at("secretAsEnv"),
             "Secret name");
  return *this;
}

Settings& Settings::secret_as_volume(const StringArg& secret, std::string mount_path,
                                     bool optional) {
  Target t = target(state_, task_);
  const std::string where = t.at("secretAsVolume/" + mount_path);
  add_as_volume(t, &ir::KubernetesConfig::secret_as_volume, secret, std::move(mount_path), optional,
                where, "Secret name");
  return *this;
}

Settings& Settings::config_map_as_env(const StringArg& config_map, KeyToEnv keys, bool optional) {
  Target t = target(state_, task_);
  add_as_env(t, &ir::KubernetesConfig::config_map_as_env, config_map, keys, optional,
             t.at("configMapAsEnv"), "ConfigMap name");
  return *this;
}

Settings& Settings::config_map_as_volume(const StringArg& config_map, std::string mount_path,
                                         bool optional) {
  Target t = target(state_, task_);
  const std::string where = t.at("configMapAsVolume/" + mount_path);
  add_as_volume(t, &ir::KubernetesConfig::config_map_as_volume, config_map, std::move(mount_path),
                optional, where, "ConfigMap name");
  return *this;
}

Settings& Settings::field_path_as_env(std::string env_var, std::string field_path) {
  Target t = target(state_, task_);
  const std::string where = t.at("fieldPathAsEnv/" + env_var);
  t.new_env(env_var, where);
  check_field_path(field_path, where + "/fieldPath");
  t.config().field_path_as_env.push_back({std::move(env_var), std::move(field_path)});
  return *this;
}

Settings& Settings::image_pull_secrets(const std::vector<StringArg>& secrets) {
  Target t = target(state_, task_);
  const std::string where = t.at("imagePullSecret");
  if (secrets.empty())
    fail("kfpp.invalid_value", where, "no secret given", "name at least one secret");
  for (const auto& s : secrets) {
    ir::ImagePullSecret ps;
    ps.secret_name_parameter = t.name(s, where, "Secret name");
    ps.secret_name = s.text();
    t.config().image_pull_secret.push_back(std::move(ps));
  }
  return *this;
}

Settings& Settings::image_pull_policy(std::string policy) {
  Target t = target(state_, task_);
  if (policy != "Always" && policy != "IfNotPresent" && policy != "Never")
    fail("kfpp.invalid_value", t.at("imagePullPolicy"),
         "'" + policy + "' is not an image pull policy",
         "use \"Always\", \"IfNotPresent\" or \"Never\"");
  t.config().image_pull_policy = std::move(policy);
  return *this;
}

// ---- scheduling ---------------------------------------------------------------------------

Settings& Settings::node_selector(std::string key, std::string value) {
  Target t = target(state_, task_);
  const std::string where = t.at("nodeSelector/" + key);
  kfpp::detail::check_label_key(key, where);
  kfpp::detail::check_label_value(value, where);
  auto& sel = t.config().node_selector;
  if (!sel) sel.emplace();
  set_map_entry(sel->labels, key, value, where);
  return *this;
}

Settings& Settings::node_selector_json(const JsonArg& labels) {
  Target t = target(state_, task_);
  const std::string where = t.at("nodeSelector/nodeSelectorJson");
  const Source& s = labels.source();
  if (s.kind == Source::Kind::constant) {
    if (!s.constant.is_object())
      fail("kfpp.invalid_value", where, "the node selector is not a JSON object",
           "give an object of label keys to values");
    for (const auto& [k, v] : s.constant.as_object()) {
      kfpp::detail::check_label_key(k, where + "/" + k);
      if (!v.is_string())
        fail("kfpp.invalid_label", where + "/" + k,
             "the value of label '" + k + "' is not a string", "give label values as strings");
      kfpp::detail::check_label_value(v.as_string(), where + "/" + k);
    }
  }
  auto binding = t.value(s, where, [](const std::string&) {});
  auto& sel = t.config().node_selector;
  if (!sel) sel.emplace();
  sel->json = std::move(binding);
  return *this;
}

Settings& Settings::node_affinity(NodeAffinity term) {
  Target t = target(state_, task_);
  const std::string where = t.at("nodeAffinity/" + std::to_string(t.config().node_affinity.size()));
  if (term.match_expressions.empty() && term.match_fields.empty())
    fail("kfpp.invalid_value", where, "the affinity term matches nothing",
         "give match_expressions or match_fields");
  check_requirements(term.match_expressions, where + "/matchExpressions", false);
  check_requirements(term.match_fields, where + "/matchFields", true);
  if (term.weight && (*term.weight < 1 || *term.weight > 100))
    fail("kfpp.invalid_value", where + "/weight",
         "weight " + std::to_string(*term.weight) + " is outside 1..100",
         "give a weight from 1 to 100, or none for a required term");
  ir::NodeAffinityTerm n;
  n.match_expressions = to_ir(term.match_expressions);
  n.match_fields = to_ir(term.match_fields);
  n.weight = term.weight;
  t.config().node_affinity.push_back(std::move(n));
  return *this;
}

Settings& Settings::node_affinity_json(const JsonArg& affinity) {
  Target t = target(state_, task_);
  const std::string where = t.at("nodeAffinity/nodeAffinityJson");
  const Source& s = affinity.source();
  if (s.kind == Source::Kind::constant) {
    if (!s.constant.is_object() || s.constant.as_object().empty())
      fail("kfpp.invalid_value", where, "the node affinity is not a non-empty JSON object",
           "give a Kubernetes NodeAffinity object");
    for (const auto& [k, v] : s.constant.as_object())
      if (k != "requiredDuringSchedulingIgnoredDuringExecution" &&
          k != "preferredDuringSchedulingIgnoredDuringExecution")
        fail("kfpp.invalid_value", where + "/" + k, "'" + k + "' is not a field of NodeAffinity",
             "use requiredDuringSchedulingIgnoredDuringExecution or "
             "preferredDuringSchedulingIgnoredDuringExecution");
  }
  ir::NodeAffinityTerm n;
  n.json = t.value(s, where, [](const std::string&) {});
  // One JSON term at a time: a new one replaces the old.
  auto& terms = t.config().node_affinity;
  terms.erase(std::remove_if(terms.begin(), terms.end(),
                             [](const ir::NodeAffinityTerm& x) { return x.json.has_value(); }),
              terms.end());
  terms.push_back(std::move(n));
  return *this;
}

Settings& Settings::toleration(Toleration tol) {
  Target t = target(state_, task_);
  const std::string where = t.at("tolerations/" + std::to_string(t.config().tolerations.size()));
  std::optional<long long> seconds;
  if (tol.seconds) seconds = *tol.seconds;
  kfpp::detail::check_toleration(tol.key, tol.op, tol.value, tol.effect, seconds, where);
  ir::Toleration x;
  x.key = std::move(tol.key);
  x.op = std::move(tol.op);
  x.value = std::move(tol.value);
  x.effect = std::move(tol.effect);
  x.toleration_seconds = tol.seconds;
  t.config().tolerations.push_back(std::move(x));
  return *this;
}

Settings& Settings::toleration_json(const JsonArg& tolerations) {
  const Source& s = tolerations.source();
  if (s.kind != Source::Kind::constant) {
    Target t = target(state_, task_);
    ir::Toleration x;
    x.json = t.value(s, t.at("tolerations/tolerationJson"), [](const std::string&) {});
    t.config().tolerations.push_back(std::move(x));
    return *this;
  }
  // A constant is spelled out into tolerations, each checked.
  std::vector<const ir::Value*> items;
  if (s.constant.is_object()) items.push_back(&s.constant);
  if (s.constant.is_array())
    for (const auto& v : s.constant.as_array()) items.push_back(&v);
  Target t = target(state_, task_);
  const std::string where = t.at("tolerations/tolerationJson");
  if (items.empty())
    fail("kfpp.invalid_toleration", where, "the tolerations are not a JSON object or list",
         "give an object, or a list of objects, with key, operator, value, effect");
  for (const ir::Value* item : items) {
    if (!item->is_object())
      fail("kfpp.invalid_toleration", where, "a toleration is not a JSON object",
           "give objects with key, operator, value, effect");
    Toleration tol;
    for (const auto& [k, v] : item->as_object()) {
      if (k == "key")
        tol.key = json_string(v);
      else if (k == "operator")
        tol.op = json_string(v);
      else if (k == "value")
        tol.value = json_string(v);
      else if (k == "effect")
        tol.effect = json_string(v);
      else if ((k == "tolerationSeconds" || k == "toleration_seconds") && v.is_int())
        tol.seconds = v.as_int();
      else
        fail("kfpp.invalid_toleration", where + "/" + k,
             "'" + k + "' is not a toleration field, or has the wrong type",
             "use key, operator, value, effect (strings) and tolerationSeconds (an integer)");
    }
    toleration(std::move(tol));
  }
  return *this;
}

Settings& Settings::timeout(std::int64_t seconds) {
  Target t = target(state_, task_);
  if (seconds <= 0)
    fail("kfpp.invalid_value", t.at("activeDeadlineSeconds"),
         "timeout " + std::to_string(seconds) + " is not positive",
         "give a number of seconds above 0");
  t.config().active_deadline_seconds = seconds;
  return *this;
}

// ---- pod ----------------------------------------------------------------------------------

Settings& Settings::pod_label(std::string key, std::string value) {
  Target t = target(state_, task_);
  const std::string where = t.at("podMetadata/labels/" + key);
  kfpp::detail::check_label_key(key, where);
  kfpp::detail::check_label_value(value, where);
  auto& md = t.config().pod_metadata;
  if (!md) md.emplace();
  set_map_entry(md->labels, key, value, where);
  return *this;
}

Settings& Settings::pod_annotation(std::string key, std::string value) {
  Target t = target(state_, task_);
  const std::string where = t.at("podMetadata/annotations/" + key);
  kfpp::detail::check_label_key(key, where);
  auto& md = t.config().pod_metadata;
  if (!md) md.emplace();
  set_map_entry(md->annotations, key, value, where);
  return *this;
}

Settings& Settings::security_context(SecurityContext context) {
  Target t = target(state_, task_);
  const std::string where = t.at("securityContext");
  if (!context.run_as_user && !context.run_as_group && !context.run_as_non_root)
    fail("kfpp.invalid_value", where, "the security context sets nothing",
         "set run_as_user, run_as_group or run_as_non_root");
  if (context.run_as_user && *context.run_as_user < 0)
    fail("kfpp.invalid_value", where + "/runAsUser", "the user id is negative", "give 0 or more");
  if (context.run_as_group && *context.run_as_group < 0)
    fail("kfpp.invalid_value", where + "/runAsGroup", "the group id is negative", "give 0 or more");
  if (context.run_as_non_root && *context.run_as_non_root && context.run_as_user &&
      *context.run_as_user == 0)
    fail("kfpp.invalid_value", where, "run_as_non_root is set but run_as_user is 0 (root)",
         "run as a user id above 0, or drop run_as_non_root");
  auto& sc = t.config().security_context;
  if (!sc) sc.emplace();
  if (context.run_as_user) sc->run_as_user = context.run_as_user;
  if (context.run_as_group) sc->run_as_group = context.run_as_group;
  if (context.run_as_non_root) sc->run_as_non_root = context.run_as_non_root;
  return *this;
}

Settings& Settings::init_container(InitContainer c) {
  Target t = target(state_, task_);
  const std::string where = t.at("initContainers/" + c.name);
  kfpp::detail::check_dns_label(c.name, where, "container name");
  if (c.name == "kfp-launcher")
    fail("kfpp.invalid_name", where, "'kfp-launcher' is the name of KFP's own init container",
         "choose another name");
  for (const auto& other : t.config().init_containers)
    if (other.name == c.name)
      fail("kfpp.duplicate_name", where, "the task already has an init container '" + c.name + "'",
           "give each init container its own name");
  kfpp::detail::check_token(c.image, where + "/image", "image reference");
  if (c.restart_policy && *c.restart_policy != "Always")
    fail("kfpp.invalid_value", where + "/restartPolicy",
         "'" + *c.restart_policy + "' is not a restart policy of an init container",
         "use \"Always\" (a sidecar), or leave it unset");
  ir::InitContainer ic;
  std::set<std::string> env_names;
  for (auto& [name, value] : c.env) {
    kfpp::detail::check_env_name(name, where + "/env/" + name);
    if (!env_names.insert(name).second)
      fail("kfpp.duplicate_name", where + "/env/" + name, "'" + name + "' is set twice",
           "set each variable once");
    ic.env.push_back({name, value});
  }
  std::set<std::string> paths;
  for (auto& [volume, path] : c.volume_mounts) {
    const std::string w = where + "/volumeMounts/" + volume;
    kfpp::detail::check_dns_label(volume, w, "volume name");
    kfpp::detail::check_mount_path(path, w);
    if (!paths.insert(path).second)
      fail("kfpp.duplicate_mount_path", w, "something is already mounted at '" + path + "'",
           "mount each volume at its own path");
    ic.volume_mounts.push_back({volume, path});
  }
  for (const auto* m : {&c.requests, &c.limits})
    for (const auto& [resource, quantity] : *m) {
      const std::string w = where + "/resources/" + resource;
      if (resource == "cpu")
        (void)kfpp::detail::check_cpu(quantity, w);
      else if (resource == "memory")
        (void)kfpp::detail::check_memory(quantity, w);
      else
        kfpp::detail::check_quantity(quantity, w);
    }
  ic.name = std::move(c.name);
  ic.image = std::move(c.image);
  ic.command = std::move(c.command);
  ic.args = std::move(c.args);
  ic.restart_policy = std::move(c.restart_policy);
  ic.resource_requests = {c.requests.begin(), c.requests.end()};
  ic.resource_limits = {c.limits.begin(), c.limits.end()};
  t.config().init_containers.push_back(std::move(ic));
  return *this;
}

// ---- CreatePVC and DeletePVC --------------------------------------------------------------

namespace detail {

namespace {

// The interface texts of the reference's CreatePVC and DeletePVC components, which every
// pipeline using them carries.
constexpr const char* k_pvc_doc =
    "https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/"
    "persistent-volume-claim-v1/";

ir::ParameterSpec port(const char* name, ir::ParameterType type, bool optional,
                       std::string description) {
  ir::ParameterSpec p;
  p.name = name;
  p.type = type;
  p.is_optional = optional;
  p.description = std::move(description);
  return p;
}

}  // namespace

kfpp::detail::ComponentData create_pvc_component() {
  using T = ir::ParameterType;
  const std::string doc = k_pvc_doc;
  kfpp::detail::ComponentData c;
  c.name = "createpvc";
  auto& in = c.inputs.parameters;
  in.push_back(port("access_modes", T::list, false,
                    "Values for ``PersistentVolumeClaim.spec.accessModes``."));
  in.push_back(port("annotations", T::structure, true,
                    "Annotations for the PVC's metadata. Corresponds to\n"
                    "`PersistentVolumeClaim.metadata.annotations\n<" +
                        doc + "#PersistentVolumeClaim>`_."));
  in.push_back(port("data_source", T::structure, true,
                    "Specifies the data source for the PVC. This can be used to\n"
                    "create a PVC from a VolumeSnapshot or to clone an existing PVC.\n"
                    "Should be a dictionary with ``'apiGroup'``, ``'kind'``, and\n"
                    "``'name'`` keys. For example:\n"
                    "``{'apiGroup': 'snapshot.storage.k8s.io', 'kind': 'VolumeSnapshot', 'name': "
                    "'my-snapshot'}``.\n"
                    "Corresponds to `PersistentVolumeClaim.spec.dataSource\n<" +
                        doc + "#PersistentVolumeClaimSpec>`_."));
  in.push_back(port("pvc_name", T::string, true,
                    "Name of the PVC. Corresponds to\n`PersistentVolumeClaim.metadata.name\n<" +
                        doc +
                        "#PersistentVolumeClaim>`_.\n"
                        "Only one of ``pvc_name`` and ``pvc_name_suffix`` can be provided."));
  in.push_back(port("pvc_name_suffix", T::string, true,
                    "Prefix to use for a dynamically generated name, which\n"
                    "will take the form ``<argo-workflow-name>-<pvc_name_suffix>``. Only\n"
                    "one of ``pvc_name`` and ``pvc_name_suffix`` can be provided."));
  in.push_back(port("size", T::string, false,
                    "The size of storage requested by the PVC that will be\n"
                    "provisioned. For example, ``'5Gi'``. Corresponds to\n"
                    "`PersistentVolumeClaim.spec.resources.requests.storage\n<" +
                        doc + "#PersistentVolumeClaimSpec>`_."));
  auto storage = port("storage_class_name", T::string, true,
                      "Name of StorageClass from which to provision the PV\n"
                      "to back the PVC. ``None`` indicates to use the cluster's default\n"
                      "storage_class_name. Set to ``''`` for a statically specified PVC.");
  storage.default_value = ir::Value(std::string());
  in.push_back(std::move(storage));
  in.push_back(port("volume_name", T::string, true,
                    "Pre-existing PersistentVolume that should back the\n"
                    "provisioned PersistentVolumeClaim. Used for statically\n"
                    "specified PV only. Corresponds to\n`PersistentVolumeClaim.spec.volumeName\n<" +
                        doc + "#PersistentVolumeClaimSpec>`_."));
  c.outputs.parameters.push_back(port("name", T::string, false, {}));
  c.executor.container.emplace().image = "argostub/createpvc";
  return c;
}

kfpp::detail::ComponentData delete_pvc_component() {
  kfpp::detail::ComponentData c;
  c.name = "deletepvc";
  c.inputs.parameters.push_back(
      port("pvc_name", ir::ParameterType::string, false,
           "Name of the PVC to delete. Supports passing a runtime-generated name, such as a name "
           "provided by ``kubernetes.CreatePvcOp().outputs['name']``."));
  c.executor.container.emplace().image = "argostub/deletepvc";
  return c;
}

namespace {

void bind(std::vector<kfpp::detail::Binding>& out, const char* port, const StringArg& arg) {
  if (!arg.is_set()) return;
  out.push_back({port, false, arg.source()});
}

void bind_map(std::vector<kfpp::detail::Binding>& out, const char* port,
              const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  ir::Value::Object o;
  for (const auto& [k, v] : m) o.emplace(k, ir::Value(v));
  kfpp::detail::Binding b{port, false, {}};
  b.source.constant = ir::Value(std::move(o));
  out.push_back(std::move(b));
}

}  // namespace

std::vector<kfpp::detail::Binding> create_pvc_bindings(const PvcOptions& o,
                                                       const std::string& pipeline) {
  const std::string where = pipeline + "/createpvc";
  if (o.name.is_set() == o.name_suffix.is_set())
    fail("kfpp.invalid_value", where, "give exactly one of .name and .name_suffix",
         "name the claim, or give a suffix for a name made from the run's");
  if (o.name.is_set() && o.name.is_constant())
    kfpp::detail::check_dns_subdomain(o.name.text(), where + "/pvc_name", "claim name");
  if (o.name_suffix.is_set() && o.name_suffix.is_constant()) {
    // The claim is `<run name><suffix>`: the suffix must keep it a DNS subdomain.
    const std::string s = o.name_suffix.text();
    bool ok = !s.empty() && s.size() <= 200;
    for (char c : s) ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (ok) ok = (s.back() >= 'a' && s.back() <= 'z') || (s.back() >= '0' && s.back() <= '9');
    if (!ok)
      fail("kfpp.invalid_k8s_name", where + "/pvc_name_suffix",
           "'" + s + "' cannot end a claim name",
           "use lower-case letters, digits, '-' and '.', ending with a letter or digit");
  }
  if (o.access_modes.empty())
    fail("kfpp.invalid_value", where + "/access_modes", "no access mode given",
         "give one, e.g. {\"ReadWriteOnce\"}");
  for (const auto& m : o.access_modes) kfpp::detail::check_access_mode(m, where + "/access_modes");
  if (!o.size.is_set())
    fail("kfpp.invalid_value", where + "/size", "no size given", "give a size such as \"5Gi\"");
  if (o.size.is_constant()) kfpp::detail::check_quantity(o.size.text(), where + "/size");
  if (o.storage_class.is_set() && o.storage_class.is_constant() && !o.storage_class.text().empty())
    kfpp::detail::check_dns_subdomain(o.storage_class.text(), where + "/storage_class_name",
                                      "storage class name");
  for (const auto& [k, v] : o.annotations)
    kfpp::detail::check_label_key(k, where + "/annotations/" + k);
  for (const auto& [k, v] : o.data_source)
    if (k != "apiGroup" && k != "kind" && k != "name")
      fail("kfpp.invalid_value", where + "/data_source/" + k,
           "'" + k + "' is not a field of a data source", "use apiGroup, kind and name");
  if (!o.data_source.empty() && (!o.data_source.count("kind") || !o.data_source.count("name")))
    fail("kfpp.invalid_value", where + "/data_source", "a data source needs a kind and a name",
         "give kind (e.g. VolumeSnapshot) and name");
  std::vector<kfpp::detail::Binding> out;
  ir::Value::Array modes;
  for (const auto& m : o.access_modes) modes.emplace_back(m);
  kfpp::detail::Binding b{"access_modes", false, {}};
  b.source.constant = ir::Value(std::move(modes));
  out.push_back(std::move(b));
  bind_map(out, "annotations", o.annotations);
  bind_map(out, "data_source", o.data_source);
  bind(out, "pvc_name", o.name);
  bind(out, "pvc_name_suffix", o.name_suffix);
  bind(out, "size", o.size);
  bind(out, "storage_class_name", o.storage_class);
  bind(out, "volume_name", o.volume_name);
  return out;
}

std::vector<kfpp::detail::Binding> delete_pvc_bindings(const StringArg& pvc,
                                                       const std::string& pipeline) {
  const std::string where = pipeline + "/deletepvc/pvc_name";
  if (!pvc.is_set())
    fail("kfpp.invalid_value", where, "no claim named", "name the claim to delete");
  if (pvc.is_constant()) kfpp::detail::check_dns_subdomain(pvc.text(), where, "claim name");
  std::vector<kfpp::detail::Binding> out;
  bind(out, "pvc_name", pvc);
  return out;
}

}  // namespace detail

}  // namespace kfpp::k8s
