// SPDX-License-Identifier: Apache-2.0
#include "yaml_writer.hpp"

#include "pyyaml_scalar.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace kfpp::detail {

namespace {

// `n` (at most four) bytes from `p` as one number, first byte lowest, upper-case ASCII letters
// lowered (`| 0x20` turns no other byte of a plain scalar into a letter).
constexpr std::uint32_t folded(const char* p, std::size_t n) noexcept {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= std::uint32_t{static_cast<unsigned char>(p[i] | 0x20)} << (8 * i);
  return v;
}

// Whether `s` (plain-scalar bytes) is a word YAML 1.1 reads as a boolean or null, in any case:
// by its length, one or two comparisons of numbers.
bool yaml11_word(std::string_view s) noexcept {
  const char* p = s.data();
  switch (s.size()) {
    case 1: {
      const std::uint32_t v = folded(p, 1);
      return v == folded("y", 1) || v == folded("n", 1);
    }
    case 2: {
      const std::uint32_t v = folded(p, 2);
      return v == folded("no", 2) || v == folded("on", 2);
    }
    case 3: {
      const std::uint32_t v = folded(p, 3);
      return v == folded("yes", 3) || v == folded("off", 3);
    }
    case 4: {
      const std::uint32_t v = folded(p, 4);
      return v == folded("true", 4) || v == folded("null", 4);
    }
    case 5:
      return folded(p, 4) == folded("fals", 4) && (p[4] | 0x20) == 'e';
    default:
      return false;
  }
}

// U+0085, U+2028, U+2029 and U+FEFF are line breaks or marks to some YAML readers. When the UTF-8
// text at `i` is one of them, returns its escape; otherwise an empty view.
std::string_view special_mark(std::string_view s, std::size_t i) noexcept {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (at(i) == 0xc2 && i + 1 < s.size() && at(i + 1) == 0x85) return "\\u0085";
  if (at(i) == 0xe2 && i + 2 < s.size() && at(i + 1) == 0x80 && at(i + 2) == 0xa8) return "\\u2028";
  if (at(i) == 0xe2 && i + 2 < s.size() && at(i + 1) == 0x80 && at(i + 2) == 0xa9) return "\\u2029";
  if (at(i) == 0xef && i + 2 < s.size() && at(i + 1) == 0xbb && at(i + 2) == 0xbf) return "\\uFEFF";
  return {};
}

// What is_plain_safe needs to know of each byte: whether it may be in a plain scalar at all, and
// whether it is the ':' that must not be followed by a blank. One table lookup a byte instead of
// a chain of comparisons.
constexpr std::uint8_t kNotPlain = 1;
constexpr std::uint8_t kColon = 2;
constexpr std::array<std::uint8_t, 256> kPlainClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '.' || c == '/' || c == '-' || c == '=' || c == '+' ||
                       c == '@' || c == ' ' || c == ':' || c == ',' || c == '(' || c == ')';
    t[static_cast<std::size_t>(c)] = plain ? (c == ':' ? kColon : 0) : kNotPlain;
  }
  return t;
}();

// The classes of every byte of `s`, or-ed together.
unsigned plain_classes(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  unsigned acc = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    acc |=
        kPlainClass[p[i]] | kPlainClass[p[i + 1]] | kPlainClass[p[i + 2]] | kPlainClass[p[i + 3]];
  for (; i < n; ++i) acc |= kPlainClass[p[i]];
  return acc;
}

// A string that spans lines reads best as a literal block; it is used only where the block keeps
// every byte: printable text, no line made of blanks alone, no carriage returns.
bool literal_block_safe(std::string_view s) noexcept {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.find_first_not_of('\n') == std::string_view::npos) return false;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      std::string_view line = s.substr(line_start, i - line_start);
      if (!line.empty() && line.find_first_not_of(" \t") == std::string_view::npos) return false;
      if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
      line_start = i + 1;
      continue;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    if (!special_mark(s, i).empty()) return false;
  }
  return true;
}

// Single quotes need no escapes, so they read best; they carry any single-line printable text
// except the quote itself (which would have to be doubled) and the characters some readers take
// for line breaks or marks.
bool single_quote_byte_safe(std::string_view s, std::size_t i) noexcept {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == '\'') return false;
  if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  if (c >= 0x80 && !special_mark(s, i).empty()) return false;  // marks are non-ASCII
  return true;
}

