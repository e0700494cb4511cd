#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the dependencies, builds kfpp, compiles the flagship example pipeline and runs it on
# this machine with the iris data that scikit-learn ships.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKFPP_BUILD_TESTS=OFF
cmake --build build -j "$(nproc)"
mkdir -p out
./build/examples/ml_training_pipeline -o out/ml_training_pipeline.yaml
./build/examples/ml_training_pipeline --target argo -o out/ml_training_pipeline.argo.yaml
./build/kfpp validate out/ml_training_pipeline.yaml out/ml_training_pipeline.argo.yaml
./build/kfpp graph out/ml_training_pipeline.yaml -o out/ml_training_pipeline.dot
dot -Tsvg out/ml_training_pipeline.dot -o out/ml_training_pipeline.svg
# Debian's python3 has pandas, scikit-learn and joblib (scripts/install-deps.sh installs them).
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
sh scripts/iris_csv.sh "$py" out/iris.csv
echo
echo "Running the pipeline on this machine (logs and run.json under out/runs):"
./build/kfpp run out/ml_training_pipeline.yaml -p data_path="$(pwd)/out/iris.csv" \
  --python "$py" --work-dir out/runs | tee out/ml_training_run.txt
accuracy=$(sed -n 's/^evaluate-model .*accuracy=\([0-9.]*\).*/\1/p' out/ml_training_run.txt)
deployed=no
grep -q '^condition-1/deploy-model  *succeeded' out/ml_training_run.txt && deployed=yes
echo
echo "Model accuracy: $accuracy; deploy step ran: $deployed"
echo
echo "KFP v2 IR:      $(pwd)/out/ml_training_pipeline.yaml"
echo "Argo Workflow:  $(pwd)/out/ml_training_pipeline.argo.yaml"
echo "Task graph:     $(pwd)/out/ml_training_pipeline.svg"
echo "Upload the IR to a KFP backend, or compare it with the SDK's output:"
echo "  ../shared/tools/irdiff out/ml_training_pipeline.yaml ../shared/conformance/kfp/ml_training_pipeline.yaml"
echo "Submit the workflow to an Argo controller (argo submit), or check it offline:"
echo "  ../shared/conformance/argo/validate_argo out/ml_training_pipeline.argo.yaml"
echo "Read any KFP IR (the Python SDK's too): ./build/kfpp validate|convert|graph|inspect|run FILE"
