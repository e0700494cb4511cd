// SPDX-License-Identifier: Apache-2.0
// The API's JSON objects as the client's typed results. The server writes proto field names and
// leaves out every field holding its default value, so a missing field is the default here;
// int64 fields come as strings.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "client/impl.hpp"

namespace kfpp {

namespace {

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool boolean(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// An int64 field: a string in the API's JSON, though a number is accepted too.
std::int64_t int64(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

const Json& object(const Json& j, const char* key) {
  static const Json empty = Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : empty;
}

Timestamp time(const Json& j, const char* key) { return Timestamp::parse(str(j, key)); }

std::optional<ServerStatus> status(const Json& j) {
  auto it = j.find("error");
  if (it == j.end() || !it->is_object() || it->empty()) return std::nullopt;
  ServerStatus s;
  if (auto c = it->find("code"); c != it->end() && c->is_number_integer()) s.code = c->get<int>();
  s.message = str(*it, "message");
  return s;
}

StorageState storage(const Json& j) {
  std::string s = str(j, "storage_state");
  if (s == "AVAILABLE") return StorageState::available;
  if (s == "ARCHIVED") return StorageState::archived;
  return StorageState::unspecified;
}

void runtime_config(const Json& j, ir::Value::Object& parameters, std::string& root) {
  const Json& config = object(j, "runtime_config");
  for (const auto& [key, value] : object(config, "parameters").items())
    parameters[key] = value_from_json(value);
  root = str(config, "pipeline_root");
}

void version_reference(const Json& j, std::string& pipeline_id, std::string& version_id) {
  const Json& ref = object(j, "pipeline_version_reference");
  pipeline_id = str(ref, "pipeline_id");
  version_id = str(ref, "pipeline_version_id");
  if (version_id.empty()) version_id = str(j, "pipeline_version_id");
}

}  // namespace

ir::Value value_from_json(const Json& j) {
  switch (j.type()) {
    case Json::value_t::boolean:
      return ir::Value(j.get<bool>());
    case Json::value_t::number_integer:
      return ir::Value(j.get<long long>());
    case Json::value_t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<long long>::max()))
        return ir::Value(static_cast<long long>(u));
      return ir::Value(static_cast<double>(u));
    }
    case Json::value_t::number_float:
      return ir::Value(j.get<double>());
    case Json::value_t::string:
      return ir::Value(j.get<std::string>());
    case Json::value_t::array: {
      ir::Value::Array items;
      for (const auto& item : j) items.push_back(value_from_json(item));
      return ir::Value(std::move(items));
    }
    case Json::value_t::object: {
      ir::Value::Object fields;
      for (const auto& [key, item] : j.items()) fields[key] = value_from_json(item);
      return ir::Value(std::move(fields));
    }
    default:
      return ir::Value();
  }
}

Json json_from_value(const ir::Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return v.as_int();
  if (v.is_double()) {
    double d = v.as_double();
    // JSON has no NaN or infinity; such a parameter cannot be sent.
    if (!std::isfinite(d))
      usage_error("parameters", "a number is not finite", "give a finite number");
    return d;
  }
  if (v.is_string()) return v.as_string();
  if (v.is_array()) {
    Json a = Json::array();
    for (const auto& item : v.as_array()) a.push_back(json_from_value(item));
    return a;
  }
  if (v.is_object()) {
    Json o = Json::object();
    for (const auto& [key, item] : v.as_object()) o[key] = json_from_value(item);
    return o;
  }
  return nullptr;
}

Experiment experiment_from(const Json& j) {
  Experiment e;
  e.id = str(j, "experiment_id");
  e.display_name = str(j, "display_name");
  e.description = str(j, "description");
  e.namespace_ = str(j, "namespace");
  e.created_at = time(j, "created_at");
  e.last_run_created_at = time(j, "last_run_created_at");
  e.storage_state = storage(j);
  return e;
}

