// SPDX-License-Identifier: Apache-2.0
// kserve_serving: train a scikit-learn classifier, then serve it on KServe. The serve step is a
// container component that writes an InferenceService manifest pointing at the trained model,
// applies it with kubectl, waits until the service is ready and outputs its URL.
//
//   train-classifier ──(model: a directory holding model.joblib)──> serve-model
//                                                                     ├─ manifest (the YAML applied)
//                                                                     └─ url
//
// KServe's scikit-learn server loads `model.joblib` from the directory that `storageUri` names,
// so the model artifact is a directory. The pipeline root must be storage that KServe can read
// (gs://, s3://, a PVC, https://); KFP's default MinIO URIs (minio://bucket/key) are written as
// s3://bucket/key, for which the predictor's service account needs the S3 endpoint and
// credentials (set `service_account`). `dry_run=true` writes the manifest without applying it.
// The step's own service account needs RBAC to create and get InferenceServices.
#include <kfpp/kfpp.hpp>

using kfpp::Component;
using kfpp::in;
using kfpp::Model;
using kfpp::Port;
using kfpp::Ports;

namespace {

// $0 is the step's name; $1… are the arguments below, in order.
constexpr const char* kServeScript = R"sh(set -eu
uri=$1 name=$2 namespace=$3 account=$4 dry_run=$5 manifest=$6 url=$7
case "$uri" in
  minio://*) uri="s3://${uri#minio://}" ;;
esac
case "$name" in
  [a-z]*) ;;
  *) echo "serve-model: service_name '$name' must start with a lower-case letter" >&2; exit 2 ;;
esac
case "$name" in
  *[!a-z0-9-]* | *-)
    echo "serve-model: service_name '$name' must be lower-case letters, digits and '-'," \
         "ending with a letter or digit (a DNS-1035 label)" >&2
    exit 2 ;;
esac
if [ "${#name}" -gt 63 ]; then
  echo "serve-model: service_name '$name' is longer than 63 characters" >&2; exit 2
fi
case "$uri" in
  *'"'* | *'\'* | *'
'*) echo "serve-model: the model URI $uri cannot be written into the manifest" >&2; exit 2 ;;
esac
case "$uri" in
  gs://* | s3://* | pvc://* | https://* | http://* | hf://* | oci://*) ;;
  *)
    if [ "$dry_run" != true ]; then
      echo "serve-model: KServe cannot read the model at $uri; use a gs://, s3:// or PVC" \
           "pipeline root" >&2
      exit 2
    fi
    echo "serve-model: warning: KServe cannot read the model at $uri" >&2 ;;
esac
mkdir -p "$(dirname "$manifest")" "$(dirname "$url")"
{
  echo "apiVersion: serving.kserve.io/v1beta1"
  echo "kind: InferenceService"
  echo "metadata:"
  echo "  name: $name"
  if [ -n "$namespace" ]; then echo "  namespace: $namespace"; fi
  echo "  labels:"
  echo "    app.kubernetes.io/managed-by: kubeflow-pipelines"
  echo "spec:"
  echo "  predictor:"
  if [ -n "$account" ]; then echo "    serviceAccountName: $account"; fi
  echo "    model:"
  echo "      modelFormat:"
  echo "        name: sklearn"
  echo "      storageUri: \"$uri\""
} > "$manifest"
cat "$manifest"
if [ "$dry_run" = true ]; then
  echo "serve-model: dry run, the manifest is not applied"
  : > "$url"
  exit 0
fi
set -- "inferenceservice/$name"
if [ -n "$namespace" ]; then set -- "$@" --namespace "$namespace"; fi
kubectl apply -f "$manifest"
kubectl wait --for=condition=Ready --timeout=600s "$@"
kubectl get "$@" -o 'jsonpath={.status.url}' > "$url"
echo "serve-model: $name is ready at $(cat "$url")"
)sh";

}  // namespace

kfpp::Pipeline kserve_serving() {
  auto train =
      Component<Ports<Port<"data_path", std::string>>, Ports<Port<"model", Model>>>::python(
          "train_classifier", R"(def train_classifier(data_path: str, model: Output[Model]):
    import os
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    df = pd.read_csv(data_path)
    clf = LogisticRegression(max_iter=200)
    clf.fit(df.iloc[:, :-1], df.iloc[:, -1])
    os.makedirs(model.path, exist_ok=True)
    joblib.dump(clf, os.path.join(model.path, 'model.joblib'))
    model.metadata['framework'] = 'scikit-learn'
)")
          .base_image("python:3.11")
          .packages({"pandas", "scikit-learn", "joblib"});

  using ServeIn =
      Ports<Port<"model", Model>, Port<"service_name", std::string>, Port<"namespace", std::string>,
            Port<"service_account", std::string>, Port<"dry_run", bool>>;
  using ServeOut = Ports<Port<"manifest", kfpp::Artifact>, Port<"url", std::string>>;
  auto serve =
      Component<ServeIn, ServeOut>::container("serve-model")
          .image("bitnami/kubectl:1.31")
          .command("sh", "-c", kServeScript)
          .args("serve-model", kfpp::uri_of<"model">, kfpp::value_of<"service_name">,
                kfpp::value_of<"namespace">, kfpp::value_of<"service_account">,
                kfpp::value_of<"dry_run">, kfpp::path_of<"manifest">, kfpp::path_of<"url">);

  kfpp::Pipeline p("kserve-serving");
  p.description("Train a scikit-learn classifier and serve it on KServe.");
  auto data_path = p.param<std::string>("data_path");
  auto service_name = p.param<std::string>("service_name", "iris-classifier");
  auto namespace_ = p.param<std::string>("namespace", "");
  auto account = p.param<std::string>("service_account", "");
  auto dry_run = p.param<bool>("dry_run", false);

  auto trained = p.add(train, in<"data_path"> = data_path);
  auto served =
      p.add(serve, in<"model"> = trained.output(), in<"service_name"> = service_name,
            in<"namespace"> = namespace_, in<"service_account"> = account, in<"dry_run"> = dry_run);
  served.display_name("Serve on KServe").cpu_limit("500m").memory_limit("256Mi");
  return p;
}

#ifndef KFPP_EXAMPLE_NO_MAIN
int main(int argc, char** argv) { return kfpp::run_main(argc, argv, kserve_serving); }
#endif
