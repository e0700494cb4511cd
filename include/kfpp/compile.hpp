// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>

#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/dsl/pipeline.hpp"
#include "kfpp/runner/run.hpp"

namespace kfpp {

class Client;
struct PipelineInfo;
struct PipelineVersion;
struct Run;
struct RunRequest;
struct UploadOptions;
struct VersionOptions;
/// Settings that replace the pipeline's own when compiling: the SDK's
/// `Compiler().compile(..., pipeline_name=, pipeline_parameters=)`, and the pipeline root and
/// display name. Empty fields leave the pipeline's own.
/// Example: `kfpp::compile(p, {.pipeline_name = "nightly", .parameters = {{"epochs", 20}}})`
struct CompileOptions {
  std::string pipeline_name{};  ///< replaces `pipelineInfo.name`
  std::string display_name{};   ///< replaces `pipelineInfo.displayName`
  std::string pipeline_root{};  ///< replaces `defaultPipelineRoot`
  /// New defaults of pipeline parameters, by name; each must be of the parameter's type.
  std::map<std::string, Json> parameters{};
};

/// Applies `options` to lowered IR; throws DefinitionError for an unknown parameter, an artifact
/// input, a value of another type or an invalid name.
/// Example: `kfpp::ir::Pipeline ir = p.ir(); kfpp::apply_compile_options(ir, {.pipeline_root = "gs://b"});`
void apply_compile_options(ir::Pipeline& ir, const CompileOptions& options);

/// The value of pipeline parameter `name` written as text, read by the parameter's type
/// (`STRING` as is; `true`/`false`; integers; numbers; JSON lists and objects), as `run_main`'s
/// `--param name=text` does; throws DefinitionError when the text does not fit.
/// Example: `kfpp::Json v = kfpp::parameter_value_from_text(ir, "epochs", "20");`
[[nodiscard]] Json parameter_value_from_text(const ir::Pipeline& ir, const std::string& name,
                                             const std::string& text);

/// Lowers, validates and compiles a pipeline to KFP IR YAML.
/// Example: `std::string yaml = kfpp::compile(p);`
[[nodiscard]] std::string compile(const Pipeline& pipeline);

/// `compile` of a pipeline that is going away: its data is moved into the IR and the rest freed
/// before the IR is validated and written, so that the two are not in memory together.
/// Example: `std::string yaml = kfpp::compile(build());`
[[nodiscard]] std::string compile(Pipeline&& pipeline);

/// Like `compile`, written atomically to `path` (no file is written on error).
/// Example: `kfpp::compile_to_file(p, "pipeline.yaml");`
void compile_to_file(const Pipeline& pipeline, const std::string& path);

/// `compile_to_file` of a pipeline that is going away, freed as `compile(Pipeline&&)` frees it.
/// Example: `kfpp::compile_to_file(build(), "pipeline.yaml");`
void compile_to_file(Pipeline&& pipeline, const std::string& path);

/// `compile` with settings replaced as `options` says.
/// Example: `std::string yaml = kfpp::compile(p, {.parameters = {{"threshold", 0.9}}});`
[[nodiscard]] std::string compile(const Pipeline& pipeline, const CompileOptions& options);

/// `compile_to_file` with settings replaced as `options` says.
/// Example: `kfpp::compile_to_file(p, "nightly.yaml", {.pipeline_name = "nightly"});`
void compile_to_file(const Pipeline& pipeline, const std::string& path,
                     const CompileOptions& options);

/// Lowers, validates and compiles a pipeline to an Argo Workflows resource.
/// Example: `std::string yaml = kfpp::compile_argo(p, {.namespace_ = "ml"});`
[[nodiscard]] std::string compile_argo(const Pipeline& pipeline, const ArgoOptions& options = {});

/// `compile_argo` with the pipeline's settings replaced as `options` says.
/// Example: `std::string yaml = kfpp::compile_argo(p, {}, {.parameters = {{"epochs", 3}}});`
[[nodiscard]] std::string compile_argo(const Pipeline& pipeline, const ArgoOptions& argo,
                                       const CompileOptions& options);

/// A component as a reusable KFP v2 IR component file (the form the Python SDK's compiler writes
/// for a component): `kfpp::load_component` and the KFP SDK's `load_component_from_file` read it.
/// Example: `std::string yaml = kfpp::component_yaml(add.data());`
[[nodiscard]] std::string component_yaml(const detail::ComponentData& component);

/// Writes `component_yaml(component)` to `path` atomically.
/// Example: `kfpp::save_component(add, "add.yaml");`
template <class In, class Out>
void save_component(const Component<In, Out>& component, const std::string& path) {
  write_file_atomically(path, component_yaml(component.data()));
}
/// Example: `kfpp::save_component(kfpp::load_component("v1.yaml"), "v2.yaml");`
inline void save_component(const LoadedComponent& component, const std::string& path) {
  write_file_atomically(path, component_yaml(component.data()));
}

/// Lowers a pipeline and runs it on this machine: `kfpp::run_local` of its IR.
/// Example: `kfpp::RunResult r = kfpp::run_local(p, {.parameters = {{"a", 3.0}}});`
[[nodiscard]] RunResult run_local(const Pipeline& pipeline, const RunOptions& options = {});

/// Compiles `pipeline` (validating it) and uploads it as a new pipeline through `client` (declared
/// in `<kfpp/client/client.hpp>`, which the call needs).
/// Example: `kfpp::PipelineInfo info = kfpp::upload_pipeline(client, p, {.name = "training"});`
PipelineInfo upload_pipeline(Client& client, const Pipeline& pipeline,
                             const UploadOptions& options);

/// Compiles `pipeline` and uploads it as a new version of the pipeline `pipeline_id`.
/// Example: `auto v = kfpp::upload_pipeline_version(client, p, id, {.name = "v2"});`
PipelineVersion upload_pipeline_version(Client& client, const Pipeline& pipeline,
                                        const std::string& pipeline_id,
                                        const VersionOptions& options);

/// Compiles `pipeline` and starts a run of it: `request.pipeline` is replaced by its IR.
/// Example: `kfpp::Run r = kfpp::create_run(client, p, {.display_name = "try", .parameters = {{"epochs", 3}}});`
Run create_run(Client& client, const Pipeline& pipeline, const RunRequest& request);

/// The `main` of a pipeline program: builds the pipeline with `build` and writes it as the flags
/// say: `-o FILE` (stdout without), `--target kfp|argo` (with `--kind`, `--schedule` … for Argo),
/// `--validate-only`, `--graph dot|mermaid` (the task graph instead), `--run` (run it on this
/// machine instead, with `-j N`, `--no-cache`, `--work-dir DIR`), `--submit` (compile and start a
/// run on a KFP backend: `--host URL`, `--experiment`, `--wait`, … ; `--help` lists them),
/// `--help`; `--name NAME`, `--display-name TEXT`, `--pipeline-root URI` and `-p, --param
/// NAME=VALUE` (repeatable, read by the parameter's type) replace the pipeline's own settings
/// (`CompileOptions`): a parameter's default when compiling, its value for `--run` and
/// `--submit`. Errors are
/// printed with their code and path; returns 0 on success, 1 for an invalid pipeline, 2 for bad
/// usage or I/O.
/// Example: `int main(int argc, char** argv) { return kfpp::run_main(argc, argv, build); }`
int run_main(int argc, char** argv, Pipeline (*build)());

}  // namespace kfpp
