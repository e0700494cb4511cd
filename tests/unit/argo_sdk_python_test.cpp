// SPDX-License-Identifier: Apache-2.0
// Python components written by the SDK (its KFP launcher's command: pip install of kfp, then
// kfp.dsl.executor_main) converted to Argo, where they run with kfpp's launcher and no KFP
// runtime; and the commands kept as they are because their package indexes are not read exactly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "argo_fixtures.hpp"
#include "compiler/argo_launcher.hpp"
#include "compiler/python_launcher.hpp"
#include "helpers.hpp"

using namespace kfpp::test;

namespace {

// The producer of two_task_pipeline as the SDK writes a lightweight component: the KFP launcher's
// command (pip install of kfp, then kfp.dsl.executor_main on the module) and its args; with `from`
// replaced by `to` in the command's script when `from` is given.
Value sdk_component_workflow(const kfpp::ir::PythonFunction& fn, const std::string& from = {},
                             const std::string& to = {}) {
  auto p = kfpp::test::two_task_pipeline();
  auto& c = *p.executors[0].container;
  c.command.clear();
  for (const auto& part : kfpp::detail::kfp_python_command(fn))
    c.command.push_back(kfpp::ir::Arg::of(part));
  if (!from.empty()) {
    std::string& script = c.command[2].text;
    const std::size_t at = script.find(from);
    REQUIRE(at != std::string::npos);
    script.replace(at, from.size(), to);
  }
  c.args.clear();
  for (const auto& part : kfpp::detail::kfp_python_args(fn))
    c.args.push_back(kfpp::ir::Arg::of(part));
  REQUIRE(!c.python);
  return argo_workflow(p);
}

const char* kProduce = "def produce(msg: str) -> str:\n    return msg + '!'\n";

// The function `produce` installing `packages`.
kfpp::ir::PythonFunction produce(std::vector<std::string> packages) {
  kfpp::ir::PythonFunction fn;
  fn.source = kProduce;
  fn.function_name = "produce";
  fn.packages = std::move(packages);
  return fn;
}

}  // namespace

TEST_CASE("Argo form: a Python component the SDK wrote runs with kfpp's launcher") {
  kfpp::ir::PythonFunction fn = produce({"requests==2.31.0"});
  const Value doc = sdk_component_workflow(fn);
  const std::vector<std::string> cmd = strings(get(tmpl(doc, "producer"), "container.command"));
  REQUIRE(cmd.size() == 5);
  // kfpp's launcher, the component's own package installed, the KFP runtime not.
  CHECK(cmd[2].find("kfpp launcher") != std::string::npos);
  CHECK(cmd[2].find("'requests==2.31.0'") != std::string::npos);
  for (const auto& part : cmd) {
    CHECK(part.find("kfp==") == std::string::npos);
    CHECK(part.find("kfp.dsl.executor_main") == std::string::npos);
  }
  CHECK(cmd[3] == kfpp::detail::argo_python_launcher_source());
  CHECK(cmd[4].find(kProduce) != std::string::npos);
  // The inputs and outputs by name, as the launcher reads them.
  CHECK(strings(get(tmpl(doc, "producer"), "container.args")) ==
        std::vector<std::string>{"--function", "produce", "--param", "msg", "STRING",
                                 "{{inputs.parameters.msg}}", "--output-param", "out", "STRING",
                                 "/tmp/kfpp/outputs/out"});
}

namespace {

// The values of pip's index options in the first `pip install` line of `script`, as
// `flag value` pairs in order (single quotes removed: the launcher quotes, the SDK does not).
std::vector<std::string> index_options(const std::string& script) {
  const std::size_t at = script.find("pip install");
  if (at == std::string::npos) return {};
  std::string line = script.substr(at, script.find('\n', at) - at);
  line = line.substr(0, line.find("&&"));
  std::vector<std::string> words;
  std::string cur;
  for (char ch : line + " ") {
    if (ch == ' ') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else if (ch != '\'') {
      cur += ch;
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "--index-url" && words[i] != "--extra-index-url" &&
        words[i] != "--trusted-host")
      continue;
    out.push_back(words[i] + " " + words[i + 1]);
    ++i;
  }
  return out;
}

bool runs_sdk_executor(const std::vector<std::string>& cmd) {
  for (const auto& part : cmd)
    if (part.find("kfp.dsl.executor_main") != std::string::npos) return true;
  return false;
}

// `cmd` is kfpp's launcher installing the user's packages (here `yapf`) with the index options
// `sdk`, and not the KFP runtime.
void check_runs_kfpp_launcher(const std::vector<std::string>& cmd,
                              const std::vector<std::string>& sdk) {
  REQUIRE(cmd.size() == 5);
  CHECK(!runs_sdk_executor(cmd));
  CHECK(cmd[3] == kfpp::detail::argo_python_launcher_source());
  CHECK(index_options(cmd[2]) == sdk);
  CHECK(cmd[2].find("'yapf'") != std::string::npos);
  CHECK(cmd[2].find("kfp==") == std::string::npos);
}

}  // namespace

