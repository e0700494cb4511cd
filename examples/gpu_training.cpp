// SPDX-License-Identifier: Apache-2.0
// gpu_training: a training step on two RTX 3090 GPUs with CPU and memory limits, then a publish
// step that reaches a private registry with credentials from Kubernetes: a secret as environment
// variables, a secret as files, a config map as environment variables, and an image pull secret
// for its own private image.
//
//   train (2 × nvidia.com/gpu, node nvidia.com/gpu.product=NVIDIA-GeForce-RTX-3090)
//     └─> publish (secret env + secret volume + config map env, pulled with regcred)
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline gpu_training() {
  auto train = Component<Ports<Port<"data", std::string>, Port<"epochs", int>>,
                         Ports<Port<"model", kfpp::Model>>>::container("train")
                   .image("nvcr.io/nvidia/pytorch:24.01-py3")
                   .command("torchrun", "--nproc_per_node=2", "train.py")
                   .args("--data", kfpp::value_of<"data">, "--epochs", kfpp::value_of<"epochs">,
                         "--out", kfpp::path_of<"model">);
  auto publish =
      Component<Ports<Port<"model", kfpp::Model>, Port<"name", std::string>>>::container("publish")
          .image("registry.example.com/ml/publisher:1.4")
          .command("publish-model")
          .args("--model", kfpp::path_of<"model">, "--name", kfpp::value_of<"name">, "--ca",
                "/etc/registry-tls/ca.crt");

  kfpp::Pipeline p("gpu-training");
  p.description("Train on two GPUs, then publish the model with cluster credentials.");
  auto data = p.param<std::string>("data", "s3://datasets/images/v3");
  auto epochs = p.param<int>("epochs", 20);
  auto name = p.param<std::string>("model_name", "resnet50-v3");

  auto trained = p.add(train, in<"data"> = data, in<"epochs"> = epochs);
  trained.display_name("Train on 2 GPUs")
      .cpu_request("8")
      .cpu_limit("16")
      .memory_request("48Gi")
      .memory_limit("64Gi")
      .accelerator("nvidia.com/gpu", 2)
      .retry({.max_retries = 2, .backoff_seconds = 120});
  trained.kubernetes()
      .node_selector("nvidia.com/gpu.product", "NVIDIA-GeForce-RTX-3090")
      .toleration({.key = "nvidia.com/gpu", .op = "Exists", .effect = "NoSchedule"})
      .empty_dir("dshm", "/dev/shm", {.medium = "Memory", .size_limit = "16Gi"});

  auto published = p.add(publish, in<"model"> = trained.output(), in<"name"> = name);
  published.cpu_limit("1").memory_limit("2Gi");
  published.kubernetes()
      .secret_as_env("registry-credentials",
                     {{"username", "REGISTRY_USER"}, {"password", "REGISTRY_PASSWORD"}})
      .secret_as_volume("registry-tls", "/etc/registry-tls")
      .config_map_as_env("registry-config", {{"endpoint", "REGISTRY_URL"}})
      .image_pull_secrets({"regcred"});
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, gpu_training); }
#endif
