#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# compile_cost.sh [CXX]: what a user pays at compile time, user CPU time, best of 5 runs each:
#   - parsing <kfpp/kfpp.hpp> alone (-fsyntax-only);
#   - compiling each example at -O2 (parallelfor has 13 tasks in 7 loops).
set -eu
cd "$(dirname "$0")/.."
cxx=${1:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
best() {
  b=""
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%U" -o "$work/time" "$@" >/dev/null 2>&1
    t=$(tail -n 1 "$work/time")
    b=$(echo "$t ${b:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  echo "$b"
}
printf '#include <kfpp/kfpp.hpp>\n' > "$work/header.cpp"
printf '%-40s %6s s\n' "parse <kfpp/kfpp.hpp>" "$(best "$cxx" -std=c++20 -fsyntax-only -Iinclude "$work/header.cpp")"
for f in examples/*.cpp; do
  printf '%-40s %6s s\n' "compile $(basename "$f") -O2" \
    "$(best "$cxx" -std=c++20 -O2 -c -Iinclude "$f" -o "$work/out.o")"
done
