// SPDX-License-Identifier: Apache-2.0
// Python components: the SDK's options (packages and indexes, trusted hosts, the runtime, a
// virtual environment, a containerized image) as the launcher writes them, and the ports checked
// against the function's signature. Where the SDK's corpus has no file for an option, the
// expectation follows kfp/dsl/component_factory.py at sdk-2.15.2 (_get_packages_to_install_command
// and make_index_url_options), as each test says.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>

#include <kfpp/runner/run.hpp>

#include "dsl/python_signature.hpp"
#include "examples.hpp"
#include "helpers.hpp"
#include "runner/python_component.hpp"
#include "runner_support.hpp"
#include "yaml_tree.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;
using kfpp::test::at_path;
using kfpp::test::contains;
using kfpp::test::definition_error;

namespace {

template <class C>
std::vector<std::string> command(const C& c) {
  kfpp::Pipeline p("py");
  p.add(c);
  auto doc = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto* cmd = at_path(doc, "deploymentSpec.executors.exec-go.container.command");
  REQUIRE(cmd);
  std::vector<std::string> out;
  for (const auto& x : cmd->as_array()) out.push_back(x.as_string());
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The DefinitionError that using `c` throws (`component_yaml` checks it as `Pipeline::add` does,
// without the binding of its inputs).
template <class C>
kfpp::DefinitionError use_error(const C& c) {
  return definition_error([&] { (void)kfpp::component_yaml(c.data()); });
}

// The DefinitionError that adding `c` (a component without inputs) to a pipeline throws.
template <class C>
kfpp::DefinitionError add_error(const C& c) {
  return definition_error([&] {
    kfpp::Pipeline p("py");
    p.add(c);
  });
}

struct VertexModel {
  static constexpr std::string_view schema_title = "google.VertexModel";
};

const std::string go = "def go():\n    pass\n";

}  // namespace

// --- what the launcher installs ---------------------------------------------------------------

TEST_CASE("Python options: explicit trusted hosts replace the index URLs as trusted hosts") {
  // make_index_url_options: with pip_trusted_hosts given, '--trusted-host H' for each of them
  // instead of one per index URL; with an empty list, none at all.
  auto base = Component<Ports<>>::python("go", go).packages({"yapf"}).pip_index_urls(
      {"https://pypi.example.com/simple"});
  auto some = base;
  some.pip_trusted_hosts({"pypi.example.com"});
  const std::string s = command(some).at(2);
  CHECK(count(s, "--trusted-host 'pypi.example.com'") == 2);  // the packages and the runtime
  CHECK(!contains(s, "--trusted-host 'https://pypi.example.com/simple'"));
  auto none = base;
  none.pip_trusted_hosts({});
  CHECK(!contains(command(none).at(2), "--trusted-host"));
  // Unset: each index URL is trusted, as the corpus shows (essential/component_with_pip_install).
  CHECK(count(command(base).at(2), "--trusted-host 'https://pypi.example.com/simple'") == 2);
}

TEST_CASE("Python options: install_kfp_package(false) leaves the runtime to the image") {
  // inject_kfp_install is false: only the user's packages are installed; without any, there is
  // no install step at all and the executor runs from the image's own kfp.
  auto with_pkgs =
      Component<Ports<>>::python("go", go).packages({"yapf"}).install_kfp_package(false);
  const std::string s = command(with_pkgs).at(2);
  CHECK(count(s, "pip install") == 1);
  CHECK(contains(s, "pip install --quiet --no-warn-script-location 'yapf'"));
  CHECK(!contains(s, "kfp=="));
  const std::string bare =
      command(Component<Ports<>>::python("go", go).install_kfp_package(false)).at(2);
  CHECK(!contains(bare, "pip"));
  CHECK(contains(bare, "python3 -m kfp.dsl.executor_main"));
}

TEST_CASE("Python options: a kfp requirement among the packages replaces the runtime") {
  // kfp_in_user_pkgs: any requirement starting with 'kfp' stops the launcher's own install.
  const std::string s =
      command(Component<Ports<>>::python("go", go).packages({"kfp==2.9.0", "yapf"})).at(2);
  CHECK(count(s, "pip install") == 1);
  CHECK(contains(s, "'kfp==2.9.0' 'yapf'"));
  CHECK(!contains(s, "kfp==2.15.2"));
}

TEST_CASE("Python options: kfp_package_path is installed instead of the pinned runtime") {
  // The 2.15.2 SDK installs [kfp_package_path] alone, with its dependencies (no '--no-deps').
  const std::string url =
      "git+https://github.com/kubeflow/pipelines.git@master#subdirectory=sdk/python";
  const std::string s = command(Component<Ports<>>::python("go", go).kfp_package_path(url)).at(2);
  CHECK(contains(s, "python3 -m pip install --quiet --no-warn-script-location '" + url + "'\n"));
  CHECK(!contains(s, "kfp==2.15.2"));
  CHECK(!contains(s, "--no-deps"));
}

TEST_CASE(
    "Python options: use_venv creates the environment after the packages, before the runtime") {
  const std::string s =
      command(Component<Ports<>>::python("go", go).packages({"yapf"}).use_venv()).at(2);
  const auto user = s.find("'yapf'");
  const auto venv = s.find("python3 -m venv \"$venv_dir/venv\" --system-site-packages");
  const auto activate = s.find(". \"$venv_dir/venv/bin/activate\"");
  const auto runtime = s.find("'kfp==2.15.2'");
  REQUIRE(venv != std::string::npos);
  REQUIRE(activate != std::string::npos);
  CHECK(user < venv);
  CHECK(venv < activate);
  CHECK(activate < runtime);
  CHECK(activate < s.find("exec python3 -m kfp.dsl.executor_main"));
}

TEST_CASE("Python options: a containerized component with packages installs them, then execs") {
  // With target_image the SDK never installs the runtime, but still installs the packages before
  // 'python3 -m kfp.dsl.executor_main'.
  auto c = Component<Ports<>>::python("go", go).target_image("gcr.io/p/go:1").packages({"yapf"});
  auto cmd = command(c);
  REQUIRE(cmd.size() == 6);
  CHECK(cmd[0] == "sh");
  CHECK(contains(cmd[2], "pip install --quiet --no-warn-script-location 'yapf'"));
  CHECK(!contains(cmd[2], "kfp=="));
  CHECK(contains(cmd[2], "exec \"$0\" \"$@\""));
  CHECK(std::vector<std::string>(cmd.begin() + 3, cmd.end()) ==
        std::vector<std::string>{"python3", "-m", "kfp.dsl.executor_main"});
  kfpp::Pipeline p("py");
  p.add(c);
  auto doc = kfpp::test::load_all(kfpp::compile(p)).at(0);
  CHECK(at_path(doc, "deploymentSpec.executors.exec-go.container.image")->as_string() ==
        "gcr.io/p/go:1");
  CHECK(!contains(kfpp::compile(p), "def go"));
}

TEST_CASE("Python options: Argo's launcher trusts the same hosts") {
  auto c = Component<Ports<>>::python("go", go)
               .packages({"yapf"})
               .pip_index_urls({"https://pypi.example.com/simple"})
               .pip_trusted_hosts({"pypi.example.com"});
  kfpp::Pipeline p("py");
  p.add(c);
  bool found = false;
  std::function<void(const kfpp::ir::Value&)> walk = [&](const kfpp::ir::Value& v) {
    if (v.is_string())
      found = found || contains(v.as_string(),
                                "--index-url 'https://pypi.example.com/simple' --trusted-host "
                                "'pypi.example.com' 'yapf'");
    if (v.is_array())
      for (const auto& x : v.as_array()) walk(x);
    if (v.is_object())
      for (const auto& [k, x] : v.as_object()) walk(x);
  };
  for (const auto& doc : kfpp::test::load_all(kfpp::compile_argo(p))) walk(doc);
  CHECK(found);
}

TEST_CASE("Python options: an option that would do nothing is refused") {
  using C = Component<Ports<>>;
  auto check = [](const kfpp::DefinitionError& e, const std::string& what) {
    CHECK(e.code() == "kfpp.python_option_unused");
    CHECK(e.path() == "component go/python");
    CHECK(contains(e.what(), what));
  };
  check(add_error(C::python("go", go).packages({"x"}).pip_trusted_hosts({"h"})),
        "pip_trusted_hosts is set without pip_index_urls");
  check(add_error(C::python("go", go).install_kfp_package(false).pip_index_urls({"https://i"})),
        "pip_index_urls is set, but nothing is installed");
  check(add_error(C::python("go", go).install_kfp_package(false).use_venv()),
        "use_venv is set, but install_kfp_package(false)");
  check(add_error(C::python("go", go).target_image("img").use_venv()),
        "use_venv is set, but a containerized component");
  check(add_error(C::python("go", go).packages({"kfp==2.9"}).kfp_package_path("/src/kfp")),
        "kfp_package_path is set, but a kfp package among the packages");
  // The same checks guard a component saved on its own.
  CHECK(definition_error([] {
          (void)kfpp::component_yaml(C::python("go", go).target_image("img").use_venv().data());
        }).code() == "kfpp.python_option_unused");
}

TEST_CASE(
    "Python options: a base image after the target image is refused; other components refuse them "
    "all") {
  auto e = definition_error([] {
    (void)Component<Ports<>>::python("go", go).target_image("img").base_image("python:3.12");
  });
  CHECK(e.code() == "kfpp.target_image");
  CHECK(contains(e.what(), "leave base_image out"));
  CHECK(definition_error([] { (void)Component<Ports<>>::container("c").use_venv(); }).code() ==
        "kfpp.not_python");
  CHECK(definition_error([] {
          (void)Component<Ports<>>::container("c").target_image("i");
        }).code() == "kfpp.not_python");
}

// --- reading the signature --------------------------------------------------------------------

TEST_CASE("Python signature: decorators, comments, multi-line parameters and nested brackets") {
  const std::string src = R"(
import typing
from kfp import dsl

def helper(x):  # not the component
    def go(bad): pass
    return x

@dsl.component(base_image='python:3.11',
               packages_to_install=['x'])
def go(
    a: int,  # the count, "quoted" (not a string)
    b: typing.List[typing.Dict[str, int]] = [{'k': 1}],
    c: 'str' = 'def go(z): )',
    *,
    d: dsl.Input[dsl.Dataset] = None,
    e: OutputPath('Model'),
    f: float = -1.5e3,
    g: Optional[bool] = True,
) -> typing.NamedTuple('Outputs', [('acc', float), ('model', Model)]):
    """Docstring with def go(q): and a ) bracket."""
    return
)";
  auto sig = kfpp::detail::read_python_signature(src, "go");
  REQUIRE(sig.error.empty());
  REQUIRE(sig.parameters.size() == 7);
  CHECK(sig.parameters[0].name == "a");
  CHECK(sig.parameters[0].annotation_text == "int");
  CHECK(!sig.parameters[0].default_value);
  CHECK(sig.parameters[1].annotation_text == "typing.List[typing.Dict[str, int]]");
  auto b = kfpp::detail::python_literal(*sig.parameters[1].default_value);
  REQUIRE(b);
  CHECK(*b == kfpp::ir::Value(kfpp::ir::Value::Array{
                  kfpp::ir::Value(kfpp::ir::Value::Object{{"k", kfpp::ir::Value(1)}})}));
  CHECK(kfpp::detail::python_literal(*sig.parameters[2].default_value)->as_string() ==
        "def go(z): )");
  CHECK(sig.parameters[3].name == "d");
  CHECK(sig.parameters[4].annotation_text == "OutputPath('Model')");
  CHECK(kfpp::detail::python_literal(*sig.parameters[5].default_value)->as_double() == -1500.0);
  CHECK(sig.returns_text == "typing.NamedTuple('Outputs', [('acc', float), ('model', Model)])");
}

TEST_CASE("Python signature: a source kfpp cannot read is an error that says why") {
  using C = Component<Ports<Port<"a", int>>>;
  auto check = [](const kfpp::DefinitionError& e, const std::string& why) {
    CHECK(e.code() == "kfpp.signature_unreadable");
    CHECK(e.path() == "component go/python");
    CHECK(contains(e.what(), why));
    CHECK(contains(e.what(), ".skip_signature_check()"));
  };
  check(use_error(C::python("go", "def go(a: int, **kwargs):\n    pass\n")), "takes **kwargs");
  check(use_error(C::python("go", "def other(a: int):\n    pass\n")),
        "defines no top-level function 'go'");
  check(use_error(C::python("go", "class K:\n    def go(a: int):\n        pass\n")),
        "defines no top-level function 'go'");
  check(use_error(C::python("go", "def go(a: int):\n    return 'open\n")), "not closed");
  // The caller may take responsibility for a function kfpp cannot read.
  kfpp::Pipeline p("py");
  p.add(C::python("go", "def go(**kwargs):\n    pass\n").skip_signature_check(), in<"a"> = 1);
  CHECK(contains(kfpp::compile(p), "def go(**kwargs)"));
}

// --- ports against the signature --------------------------------------------------------------

TEST_CASE("Python signature: ports that match the function are accepted in every SDK spelling") {
  using In = Ports<Port<"n", int>, Port<"xs", std::vector<std::string>>,
                   Port<"cfg", std::optional<kfpp::Json>>, Port<"data", kfpp::Dataset>,
                   Port<"parts", std::vector<kfpp::Dataset>>, Port<"raw", kfpp::Artifact>,
                   Port<"rate", std::optional<double>>, Port<"tag", std::optional<std::string>>>;
  using Out = Ports<Port<"acc", double>, Port<"model", kfpp::Model>, Port<"log", std::string>,
                    Port<"report", kfpp::HTML>>;
  auto c = Component<In, Out>::python("go", R"(def go(n: int, xs: List[str],
        cfg: Optional[Dict[str, Any]] = None,
        data: dsl.Input[dsl.Dataset] = None,
        parts: Input[List[Dataset]],
        raw: InputPath('CSV'),
        model: Output[Model],
        log: OutputPath(str),
        report: kfp.dsl.Output[HTML],
        rate: float = 1,
        tag: str | None = 'a' 'b',
) -> NamedTuple('Outputs', acc=float):
    pass
)")
               .default_value<"rate">(1.0)
               .default_value<"tag">("ab");
  // `data` defaults to None in the source, so its port must be optional; declare it so.
  CHECK(use_error(c).code() == "kfpp.signature_mismatch");
  using In2 =
      Ports<Port<"n", int>, Port<"xs", std::vector<std::string>>,
            Port<"cfg", std::optional<kfpp::Json>>, Port<"data", std::optional<kfpp::Dataset>>,
            Port<"parts", std::vector<kfpp::Dataset>>, Port<"raw", kfpp::Artifact>,
            Port<"rate", std::optional<double>>, Port<"tag", std::optional<std::string>>>;
  auto ok = Component<In2, Out>::python("go", R"(def go(n: int, xs: List[str],
        cfg: Optional[Dict[str, Any]] = None,
        data: dsl.Input[dsl.Dataset] = None,
        parts: Input[List[Dataset]],
        raw: InputPath('CSV'),
        model: Output[Model],
        log: OutputPath(str),
        report: kfp.dsl.Output[HTML],
        rate: float = 1,
        tag: str | None = 'a' 'b',
) -> NamedTuple('Outputs', acc=float):
    pass
)")
                .default_value<"rate">(1.0)
                .default_value<"tag">("ab");
  CHECK(contains(kfpp::component_yaml(ok.data()), "comp-go"));
}

