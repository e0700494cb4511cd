// SPDX-License-Identifier: Apache-2.0
// Settings replaced at compile time, as the SDK's compiler replaces the pipeline's name and its
// parameters' defaults.
#include <cstdint>
#include <optional>
#include <string>

#include "ir/json_parse.hpp"
#include "ir/parameter_text.hpp"
#include "kfpp/compile.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

namespace {

std::string known_parameters(const ir::Pipeline& ir) {
  std::string names;
  for (const auto& p : ir.root.inputs.parameters) names += (names.empty() ? "" : ", ") + p.name;
  return names.empty() ? "the pipeline has no parameters" : "its parameters are " + names;
}

const ir::ParameterSpec& parameter_named(const ir::Pipeline& ir, const std::string& name) {
  const std::string where = ir.name + "/inputs/" + name;
  if (const auto* p = ir.root.inputs.find_parameter(name)) return *p;
  if (ir.root.inputs.find_artifact(name))
    throw DefinitionError({"kfpp.unsupported", where,
                           "'" + name + "' is an artifact input, which takes no default",
                           "give defaults to parameters only"});
  throw DefinitionError({"kfpp.unknown_parameter", where,
                         "the pipeline has no parameter called '" + name + "'",
                         known_parameters(ir)});
}

DefinitionError bad_value(const ir::Pipeline& ir, const ir::ParameterSpec& p,
                          const std::string& shown) {
  return DefinitionError(
      {"kfpp.bad_parameter_value", ir.name + "/inputs/" + p.name,
       shown + " is not a value of parameter '" + p.name + "', which is " + ir::to_string(p.type),
       "give a value of the parameter's type"});
}

}  // namespace

void apply_compile_options(ir::Pipeline& ir, const CompileOptions& options) {
  if (!options.pipeline_name.empty()) {
    if (!ir::is_valid_task_name(options.pipeline_name))
      throw DefinitionError({"kfpp.invalid_name", options.pipeline_name,
                             "'" + options.pipeline_name + "' is not a valid pipeline name",
                             "use lower-case letters, digits and '-', starting and ending with a "
                             "letter or digit, at most 128 characters"});
    ir.name = options.pipeline_name;
  }
  if (!options.display_name.empty()) ir.display_name = options.display_name;
  if (!options.pipeline_root.empty()) ir.default_pipeline_root = options.pipeline_root;
  for (const auto& [name, value] : options.parameters) {
    const ir::ParameterSpec& spec = parameter_named(ir, name);
    if (!ir::value_matches(value, spec.type) || spec.type == ir::ParameterType::task_final_status)
      throw bad_value(ir, spec, "the value given");
    for (auto& p : ir.root.inputs.parameters) {
      if (p.name != name) continue;
      // A double parameter holds a double even when the value was written as an integer.
      p.default_value = p.type == ir::ParameterType::number_double && value.is_int()
                            ? Json(static_cast<double>(value.as_int()))
                            : value;
      p.is_optional = true;
    }
  }
}

Json parameter_value_from_text(const ir::Pipeline& ir, const std::string& name,
                               const std::string& text) {
  const ir::ParameterSpec& spec = parameter_named(ir, name);
  detail::ParameterTextProblem problem;
  if (auto v = detail::parameter_value_of_text(text, spec.type, problem)) return *std::move(v);
  throw bad_value(ir, spec, "'" + (text.size() > 80 ? text.substr(0, 80) + "..." : text) + "'");
}

}  // namespace kfpp
