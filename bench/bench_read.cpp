// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: the text of an SDK-shaped pipeline of N = 1 000 … 100 000 tasks, read into the
// IR and validated (what `kfpp validate` and `kfpp convert` pay before emitting), converted as
// `kfpp convert` does (to Argo, and back to KFP IR), and the parsers compared on the same text:
// kfpp's tree from its block reader and from libyaml's events, libyaml's bare events, libfyaml's
// events (when libfyaml-dev is installed) and yaml-cpp's node graph.
//
// Counters: `bytes_per_second` is the input's bytes over CPU time; `rss_growth_MiB` is the peak
// memory one run adds over the input text already in memory, measured in a forked child
// (peak_memory.hpp); `rss_per_input` is that growth over the input's size.
//
// The file has the shape the KFP SDK writes for its synthetic benchmark pipeline: blocks of ten
// container tasks, each with its own component and executor (CPU and memory limits), caching
// options and a retry policy; in each block a `split` task feeds eight `work` tasks that a
// `merge` hub fans in, and each block's hub feeds the next block's split:
//
//   split ──┬──> work ──┐
//           ├──> work ──┤
//           │    ...    ├──> merge ──> split (next block) ...
//           └──> work ──┘
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>
#include <yaml.h>
#ifdef KFPP_BENCH_FYAML
#include <libfyaml.h>
#endif

#include <cstdlib>
#include <kfpp/kfpp.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ir/yaml_parse.hpp"
#include "peak_memory.hpp"

