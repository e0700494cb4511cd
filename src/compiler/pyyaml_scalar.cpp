// SPDX-License-Identifier: Apache-2.0
#include "pyyaml_scalar.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

namespace kfpp::detail {

namespace {

constexpr int kWidth = 80;  // PyYAML's best_width

// ---- the YAML 1.1 resolver: what a plain scalar would be read as ----

bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A cursor over the text, for the resolver's patterns (each one deterministic enough that a
// greedy walk decides it).
struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  [[nodiscard]] bool done() const noexcept { return i == s.size(); }
  [[nodiscard]] char peek(std::size_t k = 0) const noexcept {
    return i + k < s.size() ? s[i + k] : '\0';
  }
  bool eat(char c) noexcept {
    if (peek() != c || done()) return false;
    ++i;
    return true;
  }
  void sign() noexcept {
    if (peek() == '-' || peek() == '+') ++i;
  }
  template <class F>
  std::size_t run(F&& f) noexcept {
    std::size_t n = 0;
    while (!done() && f(s[i])) ++i, ++n;
    return n;
  }
  std::size_t digits_or_underscores() noexcept {
    return run([](char c) { return digit(c) || c == '_'; });
  }
  // `[eE][-+][0-9]+`, optional.
  bool exponent() noexcept {
    if (peek() != 'e' && peek() != 'E') return true;
    ++i;
    if (peek() != '-' && peek() != '+') return false;
    ++i;
    return run(digit) > 0;
  }
  // `(:[0-5]?[0-9])+`
  bool sexagesimal() noexcept {
    std::size_t groups = 0;
    while (eat(':')) {
      std::size_t n = run(digit);
      if (n == 0 || n > 2 || (n == 2 && s[i - 2] > '5')) return false;
      ++groups;
    }
    return groups > 0;
  }
};

bool is_bool_word(std::string_view s) noexcept {
  static constexpr std::array<std::string_view, 18> kWords{
      "yes",   "Yes",   "YES",   "no", "No", "NO", "true", "True", "TRUE",
      "false", "False", "FALSE", "on", "On", "ON", "off",  "Off",  "OFF"};
  for (auto w : kWords)
    if (s == w) return true;
  return false;
}

bool is_float(std::string_view s) noexcept {
  if (s.empty()) return false;
  {  // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
    Cursor c{s};
    c.sign();
    if (digit(c.peek()) && !c.done()) {
      c.digits_or_underscores();
      if (c.eat('.')) {
        c.digits_or_underscores();
        if (c.exponent() && c.done()) return true;
      }
    }
  }
  {  // \.[0-9][0-9_]*([eE][-+][0-9]+)?
    Cursor c{s};
    if (c.eat('.') && digit(c.peek()) && !c.done()) {
      c.digits_or_underscores();
      if (c.exponent() && c.done()) return true;
    }
  }
  {  // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    Cursor c{s};
    c.sign();
    if (digit(c.peek()) && !c.done()) {
      c.digits_or_underscores();
      if (c.sexagesimal() && c.eat('.')) {
        c.digits_or_underscores();
        if (c.done()) return true;
      }
    }
  }
  {  // [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN)
    Cursor c{s};
    c.sign();
    std::string_view rest = s.substr(c.i);
    if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  }
  return false;
}

bool is_int(std::string_view s) noexcept {
  Cursor c{s};
  c.sign();
  std::string_view rest = s.substr(c.i);
  if (rest.empty()) return false;
  auto all = [&](std::string_view t, auto pred) {
    if (t.empty()) return false;
    for (char ch : t)
      if (!pred(ch)) return false;
    return true;
  };
  if (rest.size() > 2 && rest.substr(0, 2) == "0b")
    return all(rest.substr(2), [](char ch) { return ch == '0' || ch == '1' || ch == '_'; });
  if (rest.size() > 2 && rest.substr(0, 2) == "0x")
    return all(rest.substr(2), [](char ch) {
      return digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') || ch == '_';
    });
  if (rest == "0") return true;
  if (rest[0] == '0')
    return all(rest.substr(1), [](char ch) { return (ch >= '0' && ch <= '7') || ch == '_'; });
  if (rest[0] < '1' || rest[0] > '9') return false;
  if (rest.size() == 1 || all(rest.substr(1), [](char ch) { return digit(ch) || ch == '_'; }))
    return true;
  // [1-9][0-9_]*(:[0-5]?[0-9])+
  Cursor t{rest};
  t.digits_or_underscores();
  return t.sexagesimal() && t.done();
}

bool is_timestamp(std::string_view s) noexcept {
  Cursor c{s};
  auto fixed = [&](std::size_t n) {
    for (std::size_t k = 0; k < n; ++k)
      if (!digit(c.peek()) || c.done())
        return false;
      else
        ++c.i;
    return true;
  };
  auto one_or_two = [&] {
    std::size_t n = c.run(digit);
    return n == 1 || n == 2;
  };
  {  // [0-9]{4}-[0-9]{2}-[0-9]{2}
    Cursor save = c;
    if (fixed(4) && c.eat('-') && fixed(2) && c.eat('-') && fixed(2) && c.done()) return true;
    c = save;
  }
  if (!(fixed(4) && c.eat('-') && one_or_two() && c.eat('-') && one_or_two())) return false;
  if (c.peek() == 'T' || c.peek() == 't') {
    ++c.i;
  } else if (c.run([](char ch) { return ch == ' ' || ch == '\t'; }) == 0) {
    return false;
  }
  if (!(one_or_two() && c.eat(':') && fixed(2) && c.eat(':') && fixed(2))) return false;
  if (c.eat('.')) c.run(digit);
  if (c.done()) return true;
  c.run([](char ch) { return ch == ' ' || ch == '\t'; });
  if (c.eat('Z')) return c.done();
  if (c.peek() != '-' && c.peek() != '+') return false;
  ++c.i;
  if (!one_or_two()) return false;
  if (c.eat(':') && !fixed(2)) return false;
  return c.done();
}

// ---- code points ----

constexpr char32_t kNel = 0x85, kLineSep = 0x2028, kParaSep = 0x2029, kBom = 0xFEFF;

bool is_break(char32_t c) noexcept {
  return c == '\n' || c == kNel || c == kLineSep || c == kParaSep;
}
bool is_blank_or_end(char32_t c) noexcept {
  return c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c);
}

