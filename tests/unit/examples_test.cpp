// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "helpers.hpp"

kfpp::Pipeline pythagorean();
kfpp::Pipeline addition();
kfpp::Pipeline importer_pipeline();
kfpp::Pipeline if_elif_else();
kfpp::Pipeline exit_handler();
kfpp::Pipeline ml_training_pipeline();
kfpp::Pipeline parallelfor();
kfpp::Pipeline nested_pipeline();

namespace {
struct Example {
  const char* name;
  kfpp::Pipeline (*build)();
};
const Example kExamples[] = {
    {"pythagorean", pythagorean},
    {"addition", addition},
    {"importer", importer_pipeline},
    {"if_elif_else", if_elif_else},
    {"exit_handler", exit_handler},
    {"ml_training_pipeline", ml_training_pipeline},
    {"parallelfor", parallelfor},
    {"nested_pipeline", nested_pipeline},
};
}  // namespace

TEST_CASE("Examples: every example validates and compiles to the same bytes twice") {
  for (const auto& ex : kExamples) {
    INFO(ex.name);
    auto ir = ex.build().ir();
    CHECK(kfpp::ir::check(ir).empty());
    std::string first = kfpp::compile(ex.build());
    CHECK(kfpp::compile(ex.build()) == first);
    CHECK(first.rfind("# PIPELINE DEFINITION\n", 0) == 0);
  }
}

TEST_CASE("Examples: run_main writes nothing for --validate-only and rejects bad flags") {
  const char* validate[] = {"pythagorean", "--validate-only"};
  CHECK(kfpp::run_main(2, const_cast<char**>(validate), pythagorean) == 0);
  const char* bad[] = {"pythagorean", "--frobnicate"};
  CHECK(kfpp::run_main(2, const_cast<char**>(bad), pythagorean) == 2);
  const char* target[] = {"pythagorean", "--target", "tekton"};
  CHECK(kfpp::run_main(3, const_cast<char**>(target), pythagorean) == 2);
  const char* missing[] = {"pythagorean", "-o"};
  CHECK(kfpp::run_main(2, const_cast<char**>(missing), pythagorean) == 2);
}

TEST_CASE("Examples: run_main reports a definition error with exit code 1") {
  const char* args[] = {"broken"};
  int rc = kfpp::run_main(1, const_cast<char**>(args), [] { return kfpp::Pipeline("Bad Name"); });
  CHECK(rc == 1);
}
