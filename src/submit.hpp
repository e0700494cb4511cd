// SPDX-License-Identifier: Apache-2.0
// run_main's --submit: the compiled pipeline sent to a KFP backend as a run.
#pragma once

#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// The flags of `--submit`.
struct SubmitFlags {
  bool submit = false;
  std::string host, token, token_file, cookies, namespace_, ca_bundle;
  bool insecure = false;
  std::vector<std::string> params;
  std::string experiment, run_name, pipeline_root, service_account, caching;
  bool wait = false;
  double timeout = 0;
  double poll = 5;
};

/// Takes `argv[i]` (and its value) when it is a flag of `--submit`; false when it is not one.
/// Sets `missing` when a flag lacks its value.
bool take_submit_flag(SubmitFlags& flags, int argc, char** argv, int& i, bool& missing);

/// Starts a run of `yaml` (the IR of `ir`) as the flags say and prints its id, state and link;
/// with `--wait` waits and prints the progress. Returns the exit code: 0 submitted (or, with
/// --wait, succeeded), 1 refused or failed, 2 bad usage.
int submit(const char* prog, const ir::Pipeline& ir, const std::string& yaml,
           const SubmitFlags& flags);

}  // namespace kfpp::detail
