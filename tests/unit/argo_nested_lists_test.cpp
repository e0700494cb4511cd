// SPDX-License-Identifier: Apache-2.0
// The Argo forms of lists of artifacts collected through two loops: one flat list under the
// outer loop's prefix, and the inner loop's list read inside the outer loop under the id of the
// outer iteration that made it; and the SDK corpus's files of lists of artifacts. The IR is
// written here in the shape the SDK writes (see the files of ../shared/conformance/kfp-sdk each
// test names).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "argo_fixtures.hpp"
#include "runner_support.hpp"

using namespace kfpp::test;

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// The root's loop `for-loop-1` over [1, 2], run by `comp-for-loop-1`, and that component's input.
const std::string kOuterLoop = loop_task("for-loop-1", "pipelinechannel--loop-item-param-3");
const char* const kOuterItem = R"(    inputDefinitions:
      parameters:
        pipelinechannel--loop-item-param-3:
          parameterType: NUMBER_INTEGER
)";

// The root task `show`, reading the outer loop's list after it.
const std::string kShowAfter =
    reading_task("show", "show", "in", "for-loop-1", "pipelinechannel--double-out");

// A component `comp-NAME` whose DAG runs the loop `for-loop-2` and the tasks `inside`, its
// output the list that loop collects; `inputs` is its inputDefinitions.
std::string collecting_group(const std::string& name, const std::string& inside,
                             const std::string& inputs) {
  return "  comp-" + name + R"(:
    dag:
      outputs:
        artifacts:
          pipelinechannel--double-out:
            artifactSelectors:
            - outputArtifactKey: pipelinechannel--double-out
              producerSubtask: for-loop-2
      tasks:
)" + indented(kRootLoop) +
         inside + inputs + "    outputDefinitions:\n" +
         artifact_def("pipelinechannel--double-out", "system.Dataset", true);
}

// `for-loop-1` over [1, 2] runs the loop `for-loop-2` (collected_artifacts.yaml's shape); its
// output collects the inner loop's. `inside` adds tasks to the outer body.
std::string two_loops_file(const std::string& inside, const std::string& root) {
  return lists_file(collecting_group("for-loop-1", inside, kOuterItem), kOuterLoop + root);
}

}  // namespace

TEST_CASE("Argo form: artifacts collected through two loops are one list under the outer prefix") {
  // artifacts_complex.yaml's double-2: Collected outside both loops, one flat list.
  const Value doc = argo_of(two_loops_file("", kShowAfter));
  const std::string prefix =
      "kfpp-collected/{{workflow.uid}}/for-loop-1/pipelinechannel--double-out";
  // Every run of `double`, in each iteration of both loops, stores under the outer prefix.
  CHECK(str(tmpl(doc, "double"), "outputs.artifacts.0.s3.key") == prefix + "/{{pod.name}}");
  CHECK(str(tmpl(doc, "double"), "outputs.artifacts.0.archive") == "{\"none\": {}}");
  CHECK(str(named(get(tmpl(doc, "show"), "inputs.artifacts"), "in"), "s3.key") == prefix);
  CHECK(str(task(doc, "lists", "show"), "depends") == "for-loop-1");
}

