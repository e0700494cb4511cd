// SPDX-License-Identifier: Apache-2.0
// Reads a Python function's signature from its source: a tokenizer that knows Python's strings,
// comments, brackets and line joining, and a small expression parser for annotations and
// literal defaults. Nothing is evaluated.
#include "dsl/python_signature.hpp"
#include "dsl/shared.hpp"

#include <cstdint>
#include <cstdlib>

#include "ir/json_text.hpp"

namespace kfpp::detail {

namespace {

struct Token {
  enum class Kind { name, number, string, op, newline };
  Kind kind;
  std::string text;  ///< name, number, operator; a string's value
  std::size_t column = 0;
  bool formatted = false;  ///< an f-string
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

struct LexError {
  std::string what;
};

// The value of the escape sequence at s[i] (just after the backslash); advances i past it.
void decode_escape(std::string_view s, std::size_t& i, std::string& out) {
  const char c = s[i++];
  auto hex = [&](std::size_t n) {
    std::string digits(s.substr(i, n));
    i += digits.size();
    return std::strtoul(digits.c_str(), nullptr, 16);
  };
  switch (c) {
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    case 'r':
      out += '\r';
      break;
    case '0':
      out += '\0';
      break;
    case 'a':
      out += '\a';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'v':
      out += '\v';
      break;
    case '\\':
      out += '\\';
      break;
    case '\'':
      out += '\'';
      break;
    case '"':
      out += '"';
      break;
    case '\n':
      break;  // a continued line
    case 'x':
      append_utf8(out, static_cast<std::uint32_t>(hex(2)));
      break;
    case 'u':
      append_utf8(out, static_cast<std::uint32_t>(hex(4)));
      break;
    case 'U':
      append_utf8(out, static_cast<std::uint32_t>(hex(8)));
      break;
    default:
      out += '\\';
      out += c;
  }
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  int depth = 0;
  std::size_t line_start = 0;
  std::size_t i = 0;
  auto newline = [&] {
    if (depth == 0 && !out.empty() && out.back().kind != Token::Kind::newline)
      out.push_back({Token::Kind::newline, "", 0, false});
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
      ++i;
    } else if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      i += 2;
      if (i < s.size() && s[i - 1] == '\r' && s[i] == '\n') ++i;
    } else if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '\n') {
      newline();
      line_start = ++i;
    } else if (is_name_start(c) || c == '\'' || c == '"') {
      const std::size_t start = i;
      while (i < s.size() && is_name_char(s[i])) ++i;
      std::string word(s.substr(start, i - start));
      const bool quote_next = i < s.size() && (s[i] == '\'' || s[i] == '"');
      std::string lower;
      for (char ch : word) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
      const bool prefix = word.empty() || lower == "r" || lower == "b" || lower == "u" ||
                          lower == "f" || lower == "rb" || lower == "br" || lower == "fr" ||
                          lower == "rf";
      if (!(quote_next && prefix)) {
        out.push_back({Token::Kind::name, std::move(word), start - line_start, false});
        continue;
      }
      const bool raw = lower.find('r') != std::string::npos;
      const bool formatted = lower.find('f') != std::string::npos;
      const char q = s[i];
      const bool triple = s.substr(i, 3) == std::string(3, q);
      i += triple ? 3 : 1;
      std::string value;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          if (raw) {
            value += s[i];
            value += s[i + 1];
            i += 2;
          } else {
            ++i;
            decode_escape(s, i, value);
          }
        } else if (triple ? s.substr(i, 3) == std::string(3, q) : s[i] == q) {
          i += triple ? 3 : 1;
          closed = true;
          break;
        } else if (!triple && s[i] == '\n') {
          break;
        } else {
          value += s[i++];
        }
      }
      if (!closed) throw LexError{"a string is not closed"};
      out.push_back({Token::Kind::string, std::move(value), start - line_start, formatted});
    } else if ((c >= '0' && c <= '9') ||
               (c == '.' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9')) {
      const std::size_t start = i;
      while (i < s.size() &&
             (is_name_char(s[i]) || s[i] == '.' ||
              ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
               !(s[start] == '0' && start + 1 < s.size() &&
                 (s[start + 1] == 'x' || s[start + 1] == 'X')))))
        ++i;
      out.push_back({Token::Kind::number, std::string(s.substr(start, i - start)),
                     start - line_start, false});
    } else {
      static const char* const two[] = {"->", "**", "//", "==", "!=", "<=", ">=", ":=", "<<", ">>"};
      std::string op(1, c);
      for (const char* t : two)
        if (s.substr(i, 2) == t) op = t;
      if (op == "(" || op == "[" || op == "{") ++depth;
      if (op == ")" || op == "]" || op == "}") --depth;
      if (depth < 0) depth = 0;
      out.push_back({Token::Kind::op, op, i - line_start, false});
      i += op.size();
    }
  }
  newline();
  return out;
}

