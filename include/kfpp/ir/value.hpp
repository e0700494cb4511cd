// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kfpp::ir {

/// A JSON-like value: the constants, defaults and metadata of a pipeline.
/// Example: `Value v = Value::object({{"lines", 100}, {"source", "shakespeare"}});`
class Value {
 public:
  /// A list of values. Example: `Value::Array{1, "two"}`
  using Array = std::vector<Value>;
  /// A map of values, sorted by key (emitters write keys in order). Example: `Value::Object{{"k", 1}}`
  using Object = std::map<std::string, Value>;

  Value() noexcept;  ///< null
  /// A value holding what it is given: null, a boolean, an integer, a double, a string, a list or
  /// a map. Example: `Value n = 3; Value s = "text"; Value none = nullptr;`
  ///@{
  Value(std::nullptr_t) noexcept;
  Value(bool b) noexcept;
  Value(int i) noexcept;
  Value(long i) noexcept;
  Value(long long i) noexcept;
  Value(unsigned i) noexcept;
  Value(double d) noexcept;
  Value(const char* s);
  Value(std::string s) noexcept;
  Value(Array a) noexcept;
  Value(Object o) noexcept;
  ///@}
  /// Copies and moves are deep and cheap respectively. Example: `Value copy = v;`
  ///@{
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ///@}
  ~Value();  ///< Frees what the value holds.

  /// A list: `Value::array({1, 2, 3})`.
  static Value array(std::initializer_list<Value> items);
  /// A map: `Value::object({{"k", 1}})`.
  static Value object(std::initializer_list<std::pair<const std::string, Value>> items);

  /// What the value holds (`is_number`: an integer or a double).
  /// Example: `if (v.is_string()) std::cout << v.as_string();`
  ///@{
  [[nodiscard]] bool is_null() const noexcept;
  [[nodiscard]] bool is_bool() const noexcept;
  [[nodiscard]] bool is_int() const noexcept;
  [[nodiscard]] bool is_double() const noexcept;
  [[nodiscard]] bool is_number() const noexcept { return is_int() || is_double(); }
  [[nodiscard]] bool is_string() const noexcept;
  [[nodiscard]] bool is_array() const noexcept;
  [[nodiscard]] bool is_object() const noexcept;
  ///@}

  /// The value as that type; throws `std::bad_variant_access` when it is another.
  /// Example: `for (const auto& [key, item] : v.as_object()) use(key, item.as_int());`
  ///@{
  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] std::int64_t as_int() const;
  [[nodiscard]] const std::string& as_string() const;
  [[nodiscard]] const Array& as_array() const;
  [[nodiscard]] const Object& as_object() const;
  [[nodiscard]] Array& as_array();
  [[nodiscard]] Object& as_object();
  ///@}
  /// The keys of an object in the order they were given to `Value::object` (as Python keeps a
  /// dict's), then any others in sorted order; empty for anything but an object.
  /// Example: `Value::object({{"b", 1}, {"a", 2}}).key_order()` is `{"b", "a"}`
  [[nodiscard]] std::vector<std::string> key_order() const;
  /// The number as a double, whether it is stored as an integer or not.
  /// Example: `double x = Value(3).as_double();`
  [[nodiscard]] double as_double() const;

  /// Structural equality; an integer equals the double of the same value.
  /// Example: `Value(1) == Value(1.0)`
  friend bool operator==(const Value& a, const Value& b);

 private:
  struct Data;
  // The storage lives in value.cpp, so that including this header stays cheap.
  alignas(std::max_align_t) unsigned char storage_[64];
  [[nodiscard]] Data& data() noexcept;
  [[nodiscard]] const Data& data() const noexcept;
};

/// A double as Python's `repr` writes it (`0.85`, `10.0`, `1e-05`, `1.5e+16`): the form KFP uses in
/// conditions and in literal loop items.
/// Example: `kfpp::ir::python_float_text(0.5) == "0.5"`
[[nodiscard]] std::string python_float_text(double d);

/// `v` as JSON text the way Python's `json.dumps(v, sort_keys=True)` writes it.
/// Example: `kfpp::ir::python_json_text(Value::array({"a", 1})) == R"(["a", 1])"`
[[nodiscard]] std::string python_json_text(const Value& v);

}  // namespace kfpp::ir
