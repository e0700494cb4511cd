// SPDX-License-Identifier: Apache-2.0
#include "cli/argo_check.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

namespace kfpp::cli {

namespace {

using detail::YamlNode;

const std::set<std::string> kTopKeys{"apiVersion", "kind", "metadata", "spec", "status"};

const std::set<std::string> kSpecKeys{"activeDeadlineSeconds",
                                      "affinity",
                                      "archiveLogs",
                                      "arguments",
                                      "artifactGC",
                                      "artifactRepositoryRef",
                                      "automountServiceAccountToken",
                                      "dnsConfig",
                                      "dnsPolicy",
                                      "entrypoint",
                                      "executor",
                                      "hooks",
                                      "hostAliases",
                                      "hostNetwork",
                                      "imagePullSecrets",
                                      "metrics",
                                      "nodeSelector",
                                      "onExit",
                                      "parallelism",
                                      "podDisruptionBudget",
                                      "podGC",
                                      "podMetadata",
                                      "podPriority",
                                      "podPriorityClassName",
                                      "podSpecPatch",
                                      "priority",
                                      "retryStrategy",
                                      "schedulerName",
                                      "securityContext",
                                      "serviceAccountName",
                                      "shutdown",
                                      "suspend",
                                      "synchronization",
                                      "templateDefaults",
                                      "templates",
                                      "tolerations",
                                      "ttlStrategy",
                                      "volumeClaimGC",
                                      "volumeClaimTemplates",
                                      "volumes",
                                      "workflowMetadata",
                                      "workflowTemplateRef"};

const std::set<std::string> kCronKeys{"concurrencyPolicy",
                                      "failedJobsHistoryLimit",
                                      "schedule",
                                      "schedules",
                                      "startingDeadlineSeconds",
                                      "stopStrategy",
                                      "successfulJobsHistoryLimit",
                                      "suspend",
                                      "timezone",
                                      "when",
                                      "workflowMetadata",
                                      "workflowSpec"};

const std::set<std::string> kTemplateKeys{"activeDeadlineSeconds",
                                          "affinity",
                                          "archiveLocation",
                                          "automountServiceAccountToken",
                                          "container",
                                          "containerSet",
                                          "daemon",
                                          "dag",
                                          "data",
                                          "executor",
                                          "failFast",
                                          "hostAliases",
                                          "http",
                                          "initContainers",
                                          "inputs",
                                          "memoize",
                                          "metadata",
                                          "metrics",
                                          "name",
                                          "nodeSelector",
                                          "outputs",
                                          "parallelism",
                                          "plugin",
                                          "podSpecPatch",
                                          "priority",
                                          "priorityClassName",
                                          "resource",
                                          "retryStrategy",
                                          "schedulerName",
                                          "script",
                                          "securityContext",
                                          "serviceAccountName",
                                          "sidecars",
                                          "steps",
                                          "suspend",
                                          "synchronization",
                                          "timeout",
                                          "tolerations",
                                          "volumes"};

const std::vector<std::string> kTemplateTypes{"container", "containerSet", "dag",      "data",
                                              "http",      "plugin",       "resource", "script",
                                              "steps",     "suspend"};

const std::set<std::string> kTaskKeys{
    "arguments", "continueOn", "dependencies", "depends", "hooks",     "inline",    "name",
    "onExit",    "template",   "templateRef",  "when",    "withItems", "withParam", "withSequence"};

// The value of `key` in map `n`, or an undefined node (never yaml-cpp's invalid node, which throws
// when asked anything).
YamlNode at(const YamlNode& n, const char* key) { return n[key]; }

// Argo's rule for template, task and step names.
bool field_name(const std::string& s) {
  static const std::regex re("^[a-zA-Z0-9][-a-zA-Z0-9]*$");
  return s.size() <= 128 && std::regex_match(s, re);
}

bool dns_subdomain(const std::string& s) {
  static const std::regex re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  return s.size() <= 253 && std::regex_match(s, re);
}

class Checker {
 public:
  Checker(std::string file) : file_(std::move(file)) {}

