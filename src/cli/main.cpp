// SPDX-License-Identifier: Apache-2.0
// kfpp: validate, convert, draw, inspect and run KFP v2 IR (from kfpp or the Python SDK) and
// validate Argo workflows. Exit codes: 0 success, 1 an input is invalid or cannot be converted, 2 bad usage or
// an unreadable file.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cli/argo_check.hpp"
#include "cli/inspect.hpp"
#include "cli/remote.hpp"
#include "cli/run.hpp"
#include "cli/run_local.hpp"
#include "ir/yaml_input.hpp"
#include "ir/yaml_parse.hpp"
#include "kfpp/compiler/argo.hpp"
#include "kfpp/compiler/graph.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/reader.hpp"
#include "kfpp/ir/validate.hpp"
#include "kfpp/version.hpp"

namespace {

using kfpp::Diagnostic;

constexpr int kOk = 0;
constexpr int kInvalid = 1;
constexpr int kUsage = 2;

void print_problems(const std::string& file, const std::vector<Diagnostic>& all) {
  std::fprintf(stderr, "%s: %zu %s\n", file.c_str(), all.size(),
               all.size() == 1 ? "problem" : "problems");
  for (const auto& d : all) std::fprintf(stderr, "  %s\n", d.to_string().c_str());
}

void print_warnings(const std::vector<Diagnostic>& all) {
  for (const auto& d : all) std::fprintf(stderr, "warning: %s\n", d.to_string().c_str());
}

struct ReadFlags {
  bool lenient = false;
  std::size_t max_input_mib = kfpp::ir::ReadLimits{}.max_input_bytes >> 20;

