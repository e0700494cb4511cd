// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "ir/yaml_parse.hpp"

#include "kfpp/error.hpp"

namespace kfpp::cli {

/// Whether a parsed document is an Argo resource (`apiVersion: argoproj.io/…`).
[[nodiscard]] bool is_argo_document(const detail::YamlNode& doc);

/// The `kind` of an Argo resource, or "resource".
[[nodiscard]] std::string argo_kind(const detail::YamlNode& doc);

/// The problems of an Argo Workflow, WorkflowTemplate or CronWorkflow that a controller would
/// reject or run wrongly: kinds and names (DNS-1123, length limits), unknown keys of the
/// workflow, its spec, templates and DAG tasks, the entrypoint, template types, DAG task names,
/// references to templates and tasks, `depends` expressions, cycles, and `{{inputs…}}`,
/// `{{tasks…}}` and `{{workflow.parameters…}}` references. Paths are `file:line:column key.path`.
[[nodiscard]] std::vector<Diagnostic> check_argo(const detail::YamlNode& doc,
                                                 const std::string& file);

}  // namespace kfpp::cli
