// SPDX-License-Identifier: Apache-2.0
#include "runner/leaf.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "compiler/argo_launcher.hpp"
#include "ir/json_parse.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "runner/container.hpp"
#include "runner/placeholders.hpp"
#include "runner/process.hpp"
#include "runner/python_component.hpp"

namespace kfpp::detail {

namespace fs = std::filesystem;

namespace {

std::string task_folder(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '[')
      out += '/';
    else if (c != ']')
      out += c;
  }
  return out;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  out = s.str();
  return true;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw Error({"kfpp.io", path, "cannot write the file", "check the work dir"});
}

void append_log(const std::string& log, const std::string& line) {
  std::ofstream f(log, std::ios::app);
  f << "kfpp: " << line << "\n";
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\n')) ++start;
  return s.substr(start);
}

// The typed value of an output parameter's file text, or an error.
std::optional<ir::Value> typed_output(const std::string& text, ir::ParameterType type,
                                      std::string& why) {
  using T = ir::ParameterType;
  if (type == T::string) return ir::Value(text);
  std::string s = trim(text);
  switch (type) {
    case T::number_integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return ir::Value(n);
      char* e = nullptr;
      double d = std::strtod(s.c_str(), &e);
      if (!s.empty() && e == s.c_str() + s.size() && std::floor(d) == d && std::fabs(d) < 9e18)
        return ir::Value(static_cast<std::int64_t>(d));
      why = "'" + s.substr(0, 40) + "' is not an integer";
      return std::nullopt;
    }
    case T::number_double: {
      char* e = nullptr;
      double d = std::strtod(s.c_str(), &e);
      if (!s.empty() && e == s.c_str() + s.size()) return ir::Value(d);
      why = "'" + s.substr(0, 40) + "' is not a number";
      return std::nullopt;
    }
    case T::boolean: {
      std::string l;
      for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (l == "true" || l == "1") return ir::Value(true);
      if (l == "false" || l == "0") return ir::Value(false);
      why = "'" + s.substr(0, 40) + "' is not a boolean";
      return std::nullopt;
    }
    default: {
      std::optional<ir::Value> v = parse_json(s, &why);
      if (!v) return std::nullopt;
      if (type == T::list && !v->is_array()) {
        why = "the value is not a JSON list";
        return std::nullopt;
      }
      if (type == T::structure && !v->is_object()) {
        why = "the value is not a JSON object";
        return std::nullopt;
      }
      return v;
    }
  }
}

OutputPaths output_paths(const ir::Component& comp, const std::string& dir) {
  OutputPaths p;
  for (const auto& prm : comp.outputs.parameters)
    p.parameter_files[prm.name] = dir + "/outputs/parameters/" + prm.name;
  for (const auto& a : comp.outputs.artifacts) {
    ArtifactResult r;
    r.name = a.name;
    r.schema_title = a.type.schema_title;
    r.path = dir + "/outputs/artifacts/" + a.name;
    r.uri = "file://" + r.path;
    p.artifacts[a.name] = r;
  }
  p.executor_output = dir + "/outputs/executor_output.json";
  return p;
}

void prepare_outputs(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir + "/outputs", ec);
  fs::create_directories(dir + "/outputs/parameters");
  fs::create_directories(dir + "/outputs/artifacts");
}

