// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

/// The local runner: executes KFP IR on this machine with the KFP backend's semantics.
namespace kfpp {

/// The state of a task, or of a whole run.
/// Example: `if (result.state == kfpp::TaskState::succeeded) deploy();`
enum class TaskState {
  pending,    ///< not started yet
  running,    ///< started, not finished
  succeeded,  ///< ran and succeeded
  failed,     ///< ran and failed (after its retries), or could not start
  skipped,    ///< not run: its condition was false, or a task it waits for failed
  cached,     ///< not run: its outputs came from an earlier run with the same fingerprint
  cancelled,  ///< stopped by cancellation (Ctrl-C) or never started because of it
};

/// The lower-case name of a state (`succeeded` …), as run.json and the CLI write it.
/// Example: `std::string s = kfpp::to_string(kfpp::TaskState::cached);  // "cached"`
[[nodiscard]] const char* to_string(TaskState s) noexcept;

/// Where container components run.
/// Example: `options.runner = kfpp::RunnerKind::podman;`
enum class RunnerKind {
  host,    ///< as processes of this machine (the image is not used)
  docker,  ///< in the component's image, with `docker run`
  podman,  ///< in the component's image, with `podman run`
};

/// An artifact a task produced or received.
/// Example: `for (const auto& a : task.artifacts.at("model")) std::cout << a.path;`
struct ArtifactResult {
  std::string name;                          ///< the artifact's name (the output it was written as)
  std::string schema_title;                  ///< its type, e.g. `system.Model`
  std::string uri;                           ///< `file://…` for a local file
  std::string path;                          ///< the local path of the file or folder
  ir::Value metadata = ir::Value::Object{};  ///< its metadata (an object)
};

/// What happened to one task (one execution: each loop iteration's tasks are tasks of their own).
/// Example: `const kfpp::TaskResult* t = result.find("square-root"); double x = t->parameters.at("Output").as_double();`
struct TaskResult {
  /// The task's path in the run: DAG tasks separated by `/`, a loop iteration's index in
  /// brackets, e.g. `for-loop-2[1]/print-op`.
  std::string path;
  std::string name;       ///< the task's name in its DAG
  std::string component;  ///< its component, `comp-…`
  bool is_dag = false;    ///< a DAG (a condition, loop, exit handler or sub-pipeline)
  TaskState state = TaskState::pending;  ///< what happened
  int attempts = 0;          ///< how many times its process was started (retries included)
  double start_seconds = 0;  ///< when it started, in seconds since the run started
  double end_seconds = 0;    ///< when it ended, in seconds since the run started
  std::map<std::string, ir::Value> parameters;                   ///< its output parameters, typed
  std::map<std::string, std::vector<ArtifactResult>> artifacts;  ///< its output artifacts
  std::string log_path;     ///< the file holding its standard output and error (leaf tasks)
  std::string error;        ///< why it failed or was skipped; empty otherwise
  std::string fingerprint;  ///< its cache key (leaf tasks with caching on)
  /// Settings of the task the runner could not honour here, each said once.
  std::vector<std::string> not_applied;
};

/// What a whole run did.
/// Example: `kfpp::RunResult r = kfpp::run_local(ir); return r.state == kfpp::TaskState::succeeded ? 0 : 1;`
struct RunResult {
  std::string run_id;                    ///< the run's name, also its folder under the work dir
  std::string pipeline;                  ///< the pipeline's name
  std::string run_dir;                   ///< the folder of the run: task logs, outputs, `run.json`
  TaskState state = TaskState::pending;  ///< succeeded, failed or cancelled
  std::string error;                     ///< why the run failed, when it did
  double seconds = 0;                    ///< how long it took
  std::vector<TaskResult> tasks;  ///< every task, in the order they started (then skipped ones)
  std::map<std::string, ir::Value> parameters;  ///< the pipeline's output parameters
  std::map<std::string, std::vector<ArtifactResult>> artifacts;  ///< its output artifacts

