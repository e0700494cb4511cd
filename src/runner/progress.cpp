// SPDX-License-Identifier: Apache-2.0
#include "runner/progress.hpp"

#include <deque>
#include <fstream>

#include "kfpp/error.hpp"

namespace kfpp::detail {

namespace {

std::string value_text(const ir::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_double()) return ir::python_float_text(v.as_double());
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return ir::python_json_text(v);
}

}  // namespace

std::string log_tail(const std::string& path, std::size_t lines) {
  std::ifstream f(path);
  if (!f) return {};
  std::deque<std::string> last;
  std::string line;
  while (std::getline(f, line)) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += l + "\n";
  return out;
}

void ProgressPrinter::task_started(const TaskResult& task) {
  if (task.is_dag) return;
  running_.insert(task.path);
  std::fprintf(out_, "[%8.2fs] started    %s\n", task.start_seconds, task.path.c_str());
  std::fflush(out_);
}

void ProgressPrinter::task_finished(const TaskResult& task) {
  if (task.is_dag && task.state != TaskState::skipped && task.state != TaskState::failed) return;
  if (!task.is_dag) {
    running_.erase(task.path);
    ++done_;
  }
  std::string detail;
  if (task.state == TaskState::failed || task.state == TaskState::skipped ||
      task.state == TaskState::cancelled) {
    detail = task.error;
  } else {
    for (const auto& [k, v] : task.parameters) {
      std::string t = value_text(v);
      if (t.size() > 60) t = t.substr(0, 57) + "...";
      detail += (detail.empty() ? "" : " ") + k + "=" + t;
    }
  }
  if (task.state == TaskState::cached) detail = "(cache hit) " + detail;
  std::fprintf(out_, "[%8.2fs] %-10s %s%s%s   [%zu running, %zu done]\n", task.end_seconds,
               to_string(task.state), task.path.c_str(), detail.empty() ? "" : ": ", detail.c_str(),
               running_.size(), done_);
  if (task.state == TaskState::failed && !task.log_path.empty()) {
    std::string tail = log_tail(task.log_path, 15);
    if (!tail.empty()) {
      std::fprintf(out_, "    --- last lines of %s ---\n", task.log_path.c_str());
      std::size_t at = 0;
      while (at < tail.size()) {
        std::size_t end = tail.find('\n', at);
        std::fprintf(out_, "    %s\n", tail.substr(at, end - at).c_str());
        at = end + 1;
      }
    }
  }
  std::fflush(out_);
}

void add_parameter_texts(const ir::Pipeline& pipeline, const std::vector<std::string>& texts,
                         RunOptions& options) {
  for (const auto& text : texts) {
    std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error({"kfpp.bad_parameter_value", text, "a parameter must be given as NAME=VALUE",
                   "write -p name=value"});
    std::string name = text.substr(0, eq);
    const ir::ParameterSpec* spec = pipeline.root.inputs.find_parameter(name);
    options.parameters[name] = spec ? parameter_from_text(name, text.substr(eq + 1), spec->type)
                                    : ir::Value(text.substr(eq + 1));
  }
}

RunnerKind runner_kind(const std::string& text) {
  if (text == "host") return RunnerKind::host;
  if (text == "docker") return RunnerKind::docker;
  if (text == "podman") return RunnerKind::podman;
  throw Error({"kfpp.bad_usage", "--runner", "unknown runner '" + text + "'",
               "use host, docker or podman"});
}

}  // namespace kfpp::detail
