// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// The container command that runs a lightweight Python component without the KFP runtime: it
/// installs the component's packages, writes kfpp's launcher and the function's module to a
/// temporary directory and runs the launcher, which calls the function with the inputs named by
/// the container's args and writes its outputs to the files they name. Args, in any order:
/// `--function NAME`, `--param NAME TYPE VALUE`, `--artifact NAME PATH`,
/// `--artifact-list NAME DIR`, `--output-param NAME TYPE PATH`, `--output-artifact NAME PATH`.
[[nodiscard]] std::vector<std::string> argo_python_command(const ir::PythonFunction& fn);

/// The launcher alone (Python 3 source), for tests.
[[nodiscard]] const char* argo_python_launcher_source() noexcept;

}  // namespace kfpp::detail
