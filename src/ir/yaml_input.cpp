// SPDX-License-Identifier: Apache-2.0
#include "ir/yaml_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

namespace kfpp::detail {

namespace {

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

std::string without_underscores(std::string_view text) {
  std::string s(text);
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `s` is not empty and every character satisfies `ok`.
template <class Ok>
bool all_of(std::string_view s, Ok ok) {
  return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}

// PyYAML's resolvers for YAML 1.1 (sexagesimal numbers are left as strings), matched by hand:
// std::regex took a third of the reader's time.
// int: [-+]? then 0b[0-1_]+ | 0[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+
bool is_yaml_int(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'b')
    return all_of(s.substr(2), [](char c) { return c == '0' || c == '1' || c == '_'; });
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x')
    return all_of(s.substr(2), [](char c) {
      return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
    });
  if (s == "0") return true;
  if (s[0] == '0')
    return all_of(s.substr(1), [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
  return s[0] >= '1' && s[0] <= '9' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return is_digit(c) || c == '_'; });
}

// float: [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
bool is_yaml_float(std::string_view s) {
  std::size_t i = 0;
  auto skip_digits = [&] {
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  };
  if (!s.empty() && s[0] == '.') {
    if (s.size() < 2 || !is_digit(s[1])) return false;
    i = 2;
    skip_digits();
  } else {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
    if (i >= s.size() || !is_digit(s[i])) return false;
    ++i;
    skip_digits();
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
    skip_digits();
  }
  if (i == s.size()) return true;
  if ((s[i] != 'e' && s[i] != 'E') || i + 2 >= s.size() || (s[i + 1] != '-' && s[i + 1] != '+'))
    return false;
  return all_of(s.substr(i + 2), is_digit);
}

// A JSON number, -?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?; `fractional` tells whether it
// has a fraction or an exponent.
bool is_json_number(std::string_view s, bool& fractional) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  fractional = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
    fractional = true;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!digits()) return false;
    fractional = true;
  }
  return i == s.size();
}

ir::Value integer_value(std::string_view text) {
  std::string s = without_underscores(text);
  bool negative = !s.empty() && s[0] == '-';
  std::size_t start = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  int base = 10;
  if (s.size() > start + 1 && s[start] == '0') {
    char c = s[start + 1];
    if (c == 'x') {
      base = 16;
      start += 2;
    } else if (c == 'b') {
      base = 2;
      start += 2;
    } else {
      base = 8;
      start += 1;
    }
  }
  errno = 0;
  unsigned long long magnitude = std::strtoull(s.c_str() + start, nullptr, base);
  constexpr auto max = static_cast<unsigned long long>(std::numeric_limits<long long>::max());
  if (errno == ERANGE || magnitude > max + (negative ? 1ULL : 0ULL))
    return ir::Value(std::strtod(std::string(text).c_str(), nullptr));  // beyond 64 bits: a number
  if (negative) {
    if (magnitude == max + 1ULL) return ir::Value(std::numeric_limits<long long>::min());
    return ir::Value(-static_cast<long long>(magnitude));
  }
  return ir::Value(static_cast<long long>(magnitude));
}

}  // namespace

std::vector<YamlNode> YamlInput::load_all(std::string_view text) {
  std::optional<Diagnostic> problem;
  auto tree = YamlTree::parse(text, file_, limits_, problem);
  if (problem) {
    errors_.push_back(std::move(*problem));
    return {};
  }
  std::vector<YamlNode> docs = tree->documents();
  trees_.push_back(std::move(tree));
  return docs;
}

std::string YamlInput::where(const YamlNode& at) const {
  YamlMark m = last_;
  if (at.defined() && at.mark().line != 0) m = at.mark();
  if (m.line == 0) return file_;
  return file_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

void YamlInput::error(const YamlNode& at, const YamlPath& path, std::string code,
                      std::string message, std::string fix) {
  if (at.defined() && at.mark().line != 0) last_ = at.mark();
  record({std::move(code), where(at) + " " + path.str(), std::move(message), std::move(fix)});
}

void YamlInput::record(Diagnostic d) {
  // A file can hold millions of mistakes; the report stays readable and its memory bounded.
  if (errors_.size() < kMaxProblems)
    errors_.push_back(std::move(d));
  else
    ++dropped_;
}

void YamlInput::unknown_key(const YamlNode& at, const YamlPath& path, const std::string& known) {
  Diagnostic d{"kfpp.unknown_key", where(at) + " " + path.str(), "unknown key",
               known.empty() ? "remove it" : "remove it; the keys known here are " + known};
  if (strict_)
    record(std::move(d));
  else if (warnings_ && warnings_->size() < kMaxProblems)
    warnings_->push_back(std::move(d));
}

void YamlInput::throw_if_failed() {
  if (errors_.empty()) return;
  if (dropped_ > 0)
    errors_.push_back({"kfpp.too_many_problems", file_,
                       std::to_string(dropped_) + " more problems are not listed",
                       "fix the ones above first"});
  throw ParseError(std::move(errors_));
}

ir::Value YamlInput::resolve_plain(std::string_view s) {
  if (is_one_of(s, {"", "~", "null", "Null", "NULL"})) return ir::Value();
  if (is_one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}))
    return ir::Value(true);
  if (is_one_of(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}))
    return ir::Value(false);
  if (is_yaml_int(s)) return integer_value(s);
  if (is_yaml_float(s)) return ir::Value(std::strtod(without_underscores(s).c_str(), nullptr));
  if (is_one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
    return ir::Value(std::numeric_limits<double>::infinity());
  if (is_one_of(s, {"-.inf", "-.Inf", "-.INF"}))
    return ir::Value(-std::numeric_limits<double>::infinity());
  if (is_one_of(s, {".nan", ".NaN", ".NAN"}))
    return ir::Value(std::numeric_limits<double>::quiet_NaN());
  return ir::Value(std::string(s));
}

