// SPDX-License-Identifier: Apache-2.0
// `kfpp experiment …` and `kfpp recurring …`.
#include <cstdio>
#include <string>

#include "cli/remote_state.hpp"

namespace kfpp::cli {

namespace {

using Body = std::function<int(Client&)>;

// A command taking one id, e.g. `experiment delete ID`.
CLI::App* with_id(CLI::App* parent, RemoteState& s, const char* name, const char* help,
                  const char* what, Body body) {
  auto* sub = parent->add_subcommand(name, help);
  sub->add_option(what, s.id, "the id")->required();
  add_connection(sub, s.conn, true);
  s.commands.emplace_back(sub, [&s, body] {
    Client k(options_of(s.conn));
    return body(k);
  });
  return sub;
}

CLI::App* plain(CLI::App* parent, RemoteState& s, const char* name, const char* help, Body body) {
  auto* sub = parent->add_subcommand(name, help);
  add_connection(sub, s.conn, true);
  s.commands.emplace_back(sub, [&s, body] {
    Client k(options_of(s.conn));
    return body(k);
  });
  return sub;
}

}  // namespace

void add_experiment_commands(CLI::App& app, RemoteState& s) {
  auto* exp = app.add_subcommand("experiment",
                                 "Experiments on a KFP backend: create, list, get, "
                                 "archive, unarchive, delete");
  exp->require_subcommand(1);
  auto* create = plain(exp, s, "create", "Create an experiment", [&s](Client& k) {
    Experiment e = k.create_experiment(s.job.name, s.description);
    if (s.conn.output == "json") return show(s.conn, e);
    print("experiment " + e.id + "  " + e.display_name);
    print("  " + k.experiment_url(e.id));
    return kOk;
  });
  create->add_option("NAME", s.job.name, "its name")->required();
  create->add_option("--description", s.description, "what it is for");
  auto* list = plain(exp, s, "list", "List experiments", [&s](Client& k) {
    return show_page(s.conn, k.list_experiments(list_options(s.list)), "experiments");
  });
  add_listing(list, s.list, false);
  auto* get = plain(exp, s, "get", "Show an experiment, by id or --name", [&s](Client& k) {
    if (s.id.empty() == s.job.name.empty())
      throw ApiError({"kfpp.client_usage", "experiment get", "give an id or --name, not both",
                      "e.g. kfpp experiment get --name nightly"},
                     0);
    return show(s.conn,
                s.id.empty() ? k.get_experiment_by_name(s.job.name) : k.get_experiment(s.id));
  });
  get->add_option("EXPERIMENT_ID", s.id, "the id");
  get->add_option("--name", s.job.name, "its name instead of the id");
  auto done = [](const std::string& id, const char* what) {
    print("experiment " + id + ": " + what);
    return kOk;
  };
  with_id(exp, s, "archive", "Archive an experiment", "EXPERIMENT_ID", [&s, done](Client& k) {
    k.archive_experiment(s.id);
    return done(s.id, "archived");
  });
  with_id(exp, s, "unarchive", "Restore an archived experiment", "EXPERIMENT_ID",
          [&s, done](Client& k) {
            k.unarchive_experiment(s.id);
            return done(s.id, "restored");
          });
  with_id(exp, s, "delete", "Delete an experiment (not its runs)", "EXPERIMENT_ID",
          [&s, done](Client& k) {
            k.delete_experiment(s.id);
            return done(s.id, "deleted");
          });
}

void add_recurring_commands(CLI::App& app, RemoteState& s) {
  auto* rec = app.add_subcommand("recurring",
                                 "Recurring runs on a KFP backend: create, list, get, "
                                 "enable, disable, delete");
  rec->require_subcommand(1);
  auto* create =
      plain(rec, s, "create", "Create a recurring run of FILE or --pipeline-id", [&s](Client& k) {
        RecurringRunRequest r;
        r.run = request_of(k, s.job);
        r.cron = s.cron;
        r.interval_seconds = s.interval;
        r.start_time = time_of("--start", s.start);
        r.end_time = time_of("--end", s.end);
        r.max_concurrency = s.max_concurrency;
        r.no_catchup = s.no_catchup;
        r.enabled = !s.disabled;
        RecurringRun made = k.create_recurring_run(r);
        return show(s.conn, made);
      });
  create->add_option("FILE", s.job.file, "the KFP IR file")->check(CLI::ExistingFile);
  add_job(create, s.job);
  create->add_option("--cron", s.cron,
                     "a cron expression, 6 fields with seconds first ('0 0 3 * * *')");
  create->add_option("--interval", s.interval, "or: seconds between two runs")
      ->check(CLI::PositiveNumber);
  create->add_option("--start", s.start, "no run before this time (RFC 3339)");
  create->add_option("--end", s.end, "no run after this time (RFC 3339)");
  create->add_option("--max-concurrency", s.max_concurrency, "runs at once, 1 to 10 (default 1)")
      ->check(CLI::Range(1, 10));
  create->add_flag("--no-catchup", s.no_catchup, "skip missed runs instead of backfilling them");
  create->add_flag("--disabled", s.disabled, "create it disabled");
  auto* list = plain(rec, s, "list", "List recurring runs", [&s](Client& k) {
    return show_page(s.conn, k.list_recurring_runs(list_options(s.list)), "recurring_runs");
  });
  add_listing(list, s.list, true);
  with_id(rec, s, "get", "Show a recurring run", "RECURRING_RUN_ID",
          [&s](Client& k) { return show(s.conn, k.get_recurring_run(s.id)); });
  auto done = [](const std::string& id, const char* what) {
    print("recurring run " + id + ": " + what);
    return kOk;
  };
  with_id(rec, s, "enable", "Let a recurring run schedule runs", "RECURRING_RUN_ID",
          [&s, done](Client& k) {
            k.enable_recurring_run(s.id);
            return done(s.id, "enabled");
          });
  with_id(rec, s, "disable", "Stop a recurring run from scheduling runs", "RECURRING_RUN_ID",
          [&s, done](Client& k) {
            k.disable_recurring_run(s.id);
            return done(s.id, "disabled");
          });
  with_id(rec, s, "delete", "Delete a recurring run", "RECURRING_RUN_ID", [&s, done](Client& k) {
    k.delete_recurring_run(s.id);
    return done(s.id, "deleted");
  });
}

}  // namespace kfpp::cli
