// SPDX-License-Identifier: Apache-2.0
#include "json_parse.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "json_text.hpp"

namespace kfpp::detail {

namespace {

constexpr int kMaxDepth = 512;

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  std::optional<ir::Value> document(std::string* error) {
    skip_space();
    std::optional<ir::Value> v = value(0);
    if (v) {
      skip_space();
      if (i_ != s_.size()) {
        v.reset();
        fail("text after the value");
      }
    }
    if (!v && error) *error = "at offset " + std::to_string(i_) + ": " + why_;
    return v;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  std::string why_;

  void fail(const char* why) {
    if (why_.empty()) why_ = why;
  }
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  std::optional<ir::Value> value(int depth) {
    if (depth > kMaxDepth) {
      fail("nested too deeply");
      return std::nullopt;
    }
    if (i_ >= s_.size()) {
      fail("the text ends where a value should be");
      return std::nullopt;
    }
    char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      std::optional<std::string> str = string();
      if (!str) return std::nullopt;
      return ir::Value(std::move(*str));
    }
    if (literal("true")) return ir::Value(true);
    if (literal("false")) return ir::Value(false);
    if (literal("null")) return ir::Value();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    fail("not a JSON value");
    return std::nullopt;
  }

  std::optional<ir::Value> number() {
    std::size_t start = i_;
    bool is_double = false;
    if (s_[i_] == '-') ++i_;
    auto digits = [&] {
      std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - from;
    };
    std::size_t int_start = i_;
    if (digits() == 0 || (s_[int_start] == '0' && i_ - int_start > 1)) {
      fail("a malformed number");
      return std::nullopt;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      is_double = true;
      if (digits() == 0) {
        fail("a malformed number");
        return std::nullopt;
      }
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      is_double = true;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) {
        fail("a malformed number");
        return std::nullopt;
      }
    }
    std::string text(s_.substr(start, i_ - start));
    if (!is_double) {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) return ir::Value(n);
    }
    return ir::Value(std::strtod(text.c_str(), nullptr));
  }

  bool hex4(std::uint32_t& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      out <<= 4;
      if (h >= '0' && h <= '9')
        out |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        out |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        out |= static_cast<std::uint32_t>(h - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  std::optional<std::string> string() {
    ++i_;  // the opening quote
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("a control character inside a string");
        return std::nullopt;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) {
            fail("a malformed \\u escape");
            return std::nullopt;
          }
          if (cp >= 0xd800 && cp < 0xdc00 && s_.substr(i_, 2) == "\\u") {
            i_ += 2;
            std::uint32_t low = 0;
            if (!hex4(low) || low < 0xdc00 || low >= 0xe000) {
              fail("a malformed surrogate pair");
              return std::nullopt;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          fail("an unknown escape in a string");
          return std::nullopt;
      }
    }
    fail("a string that does not end");
    return std::nullopt;
  }

  std::optional<ir::Value> array(int depth) {
    ++i_;
    ir::Value::Array items;
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return ir::Value(std::move(items));
    }
    while (true) {
      skip_space();
      std::optional<ir::Value> v = value(depth + 1);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return ir::Value(std::move(items));
      }
      fail("a list item not followed by ',' or ']'");
      return std::nullopt;
    }
  }

  std::optional<ir::Value> object(int depth) {
    ++i_;
    ir::Value::Object fields;
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return ir::Value(std::move(fields));
    }
    while (true) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"') {
        fail("an object key that is not a string");
        return std::nullopt;
      }
      std::optional<std::string> key = string();
      if (!key) return std::nullopt;
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') {
        fail("an object key not followed by ':'");
        return std::nullopt;
      }
      ++i_;
      skip_space();
      std::optional<ir::Value> v = value(depth + 1);
      if (!v) return std::nullopt;
      fields.insert_or_assign(std::move(*key), std::move(*v));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return ir::Value(std::move(fields));
      }
      fail("an object field not followed by ',' or '}'");
      return std::nullopt;
    }
  }
};

void append_go_number(std::string& out, const ir::Value& v) {
  out += v.is_int() ? std::to_string(v.as_int()) : go_float_text(v.as_double());
}

constexpr ValueTextStyle kBackendJson{
    ",", ":", "null", "true", "false", append_go_number, append_json_string, false};

}  // namespace

std::optional<ir::Value> parse_json(std::string_view text, std::string* error) {
  return JsonParser(text).document(error);
}

std::string go_float_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc()) return std::to_string(d);
  return std::string(buf, end);
}

std::string backend_json(const ir::Value& v) {
  std::string out;
  append_value_text(out, v, kBackendJson);
  return out;
}

std::string backend_text(const ir::Value& v) {
  if (v.is_string()) return v.as_string();
  return backend_json(v);
}

}  // namespace kfpp::detail
