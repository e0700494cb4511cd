// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp {

/// The KFP v2 IR YAML of `pipeline` (a `# PIPELINE DEFINITION` header, then the `PipelineSpec`),
/// exactly as the KFP backend reads it. Pure and deterministic: same IR, same bytes. It does not
/// validate; `compile_kfp` does.
/// Example: `std::string yaml = kfpp::emit_kfp(ir);`
[[nodiscard]] std::string emit_kfp(const ir::Pipeline& pipeline);

/// Validates `pipeline` (throws `kfpp::ValidationError` with every finding) and returns its KFP IR.
/// Example: `std::string yaml = kfpp::compile_kfp(ir);`
[[nodiscard]] std::string compile_kfp(const ir::Pipeline& pipeline);

/// Like `compile_kfp`, then writes the text to `path` atomically: on any error the file is left as
/// it was. Throws `kfpp::IoError` when the file cannot be written.
/// Example: `kfpp::compile_kfp_to_file(ir, "pipeline.yaml");`
void compile_kfp_to_file(const ir::Pipeline& pipeline, const std::string& path);

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so readers
/// see the old file or the whole new one, never a part. Throws `kfpp::IoError`.
/// Example: `kfpp::write_file_atomically("out.yaml", text);`
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace kfpp
