// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/value.hpp"

namespace kfpp::test {

/// Every document of a YAML text, as values: plain scalars resolved the way the YAML core
/// schema reads them, quoted ones kept as strings.
std::vector<ir::Value> load_all(const std::string& text);
std::vector<ir::Value> load_file(const std::string& path);

/// The differences between two KFP IR files as documents, by the rule of DESIGN.md: equal trees,
/// except `sdkVersion` and the command of executors that run a Python function. One line each,
/// with its path; empty when they are the same document.
std::vector<std::string> ir_differences(const std::vector<ir::Value>& ours,
                                        const std::vector<ir::Value>& reference);

/// A value at a dotted path (`root.dag.tasks.add`; a number indexes a list), or nullptr.
const ir::Value* at_path(const ir::Value& doc, const std::string& dotted);

std::string read_text(const std::string& path);

}  // namespace kfpp::test
