// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kfpp/dsl/channel.hpp"
#include "kfpp/dsl/core.hpp"
#include "kfpp/dsl/ports.hpp"

namespace kfpp {

class Pipeline;

namespace detail {

enum class PlaceholderKind { value, path, uri, metadata };

template <PlaceholderKind K, FixedString Name>
struct PortPlaceholder {};

struct ExecutorInputPlaceholder {};

template <class... A>
struct ConcatArg {
  std::tuple<A...> parts;
};

template <FixedString Name, class Then, class Else, bool Single = false>
struct IfPresentArg {
  Then then_parts;
  Else else_parts;
  bool has_else = false;
};

template <FixedString Name, class... A>
struct IfPresentBuilder {
  std::tuple<A...> then_parts;
  /// The arguments used when the input is absent.
  template <class... E>
  IfPresentArg<Name, std::tuple<A...>, std::tuple<std::decay_t<E>...>> otherwise(E&&... e) const {
    return {then_parts, std::tuple<std::decay_t<E>...>(std::forward<E>(e)...), true};
  }
};

template <FixedString Name, class A>
struct IfPresentSingleBuilder {
  std::tuple<A> then_parts;
  /// The one argument used when the input is absent.
  template <class E>
  IfPresentArg<Name, std::tuple<A>, std::tuple<std::decay_t<E>>, true> otherwise(E&& e) const {
    return {then_parts, std::tuple<std::decay_t<E>>(std::forward<E>(e)), true};
  }
};

template <PlaceholderKind K, FixedString Name>
struct placeholder_does_not_fit_port {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: this placeholder does not fit the port: value_of<> is for input "
                "parameters, path_of<> for artifacts and output parameters, uri_of<> and "
                "metadata_of<> for artifacts");
  static constexpr bool value = false;
};
template <FixedString Name>
struct component_has_no_port_named {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: the component has no input or output with this name");
  static constexpr bool value = false;
};
template <FixedString Name>
struct if_present_needs_an_optional_input_named {
  static_assert(Name.view().size() == static_cast<std::size_t>(-1),
                "kfpp: if_present<> needs an optional input (Port<Name, std::optional<T>>)");
  static constexpr bool value = false;
};
template <class A>
struct type_is_not_a_command_line_argument {
  static_assert(dependent_false<A>,
                "kfpp: a command-line argument is a string, a placeholder (value_of, path_of, "
                "uri_of, metadata_of, executor_input, a pipeline placeholder), concat or "
                "if_present");
  static constexpr bool value = false;
};

std::string quote_port(std::string_view name);

template <class In, class Out, class A>
ir::Arg lower_arg(const A& a);

template <class In, class Out, class Tuple>
std::vector<ir::Arg> lower_tuple(const Tuple& t) {
  return std::apply([](const auto&... x) { return std::vector<ir::Arg>{lower_arg<In, Out>(x)...}; },
                    t);
}

template <class Ports, FixedString Name>
constexpr bool is_artifact_port() {
  if constexpr (Ports::has(Name.view())) {
    using T = typename Ports::template at<Ports::index_of(Name.view())>::type;
    return is_artifact_v<T> || is_artifact_list_v<T>;
  } else {
    return false;
  }
}

template <class In, class Out, PlaceholderKind K, FixedString Name>
std::string placeholder_text() {
  constexpr bool in_in = In::has(Name.view());
  constexpr bool in_out = Out::has(Name.view());
  if constexpr (!in_in && !in_out) {
    static_assert(component_has_no_port_named<Name>::value);
    return {};
  } else {
    constexpr bool artifact = in_in ? is_artifact_port<In, Name>() : is_artifact_port<Out, Name>();
    const std::string q = quote_port(Name.view());
    const std::string side = in_in ? "inputs" : "outputs";
    if constexpr (K == PlaceholderKind::value) {
      if constexpr (in_in && !artifact)
        return "{{$.inputs.parameters[" + q + "]}}";
      else
        return placeholder_does_not_fit_port<K, Name>::value ? "" : "";
    } else if constexpr (K == PlaceholderKind::path) {
      if constexpr (artifact)
        return "{{$." + side + ".artifacts[" + q + "].path}}";
      else if constexpr (in_out)
        return "{{$.outputs.parameters[" + q + "].output_file}}";
      else
        return placeholder_does_not_fit_port<K, Name>::value ? "" : "";
    } else {
      if constexpr (artifact)
        return "{{$." + side + ".artifacts[" + q + "]." +
               (K == PlaceholderKind::uri ? "uri" : "metadata") + "}}";
      else
        return placeholder_does_not_fit_port<K, Name>::value ? "" : "";
    }
  }
}

template <class T>
struct is_port_placeholder : std::false_type {};
template <PlaceholderKind K, FixedString N>
struct is_port_placeholder<PortPlaceholder<K, N>> : std::true_type {};
template <class T>
struct is_concat : std::false_type {};
template <class... A>
struct is_concat<ConcatArg<A...>> : std::true_type {};
template <class T>
struct is_if_present : std::false_type {};
template <FixedString N, class T, class E, bool S>
struct is_if_present<IfPresentArg<N, T, E, S>> : std::true_type {};
template <FixedString N, class... A>
struct is_if_present<IfPresentBuilder<N, A...>> : std::true_type {};
template <FixedString N, class A>
struct is_if_present<IfPresentSingleBuilder<N, A>> : std::true_type {};

template <class T>
struct placeholder_traits;
template <PlaceholderKind K, FixedString N>
struct placeholder_traits<PortPlaceholder<K, N>> {
  static constexpr PlaceholderKind kind = K;
  static constexpr auto name = N;
};

template <class In, FixedString Name>
constexpr bool is_optional_input() {
  if constexpr (In::has(Name.view()))
    return In::template at<In::index_of(Name.view())>::optional;
  else
    return false;
}

template <class In, class Out, FixedString Name, class Then, class Else>
ir::Arg lower_if_present(const Then& then_parts, const Else* else_parts, bool single) {
  if constexpr (!is_optional_input<In, Name>()) {
    static_assert(if_present_needs_an_optional_input_named<Name>::value);
    return {};
  } else {
    ir::Arg a;
    a.kind = ir::Arg::Kind::if_present;
    a.input_name = std::string(Name.view());
    a.items = lower_tuple<In, Out>(then_parts);
    if (else_parts) {
      a.otherwise = lower_tuple<In, Out>(*else_parts);
      a.has_otherwise = true;
    }
    a.then_single = single;
    a.else_single = single && else_parts != nullptr;
    return a;
  }
}

template <class T>
struct if_present_name;
template <FixedString N, class T, class E, bool S>
struct if_present_name<IfPresentArg<N, T, E, S>> {
  static constexpr auto name = N;
  static constexpr bool single = S;
};
template <FixedString N, class... A>
struct if_present_name<IfPresentBuilder<N, A...>> {
  static constexpr auto name = N;
  static constexpr bool single = false;
};
template <FixedString N, class A>
struct if_present_name<IfPresentSingleBuilder<N, A>> {
  static constexpr auto name = N;
  static constexpr bool single = true;
};

template <class In, class Out, class A>
ir::Arg lower_arg(const A& a) {
  if constexpr (std::is_convertible_v<const A&, std::string_view>) {
    return ir::Arg::of(std::string(std::string_view(a)));
  } else if constexpr (std::is_same_v<A, PipelinePlaceholder>) {
    return ir::Arg::of(std::string(a.text));
  } else if constexpr (std::is_same_v<A, ExecutorInputPlaceholder>) {
    return ir::Arg::of("{{$}}");
  } else if constexpr (is_port_placeholder<A>::value) {
    using Tr = placeholder_traits<A>;
    return ir::Arg::of(placeholder_text<In, Out, Tr::kind, Tr::name>());
  } else if constexpr (is_concat<A>::value) {
    ir::Arg c;
    c.kind = ir::Arg::Kind::concat;
    c.items = lower_tuple<In, Out>(a.parts);
    return c;
  } else if constexpr (is_if_present<A>::value) {
    constexpr auto name = if_present_name<A>::name;
    constexpr bool single = if_present_name<A>::single;
    if constexpr (requires { a.else_parts; })
      return lower_if_present<In, Out, name>(a.then_parts, a.has_else ? &a.else_parts : nullptr,
                                             single);
    else
      return lower_if_present<In, Out, name, decltype(a.then_parts), decltype(a.then_parts)>(
          a.then_parts, nullptr, single);
  } else {
    static_assert(type_is_not_a_command_line_argument<A>::value);
    return {};
  }
}

/// Adds a port to an interface; non-template so each component type costs little to compile.
void add_parameter_port(ir::Interface& itf, std::string_view name, ir::ParameterType type,
                        bool optional);
void add_artifact_port(ir::Interface& itf, std::string_view name, ir::ArtifactType type,
                       bool is_list, bool optional);
/// Sets the description of port `port` (input, output, or both when they share the name).
void describe_port(ComponentData& c, std::string_view port, std::string text);

template <class P>
void add_port(ir::Interface& itf) {
  using T = typename P::type;
  if constexpr (is_artifact_list_v<T>)
    add_artifact_port(itf, P::name, artifact_type_of<typename T::value_type>(), true, P::optional);
  else if constexpr (is_artifact_v<T>)
    add_artifact_port(itf, P::name, artifact_type_of<T>(), false, P::optional);
  else
    add_parameter_port(itf, P::name, parameter_type_of<T>(), P::optional);
}

template <class... P>
ir::Interface interface_of(Ports<P...>*) {
  ir::Interface itf;
  (add_port<P>(itf), ...);
  return itf;
}

/// Checks that a component's function name is a Python identifier; throws DefinitionError.
void check_python_function(const std::string& function_name);
/// The signature of `function` as `source` defines it, read once when the component is made.
SharedAny python_signature(const std::string& source, const std::string& function);
/// Sets the image a Python component is built on; throws DefinitionError once a target image is set.
void set_base_image(ComponentData& c, std::string ref);
/// The Python function of a Python component; throws DefinitionError for other components.
ir::PythonFunction& python_function_of(ComponentData& c);
/// Throws DefinitionError when a concat holds an if-present whose branches are lists.
void check_command_line(const ComponentData& c, const std::vector<ir::Arg>& args, const char* what);
/// Throws DefinitionError unless `c` is a container component whose command line is its own.
void require_plain_container(const ComponentData& c, const char* what);
/// Sets a port's default; throws DefinitionError when the port is not a parameter.
void set_port_default(ComponentData& c, std::string_view port, ir::Value v);

}  // namespace detail