// Reads what the task wrote: the executor output file first (as the KFP launcher does), then
// each output parameter's file. Returns an error text, empty on success.
std::string collect(const ir::Component& comp, const OutputPaths& paths, Outputs& out) {
  out = Outputs{};
  std::string text;
  ir::Value::Object reported;
  ir::Value::Object reported_artifacts;
  if (read_file(paths.executor_output, text)) {
    std::string why;
    std::optional<ir::Value> v = parse_json(text, &why);
    if (!v || !v->is_object())
      return "its executor output " + paths.executor_output + " is not a JSON object";
    const auto& o = v->as_object();
    if (auto it = o.find("parameterValues"); it != o.end() && it->second.is_object())
      reported = it->second.as_object();
    if (auto it = o.find("artifacts"); it != o.end() && it->second.is_object())
      reported_artifacts = it->second.as_object();
  }
  for (const auto& prm : comp.outputs.parameters) {
    if (auto it = reported.find(prm.name); it != reported.end()) {
      out.parameters[prm.name] = it->second;
      continue;
    }
    const std::string& file = paths.parameter_files.at(prm.name);
    if (!read_file(file, text))
      return "it did not write its output parameter '" + prm.name + "' (to " + file + ")";
    std::string why;
    std::optional<ir::Value> v = typed_output(text, prm.type, why);
    if (!v)
      return "its output parameter '" + prm.name + "' is not a " + to_string(prm.type) + ": " + why;
    out.parameters[prm.name] = std::move(*v);
  }
  for (const auto& a : comp.outputs.artifacts) {
    ArtifactResult r = paths.artifacts.at(a.name);
    if (auto it = reported_artifacts.find(a.name); it != reported_artifacts.end()) {
      // {"artifacts": [{"metadata": {...}}]}
      const ir::Value& list = it->second;
      if (list.is_object() && list.as_object().count("artifacts")) {
        const ir::Value& items = list.as_object().at("artifacts");
        if (items.is_array() && !items.as_array().empty() && items.as_array()[0].is_object()) {
          const auto& first = items.as_array()[0].as_object();
          if (auto m = first.find("metadata"); m != first.end() && m->second.is_object())
            r.metadata = m->second;
        }
      }
    } else if (a.type.schema_title == "system.Metrics" ||
               a.type.schema_title == "system.ClassificationMetrics") {
      // kfpp's launcher writes a metrics artifact's metadata as its content.
      if (read_file(r.path, text))
        if (auto v = parse_json(text, nullptr); v && v->is_object()) r.metadata = *v;
    }
    out.artifacts[a.name] = {std::move(r)};
  }
  return {};
}

double duration_seconds(const std::string& d) {
  if (d.empty()) return 0;
  return std::strtod(d.c_str(), nullptr);  // `10s`
}

void append_arg_text(std::string& out, const std::vector<ir::Arg>& args) {
  for (const auto& a : args) {
    out += std::to_string(static_cast<int>(a.kind)) + ":" + a.text + "|" + a.input_name + "(";
    append_arg_text(out, a.items);
    out += ")(";
    append_arg_text(out, a.otherwise);
    out += ")";
  }
}

// The task's cache key: what it runs and everything it reads.
std::string fingerprint(const ir::Task& t, const ir::Component& comp, const ir::ContainerSpec& c,
                        const Inputs& in) {
  std::string s = "kfpp-cache-1\nimage=" + c.image + "\n";
  append_arg_text(s, c.command);
  s += "\n";
  append_arg_text(s, c.args);
  s += "\n";
  if (c.python) s += "python=" + c.python->function_name + "\n" + c.python->source + "\n";
  for (const auto& e : c.env) s += "env=" + e.name + "=" + e.value + "\n";
  for (const auto& o : comp.outputs.parameters)
    s += std::string("out=") + o.name + ":" + to_string(o.type) + "\n";
  for (const auto& o : comp.outputs.artifacts)
    s += "outa=" + o.name + ":" + o.type.schema_title + "\n";
  if (!t.cache_key.empty()) {
    s += "key=" + t.cache_key + "\n";
  } else {
    for (const auto& [name, v] : in.parameters) s += "in=" + name + "=" + backend_json(v) + "\n";
    for (const auto& [name, list] : in.artifacts)
      for (const auto& a : list) s += "ina=" + name + "=" + hash_path(a.path) + "\n";
  }
  return hash_text(s);
}

bool cache_restore(const std::string& entry, const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(entry + "/done", ec)) return false;
  fs::remove_all(dir + "/outputs", ec);
  fs::copy(entry + "/outputs", dir + "/outputs", fs::copy_options::recursive, ec);
  return !ec;
}

