// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <map>
#include <set>

#include "ir/json_text.hpp"
#include "kfpp/runner/run.hpp"

namespace kfpp {

namespace {

// JSON with two-space indentation; doubles keep a decimal point (`5.0`) so that a reader sees
// the parameter's type.
void write_json(std::string& out, const ir::Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (v.is_null()) {
    out += "null";
  } else if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else if (v.is_int()) {
    out += std::to_string(v.as_int());
  } else if (v.is_double()) {
    std::string t = ir::python_float_text(v.as_double());
    out += (t == "nan" || t == "inf" || t == "-inf") ? "null" : t;
  } else if (v.is_string()) {
    detail::append_json_string(out, v.as_string());
  } else if (v.is_array()) {
    if (v.as_array().empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += inner;
      write_json(out, item, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    if (v.as_object().empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += inner;
      detail::append_json_string(out, key);
      out += ": ";
      write_json(out, item, indent + 1);
    }
    out += "\n" + pad + "}";
  }
}

ir::Value artifacts_value(const std::map<std::string, std::vector<ArtifactResult>>& all) {
  ir::Value::Object o;
  for (const auto& [name, list] : all) {
    ir::Value::Array items;
    for (const auto& a : list)
      items.push_back(ir::Value(ir::Value::Object{{"name", ir::Value(a.name)},
                                                  {"type", ir::Value(a.schema_title)},
                                                  {"uri", ir::Value(a.uri)},
                                                  {"path", ir::Value(a.path)},
                                                  {"metadata", a.metadata}}));
    o[name] = ir::Value(std::move(items));
  }
  return ir::Value(std::move(o));
}

ir::Value seconds(double s) {
  return ir::Value(static_cast<double>(static_cast<long long>(s * 1000)) / 1000);
}

std::string display(const ir::Value& v) {
  if (v.is_string()) return v.as_string();
  std::string out;
  if (v.is_double()) return ir::python_float_text(v.as_double());
  write_json(out, v, 0);
  std::string flat;
  for (char c : out)
    if (c != '\n') flat += c;
  return flat;
}

std::string clip(std::string s, std::size_t n) {
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s.size() > n ? s.substr(0, n - 3) + "..." : s;
}

}  // namespace

std::string run_record_json(const RunResult& r) {
  ir::Value::Array tasks;
  for (const auto& t : r.tasks) {
    ir::Value::Object params;
    for (const auto& [k, v] : t.parameters) params[k] = v;
    ir::Value::Array notes;
    for (const auto& n : t.not_applied) notes.push_back(ir::Value(n));
    ir::Value::Object o{
        {"path", ir::Value(t.path)},
        {"name", ir::Value(t.name)},
        {"component", ir::Value(t.component)},
        {"kind", ir::Value(t.is_dag ? "dag" : "container")},
        {"state", ir::Value(to_string(t.state))},
        {"attempts", ir::Value(t.attempts)},
        {"startSeconds", seconds(t.start_seconds)},
        {"endSeconds", seconds(t.end_seconds)},
        {"durationSeconds", seconds(t.end_seconds - t.start_seconds)},
        {"parameters", ir::Value(std::move(params))},
        {"artifacts", artifacts_value(t.artifacts)},
        {"notApplied", ir::Value(std::move(notes))},
    };
    if (!t.log_path.empty()) o["log"] = ir::Value(t.log_path);
    if (!t.error.empty()) o["error"] = ir::Value(t.error);
    if (!t.fingerprint.empty()) o["fingerprint"] = ir::Value(t.fingerprint);
    tasks.push_back(ir::Value(std::move(o)));
  }
  ir::Value::Object params;
  for (const auto& [k, v] : r.parameters) params[k] = v;
  ir::Value::Object doc{
      {"runId", ir::Value(r.run_id)},
      {"pipeline", ir::Value(r.pipeline)},
      {"state", ir::Value(to_string(r.state))},
      {"durationSeconds", seconds(r.seconds)},
      {"runDir", ir::Value(r.run_dir)},
      {"outputs", ir::Value(ir::Value::Object{{"parameters", ir::Value(std::move(params))},
                                              {"artifacts", artifacts_value(r.artifacts)}})},
      {"tasks", ir::Value(std::move(tasks))},
  };
  if (!r.error.empty()) doc["error"] = ir::Value(r.error);
  std::string out;
  write_json(out, ir::Value(std::move(doc)), 0);
  return out + "\n";
}

std::string run_summary_text(const RunResult& r) {
  std::size_t width = 4;
  for (const auto& t : r.tasks) width = std::max(width, t.path.size());
  width = std::min<std::size_t>(width, 48);
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %-9s  %5s  %8s  %s\n", static_cast<int>(width), "TASK",
                "STATE", "TRIES", "TIME", "OUTPUTS");
  out += line;
  for (const auto& t : r.tasks) {
    std::string outputs;
    for (const auto& [k, v] : t.parameters)
      outputs += (outputs.empty() ? "" : " ") + k + "=" + display(v);
    for (const auto& [k, list] : t.artifacts)
      if (!t.is_dag)
        for (const auto& a : list) outputs += (outputs.empty() ? "" : " ") + k + "=" + a.path;
    if (t.state == TaskState::failed || t.state == TaskState::skipped) outputs = t.error;
    std::string tries = t.is_dag || t.attempts == 0 ? "-" : std::to_string(t.attempts);
    char time[32];
    std::snprintf(time, sizeof time, "%.2fs", t.end_seconds - t.start_seconds);
    std::snprintf(line, sizeof line, "%-*s  %-9s  %5s  %8s  %s\n", static_cast<int>(width),
                  clip(t.path, width).c_str(), to_string(t.state), tries.c_str(), time,
                  clip(outputs, 100).c_str());
    out += line;
  }
  std::size_t leaves = 0;
  std::map<TaskState, std::size_t> by_state;
  for (const auto& t : r.tasks)
    if (!t.is_dag) {
      ++leaves;
      ++by_state[t.state];
    }
  std::snprintf(
      line, sizeof line,
      "\nrun %s %s in %.2fs: %zu tasks, %zu succeeded, %zu cached, %zu failed, %zu skipped",
      r.run_id.c_str(), to_string(r.state), r.seconds, leaves, by_state[TaskState::succeeded],
      by_state[TaskState::cached], by_state[TaskState::failed], by_state[TaskState::skipped]);
  out += line;
  if (by_state[TaskState::cancelled] > 0)
    out += ", " + std::to_string(by_state[TaskState::cancelled]) + " cancelled";
  out += "\n";
  for (const auto& [k, v] : r.parameters) out += "output " + k + " = " + display(v) + "\n";
  for (const auto& [k, list] : r.artifacts)
    for (const auto& a : list) out += "output " + k + " = " + a.uri + "\n";
  bool header = false;
  for (const auto& t : r.tasks) {
    std::set<std::string> seen;
    for (const auto& n : t.not_applied) {
      if (!seen.insert(n).second) continue;
      if (!header) out += "not applied on this machine:\n";
      header = true;
      out += "  " + t.path + ": " + n + "\n";
    }
  }
  if (!r.error.empty()) out += "error: " + r.error + "\n";
  out += "record: " + r.run_dir + "/run.json\n";
  return out;
}

}  // namespace kfpp