  std::vector<Diagnostic> run(const YamlNode& doc) {
    if (!doc.is_map()) {
      add(doc, "", "kfpp.argo_invalid", "an Argo resource is a map", "give a Workflow");
      return std::move(out_);
    }
    keys(doc, "", kTopKeys);
    const std::string api = scalar(at(doc, "apiVersion"));
    if (api != "argoproj.io/v1alpha1")
      add(at(doc, "apiVersion"), "apiVersion", "kfpp.argo_invalid",
          "apiVersion is '" + api + "', not argoproj.io/v1alpha1", "use argoproj.io/v1alpha1");
    kind_ = scalar(at(doc, "kind"));
    if (kind_ != "Workflow" && kind_ != "WorkflowTemplate" && kind_ != "ClusterWorkflowTemplate" &&
        kind_ != "CronWorkflow")
      add(at(doc, "kind"), "kind", "kfpp.argo_invalid", "unknown kind '" + kind_ + "'",
          "use Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow");
    metadata(at(doc, "metadata"));
    const YamlNode spec = at(doc, "spec");
    if (!spec.is_map()) {
      add(doc, "spec", "kfpp.argo_invalid", "the resource has no spec", "add a spec");
      return std::move(out_);
    }
    if (kind_ == "CronWorkflow") {
      keys(spec, "spec", kCronKeys);
      bool has_schedule = at(spec, "schedule").is_scalar() ||
                          (at(spec, "schedules").is_list() && at(spec, "schedules").size() > 0);
      if (!has_schedule)
        add(spec, "spec", "kfpp.argo_invalid", "the cron workflow has no schedule",
            "add spec.schedules");
      if (!at(spec, "workflowSpec").is_map()) {
        add(spec, "spec.workflowSpec", "kfpp.argo_invalid", "the cron workflow has no workflowSpec",
            "add spec.workflowSpec");
        return std::move(out_);
      }
      workflow_spec(at(spec, "workflowSpec"), "spec.workflowSpec");
    } else {
      workflow_spec(spec, "spec");
    }
    return std::move(out_);
  }

 private:
  void add(const YamlNode& at, const std::string& path, std::string code, std::string message,
           std::string fix) {
    std::string where = file_;
    if (at.defined() && at.mark().line != 0)
      where += ":" + std::to_string(at.mark().line) + ":" + std::to_string(at.mark().column);
    out_.push_back({std::move(code), where + " " + path, std::move(message), std::move(fix)});
  }

  static std::string scalar(const YamlNode& n) { return n.is_scalar() ? n.text() : ""; }

  void keys(const YamlNode& n, const std::string& path, const std::set<std::string>& known) {
    if (!n.is_map()) return;
    for (const auto& kv : n.entries())
      if (!known.count(kv.key.text()))
        add(kv.key, path.empty() ? kv.key.text() : path + "." + kv.key.text(), "kfpp.unknown_key",
            "unknown key", "remove it, or check its spelling and place");
  }

  void metadata(const YamlNode& md) {
    if (!md.is_map()) {
      add(md, "metadata", "kfpp.argo_invalid", "the resource has no metadata", "add metadata");
      return;
    }
    const std::string name = scalar(at(md, "name"));
    const std::string generate = scalar(at(md, "generateName"));
    if (name.empty() && generate.empty())
      add(md, "metadata", "kfpp.argo_invalid", "neither name nor generateName is set",
          kind_ == "Workflow" ? "set metadata.generateName or metadata.name" : "set metadata.name");
    if (!name.empty()) {
      std::size_t max = kind_ == "CronWorkflow" ? 52 : 63;
      if (!dns_subdomain(name) || name.size() > max)
        add(at(md, "name"), "metadata.name", "kfpp.argo_name",
            "'" + name + "' is not a DNS-1123 name of at most " + std::to_string(max) +
                " characters",
            "use lower-case letters, digits, '-' and '.', starting and ending with a letter "
            "or digit");
    }
    if (!generate.empty()) {
      std::string stem =
          generate.back() == '-' ? generate.substr(0, generate.size() - 1) : generate;
      if (!dns_subdomain(stem) || generate.size() > 58)
        add(at(md, "generateName"), "metadata.generateName", "kfpp.argo_name",
            "'" + generate + "' is not a DNS-1123 prefix of at most 58 characters",
            "shorten it and use lower-case letters, digits and '-'");
    }
  }

  void workflow_spec(const YamlNode& spec, const std::string& path) {
    keys(spec, path, kSpecKeys);
    for (const auto& p : at(at(spec, "arguments"), "parameters").items())
      if (p.is_map()) workflow_params_.insert(scalar(at(p, "name")));
    const YamlNode templates = at(spec, "templates");
    if (!templates.is_list() || templates.size() == 0) {
      if (!at(spec, "workflowTemplateRef").defined())
        add(spec, path + ".templates", "kfpp.argo_invalid", "the workflow has no templates",
            "add templates");
      return;
    }
    std::size_t i = 0;
    for (const auto& t : templates.items()) {
      const std::string name = scalar(at(t, "name"));
      const std::string tpath = path + ".templates[" + std::to_string(i++) + "]";
      if (name.empty())
        add(t, tpath, "kfpp.argo_invalid", "a template has no name", "name it");
      else if (!templates_.emplace(name, t).second)
        add(at(t, "name"), tpath + ".name", "kfpp.duplicate_name",
            "template '" + name + "' is defined twice", "rename one");
    }
    const std::string entry = scalar(at(spec, "entrypoint"));
    if (entry.empty() && kind_ == "Workflow" && !at(spec, "workflowTemplateRef").defined())
      add(spec, path + ".entrypoint", "kfpp.argo_invalid", "the workflow has no entrypoint",
          "set spec.entrypoint to a template name");
    else if (!entry.empty() && !templates_.count(entry))
      add(at(spec, "entrypoint"), path + ".entrypoint", "kfpp.argo_unknown_template",
          "the entrypoint '" + entry + "' is not a template", "name one of spec.templates");
    if (at(spec, "onExit").is_scalar() && !templates_.count(scalar(at(spec, "onExit"))))
      add(at(spec, "onExit"), path + ".onExit", "kfpp.argo_unknown_template",
          "onExit names no template", "name one of spec.templates");
    i = 0;
    for (const auto& t : templates.items())
      template_(t, path + ".templates[" + std::to_string(i++) + "]");
  }

