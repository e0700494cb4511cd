// SPDX-License-Identifier: Apache-2.0
// A pipeline parameter whose default is of another type does not compile.
// expect: default_value_of_type_does_not_fit_parameter_of_type<const char ?\*, int>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  (void)p.param<int>("epochs", 10);
#else
  (void)p.param<int>("epochs", "ten");
#endif
}
