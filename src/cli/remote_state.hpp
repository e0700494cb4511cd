// SPDX-License-Identifier: Apache-2.0
// What the remote commands share: the parsed flags and the helpers that turn them into calls.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cli/remote_output.hpp"
#include "kfpp/client/client.hpp"

namespace kfpp::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;

struct Connection {
  std::string host;
  bool remote = false;
  std::string token;
  std::string token_file;
  std::string cookies;
  std::string namespace_;
  std::string ca_bundle;
  bool insecure = false;
  std::string proxy;
  double timeout = 60;
  bool verbose = false;
  std::string output = "text";
};

struct Job {
  std::string file;
  std::string pipeline_id;
  std::string version_id;
  std::vector<std::string> params;
  std::string experiment;
  std::string experiment_id;
  std::string name;
  std::string description;
  std::string pipeline_root;
  std::string caching;
  std::string service_account;
};

struct Listing {
  int page_size = 0;
  std::string page_token;
  std::string sort_by;
  std::string filter;
  std::string experiment_id;
};

struct RemoteState {
  Connection conn;
  Job job;
  Listing list;
  std::string id;
  std::string description;
  bool wait = false;
  double wait_timeout = 0;
  double poll = 5;
  bool cascade = false;
  // upload
  std::string version_name;
  // recurring
  std::string cron;
  std::int64_t interval = 0;
  std::string start, end;
  std::int64_t max_concurrency = 1;
  bool no_catchup = false;
  bool disabled = false;
  // what was parsed
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands;
  // `kfpp run FILE` on this machine
  std::function<int(const std::string&, const std::vector<std::string>&, bool)> local;
  CLI::App* run = nullptr;
};

void add_connection(CLI::App* cmd, Connection& c, bool listing);
ClientOptions options_of(const Connection& c);
void add_listing(CLI::App* cmd, Listing& l, bool by_experiment);
ListOptions list_options(const Listing& l);
void add_job(CLI::App* cmd, Job& job);
/// The run request of the flags: pipeline, typed parameters, experiment (created when missing).
RunRequest request_of(Client& client, const Job& job);
void print(const std::string& s);
void print_json(const nlohmann::json& j);
/// Parses a `--start`/`--end` time (RFC 3339).
std::optional<std::chrono::sys_seconds> time_of(const std::string& flag, const std::string& text);

template <class T>
int show_page(const Connection& c, const Page<T>& page, const char* key) {
  if (c.output == "json") {
    print_json(page_json(page, key));
    return kOk;
  }
  for (const auto& item : page.items) print(line_of(item));
  if (!page.next_page_token.empty()) print("next page: --page-token " + page.next_page_token);
  return kOk;
}

template <class T>
int show(const Connection& c, const T& item) {
  if (c.output == "json")
    print_json(to_json(item));
  else
    print(line_of(item));
  return kOk;
}

void add_experiment_commands(CLI::App& app, RemoteState& s);
void add_recurring_commands(CLI::App& app, RemoteState& s);

}  // namespace kfpp::cli
