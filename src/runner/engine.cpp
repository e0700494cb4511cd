// SPDX-License-Identifier: Apache-2.0
#include "runner/engine.hpp"

#include <condition_variable>
#include <exception>
#include <thread>
#include <unordered_map>

#include "ir/json_parse.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/cel.hpp"
#include "runner/placeholders.hpp"

namespace kfpp::detail {

namespace {

unsigned default_jobs(int jobs) {
  if (jobs > 0) return static_cast<unsigned>(jobs);
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

const char* final_state_text(TaskState s) {
  switch (s) {
    case TaskState::succeeded:
    case TaskState::cached:
      return "SUCCEEDED";
    case TaskState::cancelled:
      return "CANCELED";
    case TaskState::skipped:
      return "SKIPPED";
    default:
      return "FAILED";
  }
}

// A DAG run as its tasks see it: their siblings' outcomes by name.
struct Siblings {
  const std::vector<Outcome>& outcomes;
  const std::unordered_map<std::string, std::size_t>& index;

  const Outcome* find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &outcomes[it->second];
  }
};

}  // namespace

Engine::Engine(const ir::Pipeline& p, const RunOptions& o, RunResult& r)
    : pipeline_(p),
      options_(o),
      result_(r),
      jobs_(static_cast<std::ptrdiff_t>(default_jobs(o.jobs))),
      start_(std::chrono::steady_clock::now()) {}

double Engine::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Engine::pipeline_placeholders(const std::string& text,
                                          const std::string& task_name) const {
  if (text.find("{{$.pipeline_") == std::string::npos) return text;
  std::string s = text;
  replace_all(s, "{{$.pipeline_job_name}}", result_.run_id);
  replace_all(s, "{{$.pipeline_job_resource_name}}", result_.run_id);
  replace_all(s, "{{$.pipeline_job_uuid}}", run_uuid_);
  replace_all(s, "{{$.pipeline_task_name}}", task_name);
  replace_all(s, "{{$.pipeline_task_uuid}}", run_uuid_ + "-" + task_name);
  replace_all(s, "{{$.pipeline_root}}", result_.run_dir);
  replace_all(s, "{{$.pipeline_job_create_time_utc}}", created_at_);
  replace_all(s, "{{$.pipeline_job_schedule_time_utc}}", created_at_);
  return s;
}

void Engine::run(const Inputs& root_inputs) {
  Outcome o = run_dag(pipeline_.root, root_inputs, "");
  result_.state = o.state == TaskState::succeeded ? TaskState::succeeded
                  : cancelled()                   ? TaskState::cancelled
                                                  : TaskState::failed;
  result_.error = o.error;
  result_.parameters = std::move(o.outputs.parameters);
  result_.artifacts = std::move(o.outputs.artifacts);
  result_.seconds = now();
}

std::size_t Engine::add_result(const ir::Task& t, const ir::Component& comp,
                               const std::string& path, TaskState state, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  TaskResult r;
  r.path = path;
  r.name = t.name;
  r.component = comp.name;
  r.is_dag = comp.dag.has_value() || !t.iterator_item_input.empty();
  r.state = state;
  r.error = error;
  r.start_seconds = now();
  r.end_seconds = r.start_seconds;
  result_.tasks.push_back(std::move(r));
  return result_.tasks.size() - 1;
}

void Engine::notify_started(std::size_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (options_.observer) options_.observer->task_started(result_.tasks[index]);
}

void Engine::finish(std::size_t index, const Outcome& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  TaskResult& r = result_.tasks[index];
  r.state = out.state;
  r.error = out.error;
  r.parameters = out.outputs.parameters;
  r.artifacts = out.outputs.artifacts;
  r.end_seconds = now();
  if (options_.observer) options_.observer->task_finished(r);
}

Outcome Engine::run_dag(const ir::Component& comp, const Inputs& in, const std::string& path) {
  const auto& tasks = comp.dag->tasks;
  const std::size_t n = tasks.size();
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) index.emplace(tasks[i].name, i);
  std::vector<std::vector<std::size_t>> ups(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& u : tasks[i].upstream())
      if (auto it = index.find(u); it != index.end()) ups[i].push_back(it->second);

