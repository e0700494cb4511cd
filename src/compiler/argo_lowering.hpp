// SPDX-License-Identifier: Apache-2.0
#pragma once
// The lowering of one pipeline to an Argo Workflow: each executor becomes a container template,
// each DAG component a DAG template; bindings become Argo variables in the DAG that calls the
// task. Its parts live in argo_bindings.cpp (bindings, analysis, placeholder text),
// argo_leaf.cpp (a leaf task: its template found by its facts, its call), argo_container.cpp
// (container templates), argo_importer.cpp (importer and PVC steps),
// argo_dag.cpp (DAG templates and tasks) and argo_emitter.cpp (the workflow resource).

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "argo_context.hpp"
#include "ir/name_index.hpp"

namespace kfpp::detail::argo {

using ir::ArtifactBinding;
using ir::ParameterBinding;

inline std::string short_name(const std::string& component) {
  return component.rfind("comp-", 0) == 0 ? component.substr(5) : component;
}

inline std::string output_path(const std::string& name) { return cat({kOutputsDir, "/", name}); }
inline std::string input_path(const std::string& name) { return cat({kInputsDir, "/", name}); }

// A template name Argo accepts: `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters.
inline std::string template_base(const std::string& name) { return dns_name(name, 120); }

// Text built on first use only: the executor input JSON, which few containers read.
class LazyText {
 public:
  explicit LazyText(std::function<std::string()> make) : make_(std::move(make)) {}
  const std::string& get() const {
    if (!text_) text_ = make_();
    return *text_;
  }

 private:
  std::function<std::string()> make_;
  mutable std::optional<std::string> text_;
};

/// The text standing for the list placeholder `{{$.inputs.artifacts['name']}}` in a container's
/// command or args, which the list wrapper replaces with the artifacts as JSON when the pod runs.
inline std::string list_marker(const std::string& name) {
  return "@kfpp-artifact-list:" + name + "@";
}

/// The POSIX shell script that wraps a container reading list placeholders: for each input it
/// lists the input's directory (the collected artifacts, one entry each) as KFP's JSON
/// (`[{"name": …, "uri": …, "metadata": {}}, …]`), replaces the input's marker in every
/// argument with it, and runs the original command. Run as `sh -c SCRIPT kfpp-list CMD ARGS…`.
[[nodiscard]] std::string list_wrapper_script(const std::set<std::string>& inputs);

/// The POSIX shell script of the key listing step: the names of the entries of `dir` (sorted) as
/// a JSON list of strings, written to `out`.
[[nodiscard]] std::string list_keys_script(const std::string& dir, const std::string& out);

/// The POSIX shell script of the run id step: its first argument (`$0`, the pod's name) written
/// to `out`. Run as `sh -c SCRIPT {{pod.name}}`.
[[nodiscard]] std::string iteration_script(const std::string& out);

/// One argument of a task's call: `name` and `value`, `from` (an artifact's source) or the key of
/// an artifact in the repository (`s3: {key: …}`, `gcs: {key: …}`), kept flat (a task has a few
/// and a workflow tens of thousands).
struct Argument {
  enum class Form : char { value, from, s3_key, gcs_key };
  std::string name;
  std::string text;  ///< the value, the source or the key
  Form form = Form::value;
};

/// The argument as a tree, for a template that lists it in its own DAG.
[[nodiscard]] Node argument_node(const Argument& a);

class Lowering {
 public:
  /// `p` is the pipeline as rewritten for Argo (see Rewritable), `components` every component a
  /// task may name (the first of a name found), `executors` the caller's own: look them up with
  /// `component()` and `executor()`.
  Lowering(Context& cx, const ir::Pipeline& p, const std::vector<const ir::Component*>& components,
           const std::vector<ir::Executor>& executors)
      : cx_(cx), p_(p) {
    components_.reserve(components.size());
    for (const ir::Component* c : components) {
      components_.emplace(c->name, c);
      if (c->dag)
        for (const auto& a : c->outputs.artifacts) group_lists_ = group_lists_ || a.is_list;
    }
    executors_.reserve(executors.size());
    for (const auto& e : executors) executors_.emplace(e.label, &e);
  }

  Node run();

 private:
  struct Call {
    std::vector<Argument> parameters;
    std::vector<Argument> artifacts;
    void parameter(std::string name, std::string value) {
      parameters.push_back({std::move(name), std::move(value), Argument::Form::value});
    }
    void artifact(std::string name, std::string from) {
      artifacts.push_back({std::move(name), std::move(from), Argument::Form::from});
    }
  };

