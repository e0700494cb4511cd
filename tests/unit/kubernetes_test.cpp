// SPDX-License-Identifier: Apache-2.0
// Task settings and Kubernetes settings: each rule checked at the call, with code and path, and
// what the settings lower to.
#include <catch2/catch.hpp>

#include <kfpp/ir/kubernetes.hpp>
#include <kfpp/kfpp.hpp>

#include <string>

#include "helpers.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;
using kfpp::test::contains;
using kfpp::test::definition_error;

namespace {

using Echo = Component<Ports<Port<"msg", std::string>>, Ports<Port<"out", std::string>>>;

Echo echo() {
  return Echo::container("echo").image("alpine").command("echo").args(kfpp::value_of<"msg">,
                                                                      kfpp::path_of<"out">);
}

// A pipeline `demo` with one task `echo` to set things on.
struct Fixture {
  kfpp::Pipeline p{"demo"};
  kfpp::Task<Echo::outputs> task = p.add(echo(), in<"msg"> = "hi");
};

template <class F>
void expect_error(F&& f, const std::string& code, const std::string& path) {
  const kfpp::DefinitionError e = definition_error(std::forward<F>(f));
  CHECK(e.code() == code);
  CHECK(e.path() == path);
  // Every message says what is wrong and how to fix it.
  CHECK(contains(e.what(), "("));
}

const kfpp::ir::Executor& executor_of(const kfpp::ir::Pipeline& ir, const std::string& label) {
  const auto* e = ir.find_executor(label);
  REQUIRE(e != nullptr);
  return *e;
}

}  // namespace

TEST_CASE("CPU quantities: numbers and whole millicores", "[settings][quantity]") {
  for (const char* ok : {"500m", "1", "1.5", "0.25", "8", "0"}) {
    Fixture f;
    CHECK_NOTHROW(f.task.cpu_limit(ok));
  }
  const std::string path = "demo/echo/resources/cpuLimit";
  for (const char* bad : {"2GG", "-1", "1.5.3", "", "1.5m", "1G", "abc", "1.", "m", " 1"}) {
    INFO(bad);
    Fixture f;
    expect_error([&] { f.task.cpu_limit(bad); }, "kfpp.invalid_quantity", path);
  }
  Fixture f;
  expect_error([&] { f.task.cpu_request("-2"); }, "kfpp.invalid_quantity",
               "demo/echo/resources/cpuRequest");
}

TEST_CASE("memory quantities: bytes with Kubernetes suffixes", "[settings][quantity]") {
  for (const char* ok : {"2G", "32Gi", "1.5Gi", "1073741824", "512Mi", "1k", "64Ki", "1E"}) {
    Fixture f;
    CHECK_NOTHROW(f.task.memory_limit(ok));
  }
  const std::string path = "demo/echo/resources/memoryLimit";
  for (const char* bad : {"2GG", "-1", "1.5.3", "", "100m", "1g", "Gi", "1 Gi"}) {
    INFO(bad);
    Fixture f;
    expect_error([&] { f.task.memory_limit(bad); }, "kfpp.invalid_quantity", path);
  }
  // The Python SDK takes 'K', which Kubernetes refuses; the fix names the right suffixes.
  Fixture f;
  const auto e = definition_error([&] { f.task.memory_request("1K"); });
  CHECK(e.code() == "kfpp.invalid_quantity");
  CHECK(contains(e.what(), "'Ki'"));
}

TEST_CASE("resources lower to the old numeric and the new string fields", "[settings]") {
  Fixture f;
  f.task.cpu_request("500m").cpu_limit("1.5").memory_request("1.5Gi").memory_limit("32Gi");
  f.task.accelerator("nvidia.com/gpu", 2);
  const auto ir = f.p.ir();
  const auto& r = executor_of(ir, "exec-echo").container->resources;
  CHECK(r.cpu_request == 0.5);
  CHECK(r.cpu_limit == 1.5);
  CHECK(r.memory_limit == 32.0 * 1073741824.0 / 1e9);  // decimal GB, as the reference has it
  CHECK(r.memory_request == 1.5 * 1073741824.0 / 1e9);
  CHECK(r.resource_cpu_request == "500m");
  CHECK(r.resource_memory_limit == "32Gi");
  REQUIRE(r.accelerator);
  CHECK(r.accelerator->count == 2);
  CHECK(r.accelerator->resource_count == "2");
  CHECK(r.accelerator->type == "nvidia.com/gpu");
  const std::string yaml = kfpp::compile(f.p);
  CHECK(contains(yaml, "memoryLimit: 34.359738368\n"));
  CHECK(contains(yaml, "count: '2'\n"));
}

