// SPDX-License-Identifier: Apache-2.0
// cluster_lifecycle: create a compute cluster, run jobs on it, and delete it whatever happens.
//
//   delete-cluster (exit task: runs after exit-handler-1 in any case, gets its final status)
//   exit-handler-1 ("run-on-cluster"):
//     create-cluster ──> prepare-data ──> train-on-cluster
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline cluster_lifecycle() {
  auto create = Component<Ports<Port<"name", std::string>, Port<"workers", int>>,
                          Ports<Port<"endpoint", std::string>>>::container("create-cluster")
                    .image("registry.example.com/ops/cluster-ctl:3.1")
                    .command("cluster-ctl", "create")
                    .args("--name", kfpp::value_of<"name">, "--workers", kfpp::value_of<"workers">,
                          "--endpoint-file", kfpp::path_of<"endpoint">);
  auto job = Component<Ports<Port<"endpoint", std::string>, Port<"step", std::string>>>::container(
                 "run-job")
                 .image("registry.example.com/ops/cluster-ctl:3.1")
                 .command("cluster-ctl", "submit")
                 .args("--endpoint", kfpp::value_of<"endpoint">, "--step", kfpp::value_of<"step">);
  auto remove =
      Component<Ports<Port<"name", std::string>,
                      Port<"status", kfpp::PipelineTaskFinalStatus>>>::container("delete-cluster")
          .image("registry.example.com/ops/cluster-ctl:3.1")
          .command("cluster-ctl", "delete")
          .args("--name", kfpp::value_of<"name">, "--run-status", kfpp::value_of<"status">);

  kfpp::Pipeline p("cluster-lifecycle");
  auto name = p.param<std::string>("cluster_name", "training-cluster");
  auto workers = p.param<int>("workers", 4);
  auto cleanup = p.add(remove, in<"name"> = name);
  kfpp::ExitHandler(p, cleanup, "run-on-cluster", [&] {
    auto endpoint = p.add(create, in<"name"> = name, in<"workers"> = workers).output();
    auto prep = p.add(job, in<"endpoint"> = endpoint, in<"step"> = "prepare-data")
                    .display_name("prepare-data");
    p.add(job, in<"endpoint"> = endpoint, in<"step"> = "train")
        .display_name("train-on-cluster")
        .after(prep);
  });
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, cluster_lifecycle); }
#endif
