// SPDX-License-Identifier: Apache-2.0
// What the client tests share: the API under test (from run_prism.py), a transport that records
// each exchange around the real libcurl one, the violations Prism reported, a demo pipeline.
#pragma once

#include <kfpp/client/client.hpp>
#include <kfpp/kfpp.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace kfpp::test {

/// One exchange: the request line, the status, and Prism's `sl-violations` header.
struct Exchange {
  std::string request;
  long status = 0;
  std::string violations;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The real libcurl transport, with each exchange kept for the test to inspect.
class RecordingTransport : public Transport {
 public:
  HttpResponse send(const HttpRequest& request, const TransportSettings& settings) override {
    HttpResponse response = real_->send(request, settings);
    exchanges.push_back({request.method + " " + request.url, response.status,
                         response.header("sl-violations"), request.headers});
    return response;
  }
  std::vector<Exchange> exchanges;

 private:
  std::shared_ptr<Transport> real_ = make_curl_transport();
};

/// The environment variable `name`, or empty.
inline std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

/// Violations of the requests only (`location` starts with `request`), as text; empty if none.
std::string request_violations(const std::vector<Exchange>& exchanges);
/// Every violation, of requests and responses, as text; empty if none.
std::string all_violations(const std::vector<Exchange>& exchanges);

/// Options for the API under test: its URL, the token, fast retries, and the recorder.
inline ClientOptions options_for_test(std::shared_ptr<RecordingTransport> recorder) {
  ClientOptions o;
  o.host = env("KFPP_TEST_API");
  o.token = env("KFPP_TEST_TOKEN");
  o.retry = {.max_attempts = 3,
             .initial_backoff = std::chrono::milliseconds(20),
             .multiplier = 2.0,
             .max_backoff = std::chrono::milliseconds(100)};
  o.transport = std::move(recorder);
  return o;
}

/// A pipeline of two container tasks with an integer and a boolean parameter.
Pipeline demo_pipeline();

}  // namespace kfpp::test
