// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/cel.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "ir/json_parse.hpp"
#include "kfpp/error.hpp"

namespace kfpp::ir {

namespace {

// A parsed expression: plain nodes, evaluated by `Evaluator`.
struct Node {
  enum class Kind { literal, variable, member, index, call, unary, binary };
  Kind kind = Kind::literal;
  Value literal;
  std::string name;  // variable, member field, function or operator
  std::vector<std::unique_ptr<Node>> kids;
  std::size_t column = 0;
};
using NodePtr = std::unique_ptr<Node>;

struct SyntaxError {
  std::size_t column;
  std::string what;
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  NodePtr parse() {
    NodePtr n = ternary_free_or();
    space();
    if (i_ != s_.size()) throw SyntaxError{i_ + 1, "unexpected '" + std::string(1, s_[i_]) + "'"};
    return n;
  }

 private:
  const std::string& s_;
  std::size_t i_ = 0;
  int depth_ = 0;

  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(std::string_view token) {
    space();
    if (s_.compare(i_, token.size(), token) != 0) return false;
    i_ += token.size();
    return true;
  }
  void expect(std::string_view token) {
    if (!eat(token)) throw SyntaxError{i_ + 1, "expected '" + std::string(token) + "'"};
  }
  NodePtr make(Node::Kind k, std::string name, std::size_t column) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->name = std::move(name);
    n->column = column;
    return n;
  }
  NodePtr binary(std::string op, NodePtr l, NodePtr r, std::size_t column) {
    NodePtr n = make(Node::Kind::binary, std::move(op), column);
    n->kids.push_back(std::move(l));
    n->kids.push_back(std::move(r));
    return n;
  }

  NodePtr ternary_free_or() {
    if (++depth_ > 200) throw SyntaxError{i_ + 1, "the expression is nested too deeply"};
    NodePtr l = conjunction();
    while (true) {
      space();
      std::size_t at = i_ + 1;
      if (!eat("||")) break;
      l = binary("||", std::move(l), conjunction(), at);
    }
    --depth_;
    return l;
  }
  NodePtr conjunction() {
    NodePtr l = relation();
    while (true) {
      space();
      std::size_t at = i_ + 1;
      if (!eat("&&")) break;
      l = binary("&&", std::move(l), relation(), at);
    }
    return l;
  }
  NodePtr relation() {
    NodePtr l = unary();
    while (true) {
      space();
      std::size_t at = i_ + 1;
      std::string op;
      for (const char* candidate : {"==", "!=", "<=", ">=", "<", ">"}) {
        if (eat(candidate)) {
          op = candidate;
          break;
        }
      }
      if (op.empty()) break;
      l = binary(op, std::move(l), unary(), at);
    }
    return l;
  }
  NodePtr unary() {
    space();
    std::size_t at = i_ + 1;
    if (i_ < s_.size() && s_[i_] == '!' && s_.compare(i_, 2, "!=") != 0) {
      ++i_;
      NodePtr n = make(Node::Kind::unary, "!", at);
      n->kids.push_back(unary());
      return n;
    }
    if (i_ < s_.size() && s_[i_] == '-') {
      ++i_;
      NodePtr n = make(Node::Kind::unary, "-", at);
      n->kids.push_back(unary());
      return n;
    }
    return member();
  }
  NodePtr member() {
    NodePtr n = primary();
    while (true) {
      space();
      std::size_t at = i_ + 1;
      if (eat(".")) {
        std::string field = identifier();
        if (field.empty()) throw SyntaxError{i_ + 1, "expected a field name after '.'"};
        NodePtr m = make(Node::Kind::member, field, at);
        m->kids.push_back(std::move(n));
        n = std::move(m);
      } else if (eat("[")) {
        NodePtr m = make(Node::Kind::index, "", at);
        m->kids.push_back(std::move(n));
        m->kids.push_back(ternary_free_or());
        expect("]");
        n = std::move(m);
      } else {
        return n;
      }
    }
  }
  std::string identifier() {
    space();
    std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      ++i_;
    if (start < i_ && std::isdigit(static_cast<unsigned char>(s_[start]))) {
      i_ = start;
      return {};
    }
    return s_.substr(start, i_ - start);
  }
  NodePtr primary() {
    space();
    std::size_t at = i_ + 1;
    if (i_ >= s_.size()) throw SyntaxError{at, "the expression ends where a value should be"};
    char c = s_[i_];
    if (c == '(') {
      ++i_;
      NodePtr n = ternary_free_or();
      expect(")");
      return n;
    }
    if (c == '\'' || c == '"') return string_literal();
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number_literal();
    std::string name = identifier();
    if (name.empty()) throw SyntaxError{at, "unexpected '" + std::string(1, c) + "'"};
    if (name == "true" || name == "false") {
      NodePtr n = make(Node::Kind::literal, "", at);
      n->literal = Value(name == "true");
      return n;
    }
    if (name == "null") return make(Node::Kind::literal, "", at);
    if (eat("(")) {
      NodePtr n = make(Node::Kind::call, name, at);
      if (!eat(")")) {
        do {
          n->kids.push_back(ternary_free_or());
        } while (eat(","));
        expect(")");
      }
      return n;
    }
    return make(Node::Kind::variable, name, at);
  }
  NodePtr string_literal() {
    std::size_t at = i_ + 1;
    char quote = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '\\':
        case '\'':
        case '"':
          out += e;
          break;
        default:
          throw SyntaxError{i_, "unknown escape '\\" + std::string(1, e) + "'"};
      }
    }
    if (i_ >= s_.size()) throw SyntaxError{at, "a string that does not end"};
    ++i_;
    NodePtr n = make(Node::Kind::literal, "", at);
    n->literal = Value(std::move(out));
    return n;
  }
  NodePtr number_literal() {
    std::size_t at = i_ + 1;
    std::size_t start = i_;
    bool is_double = false;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      is_double = true;
      ++i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      is_double = true;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      std::size_t digits = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (digits == i_) throw SyntaxError{at, "a malformed number"};
    }
    std::string text = s_.substr(start, i_ - start);
    if (text == ".") throw SyntaxError{at, "a malformed number"};
    NodePtr n = make(Node::Kind::literal, "", at);
    if (is_double) {
      n->literal = Value(std::strtod(text.c_str(), nullptr));
    } else {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size())
        throw SyntaxError{at, "the integer " + text + " does not fit 64 bits"};
      n->literal = Value(v);
    }
    return n;
  }
};

