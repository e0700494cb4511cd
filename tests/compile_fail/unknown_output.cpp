// SPDX-License-Identifier: Apache-2.0
// Reading an output the component does not have does not compile, and names it.
// expect: component_has_no_output_named<(.*"acuracy"|\{\{97, 99, 117, 114, 97, 99, 121, 0\}\})
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto eval = Component<Ports<>, Ports<Port<"accuracy", double>>>::container("eval").image("a");
  Pipeline p("demo");
  auto t = p.add(eval);
#ifdef KFPP_CONTROL
  (void)t.output<"accuracy">();
#else
  (void)t.output<"acuracy">();
#endif
}