/// The value of input parameter `Name` on the command line (KFP's `{{$.inputs.parameters[...]}}`).
/// Example: `.args("--epochs", kfpp::value_of<"epochs">)`
template <detail::FixedString Name>
inline constexpr detail::PortPlaceholder<detail::PlaceholderKind::value, Name> value_of{};
/// The local path of artifact `Name` (input or output), or the file an output parameter is
/// written to. Example: `.args("--out", kfpp::path_of<"model">)`
template <detail::FixedString Name>
inline constexpr detail::PortPlaceholder<detail::PlaceholderKind::path, Name> path_of{};
/// The URI of artifact `Name`. Example: `.args(kfpp::uri_of<"data">)`
template <detail::FixedString Name>
inline constexpr detail::PortPlaceholder<detail::PlaceholderKind::uri, Name> uri_of{};
/// The metadata of artifact `Name`, as JSON. Example: `.args(kfpp::metadata_of<"model">)`
template <detail::FixedString Name>
inline constexpr detail::PortPlaceholder<detail::PlaceholderKind::metadata, Name> metadata_of{};
/// The whole executor input as JSON (`{{$}}`). Example: `.args(kfpp::executor_input)`
inline constexpr detail::ExecutorInputPlaceholder executor_input{};

/// Several arguments joined into one.
/// Example: `.args(kfpp::concat("--lr=", kfpp::value_of<"lr">))`
template <class... A>
detail::ConcatArg<std::decay_t<A>...> concat(A&&... parts) {
  return {std::tuple<std::decay_t<A>...>(std::forward<A>(parts)...)};
}

