// SPDX-License-Identifier: Apache-2.0
#include "runner/python_component.hpp"

#include <cctype>
#include <map>
#include <string_view>

namespace kfpp::detail {

namespace {

std::string plain_text(const ir::Arg& a) {
  if (a.kind == ir::Arg::Kind::text) return a.text;
  std::string out;
  for (const auto& i : a.items) out += plain_text(i);
  return out;
}

// The shell words of `line` that are single-quoted or bare, unquoted (`'a'\''b'` → `a'b`).
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'') {
      in_word = true;
      std::size_t end = line.find('\'', i + 1);
      if (end == std::string::npos) end = line.size();
      cur += line.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '\\' && i + 1 < line.size()) {
      in_word = true;
      cur += line[++i];
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      in_word = true;
      cur += c;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

// Whether the shell reads `word` (an unquoted option value, as the SDK writes index URLs) as
// itself: no expansion, globbing, quoting or splitting.
bool plain_word(const std::string& word) {
  if (word.empty() || word[0] == '~') return false;
  for (char c : word)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("-._~:/@%+=,").find(c) == std::string_view::npos)
      return false;
  return true;
}

// The requirements of every `pip install` in `script`, without the KFP runtime's own; the
// index options of the first go to `options`. `exact` is cleared when the lines give different
// index options, or one in a form not read.
std::vector<std::string> pip_requirements(const std::string& script,
                                          std::vector<std::string>& options, bool& exact) {
  std::vector<std::string> out;
  bool first = true;
  std::size_t at = 0;
  while ((at = script.find("pip install", at)) != std::string::npos) {
    at += 11;
    std::size_t end = at;
    while (end < script.size() && script[end] != '\n' && script.compare(end, 2, "&&") != 0) ++end;
    std::vector<std::string> words = shell_words(script.substr(at, end - at));
    std::vector<std::string> line_options;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      if (w.empty()) continue;
      if (w == "--index-url" || w == "--extra-index-url" || w == "--trusted-host" || w == "-i") {
        if (i + 1 < words.size()) {
          line_options.insert(line_options.end(), {w, words[i + 1]});
          if (!plain_word(words[i + 1])) exact = false;
        } else {
          exact = false;
        }
        ++i;
        continue;
      }
      if (w.rfind("--index-url=", 0) == 0 || w.rfind("--extra-index-url=", 0) == 0 ||
          w.rfind("--trusted-host=", 0) == 0 || (w.rfind("-i", 0) == 0 && w.size() > 2))
        exact = false;
      if (w[0] == '-') continue;
      if (w.rfind("kfp==", 0) == 0 || w == "kfp" || w.rfind("typing-extensions", 0) == 0) continue;
      out.push_back(w);
    }
    if (first)
      options = line_options;
    else if (line_options != options)
      exact = false;
    at = end;
    first = false;
  }
  return out;
}

}  // namespace

std::string import_name(const std::string& requirement) {
  std::string name;
  for (char c : requirement) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else
      break;
  }
  static const std::map<std::string, std::string> known = {
      {"scikit-learn", "sklearn"},
      {"pillow", "PIL"},
      {"pyyaml", "yaml"},
      {"opencv-python", "cv2"},
      {"beautifulsoup4", "bs4"},
      {"python-dateutil", "dateutil"},
      {"tensorflow-cpu", "tensorflow"},
      {"protobuf", "google.protobuf"},
  };
  if (auto it = known.find(name); it != known.end()) return it->second;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

std::optional<PythonComponent> python_component(const ir::ContainerSpec& c) {
  if (c.python) {
    std::string module = "from kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n";
    module += c.python->source;
    const ir::PythonFunction& fn = *c.python;
    std::vector<std::string> options;
    for (std::size_t i = 0; i < fn.pip_index_urls.size(); ++i)
      options.insert(options.end(),
                     {i == 0 ? "--index-url" : "--extra-index-url", fn.pip_index_urls[i]});
    if (!fn.pip_index_urls.empty())
      for (const auto& h : fn.pip_trusted_hosts ? *fn.pip_trusted_hosts : fn.pip_index_urls)
        options.insert(options.end(), {"--trusted-host", h});
    return PythonComponent{std::move(module), fn.function_name, fn.packages, std::move(options),
                           true};
  }
  std::string script;
  bool runs_executor = false;
  // The module (the last element) is the function's own text, not part of the script.
  for (std::size_t i = 0; i + 1 < c.command.size(); ++i) {
    std::string t = plain_text(c.command[i]);
    if (t.find("kfp.dsl.executor_main") != std::string::npos) runs_executor = true;
    script += t + "\n";
  }
  if (!runs_executor || c.command.empty() || c.command.back().kind != ir::Arg::Kind::text)
    return std::nullopt;
  std::string function;
  for (std::size_t i = 0; i + 1 < c.args.size(); ++i)
    if (plain_text(c.args[i]) == "--function_to_execute") function = plain_text(c.args[i + 1]);
  if (function.empty()) return std::nullopt;
  std::vector<std::string> options;
  bool exact = true;
  std::vector<std::string> packages = pip_requirements(script, options, exact);
  return PythonComponent{c.command.back().text, function, std::move(packages), std::move(options),
                         exact};
}

}  // namespace kfpp::detail
