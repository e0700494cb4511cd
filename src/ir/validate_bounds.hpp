// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// At most this many tasks in a pipeline, all DAGs together.
inline constexpr std::size_t kMaxTasks = 1000000;
/// At most this many components.
inline constexpr std::size_t kMaxComponents = 1000000;
/// DAG components nest at most this deep (the emitters and the graph walk them recursively).
inline constexpr std::size_t kMaxNesting = 100;

/// Adds to `out` what makes `pipeline` unsafe to walk or not well formed as text: too many tasks
/// or components, component references in a cycle or nested too deeply (`kfpp.component_cycle`,
/// `kfpp.too_deep`), numbers outside their proto types (`kfpp.out_of_range`), conditions that do
/// not parse as CEL (`kfpp.bad_condition`) and strings that are not UTF-8 (`kfpp.bad_utf8`).
/// Returns false when the component graph must not be walked further.
bool check_bounds(const ir::Pipeline& pipeline, std::vector<Diagnostic>& out);

/// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace kfpp::detail
