// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// `s` as one shell word in single quotes.
[[nodiscard]] std::string shell_quote(const std::string& s);

/// The options that point pip at a component's package indexes: `--index-url`,
/// `--extra-index-url` and `--trusted-host` (the trusted hosts given, or else each index URL, as
/// the SDK 2.15 writes them); empty without an index URL. Each begins with a space.
[[nodiscard]] std::string pip_index_options(const ir::PythonFunction& fn);

/// The container command that runs a lightweight Python component under the KFP launcher: it
/// installs the component's packages and the KFP runtime, writes the function's module to a
/// temporary file and hands it to `kfp.dsl.executor_main`. The module text is the last element
/// (`$0` of the script); the container's args follow it. A containerized component's command is
/// `python3 -m kfp.dsl.executor_main` (after a script installing its packages, when it has any).
[[nodiscard]] std::vector<std::string> kfp_python_command(const ir::PythonFunction& fn);

/// The container args of such a component: `--executor_input {{$}} --function_to_execute NAME`.
[[nodiscard]] std::vector<std::string> kfp_python_args(const ir::PythonFunction& fn);

}  // namespace kfpp::detail
