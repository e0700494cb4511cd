// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <string>

#include "kfpp/compile.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

std::string compile(const Pipeline& pipeline) { return compile_kfp(pipeline.ir()); }

void compile_to_file(const Pipeline& pipeline, const std::string& path) {
  compile_kfp_to_file(pipeline.ir(), path);
}

namespace {
constexpr const char* kUsage =
    "usage: %s [-o FILE] [--target kfp] [--validate-only]\n"
    "  -o, --output FILE   write the compiled pipeline to FILE (default: standard output)\n"
    "  --target kfp        the output format: KFP v2 IR YAML\n"
    "  --validate-only     check the pipeline and write nothing\n"
    "  -h, --help          show this help\n";
}  // namespace

int run_main(int argc, char** argv, Pipeline (*build)()) {
  const char* prog = argc > 0 ? argv[0] : "pipeline";
  std::string output;
  std::string target = "kfp";
  bool validate_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a value\n", prog, flag);
        return {};
      }
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::printf(kUsage, prog);
      return 0;
    } else if (a == "-o" || a == "--output") {
      output = value("-o");
      if (output.empty()) return 2;
    } else if (a.rfind("--output=", 0) == 0) {
      output = a.substr(9);
    } else if (a == "--target") {
      target = value("--target");
    } else if (a.rfind("--target=", 0) == 0) {
      target = a.substr(9);
    } else if (a == "--validate-only") {
      validate_only = true;
    } else {
      std::fprintf(stderr, "%s: unknown option '%s'\n", prog, a.c_str());
      std::fprintf(stderr, kUsage, prog);
      return 2;
    }
  }
  if (target != "kfp") {
    std::fprintf(stderr, "%s: unknown target '%s' (known: kfp)\n", prog, target.c_str());
    return 2;
  }
  try {
    ir::Pipeline ir = build().ir();
    if (validate_only) {
      ir::validate(ir);
      std::fprintf(stderr, "%s: pipeline '%s' is valid\n", prog, ir.name.c_str());
      return 0;
    }
    if (output.empty() || output == "-") {
      std::string text = compile_kfp(ir);
      std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
      compile_kfp_to_file(ir, output);
      std::fprintf(stderr, "%s: wrote %s\n", prog, output.c_str());
    }
    return 0;
  } catch (const ValidationError& e) {
    std::fprintf(stderr, "%s: invalid pipeline: %s\n", prog, e.what());
    return 1;
  } catch (const IoError& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
    return 1;
  }
}

}  // namespace kfpp
