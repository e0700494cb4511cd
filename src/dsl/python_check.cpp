// SPDX-License-Identifier: Apache-2.0
// A Python component's declared ports checked against its function, as the SDK would read them
// from the function (kfp/dsl/component_factory.py: parameters are inputs, `Output[...]` and
// `OutputPath(...)` parameters and the return value are outputs), and its launcher options
// checked for ones that would do nothing.
#include <algorithm>

#include "dsl/python_signature.hpp"
#include "kfpp/error.hpp"

namespace kfpp::detail {

namespace {

// What an annotation makes of a port.
struct Shape {
  enum class Kind { parameter, artifact, final_status, embedded, unknown };
  Kind kind = Kind::unknown;
  bool output = false;  ///< `Output[...]`, `OutputPath(...)`
  ir::ParameterType type = ir::ParameterType::string;
  std::string schema_title;  ///< artifact: `system.X`; empty: a class of the user's (any schema)
  bool is_list = false;
  bool is_none = false;  ///< the annotation is `None`
};

std::string short_name(const std::string& dotted) {
  const auto dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The SDK's parameter type names (type_utils.PARAMETER_TYPES_MAPPING), and the typing names.
std::optional<ir::ParameterType> parameter_named(const std::string& name) {
  const std::string n = lower(short_name(name));
  if (n == "int" || n == "integer") return ir::ParameterType::number_integer;
  if (n == "float" || n == "double") return ir::ParameterType::number_double;
  if (n == "str" || n == "string" || n == "text") return ir::ParameterType::string;
  if (n == "bool" || n == "boolean") return ir::ParameterType::boolean;
  if (n == "list" || n == "jsonarray") return ir::ParameterType::list;
  if (n == "dict" || n == "jsonobject") return ir::ParameterType::structure;
  return std::nullopt;
}

// The SDK's artifact classes (type_utils.ARTIFACT_CLASSES_MAPPING) by their class names.
// The SDK's artifact classes, each `system.<name>`.
constexpr const char* kArtifactKinds[] = {"Artifact",
                                          "Dataset",
                                          "Model",
                                          "Metrics",
                                          "ClassificationMetrics",
                                          "SlicedClassificationMetrics",
                                          "HTML",
                                          "Markdown"};

std::string artifact_named(const std::string& name, const PythonSignature& sig) {
  const std::string s = short_name(name);
  for (const auto& c : sig.classes)
    if (c == s) return {};  // the source's own class, whatever schema it names
  for (const char* k : kArtifactKinds)
    if (s == k) return std::string("system.") + k;
  return {};
}

bool is_known_artifact(const std::string& name, const PythonSignature& sig) {
  return !artifact_named(name, sig).empty();
}

// `Optional[X]`, `Union[X, None]` and `X | None` are X (the SDK strips Optional).
const PyExpr& strip_optional(const PyExpr& e) {
  auto is_none = [](const PyExpr& x) {
    return x.kind == PyExpr::Kind::constant && x.text == "None";
  };
  if (e.kind == PyExpr::Kind::subscript && e.items.front().kind == PyExpr::Kind::name) {
    const std::string base = short_name(e.items.front().text);
    if (base == "Optional" && e.items.size() == 2) return strip_optional(e.items[1]);
    if (base == "Union" && e.items.size() == 3) {
      if (is_none(e.items[2])) return strip_optional(e.items[1]);
      if (is_none(e.items[1])) return strip_optional(e.items[2]);
    }
  }
  if (e.kind == PyExpr::Kind::union_of && e.items.size() == 2) {
    if (is_none(e.items[1])) return strip_optional(e.items[0]);
    if (is_none(e.items[0])) return strip_optional(e.items[1]);
  }
  return e;
}

// An artifact class, or a list of one: `Dataset`, `dsl.Model`, `List[Dataset]`, `list[Model]`.
std::optional<Shape> artifact_shape(const PyExpr& e, const PythonSignature& sig, bool marked) {
  Shape s;
  s.kind = Shape::Kind::artifact;
  if (e.kind == PyExpr::Kind::name) {
    // Inside Input[]/Output[] any class is an artifact class; bare, only the SDK's own are.
    if (!marked && !is_known_artifact(e.text, sig) &&
        !(std::find(sig.classes.begin(), sig.classes.end(), short_name(e.text)) !=
          sig.classes.end()))
      return std::nullopt;
    if (parameter_named(e.text)) return std::nullopt;
    s.schema_title = artifact_named(e.text, sig);
    return s;
  }
  if (e.kind == PyExpr::Kind::subscript && e.items.size() == 2 &&
      e.items.front().kind == PyExpr::Kind::name &&
      lower(short_name(e.items.front().text)) == "list") {
    auto inner = artifact_shape(e.items[1], sig, marked);
    if (!inner || inner->is_list) return std::nullopt;
    inner->is_list = true;
    return inner;
  }
  return std::nullopt;
}

// The type an `InputPath(...)` / `OutputPath(...)` names: a parameter type or an artifact.
Shape path_shape(const PyExpr& call, const PythonSignature& sig) {
  Shape s;
  s.kind = Shape::Kind::artifact;
  s.schema_title = "system.Artifact";
  const PyExpr* type = nullptr;
  for (std::size_t i = 1; i < call.items.size(); ++i)
    if (call.keywords[i].empty() || call.keywords[i] == "type") type = &call.items[i];
  if (!type) return s;
  std::string name;
  if (type->kind == PyExpr::Kind::name || type->kind == PyExpr::Kind::string) name = type->text;
  if (type->kind == PyExpr::Kind::subscript && type->items.front().kind == PyExpr::Kind::name)
    name = type->items.front().text;
  if (auto p = parameter_named(name)) {
    s.kind = Shape::Kind::parameter;
    s.type = *p;
    return s;
  }
  if (type->kind == PyExpr::Kind::string) {
    // The SDK's v1 names, in any case (`'Dataset'`, `'model'`); one it does not know is the
    // generic artifact (type_annotations.construct_type_for_inputpath_or_outputpath).
    for (const char* k : kArtifactKinds)
      if (lower(name) == lower(k)) s.schema_title = std::string("system.") + k;
    return s;
  }
  // A class: one of the SDK's, or one of the user's (whatever schema it names).
  s.schema_title = artifact_named(name, sig);
  return s;
}

Shape shape_of(const PyExpr& annotation, const PythonSignature& sig) {
  const PyExpr& e = strip_optional(annotation);
  Shape s;
  if (e.kind == PyExpr::Kind::constant && e.text == "None") {
    s.is_none = true;
    return s;
  }
  if (e.kind == PyExpr::Kind::name) {
    if (short_name(e.text) == "PipelineTaskFinalStatus") {
      s.kind = Shape::Kind::final_status;
      s.type = ir::ParameterType::task_final_status;
      return s;
    }
    if (auto p = parameter_named(e.text)) {
      s.kind = Shape::Kind::parameter;
      s.type = *p;
      return s;
    }
    if (auto a = artifact_shape(e, sig, false)) return *a;
    return s;
  }
  if (e.kind == PyExpr::Kind::subscript && e.items.front().kind == PyExpr::Kind::name) {
    const std::string base = short_name(e.items.front().text);
    // The SDK leaves `EmbeddedInput[...]` out of the interface: it is filled at run time from
    // an archive embedded in the source, not by a port.
    if (base == "EmbeddedInput") {
      s.kind = Shape::Kind::embedded;
      return s;
    }
    if ((base == "Input" || base == "Output") && e.items.size() == 2) {
      auto a = artifact_shape(e.items[1], sig, true);
      if (!a) return s;
      a->output = base == "Output";
      return *a;
    }
    if (auto a = artifact_shape(e, sig, false)) return *a;
    if (auto p = parameter_named(base)) {
      s.kind = Shape::Kind::parameter;
      s.type = *p;
    }
    return s;
  }
  if (e.kind == PyExpr::Kind::call && e.items.front().kind == PyExpr::Kind::name) {
    const std::string base = short_name(e.items.front().text);
    if (base == "InputPath" || base == "OutputPath") {
      s = path_shape(e, sig);
      s.output = base == "OutputPath";
    }
  }
  return s;
}

std::string describe(const Shape& s) {
  switch (s.kind) {
    case Shape::Kind::parameter:
      return std::string("a ") + ir::to_string(s.type) + " parameter";
    case Shape::Kind::final_status:
      return "the task final status";
    case Shape::Kind::artifact:
      return std::string(s.is_list ? "a list of " : "a ") +
             (s.schema_title.empty() ? "user-defined" : s.schema_title) + " artifact" +
             (s.is_list ? "s" : "");
    case Shape::Kind::embedded:
    case Shape::Kind::unknown:
      break;
  }
  return "unknown";
}

// The C++ port type that fits `s`, for the messages' fixes.
std::string cpp_type(const Shape& s) {
  if (s.kind == Shape::Kind::final_status) return "kfpp::PipelineTaskFinalStatus";
  if (s.kind == Shape::Kind::artifact) {
    std::string t =
        s.schema_title.empty() ? "your artifact type" : "kfpp::" + s.schema_title.substr(7);
    return s.is_list ? "std::vector<" + t + ">" : t;
  }
  switch (s.type) {
    case ir::ParameterType::string:
      return "std::string";
    case ir::ParameterType::number_integer:
      return "int";
    case ir::ParameterType::number_double:
      return "double";
    case ir::ParameterType::boolean:
      return "bool";
    case ir::ParameterType::list:
      return "std::vector<T>";
    case ir::ParameterType::structure:
      return "std::map<std::string, T> or kfpp::Json";
    case ir::ParameterType::task_final_status:
      return "kfpp::PipelineTaskFinalStatus";
  }
  return "T";
}

bool same_value(const ir::Value& a, const ir::Value& b) {
  if (a.is_number() && b.is_number()) return a.as_double() == b.as_double();
  if (a.is_array() && b.is_array()) {
    if (a.as_array().size() != b.as_array().size()) return false;
    for (std::size_t i = 0; i < a.as_array().size(); ++i)
      if (!same_value(a.as_array()[i], b.as_array()[i])) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.as_object().size() != b.as_object().size()) return false;
    for (const auto& [k, v] : a.as_object()) {
      auto it = b.as_object().find(k);
      if (it == b.as_object().end() || !same_value(v, it->second)) return false;
    }
    return true;
  }
  return a == b;
}

// A port the function declares.
struct Declared {
  std::string name;
  Shape shape;
  const PythonParameter* parameter = nullptr;  ///< null for the return value
  std::string annotation;
};

class Checker {
 public:
  Checker(const ComponentData& c, const PythonSignature& sig) : c_(c), sig_(sig) {}

