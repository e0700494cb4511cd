// SPDX-License-Identifier: Apache-2.0
#include "ir/parameter_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <system_error>

#include "ir/json_parse.hpp"

namespace kfpp::detail {

namespace {

bool whole_integer(const std::string& text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// strtod's decimal and exponent forms only: no leading space, sign-only, hex, inf or nan.
bool whole_number(const std::string& text, double& out) {
  if (text.empty() || text.find_first_of(" \t\n\r\f\vxXnNiI") != std::string::npos) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

}  // namespace

std::optional<ir::Value> parameter_value_of_text(const std::string& text, ir::ParameterType type,
                                                 ParameterTextProblem& problem) {
  using T = ir::ParameterType;
  switch (type) {
    case T::string:
      return ir::Value(text);
    case T::number_integer: {
      std::int64_t n = 0;
      if (whole_integer(text, n)) return ir::Value(n);
      problem = {"an integer", "give e.g. 3"};
      return std::nullopt;
    }
    case T::number_double: {
      double d = 0;
      if (whole_number(text, d)) return ir::Value(d);
      problem = {"a number", "give e.g. 0.5"};
      return std::nullopt;
    }
    case T::boolean:
      if (text == "true" || text == "True") return ir::Value(true);
      if (text == "false" || text == "False") return ir::Value(false);
      problem = {"true or false", "give true or false"};
      return std::nullopt;
    case T::list:
    case T::structure: {
      std::optional<ir::Value> v = parse_json(text, nullptr);
      if (type == T::list && v && v->is_array()) return v;
      if (type == T::structure && v && v->is_object()) return v;
      problem = type == T::list ? ParameterTextProblem{"a JSON list", "give e.g. [1, 2]"}
                                : ParameterTextProblem{"a JSON object", "give e.g. {\"k\": 1}"};
      return std::nullopt;
    }
    case T::task_final_status:
      break;
  }
  problem = {"a value given at run time", "the parameter is set by the backend; remove it"};
  return std::nullopt;
}

}  // namespace kfpp::detail