// Decodes UTF-8; a byte that is not part of a valid sequence becomes U+DC80 + byte, as Python's
// `surrogateescape` does, so that it is escaped rather than lost.
std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  for (std::size_t i = 0; i < s.size();) {
    unsigned char b = at(i);
    std::size_t n = b < 0x80           ? 1
                    : (b >> 5) == 0x6  ? 2
                    : (b >> 4) == 0xe  ? 3
                    : (b >> 3) == 0x1e ? 4
                                       : 0;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1f) : n == 3 ? (b & 0x0f) : (b & 0x07);
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      if ((at(i + k) & 0xc0) != 0x80) ok = false;
      cp = (cp << 6) | (at(i + k) & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if (ok && ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
               (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF))
      ok = false;
    if (!ok) {
      out += static_cast<char32_t>(0xDC80 + b);
      ++i;
      continue;
    }
    out += cp;
    i += n;
  }
  return out;
}

struct Analysis {
  bool empty = false;
  bool multiline = false;
  bool allow_block_plain = true;
  bool allow_single_quoted = true;
};

// PyYAML's analyze_scalar, for the block context and without unicode output.
template <class Text>
Analysis analyze(const Text& s) {
  Analysis a;
  if (s.empty()) {
    a.empty = true;
    return a;
  }
  bool block_indicators = false;
  bool line_breaks = false;
  bool special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false;
  auto starts = [&](const char* p) {
    return s.size() >= 3 && s[0] == static_cast<unsigned char>(p[0]) &&
           s[1] == static_cast<unsigned char>(p[1]) && s[2] == static_cast<unsigned char>(p[2]);
  };
  if (starts("---") || starts("...")) block_indicators = true;
  bool preceded_by_ws = true;
  bool followed_by_ws = s.size() == 1 || is_blank_or_end(static_cast<char32_t>(s[1]));
  bool previous_space = false, previous_break = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto ch = static_cast<char32_t>(s[i]);
    if (i == 0) {
      if (ch == '#' || ch == ',' || ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '&' ||
          ch == '*' || ch == '!' || ch == '|' || ch == '>' || ch == '\'' || ch == '"' ||
          ch == '%' || ch == '@' || ch == '`')
        block_indicators = true;
      if ((ch == '?' || ch == ':') && followed_by_ws) block_indicators = true;
      if (ch == '-' && followed_by_ws) block_indicators = true;
    } else {
      if (ch == ':' && followed_by_ws) block_indicators = true;
      if (ch == '#' && preceded_by_ws) block_indicators = true;
    }
    if (is_break(ch)) line_breaks = true;
    if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e))) special = true;  // no unicode output
    if (ch == ' ') {
      if (i == 0) leading_space = true;
      if (i + 1 == s.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(ch)) {
      if (i == 0) leading_break = true;
      if (i + 1 == s.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_ws = is_blank_or_end(ch);
    followed_by_ws = i + 2 >= s.size() || is_blank_or_end(static_cast<char32_t>(s[i + 2]));
  }
  if (leading_space || leading_break || trailing_space || trailing_break)
    a.allow_block_plain = false;
  if (break_space) a.allow_block_plain = a.allow_single_quoted = false;
  if (space_break || special) a.allow_block_plain = a.allow_single_quoted = false;
  if (line_breaks) a.allow_block_plain = false;
  if (block_indicators) a.allow_block_plain = false;
  a.multiline = line_breaks;
  return a;
}

// The writer's state, as PyYAML's emitter keeps it for the current line.
struct Line {
  std::string& out;
  int indent;
  int column;
  bool whitespace = false;
  bool indention = false;

  void put(char c) {
    out += c;
    ++column;
  }
  template <class Text>
  void put(const Text& s, std::size_t from, std::size_t to) {
    if constexpr (std::is_same_v<Text, std::string_view>) {
      if (from < to) out.append(s.data() + from, to - from);
    } else {
      for (std::size_t k = from; k < to; ++k) out += static_cast<char>(s[k]);  // ASCII only here
    }
    // Right after an escape `from` may be one past `to`: nothing is written.
    column += static_cast<int>(to - from);
  }
  void line_break() {
    out += '\n';
    column = 0;
    whitespace = indention = true;
  }
  void write_indent() {
    if (!indention || column > indent || (column == indent && !whitespace)) line_break();
    if (column < indent) {
      whitespace = true;
      out.append(static_cast<std::size_t>(indent - column), ' ');
      column = indent;
    }
  }
};

template <class Text>
void write_plain(Line& l, const Text& s, bool split) {
  if (!l.whitespace) l.put(' ');
  l.whitespace = l.indention = false;
  bool spaces = false;
  std::size_t start = 0;
  for (std::size_t end = 0; end <= s.size(); ++end) {
    char32_t ch = end < s.size() ? static_cast<char32_t>(s[end]) : 0;
    bool at_end = end == s.size();
    if (spaces) {
      if (at_end || ch != ' ') {
        if (start + 1 == end && l.column > kWidth && split) {
          l.write_indent();
          l.whitespace = l.indention = false;
        } else {
          l.put(s, start, end);
        }
        start = end;
      }
    } else if (at_end || ch == ' ') {
      l.put(s, start, end);
      start = end;
    }
    if (!at_end) spaces = ch == ' ';
  }
}

template <class Text>
void write_single_quoted(Line& l, const Text& s, bool split) {
  if (!l.whitespace) l.put(' ');
  l.put('\'');
  bool spaces = false, breaks = false;
  std::size_t start = 0;
  for (std::size_t end = 0; end <= s.size(); ++end) {
    bool at_end = end == s.size();
    char32_t ch = at_end ? 0 : static_cast<char32_t>(s[end]);
    if (spaces) {
      if (at_end || ch != ' ') {
        if (start + 1 == end && l.column > kWidth && split && start != 0 && end != s.size())
          l.write_indent();
        else
          l.put(s, start, end);
        start = end;
      }
    } else if (breaks) {
      if (at_end || !is_break(ch)) {
        if (s[start] == '\n') l.line_break();
        for (std::size_t k = start; k < end; ++k) l.line_break();  // only '\n' reaches here
        l.write_indent();
        start = end;
      }
    } else if (at_end || ch == ' ' || is_break(ch) || ch == '\'') {
      if (start < end) {
        l.put(s, start, end);
        start = end;
      }
    }
    if (ch == '\'' && !at_end) {
      l.put('\'');
      l.put('\'');
      start = end + 1;
    }
    if (!at_end) {
      spaces = ch == ' ';
      breaks = is_break(ch);
    }
  }
  l.put('\'');
  l.whitespace = false;
}

void put_escape(Line& l, char32_t ch) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  char simple = 0;
  switch (ch) {
    case 0:
      simple = '0';
      break;
    case 0x07:
      simple = 'a';
      break;
    case 0x08:
      simple = 'b';
      break;
    case 0x09:
      simple = 't';
      break;
    case 0x0A:
      simple = 'n';
      break;
    case 0x0B:
      simple = 'v';
      break;
    case 0x0C:
      simple = 'f';
      break;
    case 0x0D:
      simple = 'r';
      break;
    case 0x1B:
      simple = 'e';
      break;
    case '"':
      simple = '"';
      break;
    case '\\':
      simple = '\\';
      break;
    case kNel:
      simple = 'N';
      break;
    case 0xA0:
      simple = '_';
      break;
    case kLineSep:
      simple = 'L';
      break;
    case kParaSep:
      simple = 'P';
      break;
    default:
      break;
  }
  l.put('\\');
  if (simple) {
    l.put(simple);
    return;
  }
  int digits = ch <= 0xFF ? 2 : ch <= 0xFFFF ? 4 : 8;
  l.put(digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
  for (int k = digits - 1; k >= 0; --k) l.put(kHex[(ch >> (4 * k)) & 0xf]);
}

template <class Text>
void write_double_quoted(Line& l, const Text& s, bool split) {
  if (!l.whitespace) l.put(' ');
  l.put('"');
  std::size_t start = 0;
  const std::size_t n = s.size();
  for (std::size_t end = 0; end <= n; ++end) {
    bool at_end = end == n;
    char32_t ch = at_end ? 0 : static_cast<char32_t>(s[end]);
    if (at_end || ch == '"' || ch == '\\' || ch == kNel || ch == kLineSep || ch == kParaSep ||
        ch == kBom || !(ch >= 0x20 && ch <= 0x7e)) {
      if (start < end) {
        l.put(s, start, end);
        start = end;
      }
      if (!at_end) {
        put_escape(l, ch);
        start = end + 1;
      }
    }
    if (end > 0 && end + 1 < n && (ch == ' ' || start >= end) &&
        l.column + static_cast<int>(end - start) > kWidth && split) {
      l.put(s, start, end);
      l.put('\\');
      if (start < end) start = end;
      l.write_indent();
      l.whitespace = l.indention = false;
      if (static_cast<char32_t>(s[start]) == ' ') l.put('\\');
    }
  }
  l.put('"');
  l.whitespace = false;
}

template <class Text>
void write_scalar(std::string& out, const Text& s, bool plain_resolves_to_string, int indent,
                  bool simple_key, bool space_before) {
  Analysis a = analyze(s);
  std::size_t line_start = out.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  Line l{out, indent, static_cast<int>(out.size() - line_start), !space_before};
  bool split = !simple_key;
  if (plain_resolves_to_string && !(simple_key && (a.empty || a.multiline)) &&
      a.allow_block_plain) {
    write_plain(l, s, split);
  } else if (a.allow_single_quoted && !(simple_key && a.multiline)) {
    write_single_quoted(l, s, split);
  } else {
    write_double_quoted(l, s, split);
  }
}

}  // namespace

