// SPDX-License-Identifier: Apache-2.0
// Leaving a required input unbound does not compile, and names the input.
// expect: required_input_is_not_bound<(.*"y"|\{\{121, 0\}\})
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto add =
      Component<Ports<Port<"x", double>, Port<"y", double>, Port<"z", std::optional<double>>>,
                double>::container("add")
          .image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  p.add(add, in<"x"> = 1.0, in<"y"> = 2.0);  // z is optional
#else
  p.add(add, in<"x"> = 1.0);
#endif
}
