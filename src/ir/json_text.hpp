// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ir/utf8.hpp"
#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// How `append_value_text` writes a value: JSON the way Python's `json.dumps` or Go's encoder
/// does, or Python's `repr`. The writers of scalars differ; lists and maps have one shape.
struct ValueTextStyle {
  std::string_view item_separator;  // between list items and map entries: ", " or ","
  std::string_view key_separator;   // between a key and its value: ": " or ":"
  std::string_view null_text, true_text, false_text;
  void (*append_number)(std::string& out, const ir::Value& number);
  void (*append_string)(std::string& out, std::string_view s);
  bool keys_in_insertion_order;  // a map's keys as they were added, else sorted
};

/// Appends `v` to `out` in `style`.
void append_value_text(std::string& out, const ir::Value& v, const ValueTextStyle& style);

/// Appends `s` as a JSON string the way Python's `json.dumps` writes it by default (non-ASCII
/// as `\uXXXX`), so structured placeholders read back as the exact text the KFP SDK writes.
void append_json_string(std::string& out, std::string_view s);

}  // namespace kfpp::detail
