// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

namespace kfpp {

/// Run parameters from `name=value` texts (the command line's `-p`). With the pipeline's inputs
/// (`ir.root.inputs`), each value is read as its parameter's type — `STRING` as given,
/// `NUMBER_INTEGER`, `NUMBER_DOUBLE`, `BOOLEAN` (`true`/`false`), `LIST` and `STRUCT` as JSON —
/// and a name the pipeline does not have is an error. Without them (`inputs` null) a value that
/// is a JSON number, boolean, list or object is that, anything else a string. Throws `ApiError`
/// with code `kfpp.bad_parameter`.
/// Example: `auto params = kfpp::parse_parameters({"epochs=3", "lr=0.1"}, &ir.root.inputs);`
[[nodiscard]] ir::Value::Object parse_parameters(const std::vector<std::string>& assignments,
                                                 const ir::Interface* inputs);

}  // namespace kfpp
