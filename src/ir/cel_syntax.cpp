// SPDX-License-Identifier: Apache-2.0
#include "ir/cel_syntax.hpp"

#include <cctype>
#include <stdexcept>
#include <vector>

namespace kfpp::detail {

namespace {

enum class Tok { end, ident, number, string, punct };

struct Token {
  Tok kind;
  std::string_view text;
  std::size_t column;  // 1-based
};

struct SyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(std::size_t column, const std::string& what) {
  throw SyntaxError("column " + std::to_string(column) + ": " + what);
}

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' ||
                                s_[i_] == '\r' || s_[i_] == '\f'))
        ++i_;
      if (i_ + 1 < s_.size() && s_[i_] == '/' && s_[i_ + 1] == '/') {  // comment to end of line
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        continue;
      }
      if (i_ >= s_.size()) {
        out.push_back({Tok::end, {}, i_ + 1});
        return out;
      }
      out.push_back(next());
    }
  }

 private:
  Token next() {
    const std::size_t start = i_;
    const char c = s_[i_];
    // String and bytes literals may carry r/R (raw) and b/B (bytes) prefixes.
    std::size_t p = i_;
    bool raw = false;
    while (p < s_.size() && p - i_ < 2 &&
           (s_[p] == 'r' || s_[p] == 'R' || s_[p] == 'b' || s_[p] == 'B')) {
      raw = raw || s_[p] == 'r' || s_[p] == 'R';
      ++p;
    }
    if (p < s_.size() && (s_[p] == '\'' || s_[p] == '"')) {
      i_ = p;
      string_literal(raw, start);
      return {Tok::string, s_.substr(start, i_ - start), start + 1};
    }
    if (ident_start(c)) {
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      return {Tok::ident, s_.substr(start, i_ - start), start + 1};
    }
    if (digit(c) || (c == '.' && i_ + 1 < s_.size() && digit(s_[i_ + 1]))) {
      number();
      return {Tok::number, s_.substr(start, i_ - start), start + 1};
    }
    static constexpr std::string_view two[] = {"==", "!=", "<=", ">=", "&&", "||"};
    for (std::string_view t : two)
      if (s_.substr(i_, 2) == t) {
        i_ += 2;
        return {Tok::punct, t, start + 1};
      }
    if (std::string_view("<>!+-*/%?:.,()[]{}").find(c) != std::string_view::npos) {
      ++i_;
      return {Tok::punct, s_.substr(start, 1), start + 1};
    }
    fail(start + 1, "unexpected character '" + std::string(1, c) + "'");
  }

  void number() {
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X')) {
      i_ += 2;
      const std::size_t from = i_;
      while (i_ < s_.size() && hex(s_[i_])) ++i_;
      if (i_ == from) fail(i_ + 1, "a hexadecimal number needs digits");
      if (i_ < s_.size() && (s_[i_] == 'u' || s_[i_] == 'U')) ++i_;
    } else {
      bool is_double = false;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
      if (i_ + 1 < s_.size() && s_[i_] == '.' && digit(s_[i_ + 1])) {
        is_double = true;
        ++i_;
        while (i_ < s_.size() && digit(s_[i_])) ++i_;
      }
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
        is_double = true;
        ++i_;
        if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
        const std::size_t from = i_;
        while (i_ < s_.size() && digit(s_[i_])) ++i_;
        if (i_ == from) fail(i_ + 1, "an exponent needs digits");
      }
      if (!is_double && i_ < s_.size() && (s_[i_] == 'u' || s_[i_] == 'U')) ++i_;
    }
    if (i_ < s_.size() && ident_char(s_[i_])) fail(i_ + 1, "a number runs into a name");
  }

  void string_literal(bool raw, std::size_t start) {
    const char q = s_[i_];
    const bool triple = s_.substr(i_, 3) == std::string(3, q);
    i_ += triple ? 3 : 1;
    for (;;) {
      if (i_ >= s_.size()) fail(start + 1, "the string is not closed");
      const char c = s_[i_];
      if (triple ? s_.substr(i_, 3) == std::string(3, q) : c == q) {
        i_ += triple ? 3 : 1;
        return;
      }
      if (!triple && (c == '\n' || c == '\r')) fail(i_ + 1, "a line break inside a string");
      if (c == '\\' && !raw) {
        escape();
        continue;
      }
      ++i_;
    }
  }

  void escape() {
    const std::size_t at = i_;
    ++i_;
    if (i_ >= s_.size()) fail(at + 1, "an escape at the end of the text");
    const char c = s_[i_++];
    auto digits = [&](std::size_t n, bool (*ok)(char)) {
      for (std::size_t k = 0; k < n; ++k, ++i_)
        if (i_ >= s_.size() || !ok(s_[i_])) fail(at + 1, "an incomplete escape");
    };
    switch (c) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
      case '\'':
      case '"':
      case '`':
      case '?':
        return;
      case 'x':
      case 'X':
        return digits(2, hex);
      case 'u':
        return digits(4, hex);
      case 'U':
        return digits(8, hex);
      default:
        if (c >= '0' && c <= '3') return digits(2, [](char d) { return d >= '0' && d <= '7'; });
        fail(at + 1, "unknown escape '\\" + std::string(1, c) + "'");
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// Recursive descent over the token list; `depth_` bounds the recursion.
class Parser {
 public:
  explicit Parser(std::vector<Token> t) : t_(std::move(t)) {}

  void run() {
    expr();
    if (peek().kind != Tok::end)
      fail(peek().column, "unexpected '" + std::string(peek().text) + "'");
  }

 private:
  struct Depth {
    explicit Depth(std::size_t& d, std::size_t column) : d_(d) {
      if (++d_ > 100) fail(column, "the expression nests more than 100 levels deep");
    }
    ~Depth() { --d_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
    std::size_t& d_;
  };

  const Token& peek() const { return t_[i_]; }
  bool is(std::string_view p) const { return peek().kind == Tok::punct && peek().text == p; }
  bool accept(std::string_view p) {
    if (!is(p)) return false;
    ++i_;
    return true;
  }
  void expect(std::string_view p) {
    if (!accept(p))
      fail(peek().column,
           "expected '" + std::string(p) + "'" +
               (peek().kind == Tok::end ? " before the end"
                                        : ", found '" + std::string(peek().text) + "'"));
  }

  void expr() {
    Depth d(depth_, peek().column);
    binary(0);
    if (accept("?")) {
      binary(0);
      expect(":");
      expr();
    }
  }

  // Levels: ||, &&, relations, + -, * / %.
  void binary(int level) {
    if (level == 5) return unary();
    binary(level + 1);
    for (;;) {
      bool matched = false;
      switch (level) {
        case 0:
          matched = accept("||");
          break;
        case 1:
          matched = accept("&&");
          break;
        case 2:
          for (std::string_view op : {"<=", ">=", "==", "!=", "<", ">"})
            matched = matched || accept(op);
          if (!matched && peek().kind == Tok::ident && peek().text == "in") {
            ++i_;
            matched = true;
          }
          break;
        case 3:
          matched = accept("+") || accept("-");
          break;
        default:
          matched = accept("*") || accept("/") || accept("%");
          break;
      }
      if (!matched) return;
      binary(level + 1);
    }
  }

  void unary() {
    Depth d(depth_, peek().column);
    if (accept("!") || accept("-")) return unary();
    member();
  }

  void member() {
    primary();
    for (;;) {
      if (accept(".")) {
        if (peek().kind != Tok::ident) fail(peek().column, "expected a field name after '.'");
        ++i_;
        // A qualified name may still open a message literal (`a.b.Type{field: 1}`).
        last_was_name_ = !accept("(");
        if (!last_was_name_) list_until(")");
        continue;
      }
      if (accept("[")) {
        expr();
        expect("]");
      } else if (is("{") && last_was_name_) {
        ++i_;
        fields();
      } else {
        return;
      }
      last_was_name_ = false;
    }
  }

  void primary() {
    Depth d(depth_, peek().column);
    last_was_name_ = false;
    const Token& t = peek();
    if (accept(".")) {
      if (peek().kind != Tok::ident) fail(peek().column, "expected a name after '.'");
    }
    if (peek().kind == Tok::ident) {
      std::string_view name = peek().text;
      if (name == "in") fail(peek().column, "'in' is an operator, not a name");
      ++i_;
      if (accept("(")) return list_until(")");
      last_was_name_ = name != "true" && name != "false" && name != "null";
      return;
    }
    if (t.kind == Tok::number || t.kind == Tok::string) {
      ++i_;
      return;
    }
    if (accept("(")) {
      expr();
      return expect(")");
    }
    if (accept("[")) return list_until("]");
    if (accept("{")) return map_entries();
    fail(t.column, t.kind == Tok::end ? "the expression ends too early"
                                      : "unexpected '" + std::string(t.text) + "'");
  }

  void list_until(std::string_view close) {
    if (accept(close)) return;
    for (;;) {
      expr();
      if (accept(close)) return;
      expect(",");
      if (close == "]" && accept(close)) return;  // a trailing comma
    }
  }

  void map_entries() {
    if (accept("}")) return;
    for (;;) {
      expr();
      expect(":");
      expr();
      if (accept("}")) return;
      expect(",");
      if (accept("}")) return;
    }
  }

  void fields() {
    if (accept("}")) return;
    for (;;) {
      if (peek().kind != Tok::ident) fail(peek().column, "expected a field name");
      ++i_;
      expect(":");
      expr();
      if (accept("}")) return;
      expect(",");
      if (accept("}")) return;
    }
  }

  std::vector<Token> t_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;
  bool last_was_name_ = false;
};

}  // namespace

std::optional<std::string> cel_syntax_error(std::string_view expression) {
  try {
    Parser(Lexer(expression).run()).run();
    return std::nullopt;
  } catch (const SyntaxError& e) {
    return std::string(e.what());
  }
}

}  // namespace kfpp::detail
