// SPDX-License-Identifier: Apache-2.0
// Client tests that need no server: time stamps, states, filters, options, usage errors.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "support.hpp"

using namespace std::chrono;

TEST_CASE("Client: RFC 3339 time stamps parse with fractions and offsets, and print in UTC") {
  auto t = kfpp::Timestamp::parse("2026-01-05T10:00:00Z");
  REQUIRE(t.time);
  CHECK(t.time->time_since_epoch().count() == 1767607200);
  CHECK(kfpp::Timestamp::parse("2026-01-05T11:30:00.123456+01:30").time == t.time);
  CHECK(kfpp::Timestamp::at(*t.time).rfc3339 == "2026-01-05T10:00:00Z");
  auto bad = kfpp::Timestamp::parse("yesterday");
  CHECK(static_cast<bool>(bad));
  CHECK_FALSE(bad.time);
  CHECK_FALSE(kfpp::Timestamp::parse("2026-02-30T10:00:00Z").time);
  CHECK_FALSE(static_cast<bool>(kfpp::Timestamp::parse("")));
}

TEST_CASE("Client: run states read and print as the API names them") {
  CHECK(kfpp::run_state_from("SUCCEEDED") == kfpp::RunState::succeeded);
  CHECK(kfpp::run_state_from("no such state") == kfpp::RunState::unspecified);
  CHECK(kfpp::to_string(kfpp::RunState::canceling) == "CANCELING");
  CHECK(kfpp::is_final(kfpp::RunState::failed));
  CHECK_FALSE(kfpp::is_final(kfpp::RunState::canceling));
}

TEST_CASE("Client: an equality filter is the API's JSON filter") {
  CHECK(kfpp::filter_equals("display_name", "a \"b\"") ==
        R"({"predicates":[{"key":"display_name","operation":"EQUALS","string_value":"a \"b\""}]})");
}

TEST_CASE("Client: without a host the client refuses to start and says how to give one") {
  try {
    kfpp::Client client(kfpp::ClientOptions{});
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.client_usage");
    CHECK(std::string(e.what()).find("KF_PIPELINES_ENDPOINT") != std::string::npos);
  }
  CHECK_THROWS_AS(kfpp::Client(kfpp::ClientOptions{.host = "ftp://x"}), kfpp::ApiError);
}

TEST_CASE("Client: the host gets https:// when it has no scheme and loses its trailing slash") {
  kfpp::Client client(kfpp::ClientOptions{.host = "kfp.example.com/pipeline/"});
  CHECK(client.options().host == "https://kfp.example.com/pipeline");
  CHECK(client.run_url("r1") == "https://kfp.example.com/pipeline/#/runs/details/r1");
}

TEST_CASE("Client: options from the environment follow kfp.Client's variables") {
  ::setenv("KF_PIPELINES_ENDPOINT", "http://127.0.0.1:9", 1);
  ::setenv("KF_PIPELINES_SA_TOKEN_PATH", "/tmp/kfpp-token-test", 1);
  ::setenv("KF_PIPELINES_UI_ENDPOINT", "http://ui", 1);
  auto o = kfpp::ClientOptions::from_environment();
  CHECK(o.host == "http://127.0.0.1:9");
  CHECK(o.token_file == "/tmp/kfpp-token-test");
  CHECK(kfpp::Client(o).run_url("x") == "http://ui/#/runs/details/x");
  ::unsetenv("KF_PIPELINES_ENDPOINT");
  ::unsetenv("KF_PIPELINES_SA_TOKEN_PATH");
  ::unsetenv("KF_PIPELINES_UI_ENDPOINT");
}

TEST_CASE("Client: a run naming no pipeline, or two, is refused before anything is sent") {
  auto recorder = std::make_shared<kfpp::test::RecordingTransport>();
  kfpp::Client client({.host = "http://127.0.0.1:9", .transport = recorder});
  CHECK_THROWS_WITH(client.create_run({.display_name = "r"}),
                    Catch::Contains("[kfpp.client_usage] run: no pipeline is given"));
  CHECK_THROWS_WITH(
      client.create_run({.display_name = "r", .pipeline = {.yaml = "a: 1", .pipeline_id = "p"}}),
      Catch::Contains("both a pipeline and a pipeline id"));
  CHECK_THROWS_WITH(client.create_run({.display_name = "r", .pipeline = {.yaml = "a: [1"}}),
                    Catch::Contains("not valid YAML"));
  CHECK_THROWS_WITH(
      client.create_run({.display_name = "r", .pipeline = {.yaml = "kind: Workflow"}}),
      Catch::Contains("not KFP IR"));
  kfpp::RecurringRunRequest both{.run = {.display_name = "r", .pipeline = {.pipeline_id = "p"}},
                                 .cron = "0 0 * * * *",
                                 .interval_seconds = 60};
  CHECK_THROWS_WITH(client.create_recurring_run(both), Catch::Contains("exactly one of"));
  kfpp::RecurringRunRequest many{.run = {.display_name = "r", .pipeline = {.pipeline_id = "p"}},
                                 .interval_seconds = 60,
                                 .max_concurrency = 11};
  CHECK_THROWS_WITH(client.create_recurring_run(many), Catch::Contains("between 1 and 10"));
  CHECK(recorder->exchanges.empty());
}

TEST_CASE("Client: a refused connection is a kfpp.connection error, retried, naming the host") {
  auto recorder = std::make_shared<kfpp::test::RecordingTransport>();
  int lines = 0;
  kfpp::Client client({.host = "http://127.0.0.1:9",
                       .token = "s3cr3t-t0ken",
                       .retry = {.max_attempts = 2, .initial_backoff = milliseconds(1)},
                       .log =
                           [&](const std::string& line) {
                             ++lines;
                             CHECK(line.find("s3cr3t") == std::string::npos);
                           },
                       .transport = std::make_shared<kfpp::test::RecordingTransport>()});
  try {
    (void)client.health();
    FAIL("no error");
  } catch (const kfpp::ApiError& e) {
    CHECK(e.code() == "kfpp.connection");
    CHECK(e.status() == 0);
    CHECK(std::string(e.what()).find("127.0.0.1:9") != std::string::npos);
    CHECK(std::string(e.what()).find("s3cr3t") == std::string::npos);
  }
  CHECK(lines == 2);
}

TEST_CASE("Client: a token file that cannot be read is an error naming the file") {
  kfpp::Client client({.host = "http://127.0.0.1:9", .token_file = "/nonexistent/token"});
  CHECK_THROWS_WITH(client.health(), Catch::Contains("/nonexistent/token: cannot read the token"));
}

TEST_CASE("Client: the demo pipeline is written for the command-line tests", "[.write-demo]") {
  std::string path = kfpp::test::env("KFPP_DEMO_OUT");
  REQUIRE_FALSE(path.empty());
  kfpp::compile_to_file(kfpp::test::demo_pipeline(), path);
  std::ifstream in(path);
  CHECK(in.good());
}
