// SPDX-License-Identifier: Apache-2.0
// The block reader: the YAML that PyYAML's dumper writes (and that most people write by hand),
// read in one pass over the text into the same events libyaml would give, with the same marks.
//
// What it reads: block mappings and lists (indentless lists under a key, compact `- key: v` and
// `- - v`), plain scalars over one or more lines, single- and double-quoted scalars (escapes and
// folded lines), literal block scalars (`|`, `|-`, `|+`), empty flow collections (`{}`, `[]`),
// comments, and `---` between documents, in printable characters. Anything else (tabs, NEL, LS,
// PS, a byte order mark inside the text, anchors, aliases, tags, flow collections with items, folded scalars, explicit keys,
// directives, a document that is a scalar) and every problem make it give up: libyaml reads the
// text again from the start, and says what is wrong where. Giving up is always right, reading
// differently from libyaml never is; the two are compared on every reference file and by a fuzz
// target.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ir/utf8.hpp"
#include "ir/yaml_builder.hpp"

namespace kfpp::detail {

namespace {

using Kind = YamlTree::Kind;

// The length of the UTF-8 character at `s[i]` (not ASCII) when it is valid and printable as
// libyaml's reader has it, and not one of the characters its scanner takes for a line break
// (NEL, LS, PS) or a byte order mark; else 0.
std::size_t printable_utf8(const unsigned char* s, std::size_t n, std::size_t i) {
  std::uint32_t v = 0;
  const std::size_t length = decode_utf8(s, n, i, v);
  if (length == 0) return 0;
  const bool printable = (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000;
  if (!printable || v == 0x2028 || v == 0x2029 || v == 0xFEFF) return 0;
  return length;
}

// Whether every byte is a line feed or printable ASCII (no tab, no carriage return), or part of
// a printable UTF-8 character; `ascii` tells whether all were ASCII. Eight bytes at a time.
bool printable_text(std::string_view text, bool& ascii) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t low7 = 0x7F * ones;
  constexpr std::uint64_t high = 0x80 * ones;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  ascii = true;
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t x = 0;
      std::memcpy(&x, s + i, 8);
      // A byte of 0x7F or more: its high bit, or its low seven bits plus one reach 0x80.
      const std::uint64_t above = (x | ((x & low7) + ones)) & high;
      // A byte below 0x20 (high bit clear): its low seven bits plus 0x60 stay below 0x80.
      const std::uint64_t below = ~((x & low7) + 0x60 * ones) & ~x & high;
      // A line feed: the byte XOR 0x0A is zero.
      const std::uint64_t t = x ^ (0x0A * ones);
      const std::uint64_t feed = ~(((t & low7) + low7) | t) & high;
      if ((above | (below & ~feed)) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c >= 0x20 && c <= 0x7E) {
      ++i;
    } else if (c == '\n') {
      ++i;
    } else if (c < 0x80) {
      return false;
    } else {
      const std::size_t length = printable_utf8(s, n, i);
      if (length == 0) return false;
      ascii = false;
      i += length;
    }
  }
  return true;
}

// The bytes that end a run of plain text (a line feed, `:`, a space), and those that end a run
// of quoted text (a line feed and either quote and the backslash).
struct Stops {
  bool plain[256] = {};
  bool quoted[256] = {};
  constexpr Stops() {
    plain[static_cast<unsigned char>('\n')] = plain[static_cast<unsigned char>(':')] =
        plain[static_cast<unsigned char>(' ')] = true;
    quoted[static_cast<unsigned char>('\n')] = quoted[static_cast<unsigned char>('\'')] =
        quoted[static_cast<unsigned char>('"')] = quoted[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr Stops stops;

// A simple key longer than this is not one for libyaml (it allows 1024 characters).
constexpr std::size_t max_key_span = 1000;

class BlockReader {
 public:
  BlockReader(YamlBuilder& b, std::string_view text) : b_(b), s_(text.data()), n_(text.size()) {
    // Scans for a stop byte from before the last line feed need not check for the end.
    const std::size_t last = text.rfind('\n');
    safe_ = last == std::string_view::npos ? 0 : last;
  }

  bool run() {
    if (!printable_text({s_, n_}, ascii_)) return false;
    bool any = false;
    if (!skip_lines()) return false;
    for (;;) {
      if (p_ >= n_) return any;
      if (at_marker('-')) {
        p_ += 3;
        if (!end_line()) return false;
      } else if (any || at_marker('.')) {
        return false;
      }
      if (p_ >= n_ || at_marker('-') || at_marker('.') || column() != 0) return false;
      if (b_.document(mark())) return false;
      any = true;
      if (!root()) return false;
      if (!collections()) return false;
    }
  }

 private:
  // The byte at `i`, or 0 past the end (the text holds no 0 byte).
  [[nodiscard]] char at(std::size_t i) const { return i < n_ ? s_[i] : '\0'; }
  [[nodiscard]] static bool blank_or_end(char c) { return c == ' ' || c == '\n' || c == '\0'; }
  [[nodiscard]] std::size_t column() const { return p_ - line_start_; }
  [[nodiscard]] YamlMark mark() const { return mark_at(p_); }
  // A place in the text: its mark and its byte.
  struct Spot {
    YamlMark mark;
    std::size_t byte;
  };
  [[nodiscard]] Spot spot() const { return {mark(), p_}; }
  // Columns count characters, as libyaml's do.
  [[nodiscard]] YamlMark mark_at(std::size_t i) const {
    std::size_t column = i - line_start_ + 1;
    if (!ascii_)
      for (std::size_t k = line_start_; k < i; ++k)
        column -= (static_cast<unsigned char>(s_[k]) & 0xC0) == 0x80 ? 1 : 0;
    return {line_, static_cast<std::uint32_t>(column)};
  }
  // `---` or `...` at the start of a line, followed by a blank or the end.
  [[nodiscard]] bool at_marker(char c) const {
    return column() == 0 && at(p_) == c && at(p_ + 1) == c && at(p_ + 2) == c &&
           blank_or_end(at(p_ + 3));
  }
  [[nodiscard]] bool at_dash() const { return at(p_) == '-' && blank_or_end(at(p_ + 1)); }

  void new_line(std::size_t start) {
    ++line_;
    line_start_ = start;
  }

  // From the start of a line: past empty lines and comment lines, to the first character of the
  // next content line, or the end.
  bool skip_lines() {
    for (;;) {
      while (at(p_) == ' ') ++p_;
      if (at(p_) == '#')
        while (p_ < n_ && s_[p_] != '\n') ++p_;
      if (p_ >= n_) return true;
      if (s_[p_] != '\n') return true;
      ++p_;
      new_line(p_);
    }
  }

  // After a token: the rest of its line is blank or a comment; then on to the next content.
  bool end_line() {
    while (at(p_) == ' ') ++p_;
    if (at(p_) == '#')
      while (p_ < n_ && s_[p_] != '\n') ++p_;
    if (p_ >= n_) return true;
    if (s_[p_] != '\n') return false;
    ++p_;
    new_line(p_);
    return skip_lines();
  }

  struct Block {
    Kind kind;
    bool indentless;
    std::size_t indent;
  };

  bool open(Kind kind, bool indentless = false) {
    if (b_.open(kind, mark(), nullptr, nullptr)) return false;
    stack_.push_back({kind, indentless, column()});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return !b_.close();
  }

  // The document's root: a block mapping or list at column 0.
  bool root() {
    if (at_dash()) return open(Kind::list);
    if (key_line()) return open(Kind::map);
    return false;
  }

  // The open collections, entry by entry, until the last closes.
  bool collections() {
    while (!stack_.empty()) {
      const Block top = stack_.back();
      const std::size_t col = column();
      if (p_ >= n_ || at_marker('-') || at_marker('.') || col < top.indent) {
        if (!close()) return false;
        continue;
      }
      if (col > top.indent) return false;
      if (top.kind == Kind::map) {
        if (at_dash() || !entry()) return false;
      } else if (!at_dash()) {
        if (!top.indentless) return false;
        if (!close()) return false;
      } else {
        ++p_;
        const Spot after = spot();
        while (at(p_) == ' ') ++p_;
        if (!node(top.indent, Where::item, after)) return false;
      }
    }
    return true;
  }

  // One `key: value` of the mapping on top, from the key.
  bool entry() {
    const YamlMark m = mark();
    const std::size_t start = p_;
    std::string_view key;
    std::size_t byte_at = start;
    YamlStyle style = YamlStyle::plain;
    const char c = at(p_);
    if (c == '\'' || c == '"') {
      const std::uint32_t line = line_;
      if (!quoted(key)) return false;
      if (line_ != line) return false;
      byte_at = start + 1;
      style = c == '\'' ? YamlStyle::single_quoted : YamlStyle::double_quoted;
      while (at(p_) == ' ') ++p_;
      if (at(p_) != ':' || !blank_or_end(at(p_ + 1))) return false;
    } else {
      if (!plain_start()) return false;
      std::size_t end = 0;
      if (plain_line(end) != Stop::colon) return false;
      key = {s_ + start, end - start};
    }
    if (p_ - start > max_key_span) return false;
    if (b_.scalar(m, byte_at, key, style, nullptr, nullptr)) return false;
    ++p_;  // the ':'
    const Spot after = spot();
    while (at(p_) == ' ') ++p_;
    return node(stack_.back().indent, Where::value, after);
  }

  enum class Where : std::uint8_t { value, item };

  // The node after a mapping's `:` or a list's `-` (at `after`, its end) in the collection
  // indented `indent`: on the same line (p_ at it) or on the lines below.
  bool node(std::size_t indent, Where where, Spot after) {
    if (at(p_) == '\n' || at(p_) == '#' || p_ >= n_) {
      if (!end_line()) return false;
      const std::size_t col = column();
      if (p_ >= n_ || at_marker('-') || at_marker('.') || col < indent ||
          (col == indent && !(where == Where::value && at_dash())))
        return empty(after);
      if (at_dash()) return open(Kind::list, col == indent);
      return content(indent, true);
    }
    if (at_dash()) return where == Where::item && open(Kind::list);
    return content(indent, where == Where::item);
  }

  // An empty node: a null scalar at the end of its indicator.
  bool empty(Spot after) {
    return !b_.scalar(after.mark, after.byte, {}, YamlStyle::plain, nullptr, nullptr);
  }

  // A scalar, a mapping opening with a key, or an empty flow collection, at p_; `may_be_key`
  // when a mapping may start here.
  bool content(std::size_t indent, bool may_be_key) {
    const char c = at(p_);
    const YamlMark m = mark();
    const std::size_t start = p_;
    if (c == '[' || c == '{') {
      if (at(p_ + 1) != (c == '[' ? ']' : '}')) return false;
      if (b_.open(c == '[' ? Kind::list : Kind::map, m, nullptr, nullptr) || b_.close())
        return false;
      p_ += 2;
      return end_line();
    }
    if (c == '|') return literal(indent);
    if (c == '\'' || c == '"') {
      std::string_view value;
      const std::uint32_t line = line_;
      if (!quoted(value)) return false;
      while (at(p_) == ' ') ++p_;
      if (at(p_) == ':' && blank_or_end(at(p_ + 1))) {
        if (!may_be_key || line_ != line) return false;
        p_ = start;
        return open(Kind::map);
      }
      if (b_.scalar(m, start + 1, value,
                    c == '\'' ? YamlStyle::single_quoted : YamlStyle::double_quoted, nullptr,
                    nullptr))
        return false;
      return end_line();
    }
    if (!plain_start()) return false;
    std::size_t end = 0;
    const Stop stop = plain_line(end);
    if (stop == Stop::colon) {
      if (!may_be_key) return false;
      p_ = start;
      return open(Kind::map);
    }
    std::string_view value(s_ + start, end - start);
    if (stop == Stop::line_end) {
      if (!more_plain(indent, value)) return false;
    }
    if (b_.scalar(m, start, value, YamlStyle::plain, nullptr, nullptr)) return false;
    return end_line();
  }

  // Whether a plain scalar may start at p_.
  [[nodiscard]] bool plain_start() const {
    const char c = at(p_);
    switch (c) {
      case '-':
      case '?':
      case ':':
        return !blank_or_end(at(p_ + 1));
      case ',':
      case '[':
      case ']':
      case '{':
      case '}':
      case '#':
      case '&':
      case '*':
      case '!':
      case '|':
      case '>':
      case '\'':
      case '"':
      case '%':
      case '@':
      case '`':
      case ' ':
      case '\n':
      case '\0':
        return false;
      default:
        return true;
    }
  }

  // The first byte from `i` on that `stop` marks, or the end.
  [[nodiscard]] std::size_t skip_to_stop(const bool (&stop)[256], std::size_t i) const {
    if (i < safe_) {
      while (!stop[static_cast<unsigned char>(s_[i])]) ++i;
    } else {
      while (i < n_ && !stop[static_cast<unsigned char>(s_[i])]) ++i;
    }
    return i;
  }

  enum class Stop : std::uint8_t { colon, comment, line_end };

  // The plain text on this line from p_: it ends at `: ` (p_ at the ':'), at ` #` or at the end
  // of the line (p_ there). `end` is past its last non-blank byte.
  Stop plain_line(std::size_t& end) {
    const std::size_t from = p_;
    Stop stop = Stop::line_end;
    for (;;) {
      p_ = skip_to_stop(stops.plain, p_);
      const char c = at(p_);
      if (c == '\n' || c == '\0') break;
      if (c == ':' && blank_or_end(at(p_ + 1))) {
        stop = Stop::colon;
        break;
      }
      if (c == ' ' && at(p_ + 1) == '#') {
        stop = Stop::comment;
        break;
      }
      ++p_;
    }
    end = p_;
    while (end > from && s_[end - 1] == ' ') --end;
    return stop;
  }

  // The lines that continue a plain scalar (its first line is `value`), folded into `value`; p_
  // is at the end of its last line.
  bool more_plain(std::size_t indent, std::string_view& value) {
    bool folded = false;
    for (;;) {
      // Past the line break and the empty lines after it, to the next line's text.
      std::size_t i = p_;
      std::size_t breaks = 0;
      std::size_t line_begin = i;
      while (i < n_ && (s_[i] == ' ' || s_[i] == '\n')) {
        if (s_[i] == '\n') {
          ++breaks;
          line_begin = i + 1;
        }
        ++i;
      }
      if (i >= n_ || i - line_begin <= indent || s_[i] == '#') break;
      // A continuation line: `: ` in it is a problem, a comment ends the scalar after it.
      if (!folded) {
        scratch_.assign(value);
        folded = true;
      }
      if (breaks == 1)
        scratch_ += ' ';
      else
        scratch_.append(breaks - 1, '\n');
      for (std::size_t k = p_; k < i; ++k)
        if (s_[k] == '\n') new_line(k + 1);
      p_ = i;
      std::size_t end = 0;
      const std::size_t from = p_;
      const Stop stop = plain_line(end);
      if (stop == Stop::colon) return false;
      scratch_.append(s_ + from, end - from);
      if (stop == Stop::comment) break;
    }
    if (folded) value = scratch_;
    return true;
  }

  // A single- or double-quoted scalar from its opening quote at p_; p_ ends past the closing
  // quote. `value` is a view of the text when nothing in it needs unescaping or folding.
  bool quoted(std::string_view& value) {
    const char q = s_[p_];
    const bool single = q == '\'';
    const std::size_t first = p_ + 1;
    // Most quoted scalars: no escape and no line break before the closing quote.
    std::size_t i = first;
    for (;;) {
      i = skip_to_stop(stops.quoted, i);
      const char c = at(i);
      if (c == '\0' || c == '\n') break;
      if (c == q) {
        if (single && at(i + 1) == '\'') break;
        value = {s_ + first, i - first};
        p_ = i + 1;
        return true;
      }
      if (c == '\\' && !single) break;
      ++i;
    }
    return quoted_slow(single, value);
  }

  bool quoted_slow(bool single, std::string_view& value) {
    const char q = single ? '\'' : '"';
    std::string& out = scratch_;
    out.clear();
    std::size_t i = p_ + 1;
    for (;;) {
      if (i >= n_) return false;
      if (i == line_start_ && i + 3 <= n_ &&
          ((s_[i] == '-' && s_[i + 1] == '-' && s_[i + 2] == '-') ||
           (s_[i] == '.' && s_[i + 1] == '.' && s_[i + 2] == '.')) &&
          blank_or_end(at(i + 3)))
        return false;
      bool leading_blanks = false;
      while (i < n_ && s_[i] != ' ' && s_[i] != '\n') {
        const char c = s_[i];
        if (single && c == '\'' && at(i + 1) == '\'') {
          out += '\'';
          i += 2;
        } else if (c == q) {
          break;
        } else if (!single && c == '\\' && at(i + 1) == '\n') {
          i += 2;
          new_line(i);
          leading_blanks = true;
          break;
        } else if (!single && c == '\\') {
          if (!escape(i, out)) return false;
        } else {
          out += c;
          ++i;
        }
      }
      if (i < n_ && s_[i] == q) break;
      // Blanks and line breaks: kept between words on a line, folded across lines.
      std::size_t spaces = 0;
      std::size_t breaks = 0;
      bool leading_break = false;
      while (i < n_ && (s_[i] == ' ' || s_[i] == '\n')) {
        if (s_[i] == ' ') {
          if (!leading_blanks) ++spaces;
        } else {
          if (!leading_blanks) {
            spaces = 0;
            leading_break = true;
            leading_blanks = true;
          } else {
            ++breaks;
          }
          new_line(i + 1);
        }
        ++i;
      }
      if (leading_blanks) {
        if (leading_break && breaks == 0)
          out += ' ';
        else
          out.append(breaks, '\n');
      } else {
        out.append(spaces, ' ');
      }
    }
    p_ = i + 1;
    value = out;
    return true;
  }

  // The escape at `i` (its backslash) of a double-quoted scalar, appended to `out`.
  bool escape(std::size_t& i, std::string& out) {
    std::size_t digits = 0;
    switch (at(i + 1)) {
      case '0':
        out += '\0';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\x08';
        break;
      case 't':
        out += '\x09';
        break;
      case 'n':
        out += '\x0A';
        break;
      case 'v':
        out += '\x0B';
        break;
      case 'f':
        out += '\x0C';
        break;
      case 'r':
        out += '\x0D';
        break;
      case 'e':
        out += '\x1B';
        break;
      case ' ':
        out += ' ';
        break;
      case '"':
        out += '"';
        break;
      case '/':
        out += '/';
        break;
      case '\\':
        out += '\\';
        break;
      case 'N':
        out += "\xC2\x85";
        break;
      case '_':
        out += "\xC2\xA0";
        break;
      case 'L':
        out += "\xE2\x80\xA8";
        break;
      case 'P':
        out += "\xE2\x80\xA9";
        break;
      case 'x':
        digits = 2;
        break;
      case 'u':
        digits = 4;
        break;
      case 'U':
        digits = 8;
        break;
      default:
        return false;
    }
    i += 2;
    if (digits == 0) return true;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      const char c = at(i + k);
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9')
        d = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return false;
      v = (v << 4) | d;
    }
    if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return false;
    i += digits;
    append_utf8(out, v);
    return true;
  }

  // A literal block scalar from its `|` at p_, in a collection indented `indent`.
  bool literal(std::size_t indent) {
    const YamlMark m = mark();
    ++p_;
    int chomp = 0;  // -1 strip, 0 clip, 1 keep
    if (at(p_) == '-') {
      chomp = -1;
      ++p_;
    } else if (at(p_) == '+') {
      chomp = 1;
      ++p_;
    }
    if (at(p_) >= '0' && at(p_) <= '9') return false;
    while (at(p_) == ' ') ++p_;
    if (at(p_) == '#')
      while (p_ < n_ && s_[p_] != '\n') ++p_;
    if (at(p_) != '\n') return false;
    ++p_;
    new_line(p_);
    // Lines holding nothing before the first with text; their spaces would change the indent.
    std::size_t leading = 0;
    while (at(p_) == '\n') {
      ++leading;
      ++p_;
      new_line(p_);
    }
    std::size_t k = 0;
    while (at(p_ + k) == ' ') ++k;
    if (k <= indent || at(p_ + k) == '\n' || at(p_ + k) == '\0') return false;
    const std::size_t width = k;
    std::string& out = scratch_;
    out.assign(leading, '\n');
    std::size_t breaks = 0;  // line breaks not yet written: after the last text line
    bool text_seen = false;
    for (;;) {
      // p_ at the start of a line.
      std::size_t spaces = 0;
      while (at(p_ + spaces) == ' ' && spaces < width) ++spaces;
      const char c = at(p_ + spaces);
      if (c == '\n') {
        ++breaks;
        p_ += spaces + 1;
        new_line(p_);
        continue;
      }
      if (c == '\0' || spaces < width) {
        p_ += spaces;
        break;
      }
      if (text_seen) out.append(breaks, '\n');
      text_seen = true;
      breaks = 0;
      const std::size_t from = p_ + width;
      std::size_t e = from;
      while (e < n_ && s_[e] != '\n') ++e;
      out.append(s_ + from, e - from);
      if (e >= n_) {
        p_ = e;
        break;
      }
      breaks = 1;
      p_ = e + 1;
      new_line(p_);
    }
    // `breaks` counts the break ending the last text line and the empty lines after it.
    if (chomp == 0 && breaks > 0) out += '\n';
    if (chomp == 1) out.append(breaks, '\n');
    if (b_.scalar(m, YamlBuilder::npos, out, YamlStyle::literal, nullptr, nullptr)) return false;
    // p_ is at the first non-space of the line ending the scalar, or the end.
    if (p_ < n_ && s_[p_] == '#') return skip_lines();
    return true;
  }

  // Whether the line from p_ is `key: …` (a plain or quoted key on one line).
  bool key_line() {
    const std::size_t start = p_;
    const std::uint32_t line = line_;
    bool key = false;
    const char c = at(p_);
    if (c == '\'' || c == '"') {
      std::string_view v;
      if (quoted(v) && line_ == line) {
        while (at(p_) == ' ') ++p_;
        key = at(p_) == ':' && blank_or_end(at(p_ + 1));
      }
      if (line_ != line) return false;
    } else if (plain_start()) {
      std::size_t end = 0;
      key = plain_line(end) == Stop::colon;
    }
    p_ = start;
    return key;
  }

  YamlBuilder& b_;
  const char* s_;
  std::size_t n_;
  std::size_t p_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t safe_ = 0;  // before it, a line feed comes before the end
  bool ascii_ = true;
  std::vector<Block> stack_;
  std::string scratch_;
};

}  // namespace

bool read_block_yaml(YamlBuilder& b, std::string_view text) { return BlockReader(b, text).run(); }

}  // namespace kfpp::detail
