// SPDX-License-Identifier: Apache-2.0
// A format string with fewer `{}` than arguments does not compile.
// expect: format_string_has_fewer_placeholders_than_arguments
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  Pipeline p("demo");
  auto bucket = p.param<std::string>("bucket");
#ifdef KFPP_CONTROL
  (void)kfpp::format("gs://{}", bucket);
#else
  (void)kfpp::format("gs://{}", bucket, bucket);
#endif
}
