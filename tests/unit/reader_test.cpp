// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <filesystem>
#include <kfpp/kfpp.hpp>

#include "examples.hpp"
#include "helpers.hpp"
#include "ir/yaml_parse.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "yaml_tree.hpp"

using kfpp::test::contains;

namespace {

// A small pipeline in KFP IR, as a user might write it by hand.
const char* const kSmall = R"(# PIPELINE DEFINITION
components:
  comp-echo:
    executorLabel: exec-echo
    inputDefinitions:
      parameters:
        msg:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-echo:
      container:
        args:
        - '{"IfPresent": {"InputName": "msg", "Then": ["--msg", "{{$.inputs.parameters[''msg'']}}"]}}'
        command:
        - echo
        image: alpine:3.19
pipelineInfo:
  name: small
root:
  dag:
    tasks:
      echo:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-echo
        inputs:
          parameters:
            msg:
              runtimeValue:
                constant: 'yes'
        taskInfo:
          name: echo
schemaVersion: 2.1.0
sdkVersion: kfp-2.15.2
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-echo:
          secretAsEnv:
          - keyToEnv:
            - envVar: TOKEN
              secretKey: token
            secretName: api
)";

std::vector<kfpp::Diagnostic> parse_problems(const std::string& text,
                                             kfpp::ir::ReadOptions options = {}) {
  try {
    (void)kfpp::ir::read_pipeline(text, "p.yaml", options);
  } catch (const kfpp::ParseError& e) {
    return e.diagnostics();
  }
  return {};
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("Reader: a hand-written pipeline is read into the IR, both documents") {
  auto p = kfpp::ir::read_pipeline(kSmall, "small.yaml");
  CHECK(p.name == "small");
  CHECK(p.sdk_version == "kfp-2.15.2");
  REQUIRE(p.root.dag);
  REQUIRE(p.root.dag->tasks.size() == 1);
  const auto& t = p.root.dag->tasks[0];
  CHECK(t.enable_cache == std::optional<bool>(true));
  REQUIRE(t.parameters.size() == 1);
  // Quoted in YAML, so a string, not the YAML 1.1 boolean.
  CHECK(t.parameters[0].constant == kfpp::ir::Value("yes"));
  const auto* e = p.find_executor("exec-echo");
  REQUIRE(e);
  REQUIRE(e->container);
  REQUIRE(e->container->args.size() == 1);
  const auto& arg = e->container->args[0];
  CHECK(arg.kind == kfpp::ir::Arg::Kind::if_present);
  CHECK(arg.input_name == "msg");
  REQUIRE(arg.items.size() == 2);
  CHECK(arg.items[1].text == "{{$.inputs.parameters['msg']}}");
  REQUIRE(e->kubernetes);
  REQUIRE(e->kubernetes->secret_as_env.size() == 1);
  CHECK(e->kubernetes->secret_as_env[0].name == "api");
  CHECK(e->kubernetes->secret_as_env[0].key_to_env[0].env_var == "TOKEN");
  CHECK(kfpp::ir::check(p).empty());
}

TEST_CASE("Reader: plain scalars resolve as the KFP SDK's YAML library reads them") {
  std::string text = replaced(kSmall, "constant: 'yes'", "constant: yes");
  auto p = kfpp::ir::read_pipeline(text);
  CHECK(p.root.dag->tasks[0].parameters[0].constant == kfpp::ir::Value(true));
  p = kfpp::ir::read_pipeline(replaced(kSmall, "constant: 'yes'", "constant: 1e3"));
  CHECK(p.root.dag->tasks[0].parameters[0].constant == kfpp::ir::Value("1e3"));
  p = kfpp::ir::read_pipeline(replaced(kSmall, "constant: 'yes'", "constant: 2.0"));
  CHECK(p.root.dag->tasks[0].parameters[0].constant.is_double());
  p = kfpp::ir::read_pipeline(replaced(kSmall, "constant: 'yes'", "constant: 42"));
  CHECK(p.root.dag->tasks[0].parameters[0].constant.is_int());
}

// Most scalars are read as views of the text; those whose value differs from their text
// (escapes, '' in single quotes, folded lines, block scalars) are copies. The values expected are
// the YAML spec's (1.1 and 1.2 agree on these), after non-ASCII text, which shifts the characters
// libyaml counts its marks in against the bytes. A byte order mark is not part of the text (as
// PyYAML, and so the KFP SDK, reads it): the lines and columns are the same with and without.
TEST_CASE(
    "Reader: scalars keep their value and position whatever their style and the text before") {
  const std::string body =
      "a: \"\xC3\xA9\\tx\"\n"  // a: "é\tx"
      "b: 'it''s'\n"
      "c: plain \xC3\xA9 text\n"
      "d: \"no escapes\"\n"
      "e: folded\n  over lines\n"
      "f: |\n  block\n"
      "g: \xC3\xB1\n"  // g: ñ
      "h: 'quoted'\n";
  for (const std::string& text : {body, "\xEF\xBB\xBF" + body}) {
    std::optional<kfpp::Diagnostic> problem;
    auto tree = kfpp::detail::YamlTree::parse(text, "t.yaml", {}, problem);
    INFO((problem ? problem->to_string() : ""));
    REQUIRE_FALSE(problem);
    const kfpp::detail::YamlNode doc = tree->documents().at(0);
    CHECK(doc["a"].scalar() == "\xC3\xA9\tx");
    CHECK(doc["b"].scalar() == "it's");
    CHECK(doc["c"].scalar() == "plain \xC3\xA9 text");
    CHECK(doc["d"].scalar() == "no escapes");
    CHECK(doc["e"].scalar() == "folded over lines");
    CHECK(doc["f"].scalar() == "block\n");
    CHECK(doc["g"].scalar() == "\xC3\xB1");
    CHECK(doc["h"].scalar() == "quoted");
    CHECK_FALSE(doc["h"].is_plain());
    CHECK(doc["g"].mark().line == 9);
    CHECK(doc["g"].mark().column == 4);
    CHECK(doc["h"].mark().line == 10);
    CHECK(doc.key(0).mark().column == 1);
  }
}

TEST_CASE("Reader: an unknown key is an error with file, line, column and key path") {
  std::string text = replaced(kSmall, "          enableCache: true", "          enableCahe: true");
  auto found = parse_problems(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.unknown_key");
  CHECK(found[0].path == "p.yaml:25:11 root.dag.tasks.echo.cachingOptions.enableCahe");
  CHECK(contains(found[0].fix, "enableCache"));

  // Lenient: skipped, reported as a warning.
  std::vector<kfpp::Diagnostic> warnings;
  kfpp::ir::ReadOptions lenient;
  lenient.strict = false;
  lenient.warnings = &warnings;
  auto p = kfpp::ir::read_pipeline(text, "p.yaml", lenient);
  CHECK(p.name == "small");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].code == "kfpp.unknown_key");
}

