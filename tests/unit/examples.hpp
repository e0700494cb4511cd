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
