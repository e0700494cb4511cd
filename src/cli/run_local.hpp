// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace kfpp::cli {

/// The flags of `kfpp run` (running on this machine).
struct RunFlags {
  std::string file;                     ///< the KFP IR file
  std::vector<std::string> parameters;  ///< `-p NAME=VALUE`
  int jobs = 0;                         ///< `-j N`; 0: the core count
  bool no_cache = false;                ///< `--no-cache`
  std::string work_dir;                 ///< `--work-dir DIR`
  std::string runner = "host";          ///< `--runner host|docker|podman`
  std::string secrets_dir;              ///< `--secrets DIR`
  std::string config_maps_dir;          ///< `--config-maps DIR`
  std::string output;                   ///< `--output json`: run.json on standard output
  std::string python = "python3";       ///< `--python PATH`
  bool lenient = false;                 ///< `--lenient`
};

/// Adds the options of a local run to the `run` command (whose FILE, `-p` and `-o` are shared
/// with a run on a KFP backend and given to `run_command` by the caller), filling `flags`.
void add_local_run_options(CLI::App* run, RunFlags& flags);

/// Runs the pipeline of `flags.file` locally. Exit codes: 0 it succeeded, 1 it failed (or the
/// file is invalid), 2 bad usage or an unreadable file, 130 cancelled with Ctrl-C.
int run_command(const RunFlags& flags);

}  // namespace kfpp::cli