TEST_CASE("a setting read at run time becomes an input of the task", "[settings]") {
  kfpp::Pipeline p("demo");
  auto cpu = p.param<std::string>("cpu", "1");
  auto gpus = p.param<std::string>("gpus", "1");
  auto image = p.param<std::string>("image", "alpine");
  auto first = p.add(echo(), in<"msg"> = "a");
  kfpp::Condition(p, first.output() == std::string("go"), [&] {
    p.add(echo(), in<"msg"> = "b")
        .cpu_limit(cpu)
        .memory_limit(first.output())
        .accelerator("nvidia.com/gpu", gpus)
        .image(image);
  });
  const auto ir = p.ir();
  const auto& c = *executor_of(ir, "exec-echo-2").container;
  CHECK(c.image == "{{$.inputs.parameters['pipelinechannel--image']}}");
  CHECK(c.resources.resource_cpu_limit == "{{$.inputs.parameters['pipelinechannel--cpu']}}");
  CHECK(c.resources.resource_memory_limit ==
        "{{$.inputs.parameters['pipelinechannel--echo-out']}}");
  // No numeric field for a value known only at run time.
  CHECK_FALSE(c.resources.cpu_limit);
  CHECK_FALSE(c.resources.accelerator->count);
  CHECK(c.resources.accelerator->type == "nvidia.com/gpu");
  const auto* cond = ir.find_component("comp-condition-1");
  REQUIRE(cond);
  const auto* task = cond->dag->find_task("echo-2");
  REQUIRE(task);
  for (const char* name : {"pipelinechannel--cpu", "pipelinechannel--echo-out",
                           "pipelinechannel--gpus", "pipelinechannel--image"}) {
    INFO(name);
    const auto* b = task->find_parameter(name);
    REQUIRE(b);
    CHECK(b->source == name);
    CHECK(cond->inputs.find_parameter(name));
  }
  // The condition waits for the task whose output sets the memory.
  const auto* group = ir.root.dag->find_task("condition-1");
  REQUIRE(group);
  CHECK(group->dependent_tasks == std::vector<std::string>{"echo"});
  // Valid as written: the undeclared inputs feed the executor's settings.
  CHECK(kfpp::ir::check(ir).empty());
}

TEST_CASE("container settings: env, image, caching, retries", "[settings]") {
  auto comp = echo().env("LEVEL", "info");
  kfpp::Pipeline p("demo");
  p.add(comp, in<"msg"> = "a")
      .env("LEVEL", "debug")
      .env("MODE", "test")
      .image("alpine:3.20")
      .cache_key("v3")
      .retry({.max_retries = 2, .backoff_seconds = 5});
  const auto ir = p.ir();
  const auto& c = *executor_of(ir, "exec-echo").container;
  REQUIRE(c.env.size() == 2);
  CHECK(c.env[0].name == "LEVEL");
  CHECK(c.env[0].value == "debug");  // the task's value wins, as in the SDK
  CHECK(c.image == "alpine:3.20");
  const auto& t = ir.root.dag->tasks.at(0);
  CHECK(t.cache_key == "v3");
  REQUIRE(t.retry_policy);
  CHECK(t.retry_policy->backoff_duration == "5s");
  CHECK(t.retry_policy->backoff_max_duration == "3600s");
  CHECK(t.retry_policy->backoff_factor == 2.0);
  const std::string yaml = kfpp::compile(p);
  CHECK(contains(yaml, "cacheKey: v3\n"));
  CHECK(contains(yaml, "maxRetryCount: 2\n"));

  Fixture f;
  expect_error([&] { f.task.env("1BAD", "x"); }, "kfpp.invalid_name", "demo/echo/env/1BAD");
  expect_error([&] { f.task.env("A=B", "x"); }, "kfpp.invalid_name", "demo/echo/env/A=B");
  expect_error([&] { f.task.image("alpine latest"); }, "kfpp.invalid_value", "demo/echo/image");
  expect_error([&] { f.task.cache_key(""); }, "kfpp.invalid_value",
               "demo/echo/cachingOptions/cacheKey");
  expect_error([&] { f.task.retry({.max_retries = -1}); }, "kfpp.invalid_value",
               "demo/echo/retryPolicy/maxRetryCount");
  expect_error([&] { f.task.retry({.max_retries = 1, .backoff_factor = 0.5}); },
               "kfpp.invalid_value", "demo/echo/retryPolicy/backoffFactor");
  expect_error([&] { f.task.retry({.backoff_seconds = 60, .max_backoff_seconds = 10}); },
               "kfpp.invalid_value", "demo/echo/retryPolicy/backoffMaxDuration");
  expect_error([&] { f.task.accelerator("nvidia.com/gpu", -1); }, "kfpp.invalid_value",
               "demo/echo/resources/accelerator/count");
  expect_error([&] { f.task.accelerator("", 1); }, "kfpp.invalid_value",
               "demo/echo/resources/accelerator/type");
}

