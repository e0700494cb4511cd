// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <concepts>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

namespace kfpp {

/// A JSON-like value for `STRUCT` parameters and importer metadata.
/// Example: `kfpp::Json cfg = kfpp::Json::object({{"lr", 0.01}, {"layers", 3}});`
using Json = ir::Value;

/// The artifact types. Use them as port types: `Port<"model", kfpp::Model>`.
/// Example: `Component<Ports<Port<"data", Dataset>>>::container("consume")`
struct Artifact {
  static constexpr std::string_view schema_title = "system.Artifact";  ///< the KFP `schemaTitle`
};
/// A data set (`system.Dataset`). Example: `kfpp::Port<"train_data", kfpp::Dataset>`
struct Dataset {
  static constexpr std::string_view schema_title = "system.Dataset";  ///< the KFP `schemaTitle`
};
/// A trained model (`system.Model`). Example: `kfpp::Port<"model", kfpp::Model>`
struct Model {
  static constexpr std::string_view schema_title = "system.Model";  ///< the KFP `schemaTitle`
};
/// Scalar metrics (`system.Metrics`). Example: `kfpp::Port<"metrics", kfpp::Metrics>`
struct Metrics {
  static constexpr std::string_view schema_title = "system.Metrics";  ///< the KFP `schemaTitle`
};
/// Classification metrics (`system.ClassificationMetrics`).
/// Example: `kfpp::Port<"confusion", kfpp::ClassificationMetrics>`
struct ClassificationMetrics {
  static constexpr std::string_view schema_title =
      "system.ClassificationMetrics";  ///< the KFP `schemaTitle`
};
/// Sliced classification metrics (`system.SlicedClassificationMetrics`).
/// Example: `kfpp::Port<"by_slice", kfpp::SlicedClassificationMetrics>`
struct SlicedClassificationMetrics {
  static constexpr std::string_view schema_title =
      "system.SlicedClassificationMetrics";  ///< the KFP `schemaTitle`
};
/// An HTML page (`system.HTML`). Example: `kfpp::Port<"report", kfpp::HTML>`
struct HTML {
  static constexpr std::string_view schema_title = "system.HTML";  ///< the KFP `schemaTitle`
};
/// A Markdown document (`system.Markdown`). Example: `kfpp::Port<"summary", kfpp::Markdown>`
struct Markdown {
  static constexpr std::string_view schema_title = "system.Markdown";  ///< the KFP `schemaTitle`
};

/// The final status of the tasks an exit handler wraps: the type of an exit task's status port.
/// `ExitHandler` fills it in; it is never bound by hand.
/// Example: `Component<Ports<Port<"status", kfpp::PipelineTaskFinalStatus>>>::container("notify")`
struct PipelineTaskFinalStatus {};

namespace detail {

/// A string literal usable as a template argument: the names of typed ports.
template <std::size_t N>
struct FixedString {
  char data[N]{};
  constexpr FixedString(const char (&s)[N]) {  // NOLINT: implicit on purpose
    for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
  }
  [[nodiscard]] constexpr std::string_view view() const { return {data, N - 1}; }
};

template <class T>
inline constexpr bool dependent_false = false;

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T>
struct strip_optional {
  using type = T;
  static constexpr bool optional = false;
};
template <class T>
struct strip_optional<std::optional<T>> {
  using type = T;
  static constexpr bool optional = true;
};

}  // namespace detail

/// Whether `T` is an artifact type: one of kfpp's, or a type of the user's that names its KFP
/// schema with a `static constexpr std::string_view schema_title` (and optionally
/// `schema_version`, `0.0.1` otherwise), such as `google.VertexModel`.
/// Example:
/// ```
/// struct VertexModel {
///   static constexpr std::string_view schema_title = "google.VertexModel";
///   static constexpr std::string_view schema_version = "0.0.0";
/// };
/// static_assert(kfpp::is_artifact_v<VertexModel>);
/// ```
template <class T>
inline constexpr bool is_artifact_v = requires {
  { T::schema_title } -> std::convertible_to<std::string_view>;
};

/// Whether `T` is a list of artifacts (`std::vector<kfpp::Dataset>`): a fan-in of loop outputs.
/// Example: `static_assert(kfpp::is_artifact_list_v<std::vector<kfpp::Dataset>>);`
template <class T>
inline constexpr bool is_artifact_list_v = false;
template <class T, class A>
inline constexpr bool is_artifact_list_v<std::vector<T, A>> = is_artifact_v<T>;

/// Whether `T` is a parameter type: `std::string`, `bool`, an integer, a floating-point type,
/// `std::vector` and `std::map<std::string, …>` of parameter types, or `kfpp::Json`.
/// Example: `static_assert(kfpp::is_parameter_type<std::vector<int>>());`
template <class T>
constexpr bool is_parameter_type() {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
                std::is_same_v<T, Json> || std::is_same_v<T, PipelineTaskFinalStatus>) {
    return true;
  } else if constexpr (std::is_integral_v<T>) {
    return !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> &&
           !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>;
  } else if constexpr (std::is_floating_point_v<T>) {
    return true;
  } else if constexpr (detail::is_vector<T>::value) {
    return is_parameter_type<typename T::value_type>() || is_artifact_v<typename T::value_type>;
  } else if constexpr (detail::is_string_map<T>::value) {
    return is_parameter_type<typename T::mapped_type>();
  } else {
    return false;
  }
}