struct ParseFailure {};

// A recursive-descent parser over tokens [pos, end).
class ExprParser {
 public:
  ExprParser(const std::vector<Token>& t, std::size_t begin, std::size_t end)
      : t_(t), pos_(begin), end_(end) {}

  PyExpr parse_all() {
    try {
      PyExpr e = expr();
      if (pos_ != end_) throw ParseFailure{};
      return e;
    } catch (const ParseFailure&) {
      return PyExpr{};
    }
  }

 private:
  bool at_op(const char* op) const {
    return pos_ < end_ && t_[pos_].kind == Token::Kind::op && t_[pos_].text == op;
  }
  void expect(const char* op) {
    if (!at_op(op)) throw ParseFailure{};
    ++pos_;
  }

  PyExpr expr() {
    PyExpr first = unary();
    if (!at_op("|")) return first;
    PyExpr u;
    u.kind = PyExpr::Kind::union_of;
    u.items.push_back(std::move(first));
    while (at_op("|")) {
      ++pos_;
      u.items.push_back(unary());
    }
    return u;
  }

  PyExpr unary() {
    if (at_op("-") || at_op("+")) {
      const bool minus = t_[pos_].text == "-";
      ++pos_;
      PyExpr e = unary();
      if (e.kind != PyExpr::Kind::number) throw ParseFailure{};
      if (minus) e.text = e.text[0] == '-' ? e.text.substr(1) : "-" + e.text;
      return e;
    }
    return postfix();
  }

  PyExpr postfix() {
    PyExpr e = atom();
    for (;;) {
      if (at_op("[") || at_op("(")) {
        const bool call = at_op("(");
        ++pos_;
        PyExpr p;
        p.kind = call ? PyExpr::Kind::call : PyExpr::Kind::subscript;
        p.items.push_back(std::move(e));
        p.keywords.emplace_back();
        arguments(call ? ")" : "]", p, call);
        e = std::move(p);
      } else if (at_op(".")) {
        ++pos_;
        if (e.kind != PyExpr::Kind::name || pos_ >= end_ || t_[pos_].kind != Token::Kind::name)
          throw ParseFailure{};
        e.text += "." + t_[pos_++].text;
      } else {
        return e;
      }
    }
  }

  void arguments(const char* close, PyExpr& into, bool keywords) {
    while (!at_op(close)) {
      std::string keyword;
      if (keywords && pos_ + 1 < end_ && t_[pos_].kind == Token::Kind::name &&
          t_[pos_ + 1].kind == Token::Kind::op && t_[pos_ + 1].text == "=") {
        keyword = t_[pos_].text;
        pos_ += 2;
      }
      into.items.push_back(expr());
      into.keywords.push_back(keyword);
      if (!at_op(",")) break;
      ++pos_;
    }
    expect(close);
  }

  PyExpr atom() {
    if (pos_ >= end_) throw ParseFailure{};
    const Token& tk = t_[pos_];
    PyExpr e;
    if (tk.kind == Token::Kind::name) {
      ++pos_;
      static const char* const keywords[] = {"lambda", "not", "and", "or",    "if",   "else",
                                             "in",     "is",  "for", "await", "yield"};
      for (const char* k : keywords)
        if (tk.text == k) throw ParseFailure{};
      e.kind = (tk.text == "True" || tk.text == "False" || tk.text == "None")
                   ? PyExpr::Kind::constant
                   : PyExpr::Kind::name;
      e.text = tk.text;
      return e;
    }
    if (tk.kind == Token::Kind::number) {
      ++pos_;
      e.kind = PyExpr::Kind::number;
      e.text = tk.text;
      return e;
    }
    if (tk.kind == Token::Kind::string) {
      e.kind = PyExpr::Kind::string;
      // Adjacent literals are one string.
      while (pos_ < end_ && t_[pos_].kind == Token::Kind::string) {
        e.text += t_[pos_].text;
        e.formatted = e.formatted || t_[pos_].formatted;
        ++pos_;
      }
      return e;
    }
    if (tk.kind != Token::Kind::op) throw ParseFailure{};
    if (tk.text == "(" || tk.text == "[") {
      const bool list = tk.text == "[";
      ++pos_;
      e.kind = list ? PyExpr::Kind::list : PyExpr::Kind::tuple;
      bool comma = false;
      while (!at_op(list ? "]" : ")")) {
        e.items.push_back(expr());
        if (!at_op(",")) break;
        comma = true;
        ++pos_;
      }
      expect(list ? "]" : ")");
      // `(x)` is x itself, not a tuple.
      if (!list && e.items.size() == 1 && !comma) return std::move(e.items.front());
      return e;
    }
    if (tk.text == "{") {
      ++pos_;
      e.kind = PyExpr::Kind::dict;
      while (!at_op("}")) {
        e.items.push_back(expr());
        expect(":");
        e.items.push_back(expr());
        if (!at_op(",")) break;
        ++pos_;
      }
      expect("}");
      return e;
    }
    throw ParseFailure{};
  }