  void run() {
    if (!sig_.error.empty())
      throw DefinitionError(
          {"kfpp.signature_unreadable", where("python"),
           "cannot check the ports against the function: " + sig_.error,
           "define `def " + sig_.function +
               "(...)` at the top level of the source with one annotated parameter per port, "
               "or call .skip_signature_check() on the component"});
    std::vector<Declared> inputs;
    std::vector<Declared> outputs;
    for (const auto& p : sig_.parameters) {
      if (p.name == "Output")
        throw mismatch("inputs/Output",
                       "the function has a parameter called 'Output', the name of the return value",
                       "rename the parameter");
      if (!p.annotation)
        throw mismatch("inputs/" + p.name,
                       "parameter '" + p.name + "' of the function has no type annotation",
                       "annotate it, e.g. `" + p.name + ": str` or `" + p.name +
                           ": Input[Dataset]`, as the SDK requires");
      Shape s = shape_of(*p.annotation, sig_);
      if (s.kind == Shape::Kind::unknown)
        throw mismatch("inputs/" + p.name,
                       "parameter '" + p.name + "' has annotation `" + p.annotation_text +
                           "`, which is not a KFP type",
                       "use str, int, float, bool, list, dict (or typing's List/Dict), Input[...] "
                       "or Output[...] of an artifact class, InputPath(...) or OutputPath(...)");
      if (s.kind == Shape::Kind::embedded) continue;
      (s.output ? outputs : inputs).push_back({p.name, s, &p, p.annotation_text});
    }
    read_returns(outputs);
    for (const auto& d : inputs) check_input(d);
    for (const auto& d : outputs) check_output(d);
    auto named = [](const std::vector<Declared>& v, const std::string& n) {
      for (const auto& d : v)
        if (d.name == n) return true;
      return false;
    };
    for (const ir::Interface* itf : {&c_.inputs, &c_.outputs}) {
      const bool in = itf == &c_.inputs;
      std::vector<std::string> names;
      for (const auto& p : itf->parameters) names.push_back(p.name);
      for (const auto& a : itf->artifacts) names.push_back(a.name);
      for (const auto& n : names)
        if (!named(in ? inputs : outputs, n))
          throw mismatch(
              std::string(in ? "inputs/" : "outputs/") + n,
              std::string(in ? "input" : "output") + " '" + n + "' is declared but " +
                  (in ? std::string("is not a parameter of the function")
                      : "is neither an Output[...]/OutputPath parameter of the function nor " +
                            std::string(n == "Output" ? "its return value"
                                                      : "a field of its NamedTuple return value")),
              in ? "add `" + n + ": <type>` to `def " + sig_.function + "(...)` or remove the port"
                 : "add `" + n + ": Output[...]` to the parameters, return it, or remove the port");
    }
  }

