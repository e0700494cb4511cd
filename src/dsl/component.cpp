// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/component.hpp"

#include <memory>
#include <new>
#include <utility>

#include "dsl/shared.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp::detail {

namespace {
using Pointer = std::shared_ptr<void>;
}  // namespace

struct SharedAnyAccess {
  static_assert(sizeof(Pointer) <= sizeof(SharedAny::storage_) &&
                alignof(Pointer) <= alignof(void*));
  static Pointer& pointer(SharedAny& a) noexcept {
    return *std::launder(reinterpret_cast<Pointer*>(a.storage_));
  }
  static const Pointer& pointer(const SharedAny& a) noexcept {
    return *std::launder(reinterpret_cast<const Pointer*>(a.storage_));
  }
  static void*& object(SharedAny& a) noexcept { return a.object_; }
};

SharedAny::SharedAny() noexcept { ::new (static_cast<void*>(storage_)) Pointer(); }
SharedAny::SharedAny(const SharedAny& other) noexcept : object_(other.object_) {
  ::new (static_cast<void*>(storage_)) Pointer(SharedAnyAccess::pointer(other));
}
SharedAny::SharedAny(SharedAny&& other) noexcept : object_(other.object_) {
  ::new (static_cast<void*>(storage_)) Pointer(std::move(SharedAnyAccess::pointer(other)));
  other.object_ = nullptr;
}
SharedAny& SharedAny::operator=(const SharedAny& other) noexcept {
  SharedAnyAccess::pointer(*this) = SharedAnyAccess::pointer(other);
  object_ = other.object_;
  return *this;
}
SharedAny& SharedAny::operator=(SharedAny&& other) noexcept {
  if (this != &other) {
    SharedAnyAccess::pointer(*this) = std::move(SharedAnyAccess::pointer(other));
    object_ = other.object_;
    other.object_ = nullptr;
  }
  return *this;
}
SharedAny::~SharedAny() { SharedAnyAccess::pointer(*this).~Pointer(); }
bool SharedAny::shared() const noexcept { return SharedAnyAccess::pointer(*this).use_count() > 1; }

SharedAny to_shared_any(std::shared_ptr<void> p) noexcept {
  SharedAny a;
  SharedAnyAccess::object(a) = p.get();
  SharedAnyAccess::pointer(a) = std::move(p);
  return a;
}
std::shared_ptr<void> to_shared_ptr(const SharedAny& a) noexcept {
  return SharedAnyAccess::pointer(a);
}

SharedComponent::SharedComponent() : p_(to_shared_any(std::make_shared<ComponentData>())) {}
SharedComponent::SharedComponent(ComponentData data)
    : p_(to_shared_any(std::make_shared<ComponentData>(std::move(data)))) {}
ComponentData& SharedComponent::mut() {
  if (p_.shared()) p_ = to_shared_any(std::make_shared<ComponentData>(*data()));
  return *data();
}

std::shared_ptr<const ComponentData> share(const SharedComponent& c) noexcept {
  // The aliasing constructor: shares ownership with the handle, points at its data.
  return std::shared_ptr<const ComponentData>(to_shared_ptr(c.handle()), &*c);
}

Source::Source() = default;
Source::Source(const Source&) = default;
Source::Source(Source&&) noexcept = default;
Source& Source::operator=(const Source&) = default;
Source& Source::operator=(Source&&) noexcept = default;
Source::~Source() = default;

ComponentData::ComponentData() = default;
ComponentData::ComponentData(const ComponentData&) = default;
ComponentData::ComponentData(ComponentData&&) noexcept = default;
ComponentData& ComponentData::operator=(const ComponentData&) = default;
ComponentData& ComponentData::operator=(ComponentData&&) noexcept = default;
ComponentData::~ComponentData() = default;

void add_parameter_port(ir::Interface& itf, std::string_view name, ir::ParameterType type,
                        bool optional) {
  ir::ParameterSpec spec;
  spec.name = std::string(name);
  spec.type = type;
  spec.is_optional = optional;
  itf.parameters.push_back(std::move(spec));
}

void add_artifact_port(ir::Interface& itf, std::string_view name, ir::ArtifactType type,
                       bool is_list, bool optional) {
  ir::ArtifactSpec spec;
  spec.name = std::string(name);
  spec.type = std::move(type);
  spec.is_list = is_list;
  spec.is_optional = optional;
  itf.artifacts.push_back(std::move(spec));
}

void describe_port(ComponentData& c, std::string_view port, std::string text) {
  bool found = false;
  for (ir::Interface* itf : {&c.inputs, &c.outputs}) {
    for (auto& p : itf->parameters)
      if (p.name == port) p.description = text, found = true;
    for (auto& a : itf->artifacts)
      if (a.name == port) a.description = text, found = true;
  }
  if (!found)
    throw DefinitionError({"kfpp.unknown_port", "component " + c.name + "/" + std::string(port),
                           "the component has no port called '" + std::string(port) + "'",
                           "describe one of its inputs or outputs"});
}