void cache_store(const std::string& entry, const std::string& dir, const std::string& run_id) {
  std::error_code ec;
  if (fs::exists(entry + "/done", ec)) return;
  std::string tmp = entry + ".tmp-" + run_id + "-" + std::to_string(std::hash<std::string>{}(dir));
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  fs::copy(dir + "/outputs", tmp + "/outputs", fs::copy_options::recursive, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    return;
  }
  write_file(tmp + "/done", run_id + "\n");
  fs::rename(tmp, entry, ec);
  if (ec) fs::remove_all(tmp, ec);
}

}  // namespace

void Engine::run_leaf(const ir::Task& t, const ir::Component& comp, const Inputs& in,
                      std::size_t record, const Resolver& resolve, Outcome& out) {
  std::string path;
  update(record, [&](TaskResult& r) { path = r.path; });
  const ir::Executor* exec = pipeline_.find_executor(comp.executor_label);
  auto fail = [&](std::string why) {
    out.state = TaskState::failed;
    out.error = std::move(why);
  };
  if (!exec) return fail("executor '" + comp.executor_label + "' is not defined");
  const std::string dir = result_.run_dir + "/tasks/" + task_folder(path);
  fs::create_directories(dir);
  const std::string log = dir + "/log.txt";
  write_file(log, "");
  update(record, [&](TaskResult& r) { r.log_path = log; });

  if (exec->importer) {
    const ir::ImporterSpec& imp = *exec->importer;
    std::string uri = imp.uri_constant;
    if (!imp.uri_parameter.empty()) {
      auto it = in.parameters.find(imp.uri_parameter);
      if (it == in.parameters.end()) return fail("the importer's URI parameter has no value");
      uri = backend_text(it->second);
    }
    std::string local = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
    if (local.find("://") != std::string::npos)
      return fail("the importer's URI " + uri +
                  " is remote; the local runner imports local paths and file:// URIs");
    std::error_code ec;
    if (!fs::exists(local, ec)) return fail("the importer's file " + local + " does not exist");
    ArtifactResult a;
    a.name = "artifact";
    a.schema_title = imp.type.schema_title;
    a.path = fs::absolute(local).string();
    a.uri = "file://" + a.path;
    if (imp.metadata) a.metadata = fill_metadata(*imp.metadata, in.parameters);
    append_log(log, "imported " + a.uri);
    out.outputs.artifacts["artifact"] = {a};
    out.state = TaskState::succeeded;
    return;
  }
  const ir::ContainerSpec& c = *exec->container;
  if (c.image == "argostub/createpvc" || c.image == "argostub/deletepvc") {
    auto text = [&](const char* n) {
      auto it = in.parameters.find(n);
      return it == in.parameters.end() ? std::string() : backend_text(it->second);
    };
    if (c.image == "argostub/createpvc") {
      std::string name = text("pvc_name");
      if (name.empty()) name = result_.run_id + "-" + text("pvc_name_suffix");
      fs::create_directories(volume_dir(*this, name));
      append_log(log, "created the volume claim " + name + " as " + volume_dir(*this, name));
      out.outputs.parameters["name"] = ir::Value(name);
    } else {
      std::string name = text("pvc_name");
      std::error_code ec;
      fs::remove_all(volume_dir(*this, name), ec);
      append_log(log, "deleted the volume claim " + name);
    }
    out.state = TaskState::succeeded;
    return;
  }

  PlatformSetup setup = platform_setup(*this, *exec, resolve, path, dir);
  update(record, [&](TaskResult& r) { r.not_applied = setup.not_applied; });
  if (!setup.error.empty()) return fail(setup.error);

  const OutputPaths paths = output_paths(comp, dir);
  std::vector<std::string> argv;
  std::optional<PythonComponent> py = python_component(c);
  auto pipeline_text = [&](const std::string& s) { return pipeline_placeholders(s, t.name); };
  if (py) {
    write_file(dir + "/kfpp_launcher.py", argo_python_launcher_source());
    write_file(dir + "/kfpp_component.py", py->module);
    argv = {options_.python, dir + "/kfpp_launcher.py", dir + "/kfpp_component.py", "--function",
            py->function_name};
    for (const auto& prm : comp.inputs.parameters) {
      auto it = in.parameters.find(prm.name);
      if (it == in.parameters.end()) continue;
      argv.insert(argv.end(), {"--param", prm.name, to_string(prm.type), backend_text(it->second)});
    }
    for (const auto& a : comp.inputs.artifacts) {
      auto it = in.artifacts.find(a.name);
      if (it == in.artifacts.end() || it->second.empty()) continue;
      if (a.is_list) {
        const std::string list_dir = dir + "/inputs/" + a.name;
        std::error_code ec;
        fs::remove_all(list_dir, ec);
        fs::create_directories(list_dir);
        for (std::size_t i = 0; i < it->second.size(); ++i) {
          char name[24];
          std::snprintf(name, sizeof name, "%06zu", i);
          fs::create_symlink(it->second[i].path, list_dir + "/" + name, ec);
        }
        argv.insert(argv.end(), {"--artifact-list", a.name, list_dir});
      } else {
        argv.insert(argv.end(), {"--artifact", a.name, it->second.front().path});
        if (const ir::Value& md = it->second.front().metadata;
            md.is_object() && !md.as_object().empty())
          argv.insert(argv.end(), {"--artifact-metadata", a.name, backend_json(md)});
      }
    }
    for (const auto& prm : comp.outputs.parameters)
      argv.insert(argv.end(), {"--output-param", prm.name, to_string(prm.type),
                               paths.parameter_files.at(prm.name)});
    for (const auto& a : comp.outputs.artifacts)
      argv.insert(argv.end(), {"--output-artifact", a.name, paths.artifacts.at(a.name).path});
    argv.insert(argv.end(), {"--executor-output", paths.executor_output});
  } else {
    try {
      argv = resolve_args(c.command, comp, in, paths, pipeline_text);
      std::vector<std::string> args = resolve_args(c.args, comp, in, paths, pipeline_text);
      argv.insert(argv.end(), args.begin(), args.end());
    } catch (const Error& e) {
      return fail(e.what());
    }
    if (argv.empty())
      return fail(
          "the container has no command; the local runner cannot run an image's "
          "entrypoint on the host");
  }

  // The environment: this process's, then the container's, then the platform's.
  std::map<std::string, std::string> env;
  for (const auto& e : base_env_)
    if (auto eq = e.find('='); eq != std::string::npos) env[e.substr(0, eq)] = e.substr(eq + 1);
  for (const auto& e : c.env) env[e.name] = pipeline_text(e.value);
  for (const auto& [k, v] : setup.env) env[k] = v;
  env["PYTHONUNBUFFERED"] = "1";

  const bool use_cache = options_.cache && t.enable_cache.value_or(false);
  std::string fp;
  std::string entry;
  if (use_cache) {
    fp = fingerprint(t, comp, c, in);
    entry = cache_dir_ + "/" + fp;
    update(record, [&](TaskResult& r) { r.fingerprint = fp; });
    if (cache_restore(entry, dir)) {
      std::string err = collect(comp, paths, out.outputs);
      if (err.empty()) {
        std::string from;
        read_file(entry + "/done", from);
        append_log(log, "cache hit " + fp + " (outputs of run " + trim(from) + ")");
        out.state = TaskState::cached;
        return;
      }
    }
  }

  const bool in_container = options_.runner != RunnerKind::host;
  if (py && !py->packages.empty() && !in_container) {
    // Packages already importable are not downloaded again.
    std::vector<std::string> check = {options_.python, "-c",
                                      "import importlib.util, sys\n"
                                      "missing = [r for r, m in zip(sys.argv[1::2], "
                                      "sys.argv[2::2]) if importlib.util.find_spec(m) is None]\n"
                                      "print('\\n'.join(missing))\n"
                                      "sys.exit(1 if missing else 0)\n"};
    for (const auto& r : py->packages) {
      check.push_back(r);
      check.push_back(import_name(r));
    }
    std::vector<std::string> env_list;
    for (const auto& [k, v] : env) env_list.push_back(k + "=" + v);
    append_log(
        log, "checking that the packages are importable: " + [&] {
          std::string s;
          for (const auto& r : py->packages) s += (s.empty() ? "" : " ") + r;
          return s;
        }());
    ProcessOutcome found;
    {
      Slot slot(*this);
      found = run_process({check, env_list, dir, log, 60, options_.cancel, {}});
    }
    if (!found.ok()) {
      std::vector<std::string> pip = {options_.python, "-m",      "pip",
                                      "install",       "--quiet", "--no-warn-script-location"};
      pip.insert(pip.end(), py->pip_options.begin(), py->pip_options.end());
      pip.insert(pip.end(), py->packages.begin(), py->packages.end());
      append_log(log, "installing the packages that are not importable");
      ProcessOutcome installed;
      {
        Slot slot(*this);
        installed = run_process({pip, env_list, dir, log, 0, options_.cancel, {}});
      }
      if (!installed.ok())
        return fail("its packages are not importable and pip could not install them (" +
                    installed.describe() + "); see " + log);
    }
  }

  std::vector<std::string> env_list;
  for (const auto& [k, v] : env) env_list.push_back(k + "=" + v);
  ProcessSpec spec{argv, env_list, dir, log, setup.timeout_seconds, options_.cancel, setup.binds};
  std::string container_name;
  if (in_container) {
    // The task's own environment goes into the container; the tool gets this process's.
    std::vector<std::pair<std::string, std::string>> task_env;
    for (const auto& e : c.env) task_env.emplace_back(e.name, pipeline_text(e.value));
    task_env.insert(task_env.end(), setup.env.begin(), setup.env.end());
    task_env.emplace_back("PYTHONUNBUFFERED", "1");
    if (py) {
      argv[0] = "python3";
      if (!py->packages.empty()) argv = with_packages(py->packages, py->pip_options, argv);
    }
    container_name = "kfpp-" + hash_text(dir).substr(0, 16);
    const char* tool = options_.runner == RunnerKind::docker ? "docker" : "podman";
    std::string pull = exec->kubernetes ? exec->kubernetes->image_pull_policy : std::string();
    spec.argv = container_argv(tool, c.image, pull, result_.run_dir, dir, task_env, setup.binds,
                               argv, container_name);
    spec.binds.clear();
    spec.env = base_env_;
  }

  const std::int64_t retries = t.retry_policy ? t.retry_policy->max_retry_count : 0;
  double backoff = t.retry_policy ? duration_seconds(t.retry_policy->backoff_duration) : 0;
  const double factor = t.retry_policy ? t.retry_policy->backoff_factor : 2.0;
  const double backoff_max =
      t.retry_policy ? duration_seconds(t.retry_policy->backoff_max_duration) : 0;
  std::string last_error;
  for (std::int64_t attempt = 1; attempt <= retries + 1; ++attempt) {
    if (attempt > 1) {
      append_log(log, "attempt " + std::to_string(attempt) + " of " + std::to_string(retries + 1) +
                          " in " + go_float_text(backoff) + "s");
      auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(backoff);
      while (std::chrono::steady_clock::now() < until && !cancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      backoff = backoff_max > 0 ? std::min(backoff * factor, backoff_max) : backoff * factor;
    }
    if (cancelled()) {
      out.state = TaskState::cancelled;
      out.error = "the run was cancelled";
      return;
    }
    prepare_outputs(dir);
    update(record, [&](TaskResult& r) { r.attempts = static_cast<int>(attempt); });
    ProcessOutcome po;
    {
      Slot slot(*this);
      po = run_process(spec);
    }
    if (!container_name.empty() && !po.ok()) remove_container(spec.argv[0], container_name, log);
    if (po.cancelled) {
      out.state = TaskState::cancelled;
      out.error = "stopped by cancellation";
      return;
    }
    if (!po.ok()) {
      last_error = po.describe();
      if (!po.error.empty()) break;  // it cannot start: retrying will not help
      continue;
    }
    std::string err = collect(comp, paths, out.outputs);
    if (err.empty()) {
      out.state = TaskState::succeeded;
      if (use_cache) cache_store(entry, dir, result_.run_id);
      return;
    }
    last_error = err;
  }
  fail(last_error);
}

}  // namespace kfpp::detail
