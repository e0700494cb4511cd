// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/name_index.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/validate.hpp"
#include "where.hpp"

// What a Pipeline records before it is lowered; shared by the DSL's source files.
namespace kfpp::detail {

/// Names made unique the way KFP does it: the first `x` is `x`, the next `x-2`, `x-3`, …
class UniqueNames {
 public:
  std::string make(const std::string& base) {
    std::size_t* next = used_.find(base);
    if (!next) {
      keep(base);
      return base;
    }
    std::string candidate;
    std::size_t n = *next;
    do {
      candidate = base + "-" + std::to_string(n++);
    } while (used_.contains(candidate));
    *next = n;  // before keep(), which may move the index's array
    keep(candidate);
    return candidate;
  }

 private:
  // Stores `name` (a deque's strings never move) and indexes it with the first suffix to try
  // when it is itself a base again.
  void keep(const std::string& name) { used_.emplace(names_.emplace_back(name), 2); }

  std::deque<std::string> names_;
  NameIndex<std::size_t> used_;  ///< every name made, with the next suffix to try after it
};

/// The name a Kubernetes binding carries until lowering resolves channel `index`.
inline std::string channel_marker(std::size_t index) {
  return std::string("\x01") + std::to_string(index);
}

struct TaskRecord {
  std::string name;
  std::shared_ptr<const ComponentData>
      component;  ///< shared with the component and its other tasks
  std::vector<Binding> bindings;
  std::vector<std::size_t> after;
  std::string display_name;
  bool caching = true;
  std::string cache_key;
  // Settings of the task's container; a channel becomes a `pipelinechannel--…` input.
  std::optional<Source> quantities[4];  ///< cpu request, cpu limit, memory request, memory limit
  std::optional<Source> accelerator_type;
  std::optional<Source> accelerator_count;
  std::optional<Source> image;
  std::vector<ir::EnvVar> env;  ///< set on the task, over the component's
  std::optional<ir::RetryPolicy> retry;
  bool ignore_upstream_failure = false;  ///< run even when upstream tasks failed
  /// The pod's Kubernetes settings. A name read at run time is a binding whose `name` is
  /// `channel_marker(i)`: `k8s_channels[i]` is its source, resolved when lowering. Held out of
  /// line: most tasks set none, and the settings are larger than the rest of the record.
  ir::Indirect<ir::KubernetesConfig> kubernetes;
  std::vector<Source> k8s_channels;
  std::size_t group = 0;         ///< the group the task was added in
  std::size_t exit_handler = 0;  ///< non-zero: the exit handler group this task exits
};

/// A member of a group: a task or a nested group, in the order they were added.
struct Member {
  bool is_group = false;
  std::size_t index = 0;
};

/// A control-flow group: the root, a condition branch, the `condition-branches-N` wrapper of an
/// If chain, or an exit handler. Each becomes a DAG component of its own.
struct GroupRecord {
  enum class Kind { root, condition, branches, exit_handler, loop };
  Kind kind = Kind::root;
  std::string name;          ///< `condition-3`; empty for the root
  std::string display_name;  ///< `taskInfo.name` when the user named it
  std::size_t parent = 0;
  std::vector<Member> members;
  std::vector<Comparison> terms;  ///< condition: all must hold
  std::size_t exit_task = 0;      ///< exit handler: the task run afterwards
  bool open = true;               ///< still accepting branches (If chains) or tasks
  // Loops:
  std::optional<ir::Value> raw_items;  ///< a literal list, or
  Source items;                        ///< the channel holding the list
  std::string item_input;              ///< `pipelinechannel--…` the item is passed as
  ir::ParameterType item_type = ir::ParameterType::string;
  std::optional<ir::ArtifactType> item_artifact;  ///< a loop over artifacts: the item's type
  std::int64_t parallelism = 0;
  std::vector<Source> collected;  ///< outputs read after the loop through Collected
  // If chains (`branches`):
  std::vector<std::vector<Source>> oneofs;  ///< the options of each OneOf over this chain
};

class PipelineState {
 public:
  std::string name;
  std::string description;
  std::string display_name;
  std::string pipeline_root;
  std::optional<ir::PipelineConfig> config;
  ir::Interface inputs;
  ir::Interface outputs;
  std::vector<std::pair<std::string, Source>> output_sources;
  std::vector<TaskRecord> tasks;
  UniqueNames task_names;
  std::vector<GroupRecord> groups{GroupRecord{}};  ///< groups[0] is the root
  std::size_t current = 0;                         ///< the group new tasks go into
  int group_counter = 0;                           ///< one count for every kind of group

  void check_source(const Source& s, const Where& where) const {
    if (s.kind == Source::Kind::constant) return;
    if (s.owner != this)
      throw DefinitionError({"kfpp.foreign_value", where.str(),
                             "the value comes from another pipeline (or an unset handle)",
                             "use parameters and task outputs of this pipeline only"});
  }

  void check_new_input(const std::string& n) const {
    if (!ir::is_valid_port_name(n))
      throw DefinitionError({"kfpp.invalid_name", name + "/inputs/" + n,
                             "'" + n + "' is not a valid parameter name",
                             "start with a letter or '_', then use letters, digits, '_' or '-'"});
    if (inputs.find_parameter(n) || inputs.find_artifact(n))
      throw DefinitionError({"kfpp.duplicate_name", name + "/inputs/" + n,
                             "the pipeline already has an input called '" + n + "'",
                             "give each pipeline input its own name"});
  }
};

}  // namespace kfpp::detail
