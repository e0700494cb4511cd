// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace kfpp::ir {

namespace {
constexpr std::array<std::pair<ParameterType, const char*>, 7> kTypeNames{{
    {ParameterType::string, "STRING"},
    {ParameterType::number_integer, "NUMBER_INTEGER"},
    {ParameterType::number_double, "NUMBER_DOUBLE"},
    {ParameterType::boolean, "BOOLEAN"},
    {ParameterType::list, "LIST"},
    {ParameterType::structure, "STRUCT"},
    {ParameterType::task_final_status, "TASK_FINAL_STATUS"},
}};

template <class Range>
auto find_named(const Range& r, const std::string& n) -> decltype(&*r.begin()) {
  auto it = std::find_if(r.begin(), r.end(), [&](const auto& x) { return x.name == n; });
  return it == r.end() ? nullptr : &*it;
}
}  // namespace

const char* to_string(ParameterType t) noexcept {
  for (const auto& [type, name] : kTypeNames)
    if (type == t) return name;
  return "STRING";
}

std::optional<ParameterType> parameter_type_from_string(const std::string& name) {
  for (const auto& [type, text] : kTypeNames)
    if (name == text) return type;
  return std::nullopt;
}

bool value_matches(const Value& v, ParameterType t) noexcept {
  switch (t) {
    case ParameterType::string:
      return v.is_string();
    case ParameterType::number_integer:
      // KFP writes integer constants as doubles (`10.0`): accept whole numbers.
      return v.is_int() || (v.is_double() && std::trunc(v.as_double()) == v.as_double() &&
                            std::fabs(v.as_double()) < 9.0e15);
    case ParameterType::number_double:
      return v.is_number();
    case ParameterType::boolean:
      return v.is_bool();
    case ParameterType::list:
      return v.is_array();
    case ParameterType::structure:
      return v.is_object();
    case ParameterType::task_final_status:
      return false;
  }
  return false;
}

const ParameterSpec* Interface::find_parameter(const std::string& n) const {
  return find_named(parameters, n);
}
const ArtifactSpec* Interface::find_artifact(const std::string& n) const {
  return find_named(artifacts, n);
}
const ParameterBinding* Task::find_parameter(const std::string& n) const {
  return find_named(parameters, n);
}
const ArtifactBinding* Task::find_artifact(const std::string& n) const {
  return find_named(artifacts, n);
}

bool artifact_fits(const ArtifactType& from, const ArtifactType& to) noexcept {
  return from.schema_title == to.schema_title || to.schema_title == "system.Artifact" ||
         from.schema_title == "system.Artifact";
}

std::vector<std::string> Task::upstream() const {
  std::vector<std::string> out(dependent_tasks.begin(), dependent_tasks.end());
  for (const auto& b : parameters)
    if (b.kind == ParameterBinding::Kind::task_output ||
        b.kind == ParameterBinding::Kind::task_final_status)
      out.push_back(b.producer_task);
  for (const auto& b : artifacts)
    if (b.kind == ArtifactBinding::Kind::task_output) out.push_back(b.producer_task);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
const Task* Dag::find_task(const std::string& n) const { return find_named(tasks, n); }
const Component* Pipeline::find_component(const std::string& n) const {
  return find_named(components, n);
}
const Executor* Pipeline::find_executor(const std::string& label) const {
  auto it = std::find_if(executors.begin(), executors.end(),
                         [&](const Executor& e) { return e.label == label; });
  return it == executors.end() ? nullptr : &*it;
}

}  // namespace kfpp::ir
