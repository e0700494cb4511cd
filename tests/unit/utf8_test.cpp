// SPDX-License-Identifier: Apache-2.0
// The UTF-8 check of the bounds walk against a plain reading of the Unicode standard's table of
// well-formed byte sequences (Table 3-7), on every sequence of up to three bytes, on four-byte
// sequences built from every boundary byte, and at every offset around the word-at-a-time
// ASCII test.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ir/validate_bounds.hpp"

namespace {

// The length of the well-formed sequence at `s[i]`, or 0: Table 3-7, row by row.
std::size_t table_sequence(const std::string& s, std::size_t i) {
  auto at = [&](std::size_t k) -> int {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : -1;
  };
  auto in = [](int b, int lo, int hi) { return b >= lo && b <= hi; };
  const int b0 = at(0);
  if (in(b0, 0x00, 0x7F)) return 1;
  if (in(b0, 0xC2, 0xDF)) return in(at(1), 0x80, 0xBF) ? 2 : 0;
  int lo = 0x80;
  int hi = 0xBF;
  std::size_t len = 0;
  if (b0 == 0xE0) {
    lo = 0xA0, len = 3;
  } else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) {
    len = 3;
  } else if (b0 == 0xED) {
    hi = 0x9F, len = 3;
  } else if (b0 == 0xF0) {
    lo = 0x90, len = 4;
  } else if (in(b0, 0xF1, 0xF3)) {
    len = 4;
  } else if (b0 == 0xF4) {
    hi = 0x8F, len = 4;
  } else {
    return 0;
  }
  if (!in(at(1), lo, hi)) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (!in(at(k), 0x80, 0xBF)) return 0;
  return len;
}

bool table_valid(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = table_sequence(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (const int b : list) s += static_cast<char>(b);
  return s;
}

}  // namespace

TEST_CASE("UTF-8: every sequence of one, two and three bytes is judged as the table judges it") {
  using kfpp::detail::is_valid_utf8;
  std::size_t wrong = 0;
  std::size_t valid = 0;
  std::string s;
  for (int a = 0; a < 256; ++a) {
    s = bytes({a});
    if (is_valid_utf8(s) != table_valid(s)) ++wrong;
    for (int b = 0; b < 256; ++b) {
      s = bytes({a, b});
      if (is_valid_utf8(s) != table_valid(s)) ++wrong;
      for (int c = 0; c < 256; ++c) {
        s = bytes({a, b, c});
        const bool expected = table_valid(s);
        valid += expected ? 1 : 0;
        if (is_valid_utf8(s) != expected) ++wrong;
      }
    }
  }
  CHECK(wrong == 0);
  // Three bytes: 128^3 of ASCII alone, 30*64*128*2 with one two-byte sequence, 16*64*64 minus
  // the overlong (E0 80..9F) and surrogate (ED A0..BF) rows of three-byte sequences.
  CHECK(valid == 128u * 128 * 128 + 2u * 30 * 64 * 128 + 16u * 64 * 64 - 2u * 32 * 64);
}

TEST_CASE("UTF-8: four-byte sequences from every lead byte and every boundary byte after it") {
  using kfpp::detail::is_valid_utf8;
  const std::vector<int> tails{0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F,
                               0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xF4, 0xFF};
  std::size_t wrong = 0;
  for (int a = 0; a < 256; ++a)
    for (const int b : tails)
      for (const int c : tails)
        for (const int d : tails) {
          const std::string s = bytes({a, b, c, d});
          if (is_valid_utf8(s) != table_valid(s)) ++wrong;
        }
  CHECK(wrong == 0);
  CHECK(is_valid_utf8(bytes({0xF4, 0x8F, 0xBF, 0xBF})));        // U+10FFFF
  CHECK_FALSE(is_valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80})));  // past U+10FFFF
  CHECK_FALSE(is_valid_utf8(bytes({0xF0, 0x8F, 0xBF, 0xBF})));  // overlong
}

TEST_CASE("UTF-8: one byte of 0x80 or more is found at every place in ASCII text of any length") {
  // The ASCII test reads words of eight and four bytes, the last overlapping the one before:
  // every length up to five words and every position in it, with a lone continuation byte (never
  // valid) and with a valid two-byte sequence.
  using kfpp::detail::is_valid_utf8;
  for (std::size_t n = 1; n <= 40; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      INFO("length " << n << ", byte at " << at);
      std::string s(n, 'a');
      s[at] = '\x80';
      CHECK_FALSE(is_valid_utf8(s));
      s[at] = '\xFF';
      CHECK_FALSE(is_valid_utf8(s));
      if (at + 1 < n) {
        s[at] = '\xC3';  // é
        s[at + 1] = '\xA9';
        CHECK(is_valid_utf8(s));
        s[at + 1] = 'a';
        CHECK_FALSE(is_valid_utf8(s));  // cut short
      }
    }
    CHECK(is_valid_utf8(std::string(n, 'a')));
    CHECK(is_valid_utf8(std::string(n, '\x7F')));
  }
  CHECK(is_valid_utf8(""));
}