struct EvalError {
  std::string what;
};

const char* type_name(const Value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return "bool";
  if (v.is_int()) return "int";
  if (v.is_double()) return "double";
  if (v.is_string()) return "string";
  if (v.is_array()) return "list";
  return "map";
}

std::string short_text(const Value& v) {
  std::string t = v.is_string() ? "'" + v.as_string() + "'" : detail::backend_json(v);
  return t.size() > 60 ? t.substr(0, 57) + "..." : t;
}

class Evaluator {
 public:
  explicit Evaluator(const CelVariables& vars) : vars_(vars) {}

  Value eval(const Node& n) {
    switch (n.kind) {
      case Node::Kind::literal:
        return n.literal;
      case Node::Kind::variable: {
        auto it = vars_.find(n.name);
        if (it == vars_.end()) throw EvalError{"undeclared reference to '" + n.name + "'"};
        return it->second;
      }
      case Node::Kind::member: {
        Value base = eval(*n.kids[0]);
        return field(base, n.name);
      }
      case Node::Kind::index: {
        Value base = eval(*n.kids[0]);
        Value key = eval(*n.kids[1]);
        if (base.is_object()) {
          if (!key.is_string())
            throw EvalError{std::string("a map key must be a string, not ") + type_name(key)};
          return field(base, key.as_string());
        }
        if (base.is_array()) {
          if (!key.is_int())
            throw EvalError{std::string("a list index must be an int, not ") + type_name(key)};
          const auto& a = base.as_array();
          std::int64_t k = key.as_int();
          if (k < 0 || static_cast<std::size_t>(k) >= a.size())
            throw EvalError{"index " + std::to_string(k) + " out of range (size " +
                            std::to_string(a.size()) + ")"};
          return a[static_cast<std::size_t>(k)];
        }
        throw EvalError{std::string("cannot index a value of type ") + type_name(base)};
      }
      case Node::Kind::call:
        return call(n);
      case Node::Kind::unary: {
        Value v = eval(*n.kids[0]);
        if (n.name == "!") {
          if (!v.is_bool()) throw EvalError{std::string("no such overload: !") + type_name(v)};
          return Value(!v.as_bool());
        }
        if (v.is_int()) return Value(-v.as_int());
        if (v.is_double()) return Value(-v.as_double());
        throw EvalError{std::string("no such overload: -") + type_name(v)};
      }
      case Node::Kind::binary:
        return binary(n);
    }
    return Value();
  }

 private:
  const CelVariables& vars_;

  static Value field(const Value& base, const std::string& name) {
    if (!base.is_object())
      throw EvalError{"cannot select field '" + name + "' of a value of type " + type_name(base)};
    const auto& o = base.as_object();
    auto it = o.find(name);
    if (it == o.end()) throw EvalError{"no such key: '" + name + "'"};
    return it->second;
  }

  Value logical(const Node& n) {
    const bool is_and = n.name == "&&";
    std::optional<EvalError> left_error;
    std::optional<bool> left;
    try {
      Value l = eval(*n.kids[0]);
      if (!l.is_bool())
        throw EvalError{std::string("no such overload: ") + type_name(l) + " " + n.name};
      left = l.as_bool();
    } catch (const EvalError& e) {
      left_error = e;
    }
    if (left && *left != is_and) return Value(*left);  // false && …, true || …
    Value r = eval(*n.kids[1]);
    if (!r.is_bool())
      throw EvalError{std::string("no such overload: ") + n.name + " " + type_name(r)};
    if (r.as_bool() != is_and) return Value(r.as_bool());
    if (left_error) throw *left_error;
    return Value(r.as_bool());
  }

