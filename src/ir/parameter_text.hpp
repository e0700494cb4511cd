// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// Why a text is no value of a parameter type: what a value of the type is ("an integer") and an
/// example to give ("give e.g. 3").
struct ParameterTextProblem {
  std::string expected;
  std::string example;
};

/// The value `text` gives a parameter of `type` on a command line (`-p name=text`): a string as
/// it is; an integer in decimal; a finite number in decimal or exponent form; `true`/`false` (or
/// Python's `True`/`False`); a list or struct as JSON. nullopt, with `problem` filled in, when the
/// text is no value of the type or the type takes no value from the command line.
[[nodiscard]] std::optional<ir::Value> parameter_value_of_text(const std::string& text,
                                                               ir::ParameterType type,
                                                               ParameterTextProblem& problem);

}  // namespace kfpp::detail
