// SPDX-License-Identifier: Apache-2.0
// resources_kubernetes: the task settings (CPU, memory, GPUs, env, caching, retries) and the
// Kubernetes settings of a pod (volume claims, secrets, config maps, scheduling, metadata).
//
//   createpvc ──> producer ──> trainer ──> consumer (1 GPU)  ──┐
//                    │                 └─> consumer-2 <─┘      ├─> deletepvc
//                    └──────────────────────> (msg) ───────────┘
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline resources_kubernetes() {
  auto producer =
      Component<Ports<Port<"msg", std::string>>, Ports<Port<"out", std::string>>>::container(
          "producer")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$1")" && echo -n "$0" > "$1")sh")
          .args(kfpp::value_of<"msg">, kfpp::path_of<"out">);
  auto trainer =
      Component<Ports<Port<"data", std::string>, Port<"epochs", int>>>::container("trainer")
          .image("nvcr.io/nvidia/pytorch:24.01-py3")
          .command("python", "-c", R"(print("train"))")
          .args("--data", kfpp::value_of<"data">, "--epochs", kfpp::value_of<"epochs">);
  auto consumer = Component<Ports<Port<"msg", std::string>>>::container("consumer")
                      .image("alpine:3.19")
                      .command("echo")
                      .args(kfpp::value_of<"msg">);

  kfpp::Pipeline p("resources-and-kubernetes");
  p.param<std::string>("data_dir", "/data");
  auto epochs = p.param<int>("epochs", 3);

  // A claim for the run, named after it.
  auto pvc = kfpp::k8s::create_pvc(p, {.name_suffix = "-my-pvc",
                                       .access_modes = {"ReadWriteOnce"},
                                       .size = "5Gi",
                                       .storage_class = "standard"});

  auto prod = p.add(producer, in<"msg"> = "hello");
  prod.display_name("Produce message")
      .cpu_request("500m")
      .cpu_limit("1")
      .memory_request("1G")
      .memory_limit("2G")
      .env("LOG_LEVEL", "debug")
      .env("MODE", "test")
      .caching(false)
      .retry({.max_retries = 3,
              .backoff_seconds = 60,
              .backoff_factor = 2,
              .max_backoff_seconds = 3600});
  prod.kubernetes().mount_pvc(pvc.output(), "/data");

  auto train = p.add(trainer, in<"data"> = prod.output(), in<"epochs"> = epochs);
  train.accelerator("nvidia.com/gpu", 2).cpu_limit("8").memory_limit("32Gi");
  train.kubernetes()
      .node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-a100")
      .toleration({.key = "nvidia.com/gpu", .op = "Exists", .effect = "NoSchedule"})
      .timeout(7200)
      .empty_dir("dshm", "/dev/shm", {.medium = "Memory", .size_limit = "1Gi"})
      .mount_pvc(pvc.output(), "/data");

  auto gpu2 = p.add(consumer, in<"msg"> = "gpu via add_node_selector_constraint");
  gpu2.accelerator("nvidia.com/gpu", 1).after(train);

  auto cons = p.add(consumer, in<"msg"> = prod.output());
  cons.after(train);
  cons.kubernetes()
      .secret_as_env("db-credentials", {{"username", "DB_USER"}, {"password", "DB_PASS"}})
      .secret_as_volume("tls-cert", "/etc/tls", /*optional=*/true)
      .config_map_as_env("app-config", {{"level", "APP_LEVEL"}})
      .config_map_as_volume("app-files", "/etc/app")
      .image_pull_secrets({"regcred", "other-cred"})
      .pod_label("team", "ml")
      .pod_annotation("owner", "kfpp")
      .field_path_as_env("MY_POD_NAME", "metadata.name");

  kfpp::k8s::delete_pvc(p, pvc.output()).after(cons, gpu2);
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, resources_kubernetes); }
#endif
