// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// A streaming writer of block-style YAML with the quoting kfpp needs: a string is written plain
/// only when no YAML 1.1 or 1.2 reader could take it for anything else; otherwise it is a literal
/// block when it spans lines, single-quoted when it can be without escapes, and double-quoted with
/// escapes when nothing else keeps every byte. No line is ever wrapped.
class YamlWriter {
 public:
  void begin_map();
  void end_map();
  void begin_seq();
  void end_seq();
  /// A map key; the next call writes its value.
  void key(std::string_view k);
  void string(std::string_view s);
  void integer(std::int64_t i);
  void number(double d);
  void boolean(bool b);
  void null();
  void value(const ir::Value& v);

  /// A whole `key: string` entry.
  void entry(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }

  /// Appends raw text before the document starts (comments).
  void comment_line(std::string_view text);
  [[nodiscard]] std::string take();
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

 private:
  struct Frame {
    bool is_map;
    int indent;
    std::size_t count = 0;
    bool inline_first;  // opened right after "- ": the first entry shares that line
  };
  void before_value();
  void open(bool is_map);
  void close(bool is_map);
  void write_inline_scalar(std::string_view s);

  std::string out_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

/// Whether `s` may be written as a plain scalar and read back as the same string.
[[nodiscard]] bool is_plain_safe(std::string_view s) noexcept;
/// `s` as a double-quoted YAML scalar.
void append_double_quoted(std::string& out, std::string_view s);
/// A double in a form every YAML reader takes for that float (`1.0`, `2.5e-07`, `.inf`).
[[nodiscard]] std::string format_double(double d);

}  // namespace kfpp::detail
