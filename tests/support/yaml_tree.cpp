// SPDX-License-Identifier: Apache-2.0
#include "yaml_tree.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kfpp::test {

namespace {

bool all_digits(const std::string& s, std::size_t from) {
  if (from >= s.size()) return false;
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

ir::Value resolve_plain(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return {};
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::size_t sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (all_digits(s, sign)) {
    long long v = 0;
    const char* b = s.data() + (s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
    if (ec == std::errc{} && p == s.data() + s.size()) return ir::Value(v);
  }
  std::string body = s.substr(sign);
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  }
  if (digits > 0 && i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    if (!all_digits(body, i)) return ir::Value(s);
    i = body.size();
  }
  if (digits > 0 && i == body.size()) {
    double d = 0;
    const char* b = s.data() + (s[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), d);
    if (ec == std::errc{} && p == s.data() + s.size()) return ir::Value(d);
  }
  return ir::Value(s);
}

ir::Value convert(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return {};
    case YAML::NodeType::Scalar:
      return n.Tag() == "!" ? ir::Value(n.Scalar()) : resolve_plain(n.Scalar());
    case YAML::NodeType::Sequence: {
      ir::Value::Array a;
      for (const auto& x : n) a.push_back(convert(x));
      return ir::Value(std::move(a));
    }
    case YAML::NodeType::Map: {
      ir::Value::Object o;
      for (const auto& kv : n) o.emplace(kv.first.Scalar(), convert(kv.second));
      return ir::Value(std::move(o));
    }
    default:
      return {};
  }
}

std::string short_text(const ir::Value& v) {
  if (v.is_string()) {
    std::string s = "'" + v.as_string() + "'";
    return s.size() > 90 ? s.substr(0, 87) + "..." : s;
  }
  if (v.is_null()) return "null";
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_double()) {
    std::ostringstream o;
    o << v.as_double();
    return o.str();
  }
  if (v.is_array()) return "[" + std::to_string(v.as_array().size()) + " items]";
  return "{" + std::to_string(v.as_object().size()) + " keys}";
}

const char* kind(const ir::Value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "list";
  return "map";
}

void walk(const ir::Value& a, const ir::Value& b, const std::string& path,
          const std::set<std::string>& skip, std::vector<std::string>& out) {
  if (skip.count(path)) return;
  if (a.is_object() && b.is_object()) {
    const auto& x = a.as_object();
    const auto& y = b.as_object();
    std::set<std::string> keys;
    for (const auto& [k, v] : x) keys.insert(k);
    for (const auto& [k, v] : y) keys.insert(k);
    for (const auto& k : keys) {
      std::string p = path.empty() ? k : path + "." + k;
      auto ix = x.find(k);
      auto iy = y.find(k);
      if (ix == x.end())
        out.push_back("missing   " + p + ": " + short_text(iy->second));
      else if (iy == y.end())
        out.push_back("extra     " + p + ": " + short_text(ix->second));
      else
        walk(ix->second, iy->second, p, skip, out);
    }
  } else if (a.is_array() && b.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    if (x.size() != y.size())
      out.push_back("length    " + path + ": ours " + std::to_string(x.size()) + ", reference " +
                    std::to_string(y.size()));
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
      walk(x[i], y[i], path + "[" + std::to_string(i) + "]", skip, out);
  } else if (std::string(kind(a)) != kind(b) || !(a == b)) {
    out.push_back("differs   " + path + ": ours " + short_text(a) + " (" + kind(a) +
                  "), reference " + short_text(b) + " (" + kind(b) + ")");
  }
}

// Executors that run a Python function: their `command` is launcher text, free to differ.
void python_executors(const ir::Value& doc, std::set<std::string>& skip) {
  const ir::Value* execs = at_path(doc, "deploymentSpec.executors");
  if (!execs || !execs->is_object()) return;
  for (const auto& [name, spec] : execs->as_object()) {
    const ir::Value* args = at_path(spec, "container.args");
    if (!args || !args->is_array()) continue;
    for (const auto& a : args->as_array())
      if (a.is_string() && a.as_string() == "--function_to_execute")
        skip.insert("deploymentSpec.executors." + name + ".container.command");
  }
}

}  // namespace

std::vector<ir::Value> load_all(const std::string& text) {
  std::vector<ir::Value> docs;
  for (const auto& n : YAML::LoadAll(text))
    if (!n.IsNull()) docs.push_back(convert(n));
  return docs;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<ir::Value> load_file(const std::string& path) { return load_all(read_text(path)); }

const ir::Value* at_path(const ir::Value& doc, const std::string& dotted) {
  const ir::Value* cur = &doc;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    std::string key =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_array() && !key.empty() &&
        key.find_first_not_of("0123456789") == std::string::npos) {
      const std::size_t i = std::stoul(key);
      if (i >= cur->as_array().size()) return nullptr;
      cur = &cur->as_array()[i];
      if (dot == std::string::npos) break;
      start = dot + 1;
      continue;
    }
    if (!cur->is_object()) return nullptr;
    auto it = cur->as_object().find(key);
    if (it == cur->as_object().end()) return nullptr;
    cur = &it->second;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::vector<std::string> ir_differences(const std::vector<ir::Value>& ours,
                                        const std::vector<ir::Value>& reference) {
  std::vector<std::string> out;
  if (ours.size() != reference.size())
    out.push_back("documents: ours " + std::to_string(ours.size()) + ", reference " +
                  std::to_string(reference.size()));
  for (std::size_t i = 0; i < std::min(ours.size(), reference.size()); ++i) {
    std::set<std::string> skip{"sdkVersion"};
    python_executors(ours[i], skip);
    python_executors(reference[i], skip);
    walk(ours[i], reference[i], "", skip, out);
  }
  return out;
}

}  // namespace kfpp::test
