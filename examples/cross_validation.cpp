// SPDX-License-Identifier: Apache-2.0
// cross_validation: k-fold cross-validation, one parallel task per fold, then the mean score.
//
//   split-folds(k) ──> for-loop-1 over folds
//                        └── train-fold(fold, data) ──> score
//                  ──> average(Collected(score)) ──> mean_score
#include <kfpp/kfpp.hpp>

using kfpp::Channel;
using kfpp::Component;
using kfpp::Dataset;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline cross_validation() {
  auto split = Component<Ports<Port<"k", int>, Port<"uri", std::string>>,
                         Ports<Port<"data", Dataset>, Port<"folds", std::vector<int>>>>::
      python(
          "split_folds",
          R"(def split_folds(k: int, uri: str, data: Output[Dataset]) -> NamedTuple('Outputs', [('folds', list)]):
    import urllib.request
    urllib.request.urlretrieve(uri, data.path)
    from collections import namedtuple
    return namedtuple('Outputs', ['folds'])(list(range(k)))
)");
  auto train_fold = Component<Ports<Port<"data", Dataset>, Port<"fold", int>>, double>::python(
                        "train_fold", R"(def train_fold(data: Input[Dataset], fold: int) -> float:
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    df = pd.read_csv(data.path)
    test = df.iloc[fold::5]
    train = df.drop(test.index)
    clf = LogisticRegression(max_iter=200).fit(train.iloc[:, :-1], train.iloc[:, -1])
    return float(clf.score(test.iloc[:, :-1], test.iloc[:, -1]))
)")
                        .packages({"pandas", "scikit-learn"});
  auto average = Component<Ports<Port<"scores", std::vector<double>>>, double>::python(
      "average", R"(def average(scores: list) -> float:
    return sum(scores) / len(scores)
)");

  kfpp::Pipeline p("cross-validation");
  auto k = p.param<int>("k", 5);
  auto uri = p.param<std::string>("data_uri");
  auto folds = p.add(split, in<"k"> = k, in<"uri"> = uri);
  Channel<double> score;
  kfpp::ParallelFor(p, folds.output<"folds">(), [&](Channel<int> fold) {
    score = p.add(train_fold, in<"data"> = folds.output<"data">(), in<"fold"> = fold).output();
  });
  auto mean = p.add(average, in<"scores"> = kfpp::Collected(score));
  p.output("mean_score", mean.output());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, cross_validation); }
#endif