/// One argument used only when optional input `Name` is given, with `.otherwise(x)` for the rest,
/// written as that element rather than as a one-element list (the SDK's `then=x`, not
/// `then=[x]`): the form an if-present takes inside `concat`.
/// Example: `kfpp::concat("--seed=", kfpp::if_present_single<"seed">(kfpp::value_of<"seed">).otherwise("0"))`
template <detail::FixedString Name, class A>
detail::IfPresentSingleBuilder<Name, std::decay_t<A>> if_present_single(A&& part) {
  return {std::tuple<std::decay_t<A>>(std::forward<A>(part))};
}

/// Arguments used only when optional input `Name` is given, with `.otherwise(...)` for the rest.
/// Example: `kfpp::if_present<"seed">("--seed", kfpp::value_of<"seed">).otherwise("--random")`
template <detail::FixedString Name, class... A>
detail::IfPresentBuilder<Name, std::decay_t<A>...> if_present(A&&... parts) {
  return {std::tuple<std::decay_t<A>...>(std::forward<A>(parts)...)};
}

/// A component with typed inputs `In` (`Ports<…>`) and outputs `Out` (`Ports<…>`, or one type
/// for a single output named `Output`). Made by `container`, `python`; used by `Pipeline::add`.
/// Example:
/// ```
/// auto square = kfpp::Component<kfpp::Ports<kfpp::Port<"x", double>>, double>::python(
///     "square", "def square(x: float) -> float:\n    return x ** 2\n");
/// ```
template <class In, class Out = Ports<>>
class Component {
  static_assert(detail::is_ports<In>::value, "kfpp: a component's inputs are kfpp::Ports<...>");