  std::vector<Outcome> outcomes(n);
  std::vector<int> status(n, 0);  // 0 waiting, 1 running, 2 done
  std::size_t done = 0;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::thread> threads;
  Siblings siblings{outcomes, index};
  {
    std::unique_lock<std::mutex> lock(m);
    while (done < n) {
      bool progressed = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (status[i] != 0) continue;
        bool ready = true;
        const Outcome* failed_up = nullptr;
        std::string failed_name;
        for (std::size_t u : ups[i]) {
          if (status[u] != 2) {
            ready = false;
            break;
          }
          if (outcomes[u].failed_like && !failed_up) {
            failed_up = &outcomes[u];
            failed_name = tasks[u].name;
          }
        }
        if (!ready) continue;
        const ir::Task& t = tasks[i];
        const std::string task_path = path.empty() ? t.name : path + "/" + t.name;
        const bool runs_anyway = t.trigger_strategy == "ALL_UPSTREAM_TASKS_COMPLETED";
        if ((failed_up && !runs_anyway) || cancelled()) {
          Outcome o;
          o.failed_like = true;
          if (cancelled()) {
            o.state = TaskState::cancelled;
            o.error = "the run was cancelled";
          } else {
            o.state = TaskState::skipped;
            o.error = "upstream task '" + failed_name + "' did not succeed";
          }
          const ir::Component* c = pipeline_.find_component(t.component_ref);
          ir::Component none;
          std::size_t r = add_result(t, c ? *c : none, task_path, o.state, o.error);
          finish(r, o);
          outcomes[i] = std::move(o);
          status[i] = 2;
          ++done;
          progressed = true;
          continue;
        }
        status[i] = 1;
        progressed = true;
        threads.emplace_back([&, i, task_path] {
          Outcome o;
          try {
            run_task(tasks[i], *comp.dag, in, outcomes, task_path, o);
          } catch (const std::exception& e) {
            o.state = TaskState::failed;
            o.failed_like = true;
            o.error = e.what();
          }
          std::lock_guard<std::mutex> guard(m);
          outcomes[i] = std::move(o);
          status[i] = 2;
          ++done;
          cv.notify_all();
        });
      }
      if (!progressed && done < n) cv.wait(lock);
    }
  }
  for (auto& th : threads) th.join();

  Outcome out;
  out.state = TaskState::succeeded;
  for (std::size_t i = 0; i < n; ++i) {
    const Outcome& o = outcomes[i];
    if (o.state == TaskState::failed || o.state == TaskState::cancelled) {
      if (out.state == TaskState::succeeded) {
        out.state = o.state;
        out.error = "task '" + tasks[i].name + "' " + to_string(o.state) +
                    (o.error.empty() ? "" : ": " + o.error);
      }
    }
  }
  if (out.state != TaskState::succeeded) out.failed_like = true;
  for (const auto& dout : comp.dag->outputs) {
    std::vector<ir::OutputSelector> candidates = dout.oneof;
    if (candidates.empty()) candidates.push_back({dout.producer_task, dout.output_key});
    for (const auto& c : candidates) {
      const Outcome* p = siblings.find(c.producer_task);
      if (!p) continue;
      if (dout.is_artifact) {
        auto it = p->outputs.artifacts.find(c.output_key);
        if (it == p->outputs.artifacts.end()) continue;
        out.outputs.artifacts[dout.name] = it->second;
      } else {
        auto it = p->outputs.parameters.find(c.output_key);
        if (it == p->outputs.parameters.end()) continue;
        out.outputs.parameters[dout.name] = it->second;
      }
      break;
    }
  }
  return out;
}

