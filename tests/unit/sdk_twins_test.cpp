// SPDX-License-Identifier: Apache-2.0
// C++ twins of files in the SDK's own test corpus (../shared/conformance/kfp-sdk): each must emit
// the same document as the SDK's file. Tagged `[.sdk]` plus the file's stem; each is run by its
// ctest entry `conformance.sdk.<stem>`, which skips (exit 77) when the corpus is absent.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

namespace {

// Compares what `p` compiles to with the SDK's file `reference` (relative to kfp-sdk/).
void check_twin(const kfpp::Pipeline& p, const std::string& reference) {
  const std::string ref = std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/" + reference;
  auto ours = kfpp::test::load_all(kfpp::compile(p));
  auto diffs = kfpp::test::ir_differences(ours, kfpp::test::load_file(ref));
  for (const auto& d : diffs) UNSCOPED_INFO(d);
  CHECK(diffs.empty());
}

// The SDK's lightweight components carry the imports it prepends to the function's text.
std::string sdk_source(const std::string& function) {
  return "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n" +
         function + "\n";
}

}  // namespace

TEST_CASE("Twin of pipeline_with_task_using_ignore_upstream_failure: the clean-up task runs "
          "after a failure",
          "[.sdk][pipeline_with_task_using_ignore_upstream_failure]") {
  auto fail_op = Component<Ports<Port<"message", std::string>>, std::string>::python(
      "fail_op", sdk_source("def fail_op(message: str) -> str:\n    \"\"\"Fails.\"\"\"\n"
                            "    import sys\n    print(message)\n    sys.exit(1)\n"
                            "    return message\n"));
  auto print_op =
      Component<Ports<Port<"message", std::optional<std::string>>>>::python(
          "print_op", sdk_source("def print_op(message: str = 'default'):\n"
                                 "    \"\"\"Prints a message.\"\"\"\n    print(message)\n"))
          .default_value<"message">("default");
  kfpp::Pipeline p("my-pipeline");
  auto text = p.param<std::string>("sample_input", "message");
  auto task = p.add(fail_op, in<"message"> = text);
  p.add(print_op, in<"message"> = task.output()).ignore_upstream_failure();
  check_twin(p, "pipeline_with_task_using_ignore_upstream_failure.yaml");
}
