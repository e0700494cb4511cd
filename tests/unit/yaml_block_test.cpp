// SPDX-License-Identifier: Apache-2.0
// The block reader against libyaml: wherever the block reader reads a text, the tree must be
// libyaml's, node for node (kind, style, mark, bytes, place), and every problem must still be
// libyaml's to report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ir/yaml_parse.hpp"

namespace {

using kfpp::detail::YamlTree;

struct Both {
  std::unique_ptr<YamlTree> libyaml;
  std::unique_ptr<YamlTree> block;
  std::optional<kfpp::Diagnostic> libyaml_error;
  std::optional<kfpp::Diagnostic> block_error;
};

Both read_both(const std::string& text) {
  Both r;
  r.libyaml = YamlTree::parse(text, "t.yaml", {}, r.libyaml_error, YamlTree::Parser::libyaml);
  r.block = YamlTree::parse(text, "t.yaml", {}, r.block_error, YamlTree::Parser::block);
  return r;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Texts in the block style, each with something the block reader must get exactly right.
const char* const kBlockTexts[] = {
    // Plain scalars: over lines (folded, empty lines kept as line feeds), with `:`, `#`, `-`.
    "a: one\n  two\n\n  three\n\n\n  four\nb: x:y a#b -c ?d :e\nc: -1\n",
    "- first\n  second\n- 'x'\n-\n- \"\"\n",
    "k: v # comment\n# a comment line\n  # indented comment\nl: w\n",
    // Quoted: escapes, '' in single quotes, folded lines, escaped line breaks, leading spaces.
    "a: 'it''s'\nb: "
    "\"tab\\tnl\\nq\\\"bs\\\\sl\\/x\\x41u\\u00e9U\\U0001F600N\\N_\\_L\\LP\\P\\0e\\e\"\n",
    "a: 'one\n  two\n\n  three'\nb: \"x\\\n  y\\\n  \\ z\"\nc: \"p q  \n  r\"\n",
    "- \"a\n\n\n  b\"\n- '  spaced  '\n- \"\\\n\n  c\"\n",
    // Keys: quoted, with spaces, spaces before the colon.
    "'quoted key': 1\n\"dq\": 2\nplain key: 3\nspaced : 4\n",
    // Literal block scalars: clip, strip, keep, empty lines inside and after, extra spaces.
    "a: |\n  line\n\n    more\n  last\nb: |-\n  strip\n\n\nc: |+\n  keep\n\n\nd: x\n",
    "- |\n  item\n- |  # comment\n   deeper\n   \n- end\n",
    "a: |\n  no newline at the end",
    // Collections: indentless lists, compact maps and lists, empty values everywhere.
    "a:\n- x\n- y\nb:\n  - k: v\n    l: w\n  - - n\n    - m\n  -\n    deep: 1\nc:\nd:\n",
    "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf:\n",
    "- a: 1\n  b:\n  - x\n  c: 3\n- - - z\n",
    "x: {}\ny: []\nz:\n  {}\nw: [] # empty\n",
    // Documents.
    "# PIPELINE DEFINITION\n# Name: p\na: 1\n---\nb: 2\n---\n- 3\n",
    "---\na: 1\n--- # second\nb: 2\n",
    "a: 1",
    "a:",
    "a: b\n\n\n",
    // UTF-8: columns count characters, not bytes.
    "\xC3\xA9t\xC3\xA9: caf\xC3\xA9 \xE2\x80\x94 ok\n  \xF0\x9F\x98\x80 more\nn\xC3\xA9: "
    "'x\xC3\xA9' # \xC3\xA9\n"
    "l:\n- \xE4\xB8\xAD: \xE6\x96\x87\n  k: \"\xC3\xA9\\u00e9\"\n",
};

// Texts the block reader leaves to libyaml.
const char* const kOtherTexts[] = {
    "a:\tb\n",                 // a tab
    "a: x\xC2\x85y\n",         // NEL, a line break to libyaml
    "a: x\xE2\x80\xA8y\n",     // LS, another
    "a: x\xEF\xBB\xBFy\n",     // a byte order mark inside the text
    "a: \xC3\n",               // not UTF-8
    "a: \xC0\xAF\n",           // an overlong form
    "a: \xED\xA0\x80\n",       // a surrogate
    "a: \xC2\x9B\n",           // a C1 control character
    "a: &x 1\nb: *x\n",        // an anchor and an alias
    "a: !!str 1\n",            // a tag
    "a: [1, 2]\n",             // a flow collection with items
    "a: >\n  folded\n",        // a folded scalar
    "? a\n: b\n",              // an explicit key
    "%YAML 1.1\n---\na: 1\n",  // a directive
    "just a scalar\n",         // a document that is a scalar
    "a: b: c\n",               // not valid YAML
    "a: 1\na: 2\n",            // a duplicate key
    "a: 1\n...\n",             // a document end marker
    "a: 'unterminated\n",      // not valid YAML
    "a: |2\n  x\n",            // an indentation indicator
    "",                        // no document
};

}  // namespace

TEST_CASE("Block reader: reads the block style exactly as libyaml does") {
  for (const char* text : kBlockTexts) {
    INFO(text);
    Both r = read_both(text);
    REQUIRE_FALSE(r.libyaml_error);
    INFO((r.block_error ? r.block_error->to_string() : ""));
    REQUIRE_FALSE(r.block_error);
    CHECK(*r.block == *r.libyaml);
  }
}

TEST_CASE("Block reader: leaves other YAML and every problem to libyaml") {
  for (const char* text : kOtherTexts) {
    INFO(text);
    Both r = read_both(text);
    REQUIRE(r.block_error);
    CHECK(r.block_error->code == "kfpp.yaml_block");
    // Read with both parsers allowed, the text gives libyaml's tree and libyaml's problem.
    std::optional<kfpp::Diagnostic> any_error;
    auto any = YamlTree::parse(text, "t.yaml", {}, any_error);
    CHECK(*any == *r.libyaml);
    CHECK(any_error.has_value() == r.libyaml_error.has_value());
    if (any_error && r.libyaml_error) CHECK(any_error->to_string() == r.libyaml_error->to_string());
  }
}

TEST_CASE("Block reader: every reference file in the block style reads as libyaml reads it") {
  std::size_t files = 0;
  std::size_t block = 0;
  for (const char* dir :
       {KFPP_CONFORMANCE_DIR "/kfp", KFPP_CONFORMANCE_DIR "/kfp-sdk", KFPP_TEST_DATA_DIR}) {
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.path().extension() != ".yaml") continue;
      const std::string text = slurp(entry.path());
      INFO(entry.path().string());
      Both r = read_both(text);
      ++files;
      if (r.block_error) {
        // Only files outside the block style or with a problem are left to libyaml: every file
        // of the SDK's is in it.
        CHECK((entry.path().string().find("/kfp-sdk/") == std::string::npos || r.libyaml_error));
        continue;
      }
      ++block;
      REQUIRE_FALSE(r.libyaml_error);
      CHECK(*r.block == *r.libyaml);
    }
  }
  INFO(files << " files, " << block << " read by the block reader");
  CHECK(block * 10 >= files * 9);
}

TEST_CASE("Block reader: mutated texts read by it read the same with libyaml") {
  // Small edits of block-style texts (a byte removed, inserted or replaced by one that matters
  // to YAML) make texts near every rule's edge; whenever the block reader accepts one, libyaml
  // must accept it too and build the same tree.
  std::vector<std::string> seeds(std::begin(kBlockTexts), std::end(kBlockTexts));
  std::mt19937 rng(20261202);
  const std::string alphabet = " \n\n:-#'\"\\|{}[]?,ax0 \n  -\xC3\xA9";
  std::size_t accepted = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string t = seeds[rng() % seeds.size()];
    const std::size_t edits = 1 + rng() % 3;
    for (std::size_t e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t at = rng() % t.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          t.erase(at, 1);
          break;
        case 1:
          t.insert(at, 1, c);
          break;
        default:
          t[at] = c;
          break;
      }
    }
    Both r = read_both(t);
    if (r.block_error) continue;
    ++accepted;
    INFO(t);
    REQUIRE_FALSE(r.libyaml_error);
    REQUIRE(*r.block == *r.libyaml);
  }
  // The edits must leave enough texts in the block style for the comparison to mean something.
  CHECK(accepted > 5000);
}
