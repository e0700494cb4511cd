// SPDX-License-Identifier: Apache-2.0
// The seed's flow on a KFP backend: the flagship pipeline (ml_training_pipeline.cpp) uploaded,
// run with parameters in an experiment, waited for with its progress, and scheduled nightly.
//
//   experiment "iris" ── run "iris-once" (data_path, accuracy_threshold) ── wait ── SUCCEEDED
//                     └─ recurring run "iris-nightly", every day at 03:00
//
// The connection comes from the environment, as kfp.Client reads it: KF_PIPELINES_ENDPOINT, and
// a token in KF_PIPELINES_SA_TOKEN_PATH (or the pod's projected token). Exits 0 when the run
// succeeded.
#include <kfpp/client/client.hpp>
#include <kfpp/kfpp.hpp>

#include <chrono>
#include <cstdio>
#include <string>

kfpp::Pipeline ml_training_pipeline();

int main() {
  try {
    kfpp::ClientOptions options = kfpp::ClientOptions::from_environment();
    kfpp::Client client(options);

    kfpp::Experiment experiment = client.ensure_experiment("iris", "the iris classifier");
    kfpp::PipelineInfo uploaded =
        kfpp::upload_pipeline(client, ml_training_pipeline(), {.name = "iris-training"});

    kfpp::RunRequest once{
        .display_name = "iris-once",
        .experiment_id = experiment.id,
        .pipeline = {.pipeline_id = uploaded.id},
        .parameters = {{"data_path", "gs://my-bucket/iris.csv"}, {"accuracy_threshold", 0.9}},
    };
    kfpp::Run run = client.create_run(once);
    std::printf("run %s: %s\n", run.id.c_str(), client.run_url(run.id).c_str());

    kfpp::WaitOptions wait{.timeout = std::chrono::hours(2),
                           .poll_interval = std::chrono::seconds(2)};
    wait.on_progress = [](const kfpp::Run& now) {
      std::printf("  %s\n", std::string(kfpp::to_string(now.state)).c_str());
    };
    run = client.wait_for_run(run.id, wait);

    kfpp::RecurringRunRequest nightly{
        .run = {.display_name = "iris-nightly",
                .experiment_id = experiment.id,
                .pipeline = {.pipeline_id = uploaded.id},
                .parameters = {{"data_path", "gs://my-bucket/iris.csv"}}},
        .cron = "0 0 3 * * *",  // seconds first: every day at 03:00
        .max_concurrency = 1,
        .no_catchup = true,
    };
    kfpp::RecurringRun scheduled = client.create_recurring_run(nightly);
    std::printf("recurring run %s: %s\n", scheduled.id.c_str(), scheduled.cron.c_str());
    return run.state == kfpp::RunState::succeeded ? 0 : 1;
  } catch (const kfpp::ApiError& e) {
    std::fprintf(stderr, "seed_flow: %s\n", e.what());
    return 1;
  }
}
