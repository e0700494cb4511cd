// SPDX-License-Identifier: Apache-2.0
// pythagorean: sqrt(a^2 + b^2) from lightweight Python components.
//
//   a ──> square ───┐
//                   ├──> add ──> square-root ──> Output
//   b ──> square-2 ─┘
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline pythagorean() {
  using Unary = Component<Ports<Port<"x", double>>, double>;
  using Binary = Component<Ports<Port<"x", double>, Port<"y", double>>, double>;

  auto square = Unary::python("square", R"(def square(x: float) -> float:
    return x ** 2
)")
                    .base_image("python:3.9");
  auto add = Binary::python("add", R"(def add(x: float, y: float) -> float:
    return x + y
)")
                 .base_image("python:3.9");
  auto square_root = Unary::python("square_root", R"(def square_root(x: float) -> float:
    return x ** .5
)")
                         .base_image("python:3.9");

  kfpp::Pipeline p("pythagorean");
  auto a = p.param<double>("a");
  auto b = p.param<double>("b");
  auto a_sq = p.add(square, in<"x"> = a);
  auto b_sq = p.add(square, in<"x"> = b);
  auto sum = p.add(add, in<"x"> = a_sq.output(), in<"y"> = b_sq.output());
  auto root = p.add(square_root, in<"x"> = sum.output());
  p.output("Output", root.output());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, pythagorean); }
#endif
