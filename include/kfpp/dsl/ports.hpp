// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <initializer_list>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/types.hpp"

namespace kfpp {

class Template;

/// A typed, named port. `T` is a parameter type or an artifact type; `std::optional<T>` makes the
/// input optional (it may then be left unbound, or given a default).
/// Example: `kfpp::Port<"x", double>`, `kfpp::Port<"model", kfpp::Model>`
template <detail::FixedString Name, class T>
struct Port {
  /// The port's type, `std::optional` removed. Example: `kfpp::Port<"x", double>::type` is double
  using type = typename detail::strip_optional<T>::type;
  /// Whether the input may be left unbound (a final-status port is filled in by the exit
  /// handler, never by the caller). Example: `kfpp::Port<"seed", std::optional<int>>::optional`
  static constexpr bool optional =
      detail::strip_optional<T>::optional || std::is_same_v<type, PipelineTaskFinalStatus>;
  /// The port's name. Example: `kfpp::Port<"x", double>::name == "x"`
  static constexpr std::string_view name = Name.view();
  /// The name as a template argument, for `kfpp::in<...>` and `output<...>()`.
  static constexpr auto fixed_name = Name;
  static_assert(is_artifact_v<type> || is_parameter_type<type>(),
                "kfpp: a port type must be a parameter type (std::string, bool, an integer, "
                "double, std::vector, std::map<std::string, T>, kfpp::Json) or an artifact type");
};

/// The list of a component's inputs or outputs.
/// Example: `kfpp::Ports<kfpp::Port<"x", double>, kfpp::Port<"y", double>>`
template <class... P>
struct Ports {
  /// How many ports. Example: `kfpp::Ports<>::size == 0`
  static constexpr std::size_t size = sizeof...(P);

  /// Whether a port called `n` is in the list.
  static constexpr bool has([[maybe_unused]] std::string_view n) {
    return ((P::name == n) || ... || false);
  }

  /// The position of the port called `n` (size when absent).
  static constexpr std::size_t index_of([[maybe_unused]] std::string_view n) {
    std::size_t i = 0;
    std::size_t found = sizeof...(P);
    ((P::name == n && found == sizeof...(P) ? (found = i, ++i) : ++i), ...);
    return found;
  }

  /// Whether every name in the list is distinct.
  static constexpr bool unique() {
    std::string_view names[sizeof...(P) + 1]{P::name...};
    for (std::size_t i = 0; i < sizeof...(P); ++i)
      for (std::size_t j = i + 1; j < sizeof...(P); ++j)
        if (names[i] == names[j]) return false;
    return true;
  }

  /// The `I`-th port. Example: `kfpp::Ports<kfpp::Port<"x", int>>::at<0>::name == "x"`
  template <std::size_t I>
  using at = std::tuple_element_t<I, std::tuple<P...>>;
};

namespace detail {

template <class T>
struct is_ports : std::false_type {};
template <class... P>
struct is_ports<Ports<P...>> : std::true_type {};

/// A component's outputs: `Ports<…>`, or a bare type for a single output named `Output`.
template <class Out>
struct output_ports {
  using type = Ports<Port<"Output", Out>>;
};
template <class... P>
struct output_ports<Ports<P...>> {
  using type = Ports<P...>;
};

// Diagnostics named as sentences: the compiler prints them, with the types, in its error.
template <class From, class To>
struct cannot_connect_output_of_type_to_input_of_type {
  static_assert(dependent_false<From>,
                "kfpp: the value's type differs from the input's type (From -> To above)");
  static constexpr bool value = false;
};
template <class Given, class Expected>
struct constant_of_type_does_not_fit_input_of_type {
  static_assert(dependent_false<Given>,
                "kfpp: the constant's type differs from the input's type (Given -> Expected)");
  static constexpr bool value = false;
};
template <FixedString Name>
struct component_has_no_input_named {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: the component has no input with this name");
  static constexpr bool value = false;
};
template <FixedString Name>
struct component_has_no_output_named {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: the component has no output with this name");
  static constexpr bool value = false;
};
template <FixedString Name>
struct required_input_is_not_bound {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: this required input of the component is not bound in add(...)");
  static constexpr bool value = false;
};
template <FixedString Name>
struct input_is_bound_twice {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: this input is bound twice in add(...)");
  static constexpr bool value = false;
};
template <class Given, class Expected>
struct default_value_of_type_does_not_fit_parameter_of_type {
  static_assert(dependent_false<Given>,
                "kfpp: the default value's type differs from the parameter's type");
  static constexpr bool value = false;
};

/// A binding `in<"x"> = value` waiting for `Pipeline::add` to check it against the component.
template <FixedString Name, class V>
struct InputBinding {
  static constexpr std::string_view name = Name.view();
  static constexpr auto fixed_name = Name;
  V value;
};

template <FixedString Name>
struct InputTag {
  template <class V>
  constexpr InputBinding<Name, std::decay_t<V>> operator=(V&& v) const {  // NOLINT
    return {std::forward<V>(v)};
  }
  // A braced list for a list input: `in<"tags"> = {"a", "b"}`.
  template <class E>
  InputBinding<Name, std::vector<E>> operator=(std::initializer_list<E> items) const {  // NOLINT
    return {std::vector<E>(items)};
  }
};

/// Whether a channel of `From` may feed an input of `To`.
template <class From, class To>
constexpr bool channel_fits() {
  if constexpr (std::is_same_v<From, To>) {
    return true;
  } else if constexpr (is_artifact_v<To> && is_artifact_v<From>) {
    return std::is_same_v<To, Artifact>;  // a generic artifact input takes any artifact
  } else if constexpr (std::is_floating_point_v<To> && std::is_integral_v<From>) {
    return !std::is_same_v<From, bool>;  // KFP passes an integer to a number input as is
  } else {
    return false;
  }
}

/// Checks a value given for an input of type `To`, at compile time; true when it fits.
template <class To>
struct final_status_is_set_by_the_exit_handler {
  static_assert(dependent_false<To>,
                "kfpp: a PipelineTaskFinalStatus input is filled in by kfpp::ExitHandler; "
                "leave it unbound");
  static constexpr bool value = false;
};

template <class To, class V>
constexpr bool check_binding() {
  if constexpr (std::is_same_v<To, PipelineTaskFinalStatus>) {
    return final_status_is_set_by_the_exit_handler<V>::value;
  } else if constexpr (is_channel<V>::value) {
    if constexpr (channel_fits<typename V::value_type, To>())
      return true;
    else
      return cannot_connect_output_of_type_to_input_of_type<typename V::value_type, To>::value;
  } else if constexpr (std::is_same_v<V, PipelinePlaceholder> || std::is_same_v<V, Template>) {
    if constexpr (std::is_same_v<To, std::string>)
      return true;
    else
      return cannot_connect_output_of_type_to_input_of_type<std::string, To>::value;
  } else if constexpr (is_artifact_v<To> || is_artifact_list_v<To>) {
    return constant_of_type_does_not_fit_input_of_type<V, To>::value;
  } else if constexpr (constant_fits<To, V>()) {
    return true;
  } else {
    return constant_of_type_does_not_fit_input_of_type<V, To>::value;
  }
}

}  // namespace detail

/// Binds a component input by name in `Pipeline::add`: `kfpp::in<"x"> = value`. The value is a
/// constant, a `Channel` of the same type, a `PipelinePlaceholder`, or for a text input a
/// `kfpp::format` template; anything else is a compile error that names both types.
/// Example: `p.add(square, kfpp::in<"x"> = a)`
template <detail::FixedString Name>
inline constexpr detail::InputTag<Name> in{};

}  // namespace kfpp
