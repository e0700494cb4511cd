// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <utility>

#include "ir/yaml_input.hpp"
#include "kfpp/ir/kubernetes.hpp"

namespace kfpp::ir {

namespace {

using detail::for_each_entry;
using detail::for_each_item;
using detail::MapInput;
using detail::YamlInput;
using detail::YamlNode;

// The ranges of the proto types of numeric fields.
constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// Reads one PipelineSpec (and its PlatformSpec) into the IR. Each `read_…` reads one proto message;
// every key it does not ask for is reported by `MapInput::finish`.
class SpecReader {
 public:
  explicit SpecReader(YamlInput& in) : in_(in) {}

  void pipeline_spec(const YamlNode& doc, Pipeline& p) {
    MapInput m(in_, doc, "", "a KFP PipelineSpec");
    if (!m.ok()) return;
    for_each_entry(in_, m.get("components"), m.path("components"), "components",
                   [&](const std::string& name, const YamlNode& n, const std::string& path) {
                     Component c;
                     c.name = name;
                     component(n, path, c);
                     p.components.push_back(std::move(c));
                   });
    p.default_pipeline_root = m.string("defaultPipelineRoot");
    if (m.has("deploymentSpec")) {
      MapInput d(in_, m.get("deploymentSpec"), m.path("deploymentSpec"), "deploymentSpec");
      for_each_entry(in_, d.get("executors"), d.path("executors"), "executors",
                     [&](const std::string& label, const YamlNode& n, const std::string& path) {
                       Executor e;
                       e.label = label;
                       executor(n, path, e);
                       p.executors.push_back(std::move(e));
                     });
      d.finish();
    }
    {
      MapInput info(in_, m.get("pipelineInfo"), m.path("pipelineInfo"), "pipelineInfo");
      p.name = info.string("name");
      p.display_name = info.string("displayName");
      p.description = info.string("description");
      info.finish();
    }
    if (!m.has("root"))
      in_.error(doc, "root", "kfpp.missing_key", "the pipeline has no root",
                "add `root` with the pipeline's DAG");
    component(m.get("root"), m.path("root"), p.root);
    p.root.name = "root";
    p.schema_version = m.string("schemaVersion");
    p.sdk_version = m.string("sdkVersion");
    if (p.name.empty())
      in_.error(doc, "pipelineInfo.name", "kfpp.missing_key", "the pipeline has no name",
                "set pipelineInfo.name");
    m.finish();
  }

  void platform_spec(const YamlNode& doc, Pipeline& p) {
    MapInput m(in_, doc, "", "a KFP PlatformSpec");
    if (!m.ok()) return;
    for_each_entry(in_, m.get("platforms"), m.path("platforms"), "platforms",
                   [&](const std::string& name, const YamlNode& n, const std::string& path) {
                     if (name != "kubernetes") {
                       in_.error(n, path, "kfpp.unsupported_platform",
                                 "kfpp reads only the kubernetes platform",
                                 "remove the `" + name + "` platform spec");
                       return;
                     }
                     kubernetes_platform(n, path, p);
                   });
    m.finish();
  }

 private:
  // --- components ---------------------------------------------------------------------------

  void component(const YamlNode& n, const std::string& path, Component& c) {
    MapInput m(in_, n, path, "a component");
    if (!m.ok()) return;
    if (m.has("dag")) c.dag = dag(m.get("dag"), m.path("dag"));
    c.executor_label = m.string("executorLabel");
    interface(m.get("inputDefinitions"), m.path("inputDefinitions"), c.inputs);
    interface(m.get("outputDefinitions"), m.path("outputDefinitions"), c.outputs);
    if (c.dag && !c.executor_label.empty())
      in_.error(n, path, "kfpp.bad_component", "a component has either a dag or an executorLabel",
                "keep one of them");
    if (!c.dag && c.executor_label.empty())
      in_.error(n, path, "kfpp.bad_component", "a component needs a dag or an executorLabel",
                "add `executorLabel: exec-…` or a `dag`");
    m.finish();
  }

