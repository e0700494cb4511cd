// SPDX-License-Identifier: Apache-2.0
// The commands that talk to a KFP backend: upload, run, experiment, recurring.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>

namespace kfpp::cli {

struct RemoteState;

/// Adds `upload`, `run`, `experiment` and `recurring` to `app`; after parsing, `run()` carries out
/// the one that was given.
class RemoteCommands {
 public:
  explicit RemoteCommands(CLI::App& app);
  ~RemoteCommands();
  /// The exit code of the remote command given on the command line, or nullopt if none was.
  std::optional<int> run();

 private:
  std::unique_ptr<RemoteState> state_;
};

}  // namespace kfpp::cli
