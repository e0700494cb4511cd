// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/ir/value.hpp"

/// The small pieces tasks, executors and platform configs share: where an input comes from
/// (`TaskInputsSpec`) and a name/value environment variable.
namespace kfpp::ir {

/// Where a task's input parameter comes from.
struct ParameterBinding {
  enum class Kind {
    constant,           ///< `runtimeValue.constant`
    component_input,    ///< `componentInputParameter`: an input of the enclosing DAG
    task_output,        ///< `taskOutputParameter`
    task_final_status,  ///< `taskFinalStatus`: the final status of `producer_task`
  };
  std::string name;  ///< the input port it feeds
  Kind kind = Kind::constant;
  Value constant;             ///< constant
  std::string source;         ///< component_input: input name; task_output: output key
  std::string producer_task;  ///< task_output, task_final_status
  /// `parameterExpressionSelector`, e.g. `parseJson(string_value)["label"]`: a field of the value.
  std::string expression_selector{};
};

/// Where a task's input artifact comes from.
struct ArtifactBinding {
  enum class Kind {
    component_input,  ///< `componentInputArtifact`
    task_output,      ///< `taskOutputArtifact`
  };
  std::string name;
  Kind kind = Kind::task_output;
  std::string source;         ///< component_input: input name; task_output: output key
  std::string producer_task;  ///< task_output
};

/// An environment variable of a container.
struct EnvVar {
  std::string name;
  std::string value;
};

}  // namespace kfpp::ir
