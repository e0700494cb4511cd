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

TEST_CASE("Twin of essential/pipeline_with_params_containing_format: text made from channels",
          "[.sdk][essential/pipeline_with_params_containing_format]") {
  auto print_op = Component<Ports<Port<"text", std::string>>, std::string>::python(
      "print_op",
      sdk_source("def print_op(text: str) -> str:\n    print(text)\n    return text\n"));
  auto print_op2 =
      Component<Ports<Port<"text1", std::string>, Port<"text2", std::string>>, std::string>::python(
          "print_op2", sdk_source("def print_op2(text1: str, text2: str) -> str:\n"
                                  "    print(text1 + text2)\n    return text1 + text2\n"));
  kfpp::Pipeline p("pipeline-with-pipelineparam-containing-format");
  auto name = p.param<std::string>("name", "KFP");
  auto hello = p.add(print_op, in<"text"> = kfpp::format("Hello {}", name));
  p.add(print_op, in<"text"> = kfpp::format("{}, again.", hello.output()));
  kfpp::ParallelFor(p, std::vector<std::string>{"1", "2"}, [&](kfpp::Channel<std::string> item) {
    p.add(print_op2, in<"text1"> = item, in<"text2"> = kfpp::format(" and {}.", name));
  });
  check_twin(p, "essential/pipeline_with_params_containing_format.yaml");
}

TEST_CASE("Twin of pipeline_with_dynamic_importer_metadata: importer metadata read at run time",
          "[.sdk][pipeline_with_dynamic_importer_metadata]") {
  using kfpp::JsonTemplate;
  auto make_name = Component<Ports<Port<"name", std::string>>, std::string>::python(
      "make_name", sdk_source("def make_name(name: str) -> str:\n    return name\n"));
  const std::string artifact_uri = "gs://ml-pipeline-playground/shakespeare1.txt";
  const std::string image_uri = "us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest";
  kfpp::Pipeline p("pipeline-with-importer");
  auto name = p.param<std::string>("name", "default-name");
  auto int_input = p.param<int>("int_input", 1);
  auto uri = p.param<std::string>("pipeline_input_artifact_uri", artifact_uri);
  auto image = p.param<std::string>("pipeline_input_image_uri", image_uri);
  p.importer<kfpp::Dataset>(
      uri, {.metadata = JsonTemplate::object(
                {{"name", JsonTemplate::array({name, "alias-name"})},
                 {"containerSpec", JsonTemplate::object({{"imageUri", image}})}})});
  auto made = p.add(make_name, in<"name"> = "a-different-name").output();
  p.importer<kfpp::Dataset>(
      artifact_uri, {.metadata = JsonTemplate::object(
                         {{"name", kfpp::format("prefix-{}", made)},
                          {"list-of-data", JsonTemplate::array({made, name, int_input})},
                          {made, made},
                          {name, image_uri},
                          {"containerSpec", JsonTemplate::object({{"imageUri", image_uri}})}})});
  check_twin(p, "pipeline_with_dynamic_importer_metadata.yaml");
}

namespace {
using Texts = std::vector<std::string>;

// A pipeline that makes one artifact of type A per text and returns them all.
template <class A, class C>
auto collecting_pipeline(const std::string& name, const C& maker) {
  kfpp::Pipeline sub(name);
  auto texts = sub.param<Texts>("texts", Texts{"Hello", ",", " ", "world!"});
  kfpp::Channel<A> made;
  kfpp::ParallelFor(sub, texts, [&](kfpp::Channel<std::string> text) {
    made = sub.add(maker, in<"data"> = text).output();
  });
  sub.output("Output", kfpp::Collected(made));
  return Component<Ports<Port<"texts", std::optional<Texts>>>,
                   Ports<Port<"Output", std::vector<A>>>>::pipeline(sub);
}
}  // namespace