 public:
  /// The input ports. Example: `static_assert(Add::inputs::size == 2);`
  using inputs = In;
  /// The output ports (a single type `T` becomes `Ports<Port<"Output", T>>`).
  /// Example: `static_assert(Add::outputs::has("Output"));`
  using outputs = typename detail::output_ports<Out>::type;
  static_assert(In::unique(), "kfpp: two inputs of the component have the same name");
  static_assert(outputs::unique(), "kfpp: two outputs of the component have the same name");

  /// A container component named `name`; set its image, command and args next.
  /// Example: `Component<Ports<Port<"msg", std::string>>>::container("echo").image("alpine")`
  static Component container(std::string name) {
    Component c(std::move(name));
    c.data_.mut().executor.container.emplace();
    return c;
  }

  /// A lightweight Python component: `source` defines function `function_name`, whose
  /// parameters are the inputs (artifact outputs included, as `Output[...]`) and whose return
  /// value is the output. It runs under the KFP launcher in `base_image` (python:3.11 unless set).
  /// Example: `Component<Ports<Port<"a", int>>, int>::python("double_it", src)`
  static Component python(std::string function_name, std::string source) {
    detail::check_python_function(function_name);
    Component c(function_name);
    auto& spec = c.data_.mut().executor.container.emplace();
    spec.image = "python:3.11";
    spec.python.emplace();
    c.data_.mut().signature = detail::python_signature(source, function_name);
    spec.python->function_name = std::move(function_name);
    spec.python->source = std::move(source);
    return c;
  }

  /// A pipeline used as a component of other pipelines. Its inputs and outputs must be the ports
  /// declared here (names and types), or this throws `DefinitionError`; it is validated too.
  /// Example: `auto inner = Component<Ports<Port<"x", int>>, int>::pipeline(inner_pipeline());`
  static Component pipeline(const Pipeline& p);

  /// The container image. Example: `.image("alpine:3.19")`
  Component& image(std::string ref) {
    data_.mut().executor.container->image = std::move(ref);
    return *this;
  }
  /// The image a Python component runs in. Example: `.base_image("python:3.9")`
  Component& base_image(std::string ref) {
    detail::set_base_image(data_.mut(), std::move(ref));
    return *this;
  }
  /// Makes a Python component containerized (the SDK's `target_image`): it runs image `ref`,
  /// which already holds the function and the KFP runtime, with the command
  /// `python3 -m kfp.dsl.executor_main` and no function text in the IR.
  /// Example: `.target_image("gcr.io/my-project/train:v1")`
  Component& target_image(std::string ref) {
    python_spec().containerized = true;
    data_.mut().executor.container->image = std::move(ref);
    return *this;
  }

