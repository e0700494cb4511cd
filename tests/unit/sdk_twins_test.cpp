// SPDX-License-Identifier: Apache-2.0
// C++ twins of files in the SDK's own test corpus (../shared/conformance/kfp-sdk): each must emit
// the same document as the SDK's file. Tagged `[.sdk]` plus the file's stem; each is run by its
// ctest entry `conformance.sdk.<stem>`, which skips (exit 77) when the corpus is absent.
#include <catch2/catch.hpp>

#include <kfpp/kfpp.hpp>

#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

namespace {

// Compares what `p` compiles to with the SDK's file `reference` (relative to kfp-sdk/).
void check_twin(const kfpp::Pipeline& p, const std::string& reference) {
  const std::string ref = std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/" + reference;
  auto ours = kfpp::test::load_all(kfpp::compile(p));
  auto diffs = kfpp::test::ir_differences(ours, kfpp::test::load_file(ref));
  for (const auto& d : diffs) UNSCOPED_INFO(d);
  CHECK(diffs.empty());
}

// The SDK's lightweight components carry the imports it prepends to the function's text.
std::string sdk_source(const std::string& function) {
  return "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n" +
         function + "\n";
}

}  // namespace

TEST_CASE(
    "Twin of pipeline_with_task_using_ignore_upstream_failure: the clean-up task runs "
    "after a failure",
    "[.sdk][pipeline_with_task_using_ignore_upstream_failure]") {
  auto fail_op = Component<Ports<Port<"message", std::string>>, std::string>::python(
      "fail_op", sdk_source("def fail_op(message: str) -> str:\n    \"\"\"Fails.\"\"\"\n"
                            "    import sys\n    print(message)\n    sys.exit(1)\n"
                            "    return message\n"));
  auto print_op =
      Component<Ports<Port<"message", std::optional<std::string>>>>::python(
          "print_op", sdk_source("def print_op(message: str = 'default'):\n"
                                 "    \"\"\"Prints a message.\"\"\"\n    print(message)\n"))
          .default_value<"message">("default");
  kfpp::Pipeline p("my-pipeline");
  auto text = p.param<std::string>("sample_input", "message");
  auto task = p.add(fail_op, in<"message"> = text);
  p.add(print_op, in<"message"> = task.output()).ignore_upstream_failure();
  check_twin(p, "pipeline_with_task_using_ignore_upstream_failure.yaml");
}

TEST_CASE("Twin of critical/pipeline_with_workspace: a run workspace and its path placeholder",
          "[.sdk][critical/pipeline_with_workspace]") {
  auto write = Component<Ports<Port<"workspace_path", std::string>>, std::string>::python(
      "write_to_workspace",
      sdk_source(
          "def write_to_workspace(workspace_path: str) -> str:\n"
          "    import os\n    file_path = os.path.join(workspace_path, \"data\", "
          "\"test_file.txt\")\n    os.makedirs(os.path.dirname(file_path), exist_ok=True)\n"
          "    with open(file_path, \"w\") as f:\n        f.write(\"Hello from workspace!\")\n"
          "    return file_path\n"));
  auto read = Component<Ports<Port<"file_path", std::string>>, std::string>::python(
      "read_from_workspace",
      sdk_source("def read_from_workspace(file_path: str) -> str:\n"
                 "    with open(file_path, \"r\") as f:\n        content = f.read()\n"
                 "    assert content == \"Hello from workspace!\"\n    return content\n"));
  kfpp::Pipeline p("pipeline-with-workspace");
  p.description("A pipeline that demonstrates workspace functionality");
  p.config({.workspace = kfpp::WorkspaceOptions{
                .size = "1Gi",
                .pvc_spec_patch =
                    kfpp::Json::object({{"accessModes", kfpp::Json::array({"ReadWriteOnce"})},
                                        {"storageClassName", "standard"}})}});
  auto written = p.add(write, in<"workspace_path"> = kfpp::workspace_path);
  p.output("Output", p.add(read, in<"file_path"> = written.output()).output());
  check_twin(p, "critical/pipeline_with_workspace.yaml");
}