void Engine::run_task(const ir::Task& t, const ir::Dag& dag, const Inputs& scope,
                      const std::vector<Outcome>& outcomes, const std::string& path, Outcome& out) {
  (void)dag;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < dag.tasks.size(); ++i) index.emplace(dag.tasks[i].name, i);
  Siblings siblings{outcomes, index};
  const ir::Component* comp = pipeline_.find_component(t.component_ref);
  ir::Component none;
  std::size_t record = add_result(t, comp ? *comp : none, path, TaskState::running, "");
  auto fail = [&](std::string why) {
    out = Outcome{};
    out.state = TaskState::failed;
    out.failed_like = true;
    out.error = std::move(why);
    finish(record, out);
  };
  if (!comp) return fail("component '" + t.component_ref + "' is not defined");

  // The value a binding refers to; nullopt when it has none (an optional input left unset, or
  // the output of a task that did not succeed).
  std::string problem;
  auto resolve = [&](const ir::ParameterBinding& b) -> std::optional<ir::Value> {
    std::optional<ir::Value> v;
    switch (b.kind) {
      case ir::ParameterBinding::Kind::constant:
        v = b.constant.is_string()
                ? ir::Value(pipeline_placeholders(b.constant.as_string(), t.name))
                : b.constant;
        break;
      case ir::ParameterBinding::Kind::component_input: {
        auto it = scope.parameters.find(b.source);
        if (it != scope.parameters.end()) v = it->second;
        break;
      }
      case ir::ParameterBinding::Kind::task_output: {
        const Outcome* p = siblings.find(b.producer_task);
        if (!p) break;
        auto it = p->outputs.parameters.find(b.source);
        if (it != p->outputs.parameters.end())
          v = it->second;
        else if (!p->failed_like && p->state != TaskState::skipped && problem.empty())
          problem = "task '" + b.producer_task + "' has no output '" + b.source + "'";
        break;
      }
      case ir::ParameterBinding::Kind::task_final_status: {
        const Outcome* p = siblings.find(b.producer_task);
        if (!p) break;
        ir::Value::Object error;
        if (p->state != TaskState::succeeded && p->state != TaskState::cached) {
          error["code"] = ir::Value(p->state == TaskState::cancelled ? 1 : 2);
          error["message"] = ir::Value(p->error);
        }
        v = ir::Value(ir::Value::Object{
            {"state", ir::Value(final_state_text(p->state))},
            {"pipelineTaskName", ir::Value(b.producer_task)},
            {"pipelineJobResourceName", ir::Value(result_.run_id)},
            {"error", ir::Value(std::move(error))},
        });
        break;
      }
    }
    if (v && !b.expression_selector.empty())
      v = ir::cel_evaluate(b.expression_selector, {{"string_value", ir::Value(backend_text(*v))}},
                           path + "/inputs/" + b.name);
    return v;
  };

  Inputs in;
  try {
    for (const auto& b : t.parameters)
      if (auto v = resolve(b)) in.parameters[b.name] = std::move(*v);
  } catch (const Error& e) {
    return fail(e.what());
  }
  if (!problem.empty()) return fail(problem);
  // Text that reads other inputs of the task (the SDK's f-strings) is filled from them, as the
  // KFP launcher fills them in.
  for (const auto& b : t.parameters)
    if (b.kind == ir::ParameterBinding::Kind::constant && b.constant.is_string() &&
        b.constant.as_string().find("{{$.inputs.parameters[") != std::string::npos) {
      auto it = in.parameters.find(b.name);
      if (it != in.parameters.end() && it->second.is_string())
        it->second = ir::Value(fill_input_parameters(it->second.as_string(), in.parameters));
    }
  for (const auto& prm : comp->inputs.parameters)
    if (!in.parameters.count(prm.name) && prm.default_value)
      in.parameters[prm.name] = *prm.default_value;
  for (const auto& b : t.artifacts) {
    if (b.kind == ir::ArtifactBinding::Kind::component_input) {
      auto it = scope.artifacts.find(b.source);
      if (it != scope.artifacts.end()) in.artifacts[b.name] = it->second;
      continue;
    }
    const Outcome* p = siblings.find(b.producer_task);
    if (!p) continue;
    auto it = p->outputs.artifacts.find(b.source);
    if (it != p->outputs.artifacts.end())
      in.artifacts[b.name] = it->second;
    else if (!p->failed_like && p->state != TaskState::skipped)
      return fail("task '" + b.producer_task + "' has no output artifact '" + b.source + "'");
  }

  if (!t.trigger_condition.empty()) {
    try {
      ir::Value go =
          ir::cel_evaluate(t.trigger_condition, ir::cel_condition_variables(in.parameters),
                           path + "/triggerPolicy/condition");
      if (!go.is_bool())
        return fail("the condition `" + t.trigger_condition + "` gave a " +
                    (go.is_string() ? std::string("string") : std::string("non-boolean")) +
                    " value, not true or false");
      if (!go.as_bool()) {
        out.state = TaskState::skipped;
        out.error = "its condition is false";
        finish(record, out);
        return;
      }
    } catch (const Error& e) {
      return fail(e.what());
    }
  }

  notify_started(record);
  if (!t.iterator_item_input.empty()) {
    run_loop(t, *comp, in, path, out);
  } else if (comp->dag) {
    out = run_dag(*comp, in, path);
  } else {
    Resolver platform = [&](const ir::ParameterBinding& b) { return resolve(b); };
    try {
      run_leaf(t, *comp, in, record, platform, out);
    } catch (const std::exception& e) {
      out = Outcome{};
      out.state = TaskState::failed;
      out.error = e.what();
    }
  }
  if (out.state == TaskState::failed || out.state == TaskState::cancelled) out.failed_like = true;
  finish(record, out);
}

