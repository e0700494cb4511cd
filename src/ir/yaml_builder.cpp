// SPDX-License-Identifier: Apache-2.0
#include "ir/yaml_builder.hpp"

#include "ir/name_index.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace kfpp::detail {

namespace {

std::string mib(std::size_t bytes) {
  if (bytes % (std::size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

YamlBuilder::YamlBuilder(YamlTree& tree, std::string_view text, const std::string& file,
                         const ir::ReadLimits& limits)
    : tree_(tree), text_(text), file_(file), limits_(limits) {
  tree_.input_ = text_;
  // Room for the nodes of a file like the SDK's (about 15 bytes a node) and more, reserved but
  // not touched, so that the arrays do not grow by copying (which holds the old and the new at
  // once) on such files.
  tree_.nodes_.reserve(text_.size() / 8 + 16);
  tree_.children_.reserve(text_.size() / 8 + 16);
}

std::string YamlBuilder::at(YamlMark m) const {
  return file_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

Diagnostic YamlBuilder::problem(std::string code, YamlMark m, std::string what,
                                std::string fix) const {
  std::string p = path_through(stack_.size());
  return Diagnostic{std::move(code), at(m) + (p.empty() ? "" : " " + p), std::move(what),
                    std::move(fix)};
}

// The path through the first `levels` open collections: in each, to its child being read, as the
// IR reader writes paths (`a.b[2].c`).
std::string YamlBuilder::path_through(std::size_t levels) const {
  std::string out;
  for (std::size_t i = 0; i < levels; ++i) {
    const Frame& f = stack_[i];
    const std::size_t count = children_before(i);
    if (tree_.nodes_[f.node].kind == YamlTree::Kind::list) {
      out += "[" + std::to_string(count) + "]";
    } else if (count % 2 == 1) {
      const auto& k = tree_.nodes_[pending_[f.first + count - 1]];
      if (!out.empty()) out += '.';
      out += tree_.text_of(k);
    }
  }
  return out;
}

// The children already complete in frame `i` (those of the frames above are not yet).
std::size_t YamlBuilder::children_before(std::size_t i) const {
  // Frames above `i` keep their own pending children after frame i's; frame i's open child is
  // itself a frame (not yet pending), so its count is what lies between the two starts.
  const std::size_t end = i + 1 < stack_.size() ? stack_[i + 1].first : pending_.size();
  return end - stack_[i].first;
}

std::uint16_t YamlBuilder::tag_index(const char* tag) {
  if (!tag) return 0;
  std::string t(tag);
  if (auto it = tag_ids_.find(t); it != tag_ids_.end()) return it->second;
  if (tree_.tags_.size() >= 0xFFFF) return 0xFFFF;  // refused below
  const auto id = static_cast<std::uint16_t>(tree_.tags_.size());
  tree_.tags_.push_back(t);
  tag_ids_.emplace(std::move(t), id);
  return id;
}

// The weight of a finished node, kept for the anchored ones: what an alias to it adds.
void YamlBuilder::set_weight(std::uint32_t node, std::uint64_t weight) {
  if (weights_.empty()) return;
  if (auto it = weights_.find(node); it != weights_.end()) it->second = weight;
}

YamlBuilder::Result YamlBuilder::new_node(YamlMark m, YamlTree::Kind kind, const char* tag,
                                          const char* anchor, std::uint32_t& index) {
  const std::uint16_t t = tag ? tag_index(tag) : 0;
  if (t == 0xFFFF)
    return problem("kfpp.yaml_syntax", m, "too many distinct tags",
                   "write the values without tags");
  index = static_cast<std::uint32_t>(tree_.nodes_.size());
  tree_.nodes_.push_back({kind, false, false, t, m.line, m.column, 0, 0});
  if (anchor) {
    anchors_[anchor] = index;
    weights_[index] = 0;
  }
  return std::nullopt;
}

// Adds finished node `index` to the open collection (or makes it a document).
YamlBuilder::Result YamlBuilder::attach(std::uint32_t index, std::uint64_t weight) {
  if (stack_.empty()) {
    tree_.documents_.push_back(index);
    return std::nullopt;
  }
  Frame& f = stack_.back();
  const std::size_t count = pending_.size() - f.first;
  if (tree_.nodes_[f.node].kind == YamlTree::Kind::map && count % 2 == 0 &&
      tree_.nodes_[index].kind != YamlTree::Kind::scalar)
    return problem("kfpp.complex_key", {tree_.nodes_[index].line, tree_.nodes_[index].column},
                   "a key is a list or a map", "write the key as a string");
  pending_.push_back(index);
  f.weight += weight;
  return std::nullopt;
}

YamlBuilder::Result YamlBuilder::document(YamlMark m) {
  if (tree_.documents_.size() >= limits_.max_documents)
    return problem(
        "kfpp.too_many_documents", m,
        "the stream holds more than " + std::to_string(limits_.max_documents) + " documents",
        "split the stream, or raise ReadLimits::max_documents");
  anchors_.clear();
  return std::nullopt;
}

YamlBuilder::Result YamlBuilder::scalar(YamlMark m, std::size_t byte_at, std::string_view value,
                                        YamlStyle style, const char* tag, const char* anchor) {
  std::uint32_t index = 0;
  if (auto d = new_node(m, YamlTree::Kind::scalar, tag, anchor, index)) return d;
  auto& n = tree_.nodes_[index];
  n.plain = style == YamlStyle::plain;
  // `!` alone makes a plain scalar a string, as quoting would.
  if (n.tag != 0 && tree_.tags_[n.tag] == "!") {
    n.tag = 0;
    n.plain = false;
  }
  // A view of the text when the value is written there as it reads (plain, or quoted without
  // escapes or line breaks), else a copy in the tree.
  n.length = static_cast<std::uint32_t>(value.size());
  if (byte_at <= text_.size() && value.size() <= text_.size() - byte_at &&
      (value.empty() || value.data() == text_.data() + byte_at ||
       std::memcmp(text_.data() + byte_at, value.data(), value.size()) == 0)) {
    n.in_input = true;
    n.offset = static_cast<std::uint32_t>(byte_at);
  } else {
    n.offset = static_cast<std::uint32_t>(tree_.text_.size());
    tree_.text_.append(value);
  }
  const std::uint64_t w = 32 + value.size();
  set_weight(index, w);
  return attach(index, w);
}

YamlBuilder::Result YamlBuilder::open(YamlTree::Kind kind, YamlMark m, const char* tag,
                                      const char* anchor) {
  if (stack_.size() >= limits_.max_depth)
    return problem(
        "kfpp.too_deep", m,
        "lists and maps nest more than " + std::to_string(limits_.max_depth) + " levels deep",
        "flatten the value, or raise ReadLimits::max_depth");
  std::uint32_t index = 0;
  if (auto d = new_node(m, kind, tag, anchor, index)) return d;
  open_.push_back(index);
  stack_.push_back({index, pending_.size(), 32});
  return std::nullopt;
}

YamlBuilder::Result YamlBuilder::close() {
  Frame f = stack_.back();
  auto& n = tree_.nodes_[f.node];
  const std::size_t count = pending_.size() - f.first;
  if (n.kind == YamlTree::Kind::map)
    if (auto d = duplicate_key(f)) return d;
  n.offset = static_cast<std::uint32_t>(tree_.children_.size());
  n.length = static_cast<std::uint32_t>(n.kind == YamlTree::Kind::map ? count / 2 : count);
  tree_.children_.insert(tree_.children_.end(),
                         pending_.begin() + static_cast<std::ptrdiff_t>(f.first), pending_.end());
  pending_.resize(f.first);
  set_weight(f.node, f.weight);
  open_.pop_back();
  stack_.pop_back();
  return attach(f.node, f.weight);
}

YamlBuilder::Result YamlBuilder::duplicate_key(const Frame& f) {
  const std::size_t entries = (pending_.size() - f.first) / 2;
  auto key_text = [&](std::size_t i) {
    return tree_.text_of(tree_.nodes_[pending_[f.first + 2 * i]]);
  };
  std::optional<std::size_t> dup;
  if (entries <= 16) {
    // Small maps, the most common: compare each pair, no allocation.
    for (std::size_t i = 1; i < entries && !dup; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (key_text(i) == key_text(j)) {
          dup = i;
          break;
        }
  } else {
    // Large maps (a pipeline's components, executors and tasks): the keys in one hashed pass, in
    // the order of the text, where sorting them reached all over the tree at random.
    NameIndex<bool> seen;
    seen.reserve(entries);
    for (std::size_t i = 0; i < entries && !dup; ++i)
      if (!seen.emplace(key_text(i), true)) dup = i;
  }
  if (!dup) return std::nullopt;
  const auto& k = tree_.nodes_[pending_[f.first + 2 * *dup]];
  std::string p = path_through(stack_.size() - 1);
  p += (p.empty() ? "" : ".") + std::string(key_text(*dup));
  return Diagnostic{"kfpp.duplicate_key", at({k.line, k.column}) + " " + p, "the key appears twice",
                    "keep one of them"};
}

YamlBuilder::Result YamlBuilder::alias(YamlMark m, const char* anchor) {
  const std::string name = anchor;
  auto it = anchors_.find(name);
  if (it == anchors_.end())
    return problem("kfpp.yaml_syntax", m, "not valid YAML: the alias *" + name + " names no anchor",
                   "define the anchor &" + name + " before using it");
  if (std::find(open_.begin(), open_.end(), it->second) != open_.end())
    return problem("kfpp.yaml_syntax", m,
                   "not valid YAML: the alias *" + name + " is inside the node it names",
                   "remove the alias");
  if (++aliases_ > limits_.max_aliases)
    return problem("kfpp.too_many_aliases", m,
                   "more than " + std::to_string(limits_.max_aliases) + " aliases",
                   "write the values out, or raise ReadLimits::max_aliases");
  const std::uint64_t weight = weights_.at(it->second);
  expansion_ += weight;
  if (expansion_ > limits_.max_alias_expansion)
    return problem("kfpp.alias_expansion", m,
                   "aliases expand the document by more than " + mib(limits_.max_alias_expansion),
                   "write the values out, or raise ReadLimits::max_alias_expansion");
  return attach(it->second, weight);
}

}  // namespace kfpp::detail
