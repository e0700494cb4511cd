// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp::test {

/// A small valid IR pipeline: `producer` (one STRING output) feeding `consumer`.
inline ir::Pipeline two_task_pipeline() {
  ir::Pipeline p;
  p.name = "demo";
  auto container = [](const std::string& label) {
    ir::Executor e;
    e.label = label;
    e.container.emplace();
    e.container->image = "alpine:3.19";
    e.container->command = {ir::Arg::of("echo")};
    return e;
  };
  p.executors = {container("exec-producer"), container("exec-consumer")};
  ir::Component prod;
  prod.name = "comp-producer";
  prod.executor_label = "exec-producer";
  prod.inputs.parameters.push_back({"msg", ir::ParameterType::string, std::nullopt, false, {}});
  prod.outputs.parameters.push_back({"out", ir::ParameterType::string, std::nullopt, false, {}});
  ir::Component cons;
  cons.name = "comp-consumer";
  cons.executor_label = "exec-consumer";
  cons.inputs.parameters.push_back({"text", ir::ParameterType::string, std::nullopt, false, {}});
  p.components = {prod, cons};
  p.root.inputs.parameters.push_back(
      {"message", ir::ParameterType::string, std::nullopt, false, {}});
  auto& dag = p.root.dag.emplace();
  ir::Task a;
  a.name = "producer";
  a.component_ref = "comp-producer";
  a.parameters.push_back({"msg", ir::ParameterBinding::Kind::component_input, {}, "message", {}});
  ir::Task b;
  b.name = "consumer";
  b.component_ref = "comp-consumer";
  b.dependent_tasks = {"producer"};
  b.parameters.push_back({"text", ir::ParameterBinding::Kind::task_output, {}, "out", "producer"});
  dag.tasks = {a, b};
  return p;
}

/// The diagnostics of `check` with code `code`.
inline std::vector<Diagnostic> with_code(const ir::Pipeline& p, const std::string& code) {
  auto all = ir::check(p);
  std::vector<Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return d.code == code; });
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The DefinitionError that `f` throws; the test fails when it throws none.
template <class F>
kfpp::DefinitionError definition_error(F&& f) {
  try {
    f();
  } catch (const kfpp::DefinitionError& e) {
    return e;
  }
  FAIL("no DefinitionError was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace kfpp::test
