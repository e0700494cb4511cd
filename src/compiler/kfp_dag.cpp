// SPDX-License-Identifier: Apache-2.0
#include "kfp_dag.hpp"

#include <bit>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/json_text.hpp"

namespace kfpp::detail {

namespace {

// Calls `f` with each of `items` by name: in place when their names rise already (as the DSL
// makes most of them), else through sorted_by_name.
template <class T, class F>
void for_each_by_name(const std::vector<T>& items, F&& f) {
  const bool rising = std::adjacent_find(items.begin(), items.end(), [](const T& a, const T& b) {
                        return a.name >= b.name;
                      }) == items.end();
  if (rising) {
    for (const auto& x : items) f(x);
    return;
  }
  for (const auto* x : sorted_by_name(items)) f(*x);
}

// The text of the entry last written for a task of one DAG, copied for the next task whose entry
// would be the same: the tasks of a large pipeline mostly share their caching options and retry
// policy. (All tasks of a DAG are entries of one map, so the text is at the right depth.)
template <class Key>
class LastEntry {
 public:
  template <class Write>
  void write(YamlWriter& w, const Key& key, Write&& write_entry) {
    if (key_ && *key_ == key) {
      w.repeat_entries(from_, to_);
      return;
    }
    from_ = w.size();
    write_entry();
    to_ = w.size();
    key_ = key;
  }

