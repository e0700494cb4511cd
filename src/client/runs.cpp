// SPDX-License-Identifier: Apache-2.0
// kfpp::Client: runs (create, read, wait, terminate, retry, archive, delete) and recurring runs.
#include <chrono>
#include <string>
#include <thread>

#include "client/impl.hpp"

namespace kfpp {

namespace {

// The pipeline and settings shared by runs and recurring runs, as kfp.Client builds them.
void add_job(Json& body, const RunRequest& r, const char* what) {
  const PipelineSource& p = r.pipeline;
  bool from_yaml = !p.yaml.empty();
  bool from_id = !p.pipeline_id.empty() || !p.pipeline_version_id.empty();
  if (from_yaml == from_id)
    usage_error(what,
                from_yaml ? "both a pipeline and a pipeline id are given" : "no pipeline is given",
                "give the pipeline's IR or the id of an uploaded pipeline, not both");
  if (!p.pipeline_version_id.empty() && p.pipeline_id.empty())
    usage_error(what, "a pipeline version is given without its pipeline",
                "give the pipeline id too");
  if (r.display_name.empty()) usage_error(what, "the run has no name", "give a name");
  body["display_name"] = r.display_name;
  if (!r.description.empty()) body["description"] = r.description;
  if (!r.experiment_id.empty()) body["experiment_id"] = r.experiment_id;
  if (from_yaml) {
    body["pipeline_spec"] = pipeline_spec_json(p.yaml, r.enable_caching);
  } else {
    if (r.enable_caching)
      usage_error(what, "caching can only be overridden for a pipeline given as IR",
                  "set caching when compiling, or give the pipeline's IR");
    Json ref = {{"pipeline_id", p.pipeline_id}};
    if (!p.pipeline_version_id.empty()) ref["pipeline_version_id"] = p.pipeline_version_id;
    body["pipeline_version_reference"] = ref;
  }
  Json config = Json::object();
  if (!r.parameters.empty()) {
    Json params = Json::object();
    for (const auto& [key, value] : r.parameters) params[key] = json_from_value(value);
    config["parameters"] = params;
  }
  if (!r.pipeline_root.empty()) config["pipeline_root"] = r.pipeline_root;
  body["runtime_config"] = config;
  if (!r.service_account.empty()) body["service_account"] = r.service_account;
}

std::string run_path(const std::string& id) { return "/runs/" + url_escape(id); }
std::string recurring_path(const std::string& id) { return "/recurringruns/" + url_escape(id); }

bool changed(const Run& before, const Run& now) {
  if (before.state != now.state || before.tasks.size() != now.tasks.size()) return true;
  for (std::size_t i = 0; i < now.tasks.size(); ++i)
    if (before.tasks[i].state != now.tasks[i].state ||
        before.tasks[i].display_name != now.tasks[i].display_name)
      return true;
  return false;
}

}  // namespace

Run Client::create_run(const RunRequest& request) {
  Json body = Json::object();
  add_job(body, request, "run");
  Query q{{"experiment_id", request.experiment_id}};
  return run_from(impl_->call("POST", "/runs", q, &body, Idempotent::no));
}

Run Client::get_run(const std::string& id) { return run_from(impl_->call("GET", run_path(id))); }

Page<Run> Client::list_runs(const ListOptions& options) {
  Query q = list_query(options);
  // As kfp.Client: an experiment selects the runs, else the namespace does.
  if (!options.experiment_id.empty())
    q.emplace_back("experiment_id", options.experiment_id);
  else
    q.emplace_back("namespace", impl_->ns(options.namespace_));
  return page_from(impl_->call("GET", "/runs", q), "runs", &run_from);
}

Run Client::wait_for_run(const std::string& id, const WaitOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + options.timeout;
  std::optional<Run> last;
  for (;;) {
    Run run = get_run(id);
    if (options.on_progress && (!last || changed(*last, run))) options.on_progress(run);
    if (is_final(run.state)) return run;
    last = std::move(run);
    auto now = clock::now();
    if (now >= deadline)
      throw ApiError(
          {"kfpp.run_timeout", "run " + id,
           "still " + std::string(to_string(last->state)) + " when the wait of " +
               std::to_string(
                   std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) +
               " s ran out",
           "wait longer (--timeout), or look at the run in the KFP UI"},
          0);
    auto pause = std::min<clock::duration>(options.poll_interval, deadline - now);
    std::this_thread::sleep_for(pause);
  }
}

void Client::terminate_run(const std::string& id) {
  impl_->call("POST", run_path(id) + ":terminate");
}
void Client::retry_run(const std::string& id) {
  impl_->call("POST", run_path(id) + ":retry", {}, nullptr, Idempotent::no);
}
void Client::archive_run(const std::string& id) { impl_->call("POST", run_path(id) + ":archive"); }
void Client::unarchive_run(const std::string& id) {
  impl_->call("POST", run_path(id) + ":unarchive");
}
void Client::delete_run(const std::string& id) { impl_->call("DELETE", run_path(id)); }

RecurringRun Client::create_recurring_run(const RecurringRunRequest& request) {
  if (request.cron.empty() == (request.interval_seconds <= 0))
    usage_error("recurring run", "give exactly one of a cron expression and an interval",
                request.cron.empty() ? "give --cron or --interval" : "remove one of them");
  if (request.max_concurrency < 1 || request.max_concurrency > 10)
    usage_error("recurring run", "max concurrency must be between 1 and 10",
                "give a value from 1 to 10");
  if (request.start_time && request.end_time && *request.end_time <= *request.start_time)
    usage_error("recurring run", "the end time is not after the start time",
                "give an end after the start");
  Json body = Json::object();
  add_job(body, request.run, "recurring run");
  Json schedule = Json::object();
  if (request.start_time) schedule["start_time"] = Timestamp::at(*request.start_time).rfc3339;
  if (request.end_time) schedule["end_time"] = Timestamp::at(*request.end_time).rfc3339;
  if (!request.cron.empty()) {
    schedule["cron"] = request.cron;
    body["trigger"] = {{"cron_schedule", schedule}};
  } else {
    // int64 fields are strings in the API's JSON.
    schedule["interval_second"] = std::to_string(request.interval_seconds);
    body["trigger"] = {{"periodic_schedule", schedule}};
  }
  body["max_concurrency"] = std::to_string(request.max_concurrency);
  body["mode"] = request.enabled ? "ENABLE" : "DISABLE";
  if (request.no_catchup) body["no_catchup"] = true;
  return recurring_run_from(impl_->call("POST", "/recurringruns", {}, &body, Idempotent::no));
}

RecurringRun Client::get_recurring_run(const std::string& id) {
  return recurring_run_from(impl_->call("GET", recurring_path(id)));
}

Page<RecurringRun> Client::list_recurring_runs(const ListOptions& options) {
  Query q = list_query(options);
  if (!options.experiment_id.empty())
    q.emplace_back("experiment_id", options.experiment_id);
  else
    q.emplace_back("namespace", impl_->ns(options.namespace_));
  // The API names this list in camel case (the proto field is `recurringRuns`).
  return page_from(impl_->call("GET", "/recurringruns", q), "recurringRuns", &recurring_run_from);
}

void Client::enable_recurring_run(const std::string& id) {
  impl_->call("POST", recurring_path(id) + ":enable");
}
void Client::disable_recurring_run(const std::string& id) {
  impl_->call("POST", recurring_path(id) + ":disable");
}
void Client::delete_recurring_run(const std::string& id) {
  impl_->call("DELETE", recurring_path(id));
}

}  // namespace kfpp
