// SPDX-License-Identifier: Apache-2.0
#include "ir/yaml_parse.hpp"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>

namespace kfpp::detail {

bool YamlNode::is_scalar() const noexcept {
  return tree_ && tree_->nodes_[index_].kind == YamlTree::Kind::scalar && !is_null();
}
bool YamlNode::is_list() const noexcept {
  return tree_ && tree_->nodes_[index_].kind == YamlTree::Kind::list;
}
bool YamlNode::is_map() const noexcept {
  return tree_ && tree_->nodes_[index_].kind == YamlTree::Kind::map;
}

bool YamlNode::is_plain() const noexcept {
  return tree_ && tree_->nodes_[index_].kind == YamlTree::Kind::scalar &&
         tree_->nodes_[index_].plain && tree_->nodes_[index_].tag == 0;
}

bool YamlNode::is_null() const noexcept {
  if (!tree_ || tree_->nodes_[index_].kind != YamlTree::Kind::scalar) return false;
  if (tag() == "tag:yaml.org,2002:null") return true;
  if (!is_plain()) return false;
  std::string_view s = scalar();
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::string_view YamlNode::tag() const noexcept {
  if (!tree_) return {};
  return tree_->tags_[tree_->nodes_[index_].tag];
}

std::string_view YamlNode::scalar() const noexcept {
  if (!tree_ || tree_->nodes_[index_].kind != YamlTree::Kind::scalar) return {};
  return tree_->text_of(tree_->nodes_[index_]);
}

std::size_t YamlNode::size() const noexcept {
  if (!tree_ || tree_->nodes_[index_].kind == YamlTree::Kind::scalar) return 0;
  return tree_->nodes_[index_].length;
}

YamlMark YamlNode::mark() const noexcept {
  if (!tree_) return {};
  const auto& n = tree_->nodes_[index_];
  return {n.line, n.column};
}

YamlNode YamlNode::item(std::size_t i) const noexcept {
  if (!is_list() || i >= size()) return {};
  return {tree_, tree_->children_[tree_->nodes_[index_].offset + i]};
}

YamlNode YamlNode::key(std::size_t i) const noexcept {
  if (!is_map() || i >= size()) return {};
  return {tree_, tree_->children_[tree_->nodes_[index_].offset + 2 * i]};
}

YamlNode YamlNode::value(std::size_t i) const noexcept {
  if (!is_map() || i >= size()) return {};
  return {tree_, tree_->children_[tree_->nodes_[index_].offset + 2 * i + 1]};
}

YamlNode YamlNode::operator[](std::string_view k) const noexcept {
  const std::size_t i = find(k);
  return i < size() ? value(i) : YamlNode();
}

std::size_t YamlNode::find(std::string_view k) const noexcept {
  if (!is_map()) return size();
  // Straight over the tree's arrays: the reader looks up every key of every message this way.
  const auto& map = tree_->nodes_[index_];
  const std::uint32_t* children = tree_->children_.data() + map.offset;
  for (std::size_t i = 0; i < map.length; ++i) {
    const auto& key = tree_->nodes_[children[2 * i]];
    if (key.length == k.size() && tree_->text_of(key) == k) return i;
  }
  return map.length;
}

std::vector<YamlNode> YamlTree::documents() const {
  std::vector<YamlNode> out;
  out.reserve(documents_.size());
  for (std::uint32_t d : documents_) out.emplace_back(this, d);
  return out;
}

namespace {

std::string mib(std::size_t bytes) {
  if (bytes % (std::size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// The 1-based line and column of byte `offset` of `text`, columns counted in characters.
YamlMark mark_of_offset(std::string_view text, std::size_t offset) {
  YamlMark m{1, 1};
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++m.line;
      m.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

// Whether every byte of `text` is ASCII, eight bytes at a time.
bool is_ascii(std::string_view text) {
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    if (word & 0x8080808080808080ULL) return false;
  }
  for (; i < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) & 0x80) return false;
  return true;
}

struct ParserHandle {
  yaml_parser_t parser;
  ParserHandle() { yaml_parser_initialize(&parser); }
  ~ParserHandle() { yaml_parser_delete(&parser); }
  ParserHandle(const ParserHandle&) = delete;
  ParserHandle& operator=(const ParserHandle&) = delete;
};

struct EventHandle {
  yaml_event_t event;
  bool live = false;
  ~EventHandle() { reset(); }
  void reset() {
    if (live) yaml_event_delete(&event);
    live = false;
  }
};

}  // namespace

// Turns events into nodes with an explicit stack (no recursion, whatever the nesting).
class YamlBuilder {
 public:
  YamlBuilder(YamlTree& tree, std::string_view text, const std::string& file,
              const ir::ReadLimits& limits)
      : tree_(tree), text_(text), file_(file), limits_(limits) {}

  std::optional<Diagnostic> run() {
    if (text_.size() > limits_.max_input_bytes)
      return Diagnostic{"kfpp.input_too_large", file_,
                        "the input is " + std::to_string(text_.size()) +
                            " bytes, more than the limit of " + mib(limits_.max_input_bytes),
                        "split the input, or raise the limit: kfpp --max-input-mib, "
                        "ReadLimits::max_input_bytes"};
    if (text_.size() >= 0xFFFFFFF0u)
      return Diagnostic{"kfpp.input_too_large", file_, "the input is 4 GiB or more",
                        "split the input"};
    // A UTF-8 byte order mark is no part of the text, as PyYAML reads it; with the encoding
    // given, libyaml would take it for a character of the first line (and the next line's keys
    // for less indented).
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
    tree_.input_ = text_;
    // Room for the nodes of a file like the SDK's (about 15 bytes a node) and more, reserved but
    // not touched, so that the arrays do not grow by copying (which holds the old and the new at
    // once) on such files.
    tree_.nodes_.reserve(text_.size() / 8 + 16);
    tree_.children_.reserve(text_.size() / 8 + 16);
    ascii_ = is_ascii(text_);
    ParserHandle p;
    yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text_.data()),
                                 text_.size());
    yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
    EventHandle e;
    for (;;) {
      if (!yaml_parser_parse(&p.parser, &e.event)) return syntax_error(p.parser);
      e.live = true;
      if (auto d = on_event(e.event)) return d;
      const bool end = e.event.type == YAML_STREAM_END_EVENT;
      e.reset();
      if (end) return std::nullopt;
    }
  }

 private:
  struct Frame {
    std::uint32_t node;
    std::size_t first;  // where its children start in pending_
    std::uint64_t weight;
  };

  std::optional<Diagnostic> syntax_error(const yaml_parser_t& p) {
    const char* problem = p.problem ? p.problem : "unknown problem";
    if (p.error == YAML_READER_ERROR) {
      YamlMark m = mark_of_offset(text_, p.problem_offset);
      const bool control = std::strstr(problem, "control characters") != nullptr;
      return Diagnostic{control ? "kfpp.control_character" : "kfpp.bad_utf8", at(m),
                        control ? "a control character (byte " + std::to_string(p.problem_value) +
                                      ") is not allowed in YAML"
                                : std::string("not valid UTF-8: ") + problem,
                        control ? "remove it, or write it as an escape in a double-quoted string"
                                : "save the file as UTF-8"};
    }
    if (p.error == YAML_MEMORY_ERROR)
      return Diagnostic{"kfpp.out_of_memory", file_, "out of memory while parsing",
                        "give a smaller input"};
    const yaml_mark_t& mk = p.problem_mark;
    std::string what = problem;
    if (p.context) what = std::string(p.context) + ", " + what;
    return Diagnostic{
        "kfpp.yaml_syntax",
        at({static_cast<std::uint32_t>(mk.line + 1), static_cast<std::uint32_t>(mk.column + 1)}),
        "not valid YAML: " + what, "fix the YAML syntax at that line"};
  }

  [[nodiscard]] std::string at(YamlMark m) const {
    return file_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
  }

  static YamlMark mark(const yaml_event_t& e) {
    return {static_cast<std::uint32_t>(e.start_mark.line + 1),
            static_cast<std::uint32_t>(e.start_mark.column + 1)};
  }

  // The key path of the node about to be added, as the IR reader writes paths (`a.b[2].c`).
  [[nodiscard]] std::string path() const { return path_through(stack_.size()); }

  // The path through the first `levels` open collections: in each, to its child being read.
  [[nodiscard]] std::string path_through(std::size_t levels) const {
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
  [[nodiscard]] std::size_t children_before(std::size_t i) const {
    // Frames above `i` keep their own pending children after frame i's; frame i's open child is
    // itself a frame (not yet pending), so its count is what lies between the two starts.
    const std::size_t end = i + 1 < stack_.size() ? stack_[i + 1].first : pending_.size();
    return end - stack_[i].first;
  }

  std::optional<Diagnostic> fail(std::string code, YamlMark m, std::string what, std::string fix) {
    std::string p = path();
    return Diagnostic{std::move(code), at(m) + (p.empty() ? "" : " " + p), std::move(what),
                      std::move(fix)};
  }

  std::uint16_t tag_index(const yaml_char_t* tag) {
    if (!tag) return 0;
    std::string t(reinterpret_cast<const char*>(tag));
    if (auto it = tag_ids_.find(t); it != tag_ids_.end()) return it->second;
    if (tree_.tags_.size() >= 0xFFFF) return 0xFFFF;  // refused below
    const auto id = static_cast<std::uint16_t>(tree_.tags_.size());
    tree_.tags_.push_back(t);
    tag_ids_.emplace(std::move(t), id);
    return id;
  }

  // The weight of a finished node, kept for the anchored ones: what an alias to it adds.
  void set_weight(std::uint32_t node, std::uint64_t weight) {
    if (weights_.empty()) return;
    if (auto it = weights_.find(node); it != weights_.end()) it->second = weight;
  }

  // The byte offset of character `index` of the text: libyaml counts marks in characters.
  std::size_t byte_offset(std::size_t index) {
    if (ascii_) return index;
    if (index < cursor_chars_) cursor_chars_ = cursor_bytes_ = 0;
    while (cursor_chars_ < index && cursor_bytes_ < text_.size()) {
      ++cursor_bytes_;
      while (cursor_bytes_ < text_.size() &&
             (static_cast<unsigned char>(text_[cursor_bytes_]) & 0xC0) == 0x80)
        ++cursor_bytes_;
      ++cursor_chars_;
    }
    return cursor_bytes_;
  }

  // Points scalar node `n` at its bytes: a view of the text when the value is written there as
  // it reads (plain, or quoted without escapes or line breaks), else a copy in the tree.
  void place_scalar(const yaml_event_t& e, YamlTree::Node& n) {
    const auto* value = reinterpret_cast<const char*>(e.data.scalar.value);
    const std::size_t length = e.data.scalar.length;
    n.length = static_cast<std::uint32_t>(length);
    const auto style = e.data.scalar.style;
    if (style == YAML_PLAIN_SCALAR_STYLE || style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
      const std::size_t at =
          byte_offset(e.start_mark.index) + (style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1);
      if (at <= text_.size() && length <= text_.size() - at &&
          std::memcmp(text_.data() + at, value, length) == 0) {
        n.in_input = true;
        n.offset = static_cast<std::uint32_t>(at);
        return;
      }
    }
    n.offset = static_cast<std::uint32_t>(tree_.text_.size());
    tree_.text_.append(value, length);
  }

  std::optional<Diagnostic> new_node(const yaml_event_t& e, YamlTree::Kind kind,
                                     const yaml_char_t* tag, const yaml_char_t* anchor,
                                     std::uint32_t& index) {
    const std::uint16_t t = tag_index(tag);
    if (t == 0xFFFF)
      return fail("kfpp.yaml_syntax", mark(e), "too many distinct tags",
                  "write the values without tags");
    YamlMark m = mark(e);
    index = static_cast<std::uint32_t>(tree_.nodes_.size());
    tree_.nodes_.push_back({kind, false, false, t, m.line, m.column, 0, 0});
    if (anchor) {
      anchors_[reinterpret_cast<const char*>(anchor)] = index;
      weights_[index] = 0;
    }
    return std::nullopt;
  }

  // Adds finished node `index` to the open collection (or makes it a document).
  std::optional<Diagnostic> attach(std::uint32_t index, std::uint64_t weight) {
    if (stack_.empty()) {
      tree_.documents_.push_back(index);
      return std::nullopt;
    }
    Frame& f = stack_.back();
    const std::size_t count = pending_.size() - f.first;
    if (tree_.nodes_[f.node].kind == YamlTree::Kind::map && count % 2 == 0 &&
        tree_.nodes_[index].kind != YamlTree::Kind::scalar)
      return fail("kfpp.complex_key", {tree_.nodes_[index].line, tree_.nodes_[index].column},
                  "a key is a list or a map", "write the key as a string");
    pending_.push_back(index);
    f.weight += weight;
    return std::nullopt;
  }

  std::optional<Diagnostic> open(const yaml_event_t& e, YamlTree::Kind kind, const yaml_char_t* tag,
                                 const yaml_char_t* anchor) {
    if (stack_.size() >= limits_.max_depth)
      return fail(
          "kfpp.too_deep", mark(e),
          "lists and maps nest more than " + std::to_string(limits_.max_depth) + " levels deep",
          "flatten the value, or raise ReadLimits::max_depth");
    std::uint32_t index = 0;
    if (auto d = new_node(e, kind, tag, anchor, index)) return d;
    open_.push_back(index);
    stack_.push_back({index, pending_.size(), 32});
    return std::nullopt;
  }

  std::optional<Diagnostic> close() {
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

  std::optional<Diagnostic> duplicate_key(const Frame& f) {
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
      std::vector<std::size_t> order(entries);
      for (std::size_t i = 0; i < entries; ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return key_text(a) < key_text(b); });
      for (std::size_t i = 1; i < entries; ++i)
        if (key_text(order[i]) == key_text(order[i - 1]))
          dup = std::min(dup.value_or(entries), order[i]);
    }
    if (!dup) return std::nullopt;
    const auto& k = tree_.nodes_[pending_[f.first + 2 * *dup]];
    std::string p = path_through(stack_.size() - 1);
    p += (p.empty() ? "" : ".") + std::string(key_text(*dup));
    return Diagnostic{"kfpp.duplicate_key", at({k.line, k.column}) + " " + p,
                      "the key appears twice", "keep one of them"};
  }

  std::optional<Diagnostic> on_event(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (tree_.documents_.size() >= limits_.max_documents)
          return fail(
              "kfpp.too_many_documents", mark(e),
              "the stream holds more than " + std::to_string(limits_.max_documents) + " documents",
              "split the stream, or raise ReadLimits::max_documents");
        anchors_.clear();
        return std::nullopt;
      case YAML_SCALAR_EVENT: {
        std::uint32_t index = 0;
        if (auto d =
                new_node(e, YamlTree::Kind::scalar, e.data.scalar.tag, e.data.scalar.anchor, index))
          return d;
        auto& n = tree_.nodes_[index];
        n.plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        // `!` alone makes a plain scalar a string, as quoting would.
        if (n.tag != 0 && tree_.tags_[n.tag] == "!") {
          n.tag = 0;
          n.plain = false;
        }
        place_scalar(e, n);
        const std::uint64_t w = 32 + e.data.scalar.length;
        set_weight(index, w);
        return attach(index, w);
      }
      case YAML_SEQUENCE_START_EVENT:
        return open(e, YamlTree::Kind::list, e.data.sequence_start.tag,
                    e.data.sequence_start.anchor);
      case YAML_MAPPING_START_EVENT:
        return open(e, YamlTree::Kind::map, e.data.mapping_start.tag, e.data.mapping_start.anchor);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      case YAML_ALIAS_EVENT:
        return alias(e);
      default:
        return std::nullopt;
    }
  }

  std::optional<Diagnostic> alias(const yaml_event_t& e) {
    const std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end())
      return fail("kfpp.yaml_syntax", mark(e),
                  "not valid YAML: the alias *" + name + " names no anchor",
                  "define the anchor &" + name + " before using it");
    if (std::find(open_.begin(), open_.end(), it->second) != open_.end())
      return fail("kfpp.yaml_syntax", mark(e),
                  "not valid YAML: the alias *" + name + " is inside the node it names",
                  "remove the alias");
    if (++aliases_ > limits_.max_aliases)
      return fail("kfpp.too_many_aliases", mark(e),
                  "more than " + std::to_string(limits_.max_aliases) + " aliases",
                  "write the values out, or raise ReadLimits::max_aliases");
    const std::uint64_t weight = weights_.at(it->second);
    expansion_ += weight;
    if (expansion_ > limits_.max_alias_expansion)
      return fail("kfpp.alias_expansion", mark(e),
                  "aliases expand the document by more than " + mib(limits_.max_alias_expansion),
                  "write the values out, or raise ReadLimits::max_alias_expansion");
    return attach(it->second, weight);
  }

  YamlTree& tree_;
  std::string_view text_;
  const std::string& file_;
  const ir::ReadLimits& limits_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> pending_;
  std::vector<std::uint32_t> open_;
  std::unordered_map<std::uint32_t, std::uint64_t> weights_;  // of the anchored nodes
  bool ascii_ = false;
  std::size_t cursor_chars_ = 0;  // character cursor_chars_ of the text is at byte cursor_bytes_
  std::size_t cursor_bytes_ = 0;
  std::unordered_map<std::string, std::uint32_t> anchors_;
  std::unordered_map<std::string, std::uint16_t> tag_ids_;
  std::size_t aliases_ = 0;
  std::uint64_t expansion_ = 0;
};

std::unique_ptr<YamlTree> YamlTree::parse(std::string_view text, const std::string& file,
                                          const ir::ReadLimits& limits,
                                          std::optional<Diagnostic>& error) {
  auto tree = std::make_unique<YamlTree>();
  YamlBuilder b(*tree, text, file, limits);
  error = b.run();
  return tree;
}

}  // namespace kfpp::detail
