// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace kfpp::detail {

/// A map from names to small values (pointers, indexes) in one flat array: open addressing with
/// linear probing, each slot holding the name's hash, the name and the value. The names are views:
/// what they point into must outlive the index. A lookup of a pipeline's component or task by
/// name touches one or two neighbouring slots and the name's own bytes, where a node-based map
/// follows a bucket, a node and the key through three unrelated cache lines.
template <class V>
class NameIndex {
 public:
  /// Room for `n` names without growing.
  void reserve(std::size_t n) {
    std::size_t want = 16;
    while (want < n + n / 2 + 1) want *= 2;
    if (want > slots_.size()) rehash(want);
  }

  /// Adds `name` with `value`; false (and the index unchanged) when `name` is there already.
  bool emplace(std::string_view name, V value) {
    if ((size_ + 1) * 3 > slots_.size() * 2) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::uint64_t h = hash(name);
    Slot* s = probe(name, h);
    if (s->hash != 0) return false;
    *s = Slot{h, name, value};
    ++size_;
    return true;
  }

  /// The value of `name`, or null when it is not in the index.
  [[nodiscard]] const V* find(std::string_view name) const {
    if (size_ == 0) return nullptr;
    const Slot* s = const_cast<NameIndex*>(this)->probe(name, hash(name));
    return s->hash == 0 ? nullptr : &s->value;
  }

  /// The value of `name`, to change in place, or null. Valid until the next emplace.
  [[nodiscard]] V* find(std::string_view name) {
    return const_cast<V*>(static_cast<const NameIndex*>(this)->find(name));
  }

  [[nodiscard]] bool contains(std::string_view name) const { return find(name) != nullptr; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// Forgets every name, keeping the array.
  void clear() {
    if (size_ == 0) return;
    for (auto& s : slots_) s.hash = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty; a name's hash has its lowest bit set
    std::string_view name;
    V value{};
  };

  static std::uint64_t hash(std::string_view name) noexcept {
    return static_cast<std::uint64_t>(std::hash<std::string_view>{}(name)) | 1U;
  }

  // The slot holding `name`, or the empty slot where it would go.
  Slot* probe(std::string_view name, std::uint64_t h) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.hash == 0 || (s.hash == h && s.name == name)) return &s;
    }
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.hash != 0) *probe(s.name, s.hash) = s;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace kfpp::detail
