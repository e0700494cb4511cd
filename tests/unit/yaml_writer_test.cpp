// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "compiler/yaml_writer.hpp"
#include "helpers.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/ir/reader.hpp"
#include "yaml_tree.hpp"

using kfpp::detail::YamlWriter;
using kfpp::ir::Value;

namespace {

const std::vector<std::string> kHardStrings = {"plain",
                                               "it's",
                                               "say \"hi\"",
                                               "back\\slash",
                                               "line1\nline2",
                                               "trailing\n",
                                               "two\n\n",
                                               "\n leading newline",
                                               "  leading spaces",
                                               "trailing spaces  ",
                                               "tab\there",
                                               "\ttab first",
                                               "ünïcödé ✓ 日本語 🚀",
                                               "{{$.inputs.parameters['x']}}",
                                               "{{$}}",
                                               "yes",
                                               "No",
                                               "ON",
                                               "off",
                                               "y",
                                               "n",
                                               "true",
                                               "False",
                                               "null",
                                               "Null",
                                               "~",
                                               "0x1F",
                                               "1e3",
                                               "0o17",
                                               "012",
                                               "1_000",
                                               ".inf",
                                               "-.inf",
                                               ".NaN",
                                               "-.5",
                                               "+1",
                                               "2001-12-14",
                                               "1:20",
                                               "- item",
                                               "-",
                                               "--",
                                               "-1",
                                               "key: value",
                                               "# comment",
                                               "a #b",
                                               "a:",
                                               ":",
                                               "?",
                                               "? x",
                                               "",
                                               " ",
                                               "\t",
                                               "@at",
                                               "`tick",
                                               "%pct",
                                               "!tag",
                                               "&anchor",
                                               "*alias",
                                               "|pipe",
                                               ">fold",
                                               "[1, 2]",
                                               "{a: 1}",
                                               "a, b",
                                               "\x01ctrl",
                                               "\r\n crlf",
                                               "multi\n  indented\n\tline\n",
                                               "line sep \xe2\x80\xa8 here",
                                               "nel \xc2\x85 here",
                                               "\xef\xbb\xbf bom",
                                               "blank line\n   \nafter",
                                               "a\n\n\n",
                                               "end space \nnext",
                                               "--flag",
                                               "-c",
                                               "python:3.9",
                                               "gs://bucket/x",
                                               "=",
                                               "'quoted'",
                                               "\"dq\"",
                                               "x\x7f"
                                               "del",
                                               std::string("nul\0byte", 8)};

}  // namespace

TEST_CASE("YamlWriter: every hard string reads back exactly as a map value and a list item") {
  YamlWriter w;
  w.begin_map();
  w.key("values");
  w.begin_seq();
  for (const auto& s : kHardStrings) w.string(s);
  w.end_seq();
  w.key("by_key");
  w.begin_map();
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    w.key("k" + std::to_string(i));
    w.string(kHardStrings[i]);
  }
  w.end_map();
  w.end_map();
  std::string text = w.take();
  auto docs = kfpp::test::load_all(text);
  REQUIRE(docs.size() == 1);
  const auto& list = kfpp::test::at_path(docs[0], "values")->as_array();
  REQUIRE(list.size() == kHardStrings.size());
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    INFO("item " << i << ": " << kHardStrings[i]);
    REQUIRE(list[i].is_string());
    CHECK(list[i].as_string() == kHardStrings[i]);
    const Value* v = kfpp::test::at_path(docs[0], "by_key.k" + std::to_string(i));
    REQUIRE(v != nullptr);
    REQUIRE(v->is_string());
    CHECK(v->as_string() == kHardStrings[i]);
  }
}

TEST_CASE("YamlWriter: list items written apart and appended are the text written in place") {
  // One item with every kind of line: a map with hard strings (literal blocks among them), a
  // nested map and list, an empty map and an empty list.
  auto item = [](YamlWriter& w, const std::string& s) {
    w.begin_map();
    w.entry("name", s);
    w.key("nested");
    w.begin_map();
    w.key("list");
    w.begin_seq();
    w.string(s);
    w.begin_map();
    w.entry("deep", s);
    w.end_map();
    w.end_seq();
    w.key("empty");
    w.begin_map();
    w.end_map();
    w.end_map();
    w.key("none");
    w.begin_seq();
    w.end_seq();
    w.end_map();
  };
  // The document: `top.items` (a list under a key) and `top.pairs` (a list whose items are
  // lists: their first items share the line of the outer "- ").
  auto document = [&](const std::function<void(YamlWriter&, const std::string&)>& items) {
    YamlWriter w;
    w.begin_map();
    w.key("top");
    w.begin_map();
    w.key("items");
    w.begin_seq();
    for (const auto& s : kHardStrings) items(w, s);
    w.end_seq();
    w.key("pairs");
    w.begin_seq();
    for (const auto& s : kHardStrings) {
      w.begin_seq();
      items(w, s);
      items(w, s);
      w.end_seq();
    }
    w.end_seq();
    w.end_map();
    w.end_map();
    return w.take();
  };
  const std::string in_place = document(item);
  // The items sit at columns 2 (`top.items`) and 4 (inside `top.pairs`): written at column 2,
  // at 0 and at 6, the text must move by 0, 2 and -4 columns to where they belong.
  for (int column : {2, 0, 6}) {
    INFO("written at column " << column);
    const std::string apart = document([&](YamlWriter& w, const std::string& s) {
      YamlWriter piece;
      piece.begin_items(column);
      item(piece, s);
      w.items_text(piece.take(), column);
    });
    CHECK(apart == in_place);
  }
}

