// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
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

/// A key path (`root.dag.tasks.a`, `….command[2]`) spelled out only when a problem is recorded:
/// a text, or a parent path and one step (a key or a list index). It refers to its text, its
/// parent and its key, so it lives no longer than they do: a call's argument, or a `MapInput`
/// inside the scope of the one its path came from.
/// Example: `YamlPath(parent, "dag")` spells `parent.dag`; `YamlPath(items, 2)` spells `items[2]`.
class YamlPath {
 public:
  YamlPath(const std::string& text) : text_(text) {}  // NOLINT(google-explicit-constructor)
  YamlPath(const char* text) : text_(text) {}         // NOLINT(google-explicit-constructor)
  YamlPath(const YamlPath& parent, std::string_view key) : parent_(&parent), text_(key) {}
  YamlPath(const YamlPath& parent, std::size_t index) : parent_(&parent), index_(index) {}

  /// The path as the messages write it: `a.b[2].c`.
  [[nodiscard]] std::string str() const;
  operator std::string() const { return str(); }  // NOLINT(google-explicit-constructor)

 private:
  void append_to(std::string& out) const;

  const YamlPath* parent_ = nullptr;
  std::string_view text_;  // the whole path without a parent, else the key (none for an index)
  std::size_t index_ = std::string::npos;
};

class YamlInput {
 public:
  YamlInput(std::string file, bool strict, std::vector<Diagnostic>* warnings,
            ir::ReadLimits limits = {})
      : file_(std::move(file)), strict_(strict), warnings_(warnings), limits_(limits) {}

  /// Parses every document of `text` (kept while this input lives; `text` must live as long,
  /// the tree's scalars are views of it); a syntax error or a limit exceeded is recorded and
  /// gives no documents.
  std::vector<YamlNode> load_all(std::string_view text);

  /// Records a problem at node `at` (or at the last located node when `at` has no position).
  void error(const YamlNode& at, const YamlPath& path, std::string code, std::string message,
             std::string fix);
  /// A key nobody reads: an error when strict, a warning otherwise.
  void unknown_key(const YamlNode& at, const YamlPath& path, const std::string& known);

  [[nodiscard]] bool failed() const noexcept { return !errors_.empty(); }
  /// Throws `kfpp::ParseError` with every recorded problem, if any.
  void throw_if_failed();
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  /// A JSON-like value the way PyYAML (YAML 1.1) resolves plain scalars: `yes` is true, `1.0` a
  /// float, `1e3` a string.
  ir::Value value(const YamlNode& n, const YamlPath& path);
  /// Text parsed as JSON (numbers, strings, lists, objects, true/false/null).
  std::optional<ir::Value> json(const YamlNode& at, const YamlPath& path, const std::string& text);

  /// A scalar as text; records an error and returns "" for a list or a map.
  std::string string(const YamlNode& n, const YamlPath& path);
  bool boolean(const YamlNode& n, const YamlPath& path);
  /// An integer, also given as a string of digits (as proto3 JSON writes 64-bit integers).
  std::int64_t integer(const YamlNode& n, const YamlPath& path);
  double number(const YamlNode& n, const YamlPath& path);
  /// A list of scalars.
  std::vector<std::string> strings(const YamlNode& n, const YamlPath& path);

  /// Whether `n` is a map (records an error naming `what` when it is not).
  bool expect_map(const YamlNode& n, const YamlPath& path, const char* what);
  bool expect_list(const YamlNode& n, const YamlPath& path, const char* what);

 private:
  /// At most this many problems are listed; the rest are counted.
  static constexpr std::size_t kMaxProblems = 1000;

  void record(Diagnostic d);
  std::string where(const YamlNode& at) const;
  static ir::Value resolve_plain(std::string_view s);

  std::string file_;
  bool strict_;
  std::vector<Diagnostic>* warnings_;
  std::vector<Diagnostic> errors_;
  ir::ReadLimits limits_;
  std::vector<std::unique_ptr<YamlTree>> trees_;
  YamlMark last_{};
  std::size_t dropped_ = 0;
};

/// The keys of one map, read by name; `finish` reports the rest as unknown. The path is kept as
/// given (see `YamlPath`): a temporary string is refused.
class MapInput {
 public:
  MapInput(YamlInput& in, YamlNode node, YamlPath path, const char* what);
  MapInput(YamlInput& in, YamlNode node, const char* path, const char* what)
      : MapInput(in, node, YamlPath(path), what) {}
  MapInput(YamlInput& in, YamlNode node, std::string&& path, const char* what) = delete;
  MapInput(const MapInput&) = delete;
  MapInput& operator=(const MapInput&) = delete;

  /// Whether the node is a map at all.
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  /// The value of `key` (an undefined node when absent), marking it read. `key` must outlive
  /// this map input (a literal, or a key of the tree).
  YamlNode get(std::string_view key);
  [[nodiscard]] bool has(std::string_view key) const;
  /// `path.key`.
  [[nodiscard]] YamlPath path(std::string_view key) const { return {path_, key}; }
  [[nodiscard]] const YamlPath& path() const noexcept { return path_; }
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
  // The entry of `key`, or the map's size when there is none; `has` and then `get` of one key
  // look it up once.
  [[nodiscard]] std::size_t find(std::string_view key) const noexcept;

  YamlInput& in_;
  YamlNode node_;
  YamlPath path_;
  bool ok_;
  // Every key asked for, in the order asked: the first ones here, the rest in more_asked_.
  std::array<std::string_view, 12> asked_{};
  std::size_t asked_count_ = 0;
  std::vector<std::string_view> more_asked_;
  std::uint64_t read_entries_ = 0;  // bit i: entry i was asked for (the first 64)
  mutable std::string_view last_key_;
  mutable std::size_t last_entry_ = 0;
};

/// Calls `f(key, value, path)` for each entry of a map whose keys are names (ports, tasks …),
/// the key a `std::string_view` and the path a `YamlPath`; an absent node has none.
template <class F>
void for_each_entry(YamlInput& in, const YamlNode& n, const YamlPath& path, const char* what,
                    F&& f) {
  if (!n.defined() || !in.expect_map(n, path, what)) return;
  for (const auto& kv : n.entries()) {
    const std::string_view key = kv.key.scalar();
    f(key, kv.value, YamlPath(path, key));
  }
}

/// Calls `f(item, path)` for each item of a list, the path a `YamlPath`; an absent node has none.
template <class F>
void for_each_item(YamlInput& in, const YamlNode& n, const YamlPath& path, const char* what,
                   F&& f) {
  if (!n.defined() || !in.expect_list(n, path, what)) return;
  std::size_t i = 0;
  for (const auto& item : n.items()) f(item, YamlPath(path, i++));
}

}  // namespace kfpp::detail

namespace kfpp::detail {

/// `read_pipeline` on documents parsed already (by `YamlTree::parse`, which must outlive the
/// call), so that a caller who looked at them does not parse the text twice.
ir::Pipeline read_pipeline_documents(const std::vector<YamlNode>& documents,
                                     const std::string& file_name, const ir::ReadOptions& options);

}  // namespace kfpp::detail