TEST_CASE("Reader: every problem of a file is reported at once, never a crash") {
  std::string text = replaced(kSmall, "parameterType: STRING", "parameterType: TEXT");
  text = replaced(text, "          name: comp-echo", "          name: [comp-echo]");
  auto found = parse_problems(text);
  REQUIRE(found.size() == 2);
  CHECK(found[0].code == "kfpp.bad_parameter_type");
  CHECK(contains(found[0].path, "components.comp-echo.inputDefinitions.parameters.msg"));
  CHECK(found[1].code == "kfpp.bad_value");
  CHECK(contains(found[1].path, "root.dag.tasks.echo.componentRef.name"));

  CHECK(parse_problems("a: [1, 2")[0].code == "kfpp.yaml_syntax");
  CHECK(parse_problems("")[0].code == "kfpp.empty_file");
  CHECK(parse_problems("- 1\n- 2\n")[0].code == "kfpp.bad_value");
  CHECK(parse_problems(replaced(kSmall, "platforms:", "platform:"))[0].code == "kfpp.unknown_key");
  CHECK(parse_problems(replaced(kSmall, "exec-echo:\n          secretAsEnv",
                                "exec-other:\n          secretAsEnv"))[0]
            .code == "kfpp.unknown_executor");
  CHECK_THROWS_AS(kfpp::ir::read_pipeline_file("/nonexistent/p.yaml"), kfpp::ParseError);
}

// The text after the `# PIPELINE DEFINITION` comment.
std::string without_header(const std::string& text) {
  std::size_t at = 0;
  while (at < text.size() && text[at] == '#') at = text.find('\n', at) + 1;
  return text.substr(at);
}