TEST_CASE("Twin of take_nap_pipeline_root_compiled: a default pipeline root",
          "[.sdk][take_nap_pipeline_root_compiled]") {
  auto take_nap = Component<Ports<Port<"naptime_secs", int>>, std::string>::python(
      "take_nap", sdk_source("def take_nap(naptime_secs: int) -> str:\n"
                             "    \"\"\"Sleeps for secs\"\"\"\n    from time import sleep\n"
                             "    sleep(naptime_secs)\n    return 'I woke up!'\n"));
  auto wake_up = Component<Ports<Port<"message", std::string>>>::python(
      "wake_up", sdk_source("def wake_up(message: str):\n"
                            "    \"\"\"Wakes up from nap printing message\"\"\"\n"
                            "    print(message)\n"));
  kfpp::Pipeline p("take-nap-pipeline");
  p.description("Pipeline that sleeps for 15 mins (900 secs)").pipeline_root("s3://change/me");
  auto secs = p.param<int>("naptime_secs", 900);
  auto nap = p.add(take_nap, in<"naptime_secs"> = secs).caching(false);
  p.add(wake_up, in<"message"> = nap.output()).caching(false);
  check_twin(p, "take_nap_pipeline_root_compiled.yaml");
}

namespace {
// Artifact types of another schema, as google-cloud-pipeline-components declares them.
struct VertexModel {
  static constexpr std::string_view schema_title = "google.VertexModel";
  static constexpr std::string_view schema_version = "0.0.0";
};
struct VertexDataset {
  static constexpr std::string_view schema_title = "google.VertexDataset";
  static constexpr std::string_view schema_version = "0.0.0";
};
}  // namespace

TEST_CASE("Twin of pipeline_with_google_artifact_type: artifact types of the user's own schema",
          "[.sdk][pipeline_with_google_artifact_type]") {
  auto consumer =
      Component<Ports<Port<"model", VertexModel>, Port<"dataset", VertexDataset>>>::python(
          "model_consumer",
          "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n"
          "\ndef model_consumer(model: Input[VertexModel],\n"
          "                   dataset: Input[VertexDataset]):\n"
          "    print('Model')\n    print('artifact.type: ', type(model))\n");
  auto producer = Component<Ports<>, Ports<Port<"model", VertexModel>>>::python(
      "model_producer",
      "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n"
      "import aiplatform\n\ndef model_producer(model: Output[aiplatform.VertexModel]):\n"
      "    with open(model.path, 'w') as f:\n        f.write('my model')\n");
  kfpp::Pipeline p("pipeline-with-google-types");
  auto imported = p.importer<VertexDataset>("gs://ml-pipeline-playground/shakespeare1.txt",
                                            {.metadata = kfpp::Json::object({{"key", "value"}})});
  auto model = p.add(producer);
  p.add(consumer, in<"model"> = model.output<"model">(), in<"dataset"> = imported.output());
  check_twin(p, "pipeline_with_google_artifact_type.yaml");
}

