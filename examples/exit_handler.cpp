// SPDX-License-Identifier: Apache-2.0
// exit_handler: exit-op runs after the wrapped tasks whatever happened to them, and receives
// their final status.
//
//   exit-handler-1 ("my-pipeline"): print-op ──> fail-op
//   exit-op (after exit-handler-1, any outcome; input: final status)
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline exit_handler() {
  using Message = Component<Ports<Port<"message", std::string>>>;
  auto print_op = Message::container("print-op")
                      .image("alpine:3.19")
                      .command("echo")
                      .args(kfpp::value_of<"message">);
  auto fail_op = Message::container("fail-op")
                     .image("alpine:3.19")
                     .command("sh", "-c")
                     .args(R"(echo "$0"; exit 1)", kfpp::value_of<"message">);
  auto exit_op =
      Component<Ports<Port<"user_input", std::string>,
                      Port<"status", kfpp::PipelineTaskFinalStatus>>>::container("exit-op")
          .image("alpine:3.19")
          .command("echo")
          .args("user input:", kfpp::value_of<"user_input">,
                "final status:", kfpp::value_of<"status">);

  kfpp::Pipeline p("pipeline-with-exit-handler");
  auto message = p.param<std::string>("message", "Hello World!");
  auto exit_task = p.add(exit_op, in<"user_input"> = message);
  kfpp::ExitHandler(p, exit_task, "my-pipeline", [&] {
    auto first = p.add(print_op, in<"message"> = message);
    p.add(fail_op, in<"message"> = "Task failed.").after(first);
  });
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, exit_handler); }
#endif
