// SPDX-License-Identifier: Apache-2.0
// ml_training_pipeline: load -> preprocess -> train -> evaluate -> deploy if accuracy is high
// enough. Lightweight Python components passing datasets and a model as artifacts.
//
//   load-data ──> preprocess-data ──┬──> train-model ──┬──> evaluate-model
//                                   └──────────────────┼──────┘     │ accuracy
//                                                      │            v
//                                                      └──> condition-1 (accuracy >= threshold)
//                                                                └── deploy-model
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Model;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline ml_training_pipeline() {
  auto load_data =
      Component<Ports<Port<"data_path", std::string>>, Ports<Port<"dataset", Dataset>>>::python(
          "load_data", R"(def load_data(data_path: str, dataset: Output[Dataset]):
    import pandas as pd
    df = pd.read_csv(data_path)
    df.to_csv(dataset.path, index=False)
)")
          .base_image("python:3.9")
          .packages({"pandas"});

  auto preprocess_data =
      Component<Ports<Port<"input_data", Dataset>>,
                Ports<Port<"train_data", Dataset>, Port<"test_data", Dataset>>>::
          python("preprocess_data",
                 R"(def preprocess_data(input_data: Input[Dataset], train_data: Output[Dataset],
                    test_data: Output[Dataset]):
    import pandas as pd
    from sklearn.model_selection import train_test_split
    df = pd.read_csv(input_data.path)
    train, test = train_test_split(df, test_size=0.2, random_state=42)
    train.to_csv(train_data.path, index=False)
    test.to_csv(test_data.path, index=False)
)")
              .base_image("python:3.9")
              .packages({"pandas", "scikit-learn"});

  auto train_model =
      Component<Ports<Port<"train_data", Dataset>, Port<"test_data", Dataset>>,
                Ports<Port<"model", Model>>>::
          python("train_model",
                 R"(def train_model(train_data: Input[Dataset], test_data: Input[Dataset],
                model: Output[Model]):
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    train = pd.read_csv(train_data.path)
    clf = LogisticRegression(max_iter=200)
    clf.fit(train.iloc[:, :-1], train.iloc[:, -1])
    joblib.dump(clf, model.path)
    model.metadata['framework'] = 'scikit-learn'
)")
              .base_image("python:3.9")
              .packages({"pandas", "scikit-learn", "joblib"});

  auto evaluate_model =
      Component<Ports<Port<"model", Model>, Port<"test_data", Dataset>>,
                Ports<Port<"accuracy", double>>>::
          python("evaluate_model",
                 R"(def evaluate_model(model: Input[Model], test_data: Input[Dataset]
                   ) -> NamedTuple('Outputs', [('accuracy', float)]):
    import joblib
    import pandas as pd
    from collections import namedtuple
    clf = joblib.load(model.path)
    test = pd.read_csv(test_data.path)
    acc = float(clf.score(test.iloc[:, :-1], test.iloc[:, -1]))
    return namedtuple('Outputs', ['accuracy'])(acc)
)")
              .base_image("python:3.9")
              .packages({"pandas", "scikit-learn", "joblib"});

  auto deploy_model =
      Component<Ports<Port<"model", Model>, Port<"model_name", std::string>>>::python(
          "deploy_model", R"(def deploy_model(model: Input[Model], model_name: str):
    print(f'Deploying {model_name} from {model.uri}')
)")
          .base_image("python:3.9");

  kfpp::Pipeline p("ml-training-pipeline");
  p.description("Load, preprocess, train, evaluate and conditionally deploy.");
  auto data_path = p.param<std::string>("data_path");
  auto model_name = p.param<std::string>("model_name", "iris-model");
  auto accuracy_threshold = p.param<double>("accuracy_threshold", 0.85);

  auto load = p.add(load_data, in<"data_path"> = data_path);
  auto prep = p.add(preprocess_data, in<"input_data"> = load.output());
  auto train = p.add(train_model, in<"train_data"> = prep.output<"train_data">(),
                     in<"test_data"> = prep.output<"test_data">());
  auto eval = p.add(evaluate_model, in<"model"> = train.output(),
                    in<"test_data"> = prep.output<"test_data">());
  kfpp::Condition(p, eval.output() >= accuracy_threshold, [&] {
    p.add(deploy_model, in<"model"> = train.output(), in<"model_name"> = model_name);
  });
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, ml_training_pipeline); }
#endif
