// SPDX-License-Identifier: Apache-2.0
// Compiling synthetic pipelines of N = 1 000, 5 000, 20 000 and 100 000 tasks, stage by stage:
// the DSL building the IR, validating it, the KFP and the Argo emitters, and what a user's program
// pays in all (`run_main`: build, validate, emit to a file).
//
// The pipeline has the shape of the KFP SDK's synthetic benchmark pipeline: blocks of ten
// container tasks, a fan-out to eight workers and a fan-in hub, the blocks in a chain:
//
//   split ──┬──> work ──┐
//           ├──> work ──┤
//           │    ...    ├──> merge ──> split (next block) ...
//           └──> work ──┘
//
// split writes a Dataset and a string; each work task reads both and writes a Model and a
// double; merge reads every Model and double of its block. Every task has a CPU and a memory
// limit, caching options and a retry policy, so each has its own component and executor in the
// IR, as the SDK writes them.
//
// Counters: `bytes_per_second` is the output's (or for Build and Validate, the KFP file's) bytes
// over CPU time; `rss_growth_MiB` is the peak memory one run of the stage adds, measured in a
// forked child (peak_memory.hpp); `rss_per_output` is that growth over the output's size.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <kfpp/kfpp.hpp>
#include <stdexcept>
#include <string>

#include "peak_memory.hpp"

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

// The settings every task gets: limits, caching and retries.
template <class T>
T& configured(T&& task) {
  return task.cpu_limit("1").memory_limit("2Gi").caching(true).retry(
      {.max_retries = 3, .backoff_seconds = 30});
}

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
    configured(s);
    ++made;
    if (made + 9 > n) {
      carry = s.output<"tag">();
      continue;
    }
    auto w = [&] {
      auto t = p.add(work, in<"data"> = s.output<"data">(), in<"tag"> = s.output<"tag">());
      configured(t);
      return t;
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
    configured(m);
    made += 9;
    carry = m.output();
  }
  return p;
}

// The counters every stage reports; `bytes` is the size its throughput and memory are taken
// against.
template <class Work>
void report(benchmark::State& state, std::size_t bytes, Work&& once) {
  state.counters["tasks"] = static_cast<double>(state.range(0));
  state.counters["output_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  const long long growth = kfpp_bench::peak_growth(once);
  state.counters["rss_growth_MiB"] = static_cast<double>(growth) / (1024.0 * 1024.0);
  state.counters["rss_per_output"] = static_cast<double>(growth) / static_cast<double>(bytes);
}

std::size_t kfp_size(std::int64_t n) { return kfpp::emit_kfp(synthetic(n).ir()).size(); }

// The DSL: define the pipeline and lower it to the IR.
void BM_Build(benchmark::State& state) {
  for (auto _ : state) {
    auto ir = synthetic(state.range(0)).ir();
    benchmark::DoNotOptimize(ir.root.dag->tasks.data());
  }
  report(state, kfp_size(state.range(0)), [&] {
    auto ir = synthetic(state.range(0)).ir();
    benchmark::DoNotOptimize(ir.root.dag->tasks.data());
  });
}

void BM_Validate(benchmark::State& state) {
  const auto ir = synthetic(state.range(0)).ir();
  for (auto _ : state) {
    auto findings = kfpp::ir::check(ir);
    if (!findings.empty()) throw std::logic_error(findings.front().to_string());
  }
  report(state, kfpp::emit_kfp(ir).size(), [&] {
    auto findings = kfpp::ir::check(ir);
    benchmark::DoNotOptimize(findings.data());
  });
}

void BM_EmitKfp(benchmark::State& state) {
  const auto ir = synthetic(state.range(0)).ir();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = kfpp::emit_kfp(ir);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  report(state, bytes, [&] {
    std::string text = kfpp::emit_kfp(ir);
    benchmark::DoNotOptimize(text.data());
  });
}

// The Argo target on the same IR: templates, DAGs (split in parts of at most 200 tasks), YAML.
// Past about 3 500 tasks the Workflow is over the 1.5 MiB a Kubernetes object may have; the
// benchmarks lift that limit (`max_object_bytes = 0`, `kfpp convert --max-bytes 0`).
kfpp::ArgoOptions unlimited() {
  kfpp::ArgoOptions o;
  o.max_object_bytes = 0;
  return o;
}

void BM_EmitArgo(benchmark::State& state) {
  const auto ir = synthetic(state.range(0)).ir();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = kfpp::emit_argo(ir, unlimited());
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  report(state, bytes, [&] {
    std::string text = kfpp::emit_argo(ir, unlimited());
    benchmark::DoNotOptimize(text.data());
  });
}

// Everything a user pays for, in memory: define, lower, validate, write the text.
void BM_BuildValidateEmitKfp(benchmark::State& state) {
  std::size_t bytes = 0;
  auto once = [&] {
    std::string text = kfpp::compile(synthetic(state.range(0)));
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  };
  for (auto _ : state) once();
  report(state, bytes, once);
}

void BM_BuildValidateEmitArgo(benchmark::State& state) {
  std::size_t bytes = 0;
  auto once = [&] {
    std::string text = kfpp::compile_argo(synthetic(state.range(0)), unlimited());
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  };
  for (auto _ : state) once();
  report(state, bytes, once);
}

// The user's program: `int main(int argc, char** argv) { return kfpp::run_main(argc, argv,
// build); }` run as `./pipeline -o FILE`. run_main's "wrote FILE" line goes to /dev/null while
// measuring. (With `--target argo` it keeps the Kubernetes object limit, so BuildValidateEmitArgo
// stands for it.)
std::int64_t g_tasks = 0;
kfpp::Pipeline build_synthetic() { return synthetic(g_tasks); }

void BM_RunMain(benchmark::State& state) {
  g_tasks = state.range(0);
  char dir_template[] = "/tmp/kfpp-bench-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (!dir) throw std::runtime_error("mkdtemp failed");
  std::string out = std::string(dir) + "/synthetic.yaml";
  char prog[] = "synthetic";
  char o[] = "-o";
  char* argv[] = {prog, o, out.data(), nullptr};
  const int saved_stderr = ::dup(2);
  const int null = ::open("/dev/null", O_WRONLY);
  ::dup2(null, 2);
  auto once = [&] {
    if (kfpp::run_main(3, argv, build_synthetic) != 0) std::abort();
  };
  for (auto _ : state) once();
  const long long growth = kfpp_bench::peak_growth(once);
  ::dup2(saved_stderr, 2);
  ::close(saved_stderr);
  ::close(null);
  std::ifstream file(out, std::ios::binary | std::ios::ate);
  const auto bytes = static_cast<std::size_t>(file.tellg());
  ::unlink(out.c_str());
  ::rmdir(dir);
  state.counters["tasks"] = static_cast<double>(state.range(0));
  state.counters["output_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.counters["rss_growth_MiB"] = static_cast<double>(growth) / (1024.0 * 1024.0);
  state.counters["rss_per_output"] = static_cast<double>(growth) / static_cast<double>(bytes);
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(5000)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond);
}
// At 100 000 tasks the Workflow would need 507 templates, over Argo's 200.
void argo_sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_Build)->Apply(sizes);
BENCHMARK(BM_Validate)->Apply(sizes);
BENCHMARK(BM_EmitKfp)->Apply(sizes);
BENCHMARK(BM_EmitArgo)->Apply(argo_sizes);
BENCHMARK(BM_BuildValidateEmitKfp)->Apply(sizes);
BENCHMARK(BM_BuildValidateEmitArgo)->Apply(argo_sizes);
BENCHMARK(BM_RunMain)->Apply(sizes);

BENCHMARK_MAIN();
