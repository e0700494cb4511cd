// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kfpp/client/transport.hpp"

namespace kfpp {

/// When and how often a failed call is sent again. Calls that are safe to repeat (reads, deletes,
/// archive, enable, terminate …) are repeated after a 5xx answer or a broken exchange; creates
/// and uploads only when nothing was sent (`kfpp.connection`) or the server answered 503. The waits
/// grow from `initial_backoff` by `multiplier` up to `max_backoff`.
/// Example: `options.retry = {.max_attempts = 5, .initial_backoff = std::chrono::milliseconds(200)};`
struct RetryPolicy {
  int max_attempts = 3;                            ///< attempts in all; 1 = never retry
  std::chrono::milliseconds initial_backoff{500};  ///< wait before the second attempt
  double multiplier = 2.0;                         ///< growth of the wait per attempt
  std::chrono::milliseconds max_backoff{10000};    ///< longest wait between attempts

  /// A policy that never retries. Example: `options.retry = kfpp::RetryPolicy::none();`
  [[nodiscard]] static RetryPolicy none() { return RetryPolicy{.max_attempts = 1}; }
};

/// How a `kfpp::Client` reaches a KFP backend, as `kfp.Client` is configured: host, credentials
/// (a bearer token given or read from a file, cookies), namespace, TLS, proxy, timeouts, retries.
/// Secrets given here never appear in errors, logs or output.
/// Example:
/// ```cpp
/// kfpp::ClientOptions options = kfpp::ClientOptions::from_environment();
/// options.host = "https://kubeflow.example.com/pipeline";
/// options.cookies = "oauth2_proxy_kubeflow=…";
/// options.namespace_ = "team-a";
/// kfpp::Client client(options);
/// ```
struct ClientOptions {
  /// The API endpoint, e.g. `http://127.0.0.1:8888` or `https://host/pipeline`; the client adds
  /// `/apis/v2beta1/…`. A host without a scheme gets `https://`.
  std::string host{};
  /// A bearer token sent as `authorization: Bearer …`. Takes precedence over `token_file`.
  std::string token{};
  /// A file holding the token (a projected service-account token), read before each request so a
  /// rotated token is picked up.
  std::string token_file{};
  /// Cookies sent with each request (`name=value; name2=value2`), for clusters behind Dex or
  /// oauth2-proxy.
  std::string cookies{};
  /// The user's namespace on a multi-user cluster: used for experiments, runs, recurring runs and
  /// pipeline lookups when a call does not name one.
  std::string namespace_{};
  /// The KFP UI's address, for links to runs and experiments; empty: `host`.
  std::string ui_host{};
  /// A PEM file of CA certificates that signed the server's certificate.
  std::string ca_bundle{};
  /// Whether the server's certificate is checked; turn off only for a test cluster.
  bool verify_tls = true;
  /// An HTTP(S) proxy, e.g. `http://proxy:3128`.
  std::string proxy{};
  std::chrono::milliseconds connect_timeout{10000};  ///< to open a connection
  std::chrono::milliseconds request_timeout{60000};  ///< for one request and its answer
  RetryPolicy retry{};                               ///< see `RetryPolicy`
  /// Called with one line per request and answer (method, URL, status, time); secrets are never
  /// in it. Empty: silent.
  std::function<void(const std::string&)> log{};
  /// The HTTP transport; null: libcurl (`make_curl_transport`).
  std::shared_ptr<Transport> transport{};

  /// Options as `kfp.Client` reads the environment: `host` from `KF_PIPELINES_ENDPOINT`,
  /// `ui_host` from `KF_PIPELINES_UI_ENDPOINT`, `token_file` from `KF_PIPELINES_SA_TOKEN_PATH` or,
  /// when that file exists, the projected token `/var/run/secrets/kubeflow/pipelines/token`.
  /// Example: `auto options = kfpp::ClientOptions::from_environment();`
  [[nodiscard]] static ClientOptions from_environment();
};

/// The file `kfp.Client` reads a service-account token from when `KF_PIPELINES_SA_TOKEN_PATH` is
/// not set. Example: `std::string path = kfpp::default_token_path;`
inline constexpr const char* default_token_path = "/var/run/secrets/kubeflow/pipelines/token";

}  // namespace kfpp
