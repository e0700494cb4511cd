// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "dsl/python_signature.hpp"
#include "kfpp/compile.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

namespace {

// The pipeline the KFP SDK writes for a single component: the component, its executor, and a
// root that runs it once with the root's inputs and returns its outputs.
ir::Pipeline component_pipeline(const detail::ComponentData& c) {
  const std::string name = detail::sanitize_name(c.name);
  ir::Pipeline p;
  p.name = name;
  ir::Component comp;
  comp.name = "comp-" + name;
  comp.inputs = c.inputs;
  comp.outputs = c.outputs;
  comp.executor_label = "exec-" + name;
  ir::Executor e = c.executor;
  e.label = comp.executor_label;
  p.executors.push_back(std::move(e));
  p.root.name = "root";
  p.root.inputs = c.inputs;
  p.root.outputs = c.outputs;
  ir::Dag dag;
  ir::Task t;
  t.name = name;
  t.component_ref = comp.name;
  for (const auto& ps : c.inputs.parameters) {
    ir::ParameterBinding b;
    b.name = ps.name;
    b.kind = ir::ParameterBinding::Kind::component_input;
    b.source = ps.name;
    t.parameters.push_back(std::move(b));
  }
  for (const auto& as : c.inputs.artifacts)
    t.artifacts.push_back({as.name, ir::ArtifactBinding::Kind::component_input, as.name, {}});
  for (const auto& ps : c.outputs.parameters)
    dag.outputs.push_back({ps.name, false, name, ps.name});
  for (const auto& as : c.outputs.artifacts) dag.outputs.push_back({as.name, true, name, as.name});
  dag.tasks.push_back(std::move(t));
  p.root.dag = std::move(dag);
  p.components.push_back(std::move(comp));
  return p;
}

}  // namespace

std::string component_yaml(const detail::ComponentData& component) {
  if (component.pipeline) return compile_kfp(*component.pipeline);
  detail::check_python_component(component);
  return compile_kfp(component_pipeline(component));
}

}  // namespace kfpp
