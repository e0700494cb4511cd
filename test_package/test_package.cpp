// SPDX-License-Identifier: Apache-2.0
// A one-task pipeline, compiled to KFP IR: `test_package -o hello.yaml`.
#include <kfpp/kfpp.hpp>

kfpp::Pipeline hello() {
  using SayHello = kfpp::Component<kfpp::Ports<kfpp::Port<"name", std::string>>, std::string>;
  auto say_hello = SayHello::python("say_hello", R"(def say_hello(name: str) -> str:
    return f"Hello, {name}!"
)");
  kfpp::Pipeline p("hello");
  auto name = p.param<std::string>("name", "kfpp");
  auto greeting = p.add(say_hello, kfpp::in<"name"> = name);
  p.output("Output", greeting.output());
  return p;
}

int main(int argc, char** argv) { return kfpp::run_main(argc, argv, hello); }