TEST_CASE("YamlWriter: hard strings are also safe as keys") {
  YamlWriter w;
  w.begin_map();
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    if (kHardStrings[i].find('\0') != std::string::npos) continue;
    w.key(kHardStrings[i] + "#" + std::to_string(i));
    w.integer(static_cast<std::int64_t>(i));
  }
  w.end_map();
  auto docs = kfpp::test::load_all(w.take());
  REQUIRE(docs.size() == 1);
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    if (kHardStrings[i].find('\0') != std::string::npos) continue;
    auto it = docs[0].as_object().find(kHardStrings[i] + "#" + std::to_string(i));
    INFO("key " << i);
    REQUIRE(it != docs[0].as_object().end());
    CHECK(it->second.as_int() == static_cast<std::int64_t>(i));
  }
}

TEST_CASE("YamlWriter: numbers, booleans, null and empty containers keep their types") {
  YamlWriter w;
  w.begin_map();
  w.key("i");
  w.integer(-42);
  w.key("big");
  w.integer(std::numeric_limits<std::int64_t>::max());
  w.key("d");
  w.number(10.0);
  w.key("e");
  w.number(1e20);
  w.key("small");
  w.number(2.5e-7);
  w.key("inf");
  w.number(std::numeric_limits<double>::infinity());
  w.key("t");
  w.boolean(true);
  w.key("z");
  w.null();
  w.key("m");
  w.begin_map();
  w.end_map();
  w.key("l");
  w.begin_seq();
  w.end_seq();
  w.key("nested");
  w.begin_seq();
  w.begin_map();
  w.end_map();
  w.begin_seq();
  w.string("a");
  w.end_seq();
  w.end_seq();
  w.end_map();
  std::string text = w.take();
  auto d = kfpp::test::load_all(text).at(0);
  using kfpp::test::at_path;
  CHECK(at_path(d, "i")->as_int() == -42);
  CHECK(at_path(d, "big")->as_int() == std::numeric_limits<std::int64_t>::max());
  CHECK(at_path(d, "d")->is_double());
  CHECK(at_path(d, "d")->as_double() == 10.0);
  CHECK(at_path(d, "e")->as_double() == 1e20);
  CHECK(at_path(d, "small")->as_double() == 2.5e-7);
  CHECK(at_path(d, "inf")->as_double() == std::numeric_limits<double>::infinity());
  CHECK(at_path(d, "t")->as_bool());
  CHECK(at_path(d, "z")->is_null());
  CHECK(at_path(d, "m")->as_object().empty());
  CHECK(at_path(d, "l")->as_array().empty());
  REQUIRE(at_path(d, "nested")->as_array().size() == 2);
  CHECK(at_path(d, "nested")->as_array()[1].as_array()[0].as_string() == "a");
}

TEST_CASE("YamlWriter: a float always has a dot, so YAML 1.1 readers see a float") {
  CHECK(kfpp::detail::format_double(1e20) == "1.0e+20");
  CHECK(kfpp::detail::format_double(10.0) == "10.0");
  CHECK(kfpp::detail::format_double(0.85) == "0.85");
  CHECK(kfpp::detail::format_double(-std::numeric_limits<double>::infinity()) == "-.inf");
}

