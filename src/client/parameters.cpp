// SPDX-License-Identifier: Apache-2.0
#include "kfpp/client/parameters.hpp"

#include <string>

#include "client/impl.hpp"
#include "ir/parameter_text.hpp"

namespace kfpp {

namespace {

[[noreturn]] void bad(const std::string& name, const std::string& what, const std::string& fix) {
  throw ApiError({"kfpp.bad_parameter", "-p " + name, what, fix}, 0);
}

ir::Value typed(const std::string& name, const std::string& text, ir::ParameterType type) {
  if (type == ir::ParameterType::task_final_status)
    bad(name, "the parameter cannot be given at run time", "remove it");
  detail::ParameterTextProblem problem;
  if (auto v = detail::parameter_value_of_text(text, type, problem)) return *std::move(v);
  bad(name, "'" + text + "' is not " + problem.expected, problem.example);
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
