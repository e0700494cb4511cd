#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the dependencies, builds kfpp and compiles the flagship example pipeline.
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
echo
echo "KFP v2 IR:      $(pwd)/out/ml_training_pipeline.yaml"
echo "Argo Workflow:  $(pwd)/out/ml_training_pipeline.argo.yaml"
echo "Task graph:     $(pwd)/out/ml_training_pipeline.svg"
echo "Upload the IR to a KFP backend, or compare it with the SDK's output:"
echo "  ../shared/tools/irdiff out/ml_training_pipeline.yaml ../shared/conformance/kfp/ml_training_pipeline.yaml"
echo "Submit the workflow to an Argo controller (argo submit), or check it offline:"
echo "  ../shared/conformance/argo/validate_argo out/ml_training_pipeline.argo.yaml"
echo "Read any KFP IR (the Python SDK's too): ./build/kfpp validate|convert|graph|inspect FILE"
