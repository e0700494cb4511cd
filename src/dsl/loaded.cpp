// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/loaded.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "dsl/state.hpp"
#include "ir/yaml_input.hpp"
#include "kfpp/dsl/pipeline.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "kfpp/ir/reader.hpp"

namespace kfpp {

namespace {

using detail::for_each_item;
using detail::MapInput;
using detail::YamlInput;
using detail::YamlNode;

// --- KFP v2 IR component files ----------------------------------------------------------------

// A compiled component is a pipeline whose root runs one leaf task; anything larger is used as a
// nested pipeline.
detail::ComponentData from_pipeline(ir::Pipeline p) {
  detail::ComponentData c;
  c.name = p.name;
  c.inputs = p.root.inputs;
  c.outputs = p.root.outputs;
  if (p.root.dag && p.root.dag->tasks.size() == 1) {
    const ir::Task& t = p.root.dag->tasks.front();
    const ir::Component* comp = p.find_component(t.component_ref);
    const ir::Executor* e = comp ? p.find_executor(comp->executor_label) : nullptr;
    if (comp && e && !comp->dag) {
      c.inputs = comp->inputs;
      c.outputs = comp->outputs;
      c.executor = *e;
      return c;
    }
  }
  c.pipeline = std::move(p);
  return c;
}

// --- KFP v1 component.yaml --------------------------------------------------------------------

std::optional<ir::ParameterType> v1_parameter_type(const std::string& t) {
  static const std::pair<const char*, ir::ParameterType> kTypes[] = {
      {"String", ir::ParameterType::string},
      {"str", ir::ParameterType::string},
      {"Integer", ir::ParameterType::number_integer},
      {"int", ir::ParameterType::number_integer},
      {"Float", ir::ParameterType::number_double},
      {"float", ir::ParameterType::number_double},
      {"Bool", ir::ParameterType::boolean},
      {"Boolean", ir::ParameterType::boolean},
      {"bool", ir::ParameterType::boolean},
      {"JsonObject", ir::ParameterType::structure},
      {"Dict", ir::ParameterType::structure},
      {"dict", ir::ParameterType::structure},
      {"JsonArray", ir::ParameterType::list},
      {"List", ir::ParameterType::list},
      {"list", ir::ParameterType::list}};
  for (const auto& [name, type] : kTypes)
    if (t == name) return type;
  return std::nullopt;
}

ir::ArtifactType v1_artifact_type(const std::string& t) {
  for (const char* known : {"Dataset", "Model", "Metrics", "HTML", "Markdown",
                            "ClassificationMetrics", "SlicedClassificationMetrics", "Artifact"})
    if (t == known) return {std::string("system.") + known, "0.0.1"};
  return {"system.Artifact", "0.0.1"};
}

// The name a v1 port gets in KFP v2, as the KFP SDK converts it: lower case, each run of other
// characters one `_`, none at either end (`Learning rate` -> `learning_rate`).
std::string v2_port_name(const std::string& name) {
  std::string out;
  for (char ch : name) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (keep)
      out += c;
    else if (out.empty() || out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

struct V1Port {
  std::string original;  ///< as the file spells it; placeholders use it
  std::string name;      ///< the v2 name
  std::string type;
  std::string description;
  std::optional<std::string> default_text;
  bool optional = false;
  YamlNode node;
  std::string path;
};

class V1Reader {
 public:
  V1Reader(YamlInput& in) : in_(in) {}

  detail::ComponentData read(const YamlNode& doc) {
    detail::ComponentData c;
    MapInput m(in_, doc, "", "a v1 component");
    if (!m.ok()) return c;
    c.name = m.string("name");
    if (c.name.empty())
      in_.error(doc, "name", "kfpp.missing_key", "the component has no name", "set name");
    (void)m.string("description");
    (void)m.get("metadata");  // annotations and labels: not part of the component's behaviour
    std::vector<V1Port> ins = ports(m, "inputs");
    std::vector<V1Port> outs = ports(m, "outputs");

    MapInput impl(in_, m.get("implementation"), m.path("implementation"), "implementation");
    MapInput cont(in_, impl.get("container"), impl.path("container"), "a container");
    // Which inputs are read as files decides which are artifacts.
    find_path_inputs(cont.get("command"));
    find_path_inputs(cont.get("args"));

    // Read as a file: an artifact. Otherwise a known parameter type is a parameter, an unknown
    // type read as a value a STRING parameter, and an unknown type never read as a value an
    // artifact.
    for (const auto& p : ins) {
      const auto ptype = v1_parameter_type(p.type);
      const bool artifact = path_inputs_.count(p.name) > 0 ||
                            (!ptype && !p.type.empty() && !value_inputs_.count(p.name));
      if (!artifact) {
        add_parameter(c.inputs, p, ptype.value_or(ir::ParameterType::string));
        continue;
      }
      ir::ArtifactSpec a;
      a.name = p.name;
      a.type = v1_artifact_type(p.type);
      a.is_optional = p.optional;
      a.description = p.description;
      c.inputs.artifacts.push_back(std::move(a));
      if (p.default_text)
        in_.error(p.node, p.path, "kfpp.bad_value", "an artifact input cannot have a default",
                  "remove the default");
    }
    for (const auto& p : outs) {
      if (auto t = v1_parameter_type(p.type)) {
        c.outputs.parameters.push_back({p.name, *t, std::nullopt, false, p.description});
      } else {
        ir::ArtifactSpec a;
        a.name = p.name;
        a.type = v1_artifact_type(p.type);
        a.description = p.description;
        c.outputs.artifacts.push_back(std::move(a));
      }
    }
    c_ = &c;
    ir::ContainerSpec spec;
    spec.image = cont.string("image");
    if (spec.image.empty() && cont.ok())
      in_.error(cont.node(), cont.path(), "kfpp.missing_key", "the container has no image",
                "set image");
    spec.command = args(cont.get("command"), cont.path("command"));
    spec.args = args(cont.get("args"), cont.path("args"));
    if (cont.has("env"))
      detail::for_each_entry(in_, cont.get("env"), cont.path("env"), "environment variables",
                             [&](std::string_view k, const YamlNode& v, const detail::YamlPath& p) {
                               spec.env.push_back({std::string(k), in_.string(v, p)});
                             });
    if (cont.has("fileOutputs"))
      in_.error(cont.get("fileOutputs"), cont.path("fileOutputs"), "kfpp.unsupported_field",
                "fileOutputs (v1 file outputs) are not supported",
                "write outputs to {outputPath: name}");
    cont.finish();
    impl.finish();
    m.finish();
    c.executor.container = std::move(spec);
    return c;
  }

 private:
  void add_parameter(ir::Interface& itf, const V1Port& p, ir::ParameterType type) {
    ir::ParameterSpec s{p.name, type, std::nullopt, p.optional, p.description};
    if (p.default_text) {
      // v1 defaults are text; typed ones are read as that type.
      if (type == ir::ParameterType::string) {
        s.default_value = ir::Value(*p.default_text);
      } else {
        auto v = in_.json(p.node, p.path + ".default", *p.default_text);
        if (v && type == ir::ParameterType::number_double && v->is_int())
          v = ir::Value(v->as_double());
        if (v && !ir::value_matches(*v, type))
          in_.error(p.node, p.path + ".default", "kfpp.type_mismatch",
                    "the default '" + *p.default_text + "' is not a " + ir::to_string(type),
                    "give a default of the input's type");
        else if (v)
          s.default_value = std::move(*v);
      }
      s.is_optional = true;
    }
    itf.parameters.push_back(std::move(s));
  }

  std::vector<V1Port> ports(MapInput& m, const char* key) {
    std::vector<V1Port> out;
    if (!m.has(key)) return out;
    std::set<std::string> seen;
    for_each_item(in_, m.get(key), m.path(key), key,
                  [&](const YamlNode& n, const std::string& path) {
                    MapInput pm(in_, n, path, "a port");
                    V1Port p;
                    p.node = n;
                    p.path = path;
                    p.original = pm.string("name");
                    p.name = v2_port_name(p.original);
                    renamed_[std::string(key) == "inputs" ? 0 : 1][p.original] = p.name;
                    YamlNode type = pm.get("type");
                    if (type.defined() && !type.is_scalar())
                      in_.error(type, pm.path("type"), "kfpp.unsupported_field",
                                "structured v1 types are not supported", "give a type name");
                    else if (type.defined())
                      p.type = type.text();
                    p.description = pm.string("description");
                    if (pm.has("default")) p.default_text = pm.string("default");
                    p.optional = pm.boolean("optional").value_or(false);
                    (void)pm.get("annotations");
                    pm.finish();
                    if (!seen.insert(p.name).second)
                      in_.error(n, path, "kfpp.duplicate_name",
                                "port '" + p.original + "' appears twice (as '" + p.name + "')",
                                "rename one");
                    out.push_back(std::move(p));
                  });
    return out;
  }

  std::string renamed(bool input, const std::string& original) const {
    const auto& m = renamed_[input ? 0 : 1];
    auto it = m.find(original);
    return it == m.end() ? original : it->second;
  }

  void find_path_inputs(const YamlNode& n) {
    if (n.is_map()) {
      for (const auto& kv : n.entries()) {
        const std::string k = kv.key.text();
        if ((k == "inputPath" || k == "inputUri") && kv.value.is_scalar())
          path_inputs_.insert(renamed(true, kv.value.text()));
        if (k == "inputValue" && kv.value.is_scalar())
          value_inputs_.insert(renamed(true, kv.value.text()));
        find_path_inputs(kv.value);
      }
    } else if (n.is_list()) {
      for (const auto& item : n.items()) find_path_inputs(item);
    }
  }

  std::vector<ir::Arg> args(const YamlNode& n, const std::string& path) {
    std::vector<ir::Arg> out;
    for_each_item(in_, n, path, "command-line arguments",
                  [&](const YamlNode& item, const std::string& p) { out.push_back(arg(item, p)); });
    return out;
  }

  bool is_input_parameter(const std::string& name) const {
    return c_->inputs.find_parameter(name) != nullptr;
  }

  ir::Arg arg(const YamlNode& n, const std::string& path) {
    if (n.is_scalar()) return ir::Arg::of(n.text());
    if (!n.is_map() || n.size() != 1) {
      in_.error(n, path, "kfpp.bad_placeholder", "an argument is a string or one placeholder",
                "write a string or {inputValue: name}");
      return ir::Arg::of("");
    }
    const std::string kind = n.key(0).text();
    const YamlNode body = n.value(0);
    const std::string at = path + "." + kind;
    auto port = [&](bool input) -> std::string {
      std::string name = renamed(input, body.is_scalar() ? body.text() : "");
      bool known = input ? (c_->inputs.find_parameter(name) || c_->inputs.find_artifact(name))
                         : (c_->outputs.find_parameter(name) || c_->outputs.find_artifact(name));
      if (!known)
        in_.error(body, at, "kfpp.unknown_port",
                  std::string("no ") + (input ? "input" : "output") + " named '" + name + "'",
                  "declare it under " + std::string(input ? "inputs" : "outputs"));
      return name;
    };
    if (kind == "inputValue") {
      std::string name = port(true);
      if (c_->inputs.find_artifact(name))
        in_.error(body, at, "kfpp.bad_placeholder",
                  "'" + name + "' is read as a file elsewhere; a value of it has no meaning",
                  "use inputPath for it everywhere");
      return ir::Arg::of("{{$.inputs.parameters['" + name + "']}}");
    }
    if (kind == "inputPath" || kind == "inputUri") {
      std::string name = port(true);
      return ir::Arg::of("{{$.inputs.artifacts['" + name + "']." +
                         (kind == "inputPath" ? "path" : "uri") + "}}");
    }
    if (kind == "outputPath" || kind == "outputUri") {
      std::string name = port(false);
      if (c_->outputs.find_parameter(name)) {
        if (kind == "outputUri")
          in_.error(body, at, "kfpp.bad_placeholder", "a parameter output has no URI",
                    "use outputPath");
        return ir::Arg::of("{{$.outputs.parameters['" + name + "'].output_file}}");
      }
      return ir::Arg::of("{{$.outputs.artifacts['" + name + "']." +
                         (kind == "outputPath" ? "path" : "uri") + "}}");
    }
    if (kind == "concat") {
      ir::Arg a;
      a.kind = ir::Arg::Kind::concat;
      a.items = args(body, at);
      return a;
    }
    if (kind == "if") {
      MapInput m(in_, body, at, "an if placeholder");
      ir::Arg a;
      a.kind = ir::Arg::Kind::if_present;
      MapInput cond(in_, m.get("cond"), m.path("cond"), "a condition");
      if (!cond.has("isPresent"))
        in_.error(cond.node(), cond.path(), "kfpp.unsupported_field",
                  "only {isPresent: input} conditions are supported",
                  "test whether an optional input is given");
      a.input_name = renamed(true, cond.string("isPresent"));
      cond.finish();
      a.items = args(m.get("then"), m.path("then"));
      if (m.has("else")) {
        a.has_otherwise = true;
        a.otherwise = args(m.get("else"), m.path("else"));
      }
      m.finish();
      return a;
    }
    in_.error(n, path, "kfpp.bad_placeholder", "unknown placeholder '" + kind + "'",
              "use inputValue, inputPath, inputUri, outputPath, outputUri, concat or if");
    return ir::Arg::of("");
  }

  YamlInput& in_;
  std::map<std::string, std::string> renamed_[2];  ///< inputs, outputs: v1 name -> v2 name
  std::set<std::string> path_inputs_;
  std::set<std::string> value_inputs_;
  const detail::ComponentData* c_ = nullptr;
};

}  // namespace

LoadedComponent load_component_text(std::string_view yaml, const std::string& file_name) {
  YamlInput in(file_name, true, nullptr);
  std::vector<YamlNode> docs = in.load_all(yaml);
  in.throw_if_failed();
  const YamlNode first = docs.empty() ? YamlNode() : docs.front();
  if (first.is_map() && first["implementation"].defined()) {
    if (docs.size() > 1)
      in.error(docs[1], "", "kfpp.extra_document", "a v1 component file holds one document",
               "remove the extra documents");
    V1Reader reader(in);
    detail::ComponentData c = reader.read(first);
    in.throw_if_failed();
    return LoadedComponent(std::move(c));
  }
  return LoadedComponent(from_pipeline(ir::read_pipeline(yaml, file_name)));
}

LoadedComponent load_component(const std::string& path) {
  return load_component_text(ir::read_text_file(path), path);
}

namespace detail {

std::vector<Binding> check_loaded_inputs(const ComponentData& c, const std::string& pipeline,
                                         const std::vector<NamedInput>& inputs) {
  const std::string where = pipeline + "/" + c.name + "/inputs/";
  std::vector<Binding> out;
  std::set<std::string> bound;
  auto names = [&] {
    std::string s;
    for (const auto& p : c.inputs.parameters) s += (s.empty() ? "" : ", ") + p.name;
    for (const auto& a : c.inputs.artifacts) s += (s.empty() ? "" : ", ") + a.name;
    return s.empty() ? std::string("none") : s;
  };
  for (const auto& in : inputs) {
    const std::string at = where + in.name;
    if (!bound.insert(in.name).second)
      throw DefinitionError({"kfpp.duplicate_name", at, "input '" + in.name + "' is given twice",
                             "give each input once"});
    const ir::ParameterSpec* ps = c.inputs.find_parameter(in.name);
    const ir::ArtifactSpec* as = c.inputs.find_artifact(in.name);
    if (!ps && !as)
      throw DefinitionError({"kfpp.unknown_port", at,
                             "component '" + c.name + "' has no input '" + in.name + "'",
                             "its inputs are: " + names()});
    const AnyInput& v = in.value;
    if (const Template* t = v.text()) {
      if (as || ps->type != ir::ParameterType::string)
        throw DefinitionError(
            {"kfpp.type_mismatch", at,
             "'" + in.name + "' is " +
                 (as ? "an artifact input"
                     : "a " + std::string(ir::to_string(ps->type)) + " parameter") +
                 " but the value is a template, which makes text",
             "pass a template to a STRING input only"});
      Binding b;
      b.port = in.name;
      if (t->channels().empty()) {
        b.source.constant = ir::Value(t->pieces().front());
      } else {
        b.pieces = t->pieces();
        b.parts = t->channels();
      }
      out.push_back(std::move(b));
      continue;
    }
    if (as) {
      if (!v.is_artifact() || v.is_artifact_list() != as->is_list)
        throw DefinitionError({"kfpp.type_mismatch", at,
                               "'" + in.name + "' is an artifact input (" + as->type.schema_title +
                                   (as->is_list ? " list" : "") + ") but the value is not",
                               "pass a channel of an artifact of that type"});
      if (!ir::artifact_fits(v.artifact_type(), as->type))
        throw DefinitionError({"kfpp.type_mismatch", at,
                               "an artifact of type " + v.artifact_type().schema_title +
                                   " cannot feed an input of type " + as->type.schema_title,
                               "pass a " + as->type.schema_title + " artifact"});
      out.push_back({in.name, true, v.source()});
      continue;
    }
    if (v.is_artifact())
      throw DefinitionError({"kfpp.type_mismatch", at,
                             "'" + in.name + "' is a " + ir::to_string(ps->type) +
                                 " parameter but the value is an artifact",
                             "pass a parameter value"});
    if (v.is_channel()) {
      bool ok = v.type() == ps->type || (v.type() == ir::ParameterType::number_integer &&
                                         ps->type == ir::ParameterType::number_double);
      if (!ok)
        throw DefinitionError({"kfpp.type_mismatch", at,
                               "the channel is " + std::string(ir::to_string(v.type())) +
                                   " but input '" + in.name + "' is " + ir::to_string(ps->type),
                               "pass a channel of the input's type"});
      out.push_back({in.name, false, v.source()});
    } else {
      Source s = v.source();
      if (ps->type == ir::ParameterType::number_double && s.constant.is_int())
        s.constant = ir::Value(s.constant.as_double());
      if (!ir::value_matches(s.constant, ps->type))
        throw DefinitionError(
            {"kfpp.type_mismatch", at,
             "the constant does not fit input '" + in.name + "' of type " + ir::to_string(ps->type),
             "pass a value of the input's type"});
      out.push_back({in.name, false, std::move(s)});
    }
  }
  for (const auto& p : c.inputs.parameters)
    if (!p.is_optional && !p.default_value && !bound.count(p.name))
      throw DefinitionError({"kfpp.missing_input", where + p.name,
                             "required input '" + p.name + "' is not given",
                             "pass a value for it"});
  for (const auto& a : c.inputs.artifacts)
    if (!a.is_optional && !bound.count(a.name))
      throw DefinitionError({"kfpp.missing_input", where + a.name,
                             "required input artifact '" + a.name + "' is not given",
                             "pass an artifact for it"});
  return out;
}

void check_loaded_output(const ComponentData& c, const std::string& where, std::string_view key,
                         bool artifact, ir::ParameterType type, const ir::ArtifactType& atype) {
  const std::string name(key);
  const ir::ParameterSpec* ps = c.outputs.find_parameter(name);
  const ir::ArtifactSpec* as = c.outputs.find_artifact(name);
  if (!ps && !as) {
    std::string known;
    for (const auto& p : c.outputs.parameters) known += (known.empty() ? "" : ", ") + p.name;
    for (const auto& a : c.outputs.artifacts) known += (known.empty() ? "" : ", ") + a.name;
    throw DefinitionError({"kfpp.unknown_port", where + "/outputs/" + name,
                           "component '" + c.name + "' has no output '" + name + "'",
                           "its outputs are: " + (known.empty() ? "none" : known)});
  }
  if (artifact != (as != nullptr) || (ps && ps->type != type) ||
      (as && !ir::artifact_fits(as->type, atype)))
    throw DefinitionError({"kfpp.type_mismatch", where + "/outputs/" + name,
                           "output '" + name + "' is " +
                               (as ? as->type.schema_title : std::string(ir::to_string(ps->type))) +
                               ", not the type asked for",
                           "read it as that type, e.g. output<" +
                               std::string(as ? "kfpp::Artifact"
                                           : ps->type == ir::ParameterType::string ? "std::string"
                                                                                   : "double") +
                               ">(\"" + name + "\")"});
}

}  // namespace detail

detail::Source TaskRef::loaded_output_source(std::string_view key, bool artifact,
                                             ir::ParameterType type,
                                             const ir::ArtifactType& artifact_type) const {
  require_set();
  const auto& rec = state_->tasks.at(id_);
  detail::check_loaded_output(*rec.component, state_->name + "/" + rec.name, key, artifact, type,
                              artifact_type);
  return output_source(key);
}

}  // namespace kfpp
