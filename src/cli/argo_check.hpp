// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "kfpp/error.hpp"

namespace kfpp::cli {

/// Whether a parsed document is an Argo resource (`apiVersion: argoproj.io/…`).
[[nodiscard]] bool is_argo_document(const YAML::Node& doc);

/// The `kind` of an Argo resource, or "resource".
[[nodiscard]] std::string argo_kind(const YAML::Node& doc);

/// The problems of an Argo Workflow, WorkflowTemplate or CronWorkflow that a controller would
/// reject or run wrongly: kinds and names (DNS-1123, length limits), unknown keys of the
/// workflow, its spec, templates and DAG tasks, the entrypoint, template types, DAG task names,
/// references to templates and tasks, `depends` expressions, cycles, and `{{inputs…}}`,
/// `{{tasks…}}` and `{{workflow.parameters…}}` references. Paths are `file:line:column key.path`.
[[nodiscard]] std::vector<Diagnostic> check_argo(const YAML::Node& doc, const std::string& file);

}  // namespace kfpp::cli
