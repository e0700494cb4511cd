// SPDX-License-Identifier: Apache-2.0
#include "cel.hpp"

namespace kfpp::detail {

namespace {

std::string cel_string(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\\' || ch == '\'') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out + "'";
}

std::string operand_text(const Operand& o, ir::ParameterType canonical,
                         const std::function<std::string(const Source&)>& name_of) {
  std::string text;
  if (o.is_channel) {
    text = "inputs.parameter_values['" + name_of(o.source) + "']";
    if (o.type == ir::ParameterType::number_integer) text = "int(" + text + ")";
  } else if (o.literal.is_string()) {
    text = cel_string(o.literal.as_string());
  } else if (o.literal.is_bool()) {
    text = o.literal.as_bool() ? "true" : "false";
  } else if (o.literal.is_int()) {
    text = std::to_string(o.literal.as_int());
  } else {
    text = ir::python_float_text(o.literal.as_double());
  }
  // Mixed numbers compare as doubles.
  if (o.type != canonical && canonical == ir::ParameterType::number_double)
    text = "double(" + text + ")";
  return text;
}

}  // namespace

std::string to_cel(const std::vector<Comparison>& terms,
                   const std::function<std::string(const Source&)>& name_of) {
  std::string out;
  for (const auto& t : terms) {
    const ir::ParameterType canonical =
        t.left.type == t.right.type ? t.left.type : ir::ParameterType::number_double;
    const std::string one = operand_text(t.left, canonical, name_of) + " " + t.op + " " +
                            operand_text(t.right, canonical, name_of);
    if (!out.empty()) out += " && ";
    out += t.negate ? "!(" + one + ")" : one;
  }
  return out;
}

}  // namespace kfpp::detail
