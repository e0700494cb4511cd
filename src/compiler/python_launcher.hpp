// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// `s` as one shell word in single quotes.
[[nodiscard]] std::string shell_quote(const std::string& s);

/// The container command that runs a lightweight Python component under the KFP launcher: it
/// installs the component's packages and the KFP runtime, writes the function's module to a
/// temporary file and hands it to `kfp.dsl.executor_main`. The module text is the last element
/// (`$0` of the script); the container's args follow it.
[[nodiscard]] std::vector<std::string> kfp_python_command(const ir::PythonFunction& fn);

/// The container args of such a component: `--executor_input {{$}} --function_to_execute NAME`.
[[nodiscard]] std::vector<std::string> kfp_python_args(const ir::PythonFunction& fn);

}  // namespace kfpp::detail
