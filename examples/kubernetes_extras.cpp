// SPDX-License-Identifier: Apache-2.0
// kubernetes_extras: the rest of the Kubernetes settings (ephemeral volumes, init containers,
// security context, pull policy, node affinity, JSON selectors and tolerations), and secret,
// config map and claim names read at run time from pipeline parameters and task outputs.
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Json;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline kubernetes_extras() {
  auto echo = Component<Ports<Port<"msg", std::string>>>::container("echo")
                  .image("alpine:3.19")
                  .command("echo")
                  .args(kfpp::value_of<"msg">);
  auto make_name =
      Component<Ports<>, Ports<Port<"out", std::string>>>::container("make-name")
          .image("alpine:3.19")
          .command("sh", "-c", R"sh(mkdir -p "$(dirname "$0")" && echo -n my-secret > "$0")sh")
          .args(kfpp::path_of<"out">);

  kfpp::Pipeline p("kubernetes-extras");
  auto secret_name = p.param<std::string>("secret_name", "param-secret");
  auto cm_name = p.param<std::string>("cm_name", "param-cm");
  auto pvc_name = p.param<std::string>("pvc_name", "existing-pvc");
  auto node_selector = p.param<Json>("node_selector", Json::object({{"disktype", "ssd"}}));
  auto tolerations = p.param<std::vector<Json>>(
      "tolerations", std::vector<Json>{Json::object({{"key", "dedicated"},
                                                     {"operator", "Equal"},
                                                     {"value", "ml"},
                                                     {"effect", "NoSchedule"}})});

  auto t1 = p.add(echo, in<"msg"> = "ephemeral + init container + security context");
  t1.kubernetes()
      .ephemeral_volume({.name = "scratch",
                         .mount_path = "/scratch",
                         .access_modes = {"ReadWriteOnce"},
                         .size = "1Gi",
                         .storage_class = "fast",
                         .labels = {{"app", "kfpp"}},
                         .annotations = {{"note", "ephemeral"}}})
      .init_container({.name = "init",
                       .image = "busybox:1.36",
                       .command = {"sh", "-c"},
                       .args = {"echo init"},
                       .env = {{"A", "1"}},
                       .volume_mounts = {{"scratch", "/scratch"}},
                       .requests = {{"cpu", "100m"}},
                       .limits = {{"memory", "64Mi"}}})
      .security_context({.run_as_user = 1000, .run_as_group = 1000, .run_as_non_root = true})
      .image_pull_policy("IfNotPresent");

  auto t2 = p.add(echo, in<"msg"> = "affinity + json selectors/tolerations");
  t2.kubernetes()
      .node_affinity(
          {.match_expressions = {{"zone", "In", {"us-east-1a", "us-east-1b"}}}, .weight = 50})
      .node_affinity_json(Json::object(
          {{"requiredDuringSchedulingIgnoredDuringExecution",
            Json::object({{"nodeSelectorTerms",
                           Json::array({Json::object(
                               {{"matchExpressions",
                                 Json::array({Json::object(
                                     {{"key", "gpu"}, {"operator", "Exists"}})})}})})}})}}))
      .node_selector_json(node_selector)
      .toleration_json(tolerations);

  auto name_task = p.add(make_name);
  auto t3 = p.add(echo, in<"msg"> = "parameterised names");
  t3.kubernetes()
      .secret_as_env(secret_name, {{"k", "SECRET_K"}})
      .secret_as_volume(name_task.output(), "/etc/s")
      .config_map_as_volume(cm_name, "/etc/cm", /*optional=*/true)
      .image_pull_secrets({secret_name})
      .mount_pvc(pvc_name, "/mnt/p", "sub/dir");

  auto pvc = kfpp::k8s::create_pvc(p, {.name = "fixed-name-pvc",
                                       .access_modes = {"ReadWriteMany"},
                                       .size = "1Gi",
                                       .annotations = {{"a", "b"}}});
  auto t4 = p.add(echo, in<"msg"> = "named pvc");
  t4.kubernetes().mount_pvc(pvc.output(), "/mnt/n");
  kfpp::k8s::delete_pvc(p, pvc.output()).after(t4);
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, kubernetes_extras); }
#endif
