// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: IR that reads and validates is compiled to an Argo Workflow, to a
// CronWorkflow, back to KFP IR and to a DOT graph.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/graph.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  kfpp::ir::Pipeline p;
  try {
    p = kfpp::ir::read_pipeline(text, "fuzz.yaml");
    if (!kfpp::ir::check(p).empty()) return 0;
  } catch (const kfpp::Error&) {
    return 0;
  }
  try {
    (void)kfpp::emit_argo(p, {});
  } catch (const kfpp::Error&) {
  }
  try {
    kfpp::ArgoOptions cron;
    cron.kind = kfpp::ArgoKind::cron_workflow;
    cron.cron.schedules = {"0 3 * * *"};
    (void)kfpp::emit_argo(p, cron);
  } catch (const kfpp::Error&) {
  }
  try {
    (void)kfpp::emit_kfp(p);
    (void)kfpp::emit_graph(p, kfpp::GraphFormat::dot);
  } catch (const kfpp::Error&) {
  }
  return 0;
}