  [[nodiscard]] kfpp::ir::ReadLimits limits() const {
    kfpp::ir::ReadLimits l;
    l.max_input_bytes = max_input_mib << 20;
    return l;
  }
};

// The text of `file`, or nullopt after saying why (an I/O failure is a usage-level error).
std::optional<std::string> read_input(const std::string& file, const ReadFlags& flags) {
  try {
    return kfpp::ir::read_text_file(file, flags.limits().max_input_bytes);
  } catch (const kfpp::ParseError& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return std::nullopt;
  }
}

// The documents of `text`, to tell Argo from KFP IR; none when it does not parse (the reader
// then reports the problem with its position).
struct Documents {
  std::unique_ptr<kfpp::detail::YamlTree> tree;
  bool parsed = false;
  std::vector<kfpp::detail::YamlNode> every;  // as parsed
  std::vector<kfpp::detail::YamlNode> all;    // without the empty ones
  [[nodiscard]] kfpp::detail::YamlNode first() const {
    return all.empty() ? kfpp::detail::YamlNode() : all.front();
  }
};

Documents documents(const std::string& file, const std::string& text, const ReadFlags& flags) {
  Documents d;
  std::optional<Diagnostic> problem;
  d.tree = kfpp::detail::YamlTree::parse(text, file, flags.limits(), problem);
  if (problem) return d;
  d.parsed = true;
  d.every = d.tree->documents();
  for (const auto& n : d.every)
    if (!n.is_null()) d.all.push_back(n);
  return d;
}

// Reads KFP IR and validates it; prints the problems and returns nullopt when there are any.
// The text is parsed once: `docs` when it parsed, else again to report where it fails.
std::optional<kfpp::ir::Pipeline> load_kfp(const std::string& file, const std::string& text,
                                           const Documents& docs, const ReadFlags& flags) {
  std::vector<Diagnostic> warnings;
  try {
    kfpp::ir::ReadOptions options;
    options.strict = !flags.lenient;
    options.warnings = &warnings;
    options.limits = flags.limits();
    kfpp::ir::Pipeline p = docs.parsed
                               ? kfpp::detail::read_pipeline_documents(docs.every, file, options)
                               : kfpp::ir::read_pipeline(text, file, options);
    print_warnings(warnings);
    std::vector<Diagnostic> problems = kfpp::ir::check(p);
    if (!problems.empty()) {
      print_problems(file, problems);
      return std::nullopt;
    }
    return p;
  } catch (const kfpp::ParseError& e) {
    print_warnings(warnings);
    print_problems(file, e.diagnostics());
    return std::nullopt;
  }
}

std::size_t count_tasks(const kfpp::ir::Pipeline& p) {
  std::size_t n = p.root.dag ? p.root.dag->tasks.size() : 0;
  for (const auto& c : p.components)
    if (c.dag) n += c.dag->tasks.size();
  return n;
}

int write_output(const std::string& output, const std::string& text) {
  if (output.empty() || output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kOk;
  }
  try {
    kfpp::write_file_atomically(output, text);
  } catch (const kfpp::IoError& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return kUsage;
  }
  std::fprintf(stderr, "kfpp: wrote %s\n", output.c_str());
  return kOk;
}

int cmd_validate(const std::vector<std::string>& files, const ReadFlags& flags, bool quiet) {
  int rc = kOk;
  for (const auto& file : files) {
    auto text = read_input(file, flags);
    if (!text) {
      rc = kUsage;
      continue;
    }
    Documents docs = documents(file, *text, flags);
    if (kfpp::cli::is_argo_document(docs.first())) {
      std::vector<Diagnostic> problems;
      for (const auto& d : docs.all) {
        auto found = kfpp::cli::check_argo(d, file);
        problems.insert(problems.end(), found.begin(), found.end());
      }
      if (!problems.empty()) {
        print_problems(file, problems);
        if (rc == kOk) rc = kInvalid;
      } else if (!quiet) {
        std::printf("%s: valid Argo %s\n", file.c_str(),
                    kfpp::cli::argo_kind(docs.first()).c_str());
      }
      continue;
    }
    auto p = load_kfp(file, *text, docs, flags);
    if (!p) {
      if (rc == kOk) rc = kInvalid;
      continue;
    }
    if (!quiet)
      std::printf("%s: valid KFP IR, pipeline '%s', %zu tasks, %zu components\n", file.c_str(),
                  p->name.c_str(), count_tasks(*p), p->components.size());
  }
  return rc;
}

// Loads a KFP IR input for convert, graph and inspect: Argo input is refused with a reason.
std::optional<kfpp::ir::Pipeline> load_for(const char* command, const std::string& file,
                                           const ReadFlags& flags, int& rc) {
  auto text = read_input(file, flags);
  if (!text) {
    rc = kUsage;
    return std::nullopt;
  }
  Documents docs = documents(file, *text, flags);
  if (kfpp::cli::is_argo_document(docs.first())) {
    std::fprintf(stderr,
                 "kfpp %s: %s is an Argo resource; %s reads KFP IR (check Argo files with "
                 "`kfpp validate`)\n",
                 command, file.c_str(), command);
    rc = kInvalid;
    return std::nullopt;
  }
  auto p = load_kfp(file, *text, docs, flags);
  if (!p) rc = kInvalid;
  return p;
}

struct ConvertFlags {
  std::string to = "argo";
  std::string output;
  std::string kind = "workflow";
  kfpp::ArgoOptions argo;
};

int cmd_convert(const std::string& file, ConvertFlags& f, const ReadFlags& flags) {
  int rc = kOk;
  auto p = load_for("convert", file, flags, rc);
  if (!p) return rc;
  try {
    if (f.to == "kfp") return write_output(f.output, kfpp::emit_kfp(*p));
    f.argo.kind = f.kind == "template" ? kfpp::ArgoKind::workflow_template
                  : f.kind == "cron"   ? kfpp::ArgoKind::cron_workflow
                                       : kfpp::ArgoKind::workflow;
    std::string yaml = kfpp::emit_argo(*p, f.argo);
    if (yaml.size() > kfpp::kArgoWarnObjectBytes)
      std::fprintf(stderr,
                   "%s: warning: the Argo resource is %zu bytes, close to the %zu-byte limit of a "
                   "Kubernetes object; split the pipeline or move large inline text into images\n",
                   file.c_str(), yaml.size(),
                   f.argo.max_object_bytes ? f.argo.max_object_bytes : kfpp::kArgoMaxObjectBytes);
    return write_output(f.output, yaml);
  } catch (const kfpp::ValidationError& e) {
    print_problems(file, e.diagnostics());
    return kInvalid;
  } catch (const kfpp::Error& e) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
    return kInvalid;
  }
}

int cmd_graph(const std::string& file, const std::string& format, const std::string& output,
              const ReadFlags& flags) {
  int rc = kOk;
  auto p = load_for("graph", file, flags, rc);
  if (!p) return rc;
  return write_output(output, kfpp::emit_graph(*p, format == "mermaid" ? kfpp::GraphFormat::mermaid
                                                                       : kfpp::GraphFormat::dot));
}

int cmd_inspect(const std::string& file, const ReadFlags& flags) {
  int rc = kOk;
  auto p = load_for("inspect", file, flags, rc);
  if (!p) return rc;
  return write_output("", kfpp::cli::inspect_text(*p));
}

}  // namespace

