// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/yaml_parse.hpp"

// Builds a `YamlTree` from the events of a YAML parser: a document starts, a scalar, a list or a
// map opens, a collection closes, an alias. Two parsers feed it: libyaml's (any YAML) and the
// block reader (the block style the SDK writes, much faster). Both give it the same events with
// the same marks, so the tree and every problem found while building it (duplicate keys, the
// limits of `ir::ReadLimits`) do not depend on which parser read the text.
namespace kfpp::detail {

/// How a scalar was written.
enum class YamlStyle : std::uint8_t { plain, single_quoted, double_quoted, literal, folded };

class YamlBuilder {
 public:
  /// `text` is the input without its byte order mark; it must outlive the tree.
  YamlBuilder(YamlTree& tree, std::string_view text, const std::string& file,
              const ir::ReadLimits& limits);

  using Result = std::optional<Diagnostic>;

  Result document(YamlMark m);
  /// A scalar whose value is `value`; `byte_at` is where its text starts in the input (after the
  /// opening quote), or `npos` when unknown. A value equal to the input's bytes there is kept as
  /// a view of the input, any other is copied into the tree.
  Result scalar(YamlMark m, std::size_t byte_at, std::string_view value, YamlStyle style,
                const char* tag, const char* anchor);
  Result open(YamlTree::Kind kind, YamlMark m, const char* tag, const char* anchor);
  Result close();
  Result alias(YamlMark m, const char* anchor);

  /// The problem reported at `m` (with the key path of the node being read), for the parsers'
  /// own errors.
  [[nodiscard]] Diagnostic problem(std::string code, YamlMark m, std::string what,
                                   std::string fix) const;
  /// `file:line:column` of `m`.
  [[nodiscard]] std::string at(YamlMark m) const;
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  struct Frame {
    std::uint32_t node;
    std::size_t first;  // where its children start in pending_
    std::uint64_t weight;
  };

  [[nodiscard]] std::string path_through(std::size_t levels) const;
  [[nodiscard]] std::size_t children_before(std::size_t i) const;
  std::uint16_t tag_index(const char* tag);
  void set_weight(std::uint32_t node, std::uint64_t weight);
  Result new_node(YamlMark m, YamlTree::Kind kind, const char* tag, const char* anchor,
                  std::uint32_t& index);
  Result attach(std::uint32_t index, std::uint64_t weight);
  Result duplicate_key(const Frame& f);

  YamlTree& tree_;
  std::string_view text_;
  const std::string& file_;
  const ir::ReadLimits& limits_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> pending_;
  std::vector<std::uint32_t> open_;
  std::unordered_map<std::uint32_t, std::uint64_t> weights_;  // of the anchored nodes
  std::unordered_map<std::string, std::uint32_t> anchors_;
  std::unordered_map<std::string, std::uint16_t> tag_ids_;
  std::size_t aliases_ = 0;
  std::uint64_t expansion_ = 0;
};

/// Reads `text` with libyaml into `b`; the first problem found, if any.
std::optional<Diagnostic> read_with_libyaml(YamlBuilder& b, std::string_view text);

/// Reads `text` with the block reader into `b` when the text keeps to what it reads: block
/// mappings and lists, plain, quoted and literal scalars, comments, `---` between documents,
/// empty `{}` and `[]`, printable UTF-8 without tabs. Returns false, leaving `b` half-built, for anything
/// else and for every problem (syntax, duplicate keys, limits): the caller then reads the text
/// with libyaml into a new tree, which finds and reports the problem.
bool read_block_yaml(YamlBuilder& b, std::string_view text);

}  // namespace kfpp::detail