  void interface(const YamlNode& n, const std::string& path, Interface& itf) {
    if (!n.defined()) return;
    MapInput m(in_, n, path, "inputs or outputs");
    for_each_entry(in_, m.get("parameters"), m.path("parameters"), "parameters",
                   [&](const std::string& name, const YamlNode& v, const std::string& p) {
                     itf.parameters.push_back(parameter_spec(name, v, p));
                   });
    for_each_entry(in_, m.get("artifacts"), m.path("artifacts"), "artifacts",
                   [&](const std::string& name, const YamlNode& v, const std::string& p) {
                     itf.artifacts.push_back(artifact_spec(name, v, p));
                   });
    m.finish();
  }

  ParameterSpec parameter_spec(const std::string& name, const YamlNode& n,
                               const std::string& path) {
    ParameterSpec s;
    s.name = name;
    MapInput m(in_, n, path, "a parameter");
    if (!m.ok()) return s;
    std::string type = m.string("parameterType");
    if (auto t = parameter_type_from_string(type); t && type != "PARAMETER_TYPE_ENUM_UNSPECIFIED") {
      s.type = *t;
    } else {
      in_.error(m.get("parameterType"), m.path("parameterType"), "kfpp.bad_parameter_type",
                type.empty() ? "the parameter has no parameterType"
                             : "`" + type + "` is not a parameter type",
                "use STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT or "
                "TASK_FINAL_STATUS");
    }
    if (m.has("defaultValue"))
      s.default_value = in_.value(m.get("defaultValue"), m.path("defaultValue"));
    s.is_optional = m.boolean("isOptional").value_or(false);
    s.description = m.string("description");
    m.finish();
    return s;
  }

  ArtifactType artifact_type(const YamlNode& n, const std::string& path) {
    ArtifactType t;
    MapInput m(in_, n, path, "an artifact type");
    t.schema_title = m.string("schemaTitle");
    t.schema_version = m.string("schemaVersion");
    if (m.ok() && t.schema_title.empty())
      in_.error(n, path, "kfpp.missing_key", "the artifact type has no schemaTitle",
                "set schemaTitle, e.g. system.Dataset");
    m.finish();
    return t;
  }

  ArtifactSpec artifact_spec(const std::string& name, const YamlNode& n, const std::string& path) {
    ArtifactSpec s;
    s.name = name;
    MapInput m(in_, n, path, "an artifact");
    if (!m.ok()) return s;
    s.type = artifact_type(m.get("artifactType"), m.path("artifactType"));
    s.is_list = m.boolean("isArtifactList").value_or(false);
    s.is_optional = m.boolean("isOptional").value_or(false);
    s.description = m.string("description");
    m.finish();
    return s;
  }

  // --- DAGs and tasks -----------------------------------------------------------------------

  Dag dag(const YamlNode& n, const std::string& path) {
    Dag d;
    MapInput m(in_, n, path, "a DAG");
    if (!m.ok()) return d;
    for_each_entry(in_, m.get("tasks"), m.path("tasks"), "tasks",
                   [&](const std::string& name, const YamlNode& v, const std::string& p) {
                     d.tasks.push_back(task(name, v, p));
                   });
    if (m.has("outputs")) {
      MapInput o(in_, m.get("outputs"), m.path("outputs"), "DAG outputs");
      for_each_entry(in_, o.get("parameters"), o.path("parameters"), "DAG output parameters",
                     [&](const std::string& name, const YamlNode& v, const std::string& p) {
                       d.outputs.push_back(dag_parameter_output(name, v, p));
                     });
      for_each_entry(in_, o.get("artifacts"), o.path("artifacts"), "DAG output artifacts",
                     [&](const std::string& name, const YamlNode& v, const std::string& p) {
                       d.outputs.push_back(dag_artifact_output(name, v, p));
                     });
      o.finish();
    }
    m.finish();
    return d;
  }

  OutputSelector selector(const YamlNode& n, const std::string& path, const char* key_name) {
    OutputSelector s;
    MapInput m(in_, n, path, "an output selector");
    s.producer_task = m.string("producerSubtask");
    s.output_key = m.string(key_name);
    if (m.ok() && (s.producer_task.empty() || s.output_key.empty()))
      in_.error(n, path, "kfpp.missing_key",
                std::string("the selector needs producerSubtask and ") + key_name,
                "name the task inside the DAG and its output");
    m.finish();
    return s;
  }