TEST_CASE("Argo form: an inner loop's list read inside the outer loop is under the run's id") {
  // collected_artifacts.yaml's read-models: each outer iteration reads the list its own inner
  // loop collected; and the same artifacts also make the outer loop's flat list, read after it.
  const std::string show_inside =
      indented(reading_task("show", "show", "in", "for-loop-2", "pipelinechannel--double-out"));
  kfpp::ArgoOptions o;
  o.utility_image = "busybox:1.37";
  const Value doc = argo_of(two_loops_file(show_inside, kShowAfter), o);

  // The outer body starts with the id step: a utility pod writing its own name as `id`.
  const Value& body = tmpl(doc, "for-loop-1");
  REQUIRE(get(body, "dag.tasks").as_array().size() == 3);
  const Value& step = get(body, "dag.tasks.0");
  CHECK(str(step, "name") == "kfpp-iteration");
  CHECK(!at_path(step, "depends"));
  const Value& st = tmpl(doc, str(step, "template"));
  CHECK(str(st, "container.image") == "busybox:1.37");
  const std::vector<std::string> cmd = strings(get(st, "container.command"));
  REQUIRE(cmd.size() == 4);
  CHECK(cmd[0] == "sh");
  CHECK(cmd[1] == "-c");
  CHECK(cmd[3] == "{{pod.name}}");
  CHECK(str(named(get(st, "outputs.parameters"), "id"), "valueFrom.path") ==
        "/tmp/kfpp/outputs/id");
  const std::string id = "{{tasks.kfpp-iteration.outputs.parameters.id}}";

  // The id goes down to the producer: the inner loop (after the step), its body, its task.
  const Value& inner = task(doc, "for-loop-1", "for-loop-2");
  CHECK(str(inner, "depends") == "kfpp-iteration");
  CHECK(given(inner, "kfpp-iteration-for-loop-1") == id);
  CHECK(find_named(at_path(tmpl(doc, "for-loop-2"), "inputs.parameters"),
                   "kfpp-iteration-for-loop-1"));
  const Value& double_task = task(doc, "for-loop-2", "double");
  CHECK(given(double_task, "kfpp-iteration-for-loop-1") ==
        "{{inputs.parameters.kfpp-iteration-for-loop-1}}");
  const Value& dt = tmpl(doc, str(double_task, "template"));
  CHECK(find_named(at_path(dt, "inputs.parameters"), "kfpp-iteration-for-loop-1"));

  // The producer stores its artifact twice from the one file: under the run's prefix, read in
  // this outer iteration, and under the outer loop's prefix, the flat list read after it.
  const Value& outs = get(dt, "outputs.artifacts");
  REQUIRE(outs.as_array().size() == 2);
  const Value& per_run = named(outs, "out");
  const Value& flat = named(outs, "out-kfpp-copy-1");
  CHECK(str(per_run, "path") == "/tmp/kfpp/outputs/out");
  CHECK(str(flat, "path") == "/tmp/kfpp/outputs/out");
  CHECK(str(per_run, "archive") == "{\"none\": {}}");
  CHECK(str(flat, "archive") == "{\"none\": {}}");
  CHECK(str(flat, "s3.key") ==
        "kfpp-collected/{{workflow.uid}}/for-loop-1/pipelinechannel--double-out/{{pod.name}}");

  // The reader inside gets the run's prefix as its template input; resolve both keys as Argo
  // does, with the id step's output as an example pod name: the producer's object is an entry
  // of the folder the reader downloads.
  const Value& show = task(doc, "for-loop-1", "show");
  CHECK(str(show, "depends") == "for-loop-2");  // after the step, through the inner loop
  const Value& showt = tmpl(doc, str(show, "template"));
  CHECK(str(named(get(showt, "inputs.artifacts"), "in"), "s3.key") ==
        "{{inputs.parameters.in-key}}");
  std::string read = given(show, "in-key");
  std::string stored = str(per_run, "s3.key");
  const std::string pod = "lists-x7k2p-kfpp-iteration-4102";
  replace_all(read, id, pod);
  replace_all(stored, "{{inputs.parameters.kfpp-iteration-for-loop-1}}",
              given(double_task, "kfpp-iteration-for-loop-1"));
  replace_all(stored, "{{inputs.parameters.kfpp-iteration-for-loop-1}}",
              given(inner, "kfpp-iteration-for-loop-1"));
  replace_all(stored, id, pod);
  replace_all(stored, "{{pod.name}}", "lists-x7k2p-double-88");
  CHECK(read ==
        "kfpp-collected/{{workflow.uid}}/" + pod + "/for-loop-2/pipelinechannel--double-out");
  CHECK(stored == read + "/lists-x7k2p-double-88");
  // After both loops, the flat list as before.
  CHECK(str(named(get(tmpl(doc, str(task(doc, "lists", "show"), "template")), "inputs.artifacts"),
                  "in"),
            "s3.key") == "kfpp-collected/{{workflow.uid}}/for-loop-1/pipelinechannel--double-out");

  // The step's script in a real shell: the file holds exactly the name it is given.
  const std::string dir = kfpp::test::fresh_work_dir("argo-iteration-id");
  std::string script = cmd[2];
  const std::size_t at = script.find("/tmp/kfpp/outputs/id");
  REQUIRE(at != std::string::npos);
  script.replace(at, std::string("/tmp/kfpp/outputs/id").size(), dir + "/id");
  std::ofstream(dir + "/id.sh") << script;
  REQUIRE(std::system(("sh -c \"$(cat '" + dir + "/id.sh')\" '" + pod + "'").c_str()) == 0);
  CHECK(kfpp::test::file_text(dir + "/id") == pod);
}

TEST_CASE("Argo form: a limited loop over an inner loop's list inside the outer loop") {
  // The loop over the list runs in the outer body: its keys step and items read the run's
  // prefix, which the limit's DAG takes as its input `kfpp-prefix`.
  std::string file = two_loops_file(indented(loop_over_list_task(1)), "");
  file.insert(std::string("components:\n").size(), loop_over_list_body("for-loop-2-out"));
  REQUIRE(file.rfind("components:\n  comp-for-loop-3:", 0) == 0);
  const Value doc = argo_of(file);
  const std::string run =
      "kfpp-collected/{{workflow.uid}}/"
      "{{tasks.kfpp-iteration.outputs.parameters.id}}/for-loop-2/"
      "pipelinechannel--double-out";
  CHECK(given(task(doc, "for-loop-1", "kfpp-keys-for-loop-3"), "key") == run);
  const Value& outer = task(doc, "for-loop-1", "for-loop-3");
  CHECK(given(outer, "kfpp-prefix") == run);
  const Value& limited = tmpl(doc, str(outer, "template"));
  CHECK(find_named(at_path(limited, "inputs.parameters"), "kfpp-prefix"));
  const Value& inner = named(get(limited, "dag.tasks"), "for-loop-3");
  CHECK(str(named(get(inner, "arguments.artifacts"), "pipelinechannel--for-loop-2-out-loop-item"),
            "s3.key") == "{{inputs.parameters.kfpp-prefix}}/{{item}}");
}

