// SPDX-License-Identifier: Apache-2.0
#include "support.hpp"

#include <nlohmann/json.hpp>

namespace kfpp::test {

namespace {
std::string violations(const std::vector<Exchange>& exchanges, bool requests_only) {
  std::string out;
  for (const auto& e : exchanges) {
    if (e.violations.empty()) continue;
    auto parsed = nlohmann::json::parse(e.violations, nullptr, false);
    if (!parsed.is_array()) {
      out += e.request + ": unreadable sl-violations " + e.violations + "\n";
      continue;
    }
    for (const auto& v : parsed) {
      bool request = v.contains("location") && v["location"].is_array() && !v["location"].empty() &&
                     v["location"][0] == "request";
      if (requests_only && !request) continue;
      out += e.request + ": " + v.dump() + "\n";
    }
  }
  return out;
}
}  // namespace

std::string request_violations(const std::vector<Exchange>& exchanges) {
  return violations(exchanges, true);
}
std::string all_violations(const std::vector<Exchange>& exchanges) {
  return violations(exchanges, false);
}

Pipeline demo_pipeline() {
  using Step = Component<Ports<Port<"epochs", int>, Port<"fail", bool>>, double>;
  auto step = Step::container("step")
                  .image("python:3.11")
                  .command("python3", "-c",
                           "import sys; open(sys.argv[3], 'w').write(str(float(sys.argv[1])))")
                  .args(value_of<"epochs">, value_of<"fail">, path_of<"Output">);
  Pipeline p("client-demo");
  auto epochs = p.param<int>("epochs", 3);
  auto fail = p.param<bool>("fail", false);
  auto train = p.add(step, in<"epochs"> = epochs, in<"fail"> = fail);
  auto evaluate = p.add(step, in<"epochs"> = epochs, in<"fail"> = fail);
  evaluate.after(train);
  return p;
}

}  // namespace kfpp::test
