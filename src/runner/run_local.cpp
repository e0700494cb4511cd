// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "ir/json_parse.hpp"
#include "ir/parameter_text.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"
#include "kfpp/runner/run.hpp"
#include "runner/engine.hpp"
#include "runner/process.hpp"

namespace kfpp {

namespace fs = std::filesystem;

const char* to_string(TaskState s) noexcept {
  switch (s) {
    case TaskState::pending:
      return "pending";
    case TaskState::running:
      return "running";
    case TaskState::succeeded:
      return "succeeded";
    case TaskState::failed:
      return "failed";
    case TaskState::skipped:
      return "skipped";
    case TaskState::cached:
      return "cached";
    case TaskState::cancelled:
      return "cancelled";
  }
  return "pending";
}

const TaskResult* RunResult::find(const std::string& path) const {
  for (const auto& t : tasks)
    if (t.path == path) return &t;
  return nullptr;
}

std::size_t RunResult::count(TaskState s) const {
  std::size_t n = 0;
  for (const auto& t : tasks)
    if (t.state == s) ++n;
  return n;
}

ir::Value parameter_from_text(const std::string& name, const std::string& text,
                              ir::ParameterType type) {
  detail::ParameterTextProblem problem;
  if (auto v = detail::parameter_value_of_text(text, type, problem)) return *std::move(v);
  throw Error(
      {"kfpp.bad_parameter_value", name,
       "'" + text + "' is not " + problem.expected + " (the parameter is " + to_string(type) + ")",
       problem.example});
}

namespace {

std::string utc_now(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string random_hex(std::size_t n) {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += kHex[rd() % 16];
  return s;
}

detail::Inputs root_inputs(const ir::Pipeline& p, const RunOptions& o) {
  detail::Inputs in;
  for (const auto& [name, value] : o.parameters) {
    const ir::ParameterSpec* spec = p.root.inputs.find_parameter(name);
    if (!spec) {
      std::string known;
      for (const auto& prm : p.root.inputs.parameters)
        known += (known.empty() ? "" : ", ") + prm.name;
      throw Error(
          {"kfpp.unknown_parameter", p.name + "/" + name,
           "the pipeline has no input parameter '" + name + "'",
           known.empty() ? "the pipeline takes no parameters" : "its parameters: " + known});
    }
    if (!ir::value_matches(value, spec->type))
      throw Error({"kfpp.bad_parameter_value", p.name + "/" + name,
                   "the value " + detail::backend_text(value) + " is not " + to_string(spec->type),
                   "give the parameter a value of its type"});
    in.parameters[name] = spec->type == ir::ParameterType::number_double && value.is_int()
                              ? ir::Value(value.as_double())
                              : value;
  }
  for (const auto& prm : p.root.inputs.parameters) {
    if (in.parameters.count(prm.name)) continue;
    if (prm.default_value) {
      in.parameters[prm.name] = *prm.default_value;
    } else if (!prm.is_optional) {
      throw Error({"kfpp.missing_parameter", p.name + "/" + prm.name,
                   "the pipeline's input parameter '" + prm.name + "' has no value",
                   "give it with -p " + prm.name + "=VALUE"});
    }
  }
  for (const auto& a : p.root.inputs.artifacts)
    if (!a.is_optional)
      throw Error({"kfpp.missing_parameter", p.name + "/" + a.name,
                   "the pipeline's input artifact '" + a.name + "' has no value",
                   "the local runner takes no input artifacts; import it with an importer"});
  return in;
}

}  // namespace

RunResult run_local(const ir::Pipeline& pipeline, const RunOptions& options) {
  ir::validate(pipeline);
  if (options.runner != RunnerKind::host) {
    const char* tool = options.runner == RunnerKind::docker ? "docker" : "podman";
    if (!detail::program_exists(tool))
      throw Error({"kfpp.runner_unavailable", tool, std::string(tool) + " is not installed",
                   "install it, or run with --runner host"});
    detail::ProcessSpec info{
        {tool, "info"}, detail::current_environment(), "", "/dev/null", 30, nullptr, {}};
    if (!detail::run_process(info).ok())
      throw Error({"kfpp.runner_unavailable", tool,
                   std::string(tool) + " is installed but cannot run containers (`" + tool +
                       " info` fails)",
                   "start its service, or run with --runner host"});
  }
  detail::Inputs inputs = root_inputs(pipeline, options);

  RunResult result;
  result.pipeline = pipeline.name;
  result.run_id = options.run_id.empty()
                      ? pipeline.name + "-" + utc_now("%Y%m%d-%H%M%S") + "-" + random_hex(4)
                      : options.run_id;
  std::string work = options.work_dir.empty() ? ".kfpp" : options.work_dir;
  std::error_code ec;
  fs::create_directories(work, ec);
  if (ec)
    throw Error({"kfpp.io", work, "cannot create the work dir: " + ec.message(),
                 "choose a writable --work-dir"});
  work = fs::absolute(work).lexically_normal().string();
  result.run_dir = work + "/" + result.run_id;
  if (fs::exists(result.run_dir, ec))
    throw Error({"kfpp.io", result.run_dir, "a run with this name exists already",
                 "give another run name, or remove the folder"});
  fs::create_directories(result.run_dir + "/tasks", ec);
  if (ec)
    throw Error({"kfpp.io", result.run_dir, "cannot create the run's folder: " + ec.message(),
                 "choose a writable --work-dir"});

  detail::Engine engine(pipeline, options, result);
  engine.run_uuid_ = random_hex(8) + "-" + random_hex(4) + "-4" + random_hex(3) + "-a" +
                     random_hex(3) + "-" + random_hex(12);
  engine.created_at_ = utc_now("%Y-%m-%dT%H:%M:%SZ");
  engine.base_env_ = detail::current_environment();
  engine.cache_dir_ = options.cache_dir.empty() ? work + "/cache" : options.cache_dir;
  fs::create_directories(engine.cache_dir_, ec);
  engine.run(inputs);
  write_file_atomically(result.run_dir + "/run.json", run_record_json(result));
  return result;
}

}  // namespace kfpp
