// SPDX-License-Identifier: Apache-2.0
// A 500-task pipeline, for the check that its Argo workflow (DAGs split into nested DAGs of at
// most 200 tasks) is valid.
#include "support/wide_pipeline.hpp"

namespace {
kfpp::Pipeline build() { return kfpp::testing::wide_pipeline(500); }
}  // namespace

int main(int argc, char** argv) { return kfpp::run_main(argc, argv, build); }
