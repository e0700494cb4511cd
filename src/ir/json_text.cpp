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

}  // namespace kfpp::detail
