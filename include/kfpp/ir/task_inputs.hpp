// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/value.hpp"

/// The small pieces tasks, executors and platform configs share: where an input comes from
/// (`TaskInputsSpec`) and a name/value environment variable.
namespace kfpp::ir {

/// Where a task's input parameter comes from.
/// Example: `kfpp::ir::ParameterBinding b{"x", kfpp::ir::ParameterBinding::Kind::task_output, {}, "Output", "square"};`
struct ParameterBinding {
  /// The kind of source.
  enum class Kind {
    constant,           ///< `runtimeValue.constant`
    component_input,    ///< `componentInputParameter`: an input of the enclosing DAG
    task_output,        ///< `taskOutputParameter`
    task_final_status,  ///< `taskFinalStatus`: the final status of `producer_task`
  };
  std::string name;            ///< the input port it feeds
  Kind kind = Kind::constant;  ///< the kind of source
  Value constant;              ///< constant
  std::string source;          ///< component_input: input name; task_output: output key
  std::string producer_task;   ///< task_output, task_final_status
  /// `parameterExpressionSelector`, e.g. `parseJson(string_value)["label"]`: a field of the value.
  std::string expression_selector{};
};

/// Where a task's input artifact comes from.
/// Example: `kfpp::ir::ArtifactBinding b{"dataset", kfpp::ir::ArtifactBinding::Kind::task_output, "data", "load"};`
struct ArtifactBinding {
  /// The kind of source.
  enum class Kind {
    component_input,  ///< `componentInputArtifact`
    task_output,      ///< `taskOutputArtifact`
  };
  std::string name;               ///< the input port it feeds
  Kind kind = Kind::task_output;  ///< the kind of source
  std::string source;             ///< component_input: input name; task_output: output key
  std::string producer_task;      ///< task_output
};

/// An environment variable of a container.
/// Example: `container.env.push_back({"LOG_LEVEL", "debug"});`
struct EnvVar {
  std::string name;   ///< the variable
  std::string value;  ///< its value
};

}  // namespace kfpp::ir
