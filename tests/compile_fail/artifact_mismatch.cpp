// SPDX-License-Identifier: Apache-2.0
// A Model artifact wired into a Dataset input does not compile.
// expect: cannot_connect_output_of_type_to_input_of_type<kfpp::Model, kfpp::Dataset>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto train = Component<Ports<>, Ports<Port<"model", Model>>>::container("train").image("a");
  auto load = Component<Ports<Port<"data", Dataset>>>::container("load").image("a");
  auto any = Component<Ports<Port<"data", Artifact>>>::container("any").image("a");
  Pipeline p("demo");
  auto t = p.add(train);
#ifdef KFPP_CONTROL
  p.add(any, in<"data"> = t.output());  // a generic artifact input takes any artifact
  (void)load;
#else
  p.add(load, in<"data"> = t.output());
  (void)any;
#endif
}
