// SPDX-License-Identifier: Apache-2.0
#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <string>

#include "kfpp/client/error.hpp"
#include "kfpp/client/transport.hpp"

namespace kfpp {

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return value;
  }
  return {};
}

namespace {

// The URL without its query, for messages: queries may hold names a user would not log.
std::string without_query(const std::string& url) { return url.substr(0, url.find('?')); }

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* out) {
  auto* response = static_cast<HttpResponse*>(out);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or `100 Continue`): only the last one's headers count.
    response->headers.clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  std::string name = line.substr(0, colon);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value = line.substr(colon + 1);
  auto first = value.find_first_not_of(" \t");
  auto last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
  response->headers.emplace_back(std::move(name), std::move(value));
  return size * count;
}

struct Easy {
  CURL* handle = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_mime* mime = nullptr;
  ~Easy() {
    if (mime) curl_mime_free(mime);
    if (headers) curl_slist_free_all(headers);
    if (handle) curl_easy_cleanup(handle);
  }
};

class CurlTransport : public Transport {
 public:
  CurlTransport() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  HttpResponse send(const HttpRequest& request, const TransportSettings& settings) override {
    Easy easy;
    const std::string where = request.method + " " + without_query(request.url);
    if (!easy.handle)
      throw ApiError({"kfpp.connection", where, "libcurl could not start a transfer", ""}, 0);
    CURL* h = easy.handle;
    HttpResponse response;
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(settings.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.request_timeout.count()));
    // Only http and https, also after a redirect; never a redirect to another host's scheme.
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, settings.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, settings.verify_tls ? 2L : 0L);
    if (!settings.ca_bundle.empty())
      curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_bundle.c_str());
    if (!settings.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, settings.proxy.c_str());
    for (const auto& [name, value] : request.headers) {
      std::string line = name + ": " + value;
      easy.headers = curl_slist_append(easy.headers, line.c_str());
    }
    // curl would otherwise send `Expect: 100-continue` for large uploads and wait for it.
    easy.headers = curl_slist_append(easy.headers, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, easy.headers);
    if (request.file) {
      easy.mime = curl_mime_init(h);
      curl_mimepart* part = curl_mime_addpart(easy.mime);
      curl_mime_name(part, request.file->field.c_str());
      curl_mime_filename(part, request.file->filename.c_str());
      curl_mime_type(part, request.file->content_type.c_str());
      curl_mime_data(part, request.file->data.data(), request.file->data.size());
      curl_easy_setopt(h, CURLOPT_MIMEPOST, easy.mime);
    } else if (request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    if (request.method != "GET" && request.method != "POST")
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    char error_text[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
      std::string what = error_text[0] ? error_text : curl_easy_strerror(rc);
      std::string fix = "check the host and that the API server is up";
      if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
          rc == CURLE_SSL_CONNECT_ERROR)
        fix = "give the CA bundle that signed the server's certificate (--ca-bundle)";
      else if (rc == CURLE_OPERATION_TIMEDOUT)
        fix = "raise the timeout or check the network";
      // Failures that left the request unsent are told apart: a create may be sent again then.
      bool unsent = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                    rc == CURLE_COULDNT_RESOLVE_PROXY;
      throw ApiError(
          {unsent ? "kfpp.connection" : "kfpp.transfer", where, "no answer: " + what, fix}, 0);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport() { return std::make_shared<CurlTransport>(); }

std::string url_escape(const std::string& text) {
  // Since libcurl 7.82 the handle argument is unused.
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (!escaped) return text;
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

}  // namespace kfpp
