// SPDX-License-Identifier: Apache-2.0
// A loop runs over a list: ParallelFor over a single artifact does not compile.
// expect: loop_needs_a_list<kfpp::Dataset>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto use = Component<Ports<Port<"data", Dataset>>>::container("use").image("alpine");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  auto items = p.param<std::vector<Dataset>>("items");
#else
  auto items = p.param<Dataset>("items");
#endif
  ParallelFor(p, items, [&](Channel<Dataset> d) { p.add(use, in<"data"> = d); });
}