 private:
  std::optional<Key> key_;
  std::size_t from_ = 0;
  std::size_t to_ = 0;
};

// What decides the text of `cachingOptions`.
struct CachingKey {
  std::string_view cache_key;
  bool enable = false;
  friend bool operator==(const CachingKey&, const CachingKey&) = default;
};

// What decides the text of `retryPolicy`; the factor by its bits, as `-0.0` is not `0.0`.
struct RetryKey {
  std::int64_t max_retry_count = 0;
  std::string_view backoff_duration;
  std::uint64_t backoff_factor = 0;
  std::string_view backoff_max_duration;
  friend bool operator==(const RetryKey&, const RetryKey&) = default;
};

struct TaskMemos {
  LastEntry<CachingKey> caching;
  LastEntry<RetryKey> retry;
};

void write_task(YamlWriter& w, const ir::Task& t, TaskMemos& memos) {
  w.key(t.name);
  w.begin_map();
  // Keys in sorted order, as the SDK writes them.
  if (!t.iterator_item_input.empty() && t.iterator_over_artifacts) {
    w.word_key("artifactIterator");
    w.begin_map();
    w.word_entry("itemInput", t.iterator_item_input);
    w.word_key("items");
    w.begin_map();
    w.word_entry("inputArtifact", t.iterator_items_input);
    w.end_map();
    w.end_map();
  }
  if (t.enable_cache) {
    memos.caching.write(w, {t.cache_key, *t.enable_cache}, [&] {
      w.word_key("cachingOptions");
      w.begin_map();
      if (!t.cache_key.empty()) w.word_entry("cacheKey", t.cache_key);
      if (*t.enable_cache) {
        w.word_key("enableCache");
        w.boolean(true);
      }
      w.end_map();
    });
  }
  w.word_key("componentRef");
  w.begin_map();
  w.word_entry("name", t.component_ref);
  w.end_map();
  if (!t.dependent_tasks.empty()) {
    w.word_key("dependentTasks");
    w.begin_seq();
    // Sorted, each once: as they are when the DSL made them.
    const auto& names = t.dependent_tasks;
    if (std::adjacent_find(names.begin(), names.end(), std::greater_equal<>()) == names.end()) {
      for (const auto& d : names) w.string(d);
    } else {
      std::vector<std::string_view> deps(names.begin(), names.end());
      std::sort(deps.begin(), deps.end());
      deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
      for (auto d : deps) w.string(d);
    }
    w.end_seq();
  }
  if (!t.parameters.empty() || !t.artifacts.empty()) {
    w.word_key("inputs");
    w.begin_map();
    if (!t.artifacts.empty()) {
      w.word_key("artifacts");
      w.begin_map();
      for_each_by_name(t.artifacts, [&](const ir::ArtifactBinding& a) {
        w.key(a.name);
        w.begin_map();
        if (a.kind == ir::ArtifactBinding::Kind::component_input) {
          w.word_entry("componentInputArtifact", a.source);
        } else {
          w.word_key("taskOutputArtifact");
          w.begin_map();
          w.word_entry("outputArtifactKey", a.source);
          w.word_entry("producerTask", a.producer_task);
          w.end_map();
        }
        w.end_map();
      });
      w.end_map();
    }
    if (!t.parameters.empty()) {
      w.word_key("parameters");
      w.begin_map();
      for_each_by_name(t.parameters, [&](const ir::ParameterBinding& p) {
        w.key(p.name);
        w.begin_map();
        switch (p.kind) {
          case ir::ParameterBinding::Kind::constant:
            w.word_key("runtimeValue");
            w.begin_map();
            w.word_key("constant");
            w.struct_value(p.constant);
            w.end_map();
            break;
          case ir::ParameterBinding::Kind::component_input:
            w.word_entry("componentInputParameter", p.source);
            break;
          case ir::ParameterBinding::Kind::task_output:
            w.word_key("taskOutputParameter");
            w.begin_map();
            w.word_entry("outputParameterKey", p.source);
            w.word_entry("producerTask", p.producer_task);
            w.end_map();
            break;
          case ir::ParameterBinding::Kind::task_final_status:
            w.word_key("taskFinalStatus");
            w.begin_map();
            w.word_entry("producerTask", p.producer_task);
            w.end_map();
            break;
        }
        if (!p.expression_selector.empty())
          w.word_entry("parameterExpressionSelector", p.expression_selector);
        w.end_map();
      });
      w.end_map();
    }
    w.end_map();
  }
  if (t.parallelism_limit > 0) {
    w.word_key("iteratorPolicy");
    w.begin_map();
    w.word_key("parallelismLimit");
    w.integer(t.parallelism_limit);
    w.end_map();
  }
  if (!t.iterator_item_input.empty() && !t.iterator_over_artifacts) {
    w.word_key("parameterIterator");
    w.begin_map();
    w.word_entry("itemInput", t.iterator_item_input);
    w.word_key("items");
    w.begin_map();
    if (t.iterator_raw_items)
      w.word_entry("raw", ir::python_json_text(*t.iterator_raw_items));
    else
      w.word_entry("inputParameter", t.iterator_items_input);
    w.end_map();
    w.end_map();
  }
  if (const auto& r = t.retry_policy) {
    const RetryKey key{r->max_retry_count, r->backoff_duration,
                       std::bit_cast<std::uint64_t>(r->backoff_factor), r->backoff_max_duration};
    memos.retry.write(w, key, [&] {
      w.word_key("retryPolicy");
      w.begin_map();
      w.word_entry("backoffDuration", r->backoff_duration);
      w.word_key("backoffFactor");
      w.number(r->backoff_factor);
      w.word_entry("backoffMaxDuration", r->backoff_max_duration);
      w.word_key("maxRetryCount");
      w.integer(r->max_retry_count);
      w.end_map();
    });
  }
  w.word_key("taskInfo");
  w.begin_map();
  w.word_entry("name", t.display_name.empty() ? t.name : t.display_name);
  w.end_map();
  if (!t.trigger_condition.empty() || !t.trigger_strategy.empty()) {
    w.word_key("triggerPolicy");
    w.begin_map();
    if (!t.trigger_condition.empty()) w.word_entry("condition", t.trigger_condition);
    if (!t.trigger_strategy.empty()) w.word_entry("strategy", t.trigger_strategy);
    w.end_map();
  }
  w.end_map();
}

}  // namespace

void write_kfp_dag(YamlWriter& w, const ir::Dag& dag) {
  w.word_key("dag");
  w.begin_map();
  if (!dag.outputs.empty()) {
    std::vector<const ir::DagOutput*> artifacts;
    std::vector<const ir::DagOutput*> parameters;
    for (const auto* o : sorted_by_name(dag.outputs))
      (o->is_artifact ? artifacts : parameters).push_back(o);
    w.word_key("outputs");
    w.begin_map();
    if (!artifacts.empty()) {
      w.word_key("artifacts");
      w.begin_map();
      for (const auto* o : artifacts) {
        w.key(o->name);
        w.begin_map();
        w.word_key("artifactSelectors");
        w.begin_seq();
        std::vector<ir::OutputSelector> one{{o->producer_task, o->output_key}};
        for (const auto& sel : o->oneof.empty() ? one : o->oneof) {
          w.begin_map();
          w.word_entry("outputArtifactKey", sel.output_key);
          w.word_entry("producerSubtask", sel.producer_task);
          w.end_map();
        }
        w.end_seq();
        w.end_map();
      }
      w.end_map();
    }
    if (!parameters.empty()) {
      w.word_key("parameters");
      w.begin_map();
      for (const auto* o : parameters) {
        w.key(o->name);
        w.begin_map();
        if (o->oneof.empty()) {
          w.word_key("valueFromParameter");
          w.begin_map();
          w.word_entry("outputParameterKey", o->output_key);
          w.word_entry("producerSubtask", o->producer_task);
          w.end_map();
        } else {
          w.word_key("valueFromOneof");
          w.begin_map();
          w.word_key("parameterSelectors");
          w.begin_seq();
          for (const auto& sel : o->oneof) {
            w.begin_map();
            w.word_entry("outputParameterKey", sel.output_key);
            w.word_entry("producerSubtask", sel.producer_task);
            w.end_map();
          }
          w.end_seq();
          w.end_map();
        }
        w.end_map();
      }
      w.end_map();
    }
    w.end_map();
  }
  if (!dag.tasks.empty()) {
    w.word_key("tasks");
    w.begin_map();
    TaskMemos memos;
    for (const auto* t : many_by_name(dag.tasks)) write_task(w, *t, memos);
    w.end_map();
  }
  w.end_map();
}

}  // namespace kfpp::detail