bool pyyaml_plain_is_string(std::string_view s) {
  if (s.empty()) return false;  // null
  // A letter starts no number, timestamp or symbol; only the bool and null words are not
  // strings, and they are at most five letters long, each starting with one of `yntfo`.
  const bool letter = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
  if (letter && (s.size() > 5 || std::string_view("yYnNtTfFoO").find(s[0]) == s.npos)) return true;
  if (s == "~" || s == "null" || s == "Null" || s == "NULL") return false;
  if (s == "<<" || s == "=" || s == "!" || s == "&" || s == "*") return false;
  if (is_bool_word(s)) return false;
  char first = s[0];
  if (digit(first) || first == '-' || first == '+' || first == '.') {
    if (is_float(s) || is_int(s)) return false;
    if (digit(first) && is_timestamp(s)) return false;
  }
  return true;
}

bool pyyaml_simple_key(std::string_view s) {
  if (s.empty()) return false;
  if (s.size() < 128) {  // ASCII without a line break, in fewer bytes than the limit
    bool plain_ascii = true;
    for (char c : s)
      if (static_cast<unsigned char>(c) >= 0x80 || c == '\n') {
        plain_ascii = false;
        break;
      }
    if (plain_ascii) return true;
  }
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) ++chars;
    if (b == '\n') return false;
    // U+0085, U+2028 and U+2029 are line breaks too.
    if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return false;
    if (b == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xa9))
      return false;
  }
  return chars < 128;
}

