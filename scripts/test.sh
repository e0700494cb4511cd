#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the dependencies, builds kfpp with warnings as errors and runs every test.
# KFPP_SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer instead.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/install-prism.sh
build=build-test
flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
if [ "${KFPP_SANITIZE:-0}" = 1 ]; then
  build=build-asan
  flags="-DCMAKE_BUILD_TYPE=Debug -DKFPP_SANITIZE=ON"
fi
cmake -S . -B "$build" $flags -DKFPP_WERROR=ON -DKFPP_BUILD_TESTS=ON -DKFPP_BUILD_BENCH=ON
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
