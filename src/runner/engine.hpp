// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/runner/run.hpp"

namespace kfpp::detail {

/// Artifacts by input or output name.
using ArtifactMap = std::map<std::string, std::vector<ArtifactResult>>;

/// What a task or a DAG hands on: its parameters and artifacts.
struct Outputs {
  std::map<std::string, ir::Value> parameters;  ///< by output name
  ArtifactMap artifacts;                        ///< by output name
};

/// The inputs of a component run: resolved parameter values and artifacts.
struct Inputs {
  ir::Value::Object parameters;  ///< by input name
  ArtifactMap artifacts;         ///< by input name
};

/// How one task of a DAG ended, as its siblings see it.
struct Outcome {
  TaskState state = TaskState::pending;  ///< its final state
  bool failed_like = false;              ///< failed, cancelled, or skipped because something failed
  std::string error;                     ///< why, when it did not succeed
  Outputs outputs;                       ///< what it produced
};

/// The value a run-time binding of a task refers to (a platform setting's name), or nullopt.
using Resolver = std::function<std::optional<ir::Value>(const ir::ParameterBinding&)>;

/// Runs one pipeline: schedules DAGs, loops and conditions, and runs leaf tasks' processes under
/// a limit of `jobs` at once. Leaf execution is in leaf.cpp.
class Engine {
 public:
  Engine(const ir::Pipeline& p, const RunOptions& o, RunResult& r);
  /// Runs the root DAG with the pipeline's inputs and fills the result.
  void run(const Inputs& root_inputs);

  // Used by leaf.cpp.
  const ir::Pipeline& pipeline_;
  const RunOptions& options_;
  RunResult& result_;
  std::string run_uuid_;
  std::string created_at_;  ///< the run's start, RFC 3339 UTC
  std::vector<std::string> base_env_;
  std::string cache_dir_;  ///< where cached outputs are kept

  /// Runs a leaf task (container, Python component, importer, volume stub): fills `out`.
  /// `resolve` gives the value of a platform setting's run-time binding, or nullopt.
  void run_leaf(const ir::Task& t, const ir::Component& comp, const Inputs& in,
                std::size_t result_index, const Resolver& resolve, Outcome& out);
  /// Whether cancellation was asked for.
  [[nodiscard]] bool cancelled() const { return options_.cancel && options_.cancel->load(); }
  /// Seconds since the run started.
  [[nodiscard]] double now() const;
  /// Changes the recorded result of task `index` under the lock.
  template <class F>
  void update(std::size_t index, F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    f(result_.tasks[index]);
  }
  /// Holds one of the `jobs` process slots while alive.
  class Slot {
   public:
    explicit Slot(Engine& e) : e_(e) { e_.jobs_.acquire(); }
    ~Slot() { e_.jobs_.release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    Engine& e_;
  };
  /// The pipeline-level placeholders (`{{$.pipeline_job_name}}` …) in `text` replaced.
  [[nodiscard]] std::string pipeline_placeholders(const std::string& text,
                                                  const std::string& task_name) const;

 private:
  std::mutex mutex_;
  std::counting_semaphore<1 << 20> jobs_;
  std::chrono::steady_clock::time_point start_;

  Outcome run_dag(const ir::Component& comp, const Inputs& in, const std::string& path);
  void run_task(const ir::Task& t, const ir::Dag& dag, const Inputs& scope,
                const std::vector<Outcome>& siblings, const std::string& path, Outcome& out);
  void run_loop(const ir::Task& t, const ir::Component& comp, const Inputs& in,
                const std::string& path, Outcome& out);
  std::size_t add_result(const ir::Task& t, const ir::Component& comp, const std::string& path,
                         TaskState state, const std::string& error);
  void finish(std::size_t index, const Outcome& out);
  void notify_started(std::size_t index);
};

}  // namespace kfpp::detail
