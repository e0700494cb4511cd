// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <kfpp/kfpp.hpp>
#include <vector>

namespace kfpp::testing {

/// A pipeline of `n` tasks, too many for one Argo DAG. Task i reads the text of task i-1 and the
/// dataset of task i-150 (edges that cross the parts a split makes), all read the `seed` parameter.
///
///   step-1 ──> step-2 ──> … ──> step-151 ──> …
///      └─────────── dataset ───────┘
inline kfpp::Pipeline wide_pipeline(int n) {
  using Step = kfpp::Component<
      kfpp::Ports<kfpp::Port<"seed", std::string>, kfpp::Port<"prev", std::string>,
                  kfpp::Port<"data", kfpp::Dataset>>,
      kfpp::Ports<kfpp::Port<"text", std::string>, kfpp::Port<"out", kfpp::Dataset>>>;
  using First = kfpp::Component<
      kfpp::Ports<kfpp::Port<"seed", std::string>>,
      kfpp::Ports<kfpp::Port<"text", std::string>, kfpp::Port<"out", kfpp::Dataset>>>;
  auto first = First::container("first")
                   .image("alpine:3.19")
                   .command("sh", "-c", R"(echo "$0" > "$1"; echo "$0" > "$2")")
                   .args(kfpp::value_of<"seed">, kfpp::path_of<"text">, kfpp::path_of<"out">);
  auto step = Step::container("step")
                  .image("alpine:3.19")
                  .command("sh", "-c", R"(cat "$2" > "$4"; echo "$0$1" > "$3")")
                  .args(kfpp::value_of<"seed">, kfpp::value_of<"prev">, kfpp::path_of<"data">,
                        kfpp::path_of<"text">, kfpp::path_of<"out">);
  kfpp::Pipeline p("wide");
  auto seed = p.param<std::string>("seed", "s");
  auto t0 = p.add(first, kfpp::in<"seed"> = seed);
  kfpp::Channel<std::string> prev = t0.output<"text">();
  std::vector<kfpp::Channel<kfpp::Dataset>> data{t0.output<"out">()};
  for (int i = 1; i < n; ++i) {
    const auto& d = data[static_cast<std::size_t>(i >= 150 ? i - 150 : 0)];
    auto t = p.add(step, kfpp::in<"seed"> = seed, kfpp::in<"prev"> = prev, kfpp::in<"data"> = d);
    prev = t.output<"text">();
    data.push_back(t.output<"out">());
  }
  return p;
}

}  // namespace kfpp::testing
