// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "kfpp/error.hpp"

namespace kfpp {

/// A call to the KFP API that failed: the HTTP status (0 when no answer came), the server's error
/// body and, when the body is a `google.rpc.Status`, its code and message. The stable codes:
/// `kfpp.connection` (the server could not be reached: nothing was sent),
/// `kfpp.transfer` (the exchange broke after connecting: timeout, TLS, reset), `kfpp.api_bad_request` (400), `kfpp.api_unauthenticated` (401),
/// `kfpp.api_permission_denied` (403), `kfpp.api_not_found` (404), `kfpp.api_conflict` (409),
/// `kfpp.api_server` (5xx), `kfpp.api_error` (any other status), `kfpp.api_bad_response` (an
/// answer that is not what the API documents), `kfpp.run_timeout` (a wait ran out of time),
/// `kfpp.client_usage` (a call the client refuses before sending it). Tokens and cookies never
/// appear in it.
/// Example: `catch (const kfpp::ApiError& e) { if (e.status() == 404) ...; e.body(); }`
class ApiError : public Error {
 public:
  /// An error of the request `request` (`GET /apis/v2beta1/runs/abc`): `message` says what went
  /// wrong and `fix` how to fix it; `body`, `rpc_code` and `server_message` are the server's.
  /// Example: `throw kfpp::ApiError({"kfpp.api_not_found", "GET /x", "HTTP 404", "check"}, 404, body, 5, "no run");`
  ApiError(Diagnostic diagnostic, long status, std::string body = {}, int rpc_code = -1,
           std::string server_message = {});
  /// The HTTP status, 0 when the server did not answer.
  [[nodiscard]] long status() const noexcept { return status_; }
  /// The response body as the server sent it.
  [[nodiscard]] const std::string& body() const noexcept { return body_; }
  /// The `google.rpc.Status` code of the body (gRPC codes: 5 not found, 16 unauthenticated, …),
  /// or -1 when the body has none.
  [[nodiscard]] int rpc_code() const noexcept { return rpc_code_; }
  /// The server's message (the body's `message`), or empty.
  [[nodiscard]] const std::string& server_message() const noexcept { return server_message_; }

 private:
  long status_;
  std::string body_;
  int rpc_code_;
  std::string server_message_;
};

}  // namespace kfpp
