// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/format.hpp"
#include "kfpp/dsl/types.hpp"

namespace kfpp {

/// A component read from a YAML file when the program runs: a KFP v2 IR component file (what
/// `kfpp::save_component` or the Python SDK's compiler writes) or a KFP v1 `component.yaml`
/// (`inputValue`, `inputPath`, `outputPath`, `concat`, `if`/`isPresent`). Its ports are known only
/// at run time, so wiring it is checked when the task is added, with a `DefinitionError`.
/// Example: `kfpp::LoadedComponent train = kfpp::load_component("train.yaml");`
class LoadedComponent {
 public:
  /// The component's name, as the file gives it.
  [[nodiscard]] const std::string& name() const noexcept { return data_->name; }
  /// Its input ports. Example: `for (const auto& in : train.inputs().parameters) use(in.name);`
  [[nodiscard]] const ir::Interface& inputs() const noexcept { return data_->inputs; }
  /// Its output ports. Example: `bool has_model = train.outputs().find_artifact("model");`
  [[nodiscard]] const ir::Interface& outputs() const noexcept { return data_->outputs; }
  /// The plain description of the component; used by the library.
  [[nodiscard]] const detail::ComponentData& data() const noexcept { return *data_; }
  /// The data as a handle tasks share; used by the library.
  [[nodiscard]] const detail::SharedComponent& shared_data() const noexcept { return data_; }

  /// Made by `load_component`; use that.
  explicit LoadedComponent(detail::ComponentData data) : data_(std::move(data)) {}

 private:
  detail::SharedComponent data_;
};

/// Reads the component file at `path` (v2 IR or v1 `component.yaml`, detected). Throws
/// `kfpp::ParseError` with the file, line and key of every problem.
/// Example: `auto add = kfpp::load_component("components/add.yaml");`
[[nodiscard]] LoadedComponent load_component(const std::string& path);

/// Like `load_component`, from text; `file_name` names it in errors.
/// Example: `auto c = kfpp::load_component_text(yaml_text, "add.yaml");`
[[nodiscard]] LoadedComponent load_component_text(std::string_view yaml,
                                                  const std::string& file_name = "<input>");

/// A value for an input of a loaded component: a channel (whose C++ type is checked against the
/// port's type when the task is added), a constant, or a pipeline placeholder.
/// Example: `p.add(train, {{"epochs", 10}, {"data", load.output<"data">()}})`
class AnyInput {
 public:
  /// A channel: a pipeline parameter or a task output (parameter or artifact).
  /// Example: `{"data", load.output<kfpp::Dataset>("data")}`
  template <class T>
  AnyInput(const Channel<T>& c) : source_(c.source()) {
    if constexpr (is_artifact_v<T>) {
      artifact_ = true;
      artifact_type_ = detail::artifact_type_of<T>();
    } else if constexpr (is_artifact_list_v<T>) {
      artifact_ = true;
      artifact_list_ = true;
      artifact_type_ = detail::artifact_type_of<typename T::value_type>();
    } else {
      type_ = detail::parameter_type_of<T>();
    }
  }
  /// A pipeline placeholder, such as the run's name. Example: `{"run", kfpp::pipeline_job_name}`
  AnyInput(PipelinePlaceholder ph) { source_.constant = ir::Value(std::string(ph.text)); }
  /// Text with channels in it, for a string input.
  /// Example: `{"dest", kfpp::format("gs://{}/out", bucket)}`
  AnyInput(Template t) { text_.push_back(std::move(t)); }
  /// A constant: text, JSON, a number, a boolean, a list or a map.
  /// Example: `{"epochs", 10}`, `{"mode", "fast"}`, `{"layers", std::vector<int>{64, 32}}`
  ///@{
  AnyInput(const char* s) { source_.constant = ir::Value(std::string(s)); }
  AnyInput(std::string s) { source_.constant = ir::Value(std::move(s)); }
  AnyInput(Json v) { source_.constant = std::move(v); }
  template <class T, std::enable_if_t<std::is_arithmetic_v<T> || detail::is_vector<T>::value ||
                                          detail::is_string_map<T>::value,
                                      int> = 0>
  AnyInput(const T& v) {
    source_.constant = detail::to_value(v);
  }
  ///@}

  /// The template, or null when the value is not one.
  [[nodiscard]] const Template* text() const noexcept {
    return text_.empty() ? nullptr : &text_.front();
  }
  /// Whether it is a channel (rather than a constant).
  [[nodiscard]] bool is_channel() const noexcept {
    return source_.kind != detail::Source::Kind::constant;
  }
  /// The plain description of the source; used by the library.
  [[nodiscard]] const detail::Source& source() const noexcept { return source_; }
  /// Whether it is an artifact channel. Example: `if (in.is_artifact()) use(in.artifact_type());`
  [[nodiscard]] bool is_artifact() const noexcept { return artifact_; }
  /// Whether it is a list of artifacts (a loop's collected output).
  [[nodiscard]] bool is_artifact_list() const noexcept { return artifact_list_; }
  /// A channel's parameter type (constants are checked by value).
  [[nodiscard]] ir::ParameterType type() const noexcept { return type_; }
  /// An artifact channel's type.
  [[nodiscard]] const ir::ArtifactType& artifact_type() const noexcept { return artifact_type_; }

 private:
  detail::Source source_;
  bool artifact_ = false;
  bool artifact_list_ = false;
  ir::ParameterType type_ = ir::ParameterType::string;
  ir::ArtifactType artifact_type_;
  std::vector<Template> text_;  // empty, or the one template
};

/// One input of a loaded component and its value.
/// Example: `kfpp::NamedInput epochs{"epochs", 10};`
struct NamedInput {
  std::string name;  ///< the component input's name
  AnyInput value;    ///< what it is given
};

/// The outputs of a task of a loaded component: read with `task.output<T>("name")`, checked when
/// called. Example: `auto model = train_task.output<kfpp::Model>("model");`
struct DynamicPorts {};

namespace detail {
/// Checks `inputs` against the component's ports (names, kinds, types, required inputs) and
/// lowers them; throws `DefinitionError` naming the task path and the port.
std::vector<Binding> check_loaded_inputs(const ComponentData& c, const std::string& where,
                                         const std::vector<NamedInput>& inputs);
/// Checks that output `key` of component `c` exists and has the kind and type of `T`'s.
void check_loaded_output(const ComponentData& c, const std::string& where, std::string_view key,
                         bool artifact, ir::ParameterType type, const ir::ArtifactType& atype);
}  // namespace detail

}  // namespace kfpp
