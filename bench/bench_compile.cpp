// SPDX-License-Identifier: Apache-2.0
// Build + validate + emit time of synthetic pipelines, N = 100 … 100 000 tasks.
//
// Each block of ten tasks is a fan-out/fan-in, and blocks form a chain:
//
//   split ──┬──> work ──┐
//           ├──> work ──┤
//           │    ...    ├──> merge ──> split (next block) ...
//           └──> work ──┘
//
// split writes a Dataset and a string; each work task reads both and writes a Model and a
// double; merge reads every Model and double of its block.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

namespace {

using Split = Component<Ports<Port<"seed", std::string>>,
                        Ports<Port<"data", kfpp::Dataset>, Port<"tag", std::string>>>;
using Work = Component<Ports<Port<"data", kfpp::Dataset>, Port<"tag", std::string>>,
                       Ports<Port<"model", kfpp::Model>, Port<"score", double>>>;
using Merge =
    Component<Ports<Port<"m1", kfpp::Model>, Port<"m2", kfpp::Model>, Port<"m3", kfpp::Model>,
                    Port<"m4", kfpp::Model>, Port<"m5", kfpp::Model>, Port<"m6", kfpp::Model>,
                    Port<"m7", kfpp::Model>, Port<"m8", kfpp::Model>, Port<"s1", double>,
                    Port<"s2", double>, Port<"s3", double>, Port<"s4", double>, Port<"s5", double>,
                    Port<"s6", double>, Port<"s7", double>, Port<"s8", double>>,
              std::string>;

kfpp::Pipeline synthetic(std::int64_t n) {
  auto split = Split::container("split")
                   .image("registry.example.com/split:1")
                   .command("split")
                   .args("--seed", kfpp::value_of<"seed">, "--out", kfpp::path_of<"data">, "--tag",
                         kfpp::path_of<"tag">);
  auto work = Work::container("work")
                  .image("registry.example.com/work:1")
                  .command("work")
                  .args(kfpp::path_of<"data">, kfpp::value_of<"tag">, kfpp::path_of<"model">,
                        kfpp::path_of<"score">);
  auto merge = Merge::container("merge").image("registry.example.com/merge:1").command("merge");
  kfpp::Pipeline p("synthetic");
  auto seed = p.param<std::string>("seed", "s0");
  kfpp::Channel<std::string> carry = seed;
  std::int64_t made = 0;
  while (made < n) {
    auto s = p.add(split, in<"seed"> = carry);
    ++made;
    if (made + 9 > n) {
      carry = s.output<"tag">();
      continue;
    }
    auto w = [&] {
      return p.add(work, in<"data"> = s.output<"data">(), in<"tag"> = s.output<"tag">());
    };
    auto w1 = w(), w2 = w(), w3 = w(), w4 = w(), w5 = w(), w6 = w(), w7 = w(), w8 = w();
    auto m = p.add(merge, in<"m1"> = w1.output<"model">(), in<"m2"> = w2.output<"model">(),
                   in<"m3"> = w3.output<"model">(), in<"m4"> = w4.output<"model">(),
                   in<"m5"> = w5.output<"model">(), in<"m6"> = w6.output<"model">(),
                   in<"m7"> = w7.output<"model">(), in<"m8"> = w8.output<"model">(),
                   in<"s1"> = w1.output<"score">(), in<"s2"> = w2.output<"score">(),
                   in<"s3"> = w3.output<"score">(), in<"s4"> = w4.output<"score">(),
                   in<"s5"> = w5.output<"score">(), in<"s6"> = w6.output<"score">(),
                   in<"s7"> = w7.output<"score">(), in<"s8"> = w8.output<"score">());
    made += 9;
    carry = m.output();
  }
  return p;
}

void report_memory(benchmark::State& state) {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Everything a user pays for: define the pipeline, lower it, validate it, write the YAML.
void BM_BuildValidateEmit(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto ir = synthetic(state.range(0)).ir();
    std::string text = kfpp::compile_kfp(ir);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["tasks"] = static_cast<double>(state.range(0));
  state.counters["output_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  report_memory(state);
}

void BM_Build(benchmark::State& state) {
  for (auto _ : state) {
    auto ir = synthetic(state.range(0)).ir();
    benchmark::DoNotOptimize(ir.root.dag->tasks.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Validate(benchmark::State& state) {
  auto ir = synthetic(state.range(0)).ir();
  for (auto _ : state) {
    auto findings = kfpp::ir::check(ir);
    benchmark::DoNotOptimize(findings.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Emit(benchmark::State& state) {
  auto ir = synthetic(state.range(0)).ir();
  for (auto _ : state) {
    std::string text = kfpp::emit_kfp(ir);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The Argo target on the same IR: templates, DAGs (split in parts of at most 200 tasks), YAML.
void BM_EmitArgo(benchmark::State& state) {
  auto ir = synthetic(state.range(0)).ir();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = kfpp::emit_argo(ir, {});
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["output_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  report_memory(state);
}

}  // namespace

BENCHMARK(BM_BuildValidateEmit)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Build)->Arg(5000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate)->Arg(5000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Emit)->Arg(5000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmitArgo)->Arg(1000)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
