// SPDX-License-Identifier: Apache-2.0
// hyperparameter_search: train one model per parameter set, in parallel, then pick the best.
//
//   load-data ──> for-loop-2 over [{lr, depth}, ...] (3 at a time)
//                   └── train(lr, depth) ──> (model, score)
//             ──> select-best(Collected(model), Collected(score)) ──> best_model
#include <kfpp/kfpp.hpp>

using kfpp::Channel;
using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Json;
using kfpp::Model;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline hyperparameter_search() {
  auto load = Component<Ports<Port<"uri", std::string>>, Ports<Port<"data", Dataset>>>::container(
                  "load-data")
                  .image("registry.example.com/ml/loader:1.4")
                  .command("load")
                  .args("--from", kfpp::value_of<"uri">, "--to", kfpp::path_of<"data">);
  auto train = Component<Ports<Port<"data", Dataset>, Port<"learning_rate", std::string>,
                               Port<"max_depth", std::string>>,
                         Ports<Port<"model", Model>, Port<"score", double>>>::container("train")
                   .image("registry.example.com/ml/trainer:2.0")
                   .command("train")
                   .args("--data", kfpp::path_of<"data">, "--lr", kfpp::value_of<"learning_rate">,
                         "--depth", kfpp::value_of<"max_depth">, "--model", kfpp::path_of<"model">,
                         "--score", kfpp::path_of<"score">);
  auto select_best =
      Component<Ports<Port<"models", std::vector<Model>>, Port<"scores", std::vector<double>>>,
                Ports<Port<"best", Model>>>::container("select-best")
          .image("registry.example.com/ml/selector:1.0")
          .command("select-best")
          .args("--scores", kfpp::value_of<"scores">, "--inputs", kfpp::executor_input, "--best",
                kfpp::path_of<"best">);

  kfpp::Pipeline p("hyperparameter-search");
  p.description("Trains one model per parameter set and keeps the best.");
  auto uri = p.param<std::string>("data_uri", "gs://example-bucket/iris.csv");
  auto data = p.add(load, in<"uri"> = uri).output();

  const std::vector<Json> grid = {
      Json::object({{"learning_rate", "0.1"}, {"max_depth", "3"}}),
      Json::object({{"learning_rate", "0.05"}, {"max_depth", "5"}}),
      Json::object({{"learning_rate", "0.01"}, {"max_depth", "8"}}),
  };
  Channel<Model> model;
  Channel<double> score;
  kfpp::ParallelFor(p, grid, {.parallelism = 3}, [&](Channel<Json> params) {
    auto t = p.add(train, in<"data"> = data,
                   in<"learning_rate"> = params.field<std::string>("learning_rate"),
                   in<"max_depth"> = params.field<std::string>("max_depth"));
    model = t.output<"model">();
    score = t.output<"score">();
  });
  auto best = p.add(select_best, in<"models"> = kfpp::Collected(model),
                    in<"scores"> = kfpp::Collected(score));
  p.output("best_model", best.output());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, hyperparameter_search); }
#endif
