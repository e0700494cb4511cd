// SPDX-License-Identifier: Apache-2.0
// A final-status input is filled in by the exit handler; binding it by hand does not compile.
// expect: final_status_is_set_by_the_exit_handler
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto notify =
      Component<Ports<Port<"status", PipelineTaskFinalStatus>>>::container("notify").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  p.add(notify);
#else
  p.add(notify, in<"status"> = "FAILED");
#endif
}