  const std::vector<Token>& t_;
  std::size_t pos_;
  std::size_t end_;
};

// The source text of tokens [b, e), one space between tokens that need it.
std::string text_of(const std::vector<Token>& t, std::size_t b, std::size_t e) {
  std::string out;
  for (std::size_t i = b; i < e; ++i) {
    const Token& tk = t[i];
    std::string piece = tk.kind == Token::Kind::string ? "'" + tk.text + "'" : tk.text;
    if (!out.empty() && tk.kind != Token::Kind::op && t[i - 1].kind != Token::Kind::op) out += ' ';
    if (tk.kind == Token::Kind::op && (tk.text == "," || tk.text == "|"))
      piece = tk.text == "," ? ", " : " | ";
    out += piece;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool is_op(const Token& t, const char* op) { return t.kind == Token::Kind::op && t.text == op; }

// The index of the bracket that closes the one at `open`, or t.size().
std::size_t closing(const std::vector<Token>& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].kind != Token::Kind::op) continue;
    if (t[i].text == "(" || t[i].text == "[" || t[i].text == "{") ++depth;
    if (t[i].text == ")" || t[i].text == "]" || t[i].text == "}")
      if (--depth == 0) return i;
  }
  return t.size();
}

// The first index in [b, e) of operator `op` outside brackets, or e.
std::size_t top_level(const std::vector<Token>& t, std::size_t b, std::size_t e, const char* op) {
  int depth = 0;
  for (std::size_t i = b; i < e; ++i) {
    if (t[i].kind != Token::Kind::op) continue;
    const std::string& x = t[i].text;
    if (x == "(" || x == "[" || x == "{") ++depth;
    if (x == ")" || x == "]" || x == "}") --depth;
    if (depth == 0 && x == op) return i;
  }
  return e;
}

}  // namespace

