// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace kfpp::detail {

/// One process to start: no shell is involved, `argv[0]` is looked up in `PATH` of `env`.
struct ProcessSpec {
  std::vector<std::string> argv;              ///< the program and its arguments
  std::vector<std::string> env;               ///< the whole environment, `NAME=value` each
  std::string cwd;                            ///< its working folder
  std::string log_path;                       ///< standard output and error are appended here
  double timeout_seconds = 0;                 ///< 0: none
  const std::atomic<bool>* cancel = nullptr;  ///< stop it when this becomes true
  /// Folders bind-mounted (source, target) in a private mount namespace of the process, so that
  /// it sees them at the paths a pipeline names; needs root.
  std::vector<std::pair<std::string, std::string>> binds;
};

/// How a process ended.
struct ProcessOutcome {
  int exit_code = -1;      ///< its exit status when it exited
  int signal = 0;          ///< the signal that ended it, when one did
  bool timed_out = false;  ///< stopped because it ran longer than the timeout
  bool cancelled = false;  ///< stopped because of cancellation
  std::string error;       ///< why it could not start, if it could not

  /// Whether it exited with status 0.
  [[nodiscard]] bool ok() const noexcept {
    return error.empty() && exit_code == 0 && !timed_out && !cancelled;
  }
  /// A sentence saying how it ended.
  [[nodiscard]] std::string describe() const;
};

/// Runs `spec` in its own process group and waits for it. A timeout or cancellation sends
/// SIGTERM to the group, then SIGKILL two seconds later; whatever the group left running when
/// the process ended is killed too (as a pod's containers end with it).
[[nodiscard]] ProcessOutcome run_process(const ProcessSpec& spec);

/// This process's environment, `NAME=value` each.
[[nodiscard]] std::vector<std::string> current_environment();

/// Whether `program` is found in the `PATH` of this process.
[[nodiscard]] bool program_exists(const std::string& program);

}  // namespace kfpp::detail
