// SPDX-License-Identifier: Apache-2.0
// A double output wired into a string input does not compile, and the error names both types.
// expect: cannot_connect_output_of_type_to_input_of_type<double, std::(__cxx11::)?basic_string<char
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto produce = Component<Ports<>, double>::container("produce").image("alpine");
  auto consume = Component<Ports<Port<"text", std::string>>>::container("consume").image("alpine");
  Pipeline p("demo");
  auto t = p.add(produce);
#ifdef KFPP_CONTROL
  p.add(consume, in<"text"> = "fixed");
  (void)t;
#else
  p.add(consume, in<"text"> = t.output());
#endif
}