// Whether any byte of the eight in `x` needs a look of its own: below 0x20, the quote, 0x7f or
// not ASCII. Exact for "any" (the usual zero-byte test), so a word it passes holds none of them.
constexpr bool word_needs_look(std::uint64_t x) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  const bool below_blank = ((x - kOnes * 0x20) & ~x & kHigh) != 0;
  return below_blank || has_zero(x ^ (kOnes * '\'')) || has_zero(x ^ (kOnes * 0x7f)) ||
         (x & kHigh) != 0;
}

bool single_quote_safe(std::string_view s) noexcept {
  const std::size_t n = s.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    if (!word_needs_look(x)) continue;
    for (std::size_t k = i; k < i + 8; ++k)
      if (!single_quote_byte_safe(s, k)) return false;
  }
  for (; i < n; ++i)
    if (!single_quote_byte_safe(s, i)) return false;
  return true;
}

}  // namespace

bool is_plain_safe(std::string_view s) noexcept {
  if (s.empty() || s.size() > 200) return false;
  char first = s.front();
  bool letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  // A leading '-' starts a plain scalar only when a letter or '-' follows (`-c`, `--flag`).
  bool flag = first == '-' && s.size() > 1 &&
              ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z') || s[1] == '-');
  if (!letter && !flag && first != '_' && first != '/') return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  const unsigned classes = plain_classes(s);
  if ((classes & kNotPlain) != 0) return false;
  // ": " would start a mapping value.
  if ((classes & kColon) != 0 && s.find(": ") != std::string_view::npos) return false;
  // YAML 1.1 reads these words as booleans or null, whatever their case.
  return s.size() > 5 || !yaml11_word(s);
}

void append_double_quoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
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
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\0':
        out += "\\0";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      continue;
    }
    if (auto mark = special_mark(s, i); !mark.empty()) {
      out += mark;
      i += mark == "\\u0085" ? 1 : 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
}

std::string format_double(double d) { return pyyaml_float(d); }

void YamlWriter::comment_line(std::string_view text) {
  out_ += '#';
  if (!text.empty()) {
    out_ += ' ';
    out_ += text;
  }
  out_ += '\n';
}

void YamlWriter::before_value() {
  if (stack_.empty()) return;
  Frame& f = stack_.back();
  if (f.is_map) {
    if (!after_key_) throw std::logic_error("YamlWriter: a map value without a key");
    return;
  }
  // A sequence item.
  if (f.count > 0 || !f.inline_first) {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(f.indent), ' ');
  }
  out_ += "- ";
  ++f.count;
}

namespace {

// A line break and the blanks of the deepest indentation written in one append; deeper lines
// (rare: 126 levels of maps) take their blanks one append more.
constexpr std::size_t kBlanks = 252;
constexpr std::array<char, kBlanks + 1> kNewLine = [] {
  std::array<char, kBlanks + 1> a{};
  a[0] = '\n';
  for (std::size_t i = 1; i < a.size(); ++i) a[i] = ' ';
  return a;
}();

void new_line(std::string& out, int indent) {
  const auto n = static_cast<std::size_t>(indent);
  if (n <= kBlanks) {
    out.append(kNewLine.data(), n + 1);
  } else {
    out += '\n';
    out.append(n, ' ');
  }
}

}  // namespace

YamlWriter::Frame& YamlWriter::start_key() {
  Frame& f = stack_.back();
  if (f.count > 0 || !f.inline_first) new_line(out_, f.indent);
  ++f.count;
  after_key_ = true;
  return f;
}

void YamlWriter::key(std::string_view k) {
  // Most keys are names written as they are: the whole line in one append. (PyYAML writes a
  // key of 128 characters or more as `? key`.)
  const bool as_is =
      style_ == YamlStyle::pyyaml ? k.size() < 128 && pyyaml_plain_word(k) : is_plain_safe(k);
  if (as_is && key_line(k, nullptr)) return;
  const Frame& f = start_key();
  if (style_ == YamlStyle::pyyaml) {
    if (append_pyyaml_simple_key(out_, k, f.indent + 2)) {
      out_ += ':';
    } else {
      // `? key` on its own, then `:` at the map's column, the value after it.
      out_ += '?';
      append_pyyaml_string(out_, k, f.indent + 2, false, true);
      out_ += '\n';
      out_.append(static_cast<std::size_t>(f.indent), ' ');
      out_ += ':';
      complex_value_ = true;
    }
    return;
  }
  if (is_plain_safe(k)) {
    out_ += k;
  } else if (single_quote_safe(k)) {
    (out_ += '\'') += k;
    out_ += '\'';
  } else {
    append_double_quoted(out_, k);
  }
  out_ += ':';
}