ir::Value YamlInput::value(const YamlNode& n, const YamlPath& path) {
  if (!n.defined()) return ir::Value();
  if (n.is_list()) {
    ir::Value::Array a;
    a.reserve(n.size());
    std::size_t i = 0;
    for (const auto& item : n.items()) a.push_back(value(item, YamlPath(path, i++)));
    return ir::Value(std::move(a));
  }
  if (n.is_map()) {
    ir::Value::Object o;
    for (const auto& kv : n.entries())
      o.emplace(kv.key.text(), value(kv.value, YamlPath(path, kv.key.scalar())));
    return ir::Value(std::move(o));
  }
  if (n.is_plain()) return resolve_plain(n.scalar());
  if (n.tag().empty() || n.tag() == "tag:yaml.org,2002:str") return ir::Value(n.text());
  if (n.tag() == "tag:yaml.org,2002:null") return ir::Value();
  error(n, path, "kfpp.bad_value", "the tag " + std::string(n.tag()) + " is not supported here",
        "write the value without a tag");
  return ir::Value(n.text());
}

namespace {

// JSON semantics over a YAML flow node: plain scalars are only true/false/null and numbers.
bool json_value(const YamlNode& n, ir::Value& out) {
  if (n.is_list()) {
    ir::Value::Array a;
    for (const auto& item : n.items()) {
      ir::Value v;
      if (!json_value(item, v)) return false;
      a.push_back(std::move(v));
    }
    out = ir::Value(std::move(a));
    return true;
  }
  if (n.is_map()) {
    ir::Value::Object o;
    for (const auto& kv : n.entries()) {
      if (kv.key.is_plain()) return false;  // JSON keys are quoted
      ir::Value v;
      if (!json_value(kv.value, v)) return false;
      o.insert_or_assign(kv.key.text(), std::move(v));
    }
    out = ir::Value(std::move(o));
    return true;
  }
  if (!n.defined()) return false;
  if (!n.is_plain()) {
    out = ir::Value(n.text());
    return true;
  }
  const std::string_view s = n.scalar();
  if (s == "true" || s == "false") {
    out = ir::Value(s == "true");
    return true;
  }
  if (s == "null") {
    out = ir::Value();
    return true;
  }
  bool fractional = false;
  if (!is_json_number(s, fractional)) return false;
  if (fractional)
    out = ir::Value(std::strtod(std::string(s).c_str(), nullptr));
  else
    out = integer_value(s);
  return true;
}

}  // namespace

std::optional<ir::Value> YamlInput::json(const YamlNode& at, const YamlPath& path,
                                         const std::string& text) {
  ir::Value out;
  std::optional<Diagnostic> problem;
  auto tree = YamlTree::parse(text, file_, limits_, problem);
  std::vector<YamlNode> docs = problem ? std::vector<YamlNode>() : tree->documents();
  bool ok = docs.size() == 1 && !docs[0].is_null() && json_value(docs[0], out);
  if (!ok) {
    error(at, path, "kfpp.bad_json", "not valid JSON: " + text.substr(0, 80),
          "write the value as JSON text");
    return std::nullopt;
  }
  return out;
}

std::string YamlInput::string(const YamlNode& n, const YamlPath& path) {
  if (n.is_scalar()) return n.text();
  if (n.is_null()) return {};
  error(n, path, "kfpp.bad_value", "expected a string", "write a single value");
  return {};
}

bool YamlInput::boolean(const YamlNode& n, const YamlPath& path) {
  ir::Value v = value(n, path);
  if (v.is_bool()) return v.as_bool();
  error(n, path, "kfpp.bad_value", "expected true or false", "write true or false");
  return false;
}