  DagOutput dag_parameter_output(const std::string& name, const YamlNode& n,
                                 const std::string& path) {
    DagOutput o;
    o.name = name;
    MapInput m(in_, n, path, "a DAG output parameter");
    if (!m.ok()) return o;
    if (m.has("valueFromParameter")) {
      OutputSelector s =
          selector(m.get("valueFromParameter"), m.path("valueFromParameter"), "outputParameterKey");
      o.producer_task = s.producer_task;
      o.output_key = s.output_key;
    } else if (m.has("valueFromOneof")) {
      MapInput one(in_, m.get("valueFromOneof"), m.path("valueFromOneof"), "valueFromOneof");
      for_each_item(in_, one.get("parameterSelectors"), one.path("parameterSelectors"),
                    "parameter selectors", [&](const YamlNode& v, const std::string& p) {
                      o.oneof.push_back(selector(v, p, "outputParameterKey"));
                    });
      one.finish();
      if (!o.oneof.empty()) {
        o.producer_task = o.oneof.front().producer_task;
        o.output_key = o.oneof.front().output_key;
      }
    } else {
      in_.error(n, path, "kfpp.missing_key", "the DAG output has no source",
                "add valueFromParameter or valueFromOneof");
    }
    m.finish();
    return o;
  }

  DagOutput dag_artifact_output(const std::string& name, const YamlNode& n,
                                const std::string& path) {
    DagOutput o;
    o.name = name;
    o.is_artifact = true;
    MapInput m(in_, n, path, "a DAG output artifact");
    if (!m.ok()) return o;
    std::vector<OutputSelector> all;
    for_each_item(in_, m.get("artifactSelectors"), m.path("artifactSelectors"),
                  "artifact selectors", [&](const YamlNode& v, const std::string& p) {
                    all.push_back(selector(v, p, "outputArtifactKey"));
                  });
    if (all.empty()) {
      in_.error(n, path, "kfpp.missing_key", "the DAG output has no artifactSelectors",
                "add one selector naming the producing task");
    } else {
      o.producer_task = all.front().producer_task;
      o.output_key = all.front().output_key;
      if (all.size() > 1) o.oneof = std::move(all);
    }
    m.finish();
    return o;
  }

  ParameterBinding parameter_binding(const std::string& name, const YamlNode& n,
                                     const std::string& path) {
    ParameterBinding b;
    b.name = name;
    MapInput m(in_, n, path, "a task input parameter");
    if (!m.ok()) return b;
    int sources = 0;
    if (m.has("runtimeValue")) {
      ++sources;
      MapInput r(in_, m.get("runtimeValue"), m.path("runtimeValue"), "runtimeValue");
      b.kind = ParameterBinding::Kind::constant;
      if (!r.has("constant") && r.ok())
        in_.error(r.node(), r.path(), "kfpp.missing_key", "runtimeValue has no constant",
                  "write `constant: <value>`");
      b.constant = in_.value(r.get("constant"), r.path("constant"));
      r.finish();
    }
    if (m.has("componentInputParameter")) {
      ++sources;
      b.kind = ParameterBinding::Kind::component_input;
      b.source = m.string("componentInputParameter");
    }
    if (m.has("taskOutputParameter")) {
      ++sources;
      b.kind = ParameterBinding::Kind::task_output;
      MapInput t(in_, m.get("taskOutputParameter"), m.path("taskOutputParameter"),
                 "taskOutputParameter");
      b.source = t.string("outputParameterKey");
      b.producer_task = t.string("producerTask");
      t.finish();
    }
    if (m.has("taskFinalStatus")) {
      ++sources;
      b.kind = ParameterBinding::Kind::task_final_status;
      MapInput t(in_, m.get("taskFinalStatus"), m.path("taskFinalStatus"), "taskFinalStatus");
      b.producer_task = t.string("producerTask");
      t.finish();
    }
    if (sources != 1)
      in_.error(n, path, sources == 0 ? "kfpp.missing_key" : "kfpp.bad_value",
                sources == 0 ? "the input has no source" : "the input has more than one source",
                "give exactly one of runtimeValue, componentInputParameter, "
                "taskOutputParameter, taskFinalStatus");
    b.expression_selector = m.string("parameterExpressionSelector");
    m.finish();
    return b;
  }