bool YamlWriter::key_line(std::string_view key, const std::string_view* value, bool quoted) {
  Frame& f = stack_.back();
  const bool own_line = f.count > 0 || !f.inline_first;
  const std::size_t blanks = own_line ? static_cast<std::size_t>(f.indent) : 0;
  std::array<char, 192> line;
  const std::size_t quotes = quoted ? 2 : 0;
  if (blanks + key.size() + (value ? value->size() + 1 + quotes : 0) + 2 > line.size())
    return false;
  ++f.count;
  std::size_t n = 0;
  if (own_line) {
    line[n++] = '\n';
    std::memset(line.data() + n, ' ', blanks);
    n += blanks;
  }
  std::memcpy(line.data() + n, key.data(), key.size());
  n += key.size();
  line[n++] = ':';
  if (value) {
    line[n++] = ' ';
    if (quoted) line[n++] = '\'';
    std::memcpy(line.data() + n, value->data(), value->size());
    n += value->size();
    if (quoted) line[n++] = '\'';
    complex_value_ = false;
  }
  after_key_ = value == nullptr;
  out_.append(line.data(), n);
  return true;
}

void YamlWriter::word_key(Word k) {
  // The emitters write hundreds of thousands of these: one append each.
  if (key_line(k.text(), nullptr)) return;
  start_key();
  out_ += k.text();
  out_ += ':';
}

void YamlWriter::word_entry(Word k, std::string_view s) {
  // Most values are names written as they are, or (readable) single-quoted references: the whole
  // line in one append.
  if (style_ == YamlStyle::pyyaml) {
    if (pyyaml_plain_word(s) && key_line(k.text(), &s)) return;
  } else if (is_plain_safe(s)) {
    if (key_line(k.text(), &s)) return;
  } else if (single_quote_safe(s)) {
    if (key_line(k.text(), &s, true)) return;
  }
  word_key(k);
  string(s);
}

void YamlWriter::open(bool is_map) {
  if (stack_.empty()) {
    stack_.push_back(Frame{is_map, 0, 0, true});
    return;
  }
  Frame parent = stack_.back();
  if (parent.is_map && complex_value_) {
    // After `? key` / `:`, a map or a sequence starts on the colon's line, two deeper.
    out_ += ' ';
    stack_.push_back(Frame{is_map, parent.indent + 2, 0, true});
    complex_value_ = false;
  } else if (parent.is_map) {
    // Under a key: a map is indented two more, a sequence sits at the key's column.
    stack_.push_back(Frame{is_map, is_map ? parent.indent + 2 : parent.indent, 0, false});
  } else {
    before_value();
    stack_.push_back(Frame{is_map, parent.indent + 2, 0, true});
  }
  after_key_ = false;
}

void YamlWriter::close(bool is_map) {
  Frame f = stack_.back();
  stack_.pop_back();
  if (f.count == 0) {
    if (!f.inline_first) out_ += ' ';
    out_ += is_map ? "{}" : "[]";
  }
  if (stack_.empty()) out_ += '\n';
  after_key_ = false;
}

void YamlWriter::begin_items(int column) { stack_.push_back(Frame{false, column, 0, false}); }

void YamlWriter::items_text(std::string_view text, int column) {
  Frame& f = stack_.back();
  if (f.is_map) throw std::logic_error("YamlWriter: sequence items inside a map");
  if (column == f.indent && (f.count > 0 || !f.inline_first)) {
    out_ += text;
    ++f.count;
    after_key_ = false;
    return;
  }
  // The text is lines of block YAML, each after a newline. Every line with content moves by the
  // difference of the columns (lines of a literal block keep their place relative to the items);
  // empty lines stay empty. The first item of a sequence opened after "- " shares that line.
  const int shift = f.indent - column;
  auto put = [&](std::string_view line) {  // one line with content
    if (shift >= 0) {
      out_.append(static_cast<std::size_t>(shift), ' ');
      out_ += line;
    } else {
      out_ += line.substr(std::min(line.size(), static_cast<std::size_t>(-shift)));
    }
  };
  std::size_t at = 0;
  if (f.count == 0 && f.inline_first && !text.empty() && text.front() == '\n') {
    // The first line without its newline and indentation: it follows the parent's "- ".
    const std::size_t end = std::min(text.find('\n', 1), text.size());
    out_ += text.substr(1, end - 1).substr(static_cast<std::size_t>(column));
    at = end;
  }
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at + 1), text.size());
    out_ += '\n';
    if (end - at > 1) put(text.substr(at + 1, end - at - 1));
    at = end;
  }
  ++f.count;
  after_key_ = false;
}

