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

/// A key every YAML writer and reader takes as written: ASCII letters only, and not one of the
/// words YAML 1.1 reads as a boolean or null (`y`, `no`, `on`, `null`, … in any case). Checked
/// when the program is compiled, so that a writer can skip looking at the text.
/// Example: `w.word_key("taskInfo");`
class Word {
 public:
  consteval Word(const char* s) : text_(s) {  // NOLINT: made from literals
    std::size_t n = 0;
    for (; s[n] != '\0'; ++n)
      if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        throw "a Word is ASCII letters only";
    if (n == 0) throw "a Word is not empty";
    constexpr const char* kWords[] = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"};
    for (const char* w : kWords) {
      std::size_t i = 0;
      while (w[i] != '\0' && i < n && (s[i] | 0x20) == w[i]) ++i;
      if (w[i] == '\0' && i == n) throw "a Word is not a YAML 1.1 boolean or null";
    }
    text_ = std::string_view(s, n);
  }
  [[nodiscard]] constexpr std::string_view text() const noexcept { return text_; }

 private:
  std::string_view text_;
};

/// A streaming writer of block-style YAML, laid out as PyYAML lays it out (sequences under a key
/// at the key's column, maps in sequences after the dash), with the strings of `style`.
class YamlWriter {
 public:
  explicit YamlWriter(YamlStyle style = YamlStyle::readable) : style_(style) {
    stack_.reserve(16);  // deeper than the documents written: no growing on the way down
  }
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
  /// A map key known to be plain: written without looking at it.
  void word_key(Word k);
  /// A whole `word: string` entry.
  void word_entry(Word k, std::string_view s);

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

  /// Where the next byte goes: a mark for `repeat_entries`.
  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  /// Writes again, as further entries of the current map, what was written between marks `from`
  /// and `to`: whole entries of an earlier map at the same depth, the first of them written (as
  /// the next entry here will be) on a line of its own, i.e. after an entry or in a map under a
  /// key. Throws std::logic_error when the current map's next entry would not start a line.
  void repeat_entries(std::size_t from, std::size_t to);

 private:
  struct Frame {
    bool is_map;
    int indent;
    std::uint32_t count = 0;  // (16 bytes a frame)
    bool inline_first;        // opened right after "- ": the first entry shares that line
  };
  void before_value();
  // Starts the next entry of the current map: a new line unless it shares the dash's line.
  Frame& start_key();
  // Starts the next entry of the current map with `key:` and, when `value` is given, ` value`
  // (` 'value'` when `quoted`), all in one append; false, with nothing written, when the line is
  // too long for that.
  bool key_line(std::string_view key, const std::string_view* value, bool quoted = false);
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
