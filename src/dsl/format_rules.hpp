// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "state.hpp"

namespace kfpp::detail {

/// Checks the channels of a template (`kfpp::format`) given at `where`: of this pipeline, and
/// read whole (not a field of a struct loop item, not a OneOf); throws DefinitionError.
void check_template_parts(const PipelineState& st, const std::vector<Source>& parts,
                          const Where& where);

}  // namespace kfpp::detail
