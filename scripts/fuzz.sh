#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fuzz.sh TARGET SECONDS: builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and
# runs TARGET (fuzz_reader, fuzz_yaml, fuzz_component, fuzz_argo or fuzz_cli) for SECONDS, starting from the
# reference corpora, tests/data and fuzz/seeds, with the IR dictionary. Exits non-zero on any
# finding; the input that triggered it is left in build-fuzz/findings/.
set -eu
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: scripts/fuzz.sh fuzz_reader|fuzz_yaml|fuzz_component|fuzz_argo|fuzz_cli SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
case "$target" in
  fuzz_reader | fuzz_yaml | fuzz_component | fuzz_argo | fuzz_cli) ;;
  *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
root=$(pwd)
build=${KFPP_FUZZ_BUILD:-$root/build-fuzz}
conformance=${KFPP_CONFORMANCE_DIR:-$root/../shared/conformance}
clangxx=$(command -v clang++-14 || command -v clang++)
if [ ! -f "$build/CMakeCache.txt" ]; then
  CXX=$clangxx cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKFPP_BUILD_FUZZ=ON \
    -DKFPP_BUILD_TESTS=OFF -DKFPP_BUILD_EXAMPLES=OFF -DKFPP_INSTALL=OFF >/dev/null
fi
cmake --build "$build" --target "$target" -j "$(nproc)"

corpus=$build/corpus/$target
mkdir -p "$corpus" "$build/findings"
if [ -d "$conformance" ]; then
  [ "$target" = fuzz_cli ] || cp "$conformance"/kfp-sdk/*.yaml "$conformance"/kfp/*.yaml "$corpus"/
else
  echo "fuzz.sh: WARNING: $conformance is missing; seeding from tests/data only" >&2
fi
case "$target" in
  fuzz_cli)
    cp fuzz/seeds/cli/* "$corpus"/
    work=$build/cli-work
    mkdir -p "$work"
    cp tests/data/small.yaml "$work"/a.yaml
    cp tests/data/broken/unknown_key.yaml "$work"/b.yaml
    cp tests/data/broken/argo_cycle.yaml "$work"/argo.yaml
    cd "$work"
    ;;
  *)
    cp tests/data/*.yaml tests/data/broken/*.yaml tests/data/hostile/*.yaml "$corpus"/
    [ "$target" = fuzz_component ] && cp fuzz/seeds/component/* "$corpus"/
    ;;
esac
# Findings: a crash, a sanitizer report, more than 10 s on one input, or more than 2 GB.
exec "$build/fuzz/$target" "$corpus" -dict="$root/fuzz/ir.dict" -max_total_time="$seconds" \
  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
  -artifact_prefix="$build/findings/$target-"
