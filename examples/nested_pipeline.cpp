// SPDX-License-Identifier: Apache-2.0
// nested_pipeline: a pipeline used twice as a component of another, passing a parameter and an
// artifact out.
//
//   outer-pipeline(x)
//     inner-pipeline(x)             : double ──> write-report     (doubled, report)
//     inner-pipeline-2(doubled)     : double ──> write-report
//     show(report, doubled)
//   outputs: final = inner-pipeline-2.doubled, final_report = inner-pipeline-2.report
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline inner_pipeline() {
  auto double_it =
      Component<Ports<Port<"x", int>>, Ports<Port<"result", int>>>::container("double")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$1")" && echo -n $(( $0 * 2 )) > "$1")sh")
          .args(kfpp::value_of<"x">, kfpp::path_of<"result">);
  auto write_report =
      Component<Ports<Port<"x", int>>, Ports<Port<"report", Dataset>>>::container("write-report")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$1")" && echo "x=$0" > "$1")sh")
          .args(kfpp::value_of<"x">, kfpp::path_of<"report">);

  kfpp::Pipeline p("inner-pipeline");
  auto x = p.param<int>("x");
  auto d = p.add(double_it, in<"x"> = x);
  auto r = p.add(write_report, in<"x"> = d.output());
  p.output("doubled", d.output());
  p.output("report", r.output());
  return p;
}

kfpp::Pipeline nested_pipeline() {
  using Inner =
      Component<Ports<Port<"x", int>>, Ports<Port<"doubled", int>, Port<"report", Dataset>>>;
  auto inner = Inner::pipeline(inner_pipeline());
  auto show = Component<Ports<Port<"report", Dataset>, Port<"value", int>>>::container("show")
                  .image("alpine:3.19")
                  .command("sh", "-c")
                  .args(R"(cat "$0"; echo "$1")", kfpp::path_of<"report">, kfpp::value_of<"value">);

  kfpp::Pipeline p("outer-pipeline");
  auto x = p.param<int>("x", 3);
  auto first = p.add(inner, in<"x"> = x);
  auto second = p.add(inner, in<"x"> = first.output<"doubled">());
  p.add(show, in<"report"> = second.output<"report">(), in<"value"> = second.output<"doubled">());
  p.output("final", second.output<"doubled">());
  p.output("final_report", second.output<"report">());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, nested_pipeline); }
#endif
