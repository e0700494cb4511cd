// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/format.hpp"

#include "kfpp/ir/value.hpp"

namespace kfpp {

Template::Template(std::string_view text, std::vector<detail::Source> args,
                   std::vector<ir::ParameterType> types) {
  // The text was checked when the program compiled: every brace is doubled or part of `{}`.
  std::string piece;
  std::size_t next = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      piece += c;
      ++i;
      continue;
    }
    if (c != '{') {
      piece += c;
      continue;
    }
    ++i;  // the '}' of "{}"
    detail::Source& a = args[next];
    const ir::ParameterType type = types[next];
    ++next;
    if (a.kind != detail::Source::Kind::constant) {
      pieces_.push_back(std::move(piece));
      piece.clear();
      channels_.push_back(std::move(a));
      types_.push_back(type);
    } else if (a.constant.is_string()) {
      piece += a.constant.as_string();
    } else if (a.constant.is_int()) {
      piece += std::to_string(a.constant.as_int());
    } else {
      piece += ir::python_json_text(a.constant);  // a float as Python's f-string writes it
    }
  }
  pieces_.push_back(std::move(piece));
}

JsonTemplate JsonTemplate::object(
    std::initializer_list<std::pair<JsonTemplate, JsonTemplate>> members) {
  JsonTemplate t;
  t.kind_ = Kind::object;
  t.items_.reserve(2 * members.size());
  for (const auto& [k, v] : members) {
    t.items_.push_back(k);
    t.items_.push_back(v);
  }
  return t;
}

JsonTemplate JsonTemplate::array(std::initializer_list<JsonTemplate> items) {
  JsonTemplate t;
  t.kind_ = Kind::array;
  t.items_.assign(items.begin(), items.end());
  return t;
}

}  // namespace kfpp
