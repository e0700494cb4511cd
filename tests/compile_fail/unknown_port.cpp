// SPDX-License-Identifier: Apache-2.0
// Binding an input name the component does not have does not compile, and names it.
// expect: component_has_no_input_named<(.*"y"|\{\{121, 0\}\})
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto square = Component<Ports<Port<"x", double>>, double>::container("square").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  p.add(square, in<"x"> = 2.0);
#else
  p.add(square, in<"y"> = 2.0);
#endif
}
