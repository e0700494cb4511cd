// SPDX-License-Identifier: Apache-2.0
// shard_report: text made from channels (`kfpp::format`, the SDK's f-strings), importer metadata
// read at run time, and a loop over a list of artifacts that a nested pipeline collects.
//
//   importer(uri = "{data_dir}/{file}", metadata = {owner, "{owner}-source"}) ──> count-lines
//   write-shards(names) : for-loop over names ── write-shard("{owner}:{name}") ─> Collected(shard)
//   for-loop over write-shards.shards         ── count-lines(shard, label = "shard of {owner}")
#include <kfpp/kfpp.hpp>

using kfpp::Channel;
using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

namespace {

using Names = std::vector<std::string>;

auto write_shard() {
  return Component<Ports<Port<"text", std::string>>, Ports<Port<"shard", Dataset>>>::container(
             "write-shard")
      .image("alpine:3.19")
      .command("sh", "-c")
      .args(R"sh(mkdir -p "$(dirname "$1")" && printf '%s\n' "$0" > "$1")sh",
            kfpp::value_of<"text">, kfpp::path_of<"shard">);
}

auto count_lines() {
  return Component<Ports<Port<"data", Dataset>, Port<"label", std::string>>,
                   Ports<Port<"report", std::string>>>::container("count-lines")
      .image("alpine:3.19")
      .command("sh", "-c")
      .args(R"sh(mkdir -p "$(dirname "$2")" && printf '%s: %s' "$1" "$(wc -l < "$0")" > "$2")sh",
            kfpp::path_of<"data">, kfpp::value_of<"label">, kfpp::path_of<"report">);
}

// One shard per name, returned as a list of artifacts.
kfpp::Pipeline write_shards() {
  kfpp::Pipeline p("write-shards");
  auto owner = p.param<std::string>("owner");
  auto names = p.param<Names>("names");
  Channel<Dataset> shard;
  kfpp::ParallelFor(p, names, [&](Channel<std::string> name) {
    shard = p.add(write_shard(), in<"text"> = kfpp::format("{}:{}", owner, name)).output();
  });
  p.output("shards", kfpp::Collected(shard));
  return p;
}

}  // namespace

kfpp::Pipeline shard_report() {
  using kfpp::JsonTemplate;
  using Shards = Component<Ports<Port<"owner", std::string>, Port<"names", Names>>,
                           Ports<Port<"shards", std::vector<Dataset>>>>;
  kfpp::Pipeline p("shard-report");
  auto data_dir = p.param<std::string>("data_dir", "/tmp");
  auto file = p.param<std::string>("file", "source.txt");
  auto owner = p.param<std::string>("owner", "data-team");
  auto names = p.param<Names>("names", {"alpha", "beta", "gamma"});

  auto source = p.importer<Dataset>(
      kfpp::format("{}/{}", data_dir, file),
      {.metadata =
           JsonTemplate::object({{"owner", owner}, {"label", kfpp::format("{}-source", owner)}})});
  p.add(count_lines(), in<"data"> = source.output(), in<"label"> = "source");

  auto shards = p.add(Shards::pipeline(write_shards()), in<"owner"> = owner, in<"names"> = names);
  kfpp::ParallelFor(p, shards.output(), [&](Channel<Dataset> shard) {
    p.add(count_lines(), in<"data"> = shard, in<"label"> = kfpp::format("shard of {}", owner));
  });
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, shard_report); }
#endif
