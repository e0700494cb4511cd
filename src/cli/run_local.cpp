// SPDX-License-Identifier: Apache-2.0
#include "cli/run_local.hpp"

#include <csignal>
#include <cstdio>

#include "kfpp/error.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/validate.hpp"
#include "kfpp/runner/run.hpp"
#include "runner/progress.hpp"

namespace kfpp::cli {

namespace {

// Set by SIGINT/SIGTERM; the runner stops the running tasks' process groups.
std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int) { g_cancel.store(true); }

}  // namespace

void add_local_run_options(CLI::App* run, RunFlags& f) {
  run->footer(
      "On this machine (no --host): exit codes 0 the run succeeded, 1 it failed (or the file is "
      "invalid), 2 bad usage or an unreadable file, 130 cancelled with Ctrl-C.");
  run->add_option("-j,--jobs", f.jobs, "here: how many tasks run at once (default: the cores)")
      ->check(CLI::NonNegativeNumber);
  run->add_flag("--no-cache", f.no_cache, "here: run every task, ignoring cached outputs");
  run->add_option("--work-dir", f.work_dir, "here: where runs and the cache are kept (.kfpp)");
  run->add_option("--runner", f.runner, "here: host (default), docker or podman")
      ->check(CLI::IsMember({"host", "docker", "podman"}));
  run->add_option("--secrets", f.secrets_dir,
                  "here: a folder with a folder per Secret and a file per key");
  run->add_option("--config-maps", f.config_maps_dir,
                  "here: a folder with a folder per ConfigMap and a file per key");
  run->add_option("--python", f.python, "here: the Python of Python components (python3)");
  run->add_flag("--lenient", f.lenient, "here: skip unknown keys of the IR with a warning");
}

int run_command(const RunFlags& f) {
  ir::Pipeline p;
  try {
    std::vector<Diagnostic> warnings;
    ir::ReadOptions ro;
    ro.strict = !f.lenient;
    ro.warnings = &warnings;
    p = ir::read_pipeline_file(f.file, ro);
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.to_string().c_str());
  } catch (const ParseError& e) {
    std::fprintf(stderr, "%s: %zu problem(s)\n", f.file.c_str(), e.diagnostics().size());
    for (const auto& d : e.diagnostics()) std::fprintf(stderr, "  %s\n", d.to_string().c_str());
    return e.code() == "kfpp.io" ? 2 : 1;
  }
  RunOptions o;
  detail::ProgressPrinter progress(stderr);
  try {
    detail::add_parameter_texts(p, f.parameters, o);
    o.runner = detail::runner_kind(f.runner);
  } catch (const Error& e) {
    std::fprintf(stderr, "kfpp run: %s\n", e.what());
    return 2;
  }
  o.jobs = f.jobs;
  o.cache = !f.no_cache;
  o.work_dir = f.work_dir;
  o.secrets_dir = f.secrets_dir;
  o.config_maps_dir = f.config_maps_dir;
  o.python = f.python;
  o.observer = &progress;
  o.cancel = &g_cancel;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  RunResult r;
  try {
    r = run_local(p, o);
  } catch (const ValidationError& e) {
    std::fprintf(stderr, "%s: %zu problem(s)\n", f.file.c_str(), e.diagnostics().size());
    for (const auto& d : e.diagnostics()) std::fprintf(stderr, "  %s\n", d.to_string().c_str());
    return 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "kfpp run: %s\n", e.what());
    return e.code() == "kfpp.runner_unavailable" || e.code() == "kfpp.io" ? 2 : 1;
  }
  std::string text = f.output == "json" ? run_record_json(r) : run_summary_text(r);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (r.state == TaskState::cancelled) return 130;
  return r.state == TaskState::succeeded ? 0 : 1;
}

}  // namespace kfpp::cli
