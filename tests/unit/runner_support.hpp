// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <kfpp/ir/pipeline.hpp>
#include <kfpp/runner/run.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace kfpp::test {

/// A fresh folder for a test's runs, removed with `rm -rf` by the next test run.
inline std::string fresh_work_dir(const std::string& name) {
  std::string dir = std::filesystem::absolute("runner-work/" + name).string();
  std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("cannot create " + dir);
  return dir;
}

inline std::string file_text(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

/// Builds small pipelines of shell components: `$0` is the component's name, then each input
/// parameter and each output file in order.
struct PipelineBuilder {
  ir::Pipeline p;
  explicit PipelineBuilder(std::string name) {
    p.name = std::move(name);
    p.root.dag.emplace();
  }
  ir::Component& shell(const std::string& name, const std::string& script,
                       std::vector<ir::ParameterSpec> ins, std::vector<ir::ParameterSpec> outs) {
    ir::Executor e;
    e.label = "exec-" + name;
    e.container.emplace();
    e.container->image = "alpine:3.19";
    e.container->command = {ir::Arg::of("sh"), ir::Arg::of("-c"), ir::Arg::of(script),
                            ir::Arg::of(name)};
    for (const auto& i : ins)
      e.container->args.push_back(ir::Arg::of("{{$.inputs.parameters['" + i.name + "']}}"));
    for (const auto& o : outs)
      e.container->args.push_back(
          ir::Arg::of("{{$.outputs.parameters['" + o.name + "'].output_file}}"));
    p.executors.push_back(std::move(e));
    ir::Component c;
    c.name = "comp-" + name;
    c.executor_label = "exec-" + name;
    c.inputs.parameters = std::move(ins);
    c.outputs.parameters = std::move(outs);
    p.components.push_back(std::move(c));
    return p.components.back();
  }
  ir::Executor& executor(const std::string& name) {
    for (auto& e : p.executors)
      if (e.label == "exec-" + name) return e;
    throw std::runtime_error("no executor " + name);
  }
  static ir::Task task(const std::string& name, const std::string& comp) {
    ir::Task t;
    t.name = name;
    t.component_ref = "comp-" + comp;
    return t;
  }
};

inline ir::ParameterSpec param(const std::string& name, ir::ParameterType t) {
  return {name, t, std::nullopt, false, {}};
}

inline ir::ParameterBinding constant(const std::string& port, ir::Value v) {
  return {port, ir::ParameterBinding::Kind::constant, std::move(v), {}, {}};
}

inline ir::ParameterBinding from_task(const std::string& port, const std::string& producer,
                                      const std::string& key) {
  return {port, ir::ParameterBinding::Kind::task_output, {}, key, producer};
}

/// Records how many leaf tasks run at once, from the observer's calls.
struct ConcurrencyProbe : RunObserver {
  std::mutex m;
  int running = 0;
  int most = 0;
  std::vector<std::string> started;
  void task_started(const TaskResult& t) override {
    if (t.is_dag) return;
    std::lock_guard<std::mutex> lock(m);
    started.push_back(t.path);
    most = std::max(most, ++running);
  }
  void task_finished(const TaskResult& t) override {
    if (t.is_dag) return;
    std::lock_guard<std::mutex> lock(m);
    if (std::find(started.begin(), started.end(), t.path) != started.end()) --running;
  }
};

/// The most leaf tasks whose [start, end] intervals overlap at one time, among those whose path
/// starts with `prefix`.
inline int most_overlapping(const RunResult& r, const std::string& prefix) {
  std::vector<std::pair<double, int>> events;
  for (const auto& t : r.tasks)
    if (!t.is_dag && t.path.rfind(prefix, 0) == 0) {
      events.push_back({t.start_seconds, 1});
      events.push_back({t.end_seconds, -1});
    }
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.first < b.first || (a.first == b.first && a.second < b.second);
  });
  int now = 0, most = 0;
  for (const auto& e : events) most = std::max(most, now += e.second);
  return most;
}

}  // namespace kfpp::test
