// SPDX-License-Identifier: Apache-2.0
// A list of artifacts fed to an input of one artifact does not compile, and names both types.
// expect: cannot_connect_output_of_type_to_input_of_type<std::vector<kfpp::Dataset(, std::allocator<kfpp::Dataset> )?>, kfpp::Dataset>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto one = Component<Ports<Port<"data", Dataset>>>::container("one").image("alpine");
  auto many =
      Component<Ports<Port<"data", std::vector<Dataset>>>>::container("many").image("alpine");
  Pipeline p("demo");
  auto items = p.param<std::vector<Dataset>>("items");
#ifdef KFPP_CONTROL
  p.add(many, in<"data"> = items);
  (void)one;
#else
  p.add(one, in<"data"> = items);
  (void)many;
#endif
}
