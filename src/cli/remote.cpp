// SPDX-License-Identifier: Apache-2.0
// `kfpp upload | run | experiment | recurring`: the KFP REST API from the command line. Exit
// codes: 0 success, 1 the API refused or failed, or the run did not succeed, 2 bad usage.
#include "cli/remote.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "cli/remote_output.hpp"
#include "cli/remote_state.hpp"
#include "kfpp/client/client.hpp"
#include "kfpp/ir/reader.hpp"

namespace kfpp::cli {

void add_connection(CLI::App* cmd, Connection& c, bool listing) {
  cmd->add_option("--host", c.host,
                  "the KFP API, e.g. http://127.0.0.1:8888 (default: KF_PIPELINES_ENDPOINT)")
      ->group("Connection");
  cmd->add_option("--token", c.token,
                  "a bearer token (prefer --token-file: a command line is visible)")
      ->group("Connection");
  cmd->add_option("--token-file", c.token_file,
                  "a file holding the token (default: KF_PIPELINES_SA_TOKEN_PATH or the projected "
                  "service-account token)")
      ->group("Connection");
  cmd->add_option("--cookies", c.cookies, "cookies to send, 'name=value; …' (Dex, oauth2-proxy)")
      ->group("Connection");
  cmd->add_option("-n,--namespace", c.namespace_, "the user namespace of a multi-user cluster")
      ->group("Connection");
  cmd->add_option("--ca-bundle", c.ca_bundle, "a PEM file of the CAs of the server's certificate")
      ->check(CLI::ExistingFile)
      ->group("Connection");
  cmd->add_flag("--insecure", c.insecure, "do not check the server's TLS certificate")
      ->group("Connection");
  cmd->add_option("--proxy", c.proxy, "an HTTP(S) proxy, e.g. http://proxy:3128")
      ->group("Connection");
  cmd->add_option("--request-timeout", c.timeout, "seconds for one request (default 60)")
      ->check(CLI::PositiveNumber)
      ->group("Connection");
  cmd->add_flag("-v,--verbose", c.verbose, "log each request and answer (secrets left out)")
      ->group("Connection");
  if (listing)
    cmd->add_option("-o,--output", c.output, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
}

ClientOptions options_of(const Connection& c) {
  ClientOptions o = ClientOptions::from_environment();
  if (!c.host.empty()) o.host = c.host;
  if (!c.token.empty()) o.token = c.token;
  if (!c.token_file.empty()) o.token_file = c.token_file;
  o.cookies = c.cookies;
  o.namespace_ = c.namespace_;
  o.ca_bundle = c.ca_bundle;
  o.verify_tls = !c.insecure;
  o.proxy = c.proxy;
  o.request_timeout = std::chrono::milliseconds(static_cast<long long>(c.timeout * 1000));
  if (c.verbose)
    o.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  return o;
}

void print(const std::string& s) { std::printf("%s\n", s.c_str()); }
void print_json(const nlohmann::json& j) { print(j.dump(2)); }

ListOptions list_options(const Listing& l) {
  return {.page_token = l.page_token,
          .page_size = l.page_size,
          .sort_by = l.sort_by,
          .filter = l.filter,
          .namespace_ = {},
          .experiment_id = l.experiment_id};
}

void add_listing(CLI::App* cmd, Listing& l, bool by_experiment) {
  cmd->add_option("--page-size", l.page_size, "objects per page")->check(CLI::PositiveNumber);
  cmd->add_option("--page-token", l.page_token, "the page after the one that gave this token");
  cmd->add_option("--sort-by", l.sort_by, "a field, optionally followed by ' desc'");
  cmd->add_option("--filter", l.filter, "a filter as the API takes it (JSON)");
  if (by_experiment)
    cmd->add_option("--experiment-id", l.experiment_id, "only those of this experiment");
}

namespace {
std::string utc_now_text() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H-%M-%S", &tm);
  return text;
}
}  // namespace

// The pipeline of a run or recurring run, its parameters and settings, from the flags.
RunRequest request_of(Client& client, const Job& job) {
  RunRequest r;
  ir::Interface inputs;
  bool typed = false;
  std::string pipeline_name;
  if (!job.file.empty()) {
    r.pipeline.yaml = ir::read_text_file(job.file);
    ir::ReadOptions lenient;
    lenient.strict = false;
    ir::Pipeline ir = ir::read_pipeline(r.pipeline.yaml, job.file, lenient);
    inputs = ir.root.inputs;
    typed = true;
    pipeline_name = ir.name;
  } else {
    r.pipeline.pipeline_id = job.pipeline_id;
    r.pipeline.pipeline_version_id = job.version_id;
    pipeline_name = job.pipeline_id;
  }
  r.parameters = parse_parameters(job.params, typed ? &inputs : nullptr);
  r.display_name = job.name.empty() ? pipeline_name + " " + utc_now_text() : job.name;
  r.description = job.description;
  r.pipeline_root = job.pipeline_root;
  r.service_account = job.service_account;
  if (job.caching == "on") r.enable_caching = true;
  if (job.caching == "off") r.enable_caching = false;
  if (!job.experiment_id.empty()) {
    r.experiment_id = job.experiment_id;
  } else {
    // As kfp.Client: the named experiment, created when missing; else the default one.
    std::string name = job.experiment;
    if (const char* env = std::getenv("KF_PIPELINES_DEFAULT_EXPERIMENT_NAME"); name.empty() && env)
      name = env;
    if (name.empty()) name = "Default";
    r.experiment_id = client.ensure_experiment(name).id;
  }
  return r;
}

void add_job(CLI::App* cmd, Job& job) {
  cmd->add_option("--pipeline-id", job.pipeline_id, "an uploaded pipeline instead of a FILE");
  cmd->add_option("--version-id", job.version_id, "a version of it (default: the latest)");
  cmd->add_option("-p,--param", job.params, "a parameter, name=value (repeatable)");
  cmd->add_option("--experiment", job.experiment,
                  "the experiment's name, created when missing (default: Default)");
  cmd->add_option("--experiment-id", job.experiment_id, "the experiment's id");
  cmd->add_option("--name", job.name, "the run's name (default: pipeline name and time)");
  cmd->add_option("--description", job.description, "a description");
  cmd->add_option("--pipeline-root", job.pipeline_root, "where the artifacts go");
  cmd->add_option("--caching", job.caching, "on or off for every task (default: as compiled)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--service-account", job.service_account, "the pods' service account");
}

namespace {
int wait_and_report(Client& client, const Connection& c, const std::string& id, double timeout,
                    double poll) {
  WaitOptions w;
  if (timeout > 0) w.timeout = std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
  w.poll_interval = std::chrono::milliseconds(static_cast<long long>(poll * 1000));
  w.on_progress = [&](const Run& r) {
    std::fprintf(stderr, "run %s: %s\n", r.id.c_str(), progress_of(r).c_str());
  };
  Run done = client.wait_for_run(id, w);
  if (c.output == "json") {
    print_json(to_json(done));
  } else {
    print("run " + done.id + ": " + std::string(to_string(done.state)));
    if (done.error) print("  error: " + done.error->message);
  }
  return done.state == RunState::succeeded || done.state == RunState::skipped ? kOk : kFailed;
}
}  // namespace

std::optional<std::chrono::sys_seconds> time_of(const std::string& flag, const std::string& text) {
  if (text.empty()) return std::nullopt;
  Timestamp t = Timestamp::parse(text);
  if (!t.time)
    throw ApiError({"kfpp.client_usage", flag, "'" + text + "' is not an RFC 3339 time",
                    "write e.g. 2026-01-05T03:00:00Z"},
                   0);
  return t.time;
}

RemoteCommands::RemoteCommands(CLI::App& app, LocalRun local)
    : state_(std::make_unique<RemoteState>()) {
  RemoteState& s = *state_;
  s.local = std::move(local);
  Connection& c = s.conn;
  auto on = [&s](CLI::App* cmd, std::function<int()> body) { s.commands.emplace_back(cmd, body); };
  auto client = [&s] { return Client(options_of(s.conn)); };

  // upload
  auto* upload =
      app.add_subcommand("upload", "Upload KFP IR to a KFP backend as a pipeline (or a version)");
  upload->add_option("FILE", s.job.file, "the KFP IR file")->required()->check(CLI::ExistingFile);
  upload->add_option("--name", s.job.name,
                     "the pipeline's name (default: the IR's pipelineInfo.name)");
  upload->add_option("--description", s.description, "a description");
  upload->add_option(
      "--version", s.version_name,
      "upload as a new version of this name (of --pipeline-id, or of the pipeline --name)");
  upload->add_option("--pipeline-id", s.job.pipeline_id, "the pipeline of the new version");
  add_connection(upload, c, true);
  on(upload, [&s, client] {
    Client k = client();
    if (s.version_name.empty()) {
      PipelineInfo p = k.upload_pipeline_file(s.job.file, {.name = s.job.name,
                                                           .display_name = {},
                                                           .description = s.description,
                                                           .namespace_ = s.conn.namespace_});
      if (s.conn.output == "json") return show(s.conn, p);
      print("pipeline " + p.id + "  " + p.name);
      print("  " + k.pipeline_url(p.id));
      return kOk;
    }
    std::string pid = s.job.pipeline_id;
    if (pid.empty() && !s.job.name.empty()) pid = k.get_pipeline_id(s.job.name).value_or("");
    if (pid.empty())
      throw ApiError({"kfpp.client_usage", "upload --version", "no pipeline for the version",
                      "give --pipeline-id, or --name of an uploaded pipeline"},
                     0);
    PipelineVersion v = k.upload_pipeline_version(
        ir::read_text_file(s.job.file), pid,
        {.name = s.version_name, .display_name = {}, .description = s.description});
    if (s.conn.output == "json") return show(s.conn, v);
    print("pipeline version " + v.id + "  " + v.name + " of " + pid);
    return kOk;
  });

  // run
  auto* run = app.add_subcommand(
      "run",
      "Run a pipeline on this machine (FILE), or on a KFP backend (FILE or --pipeline-id with "
      "--host URL or --remote), or look at a backend's runs: run "
      "get|list|wait|terminate|retry|archive|unarchive|delete");
  s.run = run;
  run->add_option("FILE", s.job.file, "the KFP IR file to run")->check(CLI::ExistingFile);
  add_job(run, s.job);
  run->add_flag("--remote", c.remote, "run on the KFP backend of KF_PIPELINES_ENDPOINT");
  run->add_flag("--wait", s.wait, "wait until the run is done, showing its progress");
  run->add_option("--timeout", s.wait_timeout, "with --wait: give up after this many seconds")
      ->check(CLI::PositiveNumber);
  run->add_option("--poll", s.poll, "with --wait: seconds between two reads (default 5)")
      ->check(CLI::PositiveNumber);
  add_connection(run, c, true);
  run->require_subcommand(0, 1);
  on(run, [&s, client]() -> int {
    const Job& j = s.job;
    bool implied = !j.pipeline_id.empty() || !j.version_id.empty() || !j.experiment.empty() ||
                   !j.experiment_id.empty();
    if (j.file.empty() && j.pipeline_id.empty()) {
      std::fprintf(stderr,
                   "kfpp run: give a FILE or --pipeline-id (or a command: get, list, wait, …)\n");
      return kUsage;
    }
    if (s.conn.host.empty() && !s.conn.remote && !implied && s.local) {
      // On this machine: a flag that only a backend reads would be dropped, so it is refused.
      const Connection& cn = s.conn;
      const char* remote_only = !j.name.empty()              ? "--name"
                                : !j.description.empty()     ? "--description"
                                : !j.pipeline_root.empty()   ? "--pipeline-root"
                                : !j.caching.empty()         ? "--caching"
                                : !j.service_account.empty() ? "--service-account"
                                : s.wait                     ? "--wait"
                                : !cn.token.empty()          ? "--token"
                                : !cn.token_file.empty()     ? "--token-file"
                                : !cn.cookies.empty()        ? "--cookies"
                                : !cn.namespace_.empty()     ? "--namespace"
                                : !cn.ca_bundle.empty()      ? "--ca-bundle"
                                : cn.insecure                ? "--insecure"
                                : !cn.proxy.empty()          ? "--proxy"
                                                             : nullptr;
      if (remote_only) {
        std::fprintf(stderr,
                     "kfpp run: %s goes with a run on a KFP backend: add --host URL (or --remote), "
                     "or leave it out to run on this machine\n",
                     remote_only);
        return kUsage;
      }
      return s.local(j.file, j.params, s.conn.output == "json");
    }
    if (s.conn.host.empty() && !s.conn.remote && !implied) {
      std::fprintf(
          stderr,
          "kfpp run: a KFP backend is needed to run %s: give --host URL, or --remote to use "
          "KF_PIPELINES_ENDPOINT\n",
          j.file.c_str());
      return kUsage;
    }
    Client k = client();
    Run r = k.create_run(request_of(k, j));
    if (!s.wait && s.conn.output == "json") return show(s.conn, r);
    std::FILE* out = s.wait ? stderr : stdout;
    std::fprintf(out, "run %s  %s  %s\n  %s\n", r.id.c_str(),
                 std::string(to_string(r.state)).c_str(), r.display_name.c_str(),
                 k.run_url(r.id).c_str());
    if (!s.wait) return kOk;
    return wait_and_report(k, s.conn, r.id, s.wait_timeout, s.poll);
  });
  auto run_cmd = [&](const char* name, const char* help, std::function<int(Client&)> body) {
    auto* sub = run->add_subcommand(name, help);
    sub->add_option("RUN_ID", s.id, "the run's id")->required();
    add_connection(sub, c, true);
    on(sub, [client, body] {
      Client k = client();
      return body(k);
    });
    return sub;
  };
  run_cmd("get", "Show a run", [&s](Client& k) { return show(s.conn, k.get_run(s.id)); });
  auto* wait = run_cmd("wait", "Wait until a run is done, showing its progress", [&s](Client& k) {
    return wait_and_report(k, s.conn, s.id, s.wait_timeout, s.poll);
  });
  wait->add_option("--timeout", s.wait_timeout, "give up after this many seconds")
      ->check(CLI::PositiveNumber);
  wait->add_option("--poll", s.poll, "seconds between two reads (default 5)")
      ->check(CLI::PositiveNumber);
  auto action = [&](const char* name, const char* help, void (Client::*call)(const std::string&),
                    const char* done) {
    run_cmd(name, help, [&s, call, done](Client& k) {
      (k.*call)(s.id);
      print("run " + s.id + ": " + done);
      return kOk;
    });
  };
  action("terminate", "Stop a run", &Client::terminate_run, "terminating");
  action("retry", "Run the failed tasks of a failed run again", &Client::retry_run, "retried");
  action("archive", "Archive a run", &Client::archive_run, "archived");
  action("unarchive", "Restore an archived run", &Client::unarchive_run, "restored");
  action("delete", "Delete a run", &Client::delete_run, "deleted");
  auto* run_list = run->add_subcommand("list", "List runs");
  add_listing(run_list, s.list, true);
  add_connection(run_list, c, true);
  on(run_list, [&s, client] {
    Client k = client();
    return show_page(s.conn, k.list_runs(list_options(s.list)), "runs");
  });

  add_experiment_commands(app, s);
  add_recurring_commands(app, s);
}

RemoteCommands::~RemoteCommands() = default;

CLI::App* RemoteCommands::run_command() const { return state_->run; }

std::optional<int> RemoteCommands::run() {
  // The deepest parsed command is the one given (`run get` rather than `run`).
  const std::function<int()>* chosen = nullptr;
  for (const auto& [cmd, body] : state_->commands)
    if (cmd->parsed()) chosen = &body;
  if (!chosen) return std::nullopt;
  try {
    return (*chosen)();
  } catch (const ApiError& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return e.code() == "kfpp.client_usage" || e.code() == "kfpp.bad_parameter" ? kUsage : kFailed;
  } catch (const ParseError& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return e.code() == "kfpp.io" ? kUsage : kFailed;
  } catch (const Error& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return kFailed;
  }
}

}  // namespace kfpp::cli
