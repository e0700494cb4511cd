// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/value.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "ir/json_text.hpp"

namespace kfpp::ir {

struct Value::Data {
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v;
  // For an object made by Value::object: its keys in the order given (a map sorts them, but
  // Python prints a dict in insertion order, which the SDK's header comment shows).
  std::unique_ptr<std::vector<std::string>> order{};

  Data() = default;
  template <class T>
  requires(!std::is_same_v<std::decay_t<T>, Data>) explicit Data(T&& x) : v(std::forward<T>(x)) {}
  Data(const Data& o)
      : v(o.v), order(o.order ? std::make_unique<std::vector<std::string>>(*o.order) : nullptr) {}
  Data(Data&&) noexcept = default;
  Data& operator=(const Data& o) {
    if (this != &o) {
      v = o.v;
      order = o.order ? std::make_unique<std::vector<std::string>>(*o.order) : nullptr;
    }
    return *this;
  }
  Data& operator=(Data&&) noexcept = default;
  ~Data() = default;
};

Value::Data& Value::data() noexcept {
  static_assert(sizeof(Data) <= sizeof(storage_), "Value's storage is too small");
  static_assert(alignof(Data) <= alignof(std::max_align_t), "Value's storage is misaligned");
  return *std::launder(reinterpret_cast<Data*>(storage_));
}
const Value::Data& Value::data() const noexcept {
  return *std::launder(reinterpret_cast<const Data*>(storage_));
}

Value::Value() noexcept { new (storage_) Data(); }
Value::Value(std::nullptr_t) noexcept : Value() {}
Value::Value(bool b) noexcept { new (storage_) Data(b); }
Value::Value(int i) noexcept { new (storage_) Data(std::int64_t{i}); }
Value::Value(long i) noexcept { new (storage_) Data(static_cast<std::int64_t>(i)); }
Value::Value(long long i) noexcept { new (storage_) Data(static_cast<std::int64_t>(i)); }
Value::Value(unsigned i) noexcept { new (storage_) Data(std::int64_t{i}); }
Value::Value(double d) noexcept { new (storage_) Data(d); }
Value::Value(const char* s) { new (storage_) Data(std::string(s)); }
Value::Value(std::string s) noexcept { new (storage_) Data(std::move(s)); }
Value::Value(Array a) noexcept { new (storage_) Data(std::move(a)); }
Value::Value(Object o) noexcept { new (storage_) Data(std::move(o)); }
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
  Value v{Object(items)};
  auto order = std::make_unique<std::vector<std::string>>();
  order->reserve(items.size());
  for (const auto& [k, x] : items) order->push_back(k);
  v.data().order = std::move(order);
  return v;
}

std::vector<std::string> Value::key_order() const {
  std::vector<std::string> out;
  if (!is_object()) return out;
  const Object& o = as_object();
  out.reserve(o.size());
  std::set<std::string_view> seen;
  if (const auto& order = data().order)
    for (const auto& k : *order)
      if (o.count(k) && seen.insert(k).second) out.push_back(k);
  for (const auto& [k, x] : o)
    if (!seen.count(k)) out.push_back(k);
  return out;
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

std::string python_float_text(double d) {
  if (d != d) return "NaN";
  if (d == std::numeric_limits<double>::infinity()) return "Infinity";
  if (d == -std::numeric_limits<double>::infinity()) return "-Infinity";
  std::array<char, 64> buf{};
  auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  (void)ec;
  std::string sci(buf.data(), end);
  const auto e = sci.find('e');
  const int exp = std::stoi(sci.substr(e + 1));
  std::string mantissa = sci.substr(0, e);
  const bool negative = mantissa[0] == '-';
  std::string digits;
  for (char c : mantissa)
    if (c >= '0' && c <= '9') digits += c;
  std::string out;
  if (exp >= -4 && exp < 16) {
    // Fixed notation, with at least one digit after the point.
    if (exp >= 0) {
      auto whole = static_cast<std::size_t>(exp) + 1;
      if (digits.size() < whole) digits.append(whole - digits.size(), '0');
      out = digits.substr(0, whole) + "." + (digits.size() > whole ? digits.substr(whole) : "0");
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int a = exp < 0 ? -exp : exp;
    out += std::string("e") + (exp < 0 ? '-' : '+') + (a < 10 ? "0" : "") + std::to_string(a);
  }
  return negative ? "-" + out : out;
}

namespace {
void append_python_number(std::string& out, const Value& v) {
  out += v.is_int() ? std::to_string(v.as_int()) : python_float_text(v.as_double());
}
constexpr detail::ValueTextStyle kPythonJson{
    ", ", ": ", "null", "true", "false", append_python_number, detail::append_json_string, false};
}  // namespace

std::string python_json_text(const Value& v) {
  std::string out;
  detail::append_value_text(out, v, kPythonJson);
  return out;
}

}  // namespace kfpp::ir