TEST_CASE("Twin of pipeline_with_metadata_fields: descriptions of pipeline and component ports",
          "[.sdk][pipeline_with_metadata_fields]") {
  auto str_to_dataset =
      Component<Ports<Port<"string", std::string>>, Ports<Port<"dataset", kfpp::Dataset>>>::python(
          "str_to_dataset",
          sdk_source("def str_to_dataset(string: str, dataset: Output[Dataset]):\n"
                     "    \"\"\"Convert string to dataset.\"\"\"\n"
                     "    with open(dataset.path, 'w') as f:\n        f.write(string)\n"))
          .describe<"string">("The string.")
          .describe<"dataset">("The dataset.");
  auto joiner =
      Component<Ports<Port<"dataset_a", kfpp::Dataset>, Port<"dataset_b", kfpp::Dataset>>,
                Ports<Port<"Output", std::string>, Port<"out_dataset", kfpp::Dataset>>>::
          python("dataset_joiner",
                 sdk_source("def dataset_joiner(\n    dataset_a: Input[Dataset],\n"
                            "    dataset_b: Input[Dataset],\n    out_dataset: Output[Dataset],\n"
                            ") -> str:\n    \"\"\"Concatenate dataset_a and dataset_b.\"\"\"\n"
                            "    return ''\n"))
              .describe<"dataset_a">("First dataset.")
              .describe<"dataset_b">("Second dataset.")
              .describe<"out_dataset">("The concatenated dataset.")
              .describe<"Output">("The concatenated string.");
  kfpp::Pipeline p("dataset-concatenator");
  p.description("A pipeline that joins string to in_dataset.");
  auto in_dataset = p.param<kfpp::Dataset>("in_dataset");
  auto string = p.param<std::string>("string");
  p.describe("in_dataset", "Dataset to which to concatenate string.")
      .describe("string", "String to concatenate to in_artifact.");
  auto ds = p.add(str_to_dataset, in<"string"> = string);
  auto joined =
      p.add(joiner, in<"dataset_a"> = ds.output<"dataset">(), in<"dataset_b"> = in_dataset);
  p.output("Output", joined.output<"out_dataset">())
      .describe_output("Output", "The final concatenated dataset.");
  check_twin(p, "pipeline_with_metadata_fields.yaml");
}

namespace {

// The shell words of `text` from `at` to the end of its command (a newline, `&&`, or a word
// that runs the rest: `"$0"`), unquoted: the SDK quotes with Python's repr, kfpp with single
// quotes, and the shell sees the same words either way.
std::vector<std::string> words_from(const std::string& text, std::size_t at) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || text.compare(i, 2, "&&") == 0) break;
    if (c == '\'' || c == '"') {
      const std::size_t end = text.find(c, i + 1);
      cur += text.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

// What a Python component's command installs, step by step in the order it runs: each
// `pip install` with its words, and the creation and activation of a virtual environment. The
// KFP runtime's version reads `kfp==<version>`: the corpus was written by older SDKs, and kfpp
// pins the reference's (checked separately).
std::vector<std::string> install_steps(const kfpp::ir::Value& command) {
  std::string text;
  for (const auto& part : command.as_array())
    if (part.as_string().find("import kfp") == std::string::npos) text += part.as_string() + "\n";
  std::vector<std::pair<std::size_t, std::string>> steps;
  for (std::size_t at = text.find("pip install"); at != std::string::npos;
       at = text.find("pip install", at + 1)) {
    std::string step = "pip install";
    for (auto w : words_from(text, at + 11)) {
      if (w.rfind("kfp==", 0) == 0) w = "kfp==<version>";
      step += " " + w;
    }
    steps.emplace_back(at, step);
  }
  for (std::size_t at = text.find("-m venv"); at != std::string::npos;
       at = text.find("-m venv", at + 1)) {
    auto w = words_from(text, at + 7);
    steps.emplace_back(at, "venv" + std::string(!w.empty() && w.back() == "--system-site-packages"
                                                    ? " --system-site-packages"
                                                    : ""));
  }
  for (std::size_t at = text.find("/bin/activate"); at != std::string::npos;
       at = text.find("/bin/activate", at + 1))
    steps.emplace_back(at, "activate");
  std::sort(steps.begin(), steps.end());
  std::vector<std::string> out;
  for (auto& s : steps) out.push_back(std::move(s.second));
  return out;
}

const kfpp::ir::Value& command_of(const kfpp::ir::Value& doc, const std::string& executor) {
  const auto* c =
      kfpp::test::at_path(doc, "deploymentSpec.executors." + executor + ".container.command");
  REQUIRE(c);
  return *c;
}

// The twin's document matches the reference (commands aside), and its command installs what the
// SDK's command installs, in the same order and with the same pip options.
void check_install_twin(const kfpp::Pipeline& p, const std::string& reference,
                        const std::string& executor) {
  check_twin(p, reference);
  const auto ours = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto ref =
      kfpp::test::load_file(std::string(KFPP_CONFORMANCE_DIR) + "/kfp-sdk/" + reference).at(0);
  const auto our_steps = install_steps(command_of(ours, executor));
  const auto ref_steps = install_steps(command_of(ref, executor));
  for (const auto& s : ref_steps) UNSCOPED_INFO("reference: " + s);
  for (const auto& s : our_steps) UNSCOPED_INFO("ours:      " + s);
  CHECK(!ref_steps.empty());
  CHECK(our_steps == ref_steps);
  // The runtime kfpp installs is the reference SDK's.
  bool pinned = false;
  for (const auto& part : command_of(ours, executor).as_array())
    pinned = pinned || kfpp::test::contains(part.as_string(), "'kfp==2.15.2'");
  CHECK(pinned);
}

}  // namespace

