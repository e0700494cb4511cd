// SPDX-License-Identifier: Apache-2.0
// A struct loop item used as a whole where a field is needed does not compile.
// expect: cannot_connect_output_of_type_to_input_of_type<kfpp::ir::Value, std::(__cxx11::)?basic_string<char
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto echo = Component<Ports<Port<"msg", std::string>>>::container("echo").image("a");
  Pipeline p("demo");
  ParallelFor(p, std::vector<Json>{Json::object({{"label", "a"}})}, [&](Channel<Json> item) {
#ifdef KFPP_CONTROL
    p.add(echo, in<"msg"> = item.field<std::string>("label"));
#else
    p.add(echo, in<"msg"> = item);
#endif
  });
}
