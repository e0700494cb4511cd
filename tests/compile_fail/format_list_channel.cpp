// SPDX-License-Identifier: Apache-2.0
// A channel of a list has no text form, so a template cannot read it.
// expect: channel_of_this_type_has_no_text_form<std::vector<int
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  auto n = p.param<int>("n");
#else
  auto n = p.param<std::vector<int> >("n");
#endif
  (void)kfpp::format("n={}", n);
}