TEST_CASE(
    "Twin of essential/component_with_pip_install: packages from an index, trusted by default",
    "[.sdk][essential/component_with_pip_install]") {
  auto c = Component<Ports<>>::python("component_with_pip_install",
                                      sdk_source("def component_with_pip_install():\n"
                                                 "    import yapf\n    print(dir(yapf))\n"))
               .pip_index_urls({"https://pypi.org/simple"})
               .packages({"yapf"});
  kfpp::Pipeline p("component-with-pip-install");
  p.add(c);
  check_install_twin(p, "essential/component_with_pip_install.yaml",
                     "exec-component-with-pip-install");
}

TEST_CASE("Twin of essential/component_with_pip_index_urls: a component's package index",
          "[.sdk][essential/component_with_pip_index_urls]") {
  auto c = Component<Ports<>>::python(
               "component_op",
               sdk_source("def component_op():\n    import yapf\n    print(dir(yapf))\n"))
               .pip_index_urls({"https://pypi.org/simple"})
               .packages({"yapf"});
  kfpp::Pipeline p("v2-component-pip-index-urls");
  p.add(c);
  check_install_twin(p, "essential/component_with_pip_index_urls.yaml", "exec-component-op");
}

TEST_CASE("Twin of essential/component_with_pip_install_in_venv: the runtime in a virtual env",
          "[.sdk][essential/component_with_pip_install_in_venv]") {
  auto c = Component<Ports<>>::python("component_with_pip_install",
                                      sdk_source("def component_with_pip_install():\n"
                                                 "    import yapf\n\n    print(dir(yapf))\n"))
               .pip_index_urls({"https://pypi.org/simple"})
               .packages({"yapf"})
               .use_venv();
  kfpp::Pipeline p("component-with-pip-install");
  p.add(c);
  check_install_twin(p, "essential/component_with_pip_install_in_venv.yaml",
                     "exec-component-with-pip-install");
}

TEST_CASE("Twin of containerized_python_component: the target image runs the executor",
          "[.sdk][containerized_python_component]") {
  // The SDK's source also names a base image (what `kfp component build` builds the target image
  // from); the IR holds only the target image, so the twin sets only that.
  auto c = Component<Ports<Port<"message1", std::string>, Port<"message2", std::string>>,
                     std::string>::python("concat_message",
                                          "def concat_message(message1: str, message2: str) -> "
                                          "str:\n    return message1 + message2\n")
               .target_image("kfp-image");
  kfpp::Pipeline p("concat-message");
  auto m1 = p.param<std::string>("message1");
  auto m2 = p.param<std::string>("message2");
  p.output("Output", p.add(c, in<"message1"> = m1, in<"message2"> = m2).output());
  check_twin(p, "containerized_python_component.yaml");
  // The twin diff leaves Python components' commands out; this one has no launcher text, so it
  // must be the reference's own.
  const auto ours = kfpp::test::load_all(kfpp::compile(p)).at(0);
  const auto ref = kfpp::test::load_file(std::string(KFPP_CONFORMANCE_DIR) +
                                         "/kfp-sdk/containerized_python_component.yaml")
                       .at(0);
  CHECK(command_of(ours, "exec-concat-message") == command_of(ref, "exec-concat-message"));
}