  void template_(const YamlNode& t, const std::string& path) {
    if (!t.is_map()) return;
    keys(t, path, kTemplateKeys);
    std::vector<std::string> types;
    for (const auto& k : kTemplateTypes)
      if (t[k].defined()) types.push_back(k);
    const std::string name = scalar(at(t, "name"));
    if (types.size() != 1)
      add(t, path, "kfpp.argo_invalid",
          "template '" + name + "' has " + std::to_string(types.size()) +
              " template types; it needs exactly one",
          "keep one of container, script, dag, steps, resource, suspend, …");
    std::set<std::string> inputs;
    for (const auto& p : at(at(t, "inputs"), "parameters").items())
      inputs.insert("parameters." + scalar(at(p, "name")));
    for (const auto& a : at(at(t, "inputs"), "artifacts").items())
      inputs.insert("artifacts." + scalar(at(a, "name")));
    std::set<std::string> tasks;
    if (at(t, "dag").is_map()) tasks = dag(at(t, "dag"), path + ".dag");
    references(t, path, inputs, tasks, at(t, "dag").is_map());
  }

  std::set<std::string> dag(const YamlNode& d, const std::string& path) {
    std::set<std::string> names;
    const YamlNode tasks = at(d, "tasks");
    if (!tasks.is_list() || tasks.size() == 0) {
      add(d, path + ".tasks", "kfpp.argo_invalid", "the DAG has no tasks", "add tasks");
      return names;
    }
    std::size_t i = 0;
    for (const auto& task : tasks.items()) {
      const std::string n = scalar(at(task, "name"));
      const std::string tp = path + ".tasks[" + std::to_string(i++) + "]";
      if (!field_name(n) && !n.empty())
        add(at(task, "name"), tp + ".name", "kfpp.argo_name", "task name '" + n + "' is not valid",
            "use letters, digits and '-', starting with a letter or digit");
      if (n.empty())
        add(task, tp, "kfpp.argo_invalid", "a DAG task has no name", "name it");
      else if (!names.insert(n).second)
        add(at(task, "name"), tp + ".name", "kfpp.duplicate_name", "task '" + n + "' appears twice",
            "rename one");
    }
    std::map<std::string, std::set<std::string>> edges;
    i = 0;
    for (const auto& task : tasks.items()) {
      const std::string tp = path + ".tasks[" + std::to_string(i++) + "]";
      keys(task, tp, kTaskKeys);
      const std::string n = scalar(at(task, "name"));
      const std::string tmpl = scalar(at(task, "template"));
      if (!tmpl.empty() && !templates_.count(tmpl))
        add(at(task, "template"), tp + ".template", "kfpp.argo_unknown_template",
            "task '" + n + "' runs template '" + tmpl + "', which is not defined",
            "name one of spec.templates");
      if (tmpl.empty() && !at(task, "templateRef").defined() && !at(task, "inline").defined())
        add(task, tp, "kfpp.argo_invalid", "task '" + n + "' names no template", "set template");
      for (const auto& dep : at(task, "dependencies").items()) {
        const std::string up = scalar(dep);
        edges[n].insert(up);
        if (!names.count(up))
          add(dep, tp + ".dependencies", "kfpp.argo_unknown_task",
              "task '" + n + "' depends on '" + up + "', which is not in the DAG",
              "name a task of the same DAG");
      }
      const std::string depends = scalar(at(task, "depends"));
      for (const auto& up : depends_tasks(depends)) {
        edges[n].insert(up);
        if (!names.count(up))
          add(at(task, "depends"), tp + ".depends", "kfpp.argo_unknown_task",
              "depends names task '" + up + "', which is not in the DAG",
              "name a task of the same DAG");
      }
    }
    cycles(d, path, edges);
    return names;
  }