 private:
  std::string where(const std::string& rest) const { return "component " + c_.name + "/" + rest; }

  DefinitionError mismatch(const std::string& path, const std::string& what,
                           const std::string& fix) const {
    return DefinitionError({"kfpp.signature_mismatch", where(path), what, fix});
  }

  void read_returns(std::vector<Declared>& outputs) const {
    if (!sig_.returns) return;
    const PyExpr& r = *sig_.returns;
    if (r.kind == PyExpr::Kind::constant && r.text == "None") return;
    if (r.kind == PyExpr::Kind::call && r.items.front().kind == PyExpr::Kind::name &&
        short_name(r.items.front().text) == "NamedTuple") {
      auto bad = [&] {
        return mismatch(
            "outputs",
            "the NamedTuple return annotation `" + sig_.returns_text + "` cannot be read",
            "write it as NamedTuple('Outputs', [('name', type), ...])");
      };
      for (std::size_t i = 2; i < r.items.size(); ++i) {
        if (!r.keywords[i].empty()) {
          outputs.push_back({r.keywords[i], field_shape(r.keywords[i], r.items[i]), nullptr, ""});
          continue;
        }
        if (i != 2 ||
            (r.items[i].kind != PyExpr::Kind::list && r.items[i].kind != PyExpr::Kind::tuple))
          throw bad();
        for (const auto& f : r.items[i].items) {
          if ((f.kind != PyExpr::Kind::tuple && f.kind != PyExpr::Kind::list) ||
              f.items.size() != 2 || f.items[0].kind != PyExpr::Kind::string)
            throw bad();
          outputs.push_back(
              {f.items[0].text, field_shape(f.items[0].text, f.items[1]), nullptr, ""});
        }
      }
      return;
    }
    Shape s = shape_of(r, sig_);
    if (s.kind == Shape::Kind::unknown || s.kind == Shape::Kind::embedded || s.output ||
        s.kind == Shape::Kind::final_status)
      throw mismatch("outputs/Output",
                     "the return annotation `" + sig_.returns_text + "` is not a KFP type",
                     "return str, int, float, bool, list, dict, an artifact class or a "
                     "NamedTuple of those");
    outputs.push_back({"Output", s, nullptr, sig_.returns_text});
  }

