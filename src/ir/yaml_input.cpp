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

std::vector<YAML::Node> YamlInput::load_all(std::string_view text) {
  try {
    return YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    errors_.push_back(
        {"kfpp.yaml_syntax",
         file_ + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
         "not valid YAML: " + e.msg, "fix the YAML syntax at that line"});
    return {};
  }
}

std::string YamlInput::where(const YAML::Node& at) const {
  YAML::Mark m = last_;
  if (at.IsDefined() && !at.Mark().is_null()) m = at.Mark();
  if (m.is_null()) return file_;
  return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

void YamlInput::error(const YAML::Node& at, const std::string& path, std::string code,
                      std::string message, std::string fix) {
  if (at.IsDefined() && !at.Mark().is_null()) last_ = at.Mark();
  errors_.push_back({std::move(code), where(at) + " " + path, std::move(message), std::move(fix)});
}

void YamlInput::unknown_key(const YAML::Node& at, const std::string& path,
                            const std::string& known) {
  Diagnostic d{"kfpp.unknown_key", where(at) + " " + path, "unknown key",
               known.empty() ? "remove it" : "remove it; the keys known here are " + known};
  if (strict_)
    errors_.push_back(std::move(d));
  else if (warnings_)
    warnings_->push_back(std::move(d));
}

void YamlInput::throw_if_failed() {
  if (!errors_.empty()) throw ParseError(std::move(errors_));
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

ir::Value YamlInput::value(const YAML::Node& n, const std::string& path) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return ir::Value();
    case YAML::NodeType::Scalar:
      if (n.Tag() == "?") return resolve_plain(n.Scalar());
      if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return ir::Value(n.Scalar());
      error(n, path, "kfpp.bad_value", "the tag " + n.Tag() + " is not supported here",
            "write the value without a tag");
      return ir::Value(n.Scalar());
    case YAML::NodeType::Sequence: {
      ir::Value::Array a;
      a.reserve(n.size());
      std::size_t i = 0;
      for (const auto& item : n) a.push_back(value(item, path + "[" + std::to_string(i++) + "]"));
      return ir::Value(std::move(a));
    }
    case YAML::NodeType::Map: {
      ir::Value::Object o;
      for (const auto& kv : n) {
        std::string key = kv.first.Scalar();
        if (!o.emplace(key, value(kv.second, path + "." + key)).second)
          error(kv.first, path + "." + key, "kfpp.duplicate_key", "the key appears twice",
                "keep one of them");
      }
      return ir::Value(std::move(o));
    }
  }
  return ir::Value();
}

namespace {

// JSON semantics over a YAML flow node: plain scalars are only true/false/null and numbers.
bool json_value(const YAML::Node& n, ir::Value& out) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      out = ir::Value();
      return true;
    case YAML::NodeType::Scalar: {
      if (n.Tag() != "?") {
        out = ir::Value(n.Scalar());
        return true;
      }
      const std::string& s = n.Scalar();
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
    case YAML::NodeType::Sequence: {
      ir::Value::Array a;
      for (const auto& item : n) {
        ir::Value v;
        if (!json_value(item, v)) return false;
        a.push_back(std::move(v));
      }
      out = ir::Value(std::move(a));
      return true;
    }
    case YAML::NodeType::Map: {
      ir::Value::Object o;
      for (const auto& kv : n) {
        if (kv.first.Tag() == "?") return false;  // JSON keys are quoted
        ir::Value v;
        if (!json_value(kv.second, v)) return false;
        o.insert_or_assign(kv.first.Scalar(), std::move(v));
      }
      out = ir::Value(std::move(o));
      return true;
    }
    case YAML::NodeType::Undefined:
      return false;
  }
  return false;
}

}  // namespace

