// SPDX-License-Identifier: Apache-2.0
// A template makes text: it binds to a string input only.
// expect: cannot_connect_output_of_type_to_input_of_type<std::(__cxx11::)?basic_string<char>, int>
#include <kfpp/kfpp.hpp>

using namespace kfpp;

void build() {
  auto text = Component<Ports<Port<"x", std::string>>>::container("text").image("alpine");
  auto number = Component<Ports<Port<"x", int>>>::container("number").image("alpine");
  Pipeline p("demo");
  auto a = p.param<std::string>("a");
#ifdef KFPP_CONTROL
  p.add(text, in<"x"> = kfpp::format("{}!", a));
  (void)number;
#else
  p.add(number, in<"x"> = kfpp::format("{}!", a));
  (void)text;
#endif
}
