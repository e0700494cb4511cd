// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace kfpp::detail {

/// Appends `s` as a JSON string the way Python's `json.dumps` writes it by default (non-ASCII
/// as `\uXXXX`), so structured placeholders read back as the exact text the KFP SDK writes.
void append_json_string(std::string& out, std::string_view s);

}  // namespace kfpp::detail