  ArtifactBinding artifact_binding(const std::string& name, const YamlNode& n,
                                   const std::string& path) {
    ArtifactBinding b;
    b.name = name;
    MapInput m(in_, n, path, "a task input artifact");
    if (!m.ok()) return b;
    if (m.has("componentInputArtifact")) {
      b.kind = ArtifactBinding::Kind::component_input;
      b.source = m.string("componentInputArtifact");
    } else if (m.has("taskOutputArtifact")) {
      b.kind = ArtifactBinding::Kind::task_output;
      MapInput t(in_, m.get("taskOutputArtifact"), m.path("taskOutputArtifact"),
                 "taskOutputArtifact");
      b.source = t.string("outputArtifactKey");
      b.producer_task = t.string("producerTask");
      t.finish();
    } else {
      in_.error(n, path, "kfpp.missing_key", "the input artifact has no source",
                "give componentInputArtifact or taskOutputArtifact");
    }
    m.finish();
    return b;
  }

  Task task(const std::string& name, const YamlNode& n, const std::string& path) {
    Task t;
    t.name = name;
    MapInput m(in_, n, path, "a task");
    if (!m.ok()) return t;
    t.enable_cache.reset();
    if (m.has("cachingOptions")) {
      MapInput c(in_, m.get("cachingOptions"), m.path("cachingOptions"), "cachingOptions");
      t.enable_cache = c.boolean("enableCache").value_or(false);
      t.cache_key = c.string("cacheKey");
      c.finish();
    }
    {
      MapInput r(in_, m.get("componentRef"), m.path("componentRef"), "componentRef");
      t.component_ref = r.string("name");
      r.finish();
    }
    if (m.has("dependentTasks"))
      t.dependent_tasks = in_.strings(m.get("dependentTasks"), m.path("dependentTasks"));
    if (m.has("inputs")) {
      MapInput i(in_, m.get("inputs"), m.path("inputs"), "task inputs");
      for_each_entry(in_, i.get("parameters"), i.path("parameters"), "input parameters",
                     [&](const std::string& k, const YamlNode& v, const std::string& p) {
                       t.parameters.push_back(parameter_binding(k, v, p));
                     });
      for_each_entry(in_, i.get("artifacts"), i.path("artifacts"), "input artifacts",
                     [&](const std::string& k, const YamlNode& v, const std::string& p) {
                       t.artifacts.push_back(artifact_binding(k, v, p));
                     });
      i.finish();
    }
    if (m.has("iteratorPolicy")) {
      MapInput i(in_, m.get("iteratorPolicy"), m.path("iteratorPolicy"), "iteratorPolicy");
      t.parallelism_limit = i.integer("parallelismLimit", 0, kInt32Max).value_or(0);
      i.finish();
    }
    if (m.has("parameterIterator")) {
      MapInput i(in_, m.get("parameterIterator"), m.path("parameterIterator"), "parameterIterator");
      t.iterator_item_input = i.string("itemInput");
      MapInput items(in_, i.get("items"), i.path("items"), "iterator items");
      if (items.has("raw")) {
        std::string raw = items.string("raw");
        t.iterator_raw_items = in_.json(items.get("raw"), items.path("raw"), raw);
        if (t.iterator_raw_items && !t.iterator_raw_items->is_array()) {
          in_.error(items.get("raw"), items.path("raw"), "kfpp.bad_value",
                    "the raw items are not a JSON list", "write a JSON list");
          t.iterator_raw_items.reset();
        }
      } else {
        t.iterator_items_input = items.string("inputParameter");
      }
      items.finish();
      i.finish();
    }
    if (m.has("artifactIterator")) {
      MapInput i(in_, m.get("artifactIterator"), m.path("artifactIterator"), "artifactIterator");
      t.iterator_over_artifacts = true;
      t.iterator_item_input = i.string("itemInput");
      MapInput items(in_, i.get("items"), i.path("items"), "iterator items");
      t.iterator_items_input = items.string("inputArtifact");
      items.finish();
      i.finish();
    }
    if (m.has("retryPolicy")) {
      MapInput r(in_, m.get("retryPolicy"), m.path("retryPolicy"), "retryPolicy");
      RetryPolicy rp;
      rp.max_retry_count = r.integer("maxRetryCount", 0, kInt32Max).value_or(0);
      rp.backoff_duration = r.string("backoffDuration");
      rp.backoff_factor = r.number("backoffFactor").value_or(0);
      rp.backoff_max_duration = r.string("backoffMaxDuration");
      t.retry_policy = rp;
      r.finish();
    }
    {
      MapInput info(in_, m.get("taskInfo"), m.path("taskInfo"), "taskInfo");
      std::string display = info.string("name");
      if (display != name) t.display_name = display;
      info.finish();
    }
    if (m.has("triggerPolicy")) {
      MapInput tp(in_, m.get("triggerPolicy"), m.path("triggerPolicy"), "triggerPolicy");
      t.trigger_condition = tp.string("condition");
      t.trigger_strategy = tp.string("strategy");
      tp.finish();
    }
    m.finish();
    return t;
  }

