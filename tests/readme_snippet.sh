#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# readme_snippet.sh README CXX INCLUDE_DIR LIBRARY WORK_DIR [FLAGS]: compiles the first C++ block of the
# README against kfpp, runs it, and checks that it writes a valid pipeline.
set -eu
readme=$1 cxx=$2 include=$3 lib=$4 work=$5 extra=${6:-}
mkdir -p "$work"
awk '/^```cpp$/ {on=1; next} /^```$/ && on {exit} on {print}' "$readme" > "$work/snippet.cpp"
test -s "$work/snippet.cpp"
# A static libkfpp needs what it links: libyaml and libcurl (find_package and pkg-config add them).
"$cxx" -std=c++20 $extra -I"$include" "$work/snippet.cpp" "$lib" -lyaml -lcurl -o "$work/snippet"
"$work/snippet" --validate-only
"$work/snippet" -o "$work/snippet.yaml"
grep -q "^# PIPELINE DEFINITION" "$work/snippet.yaml"
grep -q "comp-square-2:" "$work/snippet.yaml"
