// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::detail {

/// A lightweight Python component as the runner runs it: a module, the function to call in it and
/// the packages it asks for.
struct PythonComponent {
  std::string module;                 ///< the module's text (the function and what it needs)
  std::string function_name;          ///< the function to call
  std::vector<std::string> packages;  ///< its `packages_to_install`, as pip requirements
  /// pip's options for them: `--index-url`, `--extra-index-url`, `--trusted-host` and values.
  std::vector<std::string> pip_options;
  /// Whether `pip_options` are exactly what every `pip install` of the command was given: false
  /// when the lines name different indexes, or an index in a form not read (`--index-url=URL`,
  /// `-iURL`, a value the shell would expand or split).
  bool pip_options_exact = true;
};

/// The Python component `c` is, when it is one: built in C++ (`c.python` set) or read from IR
/// that the KFP SDK or kfpp wrote (a command running `kfp.dsl.executor_main` with the module as
/// its last element and `--function_to_execute NAME` in the args).
[[nodiscard]] std::optional<PythonComponent> python_component(const ir::ContainerSpec& c);

/// The module name a pip requirement is imported as (`scikit-learn>=1` → `sklearn`).
[[nodiscard]] std::string import_name(const std::string& requirement);

}  // namespace kfpp::detail
