// SPDX-License-Identifier: Apache-2.0
// The client's private core: sending a request with credentials and retries, and reading its
// answer as JSON. Shared by client.cpp (experiments, pipelines) and runs.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kfpp/client/client.hpp"

namespace kfpp {

using Json = nlohmann::json;
/// Query parameters, in order; empty values are left out.
using Query = std::vector<std::pair<std::string, std::string>>;

/// Whether repeating a call after a 5xx answer is harmless.
enum class Idempotent { yes, no };

struct Client::Impl {
  ClientOptions options;
  std::string base;  // host + "/apis/v2beta1"

  /// Sends a request to `path` (under /apis/v2beta1) and returns the parsed body ({} for an empty
  /// one). Throws ApiError for any non-2xx answer, after the retries the policy allows.
  Json call(const std::string& method, const std::string& path, const Query& query = {},
            const Json* body = nullptr, Idempotent idempotent = Idempotent::yes,
            std::optional<FormFile> file = std::nullopt);
  /// The namespace a call uses: its own, else the client's.
  [[nodiscard]] std::string ns(const std::string& given) const {
    return given.empty() ? options.namespace_ : given;
  }
};

/// `text` percent-escaped for a URL path segment or query value.
std::string url_escape(const std::string& text);
/// Throws ApiError with code kfpp.client_usage.
[[noreturn]] void usage_error(const std::string& where, const std::string& what,
                              const std::string& fix);

// JSON to the typed results (json_io.cpp). A missing field is the default value, as the server
// leaves defaults out.
Experiment experiment_from(const Json& j);
PipelineInfo pipeline_from(const Json& j);
PipelineVersion pipeline_version_from(const Json& j);
Run run_from(const Json& j);
RecurringRun recurring_run_from(const Json& j);
Health health_from(const Json& j);
/// A list response: `items` under `key`, paging fields beside it.
template <class T>
Page<T> page_from(const Json& j, const char* key, T (*one)(const Json&)) {
  Page<T> page;
  if (auto it = j.find(key); it != j.end() && it->is_array())
    for (const auto& item : *it) page.items.push_back(one(item));
  if (auto it = j.find("next_page_token"); it != j.end() && it->is_string())
    page.next_page_token = it->get<std::string>();
  if (auto it = j.find("total_size"); it != j.end() && it->is_number_integer())
    page.total_size = it->get<int>();
  return page;
}
Json json_from_value(const ir::Value& v);
ir::Value value_from_json(const Json& j);
/// The paging, sorting and filtering query of a list call.
Query list_query(const ListOptions& options);

// KFP IR YAML as the API's pipeline_spec (ir_json.cpp): the first document, or
// {pipeline_spec, platform_spec} when there is a platform document (as kfp.Client sends it).
// Caching, when given, overrides every task's setting. Throws kfpp.client_usage when the text is
// not KFP IR.
Json pipeline_spec_json(const std::string& yaml, std::optional<bool> enable_caching);
/// `pipelineInfo.name` of KFP IR text, or empty.
std::string pipeline_name_of(const std::string& yaml);

}  // namespace kfpp
