// SPDX-License-Identifier: Apache-2.0
// A constant of another type given for an input does not compile.
// expect: constant_of_type_does_not_fit_input_of_type<const char ?\*, double>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto square = Component<Ports<Port<"x", double>>, double>::container("square").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  p.add(square, in<"x"> = 3);
#else
  p.add(square, in<"x"> = "three");
#endif
}
