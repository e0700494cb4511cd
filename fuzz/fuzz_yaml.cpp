// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the block reader against libyaml. Whenever the block reader reads the bytes,
// libyaml must read them too, into the same tree; anything else is a finding (as are crashes,
// sanitizer reports, timeouts and runaway memory in either).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ir/yaml_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using kfpp::detail::YamlTree;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file = "fuzz.yaml";
  std::optional<kfpp::Diagnostic> block_error;
  auto block = YamlTree::parse(text, file, {}, block_error, YamlTree::Parser::block);
  if (block_error) return 0;
  std::optional<kfpp::Diagnostic> libyaml_error;
  auto libyaml = YamlTree::parse(text, file, {}, libyaml_error, YamlTree::Parser::libyaml);
  if (libyaml_error || !(*block == *libyaml)) std::abort();
  return 0;
}
