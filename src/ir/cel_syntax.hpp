// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kfpp::detail {

/// Why `expression` is not a CEL expression (with the 1-based column of the problem), or nothing
/// when it parses. Checks the grammar of the CEL language definition: literals (integers,
/// unsigned, doubles, strings and bytes in every quoting, booleans, null), identifiers, member
/// access and calls, indexing, lists, maps, messages, the unary, binary and ternary operators;
/// it neither resolves names nor checks types. Nesting deeper than 100 levels is refused.
/// Example: `cel_syntax_error("inputs.parameter_values['x'] == 'heads'")` is empty.
std::optional<std::string> cel_syntax_error(std::string_view expression);

}  // namespace kfpp::detail
