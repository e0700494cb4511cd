// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace kfpp::cli {

/// The `kfpp` command line: parses `argv`, runs the subcommand and returns the exit code (0 success,
/// 1 an input is invalid or cannot be converted, 2 bad usage or an unreadable file).
/// Example: `char* argv[] = {"kfpp", "validate", "p.yaml"}; int rc = kfpp::cli::run(3, argv);`
int run(int argc, char** argv);

}  // namespace kfpp::cli
