// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/yaml_parse.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/value.hpp"

// Reading YAML documents strictly: every problem is recorded with `file:line:column` and the key
// path, and a map reports the keys nobody asked for.
namespace kfpp::detail {

class YamlInput {
 public:
  YamlInput(std::string file, bool strict, std::vector<Diagnostic>* warnings,
            ir::ReadLimits limits = {})
      : file_(std::move(file)), strict_(strict), warnings_(warnings), limits_(limits) {}

  /// Parses every document of `text` (kept while this input lives); a syntax error or a limit
  /// exceeded is recorded and gives no documents.
  std::vector<YamlNode> load_all(std::string_view text);

  /// Records a problem at node `at` (or at the last located node when `at` has no position).
  void error(const YamlNode& at, const std::string& path, std::string code, std::string message,
             std::string fix);
  /// A key nobody reads: an error when strict, a warning otherwise.
  void unknown_key(const YamlNode& at, const std::string& path, const std::string& known);

  [[nodiscard]] bool failed() const noexcept { return !errors_.empty(); }
  /// Throws `kfpp::ParseError` with every recorded problem, if any.
  void throw_if_failed();
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  /// A JSON-like value the way PyYAML (YAML 1.1) resolves plain scalars: `yes` is true, `1.0` a
  /// float, `1e3` a string.
  ir::Value value(const YamlNode& n, const std::string& path);
  /// Text parsed as JSON (numbers, strings, lists, objects, true/false/null).
  std::optional<ir::Value> json(const YamlNode& at, const std::string& path,
                                const std::string& text);

  /// A scalar as text; records an error and returns "" for a list or a map.
  std::string string(const YamlNode& n, const std::string& path);
  bool boolean(const YamlNode& n, const std::string& path);
  /// An integer, also given as a string of digits (as proto3 JSON writes 64-bit integers).
  std::int64_t integer(const YamlNode& n, const std::string& path);
  double number(const YamlNode& n, const std::string& path);
  /// A list of scalars.
  std::vector<std::string> strings(const YamlNode& n, const std::string& path);

  /// Whether `n` is a map (records an error naming `what` when it is not).
  bool expect_map(const YamlNode& n, const std::string& path, const char* what);
  bool expect_list(const YamlNode& n, const std::string& path, const char* what);

 private:
  /// At most this many problems are listed; the rest are counted.
  static constexpr std::size_t kMaxProblems = 1000;

  void record(Diagnostic d);
  std::string where(const YamlNode& at) const;
  ir::Value resolve_plain(const std::string& s) const;

  std::string file_;
  bool strict_;
  std::vector<Diagnostic>* warnings_;
  std::vector<Diagnostic> errors_;
  ir::ReadLimits limits_;
  std::vector<std::unique_ptr<YamlTree>> trees_;
  YamlMark last_{};
  std::size_t dropped_ = 0;
};

/// The keys of one map, read by name; `finish` reports the rest as unknown.
class MapInput {
 public:
  MapInput(YamlInput& in, YamlNode node, std::string path, const char* what);
  MapInput(const MapInput&) = delete;
  MapInput& operator=(const MapInput&) = delete;

  /// Whether the node is a map at all.
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  /// The value of `key` (an undefined node when absent), marking it read.
  YamlNode get(std::string_view key);
  [[nodiscard]] bool has(std::string_view key) const;
  /// `path.key`.
  [[nodiscard]] std::string path(std::string_view key) const;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const YamlNode& node() const noexcept { return node_; }

  std::string string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  /// An integer that must lie in `[min, max]` (its proto type, e.g. a non-negative int32);
  /// anything else is `kfpp.out_of_range`.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key);

  /// Records every key not read, and duplicated keys.
  void finish();

 private:
  YamlInput& in_;
  YamlNode node_;
  std::string path_;
  bool ok_;
  std::vector<std::string> read_;
};

/// Calls `f(key, value, path)` for each entry of a map whose keys are names (ports, tasks …);
/// an absent node has none.
template <class F>
void for_each_entry(YamlInput& in, const YamlNode& n, const std::string& path, const char* what,
                    F&& f) {
  if (!n.defined() || !in.expect_map(n, path, what)) return;
  for (const auto& kv : n.entries()) {
    std::string key = kv.key.text();
    f(key, kv.value, path + "." + key);
  }
}

/// Calls `f(item, path)` for each item of a list; an absent node has none.
template <class F>
void for_each_item(YamlInput& in, const YamlNode& n, const std::string& path, const char* what,
                   F&& f) {
  if (!n.defined() || !in.expect_list(n, path, what)) return;
  std::size_t i = 0;
  for (const auto& item : n.items()) f(item, path + "[" + std::to_string(i++) + "]");
}

}  // namespace kfpp::detail

namespace kfpp::detail {

/// `read_pipeline` on documents parsed already (by `YamlTree::parse`, which must outlive the
/// call), so that a caller who looked at them does not parse the text twice.
ir::Pipeline read_pipeline_documents(const std::vector<YamlNode>& documents,
                                     const std::string& file_name, const ir::ReadOptions& options);

}  // namespace kfpp::detail