TEST_CASE("settings need a task that runs a container", "[settings]") {
  kfpp::Pipeline inner("inner");
  inner.add(echo(), in<"msg"> = "x");
  auto sub = Component<Ports<>>::pipeline(inner);
  kfpp::Pipeline p("demo");
  auto t = p.add(sub);
  expect_error([&] { t.cpu_limit("1"); }, "kfpp.unsupported", "demo/inner/resources/cpuLimit");
  expect_error([&] { t.kubernetes().pod_label("a", "b"); }, "kfpp.unsupported",
               "demo/inner/kubernetes");
  auto imp = p.importer<kfpp::Dataset>("gs://b/x");
  expect_error([&] { imp.kubernetes().timeout(5); }, "kfpp.unsupported",
               "demo/importer/kubernetes");
}

TEST_CASE("label keys and values", "[kubernetes][label]") {
  for (const char* ok : {"team", "app.kubernetes.io/name", "nvidia.com/gpu.product", "A_b-c.d"}) {
    Fixture f;
    CHECK_NOTHROW(f.task.kubernetes().pod_label(ok, "v"));
  }
  const std::string long_name(64, 'a');
  const std::string long_prefix = std::string(254, 'a') + "/x";
  for (const std::string& bad :
       {std::string(), std::string("-bad"), std::string("a/b/c"), std::string("Bad.com/x"),
        std::string("x/"), std::string("a b"), long_name, long_prefix}) {
    INFO(bad);
    Fixture f;
    expect_error([&] { f.task.kubernetes().pod_label(bad, "v"); }, "kfpp.invalid_label",
                 "demo/echo/kubernetes/podMetadata/labels/" + bad);
  }
  for (const std::string& ok : {std::string(), std::string(63, 'v'), std::string("v1.2_x-y")}) {
    Fixture f;
    CHECK_NOTHROW(f.task.kubernetes().node_selector("k", ok));
  }
  for (const std::string& bad : {std::string(64, 'v'), std::string("a b"), std::string("-x"),
                                 std::string("x-"), std::string("é")}) {
    INFO(bad);
    Fixture f;
    expect_error([&] { f.task.kubernetes().node_selector("k", bad); }, "kfpp.invalid_label",
                 "demo/echo/kubernetes/nodeSelector/k");
  }
  // Annotation values are free text; keys follow the label rule.
  Fixture f;
  CHECK_NOTHROW(f.task.kubernetes().pod_annotation("note", "any text: at all"));
  expect_error([&] { f.task.kubernetes().pod_annotation("no such", "x"); }, "kfpp.invalid_label",
               "demo/echo/kubernetes/podMetadata/annotations/no such");
  // One key, two values: the second call would silently win.
  f.task.kubernetes().pod_label("team", "ml");
  CHECK_NOTHROW(f.task.kubernetes().pod_label("team", "ml"));
  expect_error([&] { f.task.kubernetes().pod_label("team", "web"); }, "kfpp.duplicate_name",
               "demo/echo/kubernetes/podMetadata/labels/team");
}