void Engine::run_loop(const ir::Task& t, const ir::Component& comp, const Inputs& in,
                      const std::string& path, Outcome& out) {
  std::vector<ir::Value> items;
  std::vector<ArtifactResult> artifact_items;
  std::size_t count = 0;
  if (t.iterator_over_artifacts) {
    auto it = in.artifacts.find(t.iterator_items_input);
    if (it != in.artifacts.end()) artifact_items = it->second;
    count = artifact_items.size();
  } else {
    ir::Value list;
    if (t.iterator_raw_items) {
      list = *t.iterator_raw_items;
    } else {
      auto it = in.parameters.find(t.iterator_items_input);
      if (it == in.parameters.end()) {
        out.state = TaskState::failed;
        out.error = "the loop's items '" + t.iterator_items_input + "' have no value";
        return;
      }
      list = it->second;
      if (list.is_string()) {
        std::string why;
        if (auto parsed = parse_json(list.as_string(), &why)) list = *parsed;
      }
    }
    if (!list.is_array()) {
      out.state = TaskState::failed;
      out.error = "the loop's items are not a list: " + backend_text(list);
      return;
    }
    items = list.as_array();
    count = items.size();
  }
  const std::size_t limit =
      t.parallelism_limit > 0 ? static_cast<std::size_t>(t.parallelism_limit) : count;
  std::vector<Outcome> iterations(count);
  std::vector<bool> started(count, false);
  std::mutex m;
  std::condition_variable cv;
  std::size_t running = 0;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < count; ++i) {
    {
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return running < limit; });
      if (cancelled()) break;
      ++running;
    }
    started[i] = true;
    Inputs one = in;
    if (t.iterator_over_artifacts)
      one.artifacts[t.iterator_item_input] = {artifact_items[i]};
    else
      one.parameters[t.iterator_item_input] = items[i];
    threads.emplace_back([&, i, one = std::move(one)] {
      Outcome o;
      try {
        o = run_dag(comp, one, path + "[" + std::to_string(i) + "]");
      } catch (const std::exception& e) {
        o.state = TaskState::failed;
        o.error = e.what();
      }
      std::lock_guard<std::mutex> lock(m);
      iterations[i] = std::move(o);
      --running;
      cv.notify_all();
    });
  }
  for (auto& th : threads) th.join();

  out.state = TaskState::succeeded;
  for (std::size_t i = 0; i < count; ++i) {
    const Outcome& o = iterations[i];
    TaskState s = started[i] ? o.state : TaskState::cancelled;
    if (s != TaskState::succeeded && out.state == TaskState::succeeded) {
      out.state = s == TaskState::cancelled ? TaskState::cancelled : TaskState::failed;
      out.error = "iteration " + std::to_string(i) + " " + to_string(s) +
                  (o.error.empty() ? "" : ": " + o.error);
    }
  }
  // Collected: each output as a list over the iterations, in their order.
  for (const auto& dout : comp.dag->outputs) {
    if (dout.is_artifact) {
      std::vector<ArtifactResult> all;
      for (const auto& o : iterations)
        if (auto it = o.outputs.artifacts.find(dout.name); it != o.outputs.artifacts.end())
          all.insert(all.end(), it->second.begin(), it->second.end());
      out.outputs.artifacts[dout.name] = std::move(all);
    } else {
      ir::Value::Array all;
      for (const auto& o : iterations)
        if (auto it = o.outputs.parameters.find(dout.name); it != o.outputs.parameters.end())
          all.push_back(it->second);
      out.outputs.parameters[dout.name] = ir::Value(std::move(all));
    }
  }
}

}  // namespace kfpp::detail
