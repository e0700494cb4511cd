// SPDX-License-Identifier: Apache-2.0
#include "cli/remote_output.hpp"

#include "kfpp/ir/value.hpp"

namespace kfpp::cli {

using nlohmann::json;

namespace {

json value_json(const ir::Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return v.as_int();
  if (v.is_double()) return v.as_double();
  if (v.is_string()) return v.as_string();
  if (v.is_array()) {
    json a = json::array();
    for (const auto& item : v.as_array()) a.push_back(value_json(item));
    return a;
  }
  if (v.is_object()) {
    json o = json::object();
    for (const auto& [k, item] : v.as_object()) o[k] = value_json(item);
    return o;
  }
  return nullptr;
}

json params_json(const ir::Value::Object& params) {
  json o = json::object();
  for (const auto& [k, v] : params) o[k] = value_json(v);
  return o;
}

// Fields with a value only, as the API writes them.
void put(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put(json& j, const char* key, const Timestamp& t) { put(j, key, t.rfc3339); }
void put(json& j, const char* key, const std::optional<ServerStatus>& s) {
  if (s) j[key] = {{"code", s->code}, {"message", s->message}};
}

const char* storage_name(StorageState s) {
  return s == StorageState::available  ? "AVAILABLE"
         : s == StorageState::archived ? "ARCHIVED"
                                       : "STORAGE_STATE_UNSPECIFIED";
}

std::string when(const Timestamp& t) { return t ? "  " + t.rfc3339 : ""; }

}  // namespace

json to_json(const Experiment& e) {
  json j = {{"experiment_id", e.id}, {"display_name", e.display_name}};
  put(j, "description", e.description);
  put(j, "namespace", e.namespace_);
  put(j, "created_at", e.created_at);
  put(j, "last_run_created_at", e.last_run_created_at);
  j["storage_state"] = storage_name(e.storage_state);
  return j;
}

json to_json(const PipelineInfo& p) {
  json j = {{"pipeline_id", p.id}, {"name", p.name}};
  put(j, "display_name", p.display_name);
  put(j, "description", p.description);
  put(j, "namespace", p.namespace_);
  put(j, "created_at", p.created_at);
  put(j, "error", p.error);
  return j;
}

json to_json(const PipelineVersion& v) {
  json j = {{"pipeline_version_id", v.id}, {"pipeline_id", v.pipeline_id}, {"name", v.name}};
  put(j, "display_name", v.display_name);
  put(j, "description", v.description);
  put(j, "created_at", v.created_at);
  put(j, "error", v.error);
  return j;
}

json to_json(const Run& r) {
  json j = {{"run_id", r.id}, {"display_name", r.display_name}, {"state", to_string(r.state)}};
  put(j, "experiment_id", r.experiment_id);
  put(j, "description", r.description);
  put(j, "pipeline_id", r.pipeline_id);
  put(j, "pipeline_version_id", r.pipeline_version_id);
  put(j, "service_account", r.service_account);
  put(j, "recurring_run_id", r.recurring_run_id);
  if (!r.parameters.empty()) j["parameters"] = params_json(r.parameters);
  put(j, "pipeline_root", r.pipeline_root);
  j["storage_state"] = storage_name(r.storage_state);
  put(j, "created_at", r.created_at);
  put(j, "scheduled_at", r.scheduled_at);
  put(j, "finished_at", r.finished_at);
  put(j, "error", r.error);
  if (!r.tasks.empty()) {
    json tasks = json::array();
    for (const auto& t : r.tasks)
      tasks.push_back(
          {{"task_id", t.id}, {"display_name", t.display_name}, {"state", to_string(t.state)}});
    j["tasks"] = tasks;
  }
  return j;
}

json to_json(const RecurringRun& r) {
  json j = {{"recurring_run_id", r.id}, {"display_name", r.display_name}};
  put(j, "description", r.description);
  put(j, "experiment_id", r.experiment_id);
  put(j, "namespace", r.namespace_);
  put(j, "pipeline_id", r.pipeline_id);
  put(j, "pipeline_version_id", r.pipeline_version_id);
  put(j, "service_account", r.service_account);
  if (!r.parameters.empty()) j["parameters"] = params_json(r.parameters);
  put(j, "pipeline_root", r.pipeline_root);
  put(j, "cron", r.cron);
  if (r.interval_seconds) j["interval_seconds"] = r.interval_seconds;
  put(j, "start_time", r.start_time);
  put(j, "end_time", r.end_time);
  j["max_concurrency"] = r.max_concurrency;
  j["no_catchup"] = r.no_catchup;
  j["status"] = r.status == RecurringRunStatus::enabled    ? "ENABLED"
                : r.status == RecurringRunStatus::disabled ? "DISABLED"
                                                           : "STATUS_UNSPECIFIED";
  put(j, "created_at", r.created_at);
  put(j, "updated_at", r.updated_at);
  put(j, "error", r.error);
  return j;
}

std::string line_of(const Experiment& e) {
  std::string s = e.id + "  " + e.display_name;
  if (e.storage_state == StorageState::archived) s += "  (archived)";
  return s + when(e.created_at);
}

std::string line_of(const PipelineInfo& p) { return p.id + "  " + p.name + when(p.created_at); }

std::string line_of(const PipelineVersion& v) { return v.id + "  " + v.name + when(v.created_at); }

std::string line_of(const Run& r) {
  return r.id + "  " + std::string(to_string(r.state)) + "  " + r.display_name + when(r.created_at);
}

std::string line_of(const RecurringRun& r) {
  std::string schedule =
      r.cron.empty() ? "every " + std::to_string(r.interval_seconds) + " s" : "cron " + r.cron;
  const char* status = r.status == RecurringRunStatus::enabled    ? "ENABLED"
                       : r.status == RecurringRunStatus::disabled ? "DISABLED"
                                                                  : "STATUS_UNSPECIFIED";
  return r.id + "  " + status + "  " + r.display_name + "  " + schedule;
}

std::string progress_of(const Run& r) {
  std::string s(to_string(r.state));
  if (r.tasks.empty()) return s;
  s += " (";
  for (std::size_t i = 0; i < r.tasks.size(); ++i)
    s += (i ? ", " : "") + r.tasks[i].display_name + " " + std::string(to_string(r.tasks[i].state));
  return s + ")";
}

}  // namespace kfpp::cli
