// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/value.hpp"

#include <new>
#include <variant>

namespace kfpp::ir {

struct Value::Data {
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v;
};

Value::Data& Value::data() noexcept {
  static_assert(sizeof(Data) <= sizeof(storage_), "Value's storage is too small");
  static_assert(alignof(Data) <= alignof(std::max_align_t), "Value's storage is misaligned");
  return *std::launder(reinterpret_cast<Data*>(storage_)); }
const Value::Data& Value::data() const noexcept {
  return *std::launder(reinterpret_cast<const Data*>(storage_));
}

Value::Value() noexcept { new (storage_) Data{}; }
Value::Value(std::nullptr_t) noexcept : Value() {}
Value::Value(bool b) noexcept { new (storage_) Data{b}; }
Value::Value(int i) noexcept { new (storage_) Data{std::int64_t{i}}; }
Value::Value(long i) noexcept { new (storage_) Data{static_cast<std::int64_t>(i)}; }
Value::Value(long long i) noexcept { new (storage_) Data{static_cast<std::int64_t>(i)}; }
Value::Value(unsigned i) noexcept { new (storage_) Data{std::int64_t{i}}; }
Value::Value(double d) noexcept { new (storage_) Data{d}; }
Value::Value(const char* s) { new (storage_) Data{std::string(s)}; }
Value::Value(std::string s) noexcept { new (storage_) Data{std::move(s)}; }
Value::Value(Array a) noexcept { new (storage_) Data{std::move(a)}; }
Value::Value(Object o) noexcept { new (storage_) Data{std::move(o)}; }
Value::Value(const Value& other) { new (storage_) Data(other.data()); }
Value::Value(Value&& other) noexcept { new (storage_) Data(std::move(other.data())); }
Value& Value::operator=(const Value& other) {
  if (this != &other) data() = other.data();
  return *this;
}
Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) data() = std::move(other.data());
  return *this;
}
Value::~Value() { data().~Data(); }

Value Value::array(std::initializer_list<Value> items) { return Value(Array(items)); }
Value Value::object(std::initializer_list<std::pair<const std::string, Value>> items) {
  return Value(Object(items));
}

bool Value::is_null() const noexcept { return data().v.index() == 0; }
bool Value::is_bool() const noexcept { return std::holds_alternative<bool>(data().v); }
bool Value::is_int() const noexcept { return std::holds_alternative<std::int64_t>(data().v); }
bool Value::is_double() const noexcept { return std::holds_alternative<double>(data().v); }
bool Value::is_string() const noexcept { return std::holds_alternative<std::string>(data().v); }
bool Value::is_array() const noexcept { return std::holds_alternative<Array>(data().v); }
bool Value::is_object() const noexcept { return std::holds_alternative<Object>(data().v); }

bool Value::as_bool() const { return std::get<bool>(data().v); }
std::int64_t Value::as_int() const { return std::get<std::int64_t>(data().v); }
double Value::as_double() const {
  return is_int() ? static_cast<double>(as_int()) : std::get<double>(data().v);
}
const std::string& Value::as_string() const { return std::get<std::string>(data().v); }
const Value::Array& Value::as_array() const { return std::get<Array>(data().v); }
const Value::Object& Value::as_object() const { return std::get<Object>(data().v); }
Value::Array& Value::as_array() { return std::get<Array>(data().v); }
Value::Object& Value::as_object() { return std::get<Object>(data().v); }

bool operator==(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  return a.data().v == b.data().v;
}


}  // namespace kfpp::ir