TEST_CASE("tolerations: operators, effects and their combinations", "[kubernetes][toleration]") {
  using T = kfpp::k8s::Toleration;
  for (const T& ok :
       {T{.key = "gpu", .op = "Exists", .effect = "NoSchedule"},
        T{.key = "dedicated", .op = "Equal", .value = "ml"},
        T{.key = "dedicated", .value = "ml", .effect = "PreferNoSchedule"}, T{.op = "Exists"},
        T{.key = "k", .op = "Exists", .effect = "NoExecute", .seconds = 30}}) {
    Fixture f;
    CHECK_NOTHROW(f.task.kubernetes().toleration(ok));
  }
  const std::string path = "demo/echo/kubernetes/tolerations/0";
  for (const T& bad : {T{.key = "gpu", .op = "Maybe"}, T{.key = "gpu", .op = "exists"},
                       T{.key = "gpu", .op = "Exists", .effect = "NoRun"},
                       T{.key = "gpu", .op = "Exists", .value = "x"}, T{.op = "Equal"},
                       T{.key = "gpu", .op = "Exists", .effect = "NoSchedule", .seconds = 5},
                       T{.key = "gpu", .op = "Exists", .effect = "NoExecute", .seconds = -1}}) {
    Fixture f;
    expect_error([&] { f.task.kubernetes().toleration(bad); }, "kfpp.invalid_toleration", path);
  }
  // JSON tolerations are spelled out and checked the same way.
  Fixture f;
  f.task.kubernetes().toleration_json(kfpp::Json::array(
      {kfpp::Json::object({{"key", "a"}, {"operator", "Exists"}}),
       kfpp::Json::object({{"key", "b"}, {"operator", "Equal"}, {"value", "x"}})}));
  const auto ir = f.p.ir();
  const auto& tols = executor_of(ir, "exec-echo").kubernetes->tolerations;
  REQUIRE(tols.size() == 2);
  CHECK(tols[1].value == "x");
  expect_error(
      [&] {
        f.task.kubernetes().toleration_json(kfpp::Json::object({{"key", "a"}, {"op", "Exists"}}));
      },
      "kfpp.invalid_toleration", "demo/echo/kubernetes/tolerations/tolerationJson/op");
  expect_error([&] { f.task.kubernetes().toleration_json(kfpp::Json("x")); },
               "kfpp.invalid_toleration", "demo/echo/kubernetes/tolerations/tolerationJson");
}

TEST_CASE("mount paths: absolute, no '..', one volume per path", "[kubernetes][mount]") {
  {
    Fixture f;
    expect_error([&] { f.task.kubernetes().mount_pvc("data", "data"); }, "kfpp.invalid_mount_path",
                 "demo/echo/kubernetes/pvcMount/data");
  }
  {
    Fixture f;
    expect_error([&] { f.task.kubernetes().secret_as_volume("s", "/etc/../root"); },
                 "kfpp.invalid_mount_path", "demo/echo/kubernetes/secretAsVolume//etc/../root");
  }
  {
    Fixture f;
    expect_error([&] { f.task.kubernetes().mount_pvc("data", "/data", "/abs"); },
                 "kfpp.invalid_mount_path", "demo/echo/kubernetes/pvcMount//data/subPath");
    expect_error([&] { f.task.kubernetes().mount_pvc("data", "/data", "a/../../b"); },
                 "kfpp.invalid_mount_path", "demo/echo/kubernetes/pvcMount//data/subPath");
  }
  {
    Fixture f;
    f.task.kubernetes().mount_pvc("data", "/data");
    expect_error([&] { f.task.kubernetes().config_map_as_volume("cfg", "/data"); },
                 "kfpp.duplicate_mount_path", "demo/echo/kubernetes/configMapAsVolume//data");
    expect_error([&] { f.task.kubernetes().empty_dir("tmp", "/data"); },
                 "kfpp.duplicate_mount_path", "demo/echo/kubernetes/emptyDirMounts/tmp/mountPath");
    // Another task may use the same path.
    auto other = f.p.add(echo(), in<"msg"> = "x");
    CHECK_NOTHROW(other.kubernetes().mount_pvc("data", "/data"));
  }
  {
    Fixture f;
    expect_error(
        [&] {
          f.task.kubernetes().init_container(
              {.name = "init", .image = "busybox", .volume_mounts = {{"v", "relative"}}});
        },
        "kfpp.invalid_mount_path", "demo/echo/kubernetes/initContainers/init/volumeMounts/v");
  }
}

