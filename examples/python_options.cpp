// SPDX-License-Identifier: Apache-2.0
// python_options: the ways a Python component gets what it runs with. `count_words` installs a
// package from a private index (trusted by host name) and the KFP runtime into a virtual
// environment; `report` runs in an image that already has the runtime; `train` is containerized:
// its image holds the function itself, and the IR carries no source.
//
//   count_words (private index, venv)
//     ├─> report (runtime in the image)
//     └─> train (target image gcr.io/my-project/train:v1)
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Port;
using kfpp::Ports;

kfpp::Pipeline python_options() {
  auto count_words =
      Component<Ports<Port<"text", std::string>>, int>::python("count_words",
                                                               R"(def count_words(text: str) -> int:
    return len(text.split())
)")
          .base_image("python:3.11")
          .packages({"regex"})
          .pip_index_urls({"https://pypi.internal.example/simple", "https://pypi.org/simple"})
          .pip_trusted_hosts({"pypi.internal.example"})
          .use_venv();

  auto report =
      Component<Ports<Port<"count", int>, Port<"label", std::optional<std::string>>>,
                std::string>::python("report",
                                     R"(def report(count: int, label: str = 'words') -> str:
    return f'{count} {label}'
)")
          .base_image("gcr.io/my-project/kfp-runtime:2.15.2")
          .install_kfp_package(false)
          .default_value<"label">("words");

  auto train = Component<Ports<Port<"count", int>>, Ports<Port<"model", kfpp::Model>>>::python(
                   "train", R"(def train(count: int, model: Output[Model]):
    with open(model.path, 'w') as f:
        f.write(str(count))
)")
                   .target_image("gcr.io/my-project/train:v1");

  kfpp::Pipeline p("python-options");
  auto text = p.param<std::string>("text", "to be or not to be");
  auto counted = p.add(count_words, in<"text"> = text);
  p.output("Output", p.add(report, in<"count"> = counted.output()).output());
  p.add(train, in<"count"> = counted.output());
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, python_options); }
#endif