  /// A task as its entry in its DAG's `tasks` reads (`write_task` writes it).
  struct DagTask {
    std::string name;
    std::optional<std::string> tmpl;  ///< absent when the task's component is unknown
    Call call;                        ///< its `arguments`
    std::string depends;
    std::string when;
    std::string with_param;
    Node with_items;
  };

  /// What a leaf task's container template takes from its component, its executor, the task
  /// and the DAG calling it. `container_template` is given nothing else of them (but through
  /// `TaskReads`): tasks with the same facts (the same `template_key`) have the same template.
  struct LeafFacts {
    /// The component's interface and executor, by content: equal for components whose
    /// interfaces and containers are written the same (see `shape`).
    std::size_t shape = 0;
    /// A parameter input the task gives (in binding order; those its DAG leaves unset are left
    /// out): a template input, or a constant only the pod resolves, written in place (`inlined`).
    struct Parameter {
      std::string name;
      std::optional<std::string> inlined;
    };
    /// How an input artifact of the component comes in.
    struct Artifact {
      enum class Form : char {
        unbound,             ///< not given (or left unset by the DAG)
        file,                ///< downloaded to its input path
        file_with_metadata,  ///< with its producer's metadata as input `<name>-metadata`
        list_key,            ///< a list downloaded from the key prefix `key`
        list_key_input,      ///< a list whose key prefix the caller gives (`<name>-key`)
        list_refused,        ///< a list with no Argo form (reported)
      };
      Form form = Form::unbound;
      std::string key;
    };
    std::vector<Parameter> parameters;
    std::vector<Artifact> artifacts;  ///< one per input artifact of the component
    /// One per output artifact of the component: the key prefixes of the lists of loops that
    /// collect it, or nullptr.
    std::vector<const std::vector<std::string>*> collected;
    /// One per output artifact of the component: whether a consumer reads its metadata.
    std::vector<bool> metadata_out;
    const std::set<std::string>* iteration = nullptr;  ///< run ids its output keys read
    const ir::RetryPolicy* retry = nullptr;            ///< when the task retries
    bool enable_cache = false;
    std::string cache_key;
  };

  /// What a container template may read beyond its facts: the component's name (a memoization
  /// key, `{{$.pipeline_task_name}}`) and settings read at run time (`give` has the caller pass a
  /// binding's value as the template's input `name`; `is_list` says whether a binding's value is
  /// a list, by its source). A template that reads any of them is the task's own: not shared.
  struct TaskReads {
    std::function<const std::string&()> component_name;
    std::function<void(const std::string& name, const ParameterBinding&)> give;
    std::function<bool(const ParameterBinding&)> is_list;
  };
  /// A leaf template found by its facts: its name, and whether tasks with the same facts share
  /// it (it read nothing through `TaskReads`, and no problem was reported while it was built).
  struct LeafTemplate {
    std::string name;
    bool shared = false;
  };

  // --- bindings --------------------------------------------------------------------------
  std::string param_ref(const Scope& s, const ir::Task& t, const ParameterBinding& b,
                        const std::string& path);
  std::string status_json(const ir::Task& t, const std::string& producer);
  const ir::ParameterSpec* binding_type(const Scope& s, const ParameterBinding& b);
  bool produced_by_loop_list(const Scope& s, const ArtifactBinding& b);
  /// The Argo text of the key prefix in the artifact repository that holds a list of artifacts
  /// (one object or folder per artifact): a loop's collected outputs, a non-looped group's list
  /// output, or the list input of the DAG (its parameter `<input>-key`). Empty when the binding
  /// has none of these forms.
  std::string list_key(const Scope& s, const ArtifactBinding& b);
  /// Why a list binding has no key prefix, when it is a specific case (else empty).
  std::string list_refusal(const Scope& s, const ArtifactBinding& b) const;
  std::string group_list_key(const ir::Component& dag, const std::string& task,
                             const std::string& output);
  /// Whether a binding reads an optional input the group's caller leaves unset: the task then
  /// does not give that input, as KFP runs it.
  bool is_absent(const Scope& s, const ParameterBinding& b) const;
  /// A root task's argument for a pipeline input artifact: a key in the artifact repository.
  [[nodiscard]] Argument pipeline_input_artifact(std::string name, const std::string& input) const;
  /// The argument for a key under `key` in the artifact repository that collected lists use.
  [[nodiscard]] Argument stored_artifact(std::string name, std::string key) const;
  /// Mounts the pipeline workspace (when the pipeline has one) into a container template.
  void mount_workspace(Node& tmpl) const;