  /// Pip requirements a Python component installs first. Example: `.packages({"pandas"})`
  Component& packages(std::vector<std::string> reqs) {
    python_spec().packages = std::move(reqs);
    return *this;
  }
  /// Package indexes for a Python component; the first replaces PyPI.
  /// Example: `.pip_index_urls({"https://pypi.example.com/simple"})`
  Component& pip_index_urls(std::vector<std::string> urls) {
    python_spec().pip_index_urls = std::move(urls);
    return *this;
  }
  /// Hosts pip trusts with the package indexes (`--trusted-host`); without this call each index
  /// URL is trusted, as the SDK 2.15 does, and `{}` trusts none.
  /// Example: `.pip_trusted_hosts({"pypi.example.com"})`
  Component& pip_trusted_hosts(std::vector<std::string> hosts) {
    python_spec().pip_trusted_hosts = std::move(hosts);
    return *this;
  }
  /// Whether the launcher installs the KFP runtime (default true); false when the image has it.
  /// Example: `.install_kfp_package(false)`
  Component& install_kfp_package(bool install) {
    python_spec().install_kfp_package = install;
    return *this;
  }
  /// What pip installs as the KFP runtime instead of `kfp==2.15.2`: a path, a URL or a
  /// requirement. Example: `.kfp_package_path("git+https://github.com/kubeflow/pipelines.git@master#subdirectory=sdk/python")`
  Component& kfp_package_path(std::string requirement) {
    python_spec().kfp_package_path = std::move(requirement);
    return *this;
  }
  /// Installs the KFP runtime into a virtual environment that sees the image's packages.
  /// Example: `.use_venv()`
  Component& use_venv(bool venv = true) {
    python_spec().use_venv = venv;
    return *this;
  }
  /// Leaves the ports unchecked against the function's signature (which is otherwise read from
  /// the source and compared when the component is used), for a function kfpp cannot read.
  /// Example: `.skip_signature_check()`
  Component& skip_signature_check() {
    python_spec();
    data_.mut().check_signature = false;
    return *this;
  }

  /// The container's command, with placeholders checked against the ports.
  /// Example: `.command("sh", "-c")`
  template <class... A>
  Component& command(A&&... parts) {
    detail::require_plain_container(*data_, "command");
    auto& spec = *data_.mut().executor.container;
    spec.command = {detail::lower_arg<In, outputs>(parts)...};
    detail::check_command_line(*data_, spec.command, "command");
    return *this;
  }
  /// The container's arguments. Example: `.args("--in", kfpp::path_of<"data">)`
  template <class... A>
  Component& args(A&&... parts) {
    detail::require_plain_container(*data_, "args");
    auto& spec = *data_.mut().executor.container;
    spec.args = {detail::lower_arg<In, outputs>(parts)...};
    detail::check_command_line(*data_, spec.args, "args");
    return *this;
  }
  /// An environment variable of the container. Example: `.env("LOG_LEVEL", "debug")`
  Component& env(std::string name, std::string value) {
    data_.mut().executor.container->env.push_back({std::move(name), std::move(value)});
    return *this;
  }

  /// The default of optional input `Name` (declared `Port<Name, std::optional<T>>`).
  /// Example: `.default_value<"seed">(42)`
  template <detail::FixedString Name, class V>
  Component& default_value(V&& v) {
    if constexpr (!detail::is_optional_input<In, Name>()) {
      static_assert(detail::if_present_needs_an_optional_input_named<Name>::value,
                    "kfpp: only an optional input (std::optional<T>) takes a default");
    } else {
      using T = typename In::template at<In::index_of(Name.view())>::type;
      if constexpr (detail::constant_fits<T, V>()) {
        detail::set_port_default(data_.mut(), Name.view(), detail::constant_value<T>(v));
      } else {
        static_assert(detail::default_value_of_type_does_not_fit_parameter_of_type<std::decay_t<V>,
                                                                                   T>::value);
      }
    }
    return *this;
  }

  /// The description of input or output `Name` (`description` in the IR).
  /// Example: `.describe<"dataset">("The rows to train on.")`
  template <detail::FixedString Name>
  Component& describe(std::string text) {
    if constexpr (!In::has(Name.view()) && !outputs::has(Name.view()))
      static_assert(detail::component_has_no_port_named<Name>::value);
    else
      detail::describe_port(data_.mut(), Name.view(), std::move(text));
    return *this;
  }

  /// The default of an optional list input, written as a braced list.
  /// Example: `.default_value<"channels">({"stable"})`
  template <detail::FixedString Name, class E>
  Component& default_value(std::initializer_list<E> items) {
    return default_value<Name>(std::vector<E>(items));
  }

  /// The plain data the pipeline lowers; used by the library.
  [[nodiscard]] const detail::ComponentData& data() const noexcept { return *data_; }
  /// The data as a handle tasks share; used by the library.
  [[nodiscard]] const detail::SharedComponent& shared_data() const noexcept { return data_; }

 private:
  explicit Component(std::string name) {
    auto& d = data_.mut();
    d.name = std::move(name);
    d.inputs = detail::interface_of(static_cast<In*>(nullptr));
    d.outputs = detail::interface_of(static_cast<outputs*>(nullptr));
  }
  ir::PythonFunction& python_spec() { return detail::python_function_of(data_.mut()); }

  detail::SharedComponent data_;
};

}  // namespace kfpp
