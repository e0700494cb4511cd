// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/types.hpp"

namespace kfpp {

namespace detail {

// Called only when a format string is wrong; never defined, so the compiler names them.
void format_string_has_more_placeholders_than_arguments();
void format_string_has_fewer_placeholders_than_arguments();
void format_string_has_a_lone_brace_write_two_for_a_literal_one();

/// The number of `{}` in `text`; `{{` and `}}` stand for one brace, any other brace is an error.
constexpr std::size_t count_format_placeholders(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool next_is = i + 1 < text.size();
    if (text[i] == '{') {
      if (next_is && (text[i + 1] == '{' || text[i + 1] == '}')) {
        if (text[i + 1] == '}') ++n;
        ++i;
      } else {
        format_string_has_a_lone_brace_write_two_for_a_literal_one();
      }
    } else if (text[i] == '}') {
      if (next_is && text[i + 1] == '}')
        ++i;
      else
        format_string_has_a_lone_brace_write_two_for_a_literal_one();
    }
  }
  return n;
}

template <class T>
struct channel_of_this_type_has_no_text_form {
  static_assert(dependent_false<T>,
                "kfpp: format() reads channels of std::string, integers, floating-point types "
                "and bool; a list, map, struct or artifact has no text form");
  static constexpr bool value = false;
};
template <class T>
struct constant_of_this_type_cannot_be_formatted {
  static_assert(dependent_false<T>,
                "kfpp: format() takes constants of text, integers, floating-point types and "
                "pipeline placeholders; write a boolean's text yourself");
  static constexpr bool value = false;
};

template <class T>
constexpr bool has_text_form() {
  return std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
         (std::is_arithmetic_v<T> && is_parameter_type<T>());
}

/// One argument of `format` as a source: a channel, or a constant (text or a number).
template <class A>
Source format_argument(const A& a) {
  if constexpr (is_channel<A>::value) {
    using T = typename A::value_type;
    if constexpr (has_text_form<T>()) {
      return a.source();
    } else {
      (void)channel_of_this_type_has_no_text_form<T>::value;
      return Source{};
    }
  } else {
    Source s;
    if constexpr (std::is_same_v<A, PipelinePlaceholder>)
      s.constant = ir::Value(std::string(a.text));
    else if constexpr (std::is_convertible_v<const A&, std::string_view>)
      s.constant = ir::Value(std::string(std::string_view(a)));
    else if constexpr (std::is_arithmetic_v<A> && !std::is_same_v<A, bool> &&
                       is_parameter_type<A>())
      s.constant = to_value(a);
    else
      (void)constant_of_this_type_cannot_be_formatted<A>::value;
    return s;
  }
}

/// The parameter type a channel argument of `format` is read as (string for constants).
template <class A>
constexpr ir::ParameterType format_argument_type() {
  if constexpr (is_channel<A>::value) {
    if constexpr (has_text_form<typename A::value_type>())
      return parameter_type_of<typename A::value_type>();
  }
  return ir::ParameterType::string;
}

}  // namespace detail

/// Text made when the task runs from constant pieces and channels: the SDK's f-strings. Made by
/// `kfpp::format`; binds to a `std::string` input, an importer's URI or its metadata.
/// Example: `kfpp::Template uri = kfpp::format("gs://{}/{}/data.csv", bucket, run);`
class Template {
 public:
  /// The constant pieces around the channels: one more than there are channels.
  [[nodiscard]] const std::vector<std::string>& pieces() const noexcept { return pieces_; }
  /// The channels, in the order they appear.
  [[nodiscard]] const std::vector<detail::Source>& channels() const noexcept { return channels_; }
  /// The parameter type of each channel.
  [[nodiscard]] const std::vector<ir::ParameterType>& types() const noexcept { return types_; }

  /// Made by `kfpp::format`; `text` is a checked format string. Used by the library.
  Template(std::string_view text, std::vector<detail::Source> args,
           std::vector<ir::ParameterType> types);

 private:
  std::vector<std::string> pieces_;
  std::vector<detail::Source> channels_;
  std::vector<ir::ParameterType> types_;
};

