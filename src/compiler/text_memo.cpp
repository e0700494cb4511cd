// SPDX-License-Identifier: Apache-2.0
#include "text_memo.hpp"

#include <cstring>
#include <functional>
#include <string>
#include <string_view>

namespace kfpp::detail {

namespace {

// A field added to one of these types must be compared below: the mirrors (the same members in
// the same order) stop the build when a type grows and its comparison does not.
struct ParameterSpecFields {
  std::string a;
  ir::ParameterType b;
  std::optional<ir::Value> c;
  bool d;
  std::string e;
};
static_assert(sizeof(ir::ParameterSpec) == sizeof(ParameterSpecFields));
struct ArtifactSpecFields {
  std::string a;
  ir::ArtifactType b;
  bool c, d;
  std::string e;
};
static_assert(sizeof(ir::ArtifactSpec) == sizeof(ArtifactSpecFields));
static_assert(sizeof(ir::ArtifactType) == 2 * sizeof(std::string));
struct ArgFields {
  ir::Arg::Kind a;
  std::string b;
  std::vector<ir::Arg> c;
  std::string d;
  std::vector<ir::Arg> e;
  bool f, g, h;
};
static_assert(sizeof(ir::Arg) == sizeof(ArgFields));
struct PythonFunctionFields {
  std::string a, b;
  std::vector<std::string> c, d;
  std::string e;
  std::optional<std::vector<std::string>> f;
  bool g;
  std::string h;
  bool i, j;
};
static_assert(sizeof(ir::PythonFunction) == sizeof(PythonFunctionFields));
struct ResourcesFields {
  std::optional<double> a, b, c, d;
  std::string e, f, g, h;
  std::optional<ir::Accelerator> i;
};
static_assert(sizeof(ir::Resources) == sizeof(ResourcesFields));
struct ContainerSpecFields {
  std::string a;
  std::vector<ir::Arg> b, c;
  std::vector<ir::EnvVar> d;
  std::optional<ir::PythonFunction> e;
  ir::Resources f;
};
static_assert(sizeof(ir::ContainerSpec) == sizeof(ContainerSpecFields));

// The usual combination of hashes (as boost::hash_combine).
void mix(std::size_t& seed, std::size_t h) noexcept {
  seed ^= h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
}

void mix(std::size_t& seed, std::string_view s) noexcept {
  mix(seed, std::hash<std::string_view>{}(s));
}

}  // namespace

// Internal, and in this namespace so that each overload sees the public ones.

static bool same_bits(double a, double b) noexcept { return std::memcmp(&a, &b, sizeof a) == 0; }

static bool same_number(const std::optional<double>& a, const std::optional<double>& b) noexcept {
  return a.has_value() == b.has_value() && (!a || same_bits(*a, *b));
}

static bool same_value(const std::optional<ir::Value>& a,
                       const std::optional<ir::Value>& b) noexcept {
  return a.has_value() == b.has_value() && (!a || same_text(*a, *b));
}

static bool same_text(const ir::ParameterSpec& a, const ir::ParameterSpec& b) noexcept {
  return a.name == b.name && a.type == b.type && a.is_optional == b.is_optional &&
         a.description == b.description && same_value(a.default_value, b.default_value);
}

static bool same_text(const ir::ArtifactSpec& a, const ir::ArtifactSpec& b) noexcept {
  return a.name == b.name && a.type == b.type && a.is_list == b.is_list &&
         a.is_optional == b.is_optional && a.description == b.description;
}

static bool same_text(const ir::Arg& a, const ir::Arg& b) noexcept;
static bool same_text(const ir::EnvVar& a, const ir::EnvVar& b) noexcept;

template <class T>
static bool same_list(const std::vector<T>& a, const std::vector<T>& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_text(a[i], b[i])) return false;
  return true;
}

static bool same_text(const ir::Arg& a, const ir::Arg& b) noexcept {
  return a.kind == b.kind && a.text == b.text && a.input_name == b.input_name &&
         a.has_otherwise == b.has_otherwise && a.then_single == b.then_single &&
         a.else_single == b.else_single && same_list(a.items, b.items) &&
         same_list(a.otherwise, b.otherwise);
}

static bool same_text(const ir::EnvVar& a, const ir::EnvVar& b) noexcept {
  return a.name == b.name && a.value == b.value;
}