int kfpp::cli::run(int argc, char** argv) {
  CLI::App app{
      "kfpp: validate, convert, draw, inspect and run Kubeflow Pipelines IR (here or on a KFP "
      "backend); validate Argo workflows",
      "kfpp"};
  app.set_version_flag("--version", std::string("kfpp ") + kfpp::version_string);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success, 1 an input is invalid or cannot be converted, or the KFP API refused "
      "or "
      "failed, or the run did not succeed, 2 bad usage or an unreadable file.");
  ReadFlags read_flags;

  auto* validate = app.add_subcommand(
      "validate",
      "Check KFP IR (pipelines and components) or Argo workflows; the kind is detected");
  std::vector<std::string> validate_files;
  bool quiet = false;
  validate->add_option("FILE", validate_files, "files to check")->required();
  validate->add_flag("-q,--quiet", quiet, "print only problems");
  validate->add_flag("--lenient", read_flags.lenient,
                     "skip unknown keys of KFP IR with a warning instead of failing");

  auto* convert =
      app.add_subcommand("convert", "Compile KFP IR to an Argo resource (or to KFP IR)");
  std::string convert_file;
  ConvertFlags cf;
  convert->add_option("FILE", convert_file, "the KFP IR file")->required();
  convert->add_option("--to", cf.to, "the target: argo (default) or kfp (the IR rewritten)")
      ->check(CLI::IsMember({"argo", "kfp"}));
  convert->add_option("-o,--output", cf.output, "write here (default: standard output)");
  convert->add_option("--kind", cf.kind, "Argo: workflow (default), template or cron")
      ->check(CLI::IsMember({"workflow", "template", "cron"}));
  convert->add_option("--name", cf.argo.name, "Argo: metadata.name (default: generateName)");
  convert->add_option("--namespace", cf.argo.namespace_, "Argo: metadata.namespace");
  convert->add_option("--service-account", cf.argo.service_account,
                      "Argo: the pods' service account");
  convert->add_option("--schedule", cf.argo.cron.schedules, "Argo cron: a schedule (repeatable)");
  convert->add_option("--timezone", cf.argo.cron.timezone, "Argo cron: the schedules' time zone");
  convert->add_option("--concurrency-policy", cf.argo.cron.concurrency_policy,
                      "Argo cron: Allow, Forbid or Replace");
  convert->add_option(
      "--max-bytes", cf.argo.max_object_bytes,
      "Argo: the largest resource to write (default 1572864, etcd's limit; 0: any)");
  convert->add_option("--artifact-repository", cf.argo.artifact_repository_config_map,
                      "Argo: the config map of the artifact repository to use");
  convert->add_flag("--lenient", read_flags.lenient, "skip unknown keys with a warning");

  auto* graph = app.add_subcommand("graph", "Draw the task graph of KFP IR");
  std::string graph_file;
  std::string graph_format = "dot";
  std::string graph_output;
  graph->add_option("FILE", graph_file, "the KFP IR file")->required();
  graph->add_option("--format", graph_format, "dot (Graphviz, default) or mermaid")
      ->check(CLI::IsMember({"dot", "mermaid"}));
  graph->add_option("-o,--output", graph_output, "write here (default: standard output)");
  graph->add_flag("--lenient", read_flags.lenient, "skip unknown keys with a warning");

  auto* inspect = app.add_subcommand(
      "inspect", "Summarize KFP IR: tasks, parameters, images, resources, GPUs, volumes, secrets");
  std::string inspect_file;
  inspect->add_option("FILE", inspect_file, "the KFP IR file")->required();
  inspect->add_flag("--lenient", read_flags.lenient, "skip unknown keys with a warning");

  for (auto* sub : {validate, convert, graph, inspect})
    sub->add_option("--max-input-mib", read_flags.max_input_mib,
                    "refuse inputs larger than this many MiB (default 256)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));

  // `kfpp run FILE` runs here unless a KFP backend is named (the remote commands decide).
  kfpp::cli::RunFlags run_flags;
  kfpp::cli::RemoteCommands remote(
      app,
      [&run_flags](const std::string& file, const std::vector<std::string>& params, bool json) {
        run_flags.file = file;
        run_flags.parameters = params;
        run_flags.output = json ? "json" : "table";
        return kfpp::cli::run_command(run_flags);
      });
  kfpp::cli::add_local_run_options(remote.run_command(), run_flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  if (validate->parsed()) return cmd_validate(validate_files, read_flags, quiet);
  if (convert->parsed()) return cmd_convert(convert_file, cf, read_flags);
  if (graph->parsed()) return cmd_graph(graph_file, graph_format, graph_output, read_flags);
  if (inspect->parsed()) return cmd_inspect(inspect_file, read_flags);
  if (auto rc = remote.run()) return *rc;
  return kUsage;
}

#ifndef KFPP_CLI_NO_MAIN
int main(int argc, char** argv) {
  // Whatever happens inside, the process answers with a message and an exit code.
  try {
    return kfpp::cli::run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs(
        "kfpp: [kfpp.out_of_memory] the input needs more memory than there is (give a "
        "smaller input)\n",
        stderr);
    return kInvalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kfpp: %s\n", e.what());
    return kInvalid;
  }
}
#endif
