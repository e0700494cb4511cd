// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// The `# PIPELINE DEFINITION` comment the KFP SDK writes above the IR: the name, the description
/// (one comment line per line), the root's inputs and outputs sorted by name, defaults shown as
/// the SDK shows them (`'text'`, `10.0`, `True`, `{'a': 1.0}`). A line break inside a name or a
/// default, which would end the comment, is written as a space.
[[nodiscard]] std::string kfp_header_comment(const ir::Pipeline& p);

/// Python's repr of `v` as the SDK holds it after reading the IR's protobuf: numbers are floats,
/// strings quoted as Python quotes them, objects' keys in the order they were given.
/// Example: `python_repr(Value::object({{"b", 1}, {"a", "x"}})) == "{'b': 1.0, 'a': 'x'}"`
[[nodiscard]] std::string python_repr(const ir::Value& v);

}  // namespace kfpp::detail
