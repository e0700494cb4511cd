// SPDX-License-Identifier: Apache-2.0
#include "format_rules.hpp"

#include "kfpp/error.hpp"

namespace kfpp::detail {

// The channels of a template are read whole, as text: the SDK has no form for a field of a
// struct item or a OneOf inside one.
void check_template_parts(const PipelineState& st, const std::vector<Source>& parts,
                          const Where& where) {
  for (const auto& s : parts) {
    st.check_source(s, where);
    if (s.kind == Source::Kind::loop_item && !s.field.empty())
      throw DefinitionError({"kfpp.unsupported", where.str(),
                             "the template reads field '" + s.field + "' of a loop item",
                             "pass the field to an input of its own, or format the whole item"});
    if (s.kind == Source::Kind::oneof)
      throw DefinitionError({"kfpp.unsupported", where.str(), "the template reads a OneOf(...)",
                             "pass the OneOf to an input of its own; the SDK does not format "
                             "one into text either"});
  }
}

}  // namespace kfpp::detail
