// SPDX-License-Identifier: Apache-2.0
// An artifact type of the user's own schema is typed like kfpp's: a Model does not feed it.
// expect: cannot_connect_output_of_type_to_input_of_type<kfpp::Model, VertexModel>
#include <kfpp/kfpp.hpp>

#include <string_view>

using namespace kfpp;

struct VertexModel {
  static constexpr std::string_view schema_title = "google.VertexModel";
};

void build() {
  auto train = Component<Ports<>, Ports<Port<"model", Model>>>::container("train").image("a");
  auto vertex = Component<Ports<>, Ports<Port<"model", VertexModel>>>::container("v").image("a");
  auto deploy = Component<Ports<Port<"model", VertexModel>>>::container("deploy").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  p.add(deploy, in<"model"> = p.add(vertex).output());
  (void)train;
#else
  p.add(deploy, in<"model"> = p.add(train).output());
  (void)vertex;
#endif
}
