// SPDX-License-Identifier: Apache-2.0
// pyyaml_echo FILE: reads strings (one a line, hex-encoded UTF-8) and writes, with kfpp's YAML
// writer in PyYAML style, the document that check_pyyaml.py also has PyYAML dump: the strings as
// map values, list items, values deep in maps inside a list, and keys. The script compares bytes.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/yaml_writer.hpp"

namespace {

std::string unhex(const std::string& line) {
  std::string out;
  for (std::size_t i = 0; i + 1 < line.size(); i += 2)
    out += static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16));
  return out;
}

std::string index_key(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "k%04zu", i);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: pyyaml_echo FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> strings;
  for (std::string line; std::getline(in, line);) strings.push_back(unhex(line));
  std::vector<std::string> keys = strings;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  kfpp::detail::YamlWriter w(kfpp::detail::YamlStyle::pyyaml);
  w.begin_map();
  w.key("deep");
  w.begin_map();
  w.key("a");
  w.begin_map();
  w.key("b");
  w.begin_seq();
  for (const auto& s : strings) {
    w.begin_map();
    w.entry("s", s);
    w.end_map();
  }
  w.end_seq();
  w.end_map();
  w.end_map();
  w.key("items");
  w.begin_seq();
  for (const auto& s : strings) w.string(s);
  w.end_seq();
  w.key("keys");
  w.begin_map();
  for (const auto& k : keys) {
    w.key(k);
    w.integer(1);
  }
  w.end_map();
  w.key("values");
  w.begin_map();
  for (std::size_t i = 0; i < strings.size(); ++i) w.entry(index_key(i), strings[i]);
  w.end_map();
  w.end_map();
  std::cout << w.take();
  return 0;
}
