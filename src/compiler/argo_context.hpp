// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "argo_node.hpp"
#include "kfpp/compiler/argo.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/pipeline.hpp"

/// The pieces of the Argo emitter that share state: the lowering context, the translation of
/// text and conditions, the pod settings, and the split of large DAGs.
namespace kfpp::detail::argo {

/// Where outputs and inputs live in an Argo pod.
inline constexpr const char* kOutputsDir = "/tmp/kfpp/outputs";
inline constexpr const char* kInputsDir = "/tmp/kfpp/inputs";
/// The pipeline workspace: KFP's mount path and volume name, on a claim of the workflow's
/// `volumeClaimTemplates`.
inline constexpr const char* kWorkspacePath = "/kfp-workspace";
inline constexpr const char* kWorkspaceVolume = "kfp-workspace";
/// The workflow parameter that stands for `{{$.pipeline_root}}`.
inline constexpr const char* kPipelineRootParameter = "kfpp-pipeline-root";
/// Argo's limits (full v4 CRD): tasks in one DAG, templates in one workflow.
inline constexpr std::size_t kMaxDagTasks = 200;
inline constexpr std::size_t kMaxTemplates = 200;

/// A DAG being written and the task of it being lowered: bindings resolve in this context.
struct Scope {
  const ir::Component* dag = nullptr;  ///< the component whose DAG holds the task
  bool root = false;
  std::string path;  ///< `pipeline/…/task` for diagnostics
  /// Optional inputs of this DAG that its caller leaves unset (and that have no default).
  std::set<std::string> absent;
};

/// State shared while one pipeline is lowered.
struct Context {
  const ir::Pipeline& pipeline;  ///< as rewritten for Argo, without its executors
  const ArgoOptions& options;
  std::vector<Diagnostic> problems;
  bool uses_pipeline_root = false;  ///< some text reads `{{$.pipeline_root}}`

  /// Records a construct with no Argo form (or a limit exceeded); all are thrown together.
  void unsupported(std::string path, std::string what, std::string fix,
                   std::string code = "kfpp.argo_unsupported") {
    problems.push_back({std::move(code), std::move(path), std::move(what), std::move(fix)});
  }
};

/// The parts joined into one string, made in one allocation (the emitter joins many short texts
/// for every task: variables, paths).
[[nodiscard]] inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (const auto part : parts) out += part;
  return out;
}

/// `parseJson(string_value)["field"]` → `field`; empty when the selector has another form.
[[nodiscard]] std::string selector_field(const std::string& selector);

/// Checks text that goes into the workflow as is: Argo would read a `{{inputs.…}}`-like tag in
/// it as its own variable, and fails on an unterminated `{{`. Records a problem; returns false.
bool check_literal(Context& cx, const std::string& text, const std::string& path);

/// A constant as the text Argo passes (strings as is, the rest as JSON), with KFP's pipeline
/// placeholders (`{{$.pipeline_job_name}}` …) mapped to Argo variables. `task_id` is the Argo
/// text of the task's id where one exists (inside a pod: `{{pod.name}}`); elsewhere the task id
/// placeholder is refused.
[[nodiscard]] std::string constant_text(Context& cx, const ir::Value& v, const std::string& task,
                                        const std::string& path, const std::string& task_id = {});

/// Whether a constant reads the task id (`{{$.pipeline_task_uuid}}`), which only a pod knows.
[[nodiscard]] bool reads_task_id(const ir::Value& v);

/// The Argo text of one of a condition task's inputs, and whether its value is text (quoted in
/// the expression) rather than a number or a boolean.
struct WhenOperand {
  std::string text;
  bool is_text = true;
};

/// A KFP `triggerPolicy.condition` as an Argo `when`; `operand` gives each input the condition
/// reads. Records a problem (and returns empty) when the condition has another form.
[[nodiscard]] std::string when_expression(
    Context& cx, const std::string& cel,
    const std::function<WhenOperand(const std::string& input)>& operand, const std::string& path);

/// Applies an executor's Kubernetes settings to a container template. `runtime` gives the Argo
/// text of a name or JSON value read at run time (a template input it declares).
void apply_kubernetes(Context& cx, const ir::Executor& exec, Node& tmpl,
                      const std::function<std::string(const ir::ParameterBinding&)>& runtime,
                      const std::function<bool(const ir::ParameterBinding&)>& is_list,
                      std::set<std::string>& pull_secrets, const std::string& path);

/// The sibling tasks a task waits for or reads from (dependencies, producers of its inputs, the
/// task whose final status it takes).
[[nodiscard]] std::set<std::string> upstream_tasks(const ir::Task& t);
/// The same names as `Task::upstream()` (sorted, each once), as views into the task.
[[nodiscard]] std::vector<std::string_view> upstream_names(const ir::Task& t);

/// The component inputs of integer type, by component, for the constants tasks pass them.
class IntegerInputs {
 public:
  explicit IntegerInputs(const ir::Pipeline& p);  ///< `p` outlives this
  /// Whether any component has an integer input (most pipelines have none: nothing to fix).
  [[nodiscard]] bool any() const { return any_; }
  /// Makes the task's constants for integer inputs of its component integers.
  void fix(ir::Task& t) const;
  /// An integral double as an integer; whether it was one.
  static bool integral(ir::Value& v);

 private:
  std::unordered_map<std::string_view, const ir::Component*> components_;  // the first of a name
  bool any_ = false;
};

/// The pipeline as the Argo lowering rewrites it. `p` holds copies of the components that are
/// rewritten (DAG components, and leaf components with integer inputs that have defaults), in
/// the order of the caller's pipeline `from`, then the parts the split adds; every other
/// component is read from `from`, which outlives this. `p` has no executors either (the lowering
/// only reads them, from `from`): they and the leaf components are most of a pipeline's memory.
struct Rewritable {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  ir::Pipeline p;
  const ir::Pipeline& from;
  /// By component of `from`: the index of its copy in `p.components`, or npos.
  std::vector<std::size_t> copy_of;
  /// By copy in `p.components` (the parts aside): the index of its component in `from`.
  std::vector<std::size_t> origin;

  /// Every component a task may name, in the order in which the first of a name is the one a
  /// reference finds: those of `from` (each as its copy, where one was made), then the parts.
  [[nodiscard]] std::vector<const ir::Component*> components() const;
};

/// Rewrites every DAG with more than `kMaxDagTasks` tasks into nested DAGs of at most that many,
/// in dependency order; data crossing parts becomes part inputs and outputs. The copies in `r.p`
/// of such DAGs have no tasks: the parts copy them from `r.from` and apply `integers` to them.
void split_large_dags(Context& cx, Rewritable& r, const IntegerInputs& integers);

/// Gives integer parameters integer values: IR written by the SDK holds every number as a double
/// (`defaultValue: 5.0`), which Argo would pass on as the text `5.0` that `int()` refuses.
/// `integers` describes the components of `p`.
void integer_parameters_as_integers(ir::Pipeline& p, const IntegerInputs& integers);

/// A name valid for Kubernetes (DNS-1123 label, at most `limit` characters): lower case,
/// other characters as `-`, shortened with a stable hash of the whole name when too long.
[[nodiscard]] std::string dns_name(std::string_view name, std::size_t limit);

}  // namespace kfpp::detail::argo
