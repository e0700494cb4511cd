// SPDX-License-Identifier: Apache-2.0
// A format string with more `{}` than arguments does not compile, as with std::format.
// expect: format_string_has_more_placeholders_than_arguments
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  Pipeline p("demo");
  auto bucket = p.param<std::string>("bucket");
#ifdef KFPP_CONTROL
  (void)kfpp::format("gs://{}/{}", bucket, bucket);
#else
  (void)kfpp::format("gs://{}/{}", bucket);
#endif
}
