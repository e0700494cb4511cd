// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp {

/// The drawing languages `emit_graph` writes.
/// Example: `std::string dot = kfpp::emit_graph(ir, kfpp::GraphFormat::dot);`
enum class GraphFormat {
  dot,      ///< Graphviz (`dot -Tsvg`)
  mermaid,  ///< a Mermaid flowchart (renders in GitHub Markdown)
};

/// The pipeline's task graph: one node per task, an edge from each task to the tasks that wait for
/// it (listed dependencies and data alike), and conditions, loops, exit handlers and nested
/// pipelines drawn as clusters holding their tasks. Node ids come from task paths
/// (`ml-training/condition-1/deploy`), so they stay the same when unrelated tasks change.
/// Deterministic: same IR, same text. It does not validate.
/// Example: `std::string dot = kfpp::emit_graph(ir, kfpp::GraphFormat::dot);`
[[nodiscard]] std::string emit_graph(const ir::Pipeline& pipeline, GraphFormat format);

}  // namespace kfpp
