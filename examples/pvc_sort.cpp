// SPDX-License-Identifier: Apache-2.0
// pvc_sort: one task writes random numbers into a file on an existing volume claim, the next
// sorts them into another file on the same claim; both mount it at /mnt/shared.
//
//   generate-numbers ──> sort-numbers        (both: claim 'aidatasource' at /mnt/shared)
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline pvc_sort() {
  auto generate =
      Component<Ports<Port<"output_file", std::string>, Port<"count", std::string>>>::container(
          "generate-numbers")
          .image("alpine:3.19")
          .command("sh", "-c")
          .args(R"(for i in $(seq 1 "$1"); do echo $((RANDOM % 1000)); done > "$0")",
                kfpp::value_of<"output_file">, kfpp::value_of<"count">);
  auto sort = Component<Ports<Port<"input_file", std::string>,
                              Port<"output_file", std::string>>>::container("sort-numbers")
                  .image("alpine:3.19")
                  .command("sh", "-c")
                  .args(R"(sort -n "$0" > "$1" && cat "$1")", kfpp::value_of<"input_file">,
                        kfpp::value_of<"output_file">);

  kfpp::Pipeline p("pvc-sort");
  p.description("Generate numbers into a shared PVC and sort them.");
  auto input_file = p.param<std::string>("input_file", "/mnt/shared/numbers.txt");
  auto output_file = p.param<std::string>("output_file", "/mnt/shared/sorted.txt");
  auto count = p.param<std::string>("count", "100");

  auto gen = p.add(generate, in<"output_file"> = input_file, in<"count"> = count);
  gen.kubernetes().mount_pvc("aidatasource", "/mnt/shared");

  auto srt = p.add(sort, in<"input_file"> = input_file, in<"output_file"> = output_file);
  srt.after(gen);
  srt.kubernetes().mount_pvc("aidatasource", "/mnt/shared");
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, pvc_sort); }
#endif
