// SPDX-License-Identifier: Apache-2.0
// detail::NameIndex, the flat name-to-value map validation looks components, executors and tasks
// up in: every name added is found with its value, a second add of a name is refused and leaves
// the first value, names never added are not found, and all of it holds across the array's
// growth (no reserve) and after clear.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "ir/name_index.hpp"

using kfpp::detail::NameIndex;

namespace {

std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  // Names that share long prefixes, as a pipeline's do, and the empty name.
  out.emplace_back();
  for (std::size_t i = 1; i < n; ++i) out.push_back("comp-work-" + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("Name index: every name is found with its value across growth") {
  const auto all = names(3000);
  NameIndex<std::size_t> index;
  for (std::size_t i = 0; i < all.size(); ++i) {
    REQUIRE(index.emplace(all[i], i));
    REQUIRE(index.size() == i + 1);
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::size_t* v = index.find(all[i]);
    REQUIRE(v != nullptr);
    CHECK(*v == i);
  }
  CHECK_FALSE(index.contains("comp-work-3000"));
  CHECK_FALSE(index.contains("comp-work-"));
  CHECK_FALSE(index.contains("comp-work-01"));
}

TEST_CASE("Name index: a name added twice keeps its first value") {
  const auto all = names(100);
  NameIndex<std::size_t> index;
  index.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) REQUIRE(index.emplace(all[i], i));
  for (std::size_t i = 0; i < all.size(); ++i) CHECK_FALSE(index.emplace(all[i], i + 1000));
  CHECK(index.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(*index.find(all[i]) == i);
}

TEST_CASE("Name index: empty, then cleared") {
  NameIndex<int> index;
  CHECK(index.empty());
  CHECK(index.find("") == nullptr);
  CHECK(index.find("a") == nullptr);
  REQUIRE(index.emplace("a", 1));
  REQUIRE(index.emplace("b", 2));
  index.clear();
  CHECK(index.empty());
  CHECK_FALSE(index.contains("a"));
  REQUIRE(index.emplace("b", 3));
  CHECK(*index.find("b") == 3);
}
