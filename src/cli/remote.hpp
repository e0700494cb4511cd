// SPDX-License-Identifier: Apache-2.0
// The commands that talk to a KFP backend: upload, run, experiment, recurring.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kfpp::cli {

struct RemoteState;

/// How `kfpp run FILE` runs a pipeline when no KFP backend is named: on this machine, with the
/// file, its `-p` parameters and whether `-o json` was asked for.
using LocalRun =
    std::function<int(const std::string& file, const std::vector<std::string>& params, bool json)>;

/// Adds `upload`, `run`, `experiment` and `recurring` to `app`; after parsing, `run()` carries out
/// the one that was given. `kfpp run FILE` without `--host`/`--remote` (or a flag that implies a
/// backend) calls `local`.
class RemoteCommands {
 public:
  explicit RemoteCommands(CLI::App& app, LocalRun local = {});
  /// The `run` command, for the options of a local run.
  [[nodiscard]] CLI::App* run_command() const;
  ~RemoteCommands();
  /// The exit code of the remote command given on the command line, or nullopt if none was.
  std::optional<int> run();

 private:
  std::unique_ptr<RemoteState> state_;
};

}  // namespace kfpp::cli