TEST_CASE("Argo form: an SDK component installing from other indexes runs with kfpp's launcher") {
  // The indexes and trusted hosts of the SDK's pip line are the launcher's.
  kfpp::ir::PythonFunction fn = produce({"yapf"});
  fn.pip_index_urls = {"https://a.example/simple", "https://b.example/simple"};
  fn.pip_trusted_hosts = std::vector<std::string>{"a.example"};
  const std::vector<std::string> sdk = index_options(kfpp::detail::kfp_python_command(fn)[2]);
  REQUIRE(sdk == std::vector<std::string>{"--index-url https://a.example/simple",
                                          "--extra-index-url https://b.example/simple",
                                          "--trusted-host a.example"});
  const Value doc = sdk_component_workflow(fn);
  check_runs_kfpp_launcher(strings(get(tmpl(doc, "producer"), "container.command")), sdk);
}

TEST_CASE("Argo form: an SDK component whose indexes are not read exactly keeps its command") {
  kfpp::ir::PythonFunction fn = produce({"yapf"});
  fn.pip_index_urls = {"https://a.example/simple"};
  // A value the shell expands ($HOME), two pip lines naming different indexes, the `=` form of
  // the option, an extra index before the index: kfpp would not install from what pip is given.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"'https://a.example/simple'", "https://$HOME/simple"},
           {"--index-url 'https://a.example/simple'", "--index-url https://c.example/simple"},
           {"--index-url 'https://a.example/simple'", "--index-url=https://a.example/simple"},
           {"--index-url", "--extra-index-url"}}) {
    INFO(to);
    const Value doc = sdk_component_workflow(fn, from, to);
    const std::vector<std::string> cmd = strings(get(tmpl(doc, "producer"), "container.command"));
    CHECK(runs_sdk_executor(cmd));
    CHECK(cmd[2].find(to) != std::string::npos);
  }
}

TEST_CASE("Argo form: the SDK's components with package indexes run with kfpp's launcher",
          "[.sdk][essential/component_with_pip_index_urls][essential/component_with_pip_install]"
          "[essential/component_with_pip_install_in_venv]") {
  // The SDK's files: `pip install --index-url https://pypi.org/simple --trusted-host …` of the
  // user's package, then of kfp. The launcher installs the package alone, from the same index
  // and trusted host.
  for (const char* name : {"component_with_pip_index_urls", "component_with_pip_install",
                           "component_with_pip_install_in_venv"}) {
    INFO(name);
    const std::string file =
        std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/essential/" + name + ".yaml";
    if (!std::filesystem::exists(file)) continue;
    const kfpp::ir::Pipeline ir = kfpp::ir::read_pipeline_file(file);
    REQUIRE(ir.executors.size() == 1);
    std::string sdk_script;
    for (const auto& a : ir.executors[0].container->command)
      if (a.text.find("pip install") != std::string::npos) sdk_script = a.text;
    const std::vector<std::string> sdk = index_options(sdk_script);
    REQUIRE(!sdk.empty());
    const Value doc = argo_workflow(ir);
    const Value* templates = at_path(doc, "spec.templates");
    REQUIRE(templates);
    const Value* leaf = nullptr;
    for (const auto& t : templates->as_array())
      if (at_path(t, "container")) leaf = &t;
    REQUIRE(leaf);
    check_runs_kfpp_launcher(strings(get(*leaf, "container.command")), sdk);
  }
}