/// A format string for `kfpp::format`, checked when the program compiles: as many `{}` as
/// arguments, and `{{` / `}}` for a literal brace.
/// Example: `kfpp::format("{}-{}", a, b)` compiles; `kfpp::format("{}", a, b)` does not.
template <class... Args>
class FormatString {
 public:
  /// Checks `text` against the arguments' count.
  template <class S>
  requires std::is_convertible_v<const S&, std::string_view>
  consteval FormatString(const S& text) : text_(text) {  // NOLINT: implicit on purpose
    const std::size_t n = detail::count_format_placeholders(std::string_view(text));
    if (n > sizeof...(Args)) detail::format_string_has_more_placeholders_than_arguments();
    if (n < sizeof...(Args)) detail::format_string_has_fewer_placeholders_than_arguments();
  }
  /// The text as written. Example: `fmt.text()`
  [[nodiscard]] constexpr std::string_view text() const noexcept { return text_; }

 private:
  std::string_view text_;
};

/// Text with channels in it, filled in when the task runs: each `{}` takes the next argument, a
/// `Channel` of a string, number or bool, a constant (text or a number) or a pipeline
/// placeholder. In the IR each channel becomes an input of the task of its own
/// (`pipelinechannel--…`) and a `{{$.inputs.parameters['…']}}` placeholder in the text.
/// Example: `p.add(copy, kfpp::in<"dest"> = kfpp::format("gs://{}/{}/x", bucket, run.output()));`
template <class... Args>
Template format(FormatString<std::type_identity_t<Args>...> fmt, const Args&... args) {
  return Template(fmt.text(), {detail::format_argument(args)...},
                  {detail::format_argument_type<Args>()...});
}

/// A JSON value whose strings and values may be read when the pipeline runs: importer metadata.
/// A member is a constant, a `Channel` of a parameter type, or a `kfpp::format` template; keys
/// are text, string channels or templates.
/// Example:
/// ```
/// kfpp::JsonTemplate::object({{"name", kfpp::JsonTemplate::array({name, "alias"})},
///                             {"version", kfpp::format("v{}", run.output())}})
/// ```
class JsonTemplate {
 public:
  /// What a value is.
  enum class Kind { constant, channel, text, object, array };

  /// A constant. Example: `kfpp::JsonTemplate v = kfpp::Json::object({{"k", 1}});`
  ///@{
  JsonTemplate(Json constant) : constant_(std::move(constant)) {}
  JsonTemplate(const char* s) : constant_(std::string(s)) {}
  JsonTemplate(std::string s) : constant_(std::move(s)) {}
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  JsonTemplate(T v) : constant_(detail::to_value(v)) {}
  ///@}
  /// A value read when the pipeline runs. Example: `{"owner", p.param<std::string>("owner")}`
  template <class T>
  JsonTemplate(const Channel<T>& c) : kind_(Kind::channel), channel_(c.source()) {
    static_assert(is_parameter_type<T>() && !std::is_same_v<T, PipelineTaskFinalStatus>,
                  "kfpp: importer metadata reads channels of parameter types, not artifacts");
    type_ = detail::parameter_type_of<T>();
  }
  /// Text with channels in it. Example: `{"name", kfpp::format("prefix-{}", task.output())}`
  JsonTemplate(Template t) : kind_(Kind::text) { text_.push_back(std::move(t)); }

  /// An object; keys are text, string channels or templates, values anything.
  /// Example: `kfpp::JsonTemplate::object({{"a", 1}, {name, "b"}})`
  static JsonTemplate object(std::initializer_list<std::pair<JsonTemplate, JsonTemplate>> members);
  /// A list. Example: `kfpp::JsonTemplate::array({name, "alias-name"})`
  static JsonTemplate array(std::initializer_list<JsonTemplate> items);

  /// What the value is.
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// A constant's value.
  [[nodiscard]] const Json& constant() const noexcept { return constant_; }
  /// A channel's source; used by the library.
  [[nodiscard]] const detail::Source& channel() const noexcept { return channel_; }
  /// A channel's parameter type.
  [[nodiscard]] ir::ParameterType channel_type() const noexcept { return type_; }
  /// A template's text (for `Kind::text` only).
  [[nodiscard]] const Template& text() const { return text_.front(); }
  /// A list's items, or an object's keys and values, alternating, in the order given.
  [[nodiscard]] const std::vector<JsonTemplate>& items() const noexcept { return items_; }

 private:
  JsonTemplate() = default;
  Kind kind_ = Kind::constant;
  Json constant_;
  detail::Source channel_;
  ir::ParameterType type_ = ir::ParameterType::string;
  std::vector<Template> text_;  // one template (a vector keeps Template's definition optional)
  std::vector<JsonTemplate> items_;
};

}  // namespace kfpp
