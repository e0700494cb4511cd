// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the kfpp command line. The input is the argument list, one argument per
// line; scripts/fuzz.sh runs it in a scratch directory holding a few IR files (a.yaml, b.yaml,
// argo.yaml), so files written by `-o` land there.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/run.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"kfpp"};
  std::string current;
  for (std::size_t i = 0; i < size && args.size() < 64; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n') {
      args.push_back(current);
      current.clear();
    } else if (c != '\0') {
      current += c;
    }
  }
  if (!current.empty()) args.push_back(current);
  for (const auto& a : args) {
    if (a == "/dev/zero" || a == "/dev/stdin" || a == "-")
      return 0;  // reading those is slow, not wrong
    // The commands that run pipelines (processes here) or talk to a KFP backend (the network)
    // are not fuzzed here: they would act on the machine or reach hosts the input names.
    if (a == "run" || a == "upload" || a == "experiment" || a == "recurring" ||
        a.find("://") != std::string::npos || a.rfind("--host", 0) == 0 || a == "--remote")
      return 0;
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  (void)kfpp::cli::run(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  return 0;
}
