// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <unistd.h>

#include <dirent.h>
#include <cstdio>
#include <fstream>
#include <kfpp/kfpp.hpp>

#include "helpers.hpp"
#include "yaml_tree.hpp"

using kfpp::test::contains;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/kfpp-test-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  REQUIRE(d != nullptr);
  while (auto* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("Emitter: the same IR gives the same bytes") {
  auto p = kfpp::test::two_task_pipeline();
  std::string first = kfpp::compile_kfp(p);
  for (int i = 0; i < 5; ++i) CHECK(kfpp::compile_kfp(p) == first);
  // Task order in the IR does not change the text either.
  std::swap(p.root.dag->tasks[0], p.root.dag->tasks[1]);
  std::swap(p.components[0], p.components[1]);
  CHECK(kfpp::compile_kfp(p) == first);
}

TEST_CASE("Emitter: the header comment and sdkVersion name the pipeline and kfpp") {
  auto p = kfpp::test::two_task_pipeline();
  p.description = "Two steps.\nSecond line.";
  p.root.inputs.parameters[0].default_value = kfpp::ir::Value("hi");
  std::string text = kfpp::compile_kfp(p);
  // One comment line per line of the description, continued under its first word.
  CHECK(text.rfind("# PIPELINE DEFINITION\n# Name: demo\n# Description: Two steps.\n"
                   "#              Second line.\n"
                   "# Inputs:\n#    message: str [Default: 'hi']\n",
                   0) == 0);
  auto d = kfpp::test::load_all(text).at(0);
  CHECK(kfpp::test::at_path(d, "sdkVersion")->as_string() ==
        std::string("kfpp-") + kfpp::version_string);
  CHECK(kfpp::test::at_path(d, "schemaVersion")->as_string() == "2.1.0");
}

TEST_CASE("Emitter: an invalid pipeline leaves the target file untouched") {
  std::string dir = temp_dir();
  std::string path = dir + "/out.yaml";
  { std::ofstream(path) << "previous content\n"; }
  auto p = kfpp::test::two_task_pipeline();
  p.root.dag->tasks[1].component_ref = "comp-missing";
  CHECK_THROWS_AS(kfpp::compile_kfp_to_file(p, path), kfpp::ValidationError);
  CHECK(kfpp::test::read_text(path) == "previous content\n");
  CHECK(list_dir(dir) == std::vector<std::string>{"out.yaml"});

  kfpp::compile_kfp_to_file(kfpp::test::two_task_pipeline(), path);
  CHECK(kfpp::test::read_text(path) == kfpp::compile_kfp(kfpp::test::two_task_pipeline()));
  CHECK(list_dir(dir) == std::vector<std::string>{"out.yaml"});
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("Emitter: an unwritable path is an I/O error with the path") {
  try {
    kfpp::compile_kfp_to_file(kfpp::test::two_task_pipeline(), "/nonexistent-dir/x/out.yaml");
    FAIL("no exception");
  } catch (const kfpp::IoError& e) {
    CHECK(e.code() == "kfpp.io");
    CHECK(e.path() == "/nonexistent-dir/x/out.yaml");
  }
}

TEST_CASE("Emitter: importer fields follow the reference: reimport only when set") {
  kfpp::Pipeline p("imports");
  auto uri = p.param<std::string>("uri");
  auto a = p.importer<kfpp::Dataset>("gs://b/a.csv");
  auto b = p.importer<kfpp::Model>(uri, {.reimport = true});
  (void)a;
  (void)b;
  auto d = kfpp::test::load_all(kfpp::compile(p)).at(0);
  using kfpp::test::at_path;
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer.importer.reimport") == nullptr);
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer.importer.metadata") == nullptr);
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer-2.importer.reimport")->as_bool());
  CHECK(at_path(d, "deploymentSpec.executors.exec-importer-2.importer.artifactUri.runtimeParameter")
            ->as_string() == "uri");
  CHECK(at_path(d, "root.dag.tasks.importer-2.inputs.parameters.uri.componentInputParameter")
            ->as_string() == "uri");
}

TEST_CASE("Emitter: importer metadata must be an object") {
  kfpp::Pipeline p("imports");
  CHECK_THROWS_AS(p.importer<kfpp::Dataset>("gs://b/a", {.metadata = kfpp::Json(3)}),
                  kfpp::DefinitionError);
}
