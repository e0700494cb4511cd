// SPDX-License-Identifier: Apache-2.0
#include "json_text.hpp"

#include <cstdint>

namespace kfpp::detail {

namespace {
void append_u16(std::string& out, std::uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xf];
}

// Decodes one UTF-8 sequence at `i`; malformed bytes decode as themselves (U+0080..U+00FF).
std::uint32_t decode_utf8(std::string_view s, std::size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  int extra = b0 >= 0xf0 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc0 ? 1 : 0;
  if (extra == 0 || i + static_cast<std::size_t>(extra) >= s.size()) return b0;
  std::uint32_t cp = b0 & (0x3fu >> extra);
  for (int k = 1; k <= extra; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xc0) != 0x80) return b0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  i += static_cast<std::size_t>(extra);
  return cp;
}
}  // namespace

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      append_u16(out, c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      std::uint32_t cp = decode_utf8(s, i);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        append_u16(out, 0xd800 + (cp >> 10));
        append_u16(out, 0xdc00 + (cp & 0x3ff));
      } else {
        append_u16(out, cp);
      }
    }
  }
  out += '"';
}

void append_value_text(std::string& out, const ir::Value& v, const ValueTextStyle& style) {
  if (v.is_null()) {
    out += style.null_text;
  } else if (v.is_bool()) {
    out += v.as_bool() ? style.true_text : style.false_text;
  } else if (v.is_number()) {
    style.append_number(out, v);
  } else if (v.is_string()) {
    style.append_string(out, v.as_string());
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += style.item_separator;
      first = false;
      append_value_text(out, item, style);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    const auto entry = [&](const std::string& key, const ir::Value& item) {
      if (!first) out += style.item_separator;
      first = false;
      style.append_string(out, key);
      out += style.key_separator;
      append_value_text(out, item, style);
    };
    if (style.keys_in_insertion_order) {
      for (const auto& key : v.key_order()) entry(key, v.as_object().at(key));
    } else {
      for (const auto& [key, item] : v.as_object()) entry(key, item);
    }
    out += '}';
  }
}

}  // namespace kfpp::detail