namespace {

std::string task_name(const char* kind, std::int64_t i) {
  return std::string(kind) + "-" + std::to_string(i);
}

// One component, its executor and its task, in the SDK's key order.
struct Parts {
  std::string components, executors, tasks;
};

void add_task(Parts& out, const std::string& name, const std::vector<std::string>& inputs,
              const std::vector<std::string>& upstream, bool writes_output) {
  std::string& c = out.components;
  c += "  comp-" + name + ":\n    executorLabel: exec-" + name + "\n";
  if (!inputs.empty()) {
    c += "    inputDefinitions:\n      parameters:\n";
    for (const auto& in : inputs) c += "        " + in + ":\n          parameterType: STRING\n";
  }
  if (writes_output)
    c += "    outputDefinitions:\n      parameters:\n        Output:\n"
         "          parameterType: STRING\n";

  std::string& e = out.executors;
  e += "    exec-" + name + ":\n      container:\n        args:\n";
  for (const auto& in : inputs) e += "        - '{{$.inputs.parameters[''" + in + "'']}}'\n";
  if (writes_output) e += "        - '{{$.outputs.parameters[''Output''].output_file}}'\n";
  e += "        command:\n        - sh\n        - -c\n"
       "        - mkdir -p \"$(dirname \"$0\")\" && echo \"$@\" > \"$0\"\n"
       "        image: registry.example.com/worker:1.0\n"
       "        resources:\n          cpuLimit: 1.0\n          memoryLimit: 2.147483648\n"
       "          resourceCpuLimit: '1'\n          resourceMemoryLimit: 2Gi\n";

  std::string& t = out.tasks;
  t += "      " + name +
       ":\n        cachingOptions:\n          enableCache: true\n"
       "        componentRef:\n          name: comp-" +
       name + "\n";
  if (!upstream.empty()) {
    t += "        dependentTasks:\n";
    for (const auto& u : upstream) t += "        - " + u + "\n";
    t += "        inputs:\n          parameters:\n";
    for (std::size_t k = 0; k < inputs.size(); ++k)
      t += "            " + inputs[k] +
           ":\n              taskOutputParameter:\n                outputParameterKey: Output\n"
           "                producerTask: " +
           upstream[k] + "\n";
  }
  t += "        retryPolicy:\n          backoffDuration: 30s\n          backoffFactor: 2.0\n"
       "          backoffMaxDuration: 3600s\n          maxRetryCount: 3\n"
       "        taskInfo:\n          name: " +
       name + "\n";
}

std::string sdk_shaped(std::int64_t n) {
  Parts parts;
  std::string carry;
  for (std::int64_t made = 0; made < n;) {
    const std::string split = task_name("split", made);
    std::vector<std::string> seed, from;
    if (!carry.empty()) {
      seed.emplace_back("seed");
      from.push_back(carry);
    }
    add_task(parts, split, seed, from, true);
    ++made;
    carry = split;
    if (made + 9 > n) continue;
    std::vector<std::string> works, ins;
    for (int w = 0; w < 8; ++w, ++made) {
      works.push_back(task_name("work", made));
      ins.push_back("in" + std::to_string(w + 1));
      add_task(parts, works.back(), {"data"}, {split}, true);
    }
    const std::string merge = task_name("merge", made++);
    add_task(parts, merge, ins, works, true);
    carry = merge;
  }
  return "# PIPELINE DEFINITION\n# Name: synthetic\ncomponents:\n" + parts.components +
         "deploymentSpec:\n  executors:\n" + parts.executors +
         "pipelineInfo:\n  name: synthetic\nroot:\n  dag:\n    tasks:\n" + parts.tasks +
         "schemaVersion: 2.1.0\nsdkVersion: kfp-2.15.2\n";
}

void report(benchmark::State& state, std::size_t bytes) {
  state.counters["tasks"] = static_cast<double>(state.range(0));
  state.counters["input_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The same, with the peak memory of one more run of `once`.
template <class Work>
void report(benchmark::State& state, std::size_t bytes, Work&& once) {
  report(state, bytes);
  const long long growth = kfpp_bench::peak_growth(once);
  state.counters["rss_growth_MiB"] = static_cast<double>(growth) / (1024.0 * 1024.0);
  state.counters["rss_per_input"] = static_cast<double>(growth) / static_cast<double>(bytes);
}

kfpp::ir::Pipeline read_valid(const std::string& text) {
  kfpp::ir::Pipeline p = kfpp::ir::read_pipeline(text, "synthetic.yaml");
  auto findings = kfpp::ir::check(p);
  if (!findings.empty()) throw std::logic_error(findings.front().to_string());
  return p;
}

// What `kfpp validate FILE` does after reading the file: parse, read the IR, validate. With
// KFPP_BENCH_WRITE=DIR set, the text is also written to DIR/synthetic-N.yaml, for timing the CLI.
void BM_ReadValidate(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  if (const char* dir = std::getenv("KFPP_BENCH_WRITE"))
    kfpp::write_file_atomically(
        std::string(dir) + "/synthetic-" + std::to_string(state.range(0)) + ".yaml", text);
  auto once = [&] {
    kfpp::ir::Pipeline p = read_valid(text);
    benchmark::DoNotOptimize(p.components.data());
  };
  for (auto _ : state) once();
  report(state, text.size(), once);
}

// `kfpp convert FILE --to argo` after reading the file: read, validate, emit the Workflow.
void BM_ConvertArgo(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  auto once = [&] {
    kfpp::ArgoOptions options;
    options.max_object_bytes = 0;  // past about 4 000 tasks, more than one Kubernetes object
    std::string out = kfpp::emit_argo(read_valid(text), options);
    benchmark::DoNotOptimize(out.data());
  };
  for (auto _ : state) once();
  report(state, text.size(), once);
}

// `kfpp convert FILE --to kfp`: read, validate, write the IR back.
void BM_ConvertKfp(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  auto once = [&] {
    std::string out = kfpp::emit_kfp(read_valid(text));
    benchmark::DoNotOptimize(out.data());
  };
  for (auto _ : state) once();
  report(state, text.size(), once);
}

// The parser alone, into kfpp's tree with every limit checked: as kfpp reads (the block reader,
// since the text is in the block style), and with libyaml's events.
void parse_tree(benchmark::State& state, kfpp::detail::YamlTree::Parser parser) {
  const std::string text = sdk_shaped(state.range(0));
  auto once = [&] {
    std::optional<kfpp::Diagnostic> problem;
    auto tree = kfpp::detail::YamlTree::parse(text, "synthetic.yaml", {}, problem, parser);
    if (problem) throw std::logic_error(problem->to_string());
    benchmark::DoNotOptimize(tree.get());
  };
  for (auto _ : state) once();
  report(state, text.size(), once);
}

void BM_ParseTree(benchmark::State& state) {
  parse_tree(state, kfpp::detail::YamlTree::Parser::block);
}

void BM_ParseTreeLibyaml(benchmark::State& state) {
  parse_tree(state, kfpp::detail::YamlTree::Parser::libyaml);
}

// The parser kfpp used before: yaml-cpp 0.7's node graph of the same text.
void BM_ParseYamlCpp(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  for (auto _ : state) {
    auto docs = YAML::LoadAll(text);
    benchmark::DoNotOptimize(docs.data());
  }
  report(state, text.size());
}

#ifdef KFPP_BENCH_FYAML
// The other event parser Debian has: libfyaml's events, each scalar's text fetched.
void BM_ParseFyaml(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  for (auto _ : state) {
    fy_parse_cfg cfg{};
    cfg.flags = FYPCF_QUIET;
    fy_parser* p = fy_parser_create(&cfg);
    fy_parser_set_string(p, text.data(), text.size());
    std::size_t events = 0;
    while (fy_event* e = fy_parser_parse(p)) {
      ++events;
      if (e->type == FYET_SCALAR) {
        std::size_t len = 0;
        benchmark::DoNotOptimize(fy_token_get_text(e->scalar.value, &len));
      }
      fy_parser_event_free(p, e);
    }
    const bool failed = fy_parser_get_stream_error(p);
    fy_parser_destroy(p);
    if (failed) throw std::logic_error("libfyaml failed");
    benchmark::DoNotOptimize(events);
  }
  report(state, text.size());
}
#endif

// libyaml's events alone, without a tree: the floor of kfpp's parser.
void BM_ParseLibyamlEvents(benchmark::State& state) {
  const std::string text = sdk_shaped(state.range(0));
  for (auto _ : state) {
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    yaml_event_t e;
    bool end = false;
    while (!end) {
      if (!yaml_parser_parse(&p, &e)) throw std::logic_error("libyaml failed");
      end = e.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
  }
  report(state, text.size());
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(5000)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond);
}
// At 100 000 tasks the Workflow would need more templates than Argo's 200.
void argo_sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_ReadValidate)->Apply(sizes);
BENCHMARK(BM_ConvertArgo)->Apply(argo_sizes);
BENCHMARK(BM_ConvertKfp)->Apply(sizes);
BENCHMARK(BM_ParseTree)->Arg(5000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseTreeLibyaml)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseYamlCpp)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseLibyamlEvents)->Arg(5000)->Unit(benchmark::kMillisecond);
#ifdef KFPP_BENCH_FYAML
BENCHMARK(BM_ParseFyaml)->Arg(5000)->Unit(benchmark::kMillisecond);
#endif

BENCHMARK_MAIN();
