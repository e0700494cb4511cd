// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kfpp/dsl/core.hpp"

namespace kfpp::detail {

/// A Python expression, as far as annotations and literal defaults need one.
struct PyExpr {
  enum class Kind {
    name,       ///< a (dotted) name: `text`
    string,     ///< a string literal: `text` is its value
    number,     ///< a number literal: `text` as written
    constant,   ///< `True`, `False`, `None`: `text`
    subscript,  ///< `items[0][items[1], ...]`
    call,       ///< `items[0](items[1], ...)`, `keywords` parallel to `items`
    list,       ///< `[items...]`
    tuple,      ///< `(items...)`
    dict,       ///< `{items[0]: items[1], ...}`
    union_of,   ///< `items[0] | items[1] | ...`
    other,      ///< anything else (an operator, a lambda, an f-string, ...)
  };
  Kind kind = Kind::other;
  std::string text;
  std::vector<PyExpr> items;
  std::vector<std::string> keywords;  ///< call: each argument's keyword, empty when positional
  bool formatted = false;             ///< string: an f-string, not a constant
};

/// One parameter of a Python function.
struct PythonParameter {
  std::string name;
  std::optional<PyExpr> annotation;  ///< absent when the parameter has none
  std::string annotation_text;       ///< as written, spaces collapsed
  std::optional<PyExpr> default_value;
  std::string default_text;
};

/// What `def NAME(...) -> ...:` in a component's source says.
struct PythonSignature {
  std::string function;
  std::string error;  ///< why the signature could not be read; empty when it was read
  std::vector<PythonParameter> parameters;
  std::optional<PyExpr> returns;  ///< the return annotation, when there is one
  std::string returns_text;
  std::vector<std::string> classes;  ///< classes the source defines at its top level
};

/// Reads the signature of the top-level function `function` in `source` (decorators, comments,
/// multi-line definitions and nested brackets allowed). Never throws: a source it cannot read has
/// `error` set.
[[nodiscard]] PythonSignature read_python_signature(std::string_view source,
                                                    const std::string& function);

/// The value of a literal expression (strings, numbers, True/False/None, lists, tuples, dicts of
/// those), or nullopt when `e` is not one.
[[nodiscard]] std::optional<ir::Value> python_literal(const PyExpr& e);

/// Checks a Python component when it is used: its options fit together, and (unless skipped)
/// its ports are the parameters and return value of its function. Throws DefinitionError.
void check_python_component(const ComponentData& c);

}  // namespace kfpp::detail
