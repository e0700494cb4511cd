// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// `text` as a JSON value (RFC 8259, the whole text), or nullopt with `error` saying where it
/// stops being JSON. Integers that fit 64 bits stay integers; other numbers are doubles.
[[nodiscard]] std::optional<ir::Value> parse_json(std::string_view text, std::string* error);

/// A double as Go's `strconv.FormatFloat(d, 'f', -1, 64)` writes it (`3`, `0.5`, `0.00001`): the
/// text the KFP backend gives a number parameter on a command line.
[[nodiscard]] std::string go_float_text(double d);

/// `v` as compact JSON with numbers in Go's form (`[1,2.5,"a"]`), as the KFP backend renders a
/// list or struct parameter; strings as text, numbers via `go_float_text` when `v` is a scalar.
[[nodiscard]] std::string backend_text(const ir::Value& v);

/// `v` as compact JSON with numbers in Go's form.
[[nodiscard]] std::string backend_json(const ir::Value& v);

}  // namespace kfpp::detail
