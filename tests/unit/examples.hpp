// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <kfpp/kfpp.hpp>

// The example programs' pipelines (examples/*.cpp, built into the tests without their main).
kfpp::Pipeline pythagorean();
kfpp::Pipeline addition();
kfpp::Pipeline importer_pipeline();
kfpp::Pipeline if_elif_else();
kfpp::Pipeline exit_handler();
kfpp::Pipeline ml_training_pipeline();
kfpp::Pipeline parallelfor();
kfpp::Pipeline nested_pipeline();
kfpp::Pipeline hyperparameter_search();
kfpp::Pipeline cluster_lifecycle();
kfpp::Pipeline cross_validation();
kfpp::Pipeline resources_kubernetes();
kfpp::Pipeline kubernetes_extras();
kfpp::Pipeline pvc_sort();
kfpp::Pipeline gpu_training();
kfpp::Pipeline kserve_serving();
kfpp::Pipeline shard_report();
kfpp::Pipeline python_options();

/// Every example, by the name of its program.
struct Example {
  const char* name;
  kfpp::Pipeline (*build)();
};
inline const Example kExamples[] = {
    {"pythagorean", pythagorean},
    {"addition", addition},
    {"importer", importer_pipeline},
    {"if_elif_else", if_elif_else},
    {"exit_handler", exit_handler},
    {"ml_training_pipeline", ml_training_pipeline},
    {"parallelfor", parallelfor},
    {"nested_pipeline", nested_pipeline},
    {"hyperparameter_search", hyperparameter_search},
    {"cluster_lifecycle", cluster_lifecycle},
    {"cross_validation", cross_validation},
    {"resources_kubernetes", resources_kubernetes},
    {"kubernetes_extras", kubernetes_extras},
    {"pvc_sort", pvc_sort},
    {"gpu_training", gpu_training},
    {"kserve_serving", kserve_serving},
    {"shard_report", shard_report},
    {"python_options", python_options},
};
