// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "kfpp/runner/run.hpp"

namespace kfpp::detail {

/// The live progress of `kfpp run` and `run_main --run`: a line when a task starts and when it
/// ends (with its outputs, or the tail of its log when it failed), with the elapsed time and the
/// counts of tasks running and done.
class ProgressPrinter : public RunObserver {
 public:
  /// Prints to `out` (standard error, usually).
  explicit ProgressPrinter(std::FILE* out) : out_(out) {}
  void task_started(const TaskResult& task) override;
  void task_finished(const TaskResult& task) override;

 private:
  std::FILE* out_;
  std::set<std::string> running_;
  std::size_t done_ = 0;
};

/// The last `lines` lines of the file at `path` (empty when it cannot be read).
[[nodiscard]] std::string log_tail(const std::string& path, std::size_t lines);

/// Adds `-p NAME=VALUE` texts to `options.parameters`, typed by the pipeline's inputs. Throws
/// `kfpp::Error` (`kfpp.bad_parameter_value`, `kfpp.unknown_parameter`) for a bad one.
void add_parameter_texts(const ir::Pipeline& pipeline, const std::vector<std::string>& texts,
                         RunOptions& options);

/// `--runner` text as a runner kind; throws `kfpp::Error` `kfpp.bad_usage` for another word.
[[nodiscard]] RunnerKind runner_kind(const std::string& text);

}  // namespace kfpp::detail
