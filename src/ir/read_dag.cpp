// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: DAGs, their outputs and their tasks.
#include "ir/spec_reader.hpp"

namespace kfpp::detail {

using namespace ir;  // NOLINT(google-build-using-namespace): the members build IR types throughout

Dag SpecReader::dag(const YamlNode& n, const YamlPath& path) {
  Dag d;
  MapInput m(in_, n, path, "a DAG");
  if (!m.ok()) return d;
  const YamlNode tasks = m.get("tasks");
  d.tasks.reserve(tasks.size());
  for_each_entry(in_, tasks, m.path("tasks"), "tasks",
                 [&](std::string_view name, const YamlNode& v, const YamlPath& p) {
                   d.tasks.push_back(task(name, v, p));
                 });
  if (m.has("outputs")) {
    MapInput o(in_, m.get("outputs"), m.path("outputs"), "DAG outputs");
    for_each_entry(in_, o.get("parameters"), o.path("parameters"), "DAG output parameters",
                   [&](std::string_view name, const YamlNode& v, const YamlPath& p) {
                     d.outputs.push_back(dag_parameter_output(name, v, p));
                   });
    for_each_entry(in_, o.get("artifacts"), o.path("artifacts"), "DAG output artifacts",
                   [&](std::string_view name, const YamlNode& v, const YamlPath& p) {
                     d.outputs.push_back(dag_artifact_output(name, v, p));
                   });
    o.finish();
  }
  m.finish();
  return d;
}

OutputSelector SpecReader::selector(const YamlNode& n, const YamlPath& path, const char* key_name) {
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

DagOutput SpecReader::dag_parameter_output(std::string_view name, const YamlNode& n,
                                           const YamlPath& path) {
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
                  "parameter selectors", [&](const YamlNode& v, const YamlPath& p) {
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

DagOutput SpecReader::dag_artifact_output(std::string_view name, const YamlNode& n,
                                          const YamlPath& path) {
  DagOutput o;
  o.name = name;
  o.is_artifact = true;
  MapInput m(in_, n, path, "a DAG output artifact");
  if (!m.ok()) return o;
  std::vector<OutputSelector> all;
  for_each_item(in_, m.get("artifactSelectors"), m.path("artifactSelectors"), "artifact selectors",
                [&](const YamlNode& v, const YamlPath& p) {
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

ParameterBinding SpecReader::parameter_binding(std::string_view name, const YamlNode& n,
                                               const YamlPath& path) {
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

ArtifactBinding SpecReader::artifact_binding(std::string_view name, const YamlNode& n,
                                             const YamlPath& path) {
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

Task SpecReader::task(std::string_view name, const YamlNode& n, const YamlPath& path) {
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
                   [&](std::string_view k, const YamlNode& v, const YamlPath& p) {
                     t.parameters.push_back(parameter_binding(k, v, p));
                   });
    for_each_entry(in_, i.get("artifacts"), i.path("artifacts"), "input artifacts",
                   [&](std::string_view k, const YamlNode& v, const YamlPath& p) {
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
}  // namespace kfpp::detail
