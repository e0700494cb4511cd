// SPDX-License-Identifier: Apache-2.0
// How the remote commands print the API's objects: one line of text each, or JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "kfpp/client/client.hpp"

namespace kfpp::cli {

nlohmann::json to_json(const Experiment& e);
nlohmann::json to_json(const PipelineInfo& p);
nlohmann::json to_json(const PipelineVersion& v);
nlohmann::json to_json(const Run& r);
nlohmann::json to_json(const RecurringRun& r);

/// `{key: [items…], next_page_token, total_size}`.
template <class T>
nlohmann::json page_json(const Page<T>& page, const char* key) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  nlohmann::json out = {{key, items}, {"total_size", page.total_size}};
  if (!page.next_page_token.empty()) out["next_page_token"] = page.next_page_token;
  return out;
}

std::string line_of(const Experiment& e);
std::string line_of(const PipelineInfo& p);
std::string line_of(const PipelineVersion& v);
std::string line_of(const Run& r);
std::string line_of(const RecurringRun& r);

/// The run's state and its tasks' states: `RUNNING (train SUCCEEDED, evaluate RUNNING)`.
std::string progress_of(const Run& r);

}  // namespace kfpp::cli
