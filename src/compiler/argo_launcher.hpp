// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// The container command that runs a lightweight Python component without the KFP runtime: it
/// installs the component's packages, writes kfpp's launcher and the function's module to a
/// temporary directory and runs the launcher, which calls the function with the inputs named by
/// the container's args and writes its outputs to the files they name. Args, in any order:
/// `--function NAME`, `--param NAME TYPE VALUE`, `--artifact NAME PATH`,
/// `--artifact-list NAME DIR`, `--output-param NAME TYPE PATH`, `--output-artifact NAME PATH`,
/// `--artifact-metadata NAME JSON` (an input artifact's metadata). With `metadata_files`
/// (output artifact, file), the launcher reports the metadata the function gave its outputs in
/// `executor_output` (KFP's executor output), and the command then writes each named artifact's
/// metadata as JSON to its file (`{}` for one the function gave none).
[[nodiscard]] std::vector<std::string> argo_python_command(
    const ir::PythonFunction& fn, const std::string& executor_output = {},
    const std::vector<std::pair<std::string, std::string>>& metadata_files = {});

/// A shell command writing the metadata of each artifact that an executor output
/// (`executor_output`, KFP's `{"artifacts": {NAME: {"artifacts": [{"metadata": …}]}}}`) reports
/// to its file of `metadata_files`, as JSON; `{}` when the file or the artifact is missing.
[[nodiscard]] std::string metadata_split_command(
    const std::string& executor_output,
    const std::vector<std::pair<std::string, std::string>>& metadata_files);

/// The launcher alone (Python 3 source), for tests.
[[nodiscard]] const char* argo_python_launcher_source() noexcept;

}  // namespace kfpp::detail
