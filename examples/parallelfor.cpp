// SPDX-License-Identifier: Apache-2.0
// parallelfor: loops over a literal list, a list of structs (field access), a pipeline parameter
// (at most two at a time), a task output; a nested loop; and fan-in of loop outputs.
//
//   for-loop-2  over ["a", "b", "c"]                 ── echo
//   for-loop-4  over [{label, count}, ...]           ── echo-kv(item.label, item.count)
//   for-loop-5  over names, parallelism 2            ── echo-2
//   make-list ──> for-loop-6 over its output         ── echo-3
//   for-loop-8  over ["outer1", "outer2"]
//     └─ for-loop-10 over ["inner1", "inner2"]       ── echo-pair(outer), echo-4(inner)
//   for-loop-11 over numbers                         ── double, write-dataset
//     ├──> sum-ints(Collected(double.result))
//     └──> concat-datasets(Collected(write-dataset.data))
#include <kfpp/kfpp.hpp>

using kfpp::Channel;
using kfpp::Collected;
using kfpp::Component;
using kfpp::in;
using kfpp::Json;
using kfpp::ParallelFor;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline parallelfor() {
  auto echo = Component<Ports<Port<"msg", std::string>>>::container("echo")
                  .image("alpine:3.19")
                  .command("echo")
                  .args(kfpp::value_of<"msg">);
  auto echo_pair =
      Component<Ports<Port<"name", std::string>, Port<"count", int>>>::container("echo-pair")
          .image("alpine:3.19")
          .command("echo")
          .args("name=", kfpp::value_of<"name">, "count=", kfpp::value_of<"count">);
  auto echo_kv =
      Component<Ports<Port<"name", std::string>, Port<"value", std::string>>>::container("echo-kv")
          .image("alpine:3.19")
          .command("echo")
          .args(kfpp::value_of<"name">, "=", kfpp::value_of<"value">);
  auto make_list =
      Component<Ports<>, Ports<Port<"out", std::vector<std::string>>>>::container("make-list")
          .image("alpine:3.19")
          .command("sh", "-c",
                   R"sh(mkdir -p "$(dirname "$0")" && echo -n '["x", "y", "z"]' > "$0")sh")
          .args(kfpp::path_of<"out">);
  auto double_it =
      Component<Ports<Port<"x", int>>, Ports<Port<"result", int>>>::container("double")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$1")" && echo -n $(( $0 * 2 )) > "$1")sh")
          .args(kfpp::value_of<"x">, kfpp::path_of<"result">);
  auto write_dataset =
      Component<Ports<Port<"n", int>>, Ports<Port<"data", kfpp::Dataset>>>::container(
          "write-dataset")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$1")" && echo "$0" > "$1")sh")
          .args(kfpp::value_of<"n">, kfpp::path_of<"data">);
  auto sum_ints = Component<Ports<Port<"nums", std::vector<int>>>>::container("sum-ints")
                      .image("alpine:3.19")
                      .command("echo")
                      .args("sum of", kfpp::value_of<"nums">);
  // A list of artifacts has no single path; the component reads the whole executor input.
  auto concat_datasets =
      Component<Ports<Port<"datasets", std::vector<kfpp::Dataset>>>>::container("concat-datasets")
          .image("alpine:3.19")
          .command("echo")
          .args(kfpp::executor_input);

  kfpp::Pipeline p("parallelfor");
  auto names = p.param<std::vector<std::string>>("names", std::vector<std::string>{"p", "q", "r"});
  auto numbers = p.param<std::vector<int>>("numbers", std::vector<int>{1, 2, 3});

  ParallelFor(p, std::vector<std::string>{"a", "b", "c"},
              [&](Channel<std::string> letter) { p.add(echo, in<"msg"> = letter); });

  ParallelFor(p,
              std::vector<Json>{Json::object({{"label", "alpha"}, {"count", 1}}),
                                Json::object({{"label", "beta"}, {"count", 2}})},
              [&](Channel<Json> item) {
                // Fields of literal struct items are strings, as KFP types them.
                p.add(echo_kv, in<"name"> = item.field<std::string>("label"),
                      in<"value"> = item.field<std::string>("count"));
              });

  ParallelFor(p, names, {.parallelism = 2},
              [&](Channel<std::string> name) { p.add(echo, in<"msg"> = name); });

  auto list = p.add(make_list).output();
  ParallelFor(p, list, [&](Channel<std::string> elem) { p.add(echo, in<"msg"> = elem); });

  ParallelFor(p, std::vector<std::string>{"outer1", "outer2"}, [&](Channel<std::string> outer) {
    ParallelFor(p, std::vector<std::string>{"inner1", "inner2"}, [&](Channel<std::string> inner) {
      p.add(echo_pair, in<"name"> = outer, in<"count"> = 1).display_name("nested-echo");
      p.add(echo, in<"msg"> = inner);
    });
  });

  Channel<int> doubled;  // assigned in the loop's body, read after it
  Channel<kfpp::Dataset> written;
  ParallelFor(p, numbers, [&](Channel<int> n) {
    doubled = p.add(double_it, in<"x"> = n).output();
    written = p.add(write_dataset, in<"n"> = n).output();
  });
  p.add(sum_ints, in<"nums"> = Collected(doubled));
  p.add(concat_datasets, in<"datasets"> = Collected(written));
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, parallelfor); }
#endif
