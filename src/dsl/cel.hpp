// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kfpp/dsl/core.hpp"

namespace kfpp::detail {

/// A conjunction of comparisons as the CEL the KFP backend evaluates in `triggerPolicy.condition`:
/// channels read as `inputs.parameter_values['<name>']` (`int(...)` around integers), literals
/// quoted, `double(...)` where an integer meets a double, `!(...)` for negated terms, joined by
/// `&&`. `name_of` gives a channel's input name in the condition's component.
[[nodiscard]] std::string to_cel(const std::vector<Comparison>& terms,
                                 const std::function<std::string(const Source&)>& name_of);

}  // namespace kfpp::detail