TEST_CASE("Python signature: a mismatch names the parameter and says how to fix it") {
  auto check = [](const kfpp::DefinitionError& e, const std::string& path, const std::string& what,
                  const std::string& fix) {
    INFO(e.what());
    CHECK(e.code() == "kfpp.signature_mismatch");
    CHECK(e.path() == "component go/" + path);
    CHECK(contains(e.what(), what));
    CHECK(contains(e.what(), fix));
  };
  using kfpp::Dataset;
  using kfpp::Model;
  // Names.
  check(use_error(Component<Ports<Port<"a", int>>>::python("go", "def go(b: int):\n  pass\n")),
        "inputs/b", "parameter 'b' of the function (`int`) has no input port",
        "declare Port<\"b\", int> among the inputs");
  check(use_error(Component<Ports<Port<"a", int>, Port<"b", int>>>::python(
            "go", "def go(b: int):\n  pass\n")),
        "inputs/a", "input 'a' is declared but is not a parameter of the function",
        "add `a: <type>` to `def go(...)`");
  check(use_error(Component<Ports<Port<"m", Model>>>::python(
            "go", "def go(m: Output[Model]):\n  pass\n")),
        "outputs/m", "is an output, but the component declares it as an input",
        "among the outputs instead of the inputs");
  // Types.
  check(use_error(
            Component<Ports<Port<"a", std::string>>>::python("go", "def go(a: int):\n  pass\n")),
        "inputs/a",
        "parameter 'a' is `int`, a NUMBER_INTEGER parameter, but its port is a STRING "
        "parameter",
        "declare Port<\"a\", int>");
  check(use_error(Component<Ports<Port<"d", Dataset>>>::python(
            "go", "def go(d: Input[Model]):\n  pass\n")),
        "inputs/d", "a system.Model artifact, but its port is a system.Dataset artifact",
        "declare Port<\"d\", kfpp::Model>");
  check(use_error(Component<Ports<Port<"d", Dataset>>>::python(
            "go", "def go(d: Input[List[Dataset]]):\n  pass\n")),
        "inputs/d", "a list of system.Dataset artifacts",
        "declare Port<\"d\", std::vector<kfpp::Dataset>>");
  check(use_error(Component<Ports<Port<"a", int>>>::python("go", "def go(a):\n  pass\n")),
        "inputs/a", "parameter 'a' of the function has no type annotation", "annotate it");
  check(use_error(
            Component<Ports<Port<"a", int>>>::python("go", "def go(a: numpy.ndarray):\n  pass\n")),
        "inputs/a", "has annotation `numpy.ndarray`, which is not a KFP type", "use str, int");
  // Return values.
  check(use_error(Component<Ports<>, std::string>::python("go", "def go() -> int:\n  pass\n")),
        "outputs/Output",
        "the return value is `int`, a NUMBER_INTEGER parameter, but its port is "
        "a STRING parameter",
        "declare Port<\"Output\", int>");
  check(use_error(Component<Ports<>, std::string>::python("go", "def go():\n  pass\n")),
        "outputs/Output", "output 'Output' is declared but is neither",
        "return it, or remove the port");
  check(add_error(Component<Ports<>>::python("go", "def go() -> str:\n  pass\n")), "outputs/Output",
        "the function's return value (`str`) has no output port", "Component<In, std::string>");
  check(use_error(Component<Ports<>, Ports<Port<"acc", double>, Port<"n", int>>>::python(
            "go", "def go() -> NamedTuple('Outputs', [('acc', float), ('n', str)]):\n  pass\n")),
        "outputs/n",
        "field 'n' of the return value, a STRING parameter, but its port is a "
        "NUMBER_INTEGER parameter",
        "declare Port<\"n\", std::string>");
  check(use_error(Component<Ports<>, Ports<Port<"acc", double>>>::python(
            "go", "def go() -> NamedTuple('Outputs', [('accuracy', float)]):\n  pass\n")),
        "outputs/accuracy",
        "field 'accuracy' of the function's NamedTuple return value has no "
        "output port",
        "declare Port<\"accuracy\", double> among the outputs");
  // Defaults.
  check(use_error(Component<Ports<Port<"n", int>>>::python("go", "def go(n: int = 3):\n  pass\n")),
        "inputs/n",
        "parameter 'n' of the function has the default 3, but its input port is "
        "required",
        "declare Port<\"n\", std::optional<int>> and .default_value<\"n\">(3)");
  check(use_error(Component<Ports<Port<"n", std::optional<int>>>>::python(
            "go", "def go(n: int):\n  pass\n")),
        "inputs/n", "input 'n' is optional, but parameter 'n' of the function has no default",
        "give the parameter a default in the source");
  check(use_error(Component<Ports<Port<"n", std::optional<int>>>>::python(
            "go", "def go(n: int = 3):\n  pass\n")),
        "inputs/n", "has the default 3 in the function, but its port has no default",
        "add .default_value<\"n\">(3)");
  check(use_error(Component<Ports<Port<"n", std::optional<int>>>>::python(
                      "go", "def go(n: int = 3):\n  pass\n")
                      .default_value<"n">(4)),
        "inputs/n", "has the default 3 in the function, but its port's default is 4",
        "make the two defaults the same");
  check(use_error(Component<Ports<Port<"s", std::optional<std::string>>>>::python(
                      "go", "def go(s: str = None):\n  pass\n")
                      .default_value<"s">("x")),
        "inputs/s", "defaults to None in the function, but the port's default is \"x\"",
        "remove .default_value<\"s\">(...)");
  check(use_error(Component<Ports<Port<"d", std::optional<Dataset>>>>::python(
            "go", "def go(d: Input[Dataset] = 'x'):\n  pass\n")),
        "inputs/d", "artifact parameter 'd' has the default 'x'",
        "an optional artifact's default can only be None");
}