std::optional<ir::Value> YamlInput::json(const YAML::Node& at, const std::string& path,
                                         const std::string& text) {
  ir::Value out;
  bool ok = false;
  try {
    YAML::Node n = YAML::Load(text);
    ok = (n.IsSequence() || n.IsMap() || n.IsScalar()) && json_value(n, out);
  } catch (const YAML::Exception&) {
    ok = false;
  }
  if (!ok) {
    error(at, path, "kfpp.bad_json", "not valid JSON: " + text.substr(0, 80),
          "write the value as JSON text");
    return std::nullopt;
  }
  return out;
}

std::string YamlInput::string(const YAML::Node& n, const std::string& path) {
  if (n.IsScalar()) return n.Scalar();
  if (n.IsNull()) return {};
  error(n, path, "kfpp.bad_value", "expected a string", "write a single value");
  return {};
}

bool YamlInput::boolean(const YAML::Node& n, const std::string& path) {
  ir::Value v = value(n, path);
  if (v.is_bool()) return v.as_bool();
  error(n, path, "kfpp.bad_value", "expected true or false", "write true or false");
  return false;
}

std::int64_t YamlInput::integer(const YAML::Node& n, const std::string& path) {
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

double YamlInput::number(const YAML::Node& n, const std::string& path) {
  ir::Value v = value(n, path);
  if (v.is_number()) return v.as_double();
  error(n, path, "kfpp.bad_value", "expected a number", "write a number");
  return 0;
}

std::vector<std::string> YamlInput::strings(const YAML::Node& n, const std::string& path) {
  std::vector<std::string> out;
  for_each_item(
      *this, n, path, "a list of strings",
      [&](const YAML::Node& item, const std::string& p) { out.push_back(string(item, p)); });
  return out;
}

bool YamlInput::expect_map(const YAML::Node& n, const std::string& path, const char* what) {
  if (n.IsMap()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a map (") + what + ")",
        "write the keys of " + std::string(what));
  return false;
}

bool YamlInput::expect_list(const YAML::Node& n, const std::string& path, const char* what) {
  if (n.IsSequence()) return true;
  error(n, path, "kfpp.bad_value", std::string("expected a list (") + what + ")",
        "write a YAML list");
  return false;
}

MapInput::MapInput(YamlInput& in, YAML::Node node, std::string path, const char* what)
    : in_(in),
      node_(std::move(node)),
      path_(std::move(path)),
      ok_(in.expect_map(node_, path_, what)) {}

YAML::Node MapInput::get(std::string_view key) {
  read_.emplace_back(key);
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : node_)
    if (kv.first.Scalar() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

bool MapInput::has(std::string_view key) const {
  if (!ok_) return false;
  for (const auto& kv : node_)
    if (kv.first.Scalar() == key) return true;
  return false;
}

std::string MapInput::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string MapInput::string(std::string_view key) {
  YAML::Node n = get(key);
  return n.IsDefined() ? in_.string(n, path(key)) : std::string();
}

std::optional<bool> MapInput::boolean(std::string_view key) {
  YAML::Node n = get(key);
  if (!n.IsDefined()) return std::nullopt;
  return in_.boolean(n, path(key));
}

std::optional<std::int64_t> MapInput::integer(std::string_view key) {
  YAML::Node n = get(key);
  if (!n.IsDefined()) return std::nullopt;
  return in_.integer(n, path(key));
}

std::optional<double> MapInput::number(std::string_view key) {
  YAML::Node n = get(key);
  if (!n.IsDefined()) return std::nullopt;
  return in_.number(n, path(key));
}

void MapInput::finish() {
  if (!ok_) return;
  std::vector<std::string> seen;
  std::string known;
  std::vector<std::string> sorted = read_;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& k : sorted) known += (known.empty() ? "" : ", ") + k;
  for (const auto& kv : node_) {
    std::string key = kv.first.Scalar();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      in_.error(kv.first, path(key), "kfpp.duplicate_key", "the key appears twice",
                "keep one of them");
      continue;
    }
    seen.push_back(key);
    if (std::find(read_.begin(), read_.end(), key) == read_.end())
      in_.unknown_key(kv.first, path(key), known);
  }
}

}  // namespace kfpp::detail