TEST_CASE(
    "Twin of pipeline_with_parallelfor_list_artifacts_GH-12033: loops over lists of artifacts "
    "that pipelines collect",
    "[.sdk][pipeline_with_parallelfor_list_artifacts_GH-12033]") {
  auto print_name = Component<Ports<Port<"artifact", kfpp::Artifact>>, std::string>::python(
      "print_artifact_name", sdk_source("def print_artifact_name(artifact: Artifact) -> str:\n"
                                        "    print(artifact.name)\n    return artifact.name\n"));
  auto make_dataset = Component<Ports<Port<"data", std::string>>, kfpp::Dataset>::python(
      "make_dataset",
      sdk_source("def make_dataset(data: str) -> Dataset:\n"
                 "    dataset = Dataset(uri=dsl.get_uri(), metadata={'length': len(data)})\n"
                 "    with open(dataset.path, 'w') as f:\n        f.write(data)\n"
                 "    return dataset\n"));
  auto make_artifact = Component<Ports<Port<"data", std::string>>, kfpp::Artifact>::python(
      "make_artifact",
      sdk_source("def make_artifact(data: str) -> Artifact:\n"
                 "    artifact = Artifact(uri=dsl.get_uri(), metadata={'length': len(data)})\n"
                 "    with open(artifact.path, 'w') as f:\n        f.write(data)\n"
                 "    return artifact\n"));
  kfpp::Pipeline p("pipeline-parallelfor-artifacts");
  auto artifacts = p.add(collecting_pipeline<kfpp::Artifact>("make-artifacts", make_artifact));
  kfpp::ParallelFor(p, artifacts.output(), [&](kfpp::Channel<kfpp::Artifact> item) {
    p.add(print_name, in<"artifact"> = item);
  });
  auto datasets = p.add(collecting_pipeline<kfpp::Dataset>("make-datasets", make_dataset));
  kfpp::ParallelFor(p, datasets.output(), [&](kfpp::Channel<kfpp::Dataset> item) {
    p.add(print_name, in<"artifact"> = item);
  });
  check_twin(p, "pipeline_with_parallelfor_list_artifacts_GH-12033.yaml");
}

TEST_CASE("Twin of if_else_with_oneof_artifacts: OneOf over artifacts, returned by a pipeline",
          "[.sdk][if_else_with_oneof_artifacts]") {
  auto flip_coin = Component<Ports<>, std::string>::python(
      "flip_coin", sdk_source("def flip_coin() -> str:\n    return 'heads'\n"));
  auto to_artifact =
      Component<Ports<Port<"val", std::string>>, Ports<Port<"a", kfpp::Artifact>>>::python(
          "param_to_artifact",
          sdk_source("def param_to_artifact(val: str, a: Output[Artifact]):\n"
                     "    with open(a.path, 'w') as f:\n        f.write(val)\n"));
  auto print_artifact = Component<Ports<Port<"a", kfpp::Artifact>>>::python(
      "print_artifact", sdk_source("def print_artifact(a: Input[Artifact]):\n"
                                   "    with open(a.path) as f:\n        print(f.read())\n"));
  kfpp::Pipeline inner("flip-coin-pipeline");
  auto flip = inner.add(flip_coin).output();
  kfpp::Channel<kfpp::Artifact> heads;
  kfpp::Channel<kfpp::Artifact> tails;
  kfpp::If(inner, flip == "heads", [&] {
    heads = inner.add(to_artifact, in<"val"> = flip).output();
  }).Else([&] { tails = inner.add(to_artifact, in<"val"> = flip).output(); });
  auto either = kfpp::OneOf(heads, tails);
  inner.add(print_artifact, in<"a"> = either);
  inner.output("Output", either);
  auto flip_pipeline = Component<Ports<>, kfpp::Artifact>::pipeline(inner);
  kfpp::Pipeline p("outer-pipeline");
  auto flipped = p.add(flip_pipeline);
  p.add(print_artifact, in<"a"> = flipped.output());
  check_twin(p, "if_else_with_oneof_artifacts.yaml");
}

