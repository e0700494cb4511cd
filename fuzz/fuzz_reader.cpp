// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes through the KFP IR reader and, when they read, the validator.
// A kfpp::Error is the expected answer to bad input; anything else (a crash, a sanitizer report,
// a timeout, runaway memory) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kfpp/error.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    kfpp::ir::Pipeline p = kfpp::ir::read_pipeline(text, "fuzz.yaml");
    (void)kfpp::ir::check(p);
  } catch (const kfpp::Error&) {
  }
  return 0;
}
