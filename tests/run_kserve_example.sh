#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_kserve_example.sh KFPP PIPELINE_PROGRAM SCRIPTS_DIR WORK: the KServe serving example.
#  1. Runs it locally on the iris data with dry_run=true and checks the InferenceService manifest
#     it writes against what KServe's v1beta1 API accepts (apiVersion, kind, a DNS-1035 name, a
#     sklearn predictor whose storageUri is the trained model's URI), and that the model directory
#     holds a model.joblib that predicts iris classes, as KServe's scikit-learn server loads it.
#  2. Runs the serve step's own script from the IR with a KFP MinIO URI and a kubectl that records
#     what it is asked, and checks the manifest (s3:// URI, namespace, service account) and the
#     apply / wait / get sequence.
#  3. Checks that a service name KServe would reject fails the run with the reason, and that a
#     real (not dry) run refuses storage KServe cannot read.
# Skips (77) when Debian's pandas, scikit-learn and joblib are not installed.
set -u
kfpp=$1 program=$2 scripts=$3 work=$4
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! "$py" -c "import pandas, sklearn, joblib, yaml" 2>/dev/null; then
  echo "SKIPPED: $py cannot import pandas, sklearn, joblib and yaml (sh scripts/install-deps.sh)" >&2
  exit 77
fi
fail() { echo "FAILED: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
sh "$scripts/iris_csv.sh" "$py" "$work/iris.csv" || exit 1
"$program" -o "$work/kserve.yaml" || fail "the example did not compile"

# 1. A local dry run.
"$kfpp" run "$work/kserve.yaml" -p data_path="$work/iris.csv" -p dry_run=true --python "$py" \
  --work-dir "$work/runs" > "$work/table.txt" 2>&1 || { cat "$work/table.txt"; fail "kfpp run"; }
record=$(sed -n 's/^record: //p' "$work/table.txt")
[ -f "$record" ] || fail "no run record in: $(cat "$work/table.txt")"
"$py" - "$record" iris-classifier <<'EOF' || exit 1
import json, os, re, sys
import joblib, pandas, yaml
record, expected_name = sys.argv[1], sys.argv[2]
run = json.load(open(record))
tasks = {t["name"]: t for t in run["tasks"]}
model = tasks["train-classifier"]["artifacts"]["model"][0]
manifest_path = tasks["serve-model"]["artifacts"]["manifest"][0]["path"]
docs = list(yaml.safe_load_all(open(manifest_path)))
def check(cond, what):
    if not cond:
        sys.exit("FAILED: " + what + "\n" + open(manifest_path).read())
check(len(docs) == 1, "the manifest is one YAML document")
isvc = docs[0]
check(isvc.get("apiVersion") == "serving.kserve.io/v1beta1", "apiVersion")
check(isvc.get("kind") == "InferenceService", "kind")
name = isvc["metadata"]["name"]
check(name == expected_name, "metadata.name is the service_name parameter")
check(re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", name) and len(name) <= 63,
      "metadata.name is a DNS-1035 label")
check("namespace" not in isvc["metadata"], "no namespace when the parameter is empty")
check(set(isvc["spec"]) == {"predictor"}, "spec has only the predictor")
predictor = isvc["spec"]["predictor"]
check("serviceAccountName" not in predictor, "no service account when the parameter is empty")
check(predictor["model"]["modelFormat"] == {"name": "sklearn"}, "a sklearn model format")
check(predictor["model"]["storageUri"] == model["uri"], "storageUri is the trained model's URI")
clf = joblib.load(os.path.join(model["path"], "model.joblib"))
rows = pandas.DataFrame([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]], columns=clf.feature_names_in_)
predicted = list(clf.predict(rows))
check(predicted == [0, 2], "the served model predicts iris classes, got %r" % predicted)
print("dry run: manifest and model are what KServe loads")
EOF

# 2. The serve step's script, with a recording kubectl and a MinIO URI.
"$py" - "$work/kserve.yaml" "$work/serve.sh" <<'EOF' || exit 1
import sys, yaml
ir = yaml.safe_load(open(sys.argv[1]))
command = ir["deploymentSpec"]["executors"]["exec-serve-model"]["container"]["command"]
assert command[:2] == ["sh", "-c"], command[:2]
open(sys.argv[2], "w").write(command[2])
EOF
mkdir -p "$work/bin" "$work/step"
cat > "$work/bin/kubectl" <<EOF
#!/bin/sh
echo "\$*" >> "$work/step/kubectl.calls"
case "\$1" in
  apply) cp "\$3" "$work/step/applied.yaml" ;;
  get) printf 'http://iris.ml.example.com' ;;
esac
EOF
chmod +x "$work/bin/kubectl"
PATH="$work/bin:$PATH" sh -c "$(cat "$work/serve.sh")" serve-model \
  minio://mlpipeline/v2/artifacts/kserve-serving/run-1/train-classifier/model iris ml \
  kserve-s3 false "$work/step/out/manifest" "$work/step/out/url" > "$work/step/log.txt" 2>&1 ||
  { cat "$work/step/log.txt"; fail "the serve step's script"; }
"$py" - "$work/step" <<'EOF' || exit 1
import sys, yaml
step = sys.argv[1]
calls = open(step + "/kubectl.calls").read().splitlines()
expected = ["apply -f " + step + "/out/manifest",
            "wait --for=condition=Ready --timeout=600s inferenceservice/iris --namespace ml",
            "get inferenceservice/iris --namespace ml -o jsonpath={.status.url}"]
if calls != expected:
    sys.exit("FAILED: kubectl calls\n  %s\nexpected\n  %s" % ("\n  ".join(calls), "\n  ".join(expected)))
isvc = yaml.safe_load(open(step + "/applied.yaml"))
want = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
        "metadata": {"name": "iris", "namespace": "ml",
                     "labels": {"app.kubernetes.io/managed-by": "kubeflow-pipelines"}},
        "spec": {"predictor": {"serviceAccountName": "kserve-s3", "model": {
            "modelFormat": {"name": "sklearn"},
            "storageUri": "s3://mlpipeline/v2/artifacts/kserve-serving/run-1/train-classifier/model"}}}}
if isvc != want:
    sys.exit("FAILED: applied manifest\n%r\nexpected\n%r" % (isvc, want))
url = open(step + "/out/url").read()
if url != "http://iris.ml.example.com":
    sys.exit("FAILED: url output %r" % url)
print("serve step: minio:// written as s3://, applied, waited for, url read")
EOF

# 3. Mistakes: a name KServe rejects, and storage it cannot read.
if "$kfpp" run "$work/kserve.yaml" -p data_path="$work/iris.csv" -p dry_run=true \
  -p service_name=Iris_Model --python "$py" --work-dir "$work/runs-bad" > "$work/bad.txt" 2>&1; then
  fail "a service name with upper case and '_' was accepted"
fi
grep -rq "service_name 'Iris_Model' must start with a lower-case letter" "$work/runs-bad" ||
  fail "the failed run does not say why: $(cat "$work/bad.txt")"
if "$kfpp" run "$work/kserve.yaml" -p data_path="$work/iris.csv" --python "$py" \
  --work-dir "$work/runs-file" > "$work/file.txt" 2>&1; then
  fail "a real run applied a manifest with a file:// model"
fi
grep -rq "KServe cannot read the model at file://" "$work/runs-file" ||
  fail "the refused run does not say why: $(cat "$work/file.txt")"
echo "mistakes: refused with the reason"
