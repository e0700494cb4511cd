// SPDX-License-Identifier: Apache-2.0
// if_elif_else: branches on a string output and on an integer output, nested inside each other.
//
//   flip-three-sided-coin ──> condition-branches-1
//     ├─ If heads:   print-msg, random-num ──> condition-branches-2
//     │                ├─ If random > threshold ("big-number") / Elif == 0 / Else
//     ├─ Elif tails: print-msg-5, flip-three-sided-coin-2 ──> If != draw / Else
//     └─ Else:       print-msg-8, Condition == draw
//   Condition heads ("legacy-condition")
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline if_elif_else() {
  auto flip =
      Component<Ports<>, Ports<Port<"result", std::string>>>::container("flip-three-sided-coin")
          .image("alpine:3.19")
          .command("sh", "-c")
          .args(
              R"sh(mkdir -p "$(dirname "$0")" && set -- heads tails draw "$0"; echo -n "heads" > "$4")sh",
              kfpp::path_of<"result">);
  auto random_num =
      Component<Ports<Port<"low", int>, Port<"high", int>>, Ports<Port<"result", int>>>::container(
          "random-num")
          .image("alpine:3.19")
          .command(
              "sh", "-c",
              R"sh(mkdir -p "$(dirname "$2")" && echo -n $(( $0 + RANDOM % ($1 - $0 + 1) )) > "$2")sh")
          .args(kfpp::value_of<"low">, kfpp::value_of<"high">, kfpp::path_of<"result">);
  auto print_msg = Component<Ports<Port<"msg", std::string>>>::container("print-msg")
                       .image("alpine:3.19")
                       .command("echo")
                       .args(kfpp::value_of<"msg">);
  auto say = [&](kfpp::Pipeline& p, const char* text) { p.add(print_msg, in<"msg"> = text); };

  kfpp::Pipeline p("if-elif-else");
  auto threshold = p.param<int>("threshold", 5);
  auto coin = p.add(flip).output<"result">();

  kfpp::If(p, coin == "heads",
           [&] {
             say(p, "heads");
             auto num = p.add(random_num, in<"low"> = 0, in<"high"> = 9).output<"result">();
             kfpp::If(p, num > threshold, "big-number", [&] {
               say(p, "heads and big number");
             }).Elif(num == 0, [&] {
                 say(p, "heads and zero");
               }).Else([&] { say(p, "heads and small number"); });
           })
      .Elif(coin == "tails",
            [&] {
              say(p, "tails");
              auto coin2 = p.add(flip).output<"result">();
              kfpp::If(p, coin2 != "draw", [&] { say(p, "tails then not draw"); }).Else([&] {
                say(p, "tails then draw");
              });
            })
      .Else([&] {
        say(p, "draw");
        kfpp::Condition(p, coin == "draw", [&] { say(p, "draw confirmed"); });
      });

  kfpp::Condition(p, coin == "heads", "legacy-condition",
                  [&] { say(p, "legacy condition: heads"); });
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, if_elif_else); }
#endif