TEST_CASE("Python signature: a default that is not a literal only needs a default on the port") {
  // Python evaluates `DEFAULT_LR` when it imports the module; kfpp cannot, so it compares only
  // that both sides have a default.
  auto src = "DEFAULT_LR = 0.1\n\ndef go(lr: float = DEFAULT_LR):\n  pass\n";
  using C = Component<Ports<Port<"lr", std::optional<double>>>>;
  kfpp::Pipeline p("py");
  p.add(C::python("go", src).default_value<"lr">(0.1));
  CHECK(use_error(C::python("go", src)).code() == "kfpp.signature_mismatch");
}

TEST_CASE("Python signature: classes of the source and task final status fit their ports") {
  auto producer = Component<Ports<>, Ports<Port<"m", VertexModel>>>::python(
      "go", "import aiplatform\n\ndef go(m: Output[aiplatform.VertexModel]):\n  pass\n");
  // A custom class cannot stand for one of kfpp's own types.
  CHECK(use_error(Component<Ports<>, Ports<Port<"m", kfpp::Model>>>::python(
                      "go", "def go(m: Output[VertexModel]):\n  pass\n"))
            .code() == "kfpp.signature_mismatch");
  auto status = Component<Ports<Port<"status", kfpp::PipelineTaskFinalStatus>>>::python(
      "notify", "def notify(status: dsl.PipelineTaskFinalStatus):\n  pass\n");
  kfpp::Pipeline p("py");
  auto cleanup = p.add(status);
  kfpp::ExitHandler(p, cleanup, [&] { p.add(producer); });
  CHECK(contains(kfpp::compile(p), "TASK_FINAL_STATUS"));
}

