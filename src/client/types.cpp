// SPDX-License-Identifier: Apache-2.0
// The client's plain types: timestamps, states, filters, options from the environment, ApiError.
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "client/impl.hpp"

namespace kfpp {

ApiError::ApiError(Diagnostic diagnostic, long status, std::string body, int rpc_code,
                   std::string server_message)
    : Error(std::move(diagnostic)),
      status_(status),
      body_(std::move(body)),
      rpc_code_(rpc_code),
      server_message_(std::move(server_message)) {}

namespace {
bool digits(const std::string& s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
int number(const std::string& s, std::size_t at, std::size_t n) {
  return std::stoi(s.substr(at, n));
}
}  // namespace

Timestamp Timestamp::parse(std::string text) {
  Timestamp t;
  t.rfc3339 = std::move(text);
  const std::string& s = t.rfc3339;
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  if (!digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2) ||
      s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2))
    return t;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
  }
  int offset_minutes = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
  } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && digits(s, at + 1, 2) &&
             s[at + 3] == ':' && digits(s, at + 4, 2)) {
    offset_minutes = (number(s, at + 1, 2) * 60 + number(s, at + 4, 2)) * (s[at] == '-' ? -1 : 1);
  } else {
    return t;
  }
  using namespace std::chrono;
  year_month_day date{year{number(s, 0, 4)}, month{static_cast<unsigned>(number(s, 5, 2))},
                      day{static_cast<unsigned>(number(s, 8, 2))}};
  int hh = number(s, 11, 2), mm = number(s, 14, 2), ss = number(s, 17, 2);
  if (!date.ok() || hh > 23 || mm > 59 || ss > 60) return t;
  t.time =
      sys_seconds{sys_days{date}} + hours{hh} + minutes{mm} + seconds{ss} - minutes{offset_minutes};
  return t;
}

Timestamp Timestamp::at(std::chrono::sys_seconds time) {
  using namespace std::chrono;
  auto day_start = floor<days>(time);
  year_month_day date{day_start};
  hh_mm_ss<seconds> clock{time - day_start};
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  Timestamp t;
  t.rfc3339 = text.data();
  t.time = time;
  return t;
}

namespace {
constexpr std::array<std::pair<RunState, std::string_view>, 9> kStates{{
    {RunState::unspecified, "RUNTIME_STATE_UNSPECIFIED"},
    {RunState::pending, "PENDING"},
    {RunState::running, "RUNNING"},
    {RunState::succeeded, "SUCCEEDED"},
    {RunState::skipped, "SKIPPED"},
    {RunState::failed, "FAILED"},
    {RunState::canceling, "CANCELING"},
    {RunState::canceled, "CANCELED"},
    {RunState::paused, "PAUSED"},
}};
}  // namespace

std::string_view to_string(RunState state) noexcept {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "RUNTIME_STATE_UNSPECIFIED";
}

RunState run_state_from(std::string_view name) noexcept {
  for (const auto& [s, n] : kStates)
    if (n == name) return s;
  return RunState::unspecified;
}

bool is_final(RunState state) noexcept {
  return state == RunState::succeeded || state == RunState::skipped || state == RunState::failed ||
         state == RunState::canceled;
}

std::string filter_equals(std::string_view key, std::string_view value) {
  Json predicate = {
      {"operation", "EQUALS"}, {"key", std::string(key)}, {"string_value", std::string(value)}};
  return Json{{"predicates", Json::array({predicate})}}.dump();
}

ClientOptions ClientOptions::from_environment() {
  ClientOptions options;
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  options.host = env("KF_PIPELINES_ENDPOINT");
  options.ui_host = env("KF_PIPELINES_UI_ENDPOINT");
  options.token_file = env("KF_PIPELINES_SA_TOKEN_PATH");
  struct stat st {};
  if (options.token_file.empty() && ::stat(default_token_path, &st) == 0)
    options.token_file = default_token_path;
  return options;
}

void usage_error(const std::string& where, const std::string& what, const std::string& fix) {
  throw ApiError({"kfpp.client_usage", where, what, fix}, 0);
}

}  // namespace kfpp