  Shape field_shape(const std::string& name, const PyExpr& e) const {
    Shape s = shape_of(e, sig_);
    if (s.kind == Shape::Kind::unknown || s.kind == Shape::Kind::embedded || s.output ||
        s.kind == Shape::Kind::final_status)
      throw mismatch("outputs/" + name,
                     "field '" + name +
                         "' of the NamedTuple return value has a type that is "
                         "not a KFP type",
                     "use str, int, float, bool, list, dict or an artifact class");
    s.output = true;
    return s;
  }

  void check_input(const Declared& d) const {
    const std::string path = "inputs/" + d.name;
    const auto* param = c_.inputs.find_parameter(d.name);
    const auto* art = c_.inputs.find_artifact(d.name);
    if (!param && !art) {
      const bool is_output = c_.outputs.find_parameter(d.name) || c_.outputs.find_artifact(d.name);
      throw mismatch(path,
                     "parameter '" + d.name + "' of the function (`" + d.annotation + "`) " +
                         (is_output ? "is an input, but the component declares it as an output"
                                    : "has no input port"),
                     "declare Port<\"" + d.name + "\", " + cpp_type(d.shape) +
                         "> among the inputs" + (is_output ? " instead of the outputs" : ""));
    }
    check_kind(d, path, param, art);
    // Defaults: a Python default makes the port optional; its value is the port's default.
    const PythonParameter& p = *d.parameter;
    const bool optional = param ? param->is_optional : art->is_optional;
    if (d.shape.kind == Shape::Kind::final_status) return;  // always optional, never a default
    if (!p.default_value) {
      if (optional)
        throw mismatch(path,
                       "input '" + d.name + "' is optional, but parameter '" + d.name +
                           "' of the function has no default",
                       "give the parameter a default in the source (`" + d.name + ": " +
                           d.annotation + " = ...`), or declare Port<\"" + d.name + "\", " +
                           cpp_type(d.shape) + "> without std::optional");
      return;
    }
    const std::optional<ir::Value> py = python_literal(*p.default_value);
    const bool none = py && py->is_null();
    if (!optional)
      throw mismatch(
          path,
          "parameter '" + d.name + "' of the function has the default " + p.default_text +
              ", but its input port is required",
          "declare Port<\"" + d.name + "\", std::optional<" + cpp_type(d.shape) + ">>" +
              (none ? "" : " and .default_value<\"" + d.name + "\">(" + p.default_text + ")"));
    if (art) {
      if (!none)
        throw mismatch(path,
                       "artifact parameter '" + d.name + "' has the default " + p.default_text,
                       "an optional artifact's default can only be None");
      return;
    }
    if (none) {
      if (param->default_value)
        throw mismatch(path,
                       "parameter '" + d.name +
                           "' defaults to None in the function, but the "
                           "port's default is " +
                           ir::python_json_text(*param->default_value),
                       "remove .default_value<\"" + d.name +
                           "\">(...) or write the default in "
                           "the source");
      return;
    }
    if (!param->default_value)
      throw mismatch(
          path,
          "parameter '" + d.name + "' has the default " + p.default_text +
              " in the function, but its port has no default",
          "add .default_value<\"" + d.name + "\">(" + p.default_text + ") to the component");
    // A default that is not a literal (a name, a call) is evaluated by Python; it is not compared.
    if (py && !same_value(*py, *param->default_value))
      throw mismatch(path,
                     "parameter '" + d.name + "' has the default " + p.default_text +
                         " in the function, but its port's default is " +
                         ir::python_json_text(*param->default_value),
                     "make the two defaults the same");
  }

