// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kfpp::detail {

/// The first eight bytes of `s` from `from` on, as a number that orders as the bytes do (the
/// first byte most significant; missing bytes count as zero).
[[nodiscard]] inline std::uint64_t name_head(std::string_view s, std::size_t from) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = from + i;
    h = (h << 8) | (at < s.size() ? static_cast<unsigned char>(s[at]) : 0u);
  }
  return h;
}

/// Pointers to `items` in the byte order of their names (`name(item)`, a string view), as
/// `std::string`'s `<` orders them; items of equal names keep their order. The names are compared
/// by the eight bytes after the prefix all of them share, as one number, and only on a tie
/// byte by byte: a pipeline's thousands of `comp-…` names differ in those bytes.
/// Example: `auto order = detail::in_name_order(p.executors, [](const auto& e) -> std::string_view { return e.label; });`
template <class T, class NameOf>
[[nodiscard]] std::vector<const T*> in_name_order(const std::vector<T>& items, NameOf name) {
  std::vector<const T*> out;
  out.reserve(items.size());
  if (items.size() < 2) {
    for (const auto& x : items) out.push_back(&x);
    return out;
  }
  std::string_view first = name(items.front());
  std::size_t shared = first.size();
  for (const auto& x : items) {
    const std::string_view n = name(x);
    std::size_t i = 0;
    const std::size_t end = std::min(shared, n.size());
    while (i < end && n[i] == first[i]) ++i;
    shared = i;
  }
  struct Entry {
    std::uint64_t head;
    std::string_view name;
    std::size_t index;
  };
  std::vector<Entry> entries;
  entries.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view n = name(items[i]);
    entries.push_back({name_head(n, shared), n, i});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.head != b.head) return a.head < b.head;
    if (const int c = a.name.compare(b.name); c != 0) return c < 0;
    return a.index < b.index;
  });
  for (const auto& e : entries) out.push_back(&items[e.index]);
  return out;
}

}  // namespace kfpp::detail
