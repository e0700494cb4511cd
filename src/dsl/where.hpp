// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kfpp::detail {

/// The path a definition error names (`pipeline/task/resources/cpuLimit`), kept as its pieces
/// and joined only when an error is thrown: the checks that take one nearly always pass. The
/// pieces are views, so a Where lives no longer than the call it is made for (a parameter, or
/// a local of the function that checks).
/// Example: `check_cpu(q, Where(st.name, "/", task, "/resources/cpuLimit"));`
class Where {
 public:
  /// A path already spelled out.
  Where(const std::string& path) : parts_{path}, n_(1) {}  // NOLINT: a path passes as itself
  /// A path spelled out, given as text.
  Where(const char* path) : parts_{path}, n_(1) {}  // NOLINT: as above
  /// The pieces, joined as they are (give the separators).
  Where(std::string_view a, std::string_view b, std::string_view c = {}, std::string_view d = {},
        std::string_view e = {}, std::string_view f = {})
      : parts_{a, b, c, d, e, f}, n_(6) {}

  /// This path and one more level: `where / "type"` is `…/type`.
  [[nodiscard]] Where operator/(std::string_view part) const {
    Where w = *this;
    if (w.n_ + 2 > w.parts_.size()) throw std::logic_error("Where: too many pieces");
    w.parts_[w.n_++] = "/";
    w.parts_[w.n_++] = part;
    return w;
  }

  /// The path, joined.
  [[nodiscard]] std::string str() const {
    std::string s;
    for (std::size_t i = 0; i < n_; ++i) s += parts_[i];
    return s;
  }
  operator std::string() const { return str(); }  // NOLINT: where an error wants its path

 private:
  std::array<std::string_view, 10> parts_{};
  std::size_t n_ = 0;
};

}  // namespace kfpp::detail
