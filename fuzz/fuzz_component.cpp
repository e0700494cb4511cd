// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes through the component-file loader (KFP v1 component.yaml and v2
// IR components), then the component's own pipeline compiled back to IR.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kfpp/error.hpp"
#include "kfpp/kfpp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    kfpp::LoadedComponent c = kfpp::load_component_text(text, "component.yaml");
    (void)kfpp::component_yaml(c.data());
  } catch (const kfpp::Error&) {
  }
  return 0;
}