TEST_CASE("Argo form: an inner loop's list read only after the outer loop needs no id step") {
  // artifacts_complex.yaml's shape: no task of the outer body reads the inner list, so the body
  // has no id step and the producer stores once, under the outer loop's prefix.
  const Value doc = argo_of(two_loops_file("", kShowAfter));
  CHECK(!find_named(at_path(tmpl(doc, "for-loop-1"), "dag.tasks"), "kfpp-iteration"));
  CHECK(get(tmpl(doc, "double"), "outputs.artifacts").as_array().size() == 1);
  CHECK(!at_path(tmpl(doc, "double"), "inputs.parameters.1"));
}

TEST_CASE("Argo form: a group's list output from a loop inside an outer loop is refused") {
  // The list's prefix per outer iteration is known in the DAG that runs the inner loop (the
  // group's), not in the outer body that reads the group's output.
  const auto r = refusals(lists_file(collecting_group("wrap", "", "") + R"(  comp-for-loop-1:
    dag:
      tasks:
        wrap:
          componentRef:
            name: comp-wrap
          taskInfo:
            name: wrap
)" + indented(reading_task("show", "show", "in", "wrap", "pipelinechannel--double-out")) +
                                         kOuterItem,
                                     kOuterLoop));
  REQUIRE(r.size() == 1);
  CHECK(r[0] ==
        "kfpp.argo_unsupported lists/for-loop-1/show/inputs/in: the list output "
        "'pipelinechannel--double-out' of group 'wrap' is collected by a loop inside an outer "
        "loop and read outside the group; such a list has a key prefix of its own in each outer "
        "iteration only in the DAG that runs the inner loop");
}

// The reference files of lists of artifacts (hidden tag [.argo_lists]; tests/CMakeLists.txt runs
// it when the corpus is present): each converts, with no refusal; collected_artifacts.yaml, the
// inner loops' lists read in each outer iteration, in the id step's form.
TEST_CASE("Argo: the lists of artifacts of the SDK corpus convert", "[.argo_lists]") {
  auto read = [](const std::string& file) {
    return kfpp::ir::read_pipeline_file(std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/" + file);
  };
  CHECK(refusals(read("artifacts_simple.yaml")).empty());
  CHECK(refusals(read("pipeline_with_parallelfor_list_artifacts_GH-12033.yaml")).empty());
  CHECK(refusals(read("artifacts_complex.yaml")).empty());
  const kfpp::ir::Pipeline p = read("collected_artifacts.yaml");
  REQUIRE(refusals(p).empty());
  const Value doc = argo_workflow(p);
  // for-loop-1 runs once per id; its read-models and read-datasets read what its for-loop-2
  // collected in the same run, under the run's id.
  const std::string id = "{{tasks.kfpp-iteration.outputs.parameters.id}}";
  CHECK(str(get(tmpl(doc, "for-loop-1"), "dag.tasks.0"), "name") == "kfpp-iteration");
  CHECK(given(task(doc, "for-loop-1", "for-loop-2"), "kfpp-iteration-for-loop-1") == id);
  const std::string run = "kfpp-collected/{{workflow.uid}}/" + id + "/for-loop-2/";
  CHECK(given(task(doc, "for-loop-1", "read-models"), "models-key") ==
        run + "pipelinechannel--read-single-dataset-generate-model-results");
  CHECK(given(task(doc, "for-loop-1", "read-datasets"), "data-key") ==
        run + "pipelinechannel--single-node-dag-Output");
  // create-dataset, inside the group single-node-dag, stores under that run's prefix too.
  const Value& cd = tmpl(doc, str(task(doc, "single-node-dag", "create-dataset"), "template"));
  CHECK(str(cd, "outputs.artifacts.0.s3.key") ==
        "kfpp-collected/{{workflow.uid}}/{{inputs.parameters.kfpp-iteration-for-loop-1}}/"
        "for-loop-2/pipelinechannel--single-node-dag-Output/{{pod.name}}");
  // The models are also the flat list read-models reads after collecting-artifacts: a copy.
  const Value& gm =
      tmpl(doc, str(task(doc, "for-loop-2", "read-single-dataset-generate-model"), "template"));
  CHECK(str(named(get(gm, "outputs.artifacts"), "results-kfpp-copy-1"), "s3.key") ==
        "kfpp-collected/{{workflow.uid}}/collecting-artifacts/for-loop-1/"
        "pipelinechannel--read-single-dataset-generate-model-results/{{pod.name}}");
  CHECK(str(named(get(tmpl(doc, "read-models-2"), "inputs.artifacts"), "models"), "s3.key") ==
        "kfpp-collected/{{workflow.uid}}/collecting-artifacts/for-loop-1/"
        "pipelinechannel--read-single-dataset-generate-model-results");
}
