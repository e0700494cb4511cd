// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "kfpp/ir/kubernetes.hpp"
#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

/// The JSON form of a config, as the reference writes it under
/// `platforms.kubernetes.deploymentSpec.executors`: proto field names in camelCase, unset fields
/// left out, numbers as doubles and 64-bit integers as strings.
[[nodiscard]] ir::Value kubernetes_config_json(const ir::KubernetesConfig& c);

/// `{runtimeValue: {constant: …}}`, `{componentInputParameter: …}` or `{taskOutputParameter: …}`.
/// `pipelineConfig`: the workspace and the run-level limits, zero values left out.
[[nodiscard]] ir::Value pipeline_config_json(const ir::PipelineConfig& c);

[[nodiscard]] ir::Value input_parameter_json(const ir::ParameterBinding& b);

}  // namespace kfpp::detail
