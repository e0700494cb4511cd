// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// How a YamlWriter writes strings.
enum class YamlStyle {
  /// Exactly as PyYAML's `yaml.dump` does (the KFP SDK's files): plain, single- or double-quoted
  /// by PyYAML's rules, folded at width 80, non-ASCII escaped (`pyyaml_scalar.hpp`).
  pyyaml,
  /// For people: a string is written plain only when no YAML 1.1 or 1.2 reader could take it for
  /// anything else; otherwise it is a literal block when it spans lines, single-quoted when it
  /// can be without escapes, and double-quoted with escapes when nothing else keeps every byte. No
  /// line is ever wrapped.
  readable,
};

/// A streaming writer of block-style YAML, laid out as PyYAML lays it out (sequences under a key
/// at the key's column, maps in sequences after the dash), with the strings of `style`.
class YamlWriter {
 public:
  explicit YamlWriter(YamlStyle style = YamlStyle::readable) : style_(style) {}
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
  /// `v` as a protobuf Struct or Value holds it: every number is a double (`10.0`).
  void struct_value(const ir::Value& v);

  /// A whole `key: string` entry.
  void entry(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }

  /// Makes this writer write the items of a block sequence at `column`, as a piece of a larger
  /// document: what `take()` then gives goes into that document with `items_text`.
  void begin_items(int column);
  /// Appends items that a `begin_items(column)` writer wrote to the sequence being written: the
  /// same text as writing the items here (moved to this sequence's column when it is another).
  void items_text(std::string_view text, int column);

  /// Appends raw text before the document starts (comments).
  void comment_line(std::string_view text);
  /// Appends `text` as it is, before the document starts (a whole comment block).
  void raw(std::string_view text) { out_ += text; }
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
  void write_readable_scalar(std::string_view s);
  void write_value(const ir::Value& v, bool doubles);

  YamlStyle style_;
  std::string out_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
  bool complex_value_ = false;  // after `? key` and `:` (PyYAML's form of a long or odd key)
};

/// Whether `s` may be written as a plain scalar and read back as the same string.
[[nodiscard]] bool is_plain_safe(std::string_view s) noexcept;
/// `s` as a double-quoted YAML scalar.
void append_double_quoted(std::string& out, std::string_view s);
/// A double as PyYAML writes it, a form every YAML reader takes for that float (`1.0`,
/// `2.5e-07`, `1.0e+20`, `.inf`).
[[nodiscard]] std::string format_double(double d);

}  // namespace kfpp::detail