// --- the local runner ------------------------------------------------------------------------

TEST_CASE("Python options: the runner installs packages from the component's indexes") {
  auto c = Component<Ports<>>::python("go", go)
               .packages({"yapf"})
               .pip_index_urls({"https://a.example/simple", "https://b.example/simple"})
               .pip_trusted_hosts({"a.example"});
  const auto& spec = *c.data().executor.container;
  auto py = kfpp::detail::python_component(spec);
  REQUIRE(py);
  CHECK(py->packages == std::vector<std::string>{"yapf"});
  CHECK(py->pip_options == std::vector<std::string>{"--index-url", "https://a.example/simple",
                                                    "--extra-index-url", "https://b.example/simple",
                                                    "--trusted-host", "a.example"});
}

TEST_CASE("Python options: the runner reads the indexes from the SDK's command",
          "[.sdk][essential/component_with_pip_install]") {
  auto ir = kfpp::ir::read_pipeline_file(std::string(KFPP_CONFORMANCE_DIR) +
                                         "/kfp-sdk/essential/component_with_pip_install.yaml");
  const auto* e = ir.find_executor("exec-component-with-pip-install");
  REQUIRE(e);
  auto py = kfpp::detail::python_component(*e->container);
  REQUIRE(py);
  CHECK(py->function_name == "component_with_pip_install");
  CHECK(py->packages == std::vector<std::string>{"yapf"});
  CHECK(py->pip_options == std::vector<std::string>{"--index-url", "https://pypi.org/simple",
                                                    "--trusted-host", "https://pypi.org/simple"});
}

