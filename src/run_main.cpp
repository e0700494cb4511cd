// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <string>

#include "kfpp/compile.hpp"
#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/graph.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"
#include "submit.hpp"

namespace kfpp {

std::string compile(const Pipeline& pipeline) { return compile_kfp(pipeline.ir()); }

std::string compile_argo(const Pipeline& pipeline, const ArgoOptions& options) {
  return compile_argo(pipeline.ir(), options);
}

void compile_to_file(const Pipeline& pipeline, const std::string& path) {
  compile_kfp_to_file(pipeline.ir(), path);
}

namespace {
constexpr const char* kUsage =
    "usage: %s [-o FILE] [--target kfp|argo] [--validate-only] [Argo options]\n"
    "  -o, --output FILE        write the compiled pipeline to FILE (default: standard output)\n"
    "  --target kfp|argo        KFP v2 IR YAML (default) or an Argo Workflows resource\n"
    "  --validate-only          check the pipeline and write nothing\n"
    "  --graph dot|mermaid      write the task graph (Graphviz or Mermaid) instead\n"
    "  -h, --help               show this help\n"
    "Argo options (with --target argo):\n"
    "  --kind workflow|template|cron   Workflow (default), WorkflowTemplate or CronWorkflow\n"
    "  --name NAME              metadata.name (default: generateName from the pipeline name)\n"
    "  --namespace NS           metadata.namespace\n"
    "  --service-account SA     the pods' service account\n"
    "  --schedule CRON          a schedule of the cron workflow (repeatable)\n"
    "  --timezone TZ            the schedules' time zone\n"
    "Run on a KFP backend (KFP IR only):\n"
    "  --submit                 compile, then start a run on the KFP API\n"
    "  --host URL               the KFP API (default: KF_PIPELINES_ENDPOINT)\n"
    "  --token-file FILE        a bearer token's file (default: KF_PIPELINES_SA_TOKEN_PATH)\n"
    "  --token T, --cookies C   a bearer token, or session cookies ('name=value; ...')\n"
    "  --user-namespace NS      the user namespace of a multi-user cluster\n"
    "  --ca-bundle FILE, --insecure   the server's CAs, or no TLS check\n"
    "  -p, --param NAME=VALUE   a run parameter, read as its type (repeatable)\n"
    "  --experiment NAME        the run's experiment, created when missing (default: Default)\n"
    "  --run-name NAME          the run's name (default: the pipeline's)\n"
    "  --pipeline-root URI, --run-service-account SA, --caching on|off\n"
    "  --wait [--timeout S] [--poll S]   wait until the run is done, showing its progress\n";
}  // namespace

int run_main(int argc, char** argv, Pipeline (*build)()) {
  const char* prog = argc > 0 ? argv[0] : "pipeline";
  std::string output;
  std::string target = "kfp";
  std::string kind = "workflow";
  ArgoOptions argo;
  bool validate_only = false;
  std::string graph;
  bool missing = false;
  detail::SubmitFlags submit;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a value\n", prog, flag);
        missing = true;
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
    } else if (a == "--kind") {
      kind = value("--kind");
    } else if (a == "--name") {
      argo.name = value("--name");
    } else if (a == "--namespace") {
      argo.namespace_ = value("--namespace");
    } else if (a == "--service-account") {
      argo.service_account = value("--service-account");
    } else if (a == "--schedule") {
      argo.cron.schedules.push_back(value("--schedule"));
    } else if (a == "--timezone") {
      argo.cron.timezone = value("--timezone");
    } else if (a == "--validate-only") {
      validate_only = true;
    } else if (a == "--graph") {
      graph = value("--graph");
    } else if (a.rfind("--graph=", 0) == 0) {
      graph = a.substr(8);
    } else if (detail::take_submit_flag(submit, argc, argv, i, missing)) {
    } else {
      std::fprintf(stderr, "%s: unknown option '%s'\n", prog, a.c_str());
      std::fprintf(stderr, kUsage, prog);
      return 2;
    }
    if (missing) return 2;
  }
  if (target != "kfp" && target != "argo") {
    std::fprintf(stderr, "%s: unknown target '%s' (known: kfp, argo)\n", prog, target.c_str());
    return 2;
  }
  if (!graph.empty() && graph != "dot" && graph != "mermaid") {
    std::fprintf(stderr, "%s: unknown graph format '%s' (known: dot, mermaid)\n", prog,
                 graph.c_str());
    return 2;
  }
  if (kind == "workflow") {
    argo.kind = ArgoKind::workflow;
  } else if (kind == "template") {
    argo.kind = ArgoKind::workflow_template;
  } else if (kind == "cron") {
    argo.kind = ArgoKind::cron_workflow;
  } else {
    std::fprintf(stderr, "%s: unknown kind '%s' (known: workflow, template, cron)\n", prog,
                 kind.c_str());
    return 2;
  }
  if (submit.submit && (target != "kfp" || validate_only || !graph.empty())) {
    std::fprintf(stderr,
                 "%s: --submit runs KFP IR; it goes with neither --target argo, "
                 "--validate-only nor --graph\n",
                 prog);
    return 2;
  }
  try {
    ir::Pipeline ir = build().ir();
    if (submit.submit) {
      std::string text = compile_kfp(ir);
      if (!output.empty() && output != "-") {
        write_file_atomically(output, text);
        std::fprintf(stderr, "%s: wrote %s\n", prog, output.c_str());
      }
      return detail::submit(prog, ir, text, submit);
    }
    if (validate_only) {
      ir::validate(ir);
      std::fprintf(stderr, "%s: pipeline '%s' is valid\n", prog, ir.name.c_str());
      return 0;
    }
    if (!graph.empty()) {
      ir::validate(ir);
      std::string text = emit_graph(ir, graph == "dot" ? GraphFormat::dot : GraphFormat::mermaid);
      if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
      } else {
        write_file_atomically(output, text);
        std::fprintf(stderr, "%s: wrote %s\n", prog, output.c_str());
      }
      return 0;
    }
    if (output.empty() || output == "-") {
      std::string text = target == "argo" ? compile_argo(ir, argo) : compile_kfp(ir);
      std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
      if (target == "argo")
        compile_argo_to_file(ir, argo, output);
      else
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
