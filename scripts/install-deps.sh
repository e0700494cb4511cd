#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs what kfpp needs to build and test, from Debian 12 packages. Skips apt when all is there.
set -eu
packages="cmake g++ make clang libclang-rt-14-dev libyaml-dev libyaml-cpp-dev libfyaml-dev libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev catch2 libbenchmark-dev python3 python3-yaml python3-jsonschema clang-format graphviz doxygen python3-pandas python3-sklearn python3-joblib"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "kfpp: all dependencies are installed"
  exit 0
fi
echo "kfpp: installing$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