TEST_CASE("Python options: the runner runs components whatever their runtime options") {
  // The runner never installs the KFP runtime (its launcher runs the function itself), so these
  // options change nothing locally: each component still runs and returns its value.
  using C = Component<Ports<Port<"x", int>>, int>;
  const std::string src = "def twice(x: int) -> int:\n    return 2 * x\n";
  kfpp::Pipeline p("options");
  auto a = p.add(C::python("twice", src).install_kfp_package(false), in<"x"> = 1);
  auto b = p.add(C::python("twice", src).use_venv().kfp_package_path("kfp==2.15.2"),
                 in<"x"> = a.output());
  auto c = p.add(C::python("twice", src).target_image("python:3.11"), in<"x"> = b.output());
  p.output("Output", c.output());
  kfpp::RunOptions o;
  o.work_dir = kfpp::test::fresh_work_dir("python-options");
  kfpp::RunResult r = kfpp::run_local(p, o);
  INFO(kfpp::run_summary_text(r));
  REQUIRE(r.state == kfpp::TaskState::succeeded);
  CHECK(r.parameters.at("Output").as_int() == 8);
}

TEST_CASE("Python options: the python_options example's three ways of getting the runtime") {
  auto doc = kfpp::test::load_all(kfpp::compile(python_options())).at(0);
  auto cmd = [&](const std::string& exec) {
    std::string all;
    for (const auto& x :
         at_path(doc, "deploymentSpec.executors." + exec + ".container.command")->as_array())
      all += x.as_string() + "\n";
    return all;
  };
  const std::string words = cmd("exec-count-words");
  CHECK(contains(words, "--trusted-host 'pypi.internal.example' 'regex'"));
  CHECK(contains(words, "python3 -m venv"));
  CHECK(contains(words, "'kfp==2.15.2'"));
  CHECK(!contains(cmd("exec-report"), "pip"));
  CHECK(cmd("exec-train") == "python3\n-m\nkfp.dsl.executor_main\n");
  CHECK(at_path(doc, "deploymentSpec.executors.exec-train.container.image")->as_string() ==
        "gcr.io/my-project/train:v1");
}

