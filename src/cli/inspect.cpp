// SPDX-License-Identifier: Apache-2.0
#include "cli/inspect.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "kfpp/ir/kubernetes.hpp"

namespace kfpp::cli {

namespace {

std::string binding_text(const ir::ParameterBinding& b) {
  switch (b.kind) {
    case ir::ParameterBinding::Kind::constant:
      return b.constant.is_string() ? b.constant.as_string() : ir::python_json_text(b.constant);
    case ir::ParameterBinding::Kind::component_input:
      return "<input " + b.source + ">";
    case ir::ParameterBinding::Kind::task_output:
    case ir::ParameterBinding::Kind::task_final_status:
      return "<output " + b.source + " of " + b.producer_task + ">";
  }
  return {};
}

std::string name_or_parameter(const std::string& name,
                              const std::optional<ir::ParameterBinding>& p) {
  if (p) return binding_text(*p);
  return name;
}

std::string number(double d) {
  std::string s = ir::python_float_text(d);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

class Inspector {
 public:
  explicit Inspector(const ir::Pipeline& p) : p_(p) {}

  std::string run() {
    line("pipeline   " + p_.name + (p_.display_name.empty() ? "" : "  (" + p_.display_name + ")"));
    if (!p_.description.empty()) line("about      " + p_.description);
    line("format     schema " + p_.schema_version +
         (p_.sdk_version.empty() ? "" : ", written by " + p_.sdk_version));
    interface("inputs", p_.root.inputs);
    interface("outputs", p_.root.outputs);
    if (p_.root.dag) walk(*p_.root.dag, "");
    line("tasks      " + std::to_string(leaves_) + " tasks in " + std::to_string(groups_) +
         " groups, " + std::to_string(p_.components.size()) + " components, " +
         std::to_string(p_.executors.size()) + " executors");
    if (!images_.empty()) {
      line("images");
      for (const auto& i : images_) line("  " + i);
    }
    if (!gpus_.empty()) {
      line("accelerators");
      for (const auto& g : gpus_) line("  " + g);
    }
    if (!secrets_.empty()) {
      line("secrets and config maps (names only)");
      for (const auto& s : secrets_) line("  " + s);
    }
    if (!volumes_.empty()) {
      line("volumes");
      for (const auto& v : volumes_) line("  " + v);
    }
    out_ += body_;
    return std::move(out_);
  }

 private:
  void line(const std::string& s) { out_ += s + "\n"; }

  void interface(const char* title, const ir::Interface& itf) {
    if (itf.empty()) return;
    line(std::string(title));
    for (const auto& prm : itf.parameters) {
      std::string s = "  " + prm.name + ": " + ir::to_string(prm.type);
      if (prm.default_value)
        s += " = " + (prm.default_value->is_string() ? "'" + prm.default_value->as_string() + "'"
                                                     : ir::python_json_text(*prm.default_value));
      line(s);
    }
    for (const auto& a : itf.artifacts)
      line("  " + a.name + ": " + a.type.schema_title + (a.is_list ? " (list)" : ""));
  }

  void walk(const ir::Dag& dag, const std::string& path) {
    std::vector<const ir::Task*> tasks;
    for (const auto& t : dag.tasks) tasks.push_back(&t);
    std::sort(tasks.begin(), tasks.end(),
              [](const ir::Task* a, const ir::Task* b) { return a->name < b->name; });
    for (const ir::Task* t : tasks) {
      const std::string tpath = path.empty() ? t->name : path + "/" + t->name;
      const ir::Component* c = p_.find_component(t->component_ref);
      if (c && c->dag) {
        ++groups_;
        walk(*c->dag, tpath);
      } else {
        ++leaves_;
        task(*t, c, tpath);
      }
    }
  }

  void task(const ir::Task& t, const ir::Component* c, const std::string& path) {
    body_ += "task " + path + "\n";
    const ir::Executor* e = c ? p_.find_executor(c->executor_label) : nullptr;
    auto item = [&](const std::string& k, const std::string& v) { body_ += "  " + k + v + "\n"; };
    if (!e) {
      item("component  ", t.component_ref + " (no executor)");
      return;
    }
    if (e->importer) {
      item("importer   ", e->importer->uri_parameter.empty()
                              ? e->importer->uri_constant
                              : "<input " + e->importer->uri_parameter + ">");
      return;
    }
    if (!e->container) return;
    const ir::ContainerSpec& cs = *e->container;
    item("image      ",
         cs.image + (cs.python ? "  (python: " + cs.python->function_name + ")" : ""));
    images_.insert(cs.image);
    const ir::Resources& r = cs.resources;
    std::string res;
    auto q = [&](const char* label, const std::optional<double>& old, const std::string& text,
                 const char* unit) {
      std::string v = !text.empty() ? text : old ? number(*old) + unit : "";
      if (!v.empty()) res += std::string(res.empty() ? "" : ", ") + label + " " + v;
    };
    q("cpu request", r.cpu_request, r.resource_cpu_request, "");
    q("cpu limit", r.cpu_limit, r.resource_cpu_limit, "");
    q("memory request", r.memory_request, r.resource_memory_request, "G");
    q("memory limit", r.memory_limit, r.resource_memory_limit, "G");
    if (!res.empty()) item("resources  ", res);
    if (r.accelerator) {
      std::string type = !r.accelerator->resource_type.empty() ? r.accelerator->resource_type
                                                               : r.accelerator->type;
      std::string count = !r.accelerator->resource_count.empty()
                              ? r.accelerator->resource_count
                              : std::to_string(r.accelerator->count.value_or(1));
      item("accelerator", " " + count + " x " + type);
      gpus_.insert(type + " (" + path + ": " + count + ")");
    }
    if (!cs.env.empty()) {
      std::string names;
      for (const auto& v : cs.env) names += (names.empty() ? "" : ", ") + v.name;
      item("env        ", names);
    }
    if (!t.enable_cache.value_or(true)) item("caching    ", "off");
    if (t.retry_policy) item("retries    ", std::to_string(t.retry_policy->max_retry_count));
    if (!t.trigger_condition.empty()) item("runs if    ", t.trigger_condition);
    if (e->kubernetes) kubernetes(*e->kubernetes, path, item);
  }

  template <class Item>
  void kubernetes(const ir::KubernetesConfig& k, const std::string& path, Item& item) {
    // Secrets and config maps, as volumes and as env, the same way.
    auto as_volume = [&](const ir::ObjectAsVolume& v, const std::string& kind, const char* label) {
      std::string n = name_or_parameter(v.name, v.name_parameter);
      item(label, n + " mounted at " + v.mount_path);
      secrets_.insert(kind + " " + n);
      volumes_.insert(kind + " " + n + " at " + v.mount_path + " (" + path + ")");
    };
    auto as_env = [&](const ir::ObjectAsEnv& v, const std::string& kind, const char* label) {
      std::string n = name_or_parameter(v.name, v.name_parameter);
      std::string keys;
      for (const auto& kv : v.key_to_env)
        keys += (keys.empty() ? "" : ", ") + kv.key + " -> " + kv.env_var;
      item(label, n + (keys.empty() ? "" : ": " + keys));
      secrets_.insert(kind + " " + n);
    };
    for (const auto& v : k.secret_as_volume) as_volume(v, "secret", "secret     ");
    for (const auto& v : k.secret_as_env) as_env(v, "secret", "secret env ");
    for (const auto& v : k.config_map_as_volume) as_volume(v, "config map", "config map ");
    for (const auto& v : k.config_map_as_env) as_env(v, "config map", "config env ");
    for (const auto& m : k.pvc_mount) {
      std::string n = m.pvc_name_parameter ? binding_text(*m.pvc_name_parameter)
                      : m.reference        ? binding_text(*m.reference)
                                           : std::string("?");
      item("pvc        ", n + " at " + m.mount_path);
      volumes_.insert("pvc " + n + " at " + m.mount_path + " (" + path + ")");
    }
    for (const auto& v : k.empty_dir_mounts) {
      item("empty dir  ", v.volume_name + " at " + v.mount_path);
      volumes_.insert("empty dir " + v.volume_name + " at " + v.mount_path + " (" + path + ")");
    }
    for (const auto& v : k.generic_ephemeral_volume) {
      item("ephemeral  ", v.volume_name + " (" + v.size + ") at " + v.mount_path);
      volumes_.insert("ephemeral " + v.volume_name + " at " + v.mount_path + " (" + path + ")");
    }
    if (k.node_selector) {
      std::string s;
      for (const auto& [a, b] : k.node_selector->labels) s += (s.empty() ? "" : ", ") + a + "=" + b;
      if (k.node_selector->json)
        s += (s.empty() ? "" : ", ") + binding_text(*k.node_selector->json);
      item("nodes      ", s);
    }
    if (!k.tolerations.empty())
      item("tolerates  ", std::to_string(k.tolerations.size()) + " taints");
    if (!k.node_affinity.empty() || !k.pod_affinity.empty())
      item("affinity   ",
           std::to_string(k.node_affinity.size() + k.pod_affinity.size()) + " terms");
    for (const auto& s : k.image_pull_secret)
      item("pull secret", " " + name_or_parameter(s.secret_name, s.secret_name_parameter));
    if (k.active_deadline_seconds > 0)
      item("timeout    ", std::to_string(k.active_deadline_seconds) + "s");
  }

  const ir::Pipeline& p_;
  std::string out_;
  std::string body_;
  std::size_t leaves_ = 0;
  std::size_t groups_ = 0;
  std::set<std::string> images_;
  std::set<std::string> gpus_;
  std::set<std::string> secrets_;
  std::set<std::string> volumes_;
};

}  // namespace

std::string inspect_text(const ir::Pipeline& pipeline) { return Inspector(pipeline).run(); }

}  // namespace kfpp::cli