  void check_output(const Declared& d) const {
    const std::string path = "outputs/" + d.name;
    const auto* param = c_.outputs.find_parameter(d.name);
    const auto* art = c_.outputs.find_artifact(d.name);
    const std::string source =
        d.parameter ? "parameter '" + d.name + "' of the function (`" + d.annotation + "`)"
        : d.name == "Output" && !d.annotation.empty()
            ? "the function's return value (`" + d.annotation + "`)"
            : "field '" + d.name + "' of the function's NamedTuple return value";
    if (!param && !art) {
      const bool is_input = c_.inputs.find_parameter(d.name) || c_.inputs.find_artifact(d.name);
      throw mismatch(
          path,
          source + (is_input ? " is an output, but the component declares it as "
                               "an input"
                             : " has no output port"),
          "declare Port<\"" + d.name + "\", " + cpp_type(d.shape) + "> among the outputs" +
              (is_input ? " instead of the inputs" : "") +
              (d.name == "Output" && !d.parameter
                   ? " (or a single output type, Component<In, " + cpp_type(d.shape) + ">)"
                   : ""));
    }
    check_kind(d, path, param, art);
  }

  void check_kind(const Declared& d, const std::string& path, const ir::ParameterSpec* param,
                  const ir::ArtifactSpec* art) const {
    Shape port;
    if (param) {
      port.kind = param->type == ir::ParameterType::task_final_status ? Shape::Kind::final_status
                                                                      : Shape::Kind::parameter;
      port.type = param->type;
    } else {
      port.kind = Shape::Kind::artifact;
      port.schema_title = art->type.schema_title;
      port.is_list = art->is_list;
    }
    bool fits = port.kind == d.shape.kind;
    if (fits && port.kind == Shape::Kind::parameter) fits = port.type == d.shape.type;
    if (fits && port.kind == Shape::Kind::artifact) {
      fits = port.is_list == d.shape.is_list;
      // A class of the user's (or one kfpp cannot name) fits any artifact type but kfpp's own.
      if (d.shape.schema_title.empty())
        fits = fits && port.schema_title.rfind("system.", 0) != 0;
      else
        fits = fits && port.schema_title == d.shape.schema_title;
    }
    if (!fits) {
      const std::string what = d.parameter ? "parameter '" + d.name + "' is `" + d.annotation + "`"
                               : d.name == "Output" && !d.annotation.empty()
                                   ? "the return value is `" + d.annotation + "`"
                                   : "field '" + d.name + "' of the return value";
      throw mismatch(
          path, what + ", " + describe(d.shape) + ", but its port is " + describe(port),
          "declare Port<\"" + d.name + "\", " + cpp_type(d.shape) + "> or change the annotation");
    }
  }

