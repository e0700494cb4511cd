// SPDX-License-Identifier: Apache-2.0
// The `# PIPELINE DEFINITION` comment as the KFP SDK writes it. The expected texts are what
// Python 3 prints for the same values (`str()` of the dict that json_format.MessageToDict makes,
// where every number is a float).
#include <catch2/catch.hpp>

#include <string>

#include "compiler/kfp_header.hpp"
#include "compiler/pyyaml_scalar.hpp"

using kfpp::ir::Value;

TEST_CASE("Header: defaults are shown as Python's str() of the SDK's values") {
  Value v = Value::array({Value::object({{"k", "it's"},
                                         {"b", true},
                                         {"n", nullptr},
                                         {"f", 1e16},
                                         {"g", 0.0001},
                                         {"h", 1e-05},
                                         {"e", "caf\xc3\xa9\xc2\xa0\t\""}})});
  CHECK(kfpp::detail::python_repr(v) ==
        "[{'k': \"it's\", 'b': True, 'n': None, 'f': 1e+16, 'g': 0.0001, 'h': 1e-05, "
        "'e': 'caf\xc3\xa9\\xa0\\t\"'}]");
  Value o = Value::object({{"z", Value::array({1, 2.5})}, {"a", Value::object({{"y", "x"}})}});
  CHECK(kfpp::detail::python_repr(o) == "{'z': [1.0, 2.5], 'a': {'y': 'x'}}");
  CHECK(kfpp::detail::python_float_repr(7) == "7.0");
  CHECK(kfpp::detail::python_float_repr(1e15) == "1000000000000000.0");
  CHECK(kfpp::detail::python_float_repr(-0.0) == "-0.0");
  CHECK(kfpp::detail::python_float_repr(0.0) == "0.0");
  CHECK(kfpp::detail::python_float_repr(-3) == "-3.0");
  CHECK(kfpp::detail::python_float_repr(9999999999999998.0) == "9999999999999998.0");
  CHECK(kfpp::detail::python_float_repr(-9999999999999998.0) == "-9999999999999998.0");
  CHECK(kfpp::detail::python_float_repr(1e16) == "1e+16");
  CHECK(kfpp::detail::python_float_repr(2.5) == "2.5");
  CHECK(kfpp::detail::pyyaml_float(1e16) == "1.0e+16");
  CHECK(kfpp::detail::pyyaml_float(-1e-05) == "-1.0e-05");
}

TEST_CASE("Header: signatures sorted by name, artifacts by schema title, descriptions by line") {
  kfpp::ir::Pipeline p;
  p.name = "demo";
  p.description = "First line.\nSecond line.\r\n\nLast.";
  p.root.inputs.parameters.push_back({"a1", kfpp::ir::ParameterType::number_integer, 3, false, ""});
  p.root.inputs.parameters.push_back(
      {"a", kfpp::ir::ParameterType::string, Value("it's"), false, ""});
  p.root.inputs.parameters.push_back({"flag", kfpp::ir::ParameterType::boolean, false, false, ""});
  p.root.inputs.artifacts.push_back({"a_data", {"system.Dataset"}, false, false, ""});
  p.root.outputs.artifacts.push_back({"model", {"google.VertexModel", "0.0.2"}, false, false, ""});
  CHECK(kfpp::detail::kfp_header_comment(p) ==
        "# PIPELINE DEFINITION\n"
        "# Name: demo\n"
        "# Description: First line.\n"
        "#              Second line.\n"
        "#              \n"
        "#              Last.\n"
        "# Inputs:\n"
        "#    a: str [Default: 'it's']\n"
        "#    a1: int [Default: 3.0]\n"
        "#    a_data: system.Dataset\n"
        "#    flag: bool [Default: False]\n"
        "# Outputs:\n"
        "#    model: google.VertexModel\n");
}

TEST_CASE("Header: a line break in a default would end the comment, so it is a space") {
  kfpp::ir::Pipeline p;
  p.name = "demo";
  p.root.inputs.parameters.push_back(
      {"s", kfpp::ir::ParameterType::string, Value("a\nb"), false, ""});
  CHECK(kfpp::detail::kfp_header_comment(p) ==
        "# PIPELINE DEFINITION\n# Name: demo\n# Inputs:\n#    s: str [Default: 'a b']\n");
}
