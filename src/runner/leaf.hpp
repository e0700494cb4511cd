// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runner/engine.hpp"

namespace kfpp::detail {

/// What the kfp-kubernetes settings of an executor become on this machine.
struct PlatformSetup {
  std::vector<std::pair<std::string, std::string>> env;    ///< extra variables
  std::vector<std::pair<std::string, std::string>> binds;  ///< folder → path in the task
  double timeout_seconds = 0;                              ///< the task's timeout; 0: none
  std::vector<std::string> not_applied;                    ///< settings not honoured
  std::string error;  ///< a setting that makes the task fail (a missing secret …)
};

/// Maps the settings of `exec` (and its container's resources) for task `task_path` whose
/// folder is `dir`: secrets and config maps from the option folders, volume claims as folders
/// under the run, empty dirs as folders of the task, field paths as variables.
[[nodiscard]] PlatformSetup platform_setup(const Engine& engine, const ir::Executor& exec,
                                           const Resolver& resolve, const std::string& task_path,
                                           const std::string& dir);

/// The folder of the volume claim `name` in the run.
[[nodiscard]] std::string volume_dir(const Engine& engine, const std::string& name);

/// A 128-bit hash of `data`, as 32 hex digits.
[[nodiscard]] std::string hash_text(const std::string& data);

/// The hash of a file's or a folder's content (names and bytes), or of nothing when it is absent.
[[nodiscard]] std::string hash_path(const std::string& path);

}  // namespace kfpp::detail
