// SPDX-License-Identifier: Apache-2.0
// Importers: the URI (a constant, a channel or a template) and metadata with channels in it.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format_rules.hpp"
#include "kfpp/dsl/pipeline.hpp"
#include "state.hpp"

namespace kfpp {

using detail::PipelineState;
using detail::Source;

namespace {

bool same_source(const Source& a, const Source& b) {
  return a.kind == b.kind && a.name == b.name && a.task == b.task && a.group == b.group &&
         a.field == b.field;
}

// Importer metadata with channels in it: each distinct channel becomes an input of the importer
// (`metadata`, `metadata-2`, … in the order met) that the metadata reads through a placeholder.
class MetadataLowering {
 public:
  MetadataLowering(const PipelineState& st, std::string where)
      : st_(st), where_(std::move(where)) {}

  ir::Value lower(const JsonTemplate& v) {
    switch (v.kind()) {
      case JsonTemplate::Kind::constant:
        return v.constant();
      case JsonTemplate::Kind::channel:
        st_.check_source(v.channel(), where_);
        return ir::Value(placeholder(v.channel(), v.channel_type()));
      case JsonTemplate::Kind::text: {
        const Template& t = v.text();
        detail::check_template_parts(st_, t.channels(), where_);
        std::string text = t.pieces().front();
        for (std::size_t i = 0; i < t.channels().size(); ++i)
          text += placeholder(t.channels()[i], t.types()[i]) + t.pieces()[i + 1];
        return ir::Value(std::move(text));
      }
      case JsonTemplate::Kind::array: {
        ir::Value::Array a;
        a.reserve(v.items().size());
        for (const auto& x : v.items()) a.push_back(lower(x));
        return ir::Value(std::move(a));
      }
      case JsonTemplate::Kind::object:
        break;
    }
    ir::Value::Object o;
    for (std::size_t i = 0; i + 1 < v.items().size(); i += 2) {
      ir::Value key = lower(v.items()[i]);
      if (!key.is_string())
        throw DefinitionError({"kfpp.invalid_value", where_,
                               "a key of the importer metadata is not text",
                               "use text, a channel or a kfpp::format template as the key"});
      o[key.as_string()] = lower(v.items()[i + 1]);  // a repeated key keeps its last value
    }
    return ir::Value(std::move(o));
  }

  std::vector<std::pair<Source, ir::ParameterType>> channels;
  std::vector<std::string> names;

 private:
  std::string placeholder(const Source& s, ir::ParameterType type) {
    std::size_t i = 0;
    while (i < channels.size() && !same_source(channels[i].first, s)) ++i;
    if (i == channels.size()) {
      channels.emplace_back(s, type);
      names.push_back(unique_.make("metadata"));
    }
    return "{{$.inputs.parameters['" + names[i] + "']}}";
  }

  const PipelineState& st_;
  std::string where_;
  detail::UniqueNames unique_;
};

}  // namespace

std::size_t Pipeline::add_importer(const Template& uri, ir::ArtifactType type,
                                   ImporterOptions options) {
  if (uri.channels().empty()) {
    Source s;
    s.constant = ir::Value(uri.pieces().front());
    return add_importer(std::move(s), std::move(type), std::move(options));
  }
  detail::Binding b;
  b.port = "uri";
  b.pieces = uri.pieces();
  b.parts = uri.channels();
  return add_importer_task(std::move(b), std::move(type), std::move(options));
}

std::size_t Pipeline::add_importer(Source uri, ir::ArtifactType type, ImporterOptions options) {
  detail::Binding b;
  b.port = "uri";
  b.source = std::move(uri);
  return add_importer_task(std::move(b), std::move(type), std::move(options));
}

std::size_t Pipeline::add_importer_task(detail::Binding uri, ir::ArtifactType type,
                                        ImporterOptions options) {
  PipelineState& st = *state_;
  const std::string where = st.name + "/importer/metadata";
  std::optional<ir::Value> metadata;
  MetadataLowering lowering(st, where);
  if (options.metadata) {
    const JsonTemplate& m = *options.metadata;
    if (m.kind() != JsonTemplate::Kind::object &&
        !(m.kind() == JsonTemplate::Kind::constant && m.constant().is_object()))
      throw DefinitionError(
          {"kfpp.invalid_value", where, "importer metadata must be an object",
           "pass kfpp::Json::object({...}) or kfpp::JsonTemplate::object({...})"});
    metadata = lowering.lower(m);
  }
  detail::ComponentData c;
  c.name = "importer";
  c.inputs.parameters.push_back({"uri", ir::ParameterType::string, std::nullopt, false, {}});
  c.outputs.artifacts.push_back({"artifact", type, false, false, {}});
  auto& im = c.executor.importer.emplace();
  im.type = std::move(type);
  im.metadata = std::move(metadata);
  im.reimport = options.reimport;
  im.download_to_workspace = options.download_to_workspace;
  if (uri.parts.empty() && uri.source.kind == Source::Kind::constant)
    im.uri_constant = uri.source.constant.as_string();
  else
    im.uri_parameter = "uri";
  std::vector<detail::Binding> bs;
  bs.push_back(std::move(uri));
  for (std::size_t i = 0; i < lowering.channels.size(); ++i) {
    c.inputs.parameters.push_back(
        {lowering.names[i], lowering.channels[i].second, std::nullopt, false, {}});
    detail::Binding b;
    b.port = lowering.names[i];
    b.source = lowering.channels[i].first;
    bs.push_back(std::move(b));
  }
  return add_task(c, std::move(bs));
}

}  // namespace kfpp
