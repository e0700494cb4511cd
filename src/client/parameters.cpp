// SPDX-License-Identifier: Apache-2.0
#include "kfpp/client/parameters.hpp"

#include <string>

#include "client/impl.hpp"

namespace kfpp {

namespace {

[[noreturn]] void bad(const std::string& name, const std::string& what, const std::string& fix) {
  throw ApiError({"kfpp.bad_parameter", "-p " + name, what, fix}, 0);
}

ir::Value typed(const std::string& name, const std::string& text, ir::ParameterType type) {
  using ir::ParameterType;
  if (type == ParameterType::string) return ir::Value(text);
  Json j = Json::parse(text, nullptr, false);
  switch (type) {
    case ParameterType::number_integer:
      if (!j.is_number_integer()) bad(name, "'" + text + "' is not an integer", "give e.g. 3");
      break;
    case ParameterType::number_double:
      if (!j.is_number()) bad(name, "'" + text + "' is not a number", "give e.g. 0.5");
      return ir::Value(j.get<double>());
    case ParameterType::boolean:
      if (!j.is_boolean()) bad(name, "'" + text + "' is not a boolean", "give true or false");
      break;
    case ParameterType::list:
      if (!j.is_array()) bad(name, "'" + text + "' is not a JSON list", "give e.g. [1, 2]");
      break;
    case ParameterType::structure:
      if (!j.is_object()) bad(name, "'" + text + "' is not a JSON object", "give e.g. {\"k\": 1}");
      break;
    default:
      bad(name, "the parameter cannot be given at run time", "remove it");
  }
  return value_from_json(j);
}

}  // namespace

ir::Value::Object parse_parameters(const std::vector<std::string>& assignments,
                                   const ir::Interface* inputs) {
  ir::Value::Object out;
  for (const auto& a : assignments) {
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      bad(a, "not of the form name=value", "write -p name=value");
    std::string name = a.substr(0, eq);
    std::string text = a.substr(eq + 1);
    if (inputs) {
      const ir::ParameterSpec* spec = inputs->find_parameter(name);
      if (!spec) {
        std::string known;
        for (const auto& p : inputs->parameters) known += (known.empty() ? "" : ", ") + p.name;
        bad(name, "the pipeline has no parameter of this name",
            known.empty() ? "the pipeline takes no parameters" : "its parameters are " + known);
      }
      out[name] = typed(name, text, spec->type);
      continue;
    }
    Json j = Json::parse(text, nullptr, false);
    out[name] =
        !j.is_discarded() && !j.is_string() && !j.is_null() ? value_from_json(j) : ir::Value(text);
  }
  return out;
}

}  // namespace kfpp