PipelineInfo pipeline_from(const Json& j) {
  PipelineInfo p;
  p.id = str(j, "pipeline_id");
  p.name = str(j, "name");
  p.display_name = str(j, "display_name");
  p.description = str(j, "description");
  p.namespace_ = str(j, "namespace");
  p.created_at = time(j, "created_at");
  p.error = status(j);
  return p;
}

PipelineVersion pipeline_version_from(const Json& j) {
  PipelineVersion v;
  v.id = str(j, "pipeline_version_id");
  v.pipeline_id = str(j, "pipeline_id");
  v.name = str(j, "name");
  v.display_name = str(j, "display_name");
  v.description = str(j, "description");
  v.code_source_url = str(j, "code_source_url");
  v.package_url = str(object(j, "package_url"), "pipeline_url");
  v.created_at = time(j, "created_at");
  v.error = status(j);
  return v;
}

Run run_from(const Json& j) {
  Run r;
  r.id = str(j, "run_id");
  r.experiment_id = str(j, "experiment_id");
  r.display_name = str(j, "display_name");
  r.description = str(j, "description");
  version_reference(j, r.pipeline_id, r.pipeline_version_id);
  r.service_account = str(j, "service_account");
  r.recurring_run_id = str(j, "recurring_run_id");
  runtime_config(j, r.parameters, r.pipeline_root);
  r.state = run_state_from(str(j, "state"));
  r.storage_state = storage(j);
  r.created_at = time(j, "created_at");
  r.scheduled_at = time(j, "scheduled_at");
  r.finished_at = time(j, "finished_at");
  r.error = status(j);
  if (auto it = object(j, "run_details").find("task_details");
      it != object(j, "run_details").end() && it->is_array()) {
    for (const auto& t : *it) {
      if (!t.is_object()) continue;
      r.tasks.push_back(
          {str(t, "task_id"), str(t, "display_name"), run_state_from(str(t, "state"))});
    }
  }
  return r;
}

RecurringRun recurring_run_from(const Json& j) {
  RecurringRun r;
  r.id = str(j, "recurring_run_id");
  r.display_name = str(j, "display_name");
  r.description = str(j, "description");
  r.experiment_id = str(j, "experiment_id");
  r.namespace_ = str(j, "namespace");
  version_reference(j, r.pipeline_id, r.pipeline_version_id);
  r.service_account = str(j, "service_account");
  runtime_config(j, r.parameters, r.pipeline_root);
  const Json& trigger = object(j, "trigger");
  const Json& cron = object(trigger, "cron_schedule");
  const Json& periodic = object(trigger, "periodic_schedule");
  r.cron = str(cron, "cron");
  r.interval_seconds = int64(periodic, "interval_second");
  const Json& schedule = cron.empty() ? periodic : cron;
  r.start_time = time(schedule, "start_time");
  r.end_time = time(schedule, "end_time");
  r.max_concurrency = int64(j, "max_concurrency");
  r.no_catchup = boolean(j, "no_catchup");
  std::string s = str(j, "status");
  r.status = s == "ENABLED"    ? RecurringRunStatus::enabled
             : s == "DISABLED" ? RecurringRunStatus::disabled
                               : RecurringRunStatus::unspecified;
  r.created_at = time(j, "created_at");
  r.updated_at = time(j, "updated_at");
  r.error = status(j);
  return r;
}

Health health_from(const Json& j) { return {boolean(j, "multi_user"), str(j, "pipeline_store")}; }

Query list_query(const ListOptions& options) {
  Query q;
  if (!options.page_token.empty()) q.emplace_back("page_token", options.page_token);
  if (options.page_size > 0) q.emplace_back("page_size", std::to_string(options.page_size));
  if (!options.sort_by.empty()) q.emplace_back("sort_by", options.sort_by);
  if (!options.filter.empty()) q.emplace_back("filter", options.filter);
  return q;
}

}  // namespace kfpp