namespace {

constexpr std::array<bool, 256> kWordByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                     (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
                                     c == '-';
  return t;
}();

bool word_char(char c) noexcept { return kWordByte[static_cast<unsigned char>(c)]; }

// Letters, digits and `_./-` alone, as most names, keys and images are: no indicator, no space to
// fold at, nothing to escape. (`-` alone and a leading `---` or `...` are indicators.)
bool word_like(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!word_char(c)) return false;
  const char first = s[0];
  if (first != '-' && first != '.') return true;
  if (s.size() == 1) return first == '.';
  return !(s.size() >= 3 && s[1] == first && s[2] == first);
}

// What analyze() and write_plain() or write_single_quoted() make of word-like text, without
// walking it three times.
void append_word(std::string& out, std::string_view s, bool space_before) {
  if (space_before) out += ' ';
  if (pyyaml_plain_is_string(s)) {
    out += s;
  } else {
    (out += '\'') += s;
    out += '\'';
  }
}

}  // namespace

bool pyyaml_plain_word(std::string_view s) noexcept {
  if (!word_like(s)) return false;
  // The common case of pyyaml_plain_is_string, without its call: a name starting with a
  // letter that no bool or null word starts with, or longer than all of them.
  const char first = s[0];
  const bool letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  const char lower = static_cast<char>(first | 0x20);
  if (letter && (s.size() > 5 ||
                 (lower != 'y' && lower != 'n' && lower != 't' && lower != 'f' && lower != 'o')))
    return true;
  return pyyaml_plain_is_string(s);
}