TEST_CASE("Kubernetes names are DNS-1123 names", "[kubernetes][name]") {
  Fixture f;
  auto k = [&] { return f.task.kubernetes(); };
  expect_error(
      [&] {
        k().secret_as_env("My_Secret", {{"k", "K"}});
      },
      "kfpp.invalid_k8s_name", "demo/echo/kubernetes/secretAsEnv");
  expect_error([&] { k().config_map_as_volume("-cfg", "/etc/c"); }, "kfpp.invalid_k8s_name",
               "demo/echo/kubernetes/configMapAsVolume//etc/c");
  expect_error([&] { k().mount_pvc("Data", "/data"); }, "kfpp.invalid_k8s_name",
               "demo/echo/kubernetes/pvcMount//data/pvcName");
  expect_error(
      [&] {
        k().image_pull_secrets({"ok", "not ok"});
      },
      "kfpp.invalid_k8s_name", "demo/echo/kubernetes/imagePullSecret");
  // Volume and container names are DNS labels: no dots, at most 63 characters.
  expect_error([&] { k().empty_dir("a.b", "/x"); }, "kfpp.invalid_k8s_name",
               "demo/echo/kubernetes/emptyDirMounts/a.b");
  const std::string long_name(64, 'v');
  expect_error([&] { k().empty_dir(long_name, "/x"); }, "kfpp.invalid_k8s_name",
               "demo/echo/kubernetes/emptyDirMounts/" + long_name);
  expect_error([&] { k().init_container({.name = "kfp-launcher", .image = "busybox"}); },
               "kfpp.invalid_name", "demo/echo/kubernetes/initContainers/kfp-launcher");
  // A subdomain may have dots and be long; a name read at run time is not checked here.
  CHECK_NOTHROW(k().secret_as_volume("tls.example.com", "/etc/tls"));
  kfpp::Pipeline q("q");
  auto name = q.param<std::string>("name", "Not Checked");
  auto t = q.add(echo(), in<"msg"> = "x");
  CHECK_NOTHROW(t.kubernetes().secret_as_volume(name, "/etc/s"));
}

