// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/types.hpp"

namespace kfpp {

/// A typed condition over channels and literals, built with `==`, `!=`, `<`, `<=`, `>`, `>=`.
/// Kept as plain data; the KFP emitter turns it into the CEL the backend evaluates.
/// Example: `kfpp::Predicate deploy = eval.output<"accuracy">() >= threshold;`
class Predicate {
 public:
  /// Made by the comparison operators on channels; use those.
  explicit Predicate(detail::Comparison c) { terms_.push_back(std::move(c)); }
  /// The comparisons, all of which must hold.
  [[nodiscard]] const std::vector<detail::Comparison>& terms() const noexcept { return terms_; }

 private:
  std::vector<detail::Comparison> terms_;
};

namespace detail {

template <class T>
struct comparable_kind {
  // 0: not comparable, 1: string, 2: number, 3: bool
  static constexpr int value =
      std::is_same_v<T, std::string> || std::is_convertible_v<const T&, std::string_view> ? 1
      : std::is_same_v<T, bool>                                                           ? 3
      : std::is_arithmetic_v<T> && !std::is_same_v<T, char>                               ? 2
                                                                                          : 0;
};

template <class A, class B>
struct cannot_compare_values_of_types {
  static_assert(dependent_false<A>,
                "kfpp: these two values cannot be compared: compare strings with strings, "
                "numbers with numbers and booleans with booleans");
  static constexpr bool value = false;
};
template <class A, class B>
struct booleans_are_only_compared_for_equality {
  static_assert(dependent_false<A>, "kfpp: booleans take == and != only");
  static constexpr bool value = false;
};

template <class V>
struct value_type_of {
  using type = std::remove_cvref_t<V>;
};
template <class T>
struct value_type_of<Channel<T>> {
  using type = T;
};

template <class V>
Operand make_operand(const V& v) {
  Operand o;
  if constexpr (is_channel<V>::value) {
    o.is_channel = true;
    o.source = v.source();
    o.type = parameter_type_of<typename V::value_type>();
  } else if constexpr (comparable_kind<V>::value == 1) {
    o.type = ir::ParameterType::string;
    o.literal = ir::Value(std::string(std::string_view(v)));
  } else if constexpr (std::is_same_v<V, bool>) {
    o.type = ir::ParameterType::boolean;
    o.literal = ir::Value(v);
  } else if constexpr (std::is_integral_v<V>) {
    o.type = ir::ParameterType::number_integer;
    o.literal = ir::Value(static_cast<long long>(v));
  } else {
    o.type = ir::ParameterType::number_double;
    o.literal = ir::Value(static_cast<double>(v));
  }
  return o;
}

template <class L, class R>
Predicate compare(const char* op, const L& l, const R& r) {
  using A = typename value_type_of<L>::type;
  using B = typename value_type_of<R>::type;
  constexpr int ka = comparable_kind<A>::value;
  constexpr int kb = comparable_kind<B>::value;
  if constexpr (ka == 0 || ka != kb) {
    static_assert(cannot_compare_values_of_types<A, B>::value);
  }
  return Predicate(Comparison{op, make_operand(l), make_operand(r), false});
}

template <class L, class R>
inline constexpr bool one_channel = is_channel<L>::value || is_channel<R>::value;

}  // namespace detail

/// `a == b`: a channel against a channel or a literal of a comparable type.
/// Example: `kfpp::Condition(p, flip.output() == "heads", [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator==(const L& l, const R& r) {
  return detail::compare("==", l, r);
}
/// `a != b`. Example: `kfpp::Condition(p, status.output() != "failed", [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator!=(const L& l, const R& r) {
  return detail::compare("!=", l, r);
}

namespace detail {
template <class L, class R>
Predicate ordered(const char* op, const L& l, const R& r) {
  using A = typename value_type_of<L>::type;
  using B = typename value_type_of<R>::type;
  if constexpr (comparable_kind<A>::value == 3 || comparable_kind<B>::value == 3) {
    static_assert(booleans_are_only_compared_for_equality<A, B>::value);
  }
  return compare(op, l, r);
}
}  // namespace detail

/// `a < b`. Example: `kfpp::Condition(p, loss.output() < 0.1, [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator<(const L& l, const R& r) {
  return detail::ordered("<", l, r);
}
/// `a <= b`. Example: `kfpp::Condition(p, n.output() <= limit, [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator<=(const L& l, const R& r) {
  return detail::ordered("<=", l, r);
}
/// `a > b`. Example: `kfpp::Condition(p, n.output() > 5, [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator>(const L& l, const R& r) {
  return detail::ordered(">", l, r);
}
/// `a >= b`. Example: `kfpp::Condition(p, acc.output() >= 0.9, [&] { ... });`
template <class L, class R, class = std::enable_if_t<detail::one_channel<L, R>>>
Predicate operator>=(const L& l, const R& r) {
  return detail::ordered(">=", l, r);
}

}  // namespace kfpp
