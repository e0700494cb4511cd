// SPDX-License-Identifier: Apache-2.0
// A single brace that is not part of `{}` does not compile; a literal brace is written twice.
// expect: format_string_has_a_lone_brace_write_two_for_a_literal_one
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  Pipeline p("demo");
  auto bucket = p.param<std::string>("bucket");
#ifdef KFPP_CONTROL
  (void)kfpp::format("{{{}}}", bucket);
#else
  (void)kfpp::format("{0}", bucket);
#endif
}