TEST_CASE("other Kubernetes rules", "[kubernetes]") {
  Fixture f;
  auto k = [&] { return f.task.kubernetes(); };
  const std::string base = "demo/echo/kubernetes/";
  expect_error([&] { k().image_pull_policy("Sometimes"); }, "kfpp.invalid_value",
               base + "imagePullPolicy");
  expect_error([&] { k().timeout(0); }, "kfpp.invalid_value", base + "activeDeadlineSeconds");
  expect_error(
      [&] {
        k().node_affinity({.match_expressions = {{"zone", "In", {"a"}}}, .weight = 0});
      },
      "kfpp.invalid_value", base + "nodeAffinity/0/weight");
  expect_error(
      [&] {
        k().node_affinity({.match_expressions = {{"zone", "Near", {"a"}}}});
      },
      "kfpp.invalid_value", base + "nodeAffinity/0/matchExpressions/0");
  expect_error(
      [&] {
        k().node_affinity({.match_expressions = {{"zone", "In"}}});
      },
      "kfpp.invalid_value", base + "nodeAffinity/0/matchExpressions/0");
  expect_error(
      [&] {
        k().node_affinity({.match_expressions = {{"cpus", "Gt", {"x"}}}});
      },
      "kfpp.invalid_value", base + "nodeAffinity/0/matchExpressions/0");
  expect_error([&] { k().node_affinity({}); }, "kfpp.invalid_value", base + "nodeAffinity/0");
  expect_error(
      [&] {
        k().node_affinity_json(kfpp::Json::object({{"required", 1}}));
      },
      "kfpp.invalid_value", base + "nodeAffinity/nodeAffinityJson/required");
  expect_error(
      [&] {
        k().node_selector_json(kfpp::Json::object({{"disk", 1}}));
      },
      "kfpp.invalid_label", base + "nodeSelector/nodeSelectorJson/disk");
  expect_error([&] { k().security_context({}); }, "kfpp.invalid_value", base + "securityContext");
  expect_error([&] { k().security_context({.run_as_user = 0, .run_as_non_root = true}); },
               "kfpp.invalid_value", base + "securityContext");
  expect_error([&] { k().empty_dir("shm", "/dev/shm", {.medium = "Disk"}); }, "kfpp.invalid_value",
               base + "emptyDirMounts/shm/medium");
  expect_error([&] { k().empty_dir("shm", "/dev/shm", {.size_limit = "1GG"}); },
               "kfpp.invalid_quantity", base + "emptyDirMounts/shm/sizeLimit");
  expect_error([&] { k().field_path_as_env("POD", "metadata.owner"); }, "kfpp.invalid_value",
               base + "fieldPathAsEnv/POD/fieldPath");
  expect_error([&] { k().secret_as_env("s", {}); }, "kfpp.invalid_value", base + "secretAsEnv");
  k().secret_as_env("s", {{"user", "USER"}});
  expect_error(
      [&] {
        k().config_map_as_env("c", {{"user", "USER"}});
      },
      "kfpp.duplicate_name", base + "configMapAsEnv/user");
  expect_error(
      [&] {
        k().ephemeral_volume(
            {.name = "v", .mount_path = "/v", .access_modes = {"ReadWriteAlways"}, .size = "1Gi"});
      },
      "kfpp.invalid_value", base + "genericEphemeralVolume/v/accessModes");
  expect_error(
      [&] {
        k().init_container({.name = "init", .image = "busybox", .restart_policy = "OnFailure"});
      },
      "kfpp.invalid_value", base + "initContainers/init/restartPolicy");
  expect_error(
      [&] {
        k().init_container({.name = "init", .image = "busybox", .limits = {{"cpu", "x"}}});
      },
      "kfpp.invalid_quantity", base + "initContainers/init/resources/cpu");
  kfpp::Pipeline other("other");
  auto foreign = other.param<std::string>("s", "x");
  expect_error([&] { k().secret_as_volume(foreign, "/s"); }, "kfpp.foreign_value",
               base + "secretAsVolume//s");
}

TEST_CASE("CreatePVC and DeletePVC", "[kubernetes][pvc]") {
  using kfpp::k8s::create_pvc;
  kfpp::Pipeline p("demo");
  expect_error([&] { create_pvc(p, {.access_modes = {"ReadWriteOnce"}, .size = "1Gi"}); },
               "kfpp.invalid_value", "demo/createpvc");
  expect_error(
      [&] {
        create_pvc(
            p,
            {.name = "a", .name_suffix = "-b", .access_modes = {"ReadWriteOnce"}, .size = "1Gi"});
      },
      "kfpp.invalid_value", "demo/createpvc");
  expect_error([&] { create_pvc(p, {.name = "a", .size = "1Gi"}); }, "kfpp.invalid_value",
               "demo/createpvc/access_modes");
  expect_error(
      [&] { create_pvc(p, {.name = "a", .access_modes = {"ReadWriteOnce"}, .size = "5GB"}); },
      "kfpp.invalid_quantity", "demo/createpvc/size");
  expect_error(
      [&] { create_pvc(p, {.name = "A_b", .access_modes = {"ReadWriteOnce"}, .size = "1Gi"}); },
      "kfpp.invalid_k8s_name", "demo/createpvc/pvc_name");
  expect_error(
      [&] {
        create_pvc(p, {.name_suffix = "-bad-", .access_modes = {"ReadWriteOnce"}, .size = "1Gi"});
      },
      "kfpp.invalid_k8s_name", "demo/createpvc/pvc_name_suffix");
  expect_error([&] { kfpp::k8s::delete_pvc(p, "Bad"); }, "kfpp.invalid_k8s_name",
               "demo/deletepvc/pvc_name");

  auto size = p.param<std::string>("size", "1Gi");
  auto pvc =
      create_pvc(p, {.name_suffix = "-work", .access_modes = {"ReadWriteOnce"}, .size = size});
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, [&](auto) {
    p.add(echo(), in<"msg"> = "x").kubernetes().mount_pvc(pvc.output(), "/work");
  });
  const auto ir = p.ir();
  // Inside the loop the claim's name arrives as an input of the loop's DAG, in both fields.
  const auto& m = executor_of(ir, "exec-echo").kubernetes->pvc_mount.at(0);
  CHECK(m.pvc_name_parameter->kind == kfpp::ir::ParameterBinding::Kind::component_input);
  CHECK(m.pvc_name_parameter->source == "pipelinechannel--createpvc-name");
  CHECK(m.reference->source == "pipelinechannel--createpvc-name");
  const auto* loop = ir.root.dag->find_task("for-loop-2");
  REQUIRE(loop);
  CHECK(loop->dependent_tasks == std::vector<std::string>{"createpvc"});
  CHECK(kfpp::ir::check(ir).empty());
}