TEST_CASE("Emitter: hard strings round-trip through constants, args, env and descriptions") {
  auto p = kfpp::test::two_task_pipeline();
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    std::string port = "p" + std::to_string(i);
    p.components[1].inputs.parameters.push_back(
        {port, kfpp::ir::ParameterType::string, std::nullopt, false, {}});
    p.root.dag->tasks[1].parameters.push_back(
        {port, kfpp::ir::ParameterBinding::Kind::constant, Value(kHardStrings[i]), {}, {}});
    p.executors[1].container->args.push_back(kfpp::ir::Arg::of(kHardStrings[i]));
    p.executors[1].container->env.push_back({"V" + std::to_string(i), kHardStrings[i]});
  }
  p.description = "multi\nline: description # with 'quotes'";
  // Written as PyYAML writes them, read back by kfpp's reader (YAML 1.1, as PyYAML reads).
  std::string text = kfpp::compile_kfp(p);
  kfpp::ir::Pipeline back = kfpp::ir::read_pipeline(text, "hard.yaml");
  CHECK(back.description == p.description);
  const auto& task = *back.root.dag->find_task("consumer");
  const auto& c = *back.find_executor("exec-consumer")->container;
  for (std::size_t i = 0; i < kHardStrings.size(); ++i) {
    INFO("string " << i << ": " << kHardStrings[i]);
    const auto* b = task.find_parameter("p" + std::to_string(i));
    REQUIRE(b != nullptr);
    CHECK(b->constant.as_string() == kHardStrings[i]);
    CHECK(c.args.at(i).text == kHardStrings[i]);
    CHECK(c.env.at(i).value == kHardStrings[i]);
  }
}

namespace {

std::string hex(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

// The readable style's rules for plain and single-quoted strings, one byte at a time as the
// writer documents them, to hold the writer's table and word-at-a-time checks to.
bool rule_plain(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const char first = s.front();
  const bool flag = first == '-' && s.size() > 1 && (letter(s[1]) || s[1] == '-');
  if (!letter(first) && !flag && first != '_' && first != '/') return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!letter(c) && !(c >= '0' && c <= '9') &&
        std::string_view("_./-=+@ :,()").find(c) == std::string_view::npos)
      return false;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
  }
  std::string lower(s);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (const char* w : {"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
    if (lower == w) return false;
  return true;
}

bool rule_single_quoted(std::string_view s) {
  for (const char* mark : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf"})
    if (s.find(mark) != std::string_view::npos) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\'' || c == 0x7f || (c < 0x20 && c != '\t')) return false;
  }
  return true;
}

// `s` as the value of `k:` in the readable style: plain, single-quoted, or (anything else) a
// double-quoted string or a literal block.
void check_style(std::string_view s) {
  YamlWriter w;
  w.begin_map();
  w.key("k");
  w.string(s);
  w.end_map();
  const std::string text = w.take();
  INFO("string (" << s.size() << " bytes): " << hex(s) << "\nwritten: " << text);
  REQUIRE(text.rfind("k: ", 0) == 0);
  const std::string_view value = std::string_view(text).substr(3, text.size() - 4);
  CHECK(kfpp::detail::is_plain_safe(s) == rule_plain(s));
  if (rule_plain(s)) {
    CHECK(value == s);
  } else if (rule_single_quoted(s)) {
    CHECK(value == "'" + std::string(s) + "'");
  } else {
    CHECK((text[3] == '"' || text[3] == '|'));
  }
}

}  // namespace

TEST_CASE("YamlWriter: every byte at every place of a short string gets the documented style") {
  // Lengths up to 20 put a byte in the first and the second eight-byte word and in the tail.
  for (std::size_t n = 1; n <= 20; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s(n, 'a');
        s[at] = static_cast<char>(b);
        check_style(s);
        std::string q(n, '{');  // never plain: only the single-quote rules decide
        q[at] = static_cast<char>(b);
        check_style(q);
      }
      // UTF-8 that some readers take for breaks or marks, and UTF-8 that is none of them, across
      // the word boundaries.
      for (const char* seq : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf",
                              "\xc3\xa9", "\xe2\x80\xa7", "\xe2\x82\xac", "\xc2\x84"}) {
        std::string s(n, 'x');
        s.insert(at, seq);
        check_style(s);
      }
      std::string colon(n, 'a');
      colon[at] = ':';
      check_style(colon);
      colon.insert(at + 1, " ");
      check_style(colon);
    }
  }
  // The YAML 1.1 words in every case, and words one letter longer or shorter.
  for (std::string w : {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}) {
    for (unsigned mask = 0; mask < (1U << w.size()); ++mask) {
      std::string v = w;
      for (std::size_t i = 0; i < v.size(); ++i)
        if ((mask >> i) & 1U) v[i] = static_cast<char>(v[i] - 'a' + 'A');
      check_style(v);
      check_style(v + "s");
      check_style(v.substr(1));
      check_style(v.substr(0, v.size() - 1));
    }
  }
  for (std::size_t n : {199, 200, 201}) check_style(std::string(n, 'a'));
}

