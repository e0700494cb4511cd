// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>

#include "kfpp/ir/value.hpp"

/// The CEL subset that KFP writes in `triggerPolicy.condition` and `parameterExpressionSelector`:
/// literals (strings, integers, doubles, `true`, `false`, `null`), variables, field access
/// (`a.b`, `a['b']`, `list[0]`), `==` `!=` `<` `<=` `>` `>=`, `&&` `||` `!`, unary `-`, and the
/// functions `int()`, `double()`, `string()` and KFP's `parseJson()`.
namespace kfpp::ir {

/// The variables an expression may read, by name. For a trigger condition, `inputs` is an object
/// whose `parameter_values` holds the task's input parameters.
/// Example: `kfpp::ir::CelVariables vars{{"string_value", "{\"a\": 1}"}};`
using CelVariables = std::map<std::string, Value>;

/// Empty when `expression` parses as CEL of that subset; otherwise what is wrong and where
/// (a 1-based column), e.g. `column 9: expected ')'`.
/// Example: `if (auto why = kfpp::ir::cel_syntax_error(task.trigger_condition); !why.empty()) report(why);`
[[nodiscard]] std::string cel_syntax_error(const std::string& expression);

/// The value of `expression` over `variables`. An expression that does not parse throws
/// `kfpp::Error` `kfpp.cel_syntax`; one that cannot be evaluated (an unknown variable or key, a
/// comparison of a string with a number, `int('x')`, …) throws `kfpp.cel_eval`. Both name the
/// expression and use `where` as the path. `&&` and `||` absorb an error on one side when the
/// other side decides, as CEL does.
/// Example: `bool go = kfpp::ir::cel_evaluate("int(x) > 2", {{"x", "3"}}, "p/condition-1").as_bool();`
[[nodiscard]] Value cel_evaluate(const std::string& expression, const CelVariables& variables,
                                 const std::string& where = "");

/// The variables of a trigger condition: `inputs.parameter_values` set to `parameter_values`.
/// Example: `auto vars = kfpp::ir::cel_condition_variables({{"pipelinechannel--x", 3}});`
[[nodiscard]] CelVariables cel_condition_variables(const Value::Object& parameter_values);

}  // namespace kfpp::ir