  /// The task at `path`, or null.
  /// Example: `if (const auto* t = r.find("train")) std::cout << kfpp::to_string(t->state);`
  [[nodiscard]] const TaskResult* find(const std::string& path) const;
  /// The number of tasks in state `s`.
  /// Example: `std::size_t hits = r.count(kfpp::TaskState::cached);`
  [[nodiscard]] std::size_t count(TaskState s) const;
};

/// Sees tasks start and end, from the runner's threads (one call at a time). The CLI's live
/// progress and tests' measurements use it.
/// Example: `struct Printer : kfpp::RunObserver { void task_finished(const kfpp::TaskResult& t) override { puts(t.path.c_str()); } };`
class RunObserver {
 public:
  /// Frees the observer.
  virtual ~RunObserver() = default;
  /// A task started (its state is `running`).
  /// Example: `void task_started(const kfpp::TaskResult& t) override { ++running; }`
  virtual void task_started(const TaskResult& task) { (void)task; }
  /// A task reached its final state.
  /// Example: `void task_finished(const kfpp::TaskResult& t) override { --running; }`
  virtual void task_finished(const TaskResult& task) { (void)task; }
};

/// How `run_local` runs a pipeline.
/// Example: `kfpp::RunOptions o; o.parameters["a"] = 3.0; o.jobs = 4; o.cache = false;`
struct RunOptions {
  /// The pipeline's input parameters; inputs not given take their defaults.
  std::map<std::string, ir::Value> parameters;
  /// How many task processes run at once; 0: the number of cores.
  int jobs = 0;
  /// The folder holding runs (each in `<work_dir>/<run_id>`) and the cache; empty: `.kfpp`.
  std::string work_dir;
  /// The run's name; empty: `<pipeline>-<UTC time>-<random>`.
  std::string run_id;
  /// Reuse the outputs of an earlier task with the same fingerprint (like KFP, on by default;
  /// a task with caching off in the IR always runs).
  bool cache = true;
  /// Where cached outputs are kept; empty: `<work_dir>/cache`.
  std::string cache_dir;
  /// Where container components run.
  RunnerKind runner = RunnerKind::host;
  /// A folder with one sub-folder per Secret, one file per key (`DIR/db-credentials/password`).
  std::string secrets_dir;
  /// The same for ConfigMaps.
  std::string config_maps_dir;
  /// The Python interpreter of Python components.
  std::string python = "python3";
  /// Sees tasks start and end; may be null.
  RunObserver* observer = nullptr;
  /// When it becomes true, running tasks are stopped and the run ends as cancelled; may be null.
  const std::atomic<bool>* cancel = nullptr;
};

/// The typed value of the text `text` for a parameter of type `type`, as `kfpp run -p` reads
/// it: numbers and booleans as written, lists and structs as JSON, strings as they are.
/// Throws `kfpp::Error` `kfpp.bad_parameter_value` naming `name` when the text is not one.
/// Example: `ir::Value v = kfpp::parameter_from_text("a", "3", kfpp::ir::ParameterType::number_double);`
[[nodiscard]] ir::Value parameter_from_text(const std::string& name, const std::string& text,
                                            ir::ParameterType type);

/// Runs `pipeline` (validated first) on this machine and returns what each task did; writes
/// `run.json` and each task's log and outputs under the run's folder. Throws `kfpp::Error` only
/// when the run cannot start (an invalid pipeline, an unknown or ill-typed parameter, a missing
/// required one, a runner that is not installed); a task's failure is in the result instead.
/// Example: `auto r = kfpp::run_local(kfpp::ir::read_pipeline_file("p.yaml"), {.parameters = {{"a", 3.0}}});`
[[nodiscard]] RunResult run_local(const ir::Pipeline& pipeline, const RunOptions& options = {});

/// `result` as the JSON of `run.json`.
/// Example: `std::string json = kfpp::run_record_json(result);`
[[nodiscard]] std::string run_record_json(const RunResult& result);

/// `result` as the final table the CLI prints: one line per task with its state, attempts,
/// duration and outputs, then the pipeline's outputs and anything not applied.
/// Example: `std::fputs(kfpp::run_summary_text(result).c_str(), stdout);`
[[nodiscard]] std::string run_summary_text(const RunResult& result);

}  // namespace kfpp
