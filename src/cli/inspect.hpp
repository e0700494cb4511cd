// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::cli {

/// A pipeline at a glance: its inputs and outputs, counts, the images, accelerators, secrets,
/// config maps and volumes it uses, then each task with its image, resources, GPUs, environment,
/// caching, retries, condition and pod settings. Secret values never appear, only names and keys.
[[nodiscard]] std::string inspect_text(const ir::Pipeline& pipeline);

}  // namespace kfpp::cli
