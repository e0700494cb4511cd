// SPDX-License-Identifier: Apache-2.0
// Glue between the DSL and the client: a `Pipeline` compiled and sent to a KFP backend.
#include "submit.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kfpp/client/client.hpp"
#include "kfpp/compile.hpp"

namespace kfpp {

PipelineInfo upload_pipeline(Client& client, const Pipeline& pipeline,
                             const UploadOptions& options) {
  return client.upload_pipeline(compile(pipeline), options);
}

PipelineVersion upload_pipeline_version(Client& client, const Pipeline& pipeline,
                                        const std::string& pipeline_id,
                                        const VersionOptions& options) {
  return client.upload_pipeline_version(compile(pipeline), pipeline_id, options);
}

Run create_run(Client& client, const Pipeline& pipeline, const RunRequest& request) {
  RunRequest r = request;
  r.pipeline = PipelineSource{.yaml = compile(pipeline)};
  return client.create_run(r);
}

}  // namespace kfpp

namespace kfpp::detail {

namespace {
double seconds_of(const char* text, bool& bad) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  bad = end == text || *end != '\0' || !(v > 0);
  return v;
}
}  // namespace

bool take_submit_flag(SubmitFlags& f, int argc, char** argv, int& i, bool& missing) {
  std::string a = argv[i];
  auto value = [&]() -> std::string {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s: %s needs a value\n", argv[0], a.c_str());
      missing = true;
      return {};
    }
    return argv[++i];
  };
  struct Text {
    const char* flag;
    std::string* target;
  };
  const Text texts[] = {{"--host", &f.host},
                        {"--token", &f.token},
                        {"--token-file", &f.token_file},
                        {"--cookies", &f.cookies},
                        {"--user-namespace", &f.namespace_},
                        {"--ca-bundle", &f.ca_bundle},
                        {"--experiment", &f.experiment},
                        {"--run-name", &f.run_name},
                        {"--pipeline-root", &f.pipeline_root},
                        {"--run-service-account", &f.service_account},
                        {"--caching", &f.caching}};
  if (a == "--submit") {
    f.submit = true;
    return true;
  }
  if (a == "--insecure") {
    f.insecure = true;
    return true;
  }
  if (a == "--wait") {
    f.wait = true;
    return true;
  }
  if (a == "-p" || a == "--param") {
    f.params.push_back(value());
    return true;
  }
  if (a == "--timeout" || a == "--poll") {
    std::string text = value();
    if (missing) return true;
    bool bad = false;
    double v = seconds_of(text.c_str(), bad);
    if (bad) {
      std::fprintf(stderr, "%s: %s needs a positive number of seconds, not '%s'\n", argv[0],
                   a.c_str(), text.c_str());
      missing = true;
    }
    (a == "--timeout" ? f.timeout : f.poll) = v;
    return true;
  }
  for (const auto& t : texts)
    if (a == t.flag) {
      *t.target = value();
      return true;
    }
  return false;
}

int submit(const char* prog, const ir::Pipeline& ir, const std::string& yaml,
           const SubmitFlags& f) {
  try {
    ClientOptions o = ClientOptions::from_environment();
    if (!f.host.empty()) o.host = f.host;
    if (!f.token.empty()) o.token = f.token;
    if (!f.token_file.empty()) o.token_file = f.token_file;
    o.cookies = f.cookies;
    o.namespace_ = f.namespace_;
    o.ca_bundle = f.ca_bundle;
    o.verify_tls = !f.insecure;
    Client client(o);
    RunRequest r;
    r.pipeline.yaml = yaml;
    r.parameters = parse_parameters(f.params, &ir.root.inputs);
    r.display_name = f.run_name.empty() ? ir.name : f.run_name;
    r.pipeline_root = f.pipeline_root;
    r.service_account = f.service_account;
    if (f.caching == "on") r.enable_caching = true;
    if (f.caching == "off") r.enable_caching = false;
    if (!f.caching.empty() && f.caching != "on" && f.caching != "off")
      throw ApiError({"kfpp.client_usage", "--caching", "'" + f.caching + "' is not on or off",
                      "give --caching on or --caching off"},
                     0);
    r.experiment_id = client.ensure_experiment(f.experiment.empty() ? "Default" : f.experiment).id;
    Run run = client.create_run(r);
    std::printf("run %s  %s  %s\n  %s\n", run.id.c_str(), std::string(to_string(run.state)).c_str(),
                run.display_name.c_str(), client.run_url(run.id).c_str());
    if (!f.wait) return 0;
    WaitOptions w;
    if (f.timeout > 0)
      w.timeout = std::chrono::milliseconds(static_cast<long long>(f.timeout * 1000));
    w.poll_interval = std::chrono::milliseconds(static_cast<long long>(f.poll * 1000));
    w.on_progress = [&](const Run& now) {
      std::fprintf(stderr, "%s: run %s: %s\n", prog, now.id.c_str(),
                   std::string(to_string(now.state)).c_str());
    };
    Run done = client.wait_for_run(run.id, w);
    std::printf("run %s: %s\n", done.id.c_str(), std::string(to_string(done.state)).c_str());
    if (done.error) std::printf("  error: %s\n", done.error->message.c_str());
    return done.state == RunState::succeeded ? 0 : 1;
  } catch (const ApiError& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
    return e.code() == "kfpp.client_usage" || e.code() == "kfpp.bad_parameter" ? 2 : 1;
  }
}

}  // namespace kfpp::detail