static bool same_text(const ir::PythonFunction& a, const ir::PythonFunction& b) noexcept {
  return a.source == b.source && a.function_name == b.function_name && a.packages == b.packages &&
         a.pip_index_urls == b.pip_index_urls && a.kfp_package == b.kfp_package &&
         a.pip_trusted_hosts == b.pip_trusted_hosts &&
         a.install_kfp_package == b.install_kfp_package &&
         a.kfp_package_path == b.kfp_package_path && a.use_venv == b.use_venv &&
         a.containerized == b.containerized;
}

static bool same_text(const ir::Accelerator& a, const ir::Accelerator& b) noexcept {
  return a.type == b.type && a.count == b.count && a.resource_type == b.resource_type &&
         a.resource_count == b.resource_count;
}

static bool same_text(const ir::Resources& a, const ir::Resources& b) noexcept {
  return same_number(a.cpu_limit, b.cpu_limit) && same_number(a.cpu_request, b.cpu_request) &&
         same_number(a.memory_limit, b.memory_limit) &&
         same_number(a.memory_request, b.memory_request) &&
         a.resource_cpu_limit == b.resource_cpu_limit &&
         a.resource_cpu_request == b.resource_cpu_request &&
         a.resource_memory_limit == b.resource_memory_limit &&
         a.resource_memory_request == b.resource_memory_request &&
         a.accelerator.has_value() == b.accelerator.has_value() &&
         (!a.accelerator || same_text(*a.accelerator, *b.accelerator));
}

bool same_text(const ir::Value& a, const ir::Value& b) noexcept {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_bool() || b.is_bool()) return a.is_bool() && b.is_bool() && a.as_bool() == b.as_bool();
  if (a.is_int() || b.is_int()) return a.is_int() && b.is_int() && a.as_int() == b.as_int();
  if (a.is_double() || b.is_double())
    return a.is_double() && b.is_double() && same_bits(a.as_double(), b.as_double());
  if (a.is_string() || b.is_string())
    return a.is_string() && b.is_string() && a.as_string() == b.as_string();
  if (a.is_array() || b.is_array())
    return a.is_array() && b.is_array() && same_list(a.as_array(), b.as_array());
  const auto& x = a.as_object();
  const auto& y = b.as_object();
  if (x.size() != y.size()) return false;
  for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
    if (i->first != j->first || !same_text(i->second, j->second)) return false;
  return true;
}

bool same_text(const ir::Interface& a, const ir::Interface& b) noexcept {
  return same_list(a.parameters, b.parameters) && same_list(a.artifacts, b.artifacts);
}

bool same_text(const ir::ContainerSpec& a, const ir::ContainerSpec& b) noexcept {
  return a.image == b.image && same_list(a.command, b.command) && same_list(a.args, b.args) &&
         same_list(a.env, b.env) && a.python.has_value() == b.python.has_value() &&
         (!a.python || same_text(*a.python, *b.python)) && same_text(a.resources, b.resources);
}

// The hashes read every text an element is likely to differ in, so that elements that differ
// rarely share a hash and a memo's lookups stay short.
std::size_t text_hash(const ir::Interface& x) noexcept {
  std::size_t seed = x.parameters.size() * 31 + x.artifacts.size();
  for (const auto& p : x.parameters) {
    mix(seed, p.name);
    mix(seed, p.description);
    if (p.default_value && p.default_value->is_string()) mix(seed, p.default_value->as_string());
    if (p.default_value && p.default_value->is_number())
      mix(seed, std::hash<double>{}(p.default_value->as_double()));
  }
  for (const auto& a : x.artifacts) {
    mix(seed, a.name);
    mix(seed, a.type.schema_title);
    mix(seed, a.description);
  }
  return seed;
}

std::size_t text_hash(const ir::ContainerSpec& x) noexcept {
  std::size_t seed = x.command.size() * 31 + x.args.size();
  mix(seed, x.image);
  for (const auto& a : x.command) mix(seed, a.text);
  for (const auto& a : x.args) mix(seed, a.text);
  for (const auto& e : x.env) mix(seed, e.value);
  if (x.python) mix(seed, x.python->source);
  const auto& r = x.resources;
  for (const auto* d : {&r.cpu_limit, &r.cpu_request, &r.memory_limit, &r.memory_request})
    if (*d) mix(seed, std::hash<double>{}(**d));
  for (const auto* t : {&r.resource_cpu_limit, &r.resource_cpu_request, &r.resource_memory_limit,
                        &r.resource_memory_request})
    mix(seed, *t);
  return seed;
}

}  // namespace kfpp::detail