TEST_CASE("YamlWriter: keys and values of every length up to a long line, at every depth") {
  // A key line is built on the stack and appended once, or appended piece by piece when longer
  // than that buffer: each length is written at several depths and read back. Up to 200 bytes a
  // name is plain.
  auto text_of = [](std::size_t n, char salt) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + (i * 7 + salt) % 26);
    return "x" + s;  // never a YAML 1.1 word
  };
  for (int depth = 0; depth < 4; ++depth) {
    YamlWriter w;
    w.begin_map();
    for (int d = 0; d < depth; ++d) w.word_key("nest"), w.begin_map();
    for (std::size_t n = 0; n < 200; ++n) {
      w.key(text_of(n, 'k'));
      w.begin_map();
      w.word_entry("value", text_of(n, 'v'));
      w.end_map();
    }
    for (int d = 0; d < depth; ++d) w.end_map();
    w.end_map();
    const std::string text = "\n" + w.take();  // every line after a newline
    const auto docs = kfpp::test::load_all(text);
    REQUIRE(docs.size() == 1);
    const Value* map = &docs[0];
    for (int d = 0; d < depth; ++d) map = kfpp::test::at_path(*map, "nest");
    REQUIRE(map != nullptr);
    REQUIRE(map->as_object().size() == 200);
    const std::string blanks(static_cast<std::size_t>(2 * depth), ' ');
    for (std::size_t n = 0; n < 200; ++n) {
      INFO("depth " << depth << ", length " << n);
      auto it = map->as_object().find(text_of(n, 'k'));
      REQUIRE(it != map->as_object().end());
      const Value* v = kfpp::test::at_path(it->second, "value");
      REQUIRE(v != nullptr);
      CHECK(v->as_string() == text_of(n, 'v'));
      // Block layout: each key on its own line at its map's column, the value two deeper.
      CHECK(text.find("\n" + blanks + text_of(n, 'k') + ":\n" + blanks +
                      "  value: " + text_of(n, 'v') + "\n") != std::string::npos);
    }
  }
}

TEST_CASE("YamlWriter: quoted values of every length, at every depth and place in a map") {
  // A value that is not plain but single-quote safe (an Argo reference) is written with its key
  // in one line buffer, the quotes included; past that buffer, or when quotes would not keep it,
  // piece by piece. Either way it is the text that a key and a string written apart give, and it
  // reads back.
  auto ref_of = [](std::size_t n) {
    std::string s = "{{";
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + (i * 5) % 26);
    return s + "}}";
  };
  const std::vector<std::string> unquotable{"it's", "two\nlines", "{{a}}\t'b'"};
  for (int depth = 0; depth < 4; ++depth) {
    for (const bool first_in_item : {false, true}) {
      auto write = [&](bool entry) {
        YamlWriter w;
        w.begin_map();
        for (int d = 0; d < depth; ++d) w.word_key("nest"), w.begin_map();
        w.word_key("items");
        w.begin_seq();
        auto put = [&](const std::string& v) {
          w.begin_map();
          if (!first_in_item) w.word_entry("name", "x");
          if (entry) {
            w.word_entry("value", v);
          } else {
            w.word_key("value");
            w.string(v);
          }
          w.end_map();
        };
        for (std::size_t n = 0; n < 200; ++n) put(ref_of(n));
        for (const auto& v : unquotable) put(v);
        w.end_seq();
        for (int d = 0; d < depth; ++d) w.end_map();
        w.end_map();
        return w.take();
      };
      INFO("depth " << depth << (first_in_item ? ", first in its item" : ", after a key"));
      const std::string text = write(true);
      CHECK(text == write(false));
      const auto docs = kfpp::test::load_all(text);
      REQUIRE(docs.size() == 1);
      const Value* map = &docs[0];
      for (int d = 0; d < depth; ++d) map = kfpp::test::at_path(*map, "nest");
      REQUIRE(map != nullptr);
      const Value* items = kfpp::test::at_path(*map, "items");
      REQUIRE(items != nullptr);
      REQUIRE(items->as_array().size() == 200 + unquotable.size());
      for (std::size_t n = 0; n < 200; ++n) {
        INFO("length " << n + 4);
        const Value* v = kfpp::test::at_path(items->as_array()[n], "value");
        REQUIRE(v != nullptr);
        CHECK(v->as_string() == ref_of(n));
        CHECK(text.find("value: '" + ref_of(n) + "'\n") != std::string::npos);
      }
      for (std::size_t i = 0; i < unquotable.size(); ++i) {
        const Value* v = kfpp::test::at_path(items->as_array()[200 + i], "value");
        REQUIRE(v != nullptr);
        CHECK(v->as_string() == unquotable[i]);
      }
    }
  }
}
