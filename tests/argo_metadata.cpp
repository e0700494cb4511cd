// SPDX-License-Identifier: Apache-2.0
// Artifact metadata under Argo: producers that set their output's metadata (a Python function,
// a container writing KFP's executor output) and consumers that read it (a Python function's
// `.metadata`, a container's metadata placeholder), directly, through a nested pipeline and in
// loops, for the checks that the workflow is valid and that run_argo_dag.py, running its pods as
// real processes, sees each consumer get what its producer wrote.
#include <kfpp/kfpp.hpp>

#include <string>

using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

namespace {

using Describe = Component<Ports<Port<"rows", int>>, Ports<Port<"data", Dataset>>>;
using ReadPython = Component<Ports<Port<"data", Dataset>>, std::string>;

Describe describe() {
  return Describe::python("describe", R"(def describe(rows: int, data: Output[Dataset]):
    with open(data.path, 'w') as f:
        f.write('row\n' * rows)
    data.metadata['rows'] = rows
    data.metadata['note'] = "it's \"quoted\""
)");
}

ReadPython read_python() {
  return ReadPython::python("read_metadata", R"(def read_metadata(data: Input[Dataset]) -> str:
    import json
    return json.dumps(data.metadata, sort_keys=True)
)");
}

kfpp::Pipeline inner() {
  // Reads the metadata of its input, and gives an artifact of its own, with metadata, back.
  kfpp::Pipeline p("inner");
  auto data = p.param<Dataset>("data");
  auto read = p.add(read_python(), in<"data"> = data);
  auto made = p.add(describe(), in<"rows"> = 7);
  p.output("seen", read.output());
  p.output("made", made.output());
  return p;
}

kfpp::Pipeline build() {
  auto read_container =
      Component<Ports<Port<"data", Dataset>>, Ports<Port<"seen", std::string>>>::container(
          "read-container")
          .image("alpine:3.19")
          .command("sh", "-c")
          .args(R"(printf '%s' "$0" > "$1")", kfpp::metadata_of<"data">, kfpp::path_of<"seen">);
  // A container writing KFP's executor output (the file `{{$}}` names) with its artifact's
  // metadata, as the SDK's executor does.
  auto write_container =
      Component<Ports<>, Ports<Port<"made", Dataset>>>::container("write-container")
          .image("python:3.11")
          .command("python3", "-c", R"(import json, sys
ei = json.loads(sys.argv[1])
out = ei['outputs']
with open(out['artifacts']['made']['artifacts'][0]['uri'], 'w') as f:
    f.write('made\n')
with open(out['outputFile'], 'w') as f:
    json.dump({'artifacts': {'made': {'artifacts': [{'metadata': {'by': 'container'}}]}}}, f)
)")
          .args(kfpp::executor_input);
  using Inner = Component<Ports<Port<"data", Dataset>>,
                          Ports<Port<"seen", std::string>, Port<"made", Dataset>>>;

  kfpp::Pipeline p("artifact-metadata");
  auto produced = p.add(describe(), in<"rows"> = 3);
  p.add(read_python(), in<"data"> = produced.output());
  p.add(read_container, in<"data"> = produced.output());
  auto group = p.add(Inner::pipeline(inner()), in<"data"> = produced.output());
  p.add(read_python(), in<"data"> = group.output<"made">());
  auto written = p.add(write_container);
  p.add(read_python(), in<"data"> = written.output());
  // Loops: one reading the artifact made before it (through the parallelism limit's DAG), one
  // whose body makes and reads its own.
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, {.parallelism = 1}, [&](kfpp::Channel<int>) {
    p.add(read_container, in<"data"> = produced.output());
  });
  kfpp::ParallelFor(p, std::vector<int>{4, 5}, [&](kfpp::Channel<int> rows) {
    auto made = p.add(describe(), in<"rows"> = rows);
    p.add(read_container, in<"data"> = made.output());
  });
  return p;
}

}  // namespace

int main(int argc, char** argv) { return kfpp::run_main(argc, argv, build); }
