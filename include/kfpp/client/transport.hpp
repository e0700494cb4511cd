// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kfpp {

/// A file sent as one part of a `multipart/form-data` body (the pipeline uploads).
/// Example: `kfpp::FormFile{"uploadfile", "pipeline.yaml", "application/x-yaml", yaml}`
struct FormFile {
  std::string field{};         ///< the form field, `uploadfile` for KFP
  std::string filename{};      ///< the file name the server sees
  std::string content_type{};  ///< e.g. `application/x-yaml`
  std::string data{};          ///< the file's bytes
};

/// One HTTP request, as the client hands it to a `Transport`.
/// Example: `kfpp::HttpRequest r{.method = "GET", .url = "http://127.0.0.1:8888/apis/v2beta1/healthz"};`
struct HttpRequest {
  std::string method{};  ///< `GET`, `POST`, `DELETE`, …
  std::string url{};     ///< the whole URL, query included, already escaped
  /// Header lines as name and value (`authorization`, `cookie`, `content-type`, …).
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};              ///< the body (JSON), empty for none
  std::optional<FormFile> file{};  ///< a multipart file part instead of `body`
};

/// One HTTP response: status, header lines (names in lower case) and body.
/// Example: `if (r.status == 200) parse(r.body); r.header("sl-violations");`
struct HttpResponse {
  long status = 0;  ///< the HTTP status code
  /// Header lines, names in lower case, in the order received.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};  ///< the body

  /// The value of the first header named `name` (any case), or empty.
  /// Example: `std::string v = response.header("Content-Type");`
  [[nodiscard]] std::string header(std::string_view name) const;
};

/// What a transport needs to know about the connection, from `ClientOptions`.
/// Example: `kfpp::TransportSettings s{.verify_tls = false};`
struct TransportSettings {
  std::string ca_bundle{};  ///< a PEM file of CA certificates; empty: the system's
  bool verify_tls = true;   ///< check the server's certificate and name
  std::string proxy{};      ///< e.g. `http://proxy:3128`; empty: none (or the usual env vars)
  std::chrono::milliseconds connect_timeout{10000};  ///< to open the connection
  std::chrono::milliseconds request_timeout{60000};  ///< for the whole exchange
};

/// Sends HTTP requests. The client owns one through `ClientOptions::transport`; tests may wrap the
/// real one (`make_curl_transport`) to look at each exchange. A failure to exchange throws
/// `kfpp::ApiError` with status 0: code `kfpp.connection` when nothing was sent (the host cannot
/// be resolved or refuses the connection), `kfpp.transfer` otherwise (timeout, TLS, reset). Any
/// HTTP status is a response.
/// Example: `struct Logged : kfpp::Transport { HttpResponse send(...) override; };`
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends `request` and returns the response, whatever its status.
  /// Example: `kfpp::HttpResponse r = transport.send(request, settings);`
  virtual HttpResponse send(const HttpRequest& request, const TransportSettings& settings) = 0;
};

/// The libcurl transport (HTTP/1.1 and HTTP/2, TLS through OpenSSL). Safe to share between
/// clients; each call uses its own handle.
/// Example: `options.transport = kfpp::make_curl_transport();`
[[nodiscard]] std::shared_ptr<Transport> make_curl_transport();

}  // namespace kfpp
