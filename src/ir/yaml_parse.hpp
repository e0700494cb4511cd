// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kfpp/error.hpp"
#include "kfpp/ir/reader.hpp"

// A YAML stream read into a compact tree (by kfpp's block reader, or libyaml's event parser for
// any other YAML; src/ir/yaml_builder.hpp): every node keeps its kind,
// whether a scalar was plain, its explicit tag and its `line:column`. The limits of
// `ir::ReadLimits` are enforced while the events arrive, duplicate keys are refused at every
// depth, and an alias shares the node it names instead of copying it.
namespace kfpp::detail {

class YamlTree;
class YamlNode;

/// One entry of a map.
struct YamlEntry;
template <class T>
class YamlRange;

/// A position in the text, 1-based; line 0 means "unknown".
struct YamlMark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// One node of a `YamlTree`, or none (`defined()` is false). Cheap to copy; valid while the tree
/// lives.
class YamlNode {
 public:
  YamlNode() = default;
  YamlNode(const YamlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  [[nodiscard]] bool defined() const noexcept { return tree_ != nullptr; }
  /// A scalar that is not null (as `is_null` says).
  [[nodiscard]] bool is_scalar() const noexcept;
  [[nodiscard]] bool is_list() const noexcept;
  [[nodiscard]] bool is_map() const noexcept;
  /// A plain `~`, `null`, `Null`, `NULL` or empty scalar without a tag, or one tagged `!!null`.
  [[nodiscard]] bool is_null() const noexcept;
  /// A plain scalar without a tag: its type is resolved from its text.
  [[nodiscard]] bool is_plain() const noexcept;
  /// The explicit tag (`tag:yaml.org,2002:str` for `!!str`), or "" when there is none.
  [[nodiscard]] std::string_view tag() const noexcept;
  /// The text of a scalar ("" for a list or a map).
  [[nodiscard]] std::string_view scalar() const noexcept;
  /// `scalar()` as a string.
  [[nodiscard]] std::string text() const { return std::string(scalar()); }
  /// The items of a list, or the entries of a map.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] YamlMark mark() const noexcept;
  /// Item `i` of a list.
  [[nodiscard]] YamlNode item(std::size_t i) const noexcept;
  /// The key, or the value, of entry `i` of a map.
  [[nodiscard]] YamlNode key(std::size_t i) const noexcept;
  [[nodiscard]] YamlNode value(std::size_t i) const noexcept;
  /// The value of `key` in a map (undefined when absent or when this is not a map).
  [[nodiscard]] YamlNode operator[](std::string_view key) const noexcept;
  /// The entry of `key` in a map, or `size()` when it has none.
  [[nodiscard]] std::size_t find(std::string_view key) const noexcept;

  /// The items of a list (none for anything else).
  [[nodiscard]] YamlRange<YamlNode> items() const;
  /// The entries of a map (none for anything else).
  [[nodiscard]] YamlRange<YamlEntry> entries() const;

 private:
  const YamlTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

struct YamlEntry {
  YamlNode key;
  YamlNode value;
};

/// The items (`T` = `YamlNode`) or entries (`T` = `YamlEntry`) of a node, for range-for.
template <class T>
class YamlRange {
 public:
  class iterator {
   public:
    iterator(const YamlNode* n, std::size_t i) : n_(n), i_(i) {}
    T operator*() const {
      if constexpr (std::is_same_v<T, YamlEntry>)
        return YamlEntry{n_->key(i_), n_->value(i_)};
      else
        return n_->item(i_);
    }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const YamlNode* n_;
    std::size_t i_;
  };
  explicit YamlRange(const YamlNode& n) : n_(n) {}
  [[nodiscard]] iterator begin() const { return {&n_, 0}; }
  [[nodiscard]] iterator end() const { return {&n_, n_.size()}; }

 private:
  YamlNode n_;
};

inline YamlRange<YamlNode> YamlNode::items() const {
  return YamlRange<YamlNode>(is_list() ? *this : YamlNode());
}
inline YamlRange<YamlEntry> YamlNode::entries() const {
  return YamlRange<YamlEntry>(is_map() ? *this : YamlNode());
}

/// Every document of one YAML stream.
class YamlTree {
 public:
  /// The kinds of node.
  enum class Kind : std::uint8_t { scalar, list, map };

  /// Which parser reads the text: the block reader when the text keeps to the block style it
  /// reads and libyaml otherwise (`any`), or only one of them (to compare them).
  enum class Parser : std::uint8_t { any, libyaml, block };

  /// Parses `text`; a problem (syntax, invalid UTF-8, a limit) is returned in `error` and gives
  /// a tree with the documents read before it. Scalars written as they read (most of them) are
  /// views of `text`: keep it alive, unchanged, as long as the tree. With `Parser::block`, a
  /// text the block reader does not read gives the problem `kfpp.yaml_block`.
  static std::unique_ptr<YamlTree> parse(std::string_view text, const std::string& file,
                                         const ir::ReadLimits& limits,
                                         std::optional<Diagnostic>& error,
                                         Parser parser = Parser::any);

  /// The same nodes, with the same marks, text and places, in the same order.
  friend bool operator==(const YamlTree& a, const YamlTree& b);

  /// The root node of each document.
  [[nodiscard]] std::vector<YamlNode> documents() const;

 private:
  friend class YamlNode;
  friend class YamlBuilder;

  struct Node {
    Kind kind;
    bool plain : 1;
    bool in_input : 1;     // a scalar's bytes are in input_, not in text_
    std::uint16_t tag;     // index into tags_; 0: none
    std::uint32_t line;    // 1-based
    std::uint32_t column;  // 1-based
    std::uint32_t offset;  // into input_ or text_ (scalar), or children_ (list, map)
    std::uint32_t length;  // bytes (scalar), items (list) or entries (map)
  };

  static_assert(sizeof(Node) == 20, "a node stays 20 bytes: there are millions of them");

  // The bytes of scalar `n`.
  [[nodiscard]] std::string_view text_of(const Node& n) const noexcept {
    return (n.in_input ? input_ : std::string_view(text_)).substr(n.offset, n.length);
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> children_;  // lists: items; maps: key, value, key, value …
  std::string_view input_;               // the text parsed
  std::string text_;  // the bytes of the scalars that differ from their text (escapes, folding)
  std::vector<std::string> tags_{std::string()};
  std::vector<std::uint32_t> documents_;
};

}  // namespace kfpp::detail