  // The task names a `depends` expression mentions: identifiers before an optional
  // `.Succeeded`-style result, between the operators `&&`, `||`, `!` and parentheses.
  static std::vector<std::string> depends_tasks(const std::string& expr) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
      if (cur.empty()) return;
      std::string name = cur.substr(0, cur.find('.'));
      if (!name.empty()) out.push_back(name);
      cur.clear();
    };
    for (char c : expr) {
      if (c == '&' || c == '|' || c == '!' || c == '(' || c == ')' || c == ' ')
        flush();
      else
        cur += c;
    }
    flush();
    return out;
  }

  void cycles(const YamlNode& d, const std::string& path,
              const std::map<std::string, std::set<std::string>>& edges) {
    std::map<std::string, int> state;  // 1: on the stack, 2: done
    std::vector<std::string> stack;
    std::function<bool(const std::string&)> visit = [&](const std::string& n) {
      state[n] = 1;
      stack.push_back(n);
      auto it = edges.find(n);
      if (it != edges.end())
        for (const auto& m : it->second) {
          if (state[m] == 1) {
            std::string text;
            auto from = std::find(stack.begin(), stack.end(), m);
            for (auto s = from; s != stack.end(); ++s) text += *s + " -> ";
            add(d, path + ".tasks", "kfpp.cycle", "tasks wait for each other: " + text + m,
                "remove one of the dependencies");
            return true;
          }
          if (state[m] == 0 && visit(m)) return true;
        }
      stack.pop_back();
      state[n] = 2;
      return false;
    };
    for (const auto& [n, _] : edges)
      if (state[n] == 0 && visit(n)) return;
  }

  // Every `{{…}}` reference in the template's text resolves.
  void references(const YamlNode& n, const std::string& path, const std::set<std::string>& inputs,
                  const std::set<std::string>& tasks, bool is_dag) {
    if (n.is_scalar()) {
      const std::string& s = n.text();
      std::size_t pos = 0;
      while ((pos = s.find("{{", pos)) != std::string::npos) {
        std::size_t end = s.find("}}", pos);
        if (end == std::string::npos) break;
        std::string ref = s.substr(pos + 2, end - pos - 2);
        pos = end + 2;
        ref.erase(0, ref.find_first_not_of(' '));
        ref.erase(ref.find_last_not_of(' ') + 1);
        if (ref.rfind("inputs.", 0) == 0) {
          std::size_t dot = ref.find('.', 7);
          std::size_t dot2 = dot == std::string::npos ? dot : ref.find('.', dot + 1);
          std::string key = ref.substr(7, dot2 == std::string::npos ? std::string::npos : dot2 - 7);
          if ((key.rfind("parameters.", 0) == 0 || key.rfind("artifacts.", 0) == 0) &&
              !inputs.count(key))
            add(n, path, "kfpp.argo_unknown_input",
                "{{" + ref + "}} reads an input the template does not declare",
                "declare it under inputs or fix the name");
        } else if (ref.rfind("tasks.", 0) == 0 && is_dag) {
          std::string task = ref.substr(6, ref.find('.', 6) - 6);
          if (!tasks.count(task))
            add(n, path, "kfpp.argo_unknown_task",
                "{{" + ref + "}} reads task '" + task + "', which is not in the DAG",
                "name a task of the same DAG");
        } else if (ref.rfind("workflow.parameters.", 0) == 0) {
          std::string p = ref.substr(20);
          if (!workflow_params_.count(p))
            add(n, path, "kfpp.argo_unknown_input",
                "{{" + ref + "}} reads a workflow parameter that is not declared",
                "declare it under spec.arguments.parameters");
        }
      }
    } else if (n.is_map()) {
      for (const auto& kv : n.entries()) {
        // An exit hook's expression may read the status of any task; a nested template is
        // checked on its own.
        references(kv.value, path + "." + kv.key.text(), inputs, tasks, is_dag);
      }
    } else if (n.is_list()) {
      std::size_t i = 0;
      for (const auto& item : n.items())
        references(item, path + "[" + std::to_string(i++) + "]", inputs, tasks, is_dag);
    }
  }

  std::string file_;
  std::string kind_;
  std::vector<Diagnostic> out_;
  std::map<std::string, YamlNode> templates_;
  std::set<std::string> workflow_params_;
};

}  // namespace

bool is_argo_document(const YamlNode& doc) {
  const YamlNode api = at(doc, "apiVersion");
  return api.is_scalar() && api.text().rfind("argoproj.io/", 0) == 0;
}

std::string argo_kind(const YamlNode& doc) {
  const YamlNode kind = at(doc, "kind");
  return kind.is_scalar() ? kind.text() : "resource";
}

std::vector<Diagnostic> check_argo(const YamlNode& doc, const std::string& file) {
  return Checker(file).run(doc);
}

}  // namespace kfpp::cli
