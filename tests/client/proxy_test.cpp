// SPDX-License-Identifier: Apache-2.0
// The client against kfp_backend.py behind Prism's validating proxy: requests and answers are both
// checked against the official documents (run by run_prism.py with the tag [.proxy]).
#include <catch2/catch.hpp>

#include <algorithm>

#include "support.hpp"

using kfpp::RunState;
using kfpp::test::RecordingTransport;
using namespace std::chrono;

namespace {

struct Backend {
  std::shared_ptr<RecordingTransport> recorder = std::make_shared<RecordingTransport>();
  kfpp::Client client{kfpp::test::options_for_test(recorder)};
  void no_violation() const {
    INFO(kfpp::test::all_violations(recorder->exchanges));
    CHECK(kfpp::test::all_violations(recorder->exchanges).empty());
  }
};

const kfpp::WaitOptions fast{.timeout = seconds(30), .poll_interval = milliseconds(20)};

std::string unique(const std::string& stem) {
  static int n = 0;
  return stem + "-" + std::to_string(++n) + "-" +
         std::to_string(system_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("Proxy: upload, run with parameters, and wait with progress until it succeeds",
          "[.proxy]") {
  Backend b;
  CHECK(b.client.health().pipeline_store == "database");
  kfpp::Experiment e = b.client.ensure_experiment(unique("seed"), "the seed's flow");
  CHECK(b.client.ensure_experiment(e.display_name).id == e.id);
  CHECK(e.storage_state == kfpp::StorageState::available);

  const std::string name = unique("client-demo");
  kfpp::PipelineInfo p =
      kfpp::upload_pipeline(b.client, kfpp::test::demo_pipeline(), {.name = name});
  CHECK(p.name == name);
  CHECK(b.client.get_pipeline_id(name) == p.id);
  CHECK_FALSE(b.client.get_pipeline_id(unique("absent")));
  auto v2 =
      kfpp::upload_pipeline_version(b.client, kfpp::test::demo_pipeline(), p.id, {.name = "v2"});
  auto versions = b.client.list_pipeline_versions(p.id);
  CHECK(versions.items.size() == 2);
  CHECK(versions.total_size == 2);
  CHECK(b.client.get_pipeline_version(p.id, v2.id).name == "v2");

  kfpp::Run run = kfpp::create_run(b.client, kfpp::test::demo_pipeline(),
                                   {.display_name = "seed run",
                                    .experiment_id = e.id,
                                    .parameters = {{"epochs", 7}, {"fail", false}}});
  CHECK(run.state == RunState::pending);
  CHECK(run.parameters.at("epochs") == kfpp::ir::Value(7));
  CHECK(b.client.run_url(run.id).ends_with("/#/runs/details/" + run.id));
  std::vector<RunState> seen;
  kfpp::WaitOptions wait = fast;
  wait.on_progress = [&](const kfpp::Run& r) { seen.push_back(r.state); };
  kfpp::Run done = b.client.wait_for_run(run.id, wait);
  CHECK(done.state == RunState::succeeded);
  CHECK(seen == std::vector<RunState>{RunState::pending, RunState::running, RunState::succeeded});
  REQUIRE(done.tasks.size() == 2);
  CHECK(done.tasks[0].state == RunState::succeeded);
  CHECK(done.finished_at.time);
  CHECK_FALSE(done.error);

  // A run of the uploaded pipeline's latest version.
  kfpp::Run again = b.client.create_run(
      {.display_name = "again", .experiment_id = e.id, .pipeline = {.pipeline_id = p.id}});
  CHECK(again.pipeline_version_id == v2.id);
  CHECK(b.client.wait_for_run(again.id, fast).state == RunState::succeeded);
  CHECK(b.client.list_runs({.experiment_id = e.id}).items.size() == 2);

  b.client.archive_run(run.id);
  CHECK(b.client.get_run(run.id).storage_state == kfpp::StorageState::archived);
  b.client.unarchive_run(run.id);
  b.client.delete_run(run.id);
  CHECK_THROWS_AS(b.client.get_run(run.id), kfpp::ApiError);
  CHECK_THROWS_WITH(b.client.delete_pipeline(p.id), Catch::Contains("HTTP 400"));
  b.client.delete_pipeline_version(p.id, v2.id);
  b.client.delete_pipeline(p.id, true);
  b.client.archive_experiment(e.id);
  CHECK(b.client.get_experiment(e.id).storage_state == kfpp::StorageState::archived);
  b.client.unarchive_experiment(e.id);
  b.no_violation();
}

TEST_CASE("Proxy: a failing run ends FAILED with the server's error, and a retry succeeds",
          "[.proxy]") {
  Backend b;
  std::string yaml = kfpp::compile(kfpp::test::demo_pipeline());
  kfpp::Run run = b.client.create_run(
      {.display_name = "fails", .pipeline = {.yaml = yaml}, .parameters = {{"fail", true}}});
  kfpp::Run done = b.client.wait_for_run(run.id, fast);
  CHECK(done.state == RunState::failed);
  REQUIRE(done.error);
  CHECK(done.error->message.find("failed") != std::string::npos);
  CHECK(std::any_of(done.tasks.begin(), done.tasks.end(),
                    [](const kfpp::RunTask& t) { return t.state == RunState::failed; }));
  b.client.retry_run(run.id);
  CHECK(b.client.wait_for_run(run.id, fast).state == RunState::succeeded);
  try {
    b.client.retry_run(run.id);
    FAIL("a succeeded run was retried");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.status() == 400);
    CHECK(e.rpc_code() == 9);
    CHECK(e.server_message().find("only a failed run") != std::string::npos);
  }
  b.no_violation();
}

TEST_CASE("Proxy: a terminated run is canceled", "[.proxy]") {
  Backend b;
  kfpp::Run run = kfpp::create_run(b.client, kfpp::test::demo_pipeline(), {.display_name = "stop"});
  b.client.terminate_run(run.id);
  CHECK(b.client.wait_for_run(run.id, fast).state == RunState::canceled);
  b.no_violation();
}

TEST_CASE("Proxy: recurring runs on a cron schedule or an interval, enabled and disabled",
          "[.proxy]") {
  Backend b;
  kfpp::Experiment e = b.client.create_experiment(unique("recurring"));
  std::string yaml = kfpp::compile(kfpp::test::demo_pipeline());
  kfpp::RecurringRun cron =
      b.client.create_recurring_run({.run = {.display_name = "nightly",
                                             .experiment_id = e.id,
                                             .pipeline = {.yaml = yaml},
                                             .parameters = {{"epochs", 2}}},
                                     .cron = "0 0 3 * * *",
                                     .start_time = sys_seconds{seconds{1767607200}},
                                     .max_concurrency = 2,
                                     .no_catchup = true});
  CHECK(cron.cron == "0 0 3 * * *");
  CHECK(cron.max_concurrency == 2);
  CHECK(cron.no_catchup);
  CHECK(cron.start_time.rfc3339 == "2026-01-05T10:00:00Z");
  CHECK(cron.status == kfpp::RecurringRunStatus::enabled);
  CHECK(cron.parameters.at("epochs") == kfpp::ir::Value(2));
  kfpp::RecurringRun every = b.client.create_recurring_run(
      {.run = {.display_name = "hourly", .experiment_id = e.id, .pipeline = {.yaml = yaml}},
       .interval_seconds = 3600,
       .enabled = false});
  CHECK(every.interval_seconds == 3600);
  CHECK(every.status == kfpp::RecurringRunStatus::disabled);
  auto page = b.client.list_recurring_runs({.experiment_id = e.id});
  CHECK(page.items.size() == 2);
  b.client.enable_recurring_run(every.id);
  CHECK(b.client.get_recurring_run(every.id).status == kfpp::RecurringRunStatus::enabled);
  b.client.disable_recurring_run(cron.id);
  CHECK(b.client.get_recurring_run(cron.id).status == kfpp::RecurringRunStatus::disabled);
  b.client.delete_recurring_run(cron.id);
  b.client.delete_recurring_run(every.id);
  CHECK(b.client.list_recurring_runs({.experiment_id = e.id}).items.empty());
  b.no_violation();
}

TEST_CASE("Proxy: lists page with next_page_token, and an empty list is an empty page",
          "[.proxy]") {
  Backend b;
  const std::string stem = unique("paged");
  std::vector<std::string> made;
  for (int i = 0; i < 5; ++i)
    made.push_back(b.client.create_experiment(stem + "-" + std::to_string(i)).id);
  std::vector<std::string> listed;
  kfpp::ListOptions options{.page_size = 2};
  int pages = 0;
  for (;;) {
    auto page = b.client.list_experiments(options);
    ++pages;
    CHECK(page.items.size() <= 2);
    for (const auto& e : page.items)
      if (e.display_name.rfind(stem, 0) == 0) listed.push_back(e.id);
    if (page.next_page_token.empty()) break;
    options.page_token = page.next_page_token;
    REQUIRE(pages < 50);
  }
  CHECK(listed == made);
  CHECK(pages >= 3);
  // The server sends `{}` for an empty list: no items, no total_size.
  kfpp::Experiment empty = b.client.create_experiment(unique("empty"));
  auto none = b.client.list_runs({.experiment_id = empty.id});
  CHECK(none.items.empty());
  CHECK(none.total_size == 0);
  CHECK(none.next_page_token.empty());
  b.client.delete_experiment(empty.id);
  CHECK_THROWS_AS(b.client.get_experiment(empty.id), kfpp::ApiError);
  b.no_violation();
}

TEST_CASE("Proxy: 401, 404 and 500 answers are errors with the status and the server's body",
          "[.proxy]") {
  Backend b;
  try {
    (void)b.client.get_run("no-such-run");
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.api_not_found");
    CHECK(e.status() == 404);
    CHECK(e.rpc_code() == 5);
    CHECK(e.server_message() == "run no-such-run not found");
    CHECK(std::string(e.what()).find("GET /apis/v2beta1/runs/no-such-run") != std::string::npos);
  }
  std::size_t before = b.recorder->exchanges.size();
  try {
    (void)b.client.get_run("broken-1");
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.api_server");
    CHECK(e.status() == 500);
    CHECK(e.body().find("database is unreachable") != std::string::npos);
  }
  CHECK(b.recorder->exchanges.size() - before == 3);  // the policy's three attempts

  auto recorder = std::make_shared<RecordingTransport>();
  auto options = kfpp::test::options_for_test(recorder);
  const std::string good = options.token;
  options.token = "wrong-" + good;
  std::string log;
  options.log = [&](const std::string& line) { log += line; };
  kfpp::Client wrong(options);
  try {
    (void)wrong.list_experiments();
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.api_unauthenticated");
    CHECK(e.rpc_code() == 16);
    // The server echoed the token; the error keeps the body with the token cut out.
    CHECK(e.body().find("***") != std::string::npos);
    CHECK(e.body().find(options.token) == std::string::npos);
    CHECK(std::string(e.what()).find(options.token) == std::string::npos);
  }
  CHECK(log.find(options.token) == std::string::npos);
  CHECK(recorder->exchanges.size() == 1);  // a 401 is not retried
  b.no_violation();
}

TEST_CASE("Proxy: a server answering 503 at first is retried until the run can be read",
          "[.proxy]") {
  Backend b;
  kfpp::Run run =
      kfpp::create_run(b.client, kfpp::test::demo_pipeline(), {.display_name = "flaky start"});
  CHECK(b.client.wait_for_run(run.id, fast).state == RunState::succeeded);
  long unavailable = std::count_if(b.recorder->exchanges.begin(), b.recorder->exchanges.end(),
                                   [](const kfpp::test::Exchange& e) { return e.status == 503; });
  CHECK(unavailable == 2);
  b.no_violation();
}

TEST_CASE("Proxy: an answer nested deeper than any API object is refused as a bad response",
          "[.proxy]") {
  Backend b;
  std::string yaml = kfpp::compile(kfpp::test::demo_pipeline());
  try {
    (void)b.client.create_run({.display_name = "deep", .pipeline = {.yaml = yaml}});
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.api_bad_response");
    CHECK(e.status() == 200);
  }
  b.no_violation();
}
