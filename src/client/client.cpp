// SPDX-License-Identifier: Apache-2.0
// kfpp::Client: the request core (credentials, retries, errors, logging), health, experiments and
// pipelines. Runs and recurring runs are in runs.cpp.
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "client/impl.hpp"

namespace kfpp {

namespace {

// Every secret of the options, to be cut out of anything the client writes or throws.
std::vector<std::string> secrets_of(const ClientOptions& o, const std::string& token) {
  std::vector<std::string> all;
  if (!token.empty()) all.push_back(token);
  if (!o.token.empty()) all.push_back(o.token);
  if (!o.cookies.empty()) {
    all.push_back(o.cookies);
    std::stringstream cookies(o.cookies);
    for (std::string part; std::getline(cookies, part, ';');) {
      auto eq = part.find('=');
      std::string value = eq == std::string::npos ? part : part.substr(eq + 1);
      auto first = value.find_first_not_of(' ');
      if (first != std::string::npos) value = value.substr(first);
      if (value.size() >= 4) all.push_back(value);
    }
  }
  return all;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
      text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string read_token(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    usage_error(path, "cannot read the token file",
                "check KF_PIPELINES_SA_TOKEN_PATH or --token-file, or give a token");
  std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

struct StatusCode {
  const char* code;
  const char* fix;
};

StatusCode code_of(long status) {
  if (status == 400) return {"kfpp.api_bad_request", "check the request's fields and values"};
  if (status == 401)
    return {"kfpp.api_unauthenticated",
            "give a valid token (--token, --token-file, KF_PIPELINES_SA_TOKEN_PATH) or the "
            "cluster's session cookies (--cookies)"};
  if (status == 403)
    return {"kfpp.api_permission_denied", "check the namespace and that the account may act in it"};
  if (status == 404) return {"kfpp.api_not_found", "check the id or name and the namespace"};
  if (status == 409) return {"kfpp.api_conflict", "use another name, or the existing object"};
  if (status >= 500)
    return {"kfpp.api_server", "try again later, or read the KFP API server's log"};
  return {"kfpp.api_error", "check the request and the host (is it the KFP API?)"};
}

bool retryable_status(long status, Idempotent idempotent) {
  if (status == 503 || status == 429) return true;
  return idempotent == Idempotent::yes && (status == 500 || status == 502 || status == 504);
}

// The body as JSON; discarded when it is not JSON or nests deeper than any API object does (a
// guard against answers that would exhaust the stack of the code reading them).
Json parse_body(const std::string& body) {
  bool too_deep = false;
  Json parsed = Json::parse(
      body,
      [&too_deep](int depth, Json::parse_event_t, Json&) {
        if (depth > 128) too_deep = true;
        return !too_deep;
      },
      false);
  return too_deep ? Json(Json::value_t::discarded) : parsed;
}

std::string join_query(const Query& query) {
  std::string q;
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    q += (q.empty() ? "?" : "&") + url_escape(key) + "=" + url_escape(value);
  }
  return q;
}

}  // namespace

Json Client::Impl::call(const std::string& method, const std::string& path, const Query& query,
                        const Json* body, Idempotent idempotent, std::optional<FormFile> file) {
  HttpRequest request;
  request.method = method;
  request.url = base + path + join_query(query);
  std::string token = options.token;
  if (token.empty() && !options.token_file.empty()) token = read_token(options.token_file);
  if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
  if (!options.cookies.empty()) request.headers.emplace_back("cookie", options.cookies);
  request.headers.emplace_back("accept", "application/json");
  if (body) {
    request.headers.emplace_back("content-type", "application/json");
    request.body = body->dump();
  }
  request.file = std::move(file);
  const std::vector<std::string> secrets = secrets_of(options, token);
  const std::string where = method + " /apis/v2beta1" + path;
  TransportSettings settings{options.ca_bundle, options.verify_tls, options.proxy,
                             options.connect_timeout, options.request_timeout};
  const int attempts = std::max(1, options.retry.max_attempts);
  auto backoff = options.retry.initial_backoff;
  auto pause = [&] {
    std::this_thread::sleep_for(backoff);
    auto next = std::chrono::duration_cast<std::chrono::milliseconds>(
        backoff * std::max(1.0, options.retry.multiplier));
    backoff = std::min(next, options.retry.max_backoff);
  };
  auto log = [&](const std::string& line) {
    if (options.log) options.log(redact(line, secrets));
  };
  for (int attempt = 1;; ++attempt) {
    auto started = std::chrono::steady_clock::now();
    HttpResponse response;
    try {
      response = options.transport->send(request, settings);
    } catch (const ApiError& e) {
      log("kfpp: " + method + " " + request.url + " -> " + e.what());
      bool again = e.code() == "kfpp.connection" ||
                   (e.code() == "kfpp.transfer" && idempotent == Idempotent::yes);
      if (again && attempt < attempts) {
        pause();
        continue;
      }
      throw;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    log("kfpp: " + method + " " + request.url + " -> " + std::to_string(response.status) + " (" +
        std::to_string(ms) + " ms)");
    if (response.status >= 200 && response.status < 300) {
      if (response.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
      Json parsed = parse_body(response.body);
      if (parsed.is_discarded())
        throw ApiError(
            {"kfpp.api_bad_response", where,
             "HTTP " + std::to_string(response.status) + " with a body that is not the API's JSON",
             "check that the host is the KFP API (not its UI or a login page)"},
            response.status, redact(response.body, secrets));
      return parsed;
    }
    if (retryable_status(response.status, idempotent) && attempt < attempts) {
      pause();
      continue;
    }
    std::string text = redact(response.body, secrets);
    int rpc_code = -1;
    std::string server_message;
    Json parsed = parse_body(text);
    if (parsed.is_object()) {
      if (auto c = parsed.find("code"); c != parsed.end() && c->is_number_integer())
        rpc_code = c->get<int>();
      for (const char* key : {"message", "error"})
        if (auto m = parsed.find(key);
            m != parsed.end() && m->is_string() && server_message.empty())
          server_message = m->get<std::string>();
    }
    StatusCode sc = code_of(response.status);
    std::string what = "HTTP " + std::to_string(response.status);
    if (!server_message.empty()) {
      what += ": " + server_message;
    } else if (!text.empty()) {
      what += ": " + text.substr(0, 300);
    }
    throw ApiError({sc.code, where, what, sc.fix}, response.status, std::move(text), rpc_code,
                   std::move(server_message));
  }
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.host.empty())
    usage_error("host", "no KFP API host is given",
                "give one (--host URL, ClientOptions::host) or set KF_PIPELINES_ENDPOINT");
  if (options.host.find("://") == std::string::npos) options.host = "https://" + options.host;
  while (!options.host.empty() && options.host.back() == '/') options.host.pop_back();
  if (options.host.rfind("http://", 0) != 0 && options.host.rfind("https://", 0) != 0)
    usage_error(options.host, "the host is not an http or https URL", "give http://… or https://…");
  if (!options.transport) options.transport = make_curl_transport();
  impl_->base = options.host + "/apis/v2beta1";
  impl_->options = std::move(options);
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const ClientOptions& Client::options() const noexcept { return impl_->options; }

Health Client::health() { return health_from(impl_->call("GET", "/healthz")); }

namespace {
std::string ui(const ClientOptions& o) { return o.ui_host.empty() ? o.host : o.ui_host; }
}  // namespace

std::string Client::run_url(std::string_view run_id) const {
  return ui(impl_->options) + "/#/runs/details/" + std::string(run_id);
}
std::string Client::experiment_url(std::string_view experiment_id) const {
  return ui(impl_->options) + "/#/experiments/details/" + std::string(experiment_id);
}
std::string Client::pipeline_url(std::string_view pipeline_id) const {
  return ui(impl_->options) + "/#/pipelines/details/" + std::string(pipeline_id);
}

// Experiments

Experiment Client::create_experiment(const std::string& name, const std::string& description,
                                     const std::string& namespace_) {
  if (name.empty()) usage_error("experiment", "the experiment has no name", "give a name");
  Json body = {{"display_name", name}};
  if (!description.empty()) body["description"] = description;
  if (std::string ns = impl_->ns(namespace_); !ns.empty()) body["namespace"] = ns;
  return experiment_from(impl_->call("POST", "/experiments", {}, &body, Idempotent::no));
}

Experiment Client::ensure_experiment(const std::string& name, const std::string& description,
                                     const std::string& namespace_) {
  if (auto found = find_experiment(name, namespace_)) return *found;
  return create_experiment(name, description, namespace_);
}

Experiment Client::get_experiment(const std::string& id) {
  return experiment_from(impl_->call("GET", "/experiments/" + url_escape(id)));
}

std::optional<Experiment> Client::find_experiment(const std::string& name,
                                                  const std::string& namespace_) {
  Page<Experiment> page =
      list_experiments({.filter = filter_equals("display_name", name), .namespace_ = namespace_});
  if (page.items.empty()) return std::nullopt;
  if (page.items.size() > 1)
    usage_error("experiment " + name, "more than one experiment has this name",
                "use the experiment's id");
  return page.items.front();
}

Experiment Client::get_experiment_by_name(const std::string& name, const std::string& namespace_) {
  if (auto found = find_experiment(name, namespace_)) return *found;
  throw ApiError({"kfpp.api_not_found", "experiment " + name, "no experiment has this name",
                  "check the name and the namespace, or create it"},
                 404);
}

Page<Experiment> Client::list_experiments(const ListOptions& options) {
  Query q = list_query(options);
  q.emplace_back("namespace", impl_->ns(options.namespace_));
  return page_from(impl_->call("GET", "/experiments", q), "experiments", &experiment_from);
}

void Client::archive_experiment(const std::string& id) {
  impl_->call("POST", "/experiments/" + url_escape(id) + ":archive");
}
void Client::unarchive_experiment(const std::string& id) {
  impl_->call("POST", "/experiments/" + url_escape(id) + ":unarchive");
}
void Client::delete_experiment(const std::string& id) {
  impl_->call("DELETE", "/experiments/" + url_escape(id));
}

// Pipelines

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) usage_error(path, "cannot open the file", "check the path");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}
FormFile upload_part(const std::string& yaml) {
  return {"uploadfile", "pipeline.yaml", "application/x-yaml", yaml};
}
}  // namespace

PipelineInfo Client::upload_pipeline(const std::string& yaml, const UploadOptions& options) {
  std::string name = options.name.empty() ? pipeline_name_of(yaml) : options.name;
  if (name.empty())
    usage_error("pipeline", "the pipeline has no name (none given, none in pipelineInfo.name)",
                "give a name (--name)");
  Query q{{"name", name},
          {"display_name", options.display_name},
          {"description", options.description},
          {"namespace", options.namespace_}};
  return pipeline_from(
      impl_->call("POST", "/pipelines/upload", q, nullptr, Idempotent::no, upload_part(yaml)));
}

PipelineInfo Client::upload_pipeline_file(const std::string& path, const UploadOptions& options) {
  return upload_pipeline(read_file(path), options);
}

PipelineVersion Client::upload_pipeline_version(const std::string& yaml,
                                                const std::string& pipeline_id,
                                                const VersionOptions& options) {
  if (options.name.empty())
    usage_error("pipeline version", "the version has no name", "give a name");
  if (pipeline_id.empty())
    usage_error("pipeline version", "no pipeline id is given", "give the pipeline's id");
  Query q{{"name", options.name},
          {"display_name", options.display_name},
          {"pipelineid", pipeline_id},
          {"description", options.description}};
  return pipeline_version_from(impl_->call("POST", "/pipelines/upload_version", q, nullptr,
                                           Idempotent::no, upload_part(yaml)));
}

Page<PipelineInfo> Client::list_pipelines(const ListOptions& options) {
  Query q = list_query(options);
  q.emplace_back("namespace", impl_->ns(options.namespace_));
  return page_from(impl_->call("GET", "/pipelines", q), "pipelines", &pipeline_from);
}

PipelineInfo Client::get_pipeline(const std::string& id) {
  return pipeline_from(impl_->call("GET", "/pipelines/" + url_escape(id)));
}

std::optional<std::string> Client::get_pipeline_id(const std::string& name,
                                                   const std::string& namespace_) {
  Page<PipelineInfo> page =
      list_pipelines({.filter = filter_equals("display_name", name), .namespace_ = namespace_});
  if (page.items.empty()) return std::nullopt;
  if (page.items.size() > 1)
    usage_error("pipeline " + name, "more than one pipeline has this name",
                "use the pipeline's id");
  return page.items.front().id;
}

void Client::delete_pipeline(const std::string& id, bool cascade) {
  impl_->call("DELETE", "/pipelines/" + url_escape(id), {{"cascade", cascade ? "true" : ""}});
}

Page<PipelineVersion> Client::list_pipeline_versions(const std::string& pipeline_id,
                                                     const ListOptions& options) {
  return page_from(impl_->call("GET", "/pipelines/" + url_escape(pipeline_id) + "/versions",
                               list_query(options)),
                   "pipeline_versions", &pipeline_version_from);
}

PipelineVersion Client::get_pipeline_version(const std::string& pipeline_id,
                                             const std::string& version_id) {
  return pipeline_version_from(impl_->call(
      "GET", "/pipelines/" + url_escape(pipeline_id) + "/versions/" + url_escape(version_id)));
}

void Client::delete_pipeline_version(const std::string& pipeline_id,
                                     const std::string& version_id) {
  impl_->call("DELETE",
              "/pipelines/" + url_escape(pipeline_id) + "/versions/" + url_escape(version_id));
}

}  // namespace kfpp
