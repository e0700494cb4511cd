// SPDX-License-Identifier: Apache-2.0
// For the tests of the Argo forms: IR written in the shape the SDK writes it (see the files of
// ../shared/conformance/kfp-sdk each test names), converted to a Workflow, and the walkers that
// read the Workflow back.
#pragma once

#include <catch2/catch.hpp>

#include <kfpp/compiler/argo.hpp>
#include <kfpp/ir/reader.hpp>
#include <kfpp/kfpp.hpp>
#include <string>
#include <vector>

#include "yaml_tree.hpp"

namespace kfpp::test {

using ir::Value;

/// The one Workflow that the Argo emitter writes for `p`.
inline Value argo_workflow(const ir::Pipeline& p, const ArgoOptions& o = {}) {
  auto docs = load_all(compile_argo(p, o));
  REQUIRE(docs.size() == 1);
  return docs[0];
}

/// The Workflow of an IR file's text.
inline Value argo_of(const std::string& ir_yaml, const ArgoOptions& o = {}) {
  return argo_workflow(ir::read_pipeline(ir_yaml, "test.yaml"), o);
}

/// The Workflow of a pipeline built with the DSL.
inline Value workflow(const Pipeline& p) { return argo_workflow(p.ir()); }

/// What the Argo emitter refuses in `p`, as `code path: message`; empty when it converts.
inline std::vector<std::string> refusals(const ir::Pipeline& p) {
  std::vector<std::string> out;
  try {
    (void)emit_argo(p, {});
  } catch (const ValidationError& e) {
    for (const auto& d : e.diagnostics()) out.push_back(d.code + " " + d.path + ": " + d.message);
  }
  return out;
}

inline std::vector<std::string> refusals(const std::string& ir_yaml) {
  return refusals(ir::read_pipeline(ir_yaml, "test.yaml"));
}

/// The value at a dotted path (`spec.templates.0.name`); the test stops when there is none.
inline const Value& get(const Value& v, const std::string& path) {
  const Value* x = at_path(v, path);
  INFO("path " << path);
  REQUIRE(x);
  return *x;
}

/// The text of the value at a dotted path (JSON for non-strings), `<absent>` when there is none.
inline std::string str(const Value& v, const std::string& path) {
  const Value* x = at_path(v, path);
  if (!x) return "<absent>";
  return x->is_string() ? x->as_string() : ir::python_json_text(*x);
}

/// The entry of a list whose `name` is `name`, or null.
inline const Value* find_named(const Value* list, const std::string& name) {
  if (!list || !list->is_array()) return nullptr;
  for (const auto& item : list->as_array())
    if (item.is_object() && item.as_object().count("name") &&
        item.as_object().at("name") == Value(name))
      return &item;
  return nullptr;
}

inline const Value& named(const Value& list, const std::string& name) {
  const Value* v = find_named(&list, name);
  INFO("no entry named " << name);
  REQUIRE(v);
  return *v;
}

inline const Value& tmpl(const Value& doc, const std::string& name) {
  return named(get(doc, "spec.templates"), name);
}

inline const Value& task(const Value& doc, const std::string& dag, const std::string& name) {
  return named(get(tmpl(doc, dag), "dag.tasks"), name);
}

/// Argo's value of `{{inputs.parameters.NAME}}` in a task's template: what the task gives it.
inline std::string given(const Value& t, const std::string& name) {
  return str(named(get(t, "arguments.parameters"), name), "value");
}

inline std::vector<std::string> strings(const Value& list) {
  std::vector<std::string> out;
  for (const auto& v : list.as_array()) out.push_back(v.is_string() ? v.as_string() : "?");
  return out;
}

/// `text` with each line indented two more spaces.
inline std::string indented(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    out += "  " + text.substr(at, end + 1 - at);
    at = end + 1;
  }
  return out;
}

/// The `artifacts:` of an input or output definition: one artifact `name` of `schema_title`.
inline std::string artifact_def(const std::string& name, const std::string& schema_title,
                                bool is_list = false) {
  return "      artifacts:\n        " + name + ":\n          artifactType:\n" +
         "            schemaTitle: " + schema_title + "\n            schemaVersion: 0.0.1\n" +
         (is_list ? "          isArtifactList: true\n" : "");
}

/// One container component `comp-NAME` in the SDK's shape.
inline std::string container(const std::string& name, const std::string& inputs,
                             const std::string& outputs, const std::string& command) {
  std::string s = "  comp-" + name + ":\n    executorLabel: exec-" + name + "\n";
  if (!inputs.empty()) s += "    inputDefinitions:\n" + inputs;
  if (!outputs.empty()) s += "    outputDefinitions:\n" + outputs;
  return s + "\x01" + ("exec-" + name) + "\x02" + command;
}

/// A whole IR file from components (as `container` returns them), the root and extra documents.
inline std::string ir_file(const std::string& name, const std::vector<std::string>& comps,
                           const std::string& root, const std::string& extra = {}) {
  std::string components = "components:\n";
  std::string executors = "deploymentSpec:\n  executors:\n";
  for (const auto& c : comps) {
    const std::size_t a = c.find('\x01');
    const std::size_t b = c.find('\x02');
    components += c.substr(0, a);
    if (a == std::string::npos) continue;
    executors += "    " + c.substr(a + 1, b - a - 1) + ":\n" + c.substr(b + 1);
  }
  return components + executors + "pipelineInfo:\n  name: " + name + "\nroot:\n" + root +
         "schemaVersion: 2.1.0\nsdkVersion: kfp-2.14.3\n" + extra;
}

