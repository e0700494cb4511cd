// SPDX-License-Identifier: Apache-2.0
// addition: one Python component used twice; the second task adds a defaulted parameter.
//
//   a, b ──> addition-component ──> addition-component-2 <── c (default 10)
#include <kfpp/kfpp.hpp>

using kfpp::in;

kfpp::Pipeline addition() {
  auto add =
      kfpp::Component<kfpp::Ports<kfpp::Port<"num1", int>, kfpp::Port<"num2", int>>, int>::python(
          "addition_component",
          R"(def addition_component(num1: int, num2: int) -> int:
    return num1 + num2
)");

  kfpp::Pipeline p("addition-pipeline");
  auto a = p.param<int>("a");
  auto b = p.param<int>("b");
  auto c = p.param<int>("c", 10);
  auto first = p.add(add, in<"num1"> = a, in<"num2"> = b);
  p.add(add, in<"num1"> = first.output(), in<"num2"> = c);
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, addition); }
#endif
