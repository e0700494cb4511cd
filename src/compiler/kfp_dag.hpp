// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "name_order.hpp"
#include "yaml_writer.hpp"

// The KFP emitter's DAGs: a component's or the root's `dag:`, its outputs and tasks.
namespace kfpp::detail {

/// The few ports or arguments of one component or task, by name.
template <class T>
std::vector<const T*> sorted_by_name(const std::vector<T>& items) {
  std::vector<const T*> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(&x);
  std::sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->name < b->name; });
  return out;
}

/// The thousands of components, executors or tasks of a large pipeline, by name.
template <class T>
std::vector<const T*> many_by_name(const std::vector<T>& items) {
  return in_name_order(items, [](const T& x) -> std::string_view { return x.name; });
}

/// Writes `dag:` and its outputs and tasks, keys in the SDK's order.
void write_kfp_dag(YamlWriter& w, const ir::Dag& dag);

}  // namespace kfpp::detail