/// The SDK's shape of lists of artifacts (artifacts_complex.yaml, collected_artifacts.yaml,
/// pipeline_with_parallelfor_list_artifacts_GH-12033.yaml): `double` writes `out`, run in the
/// loop `comp-for-loop-2` over [1, 2], whose output `pipelinechannel--double-out` collects it;
/// `show` reads a list `in`, `one` a single artifact `in`. `rest` adds components and `root` is
/// the root DAG's tasks.
inline std::string lists_file(const std::string& rest, const std::string& root) {
  return std::string(R"(components:
  comp-double:
    executorLabel: exec-double
    inputDefinitions:
      parameters:
        num:
          parameterType: NUMBER_INTEGER
    outputDefinitions:
)") + artifact_def("out", "system.Dataset") +
         "  comp-show:\n    executorLabel: exec-show\n    inputDefinitions:\n" +
         artifact_def("in", "system.Dataset", true) +
         "  comp-one:\n    executorLabel: exec-one\n    inputDefinitions:\n" +
         artifact_def("in", "system.Dataset") + R"(  comp-for-loop-2:
    dag:
      outputs:
        artifacts:
          pipelinechannel--double-out:
            artifactSelectors:
            - outputArtifactKey: out
              producerSubtask: double
      tasks:
        double:
          componentRef:
            name: comp-double
          inputs:
            parameters:
              num:
                componentInputParameter: pipelinechannel--loop-item-param-1
          taskInfo:
            name: double
    inputDefinitions:
      parameters:
        pipelinechannel--loop-item-param-1:
          parameterType: NUMBER_INTEGER
    outputDefinitions:
)" + artifact_def("pipelinechannel--double-out", "system.Dataset", true) +
         rest +
         R"(deploymentSpec:
  executors:
    exec-double:
      container:
        image: alpine
        command: [sh, -c, 'echo $0 > $1', '{{$.inputs.parameters[''num'']}}', '{{$.outputs.artifacts[''out''].path}}']
    exec-show:
      container:
        image: alpine
        command: [ls, '{{$.inputs.artifacts[''in''].path}}']
    exec-one:
      container:
        image: alpine
        command: [cat, '{{$.inputs.artifacts[''in''].path}}']
pipelineInfo:
  name: lists
root:
  dag:
    tasks:
)" + root +
         "schemaVersion: 2.1.0\nsdkVersion: kfp-2.14.3\n";
}

/// A root task `loop` over [1, 2], run by `comp-<loop>` with the item as its input `item`.
inline std::string loop_task(const std::string& loop, const std::string& item) {
  return "      " + loop + ":\n        componentRef:\n          name: comp-" + loop +
         "\n        parameterIterator:\n          itemInput: " + item +
         "\n          items:\n            raw: '[1, 2]'\n        taskInfo:\n          name: " +
         loop + "\n";
}

/// The root's loop `for-loop-2` over [1, 2].
inline const std::string kRootLoop = loop_task("for-loop-2", "pipelinechannel--loop-item-param-1");

/// A task `name` of the root DAG (of `comp-<component>`) whose artifact input `input` is the
/// output `key` of the task `producer`, after it; `indented(...)`, a task of a component's DAG.
inline std::string reading_task(const std::string& name, const std::string& component,
                                const std::string& input, const std::string& producer,
                                const std::string& key) {
  return "      " + name + ":\n        componentRef:\n          name: comp-" + component +
         "\n        dependentTasks:\n        - " + producer +
         "\n        inputs:\n          artifacts:\n            " + input +
         ":\n              taskOutputArtifact:\n                outputArtifactKey: " + key +
         "\n                producerTask: " + producer +
         "\n        taskInfo:\n          name: " + name + "\n";
}

/// `comp-for-loop-3`: a loop body whose task `one` reads the item of the list
/// `pipelinechannel--<list>` (the SDK's `pipelinechannel--<list>-loop-item`).
inline std::string loop_over_list_body(const std::string& list) {
  const std::string item = "pipelinechannel--" + list + "-loop-item";
  return R"(  comp-for-loop-3:
    dag:
      tasks:
        one:
          componentRef:
            name: comp-one
          inputs:
            artifacts:
              in:
                componentInputArtifact: )" +
         item + R"(
          taskInfo:
            name: one
    inputDefinitions:
)" + artifact_def("pipelinechannel--" + list, "system.Dataset", true) +
         artifact_def(item, "system.Dataset").substr(std::string("      artifacts:\n").size());
}

/// The root's loop `for-loop-3` over the list `for-loop-2` collects, run by `comp-for-loop-3`
/// (`loop_over_list_body("for-loop-2-out")`), at most `parallelism_limit` at a time when not 0.
inline std::string loop_over_list_task(int parallelism_limit = 0) {
  return std::string(R"(      for-loop-3:
        artifactIterator:
          itemInput: pipelinechannel--for-loop-2-out-loop-item
          items:
            inputArtifact: pipelinechannel--for-loop-2-out
        componentRef:
          name: comp-for-loop-3
        dependentTasks:
        - for-loop-2
        inputs:
          artifacts:
            pipelinechannel--for-loop-2-out:
              taskOutputArtifact:
                outputArtifactKey: pipelinechannel--double-out
                producerTask: for-loop-2
)") +
         (parallelism_limit ? "        iteratorPolicy:\n          parallelismLimit: " +
                                  std::to_string(parallelism_limit) + "\n"
                            : std::string()) +
         "        taskInfo:\n          name: for-loop-3\n";
}

}  // namespace kfpp::test
