// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kfpp::detail {

/// The command that runs `argv` in `image` with `tool` (docker or podman): removed when done,
/// named `name`, the run's folder mounted at the same path (so every path the task is given
/// works inside), `cwd` as its working folder, `env` set, each bind (folder → path) mounted, and
/// the KFP image pull policy (`Always`, `Never`, `IfNotPresent`) as `--pull`.
[[nodiscard]] std::vector<std::string> container_argv(
    const std::string& tool, const std::string& image, const std::string& pull_policy,
    const std::string& run_dir, const std::string& cwd,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::vector<std::pair<std::string, std::string>>& binds,
    const std::vector<std::string>& argv, const std::string& name);

/// `argv` preceded by installing `requirements` with pip (and its index options, `pip_options`)
/// when they are not importable, as one `sh -c` inside the image.
[[nodiscard]] std::vector<std::string> with_packages(const std::vector<std::string>& requirements,
                                                     const std::vector<std::string>& pip_options,
                                                     const std::vector<std::string>& argv);

/// Removes the container `name` (after a timeout or a failure), noting it in the log.
void remove_container(const std::string& tool, const std::string& name, const std::string& log);

}  // namespace kfpp::detail
