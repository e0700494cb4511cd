// SPDX-License-Identifier: Apache-2.0
// Every client call against Prism mocking the KFP API from its official documents: Prism must
// report no violation of any request (run by run_prism.py with the tag [.mock]).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support.hpp"

using kfpp::test::RecordingTransport;
using namespace std::chrono;

namespace {

struct Mock {
  std::shared_ptr<RecordingTransport> recorder = std::make_shared<RecordingTransport>();
  kfpp::Client client{kfpp::test::options_for_test(recorder)};
  ~Mock() = default;
  // Checked at the end of each test: the client sent only what the documents allow.
  void no_request_violation() const {
    INFO(kfpp::test::request_violations(recorder->exchanges));
    CHECK(kfpp::test::request_violations(recorder->exchanges).empty());
    CHECK_FALSE(recorder->exchanges.empty());
  }
};

bool sent_header(const kfpp::test::Exchange& e, const std::string& name, const std::string& value) {
  for (const auto& [k, v] : e.headers)
    if (k == name && v == value) return true;
  return false;
}

}  // namespace

TEST_CASE("Mock: health is read with the authorization header the documents ask for", "[.mock]") {
  Mock m;
  kfpp::Health h = m.client.health();
  CHECK(h.multi_user);
  CHECK(h.pipeline_store == "string");
  REQUIRE(m.recorder->exchanges.size() == 1);
  CHECK(sent_header(m.recorder->exchanges[0], "authorization",
                    "Bearer " + kfpp::test::env("KFPP_TEST_TOKEN")));
  m.no_request_violation();
}

TEST_CASE("Mock: experiment calls are requests the API accepts", "[.mock]") {
  Mock m;
  kfpp::Experiment e = m.client.create_experiment("nightly", "every night", "team-a");
  CHECK(e.id == "string");
  CHECK(e.created_at.time);
  (void)m.client.get_experiment("e-1");
  auto page = m.client.list_experiments(
      {.page_token = "t", .page_size = 5, .sort_by = "created_at desc", .namespace_ = "team-a"});
  CHECK(page.items.size() == 1);
  CHECK(page.next_page_token == "string");
  (void)m.client.find_experiment("nightly");
  m.client.archive_experiment("e-1");
  m.client.unarchive_experiment("e-1");
  m.client.delete_experiment("e-1");
  m.no_request_violation();
}

TEST_CASE("Mock: pipeline and version calls, uploads included, are requests the API accepts",
          "[.mock]") {
  Mock m;
  std::string yaml = kfpp::compile(kfpp::test::demo_pipeline());
  kfpp::PipelineInfo p =
      m.client.upload_pipeline(yaml, {.description = "demo", .namespace_ = "ns"});
  CHECK(p.id == "string");
  (void)kfpp::upload_pipeline_version(m.client, kfpp::test::demo_pipeline(), "p-1",
                                      {.name = "v2", .description = "second"});
  (void)m.client.list_pipelines({.page_size = 3, .filter = kfpp::filter_equals("name", "x")});
  (void)m.client.get_pipeline("p-1");
  (void)m.client.get_pipeline_id("client-demo");
  (void)m.client.list_pipeline_versions("p-1", {.page_size = 2});
  (void)m.client.get_pipeline_version("p-1", "v-1");
  m.client.delete_pipeline_version("p-1", "v-1");
  m.client.delete_pipeline("p-1", true);
  m.no_request_violation();
}

TEST_CASE("Mock: run calls from IR and from a pipeline version are requests the API accepts",
          "[.mock]") {
  Mock m;
  kfpp::RunRequest request{.display_name = "try",
                           .description = "a try",
                           .experiment_id = "e-1",
                           .parameters = {{"epochs", 5}, {"fail", false}},
                           .pipeline_root = "minio://bucket/root",
                           .enable_caching = false,
                           .service_account = "pipeline-runner"};
  kfpp::Run r = kfpp::create_run(m.client, kfpp::test::demo_pipeline(), request);
  CHECK(r.id == "string");
  CHECK(r.tasks.size() == 1);
  kfpp::RunRequest from_version{.display_name = "again",
                                .pipeline = {.pipeline_id = "p-1", .pipeline_version_id = "v-1"}};
  (void)m.client.create_run(from_version);
  (void)m.client.get_run("r-1");
  (void)m.client.list_runs({.page_size = 10, .experiment_id = "e-1"});
  (void)m.client.list_runs({.namespace_ = "team-a"});
  m.client.terminate_run("r-1");
  m.client.retry_run("r-1");
  m.client.archive_run("r-1");
  m.client.unarchive_run("r-1");
  m.client.delete_run("r-1");
  m.no_request_violation();
}