namespace detail {

/// The KFP parameter type of a C++ type.
template <class T>
constexpr ir::ParameterType parameter_type_of() {
  if constexpr (std::is_same_v<T, std::string>)
    return ir::ParameterType::string;
  else if constexpr (std::is_same_v<T, PipelineTaskFinalStatus>)
    return ir::ParameterType::task_final_status;
  else if constexpr (std::is_same_v<T, bool>)
    return ir::ParameterType::boolean;
  else if constexpr (std::is_integral_v<T>)
    return ir::ParameterType::number_integer;
  else if constexpr (std::is_floating_point_v<T>)
    return ir::ParameterType::number_double;
  else if constexpr (is_vector<T>::value)
    return ir::ParameterType::list;
  else
    return ir::ParameterType::structure;
}

/// A C++ value as an IR value.
template <class T>
ir::Value to_value(const T& v) {
  if constexpr (std::is_same_v<T, Json>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return ir::Value(v);
  } else if constexpr (std::is_integral_v<T>) {
    return ir::Value(static_cast<long long>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    return ir::Value(static_cast<double>(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return ir::Value(std::string(std::string_view(v)));
  } else if constexpr (is_vector<T>::value) {
    ir::Value::Array a;
    a.reserve(v.size());
    for (const auto& x : v) a.push_back(to_value(x));
    return ir::Value(std::move(a));
  } else if constexpr (is_string_map<T>::value) {
    ir::Value::Object o;
    for (const auto& [k, x] : v) o.emplace(k, to_value(x));
    return ir::Value(std::move(o));
  } else {
    static_assert(dependent_false<T>, "kfpp: this type cannot be a parameter value");
  }
}

/// Whether a constant of type `V` may be given where a parameter of type `T` is expected.
template <class T, class V>
constexpr bool constant_fits() {
  using D = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<T, PipelineTaskFinalStatus>) {
    return false;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::is_convertible_v<const D&, std::string_view>;
  } else if constexpr (std::is_same_v<T, bool>) {
    return std::is_same_v<D, bool>;
  } else if constexpr (std::is_integral_v<T>) {
    return std::is_integral_v<D> && !std::is_same_v<D, bool> && !std::is_same_v<D, char>;
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::is_arithmetic_v<D> && !std::is_same_v<D, bool> && !std::is_same_v<D, char>;
  } else if constexpr (is_vector<T>::value && is_vector<D>::value) {
    // A braced list arrives as a vector of what was written (`{"a", "b"}`: `const char*`).
    return constant_fits<typename T::value_type, typename D::value_type>();
  } else {
    return std::is_convertible_v<const D&, T>;
  }
}

/// The IR value of a constant `v` given for a parameter of type `T`.
template <class T, class V>
ir::Value constant_value(const V& v) {
  using D = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<T, std::string>) {
    return ir::Value(std::string(std::string_view(v)));
  } else if constexpr (std::is_floating_point_v<T>) {
    return ir::Value(static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, D>) {
    return to_value(v);
  } else if constexpr (is_vector<T>::value && is_vector<D>::value) {
    ir::Value::Array a;
    a.reserve(v.size());
    for (const auto& x : v) a.push_back(constant_value<typename T::value_type>(x));
    return ir::Value(std::move(a));
  } else {
    return to_value(static_cast<T>(v));
  }
}

/// The IR type of an artifact type.
template <class A>
ir::ArtifactType artifact_type_of() {
  if constexpr (requires { std::string_view(A::schema_version); })
    return ir::ArtifactType{std::string(A::schema_title), std::string(A::schema_version)};
  else
    return ir::ArtifactType{std::string(A::schema_title), "0.0.1"};
}

}  // namespace detail
}  // namespace kfpp
