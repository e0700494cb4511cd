// SPDX-License-Identifier: Apache-2.0
#include "ir/yaml_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <utility>

namespace kfpp::detail {

namespace {

bool is_one_of(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s == w; });
}

std::string without_underscores(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

// PyYAML's resolvers for YAML 1.1 (sexagesimal numbers are left as strings).
const std::regex& int_pattern() {
  static const std::regex re(
      R"(^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$)");
  return re;
}
const std::regex& float_pattern() {
  static const std::regex re(
      R"(^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$)");
  return re;
}
const std::regex& json_number_pattern() {
  static const std::regex re(R"(^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$)");
  return re;
}

ir::Value integer_value(const std::string& text) {
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
    return ir::Value(std::strtod(text.c_str(), nullptr));  // beyond 64 bits: keep it a number
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

void YamlInput::error(const YamlNode& at, const std::string& path, std::string code,
                      std::string message, std::string fix) {
  if (at.defined() && at.mark().line != 0) last_ = at.mark();
  record({std::move(code), where(at) + " " + path, std::move(message), std::move(fix)});
}

void YamlInput::record(Diagnostic d) {
  // A file can hold millions of mistakes; the report stays readable and its memory bounded.
  if (errors_.size() < kMaxProblems)
    errors_.push_back(std::move(d));
  else
    ++dropped_;
}

void YamlInput::unknown_key(const YamlNode& at, const std::string& path, const std::string& known) {
  Diagnostic d{"kfpp.unknown_key", where(at) + " " + path, "unknown key",
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

ir::Value YamlInput::resolve_plain(const std::string& s) const {
  if (is_one_of(s, {"", "~", "null", "Null", "NULL"})) return ir::Value();
  if (is_one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}))
    return ir::Value(true);
  if (is_one_of(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}))
    return ir::Value(false);
  if (std::regex_match(s, int_pattern())) return integer_value(s);
  if (std::regex_match(s, float_pattern()))
    return ir::Value(std::strtod(without_underscores(s).c_str(), nullptr));
  if (is_one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
    return ir::Value(std::numeric_limits<double>::infinity());
  if (is_one_of(s, {"-.inf", "-.Inf", "-.INF"}))
    return ir::Value(-std::numeric_limits<double>::infinity());
  if (is_one_of(s, {".nan", ".NaN", ".NAN"}))
    return ir::Value(std::numeric_limits<double>::quiet_NaN());
  return ir::Value(s);
}

ir::Value YamlInput::value(const YamlNode& n, const std::string& path) {
  if (!n.defined()) return ir::Value();
  if (n.is_list()) {
    ir::Value::Array a;
    a.reserve(n.size());
    std::size_t i = 0;
    for (const auto& item : n.items())
      a.push_back(value(item, path + "[" + std::to_string(i++) + "]"));
    return ir::Value(std::move(a));
  }
  if (n.is_map()) {
    ir::Value::Object o;
    for (const auto& kv : n.entries()) {
      std::string key = kv.key.text();
      o.emplace(key, value(kv.value, path + "." + key));
    }
    return ir::Value(std::move(o));
  }
  if (n.is_plain()) return resolve_plain(n.text());
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
  const std::string s = n.text();
  if (s == "true" || s == "false") {
    out = ir::Value(s == "true");
    return true;
  }
  if (s == "null") {
    out = ir::Value();
    return true;
  }
  std::smatch m;
  if (!std::regex_match(s, m, json_number_pattern())) return false;
  if (m[1].matched || m[2].matched)
    out = ir::Value(std::strtod(s.c_str(), nullptr));
  else
    out = integer_value(s);
  return true;
}

}  // namespace

std::optional<ir::Value> YamlInput::json(const YamlNode& at, const std::string& path,
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

std::string YamlInput::string(const YamlNode& n, const std::string& path) {
  if (n.is_scalar()) return n.text();
  if (n.is_null()) return {};
  error(n, path, "kfpp.bad_value", "expected a string", "write a single value");
  return {};
}

bool YamlInput::boolean(const YamlNode& n, const std::string& path) {
  ir::Value v = value(n, path);
  if (v.is_bool()) return v.as_bool();
  error(n, path, "kfpp.bad_value", "expected true or false", "write true or false");
  return false;
}

std::int64_t YamlInput::integer(const YamlNode& n, const std::string& path) {
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

double YamlInput::number(const YamlNode& n, const std::string& path) {
  ir::Value v = value(n, path);
  if (v.is_number()) return v.as_double();
  error(n, path, "kfpp.bad_value", "expected a number", "write a number");
  return 0;
}

std::vector<std::string> YamlInput::strings(const YamlNode& n, const std::string& path) {
  std::vector<std::string> out;
  for_each_item(
      *this, n, path, "a list of strings",
      [&](const YamlNode& item, const std::string& p) { out.push_back(string(item, p)); });
  return out;
}

bool YamlInput::expect_map(const YamlNode& n, const std::string& path, const char* what) {
  if (n.is_map()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a map (") + what + ")",
        "write the keys of " + std::string(what));
  return false;
}

bool YamlInput::expect_list(const YamlNode& n, const std::string& path, const char* what) {
  if (n.is_list()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a list (") + what + ")",
        "write a YAML list");
  return false;
}

MapInput::MapInput(YamlInput& in, YamlNode node, std::string path, const char* what)
    : in_(in),
      node_(std::move(node)),
      path_(std::move(path)),
      ok_(in.expect_map(node_, path_, what)) {}

YamlNode MapInput::get(std::string_view key) {
  read_.emplace_back(key);
  if (!ok_) return {};
  return node_[key];
}

bool MapInput::has(std::string_view key) const { return ok_ && node_[key].defined(); }

std::string MapInput::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

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
  for (const auto& kv : node_.entries()) {
    const std::string_view key = kv.key.scalar();
    if (std::find(read_.begin(), read_.end(), key) != read_.end()) continue;
    std::vector<std::string> sorted = read_;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string known;
    for (const auto& k : sorted) known += (known.empty() ? "" : ", ") + k;
    in_.unknown_key(kv.key, path(key), known);
  }
}

}  // namespace kfpp::detail