TEST_CASE("Mock: a run that never finishes ends the wait with kfpp.run_timeout", "[.mock]") {
  Mock m;
  try {
    (void)m.client.wait_for_run("r-1",
                                {.timeout = milliseconds(300), .poll_interval = milliseconds(50)});
    FAIL("no timeout");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.run_timeout");
    CHECK(std::string(e.what()).find("RUNTIME_STATE_UNSPECIFIED") != std::string::npos);
  }
  CHECK(m.recorder->exchanges.size() >= 2);
  m.no_request_violation();
}

TEST_CASE("Mock: recurring run calls, cron and interval, are requests the API accepts", "[.mock]") {
  Mock m;
  std::string yaml = kfpp::compile(kfpp::test::demo_pipeline());
  kfpp::RecurringRunRequest cron{
      .run = {.display_name = "nightly", .experiment_id = "e-1", .pipeline = {.yaml = yaml}},
      .cron = "0 0 3 * * *",
      .start_time = sys_seconds{seconds{1767607200}},
      .end_time = sys_seconds{seconds{1767607200 + 86400}},
      .max_concurrency = 2,
      .no_catchup = true};
  kfpp::RecurringRun r = m.client.create_recurring_run(cron);
  CHECK(r.id == "string");
  kfpp::RecurringRunRequest every{
      .run = {.display_name = "hourly", .pipeline = {.pipeline_id = "p-1"}},
      .interval_seconds = 3600,
      .enabled = false};
  (void)m.client.create_recurring_run(every);
  (void)m.client.get_recurring_run("rr-1");
  (void)m.client.list_recurring_runs({.experiment_id = "e-1"});
  m.client.enable_recurring_run("rr-1");
  m.client.disable_recurring_run("rr-1");
  m.client.delete_recurring_run("rr-1");
  m.no_request_violation();
}

TEST_CASE("Mock: without credentials the API's 401 is an error keeping the server's body",
          "[.mock]") {
  auto recorder = std::make_shared<RecordingTransport>();
  auto options = kfpp::test::options_for_test(recorder);
  options.token.clear();
  kfpp::Client client(options);
  try {
    (void)client.list_runs();
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.status() == 401);
    CHECK(e.code() == "kfpp.api_unauthenticated");
    CHECK_FALSE(e.body().empty());
    CHECK(std::string(e.what()).find("--token") != std::string::npos);
  }
  // The one violation is the missing credential.
  std::string v = kfpp::test::request_violations(recorder->exchanges);
  CHECK(v.find("Invalid security scheme") != std::string::npos);
}

TEST_CASE("Mock: the token and the cookies never appear in logs or errors", "[.mock]") {
  auto recorder = std::make_shared<RecordingTransport>();
  auto options = kfpp::test::options_for_test(recorder);
  const std::string token = options.token;
  options.cookies = "authservice_session=cookie-secret-value; other=also-secret-value";
  std::string log;
  options.log = [&](const std::string& line) { log += line + "\n"; };
  kfpp::Client client(options);
  (void)client.health();
  std::string errors;
  try {
    (void)client.create_experiment("");
  } catch (const kfpp::Error& e) {
    errors += e.what();
  }
  try {
    (void)client.create_run(
        {.display_name = "bad", .pipeline = {.pipeline_id = "p"}, .enable_caching = true});
  } catch (const kfpp::Error& e) {
    errors += e.what();
  }
  CHECK(log.find("GET " + kfpp::test::env("KFPP_TEST_API") + "/apis/v2beta1/healthz -> 200") !=
        std::string::npos);
  for (const std::string& secret :
       {token, std::string("cookie-secret-value"), std::string("also-secret-value")}) {
    CHECK(log.find(secret) == std::string::npos);
    CHECK(errors.find(secret) == std::string::npos);
  }
  REQUIRE(recorder->exchanges.size() == 1);
  CHECK(sent_header(recorder->exchanges[0], "cookie", options.cookies));
}