  // --- templates -------------------------------------------------------------------------
  std::string leaf_template(const Scope& s, const ir::Task& t, const ir::Component& c, Call& call);
  /// The task's facts for its container template, written to `f` (every field set; its vectors
  /// keep their storage from task to task), and its call's arguments (those of settings read at
  /// run time aside, given while the template is built).
  void leaf_facts(const Scope& s, const ir::Task& t, const ir::Component& c,
                  const std::string& path, Call& call, LeafFacts& f);
  /// The facts as bytes, written to `key` (cleared first; a buffer reused from task to task):
  /// equal for two tasks exactly when their facts are equal.
  static void template_key(const LeafFacts& f, std::string& key);
  /// The container template of an executor (interfaces `in_defs`, `out_defs`) for a task with
  /// facts `f` (nothing when its text cannot be written: a problem at `path` is recorded).
  std::optional<Node> container_template(const ir::Interface& in_defs,
                                         const ir::Interface& out_defs, const ir::Executor& exec,
                                         const LeafFacts& f, const std::string& path,
                                         const TaskReads& reads);
  /// The number that stands for a leaf component's interfaces and executor in its facts: the
  /// same for components that `same_text` finds equal; one of its own where the executor has
  /// Kubernetes settings.
  std::size_t shape(const ir::Component& c, const ir::Executor& exec);
  /// Whether the leaf components of `shape` (`c` one of them) read the metadata of their input
  /// artifact number `input` (see reads_metadata), found once per shape.
  bool shape_reads_metadata(std::size_t shape, const ir::Component& c, std::size_t input);
  std::string importer_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                const ir::ImporterSpec& imp, Call& call);
  std::string resource_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                const ir::ContainerSpec& spec, Call& call);
  std::string dag_template(const ir::Component& c, bool root, const std::string& path,
                           const std::set<std::string>& absent = {});
  DagTask dag_task(const Scope& s, const ir::Task& t);
  /// Writes `task` as the next item of the DAG's `tasks` that `w` writes; `exit`, when given,
  /// is the task run as its exit hook (its template and arguments).
  static void write_task(YamlWriter& w, const DagTask& task, const DagTask* exit);
  std::string add_template(Node tmpl, const std::string& base, bool dedupe);
  Node workspace_claim();
  /// The step listing the entries under a key prefix (input `key`) as a JSON list of names
  /// (output `keys`), for a loop over a list of artifacts.
  std::string list_keys_template();
  /// The step that starts a DAG run whose tasks read a list collected inside it by an inner loop:
  /// it outputs its pod's name (`id`), unique to that run, as the key prefix of the run's lists.
  std::string iteration_template();
  /// The Argo text of a DAG run's id (parameter `param`, see `iteration_inputs_`) in scope `s`:
  /// the step's output in the DAG that runs the step, the DAG's input below it.
  std::string iteration_ref(const Scope& s, const std::string& param);
  /// Whether a task of `c`'s DAG reads the output `output` of its task `task` directly.
  static bool read_in(const ir::Component& c, const std::string& task, const std::string& output);

  // --- analysis --------------------------------------------------------------------------
  // By name in constant time (the IR's own lookups scan, which made the lowering quadratic).
  const ir::Component* component(const std::string& name) const {
    const ir::Component* const* found = components_.find(name);
    return found ? *found : nullptr;
  }
  const ir::Executor* executor(const std::string& label) const {
    const ir::Executor* const* found = executors_.find(label);
    return found ? *found : nullptr;
  }
  /// The task `name` of `dag`, or nullptr (the index of a DAG is made when it is first asked).
  const ir::Task* task_in(const ir::Dag& dag, std::string_view name) {
    auto [it, made] = tasks_.try_emplace(&dag);
    if (made) {
      it->second.reserve(dag.tasks.size());
      for (const auto& t : dag.tasks) it->second.emplace(t.name, &t);
    }
    const ir::Task* const* found = it->second.find(name);
    return found ? *found : nullptr;
  }
  const std::set<std::pair<std::string, std::string>>& field_inputs(const ir::Component& c);
  void find_loops(const ir::Component& c, bool in_loop);
  /// Marks where each leaf task producing `body`'s output `output` stores its artifact (under
  /// `prefix`); with `iteration`, the prefix reads that DAG run's id, passed down the groups.
  void trace_collected(const ir::Component& body, const std::string& output,
                       const std::string& prefix, const std::string& path,
                       const std::string& iteration = {});
  /// Artifact metadata carried as parameters: which components read the metadata of which of
  /// their input artifacts (`metadata_in_`), and which output artifacts' metadata a consumer
  /// reads and the producer can give (`metadata_out_`). Empty in a pipeline reading none.
  void find_metadata_reads();
  /// Whether a container component reads its input artifact's metadata: a placeholder of it or
  /// `{{$}}` in its command, args or env, or a Python function whose source names
  /// `<input>.metadata`.
  bool leaf_reads_metadata(const ir::Component& c, const std::string& input);
  /// Whether a component's pod writes (or a group carries) the metadata of an output artifact.
  bool writes_metadata(const ir::Component& c, const std::string& output);
  bool reads_metadata(const ir::Component& c, const std::string& input);
  /// The Argo text of the metadata (JSON) of the artifact a binding reads: the producer's
  /// `<output>-metadata` parameter, the DAG's `<input>-metadata` input, or `{}`.
  std::string metadata_ref(const Scope& s, const ArtifactBinding& b);

  // --- text --------------------------------------------------------------------------------
  std::string translate(const std::string& text, const std::map<std::string, std::string>& params,
                        const ir::Interface& in_defs, const TaskReads& reads,
                        const std::string& path, const LazyText& executor_input);
  std::string arg_text(const ir::Arg& a, const std::map<std::string, std::string>& params,
                       const std::set<std::string>& present, const ir::Interface& in_defs,
                       const TaskReads& reads, const std::string& path,
                       const LazyText& executor_input);

  Context& cx_;
  const ir::Pipeline& p_;
  NameIndex<const ir::Component*> components_;
  NameIndex<const ir::Executor*> executors_;
  std::unordered_map<const ir::Dag*, NameIndex<const ir::Task*>> tasks_;
  bool group_lists_ = false;  // whether some DAG component has a list output (group_list_key)
  std::vector<Node> templates_;
  std::unordered_multimap<std::size_t, std::size_t> by_content_;  // hash -> index in contents_
  std::vector<std::pair<Node, std::string>> contents_;            // a template and its name
  std::unordered_map<std::string, LeafTemplate> leaf_templates_;  // by template_key
  std::string key_;                                               // the last template_key
  LeafFacts facts_;                                               // the last leaf_facts
  std::string input_path_;  // the path of the input leaf_facts binds (for problems)
  std::unordered_map<const ir::Component*, std::size_t> shape_of_;
  // A component of each shape (the shape is its index), and the shapes by text_hash.
  std::vector<std::pair<const ir::Component*, const ir::Executor*>> shapes_;
  std::unordered_multimap<std::size_t, std::size_t> shapes_by_hash_;
  // Name stem (see `shape`) -> the first shapes of the components named with it.
  std::unordered_map<std::string_view, std::vector<std::size_t>> shapes_by_stem_;
  std::vector<std::vector<signed char>> shape_reads_metadata_;  // by shape; -1: unknown
  std::set<std::string> names_;
  std::map<std::string, std::string> dag_names_;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> fields_;
  std::set<std::string> in_loop_;  // DAG components run once per loop item (at any depth)
  // (DAG component, task, output) → key prefixes of a loop output collected as artifacts (one
  // per list it belongs to: an inner loop's list read in each outer iteration, and the outer
  // loop's flat list)
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> collected_;
  // (DAG component, loop task, output) → key prefix, for the consumers
  std::map<std::tuple<std::string, std::string, std::string>, std::string> collected_in_;
  // (DAG component, loop task, output): artifacts collected from a loop inside another loop
  std::set<std::tuple<std::string, std::string, std::string>> nested_collected_;
  // DAG components that start with the id step (`kfpp-iteration`), for the lists collected by
  // their inner loops and read in them
  std::set<std::string> iteration_owners_;
  // parameter `kfpp-iteration-<owner>` → the owner DAG component whose run id it carries
  std::map<std::string, std::string> iteration_owner_of_;
  // DAG component → the run-id parameters it takes (its inner loops' tasks store under them)
  std::map<std::string, std::set<std::string>> iteration_inputs_;
  // (DAG component, leaf task) → the run-id parameters its output keys read
  std::map<std::pair<std::string, std::string>, std::set<std::string>> leaf_iteration_;
  // Set when a task's arguments read the id step's output: the task then waits for the step.
  bool reads_iteration_ = false;
  std::set<std::pair<std::string, std::string>> metadata_in_;   // (component, input artifact)
  std::set<std::pair<std::string, std::string>> metadata_out_;  // (component, output artifact)
  // While a container template is written: input artifact → the Argo text of its metadata.
  std::map<std::string, std::string> input_metadata_;
  std::set<std::string> pull_secrets_;
  // List placeholders: accepted while a container's command and args are written; the inputs
  // they read.
  bool lists_allowed_ = false;
  // Tasks a DAG task needs beside itself (the key listing of a loop over artifacts), put before
  // it in its DAG.
  std::vector<DagTask> extra_tasks_;
  std::set<std::string> lists_read_;
};

}  // namespace kfpp::detail::argo