void YamlWriter::begin_map() { open(true); }
void YamlWriter::end_map() { close(true); }
void YamlWriter::begin_seq() { open(false); }
void YamlWriter::end_seq() { close(false); }

void YamlWriter::write_inline_scalar(std::string_view s) {
  before_value();
  bool under_key = !stack_.empty() && stack_.back().is_map;
  complex_value_ = false;
  if (style_ == YamlStyle::pyyaml) {
    int indent = stack_.empty() ? 2 : stack_.back().indent + 2;
    append_pyyaml_string(out_, s, indent, false, under_key || stack_.empty());
    after_key_ = false;
    return;
  }
  if (under_key) out_ += ' ';
  write_readable_scalar(s);
  after_key_ = false;
}

void YamlWriter::write_readable_scalar(std::string_view s) {
  if (is_plain_safe(s)) {
    out_ += s;
  } else if (single_quote_safe(s)) {
    // (Never a text that spans lines: a line break is not single-quote safe.)
    (out_ += '\'') += s;
    out_ += '\'';
  } else if (!stack_.empty() && literal_block_safe(s)) {
    // Content two deeper than the key's map or the item's dash, stated explicitly so that
    // leading blanks stay content.
    int indent = stack_.back().indent + 2;
    std::size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    out_ += "|2";
    out_ += trailing == 0 ? "-" : trailing == 1 ? "" : "+";
    std::size_t line_start = 0;
    std::string_view body = s.substr(0, s.size() - (trailing == 0 ? 0 : trailing));
    for (std::size_t i = 0; i <= body.size(); ++i) {
      if (i == body.size() || body[i] == '\n') {
        out_ += '\n';
        std::string_view line = body.substr(line_start, i - line_start);
        if (!line.empty()) {
          out_.append(static_cast<std::size_t>(indent), ' ');
          out_ += line;
        }
        line_start = i + 1;
      }
    }
    // Keep-chomping: every further newline is an empty line of content.
    for (std::size_t i = 1; i < trailing; ++i) out_ += '\n';
  } else {
    append_double_quoted(out_, s);
  }
}

void YamlWriter::string(std::string_view s) { write_inline_scalar(s); }

void YamlWriter::integer(std::int64_t i) {
  before_value();
  if (!stack_.empty() && stack_.back().is_map) out_ += ' ';
  complex_value_ = false;
  out_ += std::to_string(i);
  after_key_ = false;
}

void YamlWriter::number(double d) {
  before_value();
  if (!stack_.empty() && stack_.back().is_map) out_ += ' ';
  complex_value_ = false;
  out_ += format_double(d);
  after_key_ = false;
}

void YamlWriter::boolean(bool b) {
  before_value();
  if (!stack_.empty() && stack_.back().is_map) out_ += ' ';
  complex_value_ = false;
  out_ += b ? "true" : "false";
  after_key_ = false;
}

void YamlWriter::null() {
  before_value();
  if (!stack_.empty() && stack_.back().is_map) out_ += ' ';
  complex_value_ = false;
  out_ += "null";
  after_key_ = false;
}

void YamlWriter::value(const ir::Value& v) { write_value(v, false); }
void YamlWriter::struct_value(const ir::Value& v) { write_value(v, true); }

void YamlWriter::write_value(const ir::Value& v, bool doubles) {
  if (v.is_null()) {
    null();
  } else if (v.is_bool()) {
    boolean(v.as_bool());
  } else if (v.is_int()) {
    if (doubles)
      number(static_cast<double>(v.as_int()));
    else
      integer(v.as_int());
  } else if (v.is_double()) {
    number(v.as_double());
  } else if (v.is_string()) {
    string(v.as_string());
  } else if (v.is_array()) {
    begin_seq();
    for (const auto& item : v.as_array()) write_value(item, doubles);
    end_seq();
  } else {
    begin_map();
    for (const auto& [k, item] : v.as_object()) {
      key(k);
      write_value(item, doubles);
    }
    end_map();
  }
}

void YamlWriter::repeat_entries(std::size_t from, std::size_t to) {
  if (from == to) return;
  if (stack_.empty() || !stack_.back().is_map || after_key_ ||
      (stack_.back().count == 0 && stack_.back().inline_first) || from > to || to > out_.size())
    throw std::logic_error("YamlWriter: entries repeated where they would not start a line");
  out_.append(out_, from, to - from);
  ++stack_.back().count;
}

std::string YamlWriter::take() { return std::move(out_); }

}  // namespace kfpp::detail
