// SPDX-License-Identifier: Apache-2.0
// An accelerator count read from a double channel does not compile: a count is an integer or a
// string of digits.
// expect: a count comes from a Channel of an integer or of a std::string
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto train = Component<Ports<>>::container("train").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  auto gpus = p.param<int>("gpus", 1);
#else
  auto gpus = p.param<double>("gpus", 1.0);
#endif
  p.add(train).accelerator("nvidia.com/gpu", gpus);
}