bool append_pyyaml_simple_key(std::string& out, std::string_view k, int indent) {
  if (k.size() < 128 && word_like(k)) {
    append_word(out, k, false);
    return true;
  }
  if (!pyyaml_simple_key(k)) return false;
  append_pyyaml_string(out, k, indent, true, false);
  return true;
}

void append_pyyaml_string(std::string& out, std::string_view s, int indent, bool simple_key,
                          bool space_before) {
  if (word_like(s)) {
    append_word(out, s, space_before);
    return;
  }
  bool resolves_to_string = pyyaml_plain_is_string(s);
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii)
    write_scalar(out, s, resolves_to_string, indent, simple_key, space_before);
  else
    write_scalar(out, decode(s), resolves_to_string, indent, simple_key, space_before);
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // A whole number below 1e16 is its digits and `.0` (fixed notation up to there), as most
  // numbers of a pipeline are: no round trip through the scientific form.
  if (std::fabs(d) < 1e16 && d == std::trunc(d) && !(d == 0 && std::signbit(d)))
    return std::to_string(static_cast<std::int64_t>(d)) + ".0";
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  std::string sci(buf.data(), r.ptr);
  const auto e = sci.find('e');
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  std::string digits;
  for (std::size_t k = 0; k < e; ++k)
    if (digit(sci[k])) digits += sci[k];
  std::string out = sci[0] == '-' ? "-" : "";
  if (exp >= -4 && exp < 16) {
    // Fixed notation, with at least one digit after the point.
    if (exp >= 0) {
      auto whole = static_cast<std::size_t>(exp) + 1;
      if (digits.size() < whole) digits.append(whole - digits.size(), '0');
      out += digits.substr(0, whole) + "." + (digits.size() > whole ? digits.substr(whole) : "0");
    } else {
      out += "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  const int a = exp < 0 ? -exp : exp;
  out += std::string("e") + (exp < 0 ? '-' : '+') + (a < 10 ? "0" : "") + std::to_string(a);
  return out;
}

std::string pyyaml_float(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  std::string s = python_float_repr(d);
  // `1e+16` would read back as a string in YAML 1.1: PyYAML writes `1.0e+16`.
  if (s.find('.') == std::string::npos) {
    auto e = s.find('e');
    if (e != std::string::npos) s.insert(e, ".0");
  }
  return s;
}

}  // namespace kfpp::detail