TEST_CASE("validation checks the names a pod reads at run time", "[kubernetes][validate]") {
  auto ir = kfpp::test::two_task_pipeline();
  auto& cfg = ir.executors[1].kubernetes.emplace();
  kfpp::ir::ObjectAsVolume v;
  v.mount_path = "/s";
  v.name_parameter = kfpp::ir::ParameterBinding{
      {}, kfpp::ir::ParameterBinding::Kind::component_input, {}, "nope", {}};
  cfg.secret_as_volume.push_back(v);
  kfpp::ir::PvcMount m;
  m.mount_path = "/p";
  m.pvc_name_parameter = kfpp::ir::ParameterBinding{
      {}, kfpp::ir::ParameterBinding::Kind::task_output, {}, "out", "ghost"};
  cfg.pvc_mount.push_back(m);
  const auto unknown = kfpp::test::with_code(ir, "kfpp.unknown_parameter");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].path == "demo/consumer/kubernetes/nope");
  const auto ghost = kfpp::test::with_code(ir, "kfpp.unknown_task");
  REQUIRE(ghost.size() == 1);
  CHECK(contains(ghost[0].message, "'ghost'"));
  // Reading a sibling's output without waiting for it is a missing dependency.
  cfg.pvc_mount[0].pvc_name_parameter->producer_task = "producer";
  ir.root.dag->tasks[1].dependent_tasks.clear();
  ir.root.dag->tasks[1].parameters.clear();
  ir.root.dag->tasks[1].parameters.push_back(
      {"text", kfpp::ir::ParameterBinding::Kind::constant, kfpp::ir::Value("x"), {}, {}});
  CHECK(kfpp::test::with_code(ir, "kfpp.missing_dependency").size() == 1);
}

TEST_CASE("a claim named by a field of a loop item", "[kubernetes][loop]") {
  kfpp::Pipeline p("demo");
  const std::vector<kfpp::Json> shards = {kfpp::Json::object({{"claim", "shard-a"}}),
                                          kfpp::Json::object({{"claim", "shard-b"}})};
  kfpp::ParallelFor(p, shards, [&](kfpp::Channel<kfpp::Json> shard) {
    p.add(echo(), in<"msg"> = "x")
        .kubernetes()
        .mount_pvc(shard.field<std::string>("claim"), "/data");
  });
  const std::string yaml = kfpp::compile(p);
  // The claim's name is the `claim` field of each item, selected from the loop's item input; the
  // old field, which cannot select a field, is left out rather than naming the whole item.
  CHECK(
      contains(yaml,
               "          pvcMount:\n"
               "          - mountPath: /data\n"
               "            pvcNameParameter:\n"
               "              componentInputParameter: pipelinechannel--loop-item-param-1\n"
               "              parameterExpressionSelector: parseJson(string_value)[\"claim\"]\n"));
}
