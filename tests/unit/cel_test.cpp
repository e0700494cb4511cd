// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <kfpp/ir/cel.hpp>

#include "helpers.hpp"

using kfpp::ir::cel_condition_variables;
using kfpp::ir::cel_evaluate;
using kfpp::ir::cel_syntax_error;
using kfpp::ir::Value;
using kfpp::test::contains;
using kfpp::test::with_code;

namespace {

bool holds(const std::string& expr, const Value::Object& params) {
  Value v = cel_evaluate(expr, cel_condition_variables(params));
  REQUIRE(v.is_bool());
  return v.as_bool();
}

std::string eval_error(const std::string& expr, const Value::Object& params) {
  try {
    (void)cel_evaluate(expr, cel_condition_variables(params), "p/condition-1");
  } catch (const kfpp::Error& e) {
    CHECK(e.path() == "p/condition-1");
    return e.code() + " " + e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("CEL: the conditions the SDK writes for strings, ints and doubles evaluate") {
  Value::Object p{{"pipelinechannel--coin", "heads"},
                  {"pipelinechannel--n", 7.0},
                  {"pipelinechannel--threshold", "5"},
                  {"pipelinechannel--accuracy", 0.91},
                  {"pipelinechannel--flag", true}};
  CHECK(holds("inputs.parameter_values['pipelinechannel--coin'] == 'heads'", p));
  CHECK_FALSE(holds("inputs.parameter_values['pipelinechannel--coin'] != 'heads'", p));
  CHECK(
      holds("int(inputs.parameter_values['pipelinechannel--n']) > "
            "int(inputs.parameter_values['pipelinechannel--threshold'])",
            p));
  CHECK(holds("int(inputs.parameter_values['pipelinechannel--n']) == 7", p));
  CHECK(holds("inputs.parameter_values['pipelinechannel--accuracy'] >= double(0.9)", p));
  CHECK(holds("double(inputs.parameter_values['pipelinechannel--threshold']) < 5.5", p));
  CHECK(
      holds("!(inputs.parameter_values['pipelinechannel--coin'] == 'tails') && "
            "inputs.parameter_values['pipelinechannel--flag'] == true",
            p));
  CHECK(
      holds("inputs.parameter_values['pipelinechannel--coin'] == 'tails' || "
            "int(inputs.parameter_values['pipelinechannel--n']) >= 7",
            p));
  CHECK(holds("string(int(inputs.parameter_values['pipelinechannel--n'])) == '7'", p));
  CHECK(holds("-1 < 0 && 1e3 == 1000.0", p));
}

TEST_CASE("CEL: parseJson gives field access, as loop item selectors use it") {
  Value v = cel_evaluate(R"(parseJson(string_value)["label"])",
                         {{"string_value", R"({"count": 2, "label": "beta"})"}});
  CHECK(v == Value("beta"));
  Value n = cel_evaluate(R"(parseJson(string_value)["count"])",
                         {{"string_value", R"({"count": 2, "label": "beta"})"}});
  CHECK(n == Value(2));
  CHECK(cel_evaluate("parseJson(s)[1]", {{"s", "[10, 20]"}}) == Value(20));
}

TEST_CASE("CEL: an expression that cannot be evaluated is an error naming it, never false") {
  Value::Object p{{"pipelinechannel--x", "abc"}, {"pipelinechannel--s", "heads"}};
  std::string e = eval_error("int(inputs.parameter_values['pipelinechannel--x']) > 2", p);
  CHECK(contains(e, "kfpp.cel_eval"));
  CHECK(contains(e, "int(inputs.parameter_values['pipelinechannel--x']) > 2"));
  CHECK(contains(e, "not an integer"));
  CHECK(contains(eval_error("inputs.parameter_values['pipelinechannel--s'] > 3", p),
                 "no such overload: string > int"));
  CHECK(contains(eval_error("inputs.parameter_values['pipelinechannel--missing'] == 'a'", p),
                 "no such key: 'pipelinechannel--missing'"));
  CHECK(contains(eval_error("nothing == 1", p), "undeclared reference to 'nothing'"));
  CHECK(contains(eval_error("parseJson('{oops') == 1", p), "not JSON"));
  CHECK(contains(eval_error("size('a') == 1", p), "unknown function 'size'"));
}

TEST_CASE("CEL: && and || absorb an error when the other side decides, as CEL does") {
  Value::Object p{{"x", "abc"}};
  CHECK_FALSE(holds("int(inputs.parameter_values['x']) > 1 && false", p));
  CHECK(holds("true || int(inputs.parameter_values['x']) > 1", p));
  CHECK(contains(eval_error("int(inputs.parameter_values['x']) > 1 && true", p), "kfpp.cel_eval"));
}

TEST_CASE("CEL: a syntax error says where, and evaluation reports it with its own code") {
  CHECK(cel_syntax_error("inputs.parameter_values['a'] == 'b'").empty());
  CHECK(cel_syntax_error("inputs.parameter_values['a' == 'b'") == "column 35: expected ']'");
  CHECK(contains(cel_syntax_error("a == 'b"), "a string that does not end"));
  CHECK(contains(cel_syntax_error("a ==="), "column 5"));
  CHECK(contains(cel_syntax_error(""), "ends where a value should be"));
  CHECK(contains(eval_error("(a", {}), "kfpp.cel_syntax"));
}

TEST_CASE("Validation: a trigger condition that is not valid CEL is reported with the task path") {
  auto p = kfpp::test::two_task_pipeline();
  p.root.dag->tasks[1].trigger_condition = "inputs.parameter_values['x'] ==";
  auto found = with_code(p, "kfpp.bad_condition");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "demo/consumer/triggerPolicy/condition");
  CHECK(contains(found[0].message, "is not valid CEL: column 32"));
  p.root.dag->tasks[1].trigger_condition = "inputs.parameter_values['x'] == 'y'";
  CHECK(with_code(p, "kfpp.bad_condition").empty());
  p.root.dag->tasks[1].parameters[0].expression_selector = "parseJson(string_value)[";
  CHECK(with_code(p, "kfpp.bad_condition").size() == 1);
}