  const ComponentData& c_;
  const PythonSignature& sig_;
};

void check_options(const ComponentData& c, const ir::PythonFunction& fn) {
  const std::string where = "component " + c.name + "/python";
  auto unused = [&](const std::string& what, const std::string& fix) {
    return DefinitionError({"kfpp.python_option_unused", where, what, fix});
  };
  const bool kfp = fn.installs_kfp();
  if (fn.pip_trusted_hosts && !fn.pip_trusted_hosts->empty() && fn.pip_index_urls.empty())
    throw unused("pip_trusted_hosts is set without pip_index_urls; pip would not be told",
                 "set .pip_index_urls({...}) too, or leave the trusted hosts out");
  if (!fn.pip_index_urls.empty() && !kfp && fn.packages.empty())
    throw unused("pip_index_urls is set, but nothing is installed",
                 "leave the index URLs out, or give .packages({...})");
  const char* why = fn.containerized          ? "a containerized component (target_image) "
                                                "does not install the KFP runtime"
                    : !fn.install_kfp_package ? "install_kfp_package(false) leaves the KFP "
                                                "runtime to the image"
                                              : "a kfp package among the packages replaces "
                                                "the runtime the launcher would install";
  if (fn.use_venv && !kfp)
    throw unused(std::string("use_venv is set, but ") + why,
                 "leave use_venv out: the virtual environment only holds the KFP runtime");
  if (!fn.kfp_package_path.empty() && !kfp)
    throw unused(std::string("kfp_package_path is set, but ") + why,
                 "leave kfp_package_path out, or let the launcher install the runtime");
}

}  // namespace

void check_python_component(const ComponentData& c) {
  if (!c.executor.container || !c.executor.container->python) return;
  check_options(c, *c.executor.container->python);
  if (!c.check_signature || !c.signature) return;
  Checker(c, *static_cast<const PythonSignature*>(c.signature.get())).run();
}

}  // namespace kfpp::detail