  // --- executors ----------------------------------------------------------------------------

  Arg arg(const YamlNode& n, const std::string& path) {
    std::string text = in_.string(n, path);
    bool structured = text.rfind("{\"Concat\":", 0) == 0 || text.rfind("{\"IfPresent\":", 0) == 0;
    if (!structured) return Arg::of(std::move(text));
    auto json = in_.json(n, path, text);
    if (!json) return Arg::of(std::move(text));
    Arg out;
    if (!structured_arg(*json, out)) {
      in_.error(
          n, path, "kfpp.bad_placeholder", "a malformed Concat or IfPresent placeholder",
          "write {\"Concat\": [...]} or {\"IfPresent\": {\"InputName\": …, \"Then\": [...]}}");
      return Arg::of(std::move(text));
    }
    return out;
  }

  static bool arg_list(const Value& v, std::vector<Arg>& out) {
    if (!v.is_array()) return false;
    for (const auto& item : v.as_array()) {
      Arg a;
      if (item.is_string())
        a = Arg::of(item.as_string());
      else if (!structured_arg(item, a))
        return false;
      out.push_back(std::move(a));
    }
    return true;
  }

  static bool structured_arg(const Value& v, Arg& out) {
    if (!v.is_object() || v.as_object().size() != 1) return false;
    const auto& [key, body] = *v.as_object().begin();
    if (key == "Concat") {
      out.kind = Arg::Kind::concat;
      return arg_list(body, out.items);
    }
    if (key != "IfPresent" || !body.is_object()) return false;
    out.kind = Arg::Kind::if_present;
    const auto& o = body.as_object();
    for (const auto& [k, _] : o)
      if (k != "InputName" && k != "Then" && k != "Else") return false;
    auto name = o.find("InputName");
    if (name == o.end() || !name->second.is_string()) return false;
    out.input_name = name->second.as_string();
    // `Then` and `Else` are each a list, or one element written as itself.
    auto branch = [](const Value& b, std::vector<Arg>& items, bool& single) {
      if (b.is_array()) return arg_list(b, items);
      Arg one;
      if (b.is_string())
        one = Arg::of(b.as_string());
      else if (!structured_arg(b, one))
        return false;
      items.push_back(std::move(one));
      single = true;
      return true;
    };
    if (auto then = o.find("Then");
        then != o.end() && !branch(then->second, out.items, out.then_single))
      return false;
    if (auto otherwise = o.find("Else"); otherwise != o.end()) {
      out.has_otherwise = true;
      if (!branch(otherwise->second, out.otherwise, out.else_single)) return false;
    }
    return true;
  }

  void resources(const YamlNode& n, const std::string& path, Resources& r) {
    MapInput m(in_, n, path, "container resources");
    if (!m.ok()) return;
    r.cpu_limit = m.number("cpuLimit");
    r.cpu_request = m.number("cpuRequest");
    r.memory_limit = m.number("memoryLimit");
    r.memory_request = m.number("memoryRequest");
    r.resource_cpu_limit = m.string("resourceCpuLimit");
    r.resource_cpu_request = m.string("resourceCpuRequest");
    r.resource_memory_limit = m.string("resourceMemoryLimit");
    r.resource_memory_request = m.string("resourceMemoryRequest");
    if (m.has("accelerator")) {
      MapInput a(in_, m.get("accelerator"), m.path("accelerator"), "accelerator");
      Accelerator acc;
      acc.type = a.string("type");
      acc.count = a.integer("count", 0, kInt64Max);
      acc.resource_type = a.string("resourceType");
      acc.resource_count = a.string("resourceCount");
      r.accelerator = acc;
      a.finish();
    }
    m.finish();
  }