TEST_CASE("Reader: every example's IR reads back and re-emits as the same bytes") {
  for (const auto& ex : kExamples) {
    INFO(ex.name);
    const std::string first = kfpp::compile(ex.build());
    const kfpp::ir::Pipeline back = kfpp::ir::read_pipeline(first, ex.name);
    CHECK(kfpp::ir::check(back).empty());
    // The header shows a dict default's keys in the order the program gave them, which the
    // document (keys sorted) does not keep; the rest is the same bytes.
    if (std::string(ex.name) == "kubernetes_extras")
      CHECK(without_header(kfpp::emit_kfp(back)) == without_header(first));
    else
      CHECK(kfpp::emit_kfp(back) == first);
    // The IR read back converts to Argo too. (A Python component read from a file keeps the
    // KFP launcher command it was written with, so only its template differs.)
    CHECK_NOTHROW(kfpp::emit_argo(back, {}));
  }
}

TEST_CASE("Graph: groups become clusters with stable ids; exit tasks are drawn as such") {
  kfpp::ir::Pipeline ir = exit_handler().ir();
  const std::string dot = kfpp::emit_graph(ir, kfpp::GraphFormat::dot);
  CHECK(contains(dot, "subgraph \"cluster_t_exit_handler_1\""));
  CHECK(contains(dot, "t_exit_handler_1_S_print_op [label=\"print-op\"]"));
  CHECK(contains(dot,
                 "t_exit_handler_1 -> t_exit_op [ltail=\"cluster_t_exit_handler_1\", "
                 "style=dashed, label=\"on exit\"]"));
  const std::string mermaid = kfpp::emit_graph(ir, kfpp::GraphFormat::mermaid);
  CHECK(mermaid.rfind("flowchart TD\n", 0) == 0);
  CHECK(contains(mermaid, "t_exit_handler_1 -. on exit .-> t_exit_op"));

  // Conditions show their test in the caption; the ids do not depend on other tasks.
  kfpp::ir::Pipeline ml = ml_training_pipeline().ir();
  const std::string before = kfpp::emit_graph(ml, kfpp::GraphFormat::mermaid);
  CHECK(contains(before, "[\"condition-1: if evaluate-model-accuracy >= accuracy_threshold\"]"));
  CHECK(contains(before, "t_evaluate_model --> t_condition_1\n"));
  ml.root.dag->tasks.push_back(ml.root.dag->tasks.front());
  ml.root.dag->tasks.back().name = "aaa-extra";
  const std::string after = kfpp::emit_graph(ml, kfpp::GraphFormat::mermaid);
  CHECK(contains(after, "t_condition_1_S_deploy_model[\"deploy-model\"]"));
  CHECK(contains(after, "t_aaa_extra"));
  CHECK(kfpp::emit_graph(ml, kfpp::GraphFormat::dot) ==
        kfpp::emit_graph(ml, kfpp::GraphFormat::dot));
}

// The SDK corpora: run by ctest (corpus.roundtrip), which skips when the corpora are absent.
TEST_CASE("Corpus: every reference IR file reads, validates and re-emits as the same document",
          "[.corpus]") {
  namespace fs = std::filesystem;
  const fs::path root = KFPP_CONFORMANCE_DIR;
  std::vector<fs::path> files;
  for (const char* dir : {"kfp", "kfp-sdk"})
    for (const auto& e : fs::recursive_directory_iterator(root / dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 158);
  for (const auto& f : files) {
    INFO(f.string());
    kfpp::ir::Pipeline p;
    REQUIRE_NOTHROW(p = kfpp::ir::read_pipeline_file(f.string()));
    auto problems = kfpp::ir::check(p);
    for (const auto& d : problems) UNSCOPED_INFO(d.to_string());
    CHECK(problems.empty());
    const auto ours = kfpp::test::load_all(kfpp::emit_kfp(p));
    const auto reference = kfpp::test::load_file(f.string());
    for (const auto& d : kfpp::test::ir_differences(ours, reference)) UNSCOPED_INFO(d);
    // Exactly the same document: the Python commands and sdkVersion are kept too.
    CHECK(ours == reference);
  }
}
