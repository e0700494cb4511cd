// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "runner/engine.hpp"

namespace kfpp::detail {

/// Where a leaf task's outputs go.
struct OutputPaths {
  std::map<std::string, std::string> parameter_files;  ///< output parameter → file
  std::map<std::string, ArtifactResult> artifacts;     ///< output artifact → where it goes
  std::string executor_output;  ///< the executor's output file (`outputs.outputFile`)
};

/// The executor input (`{{$}}`) of a task as JSON, in the form the KFP launcher gives it.
[[nodiscard]] std::string executor_input_json(const ir::Component& comp, const Inputs& in,
                                              const OutputPaths& out);

/// The command-line elements `args` with every placeholder replaced: input values (numbers as
/// the backend writes them), output files, artifact paths, URIs and metadata, the executor
/// input, and pipeline-level placeholders (through `pipeline_text`). `Concat` and `IfPresent`
/// are evaluated. Throws `kfpp::Error` `kfpp.placeholder` for one it cannot fill, naming it.
[[nodiscard]] std::vector<std::string> resolve_args(
    const std::vector<ir::Arg>& args, const ir::Component& comp, const Inputs& in,
    const OutputPaths& out, const std::function<std::string(const std::string&)>& pipeline_text);

/// `text` with each `{{$.inputs.parameters['name']}}` of a name in `parameters` replaced by that
/// value as the KFP launcher writes it (what the SDK's f-strings lower to); the rest left as is.
[[nodiscard]] std::string fill_input_parameters(const std::string& text,
                                                const ir::Value::Object& parameters);

/// Importer metadata with its placeholders filled from `parameters`: a string that is one
/// placeholder becomes the value itself, other strings and keys get the value's text.
[[nodiscard]] ir::Value fill_metadata(const ir::Value& metadata,
                                      const ir::Value::Object& parameters);

/// An artifact's JSON as the executor input writes it.
[[nodiscard]] ir::Value artifact_json(const ArtifactResult& a);

}  // namespace kfpp::detail