std::int64_t YamlInput::integer(const YamlNode& n, const YamlPath& path) {
  ir::Value v = value(n, path);
  if (v.is_string()) v = resolve_plain(v.as_string());
  if (v.is_int()) return v.as_int();
  // A whole double within range (never cast one that is not: that is undefined).
  if (v.is_double() && std::trunc(v.as_double()) == v.as_double() &&
      std::fabs(v.as_double()) < 9.2e18)
    return static_cast<std::int64_t>(v.as_double());
  error(n, path, "kfpp.bad_value", "expected an integer", "write a whole number");
  return 0;
}

double YamlInput::number(const YamlNode& n, const YamlPath& path) {
  ir::Value v = value(n, path);
  if (v.is_number()) return v.as_double();
  error(n, path, "kfpp.bad_value", "expected a number", "write a number");
  return 0;
}

std::vector<std::string> YamlInput::strings(const YamlNode& n, const YamlPath& path) {
  std::vector<std::string> out;
  for_each_item(*this, n, path, "a list of strings",
                [&](const YamlNode& item, const YamlPath& p) { out.push_back(string(item, p)); });
  return out;
}

bool YamlInput::expect_map(const YamlNode& n, const YamlPath& path, const char* what) {
  if (n.is_map()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a map (") + what + ")",
        "write the keys of " + std::string(what));
  return false;
}

bool YamlInput::expect_list(const YamlNode& n, const YamlPath& path, const char* what) {
  if (n.is_list()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a list (") + what + ")",
        "write a YAML list");
  return false;
}

std::string YamlPath::str() const {
  std::string out;
  append_to(out);
  return out;
}

void YamlPath::append_to(std::string& out) const {
  if (!parent_) {
    out += text_;
    return;
  }
  parent_->append_to(out);
  if (index_ != std::string::npos) {
    ((out += '[') += std::to_string(index_)) += ']';
    return;
  }
  if (!out.empty()) out += '.';
  out += text_;
}

MapInput::MapInput(YamlInput& in, YamlNode node, YamlPath path, const char* what)
    : in_(in), node_(node), path_(path), ok_(in.expect_map(node_, path_, what)) {}

std::size_t MapInput::find(std::string_view key) const noexcept {
  if (key.data() != last_key_.data() || key.size() != last_key_.size()) {
    last_entry_ = node_.find(key);
    last_key_ = key;
  }
  return last_entry_;
}

YamlNode MapInput::get(std::string_view key) {
  if (asked_count_ < asked_.size())
    asked_[asked_count_++] = key;
  else
    more_asked_.push_back(key);
  if (!ok_) return {};
  const std::size_t i = find(key);
  if (i == node_.size()) return {};
  if (i < 64) read_entries_ |= std::uint64_t{1} << i;
  return node_.value(i);
}

bool MapInput::has(std::string_view key) const { return ok_ && find(key) != node_.size(); }

std::string MapInput::string(std::string_view key) {
  YamlNode n = get(key);
  return n.defined() ? in_.string(n, path(key)) : std::string();
}

std::optional<bool> MapInput::boolean(std::string_view key) {
  YamlNode n = get(key);
  if (!n.defined()) return std::nullopt;
  return in_.boolean(n, path(key));
}

std::optional<std::int64_t> MapInput::integer(std::string_view key) {
  YamlNode n = get(key);
  if (!n.defined()) return std::nullopt;
  return in_.integer(n, path(key));
}

std::optional<std::int64_t> MapInput::integer(std::string_view key, std::int64_t min,
                                              std::int64_t max) {
  YamlNode n = get(key);
  if (!n.defined()) return std::nullopt;
  const bool before = in_.failed();
  std::int64_t v = in_.integer(n, path(key));
  if (in_.failed() != before) return std::nullopt;
  if (v < min || v > max) {
    in_.error(n, path(key), "kfpp.out_of_range",
              std::to_string(v) + " is out of range (" + std::to_string(min) + " to " +
                  std::to_string(max) + ")",
              "give a value in that range");
    return std::nullopt;
  }
  return v;
}

std::optional<double> MapInput::number(std::string_view key) {
  YamlNode n = get(key);
  if (!n.defined()) return std::nullopt;
  return in_.number(n, path(key));
}

void MapInput::finish() {
  if (!ok_) return;
  // Duplicated keys never get here: the parser refuses them.
  std::size_t i = 0;
  for (const auto& kv : node_.entries()) {
    const std::string_view key = kv.key.scalar();
    const auto first = asked_.begin() + static_cast<std::ptrdiff_t>(asked_count_);
    const bool asked =
        i < 64 ? (read_entries_ >> i & 1) != 0
               : std::find(asked_.begin(), first, key) != first ||
                     std::find(more_asked_.begin(), more_asked_.end(), key) != more_asked_.end();
    ++i;
    if (asked) continue;
    std::vector<std::string_view> sorted(asked_.begin(), first);
    sorted.insert(sorted.end(), more_asked_.begin(), more_asked_.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string known;
    for (const auto& k : sorted) (known += known.empty() ? "" : ", ") += k;
    in_.unknown_key(kv.key, path(key), known);
  }
}

}  // namespace kfpp::detail
