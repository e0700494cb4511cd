// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"

namespace kfpp::ir {

/// The bounds a YAML input must stay within; each one exceeded is a `kfpp::ParseError` whose code
/// names it (`kfpp.input_too_large`, `kfpp.too_deep`, `kfpp.too_many_documents`,
/// `kfpp.too_many_aliases`, `kfpp.alias_expansion`), checked while parsing, so that no input can
/// make the reader run away. The defaults hold every pipeline of 500 000 tasks.
/// Example: `kfpp::ir::ReadOptions o; o.limits.max_input_bytes = 1ull << 30;`
struct ReadLimits {
  /// The size of the text, in bytes.
  std::size_t max_input_bytes = std::size_t{256} << 20;
  /// How deeply lists and maps nest.
  std::size_t max_depth = 200;
  /// The YAML documents in one stream.
  std::size_t max_documents = 100;
  /// The aliases (`*name`) in one stream.
  std::size_t max_aliases = 10000;
  /// What the aliases add once expanded: the bytes of their scalars plus 32 per node.
  std::size_t max_alias_expansion = std::size_t{16} << 20;
};

/// How the IR reader treats what it does not know.
/// Example: `std::vector<kfpp::Diagnostic> w; kfpp::ir::read_pipeline_file(path, {.strict = false, .warnings = &w});`
struct ReadOptions {
  /// Strict (the default): a key the reader does not know is an error (`kfpp.unknown_key`).
  /// Lenient: such a key is skipped and reported in `warnings`, if given.
  bool strict = true;
  /// Receives the skipped keys of a lenient read.
  std::vector<Diagnostic>* warnings = nullptr;
  /// The bounds on the input (size, nesting, documents, aliases).
  ReadLimits limits = {};
};

/// Reads KFP v2 IR YAML (a `PipelineSpec`, then optionally the kfp-kubernetes `PlatformSpec` as a
/// second document) into the IR: a pipeline, or a single component compiled as one. Throws
/// `kfpp::ParseError` listing every problem, each with `file:line:column` and the key path, e.g.
/// `pipeline.yaml:12:9 root.dag.tasks.train.cachingOptions.enableCahe`. It does not validate;
/// `kfpp::ir::validate` does.
/// Example: `kfpp::ir::Pipeline p = kfpp::ir::read_pipeline(text, "pipeline.yaml");`
[[nodiscard]] Pipeline read_pipeline(std::string_view yaml,
                                     const std::string& file_name = "<input>",
                                     const ReadOptions& options = {});

/// Like `read_pipeline`, reading the file at `path`; a missing or unreadable file is a
/// `kfpp::ParseError` with code `kfpp.io`.
/// Example: `auto p = kfpp::ir::read_pipeline_file("pipeline.yaml");`
[[nodiscard]] Pipeline read_pipeline_file(const std::string& path, const ReadOptions& options = {});

/// The whole text of the file at `path`; throws `kfpp::ParseError` (`kfpp.io`) when it cannot be
/// read. Example: `std::string text = kfpp::ir::read_text_file("pipeline.yaml");`
[[nodiscard]] std::string read_text_file(const std::string& path);

/// Like `read_text_file`, refusing (`kfpp.input_too_large`) a file, pipe or device that gives more
/// than `max_bytes`; a directory is a `kfpp.io` error.
/// Example: `std::string text = kfpp::ir::read_text_file("/dev/stdin", 64 << 20);`
[[nodiscard]] std::string read_text_file(const std::string& path, std::size_t max_bytes);

}  // namespace kfpp::ir