  void executor(const YamlNode& n, const std::string& path, Executor& e) {
    MapInput m(in_, n, path, "an executor");
    if (!m.ok()) return;
    if (m.has("container")) {
      MapInput c(in_, m.get("container"), m.path("container"), "a container");
      ContainerSpec spec;
      spec.image = c.string("image");
      for_each_item(
          in_, c.get("command"), c.path("command"), "command",
          [&](const YamlNode& v, const std::string& p) { spec.command.push_back(arg(v, p)); });
      if (c.has("args"))
        for_each_item(
            in_, c.get("args"), c.path("args"), "args",
            [&](const YamlNode& v, const std::string& p) { spec.args.push_back(arg(v, p)); });
      if (c.has("env"))
        for_each_item(in_, c.get("env"), c.path("env"), "env",
                      [&](const YamlNode& v, const std::string& p) {
                        MapInput ev(in_, v, p, "an environment variable");
                        spec.env.push_back({ev.string("name"), ev.string("value")});
                        ev.finish();
                      });
      if (c.has("resources")) resources(c.get("resources"), c.path("resources"), spec.resources);
      if (spec.image.empty() && c.ok())
        in_.error(c.node(), c.path(), "kfpp.missing_key", "the container has no image",
                  "set image");
      e.container = std::move(spec);
      c.finish();
    } else if (m.has("importer")) {
      MapInput im(in_, m.get("importer"), m.path("importer"), "an importer");
      ImporterSpec spec;
      {
        MapInput uri(in_, im.get("artifactUri"), im.path("artifactUri"), "artifactUri");
        if (uri.has("runtimeParameter"))
          spec.uri_parameter = uri.string("runtimeParameter");
        else
          spec.uri_constant = uri.string("constant");
        uri.finish();
      }
      spec.type = artifact_type(im.get("typeSchema"), im.path("typeSchema"));
      if (im.has("metadata")) spec.metadata = in_.value(im.get("metadata"), im.path("metadata"));
      spec.reimport = im.boolean("reimport").value_or(false);
      spec.download_to_workspace = im.boolean("downloadToWorkspace").value_or(false);
      e.importer = std::move(spec);
      im.finish();
    } else {
      in_.error(n, path, "kfpp.unsupported_executor",
                "kfpp reads container and importer executors only",
                "use a container or an importer executor");
    }
    m.finish();
  }

  // --- the Kubernetes platform --------------------------------------------------------------

  std::optional<ParameterBinding> run_time_binding(MapInput& m, std::string_view key) {
    if (!m.has(key)) return std::nullopt;
    ParameterBinding b = parameter_binding("", m.get(key), m.path(key));
    return b;
  }

  StringMap string_map(const YamlNode& n, const std::string& path) {
    StringMap out;
    for_each_entry(in_, n, path, "a map of strings",
                   [&](const std::string& k, const YamlNode& v, const std::string& p) {
                     out.emplace(k, in_.string(v, p));
                   });
    return out;
  }

  PodMetadata pod_metadata(const YamlNode& n, const std::string& path) {
    PodMetadata md;
    MapInput m(in_, n, path, "metadata");
    if (m.has("labels")) md.labels = string_map(m.get("labels"), m.path("labels"));
    if (m.has("annotations"))
      md.annotations = string_map(m.get("annotations"), m.path("annotations"));
    m.finish();
    return md;
  }

