// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kfpp::ir {

/// A JSON-like value: the constants, defaults and metadata of a pipeline.
/// Example: `Value v = Value::object({{"lines", 100}, {"source", "shakespeare"}});`
class Value {
 public:
  using Array = std::vector<Value>;
  using Object = std::map<std::string, Value>;  // sorted: emitters write keys in order

  Value() = default;  ///< null
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(std::int64_t{i}) {}
  Value(long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(long long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(unsigned i) : v_(std::int64_t{i}) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  /// A list: `Value::array({1, 2, 3})`.
  static Value array(std::initializer_list<Value> items) { return Value(Array(items)); }
  /// A map: `Value::object({{"k", 1}})`.
  static Value object(std::initializer_list<std::pair<const std::string, Value>> items) {
    return Value(Object(items));
  }

  [[nodiscard]] bool is_null() const noexcept { return v_.index() == 0; }
  [[nodiscard]] bool is_bool() const noexcept { return std::holds_alternative<bool>(v_); }
  [[nodiscard]] bool is_int() const noexcept { return std::holds_alternative<std::int64_t>(v_); }
  [[nodiscard]] bool is_double() const noexcept { return std::holds_alternative<double>(v_); }
  [[nodiscard]] bool is_number() const noexcept { return is_int() || is_double(); }
  [[nodiscard]] bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
  [[nodiscard]] bool is_array() const noexcept { return std::holds_alternative<Array>(v_); }
  [[nodiscard]] bool is_object() const noexcept { return std::holds_alternative<Object>(v_); }

  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  /// The number as a double, whether it is stored as an integer or not.
  [[nodiscard]] double as_double() const {
    return is_int() ? static_cast<double>(as_int()) : std::get<double>(v_);
  }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] const Array& as_array() const { return std::get<Array>(v_); }
  [[nodiscard]] const Object& as_object() const { return std::get<Object>(v_); }
  [[nodiscard]] Array& as_array() { return std::get<Array>(v_); }
  [[nodiscard]] Object& as_object() { return std::get<Object>(v_); }

  /// Structural equality; an integer equals the double of the same value.
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

}  // namespace kfpp::ir
