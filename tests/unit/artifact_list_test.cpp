// SPDX-License-Identifier: Apache-2.0
// Lists of artifacts: pipeline inputs, loops over them, Collected from nested loops, and the rules
// they break. (The SDK's own files are matched by the twins in sdk_twins_test.cpp.)
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "helpers.hpp"

using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;
using kfpp::test::contains;

namespace {

auto use_one() {
  return Component<Ports<Port<"data", Dataset>>>::container("use").image("alpine").command("true");
}

auto make() {
  return Component<Ports<Port<"n", int>>, Ports<Port<"data", Dataset>>>::container("make")
      .image("alpine")
      .command("true");
}

std::vector<kfpp::Diagnostic> lowering_errors(const kfpp::Pipeline& p) {
  try {
    (void)p.ir();
  } catch (const kfpp::ValidationError& e) {
    return e.diagnostics();
  }
  FAIL("no ValidationError");
  return {};
}

}  // namespace

TEST_CASE("Artifact lists: a pipeline input list is looped over with an artifact iterator") {
  kfpp::Pipeline p("lists");
  auto datasets = p.param<std::vector<Dataset>>("datasets");
  kfpp::ParallelFor(p, datasets,
                    [&](kfpp::Channel<Dataset> d) { p.add(use_one(), in<"data"> = d); });
  auto ir = p.ir();
  const auto* input = ir.root.inputs.find_artifact("datasets");
  REQUIRE(input != nullptr);
  CHECK(input->is_list);
  const auto& loop = ir.root.dag->tasks.front();
  // As the SDK names them: the list crosses into the loop as `pipelinechannel--datasets`, and
  // each iteration receives `pipelinechannel--datasets-loop-item`.
  CHECK(loop.iterator_over_artifacts);
  CHECK(loop.iterator_items_input == "pipelinechannel--datasets");
  CHECK(loop.iterator_item_input == "pipelinechannel--datasets-loop-item");
  const auto* body = ir.find_component("comp-for-loop-1");
  REQUIRE(body != nullptr);
  const auto* list = body->inputs.find_artifact("pipelinechannel--datasets");
  const auto* item = body->inputs.find_artifact("pipelinechannel--datasets-loop-item");
  REQUIRE(list != nullptr);
  REQUIRE(item != nullptr);
  CHECK(list->is_list);
  CHECK(!item->is_list);
  CHECK(item->type.schema_title == "system.Dataset");
  CHECK(kfpp::ir::check(ir).empty());
}

TEST_CASE("Artifact lists: Collected after an inner loop is read from that loop's output") {
  auto many =
      Component<Ports<Port<"data", std::vector<Dataset>>>>::container("many").image("alpine");
  kfpp::Pipeline p("lists");
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, [&](kfpp::Channel<int>) {
    kfpp::Channel<Dataset> made;
    kfpp::ParallelFor(p, std::vector<int>{3, 4},
                      [&](kfpp::Channel<int> m) { made = p.add(make(), in<"n"> = m).output(); });
    p.add(many, in<"data"> = kfpp::Collected(made));
  });
  auto ir = p.ir();
  const auto* outer = ir.find_component("comp-for-loop-2");
  const auto* inner = ir.find_component("comp-for-loop-4");
  REQUIRE(outer != nullptr);
  REQUIRE(inner != nullptr);
  const auto* out = inner->outputs.find_artifact("pipelinechannel--make-data");
  REQUIRE(out != nullptr);
  CHECK(out->is_list);
  // Read in the outer loop's body, not after it: the outer loop hands nothing up.
  CHECK(outer->outputs.artifacts.empty());
  const kfpp::ir::Task* reader = outer->dag->find_task("many");
  REQUIRE(reader != nullptr);
  REQUIRE(reader->artifacts.size() == 1);
  CHECK(reader->artifacts[0].producer_task == "for-loop-4");
  CHECK(reader->artifacts[0].source == "pipelinechannel--make-data");
  CHECK(kfpp::ir::check(ir).empty());
}

TEST_CASE("Artifact lists: Collected read inside the loop that makes it is out of scope") {
  auto many =
      Component<Ports<Port<"data", std::vector<Dataset>>>>::container("many").image("alpine");
  kfpp::Pipeline p("lists");
  kfpp::ParallelFor(p, std::vector<int>{1, 2}, [&](kfpp::Channel<int> n) {
    auto made = p.add(make(), in<"n"> = n).output();
    p.add(many, in<"data"> = kfpp::Collected(made));
  });
  auto errors = lowering_errors(p);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "kfpp.out_of_scope");
  CHECK(
      contains(errors[0].message, "reads Collected(...) or OneOf(...) of 'for-loop-2' inside it"));
}

TEST_CASE("Artifact lists: a pipeline output collected from a loop inside a condition is refused") {
  kfpp::Pipeline p("lists");
  auto flag = p.param<bool>("flag");
  kfpp::Channel<Dataset> made;
  kfpp::If(p, flag == true, [&] {
    kfpp::ParallelFor(p, std::vector<int>{1, 2},
                      [&](kfpp::Channel<int> n) { made = p.add(make(), in<"n"> = n).output(); });
  });
  p.output("all", kfpp::Collected(made));
  auto errors = lowering_errors(p);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "kfpp.out_of_scope");
  CHECK(errors[0].path == "lists/outputs/all");
  CHECK(contains(errors[0].message, "comes from inside a condition, loop or exit handler"));
}