  std::vector<SelectorRequirement> requirements(const YamlNode& n, const std::string& path) {
    std::vector<SelectorRequirement> out;
    for_each_item(in_, n, path, "selector requirements",
                  [&](const YamlNode& v, const std::string& p) {
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
  void list(MapInput& m, std::string_view key, std::vector<T>& out, const char* what, F&& one) {
    if (!m.has(key)) return;
    for_each_item(in_, m.get(key), m.path(key), what, [&](const YamlNode& v, const std::string& p) {
      MapInput item(in_, v, p, what);
      if (!item.ok()) return;
      out.push_back(one(item));
      item.finish();
    });
  }

  ObjectAsVolume object_as_volume(MapInput& m, const char* name_key, const char* parameter_key) {
    ObjectAsVolume v;
    v.name = m.string(name_key);
    v.name_parameter = run_time_binding(m, parameter_key);
    v.mount_path = m.string("mountPath");
    v.optional = m.boolean("optional");
    return v;
  }

  ObjectAsEnv object_as_env(MapInput& m, const char* name_key, const char* parameter_key,
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

  void kubernetes_executor(const YamlNode& n, const std::string& path, KubernetesConfig& c) {
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
    list(m, "configMapAsVolume", c.config_map_as_volume, "a config map volume", [&](MapInput& v) {
      return object_as_volume(v, "configMapName", "configMapNameParameter");
    });
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
      if (v.has("namespaces"))
        t.namespaces = in_.strings(v.get("namespaces"), v.path("namespaces"));
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

  void kubernetes_platform(const YamlNode& n, const std::string& path, Pipeline& p) {
    MapInput m(in_, n, path, "the kubernetes platform spec");
    if (!m.ok()) return;
    if (m.has("deploymentSpec")) {
      MapInput d(in_, m.get("deploymentSpec"), m.path("deploymentSpec"), "deploymentSpec");
      for_each_entry(in_, d.get("executors"), d.path("executors"), "executors",
                     [&](const std::string& label, const YamlNode& v, const std::string& at) {
                       Executor* e = nullptr;
                       for (auto& x : p.executors)
                         if (x.label == label) e = &x;
                       if (!e) {
                         in_.error(v, at, "kfpp.unknown_executor",
                                   "no executor `" + label + "` in deploymentSpec",
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
      pc.resource_ttl_on_completion =
          c.integer("resourceTtlOnCompletion", 0, kInt32Max).value_or(0);
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

  YamlInput& in_;
};

}  // namespace

// Shared by read_pipeline and kfpp::detail::read_pipeline_documents.
Pipeline read_documents(detail::YamlInput& in, const std::vector<detail::YamlNode>& docs) {
  Pipeline p;
  std::vector<YamlNode> present;
  for (const auto& d : docs)
    if (!d.is_null()) present.push_back(d);
  if (!in.failed() && present.empty())
    in.error(detail::YamlNode(), "", "kfpp.empty_file", "the file holds no YAML document",
             "give a KFP IR file");
  if (present.size() > 2)
    in.error(present[2], "", "kfpp.extra_document",
             "a KFP IR file holds a PipelineSpec and at most one PlatformSpec",
             "remove the extra documents");
  SpecReader reader(in);
  if (!present.empty()) reader.pipeline_spec(present[0], p);
  if (present.size() > 1) reader.platform_spec(present[1], p);
  in.throw_if_failed();
  return p;
}

Pipeline read_pipeline(std::string_view yaml, const std::string& file_name,
                       const ReadOptions& options) {
  YamlInput in(file_name, options.strict, options.warnings, options.limits);
  std::vector<YamlNode> docs = in.load_all(yaml);
  return read_documents(in, docs);
}

std::string read_text_file(const std::string& path) {
  return read_text_file(path, ReadLimits{}.max_input_bytes);
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
  // POSIX calls: a directory is refused by name, and an endless stream (a pipe, /dev/zero) is
  // cut at the limit instead of filling the memory.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw ParseError(Diagnostic{"kfpp.io", path, "cannot open the file",
                                "check that the file exists and is readable"});
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    throw ParseError(
        Diagnostic{"kfpp.io", path, "is a directory, not a file", "name a file in it"});
  std::string text;
  if (S_ISREG(st.st_mode) && st.st_size > 0)
    text.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1);
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ParseError(Diagnostic{"kfpp.io", path, "cannot read the file", "check the file"});
    }
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      throw ParseError(Diagnostic{
          "kfpp.input_too_large", path,
          "the input is larger than the limit of " + (max_bytes % (std::size_t{1} << 20) == 0
                                                          ? std::to_string(max_bytes >> 20) + " MiB"
                                                          : std::to_string(max_bytes) + " bytes"),
          "split the input, or raise the limit: kfpp --max-input-mib, "
          "ReadLimits::max_input_bytes"});
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

Pipeline read_pipeline_file(const std::string& path, const ReadOptions& options) {
  return read_pipeline(read_text_file(path, options.limits.max_input_bytes), path, options);
}

}  // namespace kfpp::ir

namespace kfpp::detail {

ir::Pipeline read_pipeline_documents(const std::vector<YamlNode>& documents,
                                     const std::string& file_name, const ir::ReadOptions& options) {
  YamlInput in(file_name, options.strict, options.warnings, options.limits);
  return ir::read_documents(in, documents);
}

}  // namespace kfpp::detail
