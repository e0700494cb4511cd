// SPDX-License-Identifier: Apache-2.0
// Input written to break the reader, the validator and the emitters: each gets a clear error with
// its stable code, never a crash, a hang or runaway memory.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "ir/cel_syntax.hpp"
#include "ir/validate_bounds.hpp"
#include "kfpp/ir/kubernetes.hpp"

using kfpp::test::contains;
namespace ir = kfpp::ir;

namespace {

const std::string kData = KFPP_TEST_DATA_DIR;

// The problems `read_pipeline` reports for `text` (none when it reads).
std::vector<kfpp::Diagnostic> read_problems(const std::string& text,
                                            const ir::ReadOptions& options = {}) {
  try {
    (void)ir::read_pipeline(text, "hostile.yaml", options);
  } catch (const kfpp::ParseError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<kfpp::Diagnostic> file_problems(const std::string& name) {
  try {
    (void)ir::read_pipeline_file(kData + "/hostile/" + name);
  } catch (const kfpp::ParseError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<kfpp::Diagnostic> check_file(const std::string& name) {
  return ir::check(ir::read_pipeline_file(kData + "/hostile/" + name));
}

// The code of the first problem of a ValidationError thrown by `f`.
template <class F>
std::string validation_code(F&& f) {
  try {
    f();
  } catch (const kfpp::ValidationError& e) {
    return e.diagnostics().front().code;
  }
  return "no error";
}

// `levels` DAG components, each running the next; the last runs a container.
std::string nested_dags(std::size_t levels) {
  std::string s = "components:\n";
  for (std::size_t i = 0; i < levels; ++i) {
    const std::string next = i + 1 < levels ? "comp-d" + std::to_string(i + 1) : "comp-leaf";
    s += "  comp-d" + std::to_string(i) + ":\n    dag:\n      tasks:\n        t" +
         std::to_string(i) + ":\n          componentRef:\n            name: " + next +
         "\n          taskInfo:\n            name: t" + std::to_string(i) + "\n";
  }
  s += "  comp-leaf:\n    executorLabel: exec-leaf\ndeploymentSpec:\n  executors:\n    exec-leaf:\n"
       "      container:\n        image: alpine\npipelineInfo:\n  name: deep\nroot:\n  dag:\n"
       "    tasks:\n      top:\n        componentRef:\n          name: comp-d0\n"
       "        taskInfo:\n          name: top\nschemaVersion: 2.1.0\nsdkVersion: kfp-2.15.2\n";
  return s;
}

// A pipeline of `n` container tasks, each waiting for the one before.
ir::Pipeline chain(std::size_t n) {
  ir::Pipeline p;
  p.name = "chain";
  ir::Executor e;
  e.label = "exec-leaf";
  e.container.emplace().image = "alpine";
  p.executors.push_back(e);
  ir::Component leaf;
  leaf.name = "comp-leaf";
  leaf.executor_label = "exec-leaf";
  p.components.push_back(leaf);
  p.root.name = "root";
  auto& dag = p.root.dag.emplace();
  for (std::size_t i = 0; i < n; ++i) {
    ir::Task t;
    t.name = "t" + std::to_string(i);
    t.component_ref = "comp-leaf";
    if (i) t.dependent_tasks = {"t" + std::to_string(i - 1)};
    dag.tasks.push_back(std::move(t));
  }
  return p;
}

}  // namespace

TEST_CASE("Hostile: a component whose DAG runs itself is a cycle, and no emitter descends it") {
  auto found = check_file("self_cycle.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.component_cycle");
  CHECK(contains(found[0].message, "comp-loop -> comp-loop"));
  const ir::Pipeline p = ir::read_pipeline_file(kData + "/hostile/self_cycle.yaml");
  CHECK(validation_code([&] { (void)kfpp::emit_graph(p, kfpp::GraphFormat::dot); }) ==
        "kfpp.component_cycle");
  CHECK(validation_code([&] { (void)kfpp::emit_argo(p, {}); }) == "kfpp.component_cycle");
  CHECK(validation_code([&] { (void)kfpp::compile_kfp(p); }) == "kfpp.component_cycle");
}

TEST_CASE("Hostile: components that run each other in a longer cycle name the whole chain") {
  std::string text = nested_dags(3);
  text.replace(text.find("name: comp-leaf"), 15, "name: comp-d1");
  auto found = ir::check(ir::read_pipeline(text, "cycle.yaml"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.component_cycle");
  CHECK(contains(found[0].message, "comp-d1 -> comp-d2 -> comp-d1"));
}

TEST_CASE("Hostile: DAGs nested thousands of levels deep are refused before any walk") {
  for (std::size_t levels : {101u, 2500u, 50000u}) {
    const ir::Pipeline p = ir::read_pipeline(nested_dags(levels), "deep.yaml");
    auto found = ir::check(p);
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "kfpp.too_deep");
    CHECK(validation_code([&] { (void)kfpp::emit_argo(p, {}); }) == "kfpp.too_deep");
    CHECK(validation_code([&] { (void)kfpp::emit_graph(p, kfpp::GraphFormat::mermaid); }) ==
          "kfpp.too_deep");
  }
  // A hundred levels is allowed, and every emitter writes it.
  const ir::Pipeline ok = ir::read_pipeline(nested_dags(100), "deep.yaml");
  CHECK(ir::check(ok).empty());
  CHECK(contains(kfpp::emit_argo(ok, {}), "kind: Workflow"));
  CHECK(contains(kfpp::emit_graph(ok, kfpp::GraphFormat::dot), "t_top_S_t0"));
}

TEST_CASE("Hostile: lists and maps nested past the depth limit stop the parser") {
  auto found = read_problems("a: " + std::string(100000, '['));
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.too_deep");
  ir::ReadOptions o;
  o.limits.max_depth = 3;
  found = read_problems("a: {b: {c: {d: 1}}}", o);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.too_deep");
  CHECK(contains(found[0].path, "hostile.yaml:1:"));
}

TEST_CASE("Hostile: an alias bomb in a parameter default stops at the expansion limit") {
  auto found = file_problems("alias_bomb.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.alias_expansion");
  // Many small aliases stop at the count limit; an alias inside its own anchor is refused.
  std::string many = "a: &x 1\nb: [";
  for (int i = 0; i < 10001; ++i) many += "*x, ";
  many += "]\n";
  found = read_problems(many);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.too_many_aliases");
  found = read_problems("a: &x [1, *x]\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.yaml_syntax");
  CHECK(contains(found[0].message, "inside the node it names"));
  CHECK(read_problems("a: *nowhere\n")[0].code == "kfpp.yaml_syntax");
}

TEST_CASE("Hostile: NUL bytes inside a plain scalar are refused with their position") {
  auto found = file_problems("nul_in_scalar.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.control_character");
  CHECK(contains(found[0].path, "nul_in_scalar.yaml:23:22"));
}

TEST_CASE("Hostile: invalid UTF-8 is refused, in a file and in IR built in C++") {
  auto found = file_problems("invalid_utf8.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.bad_utf8");
  CHECK(contains(found[0].path, "invalid_utf8.yaml:22:"));

  ir::Pipeline p = chain(2);
  p.executors[0].container->image = "alpine\xC0\xAF";  // an overlong '/'
  found = ir::check(p);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.bad_utf8");
  CHECK(found[0].path == "chain/deploymentSpec/exec-leaf/container/image");
  p.executors[0].container->image = "alpine";
  p.root.dag->tasks[1].display_name = "\xED\xA0\x80";  // a surrogate
  CHECK(ir::check(p).at(0).code == "kfpp.bad_utf8");
}

TEST_CASE("Hostile: a bad UTF-8 sequence is found wherever it sits in long ASCII text") {
  // ASCII is skipped eight bytes at a time: put each bad sequence, and a good one, at every
  // offset around two such blocks, and cut a good sequence short at the end.
  const std::vector<std::string> bad{"\xC0\xAF", "\xED\xA0\x80", "\xF5\x80\x80\x80",
                                     "\x80",     "\xFF",         "\xE2\x82"};
  for (std::size_t at = 0; at <= 24; ++at) {
    const std::string before(at, 'a');
    for (const auto& b : bad) {
      INFO("offset " << at << ", sequence of " << b.size() << " bytes");
      CHECK_FALSE(kfpp::detail::is_valid_utf8(before + b + std::string(17, 'z')));
      CHECK_FALSE(kfpp::detail::is_valid_utf8(before + b));
    }
    CHECK(kfpp::detail::is_valid_utf8(before + "\xE2\x82\xAC" + std::string(17, 'z')));  // €
    CHECK(kfpp::detail::is_valid_utf8(before + "\xF0\x9F\x99\x82"));                     // 🙂
    CHECK(kfpp::detail::is_valid_utf8(before));
  }
}

TEST_CASE("Hostile: a condition that is not CEL is a validation error") {
  auto found = check_file("broken_cel.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.bad_condition");
  CHECK(found[0].path == "small/consumer/triggerPolicy/condition");

  using kfpp::detail::cel_syntax_error;
  for (const char* ok :
       {"int(inputs.parameter_values['pipelinechannel--flip-coin-Output']) == 1",
        "!(inputs.parameter_values['x'] == 'heads') && inputs.parameter_values['y'] > 2.5e1",
        "a in [1, 2, 3,] ? {'k': b\"x\"}.k : -0x1Fu", "r'\\d' + '''multi\nline''' != ''",
        "google.protobuf.Value{number_value: 1}.number_value % 2 == 0"})
    CHECK_FALSE(cel_syntax_error(ok).has_value());
  for (const char* bad :
       {"", "a ==", "(a", "a b", "'open", "a[1", "1 +* 2", "a.", "'\\q'", "a ? b", "{1: 2"})
    CHECK(cel_syntax_error(bad).has_value());
  CHECK(cel_syntax_error(std::string(500, '(') + "1" + std::string(500, ')')).has_value());
}

TEST_CASE("Hostile: a key twice is refused at every depth, with the key's path") {
  auto found = file_problems("duplicate_key_executor.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.duplicate_key");
  CHECK(contains(found[0].path,
                 "duplicate_key_executor.yaml:24:9 "
                 "deploymentSpec.executors.exec-consumer.container.image"));
  // Inside a free-form value the reader never looks into key by key.
  found = read_problems("a:\n  b: [{c: 1, d: {e: 1, e: 2}}]\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.duplicate_key");
  CHECK(contains(found[0].path, "a.b[0].d.e"));
  // In a map too large to compare key by key, the first key seen before is the one reported:
  // k25 repeats k12 before k30 repeats k7.
  std::string big = "m:\n";
  for (int i = 0; i < 40; ++i) {
    const int k = i == 25 ? 12 : i == 30 ? 7 : i;
    big += "  k" + std::to_string(k) + ": " + std::to_string(i) + "\n";
  }
  found = read_problems(big);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.duplicate_key");
  CHECK(contains(found[0].path, ":27:3 m.k12"));
}

TEST_CASE("Hostile: numbers outside their proto types are out of range") {
  auto found = file_problems("negative_parallelism.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.out_of_range");
  CHECK(contains(found[0].path, "root.dag.tasks.producer.iteratorPolicy.parallelismLimit"));
  found = file_problems("int32_overflow.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.out_of_range");
  CHECK(contains(found[0].message, "4294967296"));

  ir::Pipeline p = chain(2);
  p.root.dag->tasks[0].parallelism_limit = -1;
  p.root.dag->tasks[1].retry_policy = ir::RetryPolicy{-2, "1s"};
  found = ir::check(p);
  REQUIRE(found.size() == 2);
  CHECK(found[0].code == "kfpp.out_of_range");
  CHECK(found[0].path == "chain/t0/iteratorPolicy/parallelismLimit");
  CHECK(found[1].code == "kfpp.out_of_range");
  CHECK(found[1].path == "chain/t1/retryPolicy/maxRetryCount");
}

TEST_CASE("Hostile: input size and document count are bounded, and files are read with a limit") {
  ir::ReadOptions o;
  o.limits.max_input_bytes = 64;
  auto found = read_problems(std::string(65, '#'), o);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "kfpp.input_too_large");
  std::string docs;
  for (int i = 0; i < 101; ++i) docs += "--- {}\n";
  CHECK(read_problems(docs).at(0).code == "kfpp.too_many_documents");

  auto code_of_file = [](const std::string& path, std::size_t limit) {
    try {
      (void)ir::read_text_file(path, limit);
    } catch (const kfpp::ParseError& e) {
      return e.code();
    }
    return std::string("read");
  };
  CHECK(code_of_file("/dev/zero", 1 << 20) == "kfpp.input_too_large");
  CHECK(code_of_file(kData, 1 << 20) == "kfpp.io");
  CHECK(code_of_file(kData + "/small.yaml", 1 << 20) == "read");
  CHECK(code_of_file(kData + "/small.yaml", 100) == "kfpp.input_too_large");
}

TEST_CASE("Hostile: the graph of a 100 000-task chain has every edge, each once") {
  const ir::Pipeline p = chain(100000);
  REQUIRE(ir::check(p).empty());
  const std::string dot = kfpp::emit_graph(p, kfpp::GraphFormat::dot);
  std::size_t edges = 0;
  for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1))
    ++edges;
  CHECK(edges == 99999);
  CHECK(contains(dot, "  t_t99998 -> t_t99999;\n"));
}

TEST_CASE("Hostile: a file with a million mistakes lists a thousand and counts the rest") {
  std::string text = "pipelineInfo:\n  name: many\nroot:\n  dag:\n    tasks: {}\n";
  for (int i = 0; i < 5000; ++i) text += "k" + std::to_string(i) + ": 1\n";
  auto found = read_problems(text);
  REQUIRE(found.size() == 1001);
  CHECK(found[999].code == "kfpp.unknown_key");
  CHECK(found[1000].code == "kfpp.too_many_problems");
  CHECK(contains(found[1000].message, "4000 more problems"));
}

TEST_CASE("Hostile: many distinct tags cost no more than many nodes") {
  std::string text = "a: [";
  for (int i = 0; i < 70000; ++i) text += "!t" + std::to_string(i) + " x, ";
  text += "]\n";
  auto found = read_problems(text);
  REQUIRE_FALSE(found.empty());
  CHECK(found[0].code == "kfpp.yaml_syntax");
  CHECK(contains(found[0].message, "too many distinct tags"));
}
