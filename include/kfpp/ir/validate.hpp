// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"

namespace kfpp::ir {

/// Every problem in `pipeline`, in a stable order; empty when it is sound. Paths run from the
/// pipeline through the tasks, e.g. `ml-training/condition-1/deploy/inputs/model`.
/// Example: `for (const auto& d : kfpp::ir::check(ir)) std::cerr << d.to_string() << '\n';`
[[nodiscard]] std::vector<Diagnostic> check(const Pipeline& pipeline);

/// Throws `kfpp::ValidationError` with every finding of `check`, if there is any.
/// Example: `kfpp::ir::validate(ir);`
void validate(const Pipeline& pipeline);

/// The indices of the tasks of `dag` in an order where each comes after every task it depends
/// on; the same DAG always gives the same order. Throws `kfpp::ValidationError` on a cycle or an
/// unknown dependency. Example: `for (std::size_t i : kfpp::ir::topological_order(dag))
/// run(dag.tasks[i]);`
[[nodiscard]] std::vector<std::size_t> topological_order(const Dag& dag);

/// Whether `name` is a valid task, component or pipeline name: lower-case letters, digits and
/// `-`, starting and ending with a letter or digit, at most 128 characters.
/// Example: `kfpp::ir::is_valid_task_name("train-model") == true`
[[nodiscard]] bool is_valid_task_name(const std::string& name) noexcept;

/// Whether `name` is a valid port name: a letter or `_`, then letters, digits, `_` or `-`.
/// Example: `kfpp::ir::is_valid_port_name("learning_rate") == true`
[[nodiscard]] bool is_valid_port_name(const std::string& name) noexcept;

}  // namespace kfpp::ir
