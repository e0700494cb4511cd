// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kfpp/ir/value.hpp"

namespace kfpp::detail {

class YamlWriter;

/// A YAML tree whose maps keep the order their keys were set in, so that the Argo emitter writes
/// `name` first and reads like hand-written workflows. Built, then written once.
class Node {
 public:
  /// `written`: list items already written as YAML text (see `written`).
  enum class Kind { null, string, integer, number, boolean, seq, map, written };

  Node() = default;
  Node(std::string s) : kind_(Kind::string), s_(std::move(s)) {}
  Node(const char* s) : kind_(Kind::string), s_(s) {}
  Node(std::int64_t i) : kind_(Kind::integer), i_(i) {}
  Node(int i) : kind_(Kind::integer), i_(i) {}
  Node(double d) : kind_(Kind::number), d_(d) {}
  Node(bool b) : kind_(Kind::boolean), i_(b ? 1 : 0) {}

  static Node map() { return Node(Kind::map); }
  static Node seq() { return Node(Kind::seq); }
  /// The same value as a tree (objects keep their sorted key order).
  static Node from(const ir::Value& v);
  /// Items of a list already written as YAML `text` by a YamlWriter that began with
  /// `begin_items(column)`, kept as that text (for the many parts of a workflow that are only
  /// written, such as the tasks of a DAG). `column` is where the list is expected to be in the
  /// document; the text is moved when it is elsewhere. It has no JSON form.
  static Node written(std::string text, int column);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_map() const noexcept { return kind_ == Kind::map; }
  [[nodiscard]] bool empty() const noexcept { return items_.empty() && fields_.empty(); }
  [[nodiscard]] const std::string& str() const noexcept { return s_; }

  /// Sets `key` (replacing a value already there) and returns the value set.
  Node& set(std::string_view key, Node value);
  /// The value under `key`, made an empty map or list (`as`) when absent.
  Node& child(std::string_view key, Kind as = Kind::map);
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  void erase(std::string_view key);
  /// Appends to a list and returns the item.
  Node& push(Node item);

  [[nodiscard]] const std::vector<Node>& items() const noexcept { return items_; }
  [[nodiscard]] std::vector<Node>& items() noexcept { return items_; }
  [[nodiscard]] const std::vector<std::pair<std::string, Node>>& fields() const noexcept {
    return fields_;
  }

  void write(YamlWriter& w) const;
  /// The bytes of its keys, strings and written text: fewer than its YAML takes, enough to
  /// reserve most of a writer's output before writing it.
  [[nodiscard]] std::size_t text_size() const noexcept;
  /// A hash of the content: kinds and values in order (equal trees hash the same).
  [[nodiscard]] std::size_t hash() const noexcept;
  /// The same content: kinds, keys in order, values.
  friend bool operator==(const Node& a, const Node& b) noexcept;
  /// Compact, order-preserving JSON text (used to compare templates and in pod spec patches).
  void append_json(std::string& out) const;

 private:
  explicit Node(Kind k) : kind_(k) {}
  Kind kind_ = Kind::null;
  std::string s_;
  std::int64_t i_ = 0;
  double d_ = 0;
  std::vector<Node> items_;
  std::vector<std::pair<std::string, Node>> fields_;
};

}  // namespace kfpp::detail