TEST_CASE("Twin of collected_artifacts: artifacts collected from nested loops and returned",
          "[.sdk][collected_artifacts]") {
  using kfpp::Dataset;
  using kfpp::Model;
  using Ids = std::vector<std::string>;
  auto split = [](const char* name) {
    return Component<Ports<Port<"model_ids", std::string>>, Ids>::python(
        name, sdk_source(std::string("def ") + name +
                         "(model_ids: str) -> list:\n    return model_ids.split(',')\n"));
  };
  auto create_file =
      Component<Ports<Port<"content", std::string>>, Ports<Port<"file", kfpp::Artifact>>>::python(
          "create_file",
          sdk_source("def create_file(file: Output[Artifact], content: str):\n"
                     "    print(f'Creating file with content: {content}')\n"
                     "    with open(file.path, 'w') as f:\n        f.write(content)\n"));
  auto read_single_file = Component<Ports<Port<"file", kfpp::Artifact>>, std::string>::python(
      "read_single_file",
      sdk_source("def read_single_file(file: Artifact) -> str:\n"
                 "    print(f'Reading file: {file.path}')\n"
                 "    with open(file.path, 'r') as f:\n        print(f.read())\n"
                 "\n    return file.uri\n"));
  auto create_dataset =
      Component<Ports<Port<"content", std::string>>, Ports<Port<"data", Dataset>>>::python(
          "create_dataset",
          sdk_source("def create_dataset(data: Output[Dataset], content: str):\n"
                     "    print(f'Creating file with content: {content}')\n"
                     "    with open(data.path, 'w') as f:\n        f.write(content)\n"));
  auto read_datasets = Component<Ports<Port<"data", std::vector<Dataset>>>, std::string>::python(
      "read_datasets",
      sdk_source("def read_datasets(data: List[Dataset]) -> str:\n    for d in data:\n"
                 "        print(f'Reading dataset {d.name} file: {d.path}')\n"
                 "        with open(d.path, 'r') as f:\n            print(f.read())\n\n"
                 "    return 'files read'\n"));
  auto generate_model = Component<Ports<Port<"data", Dataset>, Port<"id", std::string>>,
                                  Ports<Port<"results", Model>>>::
      python("read_single_dataset_generate_model",
             sdk_source("def read_single_dataset_generate_model(data: Dataset, id: str, "
                        "results:Output[Model]):\n    print(f'Reading file: {data.path}')\n"
                        "    with open(data.path, 'r') as f:\n        info = f.read()\n"
                        "        with open(results.path, 'w') as f2:\n"
                        "            f2.write(f\"{info}-{id}\")\n"
                        "            results.metadata['model'] = info\n"
                        "            results.metadata['model_name'] = "
                        "f\"model-artifact-inner-iteration-{info}-{id}\"\n"));
  auto read_models = Component<Ports<Port<"models", std::vector<Model>>>, std::string>::python(
      "read_models",
      sdk_source("def read_models(models: List[Model],) -> str:\n    for m in models:\n"
                 "        print(f'Reading model {m.name} file: {m.path}')\n"
                 "        with open(m.path, 'r') as f:\n            info = f.read()\n"
                 "            print(f\"Model raw data: {info}\")\n"
                 "            print(f\"Model metadata: {m.metadata}\")\n"
                 "    return 'models read'\n"));

  kfpp::Pipeline single("single-node-dag");
  auto c = single.param<std::string>("char");
  single.output("Output",
                single.add(create_dataset, in<"content"> = c).caching(false).output<"data">());
  auto single_node_dag = Component<Ports<Port<"char", std::string>>, Dataset>::pipeline(single);

  kfpp::Pipeline collecting("collecting-artifacts");
  auto model_ids = collecting.param<std::string>("model_ids", "");
  auto model_chars = collecting.param<std::string>("model_chars", "");
  auto ids = collecting.add(split("split_ids"), in<"model_ids"> = model_ids).caching(false);
  auto chars = collecting.add(split("split_chars"), in<"model_ids"> = model_chars).caching(false);
  kfpp::Channel<Model> results;
  kfpp::ParallelFor(collecting, ids.output(), [&](kfpp::Channel<std::string> model_id) {
    auto file = collecting.add(create_file, in<"content"> = model_id).caching(false);
    collecting.add(read_single_file, in<"file"> = file.output()).caching(false);
    kfpp::Channel<Dataset> dataset;
    kfpp::ParallelFor(collecting, chars.output(), [&](kfpp::Channel<std::string> model_char) {
      dataset = collecting.add(single_node_dag, in<"char"> = model_char).caching(false).output();
      results = collecting.add(generate_model, in<"data"> = dataset, in<"id"> = model_id)
                    .caching(false)
                    .output();
    });
    collecting.add(read_models, in<"models"> = kfpp::Collected(results)).caching(false);
    collecting.add(read_datasets, in<"data"> = kfpp::Collected(dataset)).caching(false);
  });
  collecting.output("Output", kfpp::Collected(results));
  auto collecting_artifacts =
      Component<Ports<Port<"model_ids", std::optional<std::string>>,
                      Port<"model_chars", std::optional<std::string>>>,
                Ports<Port<"Output", std::vector<Model>>>>::pipeline(collecting);

  kfpp::Pipeline p("collected-artifact-pipeline");
  auto dag = p.add(collecting_artifacts, in<"model_ids"> = "s1,s2,s3", in<"model_chars"> = "x,y,z")
                 .caching(false);
  p.add(read_models, in<"models"> = dag.output()).caching(false);
  check_twin(p, "collected_artifacts.yaml");
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
