// SPDX-License-Identifier: Apache-2.0
// Comparing a double output with a string literal does not compile, and names both types.
// expect: cannot_compare_values_of_types<double, (const )?char ?\[4\]>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto eval = Component<Ports<>, Ports<Port<"accuracy", double>>>::container("eval").image("a");
  auto deploy = Component<Ports<>>::container("deploy").image("a");
  Pipeline p("demo");
  auto acc = p.add(eval).output<"accuracy">();
#ifdef KFPP_CONTROL
  Condition(p, acc >= 0.9, [&] { p.add(deploy); });
#else
  Condition(p, acc >= "0.9", [&] { p.add(deploy); });
#endif
}
