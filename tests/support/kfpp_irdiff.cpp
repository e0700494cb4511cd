// SPDX-License-Identifier: Apache-2.0
// kfpp_irdiff OURS REFERENCE: compares two KFP IR files as documents (the DESIGN.md rule) and
// prints each difference with its path. Exit 0: same document; 1: different; 2: unreadable.
#include <cstdio>
#include <exception>

#include "yaml_tree.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kfpp_irdiff OURS REFERENCE\n");
    return 2;
  }
  try {
    auto diffs =
        kfpp::test::ir_differences(kfpp::test::load_file(argv[1]), kfpp::test::load_file(argv[2]));
    for (const auto& d : diffs) std::printf("%s\n", d.c_str());
    if (!diffs.empty()) {
      std::printf("%s differs from %s in %zu places\n", argv[1], argv[2], diffs.size());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kfpp_irdiff: %s\n", e.what());
    return 2;
  }
}
