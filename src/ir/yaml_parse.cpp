// SPDX-License-Identifier: Apache-2.0
#include "ir/yaml_parse.hpp"

#include <yaml.h>

#include "ir/yaml_builder.hpp"

#include <algorithm>
#include <cstring>
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

const char* chars(const yaml_char_t* s) { return reinterpret_cast<const char*>(s); }

// Hands libyaml's events to a YamlBuilder.
class LibyamlReader {
 public:
  LibyamlReader(YamlBuilder& b, std::string_view text)
      : b_(b), text_(text), ascii_(is_ascii(text)) {}

  std::optional<Diagnostic> run() {
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
  std::optional<Diagnostic> syntax_error(const yaml_parser_t& p) {
    const char* problem = p.problem ? p.problem : "unknown problem";
    if (p.error == YAML_READER_ERROR) {
      YamlMark m = mark_of_offset(text_, p.problem_offset);
      const bool control = std::strstr(problem, "control characters") != nullptr;
      return Diagnostic{control ? "kfpp.control_character" : "kfpp.bad_utf8", b_.at(m),
                        control ? "a control character (byte " + std::to_string(p.problem_value) +
                                      ") is not allowed in YAML"
                                : std::string("not valid UTF-8: ") + problem,
                        control ? "remove it, or write it as an escape in a double-quoted string"
                                : "save the file as UTF-8"};
    }
    if (p.error == YAML_MEMORY_ERROR)
      return Diagnostic{"kfpp.out_of_memory", b_.file(), "out of memory while parsing",
                        "give a smaller input"};
    const yaml_mark_t& mk = p.problem_mark;
    std::string what = problem;
    if (p.context) what = std::string(p.context) + ", " + what;
    return Diagnostic{
        "kfpp.yaml_syntax",
        b_.at({static_cast<std::uint32_t>(mk.line + 1), static_cast<std::uint32_t>(mk.column + 1)}),
        "not valid YAML: " + what, "fix the YAML syntax at that line"};
  }

  static YamlMark mark(const yaml_event_t& e) {
    return {static_cast<std::uint32_t>(e.start_mark.line + 1),
            static_cast<std::uint32_t>(e.start_mark.column + 1)};
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

  std::optional<Diagnostic> on_event(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        return b_.document(mark(e));
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        YamlStyle style = YamlStyle::plain;
        switch (s.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE:
            style = YamlStyle::single_quoted;
            break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
            style = YamlStyle::double_quoted;
            break;
          case YAML_LITERAL_SCALAR_STYLE:
            style = YamlStyle::literal;
            break;
          case YAML_FOLDED_SCALAR_STYLE:
            style = YamlStyle::folded;
            break;
          default:
            break;
        }
        std::size_t at = YamlBuilder::npos;
        if (style == YamlStyle::plain)
          at = byte_offset(e.start_mark.index);
        else if (style == YamlStyle::single_quoted || style == YamlStyle::double_quoted)
          at = byte_offset(e.start_mark.index) + 1;
        return b_.scalar(mark(e), at, std::string_view(chars(s.value), s.length), style,
                         chars(s.tag), chars(s.anchor));
      }
      case YAML_SEQUENCE_START_EVENT:
        return b_.open(YamlTree::Kind::list, mark(e), chars(e.data.sequence_start.tag),
                       chars(e.data.sequence_start.anchor));
      case YAML_MAPPING_START_EVENT:
        return b_.open(YamlTree::Kind::map, mark(e), chars(e.data.mapping_start.tag),
                       chars(e.data.mapping_start.anchor));
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return b_.close();
      case YAML_ALIAS_EVENT:
        return b_.alias(mark(e), chars(e.data.alias.anchor));
      default:
        return std::nullopt;
    }
  }

  YamlBuilder& b_;
  std::string_view text_;
  bool ascii_;
  std::size_t cursor_chars_ = 0;  // character cursor_chars_ of the text is at byte cursor_bytes_
  std::size_t cursor_bytes_ = 0;
};

}  // namespace

std::optional<Diagnostic> read_with_libyaml(YamlBuilder& b, std::string_view text) {
  return LibyamlReader(b, text).run();
}

std::unique_ptr<YamlTree> YamlTree::parse(std::string_view text, const std::string& file,
                                          const ir::ReadLimits& limits,
                                          std::optional<Diagnostic>& error, Parser parser) {
  auto tree = std::make_unique<YamlTree>();
  error.reset();
  if (text.size() > limits.max_input_bytes) {
    error = Diagnostic{"kfpp.input_too_large", file,
                       "the input is " + std::to_string(text.size()) +
                           " bytes, more than the limit of " + mib(limits.max_input_bytes),
                       "split the input, or raise the limit: kfpp --max-input-mib, "
                       "ReadLimits::max_input_bytes"};
    return tree;
  }
  if (text.size() >= 0xFFFFFFF0u) {
    error =
        Diagnostic{"kfpp.input_too_large", file, "the input is 4 GiB or more", "split the input"};
    return tree;
  }
  // A UTF-8 byte order mark is no part of the text, as PyYAML reads it; with the encoding given,
  // libyaml would take it for a character of the first line (and the next line's keys for less
  // indented).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (parser != Parser::libyaml) {
    YamlBuilder b(*tree, text, file, limits);
    if (read_block_yaml(b, text)) return tree;
    tree = std::make_unique<YamlTree>();
    if (parser == Parser::block) {
      error = Diagnostic{"kfpp.yaml_block", file, "the block reader does not read this text",
                         "read it with libyaml"};
      return tree;
    }
  }
  YamlBuilder b(*tree, text, file, limits);
  error = read_with_libyaml(b, text);
  return tree;
}

bool operator==(const YamlTree& a, const YamlTree& b) {
  if (a.nodes_.size() != b.nodes_.size() || a.children_ != b.children_ ||
      a.documents_ != b.documents_ || a.tags_ != b.tags_ || a.text_ != b.text_)
    return false;
  for (std::size_t i = 0; i < a.nodes_.size(); ++i) {
    const YamlTree::Node& x = a.nodes_[i];
    const YamlTree::Node& y = b.nodes_[i];
    if (x.kind != y.kind || x.plain != y.plain || x.in_input != y.in_input || x.tag != y.tag ||
        x.line != y.line || x.column != y.column || x.offset != y.offset || x.length != y.length)
      return false;
  }
  return true;
}

}  // namespace kfpp::detail
