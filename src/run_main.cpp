// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "kfpp/compile.hpp"
#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/graph.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"
#include "kfpp/runner/run.hpp"
#include "runner/progress.hpp"
#include "submit.hpp"

namespace kfpp {

std::string compile(const Pipeline& pipeline) { return compile_kfp(pipeline.ir()); }

std::string compile_argo(const Pipeline& pipeline, const ArgoOptions& options) {
  return compile_argo(pipeline.ir(), options);
}

std::string compile(Pipeline&& pipeline) { return compile_kfp(std::move(pipeline).ir()); }

void compile_to_file(const Pipeline& pipeline, const std::string& path) {
  compile_kfp_to_file(pipeline.ir(), path);
}

void compile_to_file(Pipeline&& pipeline, const std::string& path) {
  compile_kfp_to_file(std::move(pipeline).ir(), path);
}

RunResult run_local(const Pipeline& pipeline, const RunOptions& options) {
  return run_local(pipeline.ir(), options);
}

std::string compile(const Pipeline& pipeline, const CompileOptions& options) {
  ir::Pipeline ir = pipeline.ir();
  apply_compile_options(ir, options);
  return compile_kfp(ir);
}

void compile_to_file(const Pipeline& pipeline, const std::string& path,
                     const CompileOptions& options) {
  ir::Pipeline ir = pipeline.ir();
  apply_compile_options(ir, options);
  compile_kfp_to_file(ir, path);
}

std::string compile_argo(const Pipeline& pipeline, const ArgoOptions& argo,
                         const CompileOptions& options) {
  ir::Pipeline ir = pipeline.ir();
  apply_compile_options(ir, options);
  return compile_argo(ir, argo);
}

namespace {
constexpr const char* kUsage =
    "usage: %s [-o FILE] [--target kfp|argo] [--validate-only] [Argo options]\n"
    "  -o, --output FILE        write the compiled pipeline to FILE (default: standard output)\n"
    "  --target kfp|argo        KFP v2 IR YAML (default) or an Argo Workflows resource\n"
    "  --validate-only          check the pipeline and write nothing\n"
    "  --graph dot|mermaid      write the task graph (Graphviz or Mermaid) instead\n"
    "  --run                    run the pipeline on this machine instead (see kfpp run)\n"
    "  -j N                     with --run: how many tasks run at once (default: the cores)\n"
    "  --no-cache               with --run: run every task, ignoring cached outputs\n"
    "  --work-dir DIR           with --run: where runs and the cache are kept (default: .kfpp)\n"
    "  -h, --help               show this help\n"
    "Pipeline settings, replacing the pipeline's own:\n"
    "  --name NAME              the pipeline's name\n"
    "  --display-name TEXT      the name the KFP UI shows\n"
    "  --pipeline-root URI      where the run's artifacts are stored (defaultPipelineRoot)\n"
    "  -p, --param NAME=VALUE   a new default of parameter NAME, read by its type (repeatable);\n"
    "                           with --run or --submit, the run's value of it\n"
    "Argo options (with --target argo):\n"
    "  --kind workflow|template|cron   Workflow (default), WorkflowTemplate or CronWorkflow\n"
    "  --workflow-name NAME     metadata.name (default: generateName from the pipeline name)\n"
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
    "  --experiment NAME        the run's experiment, created when missing (default: Default)\n"
    "  --run-name NAME          the run's name (default: the pipeline's)\n"
    "  --run-service-account SA, --caching on|off\n"
    "  --wait [--timeout S] [--poll S]   wait until the run is done, showing its progress\n";
// Ctrl-C during `--run`: the runner stops the tasks' process groups. A program has one main.
std::atomic<bool> g_run_cancel{false};
extern "C" void on_run_interrupt(int) { g_run_cancel.store(true); }

int run_here(const char* prog, const ir::Pipeline& ir, const std::vector<std::string>& params,
             RunOptions& options) {
  detail::ProgressPrinter progress(stderr);
  options.observer = &progress;
  options.cancel = &g_run_cancel;
  detail::add_parameter_texts(ir, params, options);
  std::signal(SIGINT, on_run_interrupt);
  std::signal(SIGTERM, on_run_interrupt);
  RunResult r = run_local(ir, options);
  std::string text = run_summary_text(r);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (r.state != TaskState::succeeded)
    std::fprintf(stderr, "%s: the run %s\n", prog, to_string(r.state));
  return r.state == TaskState::succeeded ? 0 : 1;
}

}  // namespace

int run_main(int argc, char** argv, Pipeline (*build)()) {
  const char* prog = argc > 0 ? argv[0] : "pipeline";
  std::string output;
  std::string target = "kfp";
  std::string kind = "workflow";
  ArgoOptions argo;
  bool validate_only = false;
  std::string graph;
  bool run = false;
  std::vector<std::string> params;
  RunOptions run_options;
  bool missing = false;
  detail::SubmitFlags submit;
  CompileOptions settings;
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
      settings.pipeline_name = value("--name");
    } else if (a == "--display-name") {
      settings.display_name = value("--display-name");
    } else if (a == "--pipeline-root") {
      settings.pipeline_root = value("--pipeline-root");
    } else if (a == "--workflow-name") {
      argo.name = value("--workflow-name");
    } else if (a == "--namespace") {
      argo.namespace_ = value("--namespace");
    } else if (a == "--service-account") {
      argo.service_account = value("--service-account");
    } else if (a == "--schedule") {
      argo.cron.schedules.push_back(value("--schedule"));
    } else if (a == "--timezone") {
      argo.cron.timezone = value("--timezone");
    } else if (a == "--run") {
      run = true;
    } else if (a == "-p" || a == "--param") {
      params.push_back(value("-p"));
    } else if (a == "-j" || a == "--jobs") {
      std::string n = value("-j");
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6) {
        std::fprintf(stderr, "%s: -j needs a number of tasks\n", prog);
        return 2;
      }
      run_options.jobs = std::stoi(n);
    } else if (a == "--no-cache") {
      run_options.cache = false;
    } else if (a == "--work-dir") {
      run_options.work_dir = value("--work-dir");
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
  if (run && submit.submit) {
    std::fprintf(stderr, "%s: --run runs here and --submit on a KFP backend: choose one\n", prog);
    return 2;
  }
  // -p gives the parameters of either run (and new defaults when compiling).
  if (submit.submit) submit.params.insert(submit.params.end(), params.begin(), params.end());
  if (!run && (run_options.jobs != 0 || !run_options.cache || !run_options.work_dir.empty())) {
    std::fprintf(stderr, "%s: -j, --no-cache and --work-dir go with --run\n", prog);
    return 2;
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
    // -p is the run's value of a parameter with --run and --submit, else its new default.
    if (!run && !submit.submit) {
      for (const auto& kv : params) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          std::fprintf(stderr, "%s: --param takes NAME=VALUE, not '%s'\n", prog, kv.c_str());
          return 2;
        }
        const std::string name = kv.substr(0, eq);
        if (settings.parameters.count(name)) {
          std::fprintf(stderr, "%s: --param %s is given twice\n", prog, name.c_str());
          return 2;
        }
        settings.parameters.emplace(name, parameter_value_from_text(ir, name, kv.substr(eq + 1)));
      }
    }
    apply_compile_options(ir, settings);
    if (run) return run_here(prog, ir, params, run_options);
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