TEST_CASE(
    "Python signature: every function of the SDK's corpus agrees with the interface the SDK "
    "wrote for it",
    "[.sdk][signatures]") {
  // The SDK derived each component's inputDefinitions and outputDefinitions from the function's
  // signature; read back, the same function must pass kfpp's check against them.
  namespace fs = std::filesystem;
  const fs::path root = fs::path(KFPP_CONFORMANCE_DIR) / "kfp-sdk";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t checked = 0;
  std::vector<std::string> failures;
  for (const auto& file : files) {
    const auto ir = kfpp::ir::read_pipeline_file(file.string(), {.strict = false});
    for (const auto& comp : ir.components) {
      const auto* e = ir.find_executor(comp.executor_label);
      if (!e || !e->container) continue;
      auto py = kfpp::detail::python_component(*e->container);
      // Containerized components carry no source to read.
      if (!py) continue;
      kfpp::detail::ComponentData c;
      c.name = comp.name;
      c.inputs = comp.inputs;
      c.outputs = comp.outputs;
      auto& fn = c.executor.container.emplace().python.emplace();
      fn.function_name = py->function_name;
      fn.source = py->module;
      c.signature = kfpp::detail::python_signature(py->module, py->function_name);
      ++checked;
      try {
        kfpp::detail::check_python_component(c);
      } catch (const kfpp::DefinitionError& err) {
        failures.push_back(fs::relative(file, root).string() + ": " + err.what());
      }
    }
  }
  INFO(checked << " functions checked");
  CHECK(checked > 100);
  for (const auto& f : failures) UNSCOPED_INFO(f);
  CHECK(failures.empty());
}

