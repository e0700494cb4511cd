// SPDX-License-Identifier: Apache-2.0
// importer: artifacts that already exist (a constant URI, and a URI given as a parameter)
// brought into the pipeline and consumed by container components.
//
//   importer ──> consume-dataset
//   model_uri ──> importer-2 ──> consume-model
#include <kfpp/kfpp.hpp>

using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline importer_pipeline() {
  auto consume_dataset =
      kfpp::Component<Ports<Port<"data", kfpp::Dataset>>>::container("consume-dataset")
          .image("alpine:3.19")
          .command("sh", "-c")
          .args(R"(head "$0"; echo "$1")", kfpp::path_of<"data">, kfpp::uri_of<"data">);
  auto consume_model =
      kfpp::Component<Ports<Port<"model", kfpp::Model>>>::container("consume-model")
          .image("alpine:3.19")
          .command("ls", "-l")
          .args(kfpp::path_of<"model">);

  kfpp::Pipeline p("pipeline-with-importer");
  auto model_uri = p.param<std::string>("model_uri", "gs://my-bucket/models/model-1");

  auto data = p.importer<kfpp::Dataset>(
      "gs://ml-pipeline-playground/shakespeare1.txt",
      {.reimport = false,
       .metadata = kfpp::Json::object({{"source", "shakespeare"}, {"lines", 100}})});
  p.add(consume_dataset, in<"data"> = data.output());

  auto model = p.importer<kfpp::Model>(model_uri, {.reimport = true});
  p.add(consume_model, in<"model"> = model.output());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, importer_pipeline); }
#endif