namespace {
bool has_list_if_present(const ir::Arg& a, bool in_concat) {
  if (a.kind == ir::Arg::Kind::text) return false;
  if (a.kind == ir::Arg::Kind::if_present && in_concat &&
      (!a.then_single || (a.has_otherwise && !a.else_single)))
    return true;
  const bool inner = in_concat || a.kind == ir::Arg::Kind::concat;
  for (const auto& x : a.items)
    if (has_list_if_present(x, inner)) return true;
  for (const auto& x : a.otherwise)
    if (has_list_if_present(x, inner)) return true;
  return false;
}
}  // namespace

void check_command_line(const ComponentData& c, const std::vector<ir::Arg>& args,
                        const char* what) {
  for (std::size_t i = 0; i < args.size(); ++i)
    if (has_list_if_present(args[i], false))
      throw DefinitionError(
          {"kfpp.if_present_list_in_concat",
           "component " + c.name + "/" + what + "/" + std::to_string(i),
           "an if_present inside a concat has a list of arguments",
           "use kfpp::if_present_single<\"name\">(x).otherwise(y) inside concat, or move the "
           "if_present out of it"});
}

std::string quote_port(std::string_view name) { return "'" + std::string(name) + "'"; }

std::string sanitize_name(const std::string& name) {
  std::string out;
  out.reserve(name.size());
  bool dash = false;
  for (char c : name) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += l;
    } else {
      dash = true;
    }
  }
  return out;
}

void check_python_function(const std::string& fn) {
  bool ok = !fn.empty() && !(fn[0] >= '0' && fn[0] <= '9');
  for (char c : fn)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw DefinitionError({"kfpp.invalid_name", "component " + fn,
                           "'" + fn + "' is not a Python function name",
                           "name the function that the source defines, e.g. 'train_model'"});
}

ir::PythonFunction& python_function_of(ComponentData& c) {
  if (!c.executor.container || !c.executor.container->python)
    throw DefinitionError(
        {"kfpp.not_python", "component " + c.name,
         "Python options (packages, indexes, runtime, target image) apply only to "
         "Python components",
         "make it with Component<...>::python, or install the packages in "
         "the image"});
  return *c.executor.container->python;
}

void set_base_image(ComponentData& c, std::string ref) {
  if (c.executor.container && c.executor.container->python &&
      c.executor.container->python->containerized)
    throw DefinitionError(
        {"kfpp.target_image", "component " + c.name + "/image",
         "a containerized component runs its target image, so a base image set after it "
         "would not be used",
         "leave base_image out: the IR names only the target image, as the SDK writes it"});
  c.executor.container->image = std::move(ref);
}

void require_plain_container(const ComponentData& c, const char* what) {
  if (c.executor.container && c.executor.container->python)
    throw DefinitionError(
        {"kfpp.python_command", "component " + c.name,
         std::string("a Python component's ") + what + " is written by the launcher",
         "use Component<...>::container for a command line of your own"});
}

void set_port_default(ComponentData& c, std::string_view port, ir::Value v) {
  for (auto& p : c.inputs.parameters)
    if (p.name == port) {
      p.default_value = std::move(v);
      p.is_optional = true;
      return;
    }
  throw DefinitionError(
      {"kfpp.unknown_port", "component " + c.name + "/inputs/" + std::string(port),
       "only parameter inputs take defaults", "leave optional artifacts unbound instead"});
}

void use_pipeline(ComponentData& c, ir::Pipeline pipeline) {
  ir::validate(pipeline);
  const std::string where = "component " + c.name;
  auto mismatch = [&](const std::string& what, const std::string& fix) {
    return DefinitionError({"kfpp.pipeline_ports", where, what, fix});
  };
  auto check = [&](const ir::Interface& declared, const ir::Interface& actual, const char* side) {
    for (const auto& d : declared.parameters) {
      const auto* a = actual.find_parameter(d.name);
      if (!a)
        throw mismatch(
            std::string("declares ") + side + " '" + d.name + "', which the pipeline does not have",
            "declare the pipeline's own inputs and outputs");
      if (a->type != d.type)
        throw mismatch(std::string(side) + " '" + d.name + "' is " + ir::to_string(a->type) +
                           " in the pipeline but declared " + ir::to_string(d.type),
                       "declare the type the pipeline has");
    }
    for (const auto& d : declared.artifacts) {
      const auto* a = actual.find_artifact(d.name);
      if (!a || !(a->type == d.type))
        throw mismatch(std::string("declares ") + side + " artifact '" + d.name +
                           "', which the pipeline does not have with that type",
                       "declare the pipeline's own inputs and outputs");
    }
    for (const auto& a : actual.parameters)
      if (!declared.find_parameter(a.name))
        throw mismatch(std::string("the pipeline's ") + side + " '" + a.name + "' is not declared",
                       "add a port for it");
    for (const auto& a : actual.artifacts)
      if (!declared.find_artifact(a.name))
        throw mismatch(
            std::string("the pipeline's ") + side + " artifact '" + a.name + "' is not declared",
            "add a port for it");
  };
  check(c.inputs, pipeline.root.inputs, "input");
  check(c.outputs, pipeline.root.outputs, "output");
  // The pipeline's own definitions carry its defaults.
  c.inputs = pipeline.root.inputs;
  c.executor = ir::Executor{};
  c.pipeline = std::move(pipeline);
}

}  // namespace kfpp::detail