TEST_CASE("Python signature: names and return annotations the SDK refuses are refused") {
  auto check = [](const kfpp::DefinitionError& e, const std::string& path,
                  const std::string& what) {
    INFO(e.what());
    CHECK(e.code() == "kfpp.signature_mismatch");
    CHECK(e.path() == "component go/" + path);
    CHECK(contains(e.what(), what));
  };
  check(use_error(
            Component<Ports<Port<"Output", int>>>::python("go", "def go(Output: int):\n  pass\n")),
        "inputs/Output", "a parameter called 'Output', the name of the return value");
  check(use_error(Component<Ports<>, int>::python("go", "def go() -> numpy.ndarray:\n  pass\n")),
        "outputs/Output", "the return annotation `numpy.ndarray` is not a KFP type");
  check(use_error(Component<Ports<>, Ports<Port<"a", int>>>::python(
            "go", "def go() -> NamedTuple('Outputs', ['a']):\n  pass\n")),
        "outputs",
        "the NamedTuple return annotation `NamedTuple('Outputs', ['a'])` cannot be read");
  check(use_error(Component<Ports<>, Ports<Port<"a", int>>>::python(
            "go", "def go() -> NamedTuple('Outputs', [('a', Output[Model])]):\n  pass\n")),
        "outputs/a", "field 'a' of the NamedTuple return value has a type that is not a KFP type");
}
