// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kfpp/ir/pipeline.hpp"

// Large pipelines repeat themselves: a component added in a loop gives every task its own
// `comp-…` and `exec-…`, each with the same interface and container. An emitter writes the first
// of them and copies its text for the others; these say when two are the same.
namespace kfpp::detail {

/// Whether `a` and `b` are written as the same text: every field equal, numbers by their bits
/// (so `-0.0` is not `0.0`) and by kind (an integer is not a double).
[[nodiscard]] bool same_text(const ir::Value& a, const ir::Value& b) noexcept;
[[nodiscard]] bool same_text(const ir::Interface& a, const ir::Interface& b) noexcept;
[[nodiscard]] bool same_text(const ir::ContainerSpec& a, const ir::ContainerSpec& b) noexcept;

/// A hash consistent with `same_text`: equal for elements written the same.
[[nodiscard]] std::size_t text_hash(const ir::Interface& x) noexcept;
[[nodiscard]] std::size_t text_hash(const ir::ContainerSpec& x) noexcept;

/// Where the text written for an element lies in an output, by the element it was written for.
/// Example: `if (auto* s = memo.find(c, h)) w.repeat_entries(s->first, s->second);`
template <class T>
class TextMemo {
 public:
  /// A range of the output: [first, second).
  using Span = std::pair<std::size_t, std::size_t>;

  /// The span written for an element `same_text` as `x` (whose hash is `hash`), or null.
  [[nodiscard]] const Span* find(const T& x, std::size_t hash) const {
    auto it = spans_.find(hash);
    if (it == spans_.end()) return nullptr;
    for (const auto& [seen, span] : it->second)
      if (same_text(*seen, x)) return &span;
    return nullptr;
  }
  /// Records that `span` was written for `x`; `x` must outlive the memo.
  void add(const T& x, std::size_t hash, Span span) { spans_[hash].emplace_back(&x, span); }

 private:
  std::unordered_map<std::size_t, std::vector<std::pair<const T*, Span>>> spans_;
};

}  // namespace kfpp::detail
