// SPDX-License-Identifier: Apache-2.0
#include "kfp_header.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "ir/json_text.hpp"
#include "pyyaml_scalar.hpp"

namespace kfpp::detail {

namespace {

// Decodes one UTF-8 sequence at `i`; returns its length (1 for a byte that starts none).
std::size_t next_code_point(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xe  ? 3
                  : (b >> 3) == 0x1e ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) {
    cp = 0xDC80 + b;  // as Python's surrogateescape would hold it
    return 1;
  }
  cp = n == 1 ? b : n == 2 ? (b & 0x1f) : n == 3 ? (b & 0x0f) : (b & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xc0) != 0x80) {
      cp = 0xDC80 + b;
      return 1;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  return n;
}

// Python's str.isprintable() for a character outside ASCII: false for the categories it excludes
// (controls, format characters, separators other than the space, surrogates, private use). The
// common members of those categories are listed; unassigned code points count as printable.
bool python_printable(char32_t c) {
  if (c < 0xA0) return false;  // C1 controls (ASCII is handled by the caller)
  struct Range {
    char32_t lo, hi;
  };
  static constexpr Range kNot[] = {
      {0xA0, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},
      {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x1680, 0x1680},   {0x180E, 0x180E},
      {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},
      {0x3000, 0x3000},   {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
      {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
      {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const auto& r : kNot)
    if (c >= r.lo && c <= r.hi) return false;
  return true;
}

void append_hex(std::string& out, char32_t c, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int k = digits - 1; k >= 0; --k) out += kHex[(c >> (4 * k)) & 0xf];
}

// Python's repr of a str: single quotes unless the text has one and no double quote.
void append_str_repr(std::string& out, std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  out += quote;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = 0;
    std::size_t n = next_code_point(s, i, c);
    if (c == static_cast<char32_t>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      append_hex(out, c, 2);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (!python_printable(c)) {
      out += c <= 0xff ? "\\x" : c <= 0xffff ? "\\u" : "\\U";
      append_hex(out, c, c <= 0xff ? 2 : c <= 0xffff ? 4 : 8);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out += quote;
}

void append_float_repr(std::string& out, const ir::Value& v) {
  out += python_float_repr(v.as_double());
}

// Python's repr of what json_format.MessageToDict makes of a protobuf Value: numbers are floats,
// and a map's keys keep the order they were written in.
constexpr detail::ValueTextStyle kPythonRepr{
    ", ", ": ", "None", "True", "False", append_float_repr, append_str_repr, true};

void append_repr(std::string& out, const ir::Value& v) {
  detail::append_value_text(out, v, kPythonRepr);
}

const char* python_type_name(ir::ParameterType t) {
  switch (t) {
    case ir::ParameterType::string:
      return "str";
    case ir::ParameterType::number_integer:
      return "int";
    case ir::ParameterType::number_double:
      return "float";
    case ir::ParameterType::boolean:
      return "bool";
    case ir::ParameterType::list:
      return "list";
    case ir::ParameterType::structure:
      return "dict";
    case ir::ParameterType::task_final_status:
      return "PipelineTaskFinalStatus";
  }
  return "str";
}

// Python's str.splitlines(): every line boundary it knows, `\r\n` as one.
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = 0;
    std::size_t n = next_code_point(s, i, c);
    bool boundary = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) ||
                    c == 0x85 || c == 0x2028 || c == 0x2029;
    if (!boundary) {
      i += n;
      continue;
    }
    lines.push_back(s.substr(start, i - start));
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++n;
    i += n;
    start = i;
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

struct Signature {
  std::string name;
  std::string text;
};

// A comment line ends at a line break: one inside the text is written as a space.
std::string comment_safe(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b == '\n' || b == '\r') s[i] = ' ';
    // U+0085, U+2028, U+2029: line breaks to YAML 1.1 readers.
    if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85)
      s.replace(i, 2, " ");
    if (b == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xa9))
      s.replace(i, 3, " ");
  }
  return s;
}

void append_section(std::string& out, const char* title, const ir::Interface& itf) {
  if (itf.empty()) return;
  std::vector<Signature> items;
  for (const auto& p : itf.parameters) {
    std::string text = p.name + ": " + python_type_name(p.type);
    if (p.default_value) {
      text += " [Default: ";
      // A string is shown in plain quotes; anything else as Python's str() of it.
      if (p.default_value->is_string())
        text += "'" + p.default_value->as_string() + "'";
      else
        append_repr(text, *p.default_value);
      text += ']';
    }
    items.push_back({p.name, std::move(text)});
  }
  for (const auto& a : itf.artifacts)
    items.push_back({a.name, a.name + ": " + a.type.schema_title});
  std::stable_sort(items.begin(), items.end(),
                   [](const Signature& a, const Signature& b) { return a.name < b.name; });
  out += "# ";
  out += title;
  out += '\n';
  for (const auto& s : items) {
    out += "#    ";
    out += comment_safe(s.text);
    out += '\n';
  }
}

}  // namespace

std::string python_repr(const ir::Value& v) {
  std::string out;
  append_repr(out, v);
  return out;
}

std::string kfp_header_comment(const ir::Pipeline& p) {
  std::string out = "# PIPELINE DEFINITION\n# Name: " + comment_safe(p.name) + "\n";
  if (!p.description.empty()) {
    out += "# Description: ";
    bool first = true;
    for (auto line : split_lines(p.description)) {
      if (!first) out += "\n#              ";
      first = false;
      out += line;
    }
    out += '\n';
  }
  append_section(out, "Inputs:", p.root.inputs);
  append_section(out, "Outputs:", p.root.outputs);
  return out;
}

}  // namespace kfpp::detail
