// SPDX-License-Identifier: Apache-2.0
#include "kfpp/error.hpp"

#include <utility>

namespace kfpp {

std::string Diagnostic::to_string() const {
  std::string s = "[" + code + "] " + path + ": " + message;
  if (!fix.empty()) s += " (" + fix + ")";
  return s;
}

Error::Error(Diagnostic d) : std::runtime_error(d.to_string()), first_(std::move(d)) {}

Error::Error(Diagnostic first, const std::string& text)
    : std::runtime_error(text), first_(std::move(first)) {}

namespace {
std::string join_all(const std::vector<Diagnostic>& all) {
  std::string text = std::to_string(all.size()) + (all.size() == 1 ? " problem" : " problems");
  for (const auto& d : all) text += "\n  " + d.to_string();
  return text;
}
}  // namespace

ValidationError::ValidationError(std::vector<Diagnostic> diagnostics)
    : Error(diagnostics.empty() ? Diagnostic{"kfpp.validation", "", "no findings", ""}
                                : diagnostics.front(),
            join_all(diagnostics)),
      all_(std::move(diagnostics)) {}

ParseError::ParseError(Diagnostic d) : Error(d), all_{std::move(d)} {}

ParseError::ParseError(std::vector<Diagnostic> diagnostics)
    : Error(diagnostics.empty() ? Diagnostic{"kfpp.parse", "", "no findings", ""}
                                : diagnostics.front(),
            join_all(diagnostics)),
      all_(std::move(diagnostics)) {}

}  // namespace kfpp