PythonSignature read_python_signature(std::string_view source, const std::string& function) {
  PythonSignature sig;
  sig.function = function;
  std::vector<Token> t;
  try {
    t = tokenize(source);
  } catch (const LexError& e) {
    sig.error = "the source cannot be read as Python: " + e.what;
    return sig;
  }
  // The module's function is its last top-level `def NAME(`; defs inside others do not count.
  std::size_t def = t.size();
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    const bool line_start = i == 0 || t[i - 1].kind == Token::Kind::newline;
    if (!line_start || t[i].kind != Token::Kind::name || t[i].column != 0) continue;
    if (t[i].text == "class" && t[i + 1].kind == Token::Kind::name)
      sig.classes.push_back(t[i + 1].text);
    if (t[i].text == "def" && t[i + 1].kind == Token::Kind::name && t[i + 1].text == function &&
        is_op(t[i + 2], "("))
      def = i;
  }
  if (def == t.size()) {
    sig.error = "the source defines no top-level function '" + function + "'";
    return sig;
  }
  const std::size_t open = def + 2;
  const std::size_t close = closing(t, open);
  if (close == t.size()) {
    sig.error = "the parameter list of '" + function + "' is not closed";
    return sig;
  }
  for (std::size_t b = open + 1; b < close;) {
    std::size_t e = top_level(t, b, close, ",");
    if (e == b) {
      sig.error = "the parameter list of '" + function + "' has an empty parameter";
      return sig;
    }
    if (e == b + 1 && (is_op(t[b], "/") || is_op(t[b], "*"))) {
      b = e + 1;  // the positional-only or keyword-only marker
      continue;
    }
    if (is_op(t[b], "*") || is_op(t[b], "**")) {
      sig.error = "'" + function + "' takes " + text_of(t, b, std::min(e, b + 2)) +
                  ", which cannot be a component's ports";
      return sig;
    }
    if (t[b].kind != Token::Kind::name) {
      sig.error =
          "the parameter list of '" + function + "' cannot be read at '" + text_of(t, b, e) + "'";
      return sig;
    }
    PythonParameter p;
    p.name = t[b].text;
    const std::size_t eq = top_level(t, b + 1, e, "=");
    if (b + 1 < e && is_op(t[b + 1], ":")) {
      if (b + 2 >= eq) {
        sig.error = "parameter '" + p.name + "' has an empty annotation";
        return sig;
      }
      p.annotation = ExprParser(t, b + 2, eq).parse_all();
      p.annotation_text = text_of(t, b + 2, eq);
    } else if (b + 1 != eq) {
      sig.error = "parameter '" + p.name + "' cannot be read at '" + text_of(t, b, e) + "'";
      return sig;
    }
    if (eq != e) {
      if (eq + 1 >= e) {
        sig.error = "parameter '" + p.name + "' has an empty default";
        return sig;
      }
      p.default_value = ExprParser(t, eq + 1, e).parse_all();
      p.default_text = text_of(t, eq + 1, e);
    }
    sig.parameters.push_back(std::move(p));
    b = e + 1;
  }
  // `-> annotation` up to the colon that ends the definition.
  if (close + 1 < t.size() && is_op(t[close + 1], "->")) {
    const std::size_t b = close + 2;
    std::size_t colon = b;
    while (colon < t.size() && !is_op(t[colon], ":") && t[colon].kind != Token::Kind::newline) {
      if (t[colon].kind == Token::Kind::op &&
          (t[colon].text == "(" || t[colon].text == "[" || t[colon].text == "{"))
        colon = closing(t, colon);
      if (colon < t.size()) ++colon;
    }
    if (colon >= t.size() || !is_op(t[colon], ":") || colon == b) {
      sig.error = "the return annotation of '" + function + "' cannot be read";
      return sig;
    }
    sig.returns = ExprParser(t, b, colon).parse_all();
    sig.returns_text = text_of(t, b, colon);
  } else if (close + 1 >= t.size() || !is_op(t[close + 1], ":")) {
    sig.error = "the definition of '" + function + "' does not end with ':'";
  }
  return sig;
}

SharedAny python_signature(const std::string& source, const std::string& function) {
  return to_shared_any(std::make_shared<PythonSignature>(read_python_signature(source, function)));
}

std::optional<ir::Value> python_literal(const PyExpr& e) {
  switch (e.kind) {
    case PyExpr::Kind::string:
      if (e.formatted) return std::nullopt;
      return ir::Value(e.text);
    case PyExpr::Kind::constant:
      if (e.text == "None") return ir::Value();
      return ir::Value(e.text == "True");
    case PyExpr::Kind::number: {
      std::string digits;
      for (char c : e.text)
        if (c != '_') digits += c;
      const bool negative = !digits.empty() && digits[0] == '-';
      const std::string body = negative ? digits.substr(1) : digits;
      if (body.empty()) return std::nullopt;
      char* end = nullptr;
      if (body.find_first_of(".eE") == std::string::npos || body.rfind("0x", 0) == 0 ||
          body.rfind("0X", 0) == 0) {
        int base = 10;
        std::string b = body;
        if (b.size() > 2 && b[0] == '0') {
          const char k = static_cast<char>(b[1] | 0x20);
          if (k == 'x' || k == 'o' || k == 'b') {
            base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
            b = b.substr(2);
          }
        }
        const long long v = std::strtoll(b.c_str(), &end, base);
        if (*end != '\0') return std::nullopt;
        return ir::Value(negative ? -v : v);
      }
      const double v = std::strtod(body.c_str(), &end);
      if (*end != '\0') return std::nullopt;
      return ir::Value(negative ? -v : v);
    }
    case PyExpr::Kind::list:
    case PyExpr::Kind::tuple: {
      ir::Value::Array a;
      for (const auto& x : e.items) {
        auto v = python_literal(x);
        if (!v) return std::nullopt;
        a.push_back(std::move(*v));
      }
      return ir::Value(std::move(a));
    }
    case PyExpr::Kind::dict: {
      ir::Value::Object o;
      for (std::size_t i = 0; i + 1 < e.items.size(); i += 2) {
        if (e.items[i].kind != PyExpr::Kind::string || e.items[i].formatted) return std::nullopt;
        auto v = python_literal(e.items[i + 1]);
        if (!v) return std::nullopt;
        o[e.items[i].text] = std::move(*v);
      }
      return ir::Value(std::move(o));
    }
    default:
      return std::nullopt;
  }
}

}  // namespace kfpp::detail
