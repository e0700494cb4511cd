// SPDX-License-Identifier: Apache-2.0
// A secret name read from an integer channel does not compile: names are strings.
// expect: (no matching function|no matching member function|could not convert|cannot convert|no viable conversion)
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto job = Component<Ports<>>::container("job").image("a");
  Pipeline p("demo");
#ifdef KFPP_CONTROL
  auto name = p.param<std::string>("secret", "s");
#else
  auto name = p.param<int>("secret", 1);
#endif
  p.add(job).kubernetes().secret_as_volume(name, "/etc/s");
}