  static int compare(const Value& l, const Value& r, const std::string& op) {
    if (l.is_number() && r.is_number()) {
      if (l.is_int() && r.is_int()) return l.as_int() < r.as_int() ? -1 : l.as_int() > r.as_int();
      double a = l.as_double(), b = r.as_double();
      if (std::isnan(a) || std::isnan(b)) return 2;
      return a < b ? -1 : a > b;
    }
    if (l.is_string() && r.is_string()) {
      int c = l.as_string().compare(r.as_string());
      return c < 0 ? -1 : c > 0;
    }
    if (l.is_bool() && r.is_bool()) return static_cast<int>(l.as_bool()) - r.as_bool();
    throw EvalError{std::string("no such overload: ") + type_name(l) + " " + op + " " +
                    type_name(r) + " (" + short_text(l) + " " + op + " " + short_text(r) + ")"};
  }

  Value binary(const Node& n) {
    if (n.name == "&&" || n.name == "||") return logical(n);
    Value l = eval(*n.kids[0]);
    Value r = eval(*n.kids[1]);
    const std::string& op = n.name;
    if (op == "==" || op == "!=") {
      bool same;
      if (l.is_number() && r.is_number())
        same = compare(l, r, op) == 0;
      else if ((l.is_string() && r.is_string()) || (l.is_bool() && r.is_bool()) ||
               (l.is_null() && r.is_null()) || (l.is_array() && r.is_array()) ||
               (l.is_object() && r.is_object()))
        same = l == r;
      else
        throw EvalError{std::string("no such overload: ") + type_name(l) + " " + op + " " +
                        type_name(r) + " (" + short_text(l) + " " + op + " " + short_text(r) + ")"};
      return Value(op == "==" ? same : !same);
    }
    int c = compare(l, r, op);
    if (c == 2) return Value(false);
    if (op == "<") return Value(c < 0);
    if (op == "<=") return Value(c <= 0);
    if (op == ">") return Value(c > 0);
    return Value(c >= 0);
  }

  Value call(const Node& n) {
    if (n.kids.size() != 1)
      throw EvalError{"'" + n.name + "' takes one argument, not " + std::to_string(n.kids.size())};
    Value a = eval(*n.kids[0]);
    if (n.name == "int") {
      if (a.is_int()) return a;
      if (a.is_double()) {
        double d = a.as_double();
        if (!std::isfinite(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18)
          throw EvalError{"int(" + short_text(a) + "): out of range"};
        return Value(static_cast<std::int64_t>(d));
      }
      if (a.is_string()) {
        const std::string& s = a.as_string();
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size())
          throw EvalError{"int(" + short_text(a) + "): not an integer"};
        return Value(v);
      }
      throw EvalError{std::string("no such overload: int(") + type_name(a) + ")"};
    }
    if (n.name == "double") {
      if (a.is_number()) return Value(a.as_double());
      if (a.is_string()) {
        const std::string& s = a.as_string();
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size() ||
            std::isspace(static_cast<unsigned char>(s[0])))
          throw EvalError{"double(" + short_text(a) + "): not a number"};
        return Value(d);
      }
      throw EvalError{std::string("no such overload: double(") + type_name(a) + ")"};
    }
    if (n.name == "string") {
      if (a.is_string()) return a;
      if (a.is_bool()) return Value(a.as_bool() ? "true" : "false");
      if (a.is_int()) return Value(std::to_string(a.as_int()));
      if (a.is_double()) return Value(detail::go_float_text(a.as_double()));
      throw EvalError{std::string("no such overload: string(") + type_name(a) + ")"};
    }
    if (n.name == "parseJson") {
      if (!a.is_string())
        throw EvalError{std::string("no such overload: parseJson(") + type_name(a) + ")"};
      std::string why;
      std::optional<Value> v = detail::parse_json(a.as_string(), &why);
      if (!v) throw EvalError{"parseJson(" + short_text(a) + "): not JSON, " + why};
      return *v;
    }
    throw EvalError{"unknown function '" + n.name + "'"};
  }
};

}  // namespace

std::string cel_syntax_error(const std::string& expression) {
  try {
    (void)Parser(expression).parse();
    return {};
  } catch (const SyntaxError& e) {
    return "column " + std::to_string(e.column) + ": " + e.what;
  }
}

Value cel_evaluate(const std::string& expression, const CelVariables& variables,
                   const std::string& where) {
  NodePtr tree;
  try {
    tree = Parser(expression).parse();
  } catch (const SyntaxError& e) {
    throw Error({"kfpp.cel_syntax", where,
                 "the expression `" + expression + "` does not parse: column " +
                     std::to_string(e.column) + ": " + e.what,
                 "write it in the CEL that KFP evaluates"});
  }
  try {
    return Evaluator(variables).eval(*tree);
  } catch (const EvalError& e) {
    throw Error({"kfpp.cel_eval", where,
                 "the expression `" + expression + "` cannot be evaluated: " + e.what,
                 "make the inputs it reads have the types it compares"});
  }
}

CelVariables cel_condition_variables(const Value::Object& parameter_values) {
  return {{"inputs", Value(Value::Object{{"parameter_values", Value(parameter_values)}})}};
}

}  // namespace kfpp::ir
