// SPDX-License-Identifier: Apache-2.0
// Asking for the value of an artifact on the command line does not compile.
// expect: placeholder_does_not_fit_port<kfpp::detail::PlaceholderKind::value, (.*"data"|\{\{100, 97, 116, 97, 0\}\})
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
#ifdef KFPP_CONTROL
  (void)Component<Ports<Port<"data", Dataset>>>::container("c").image("a").args(path_of<"data">);
#else
  (void)Component<Ports<Port<"data", Dataset>>>::container("c").image("a").args(value_of<"data">);
#endif
}
