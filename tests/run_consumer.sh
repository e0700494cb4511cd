#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_consumer.sh MODE SOURCE_DIR WORK_DIR KFPP_BUILD_DIR PROGRAM REFERENCE KFPP_CLI [SANITIZE]
# Builds a user's project against kfpp the way users do, then checks what its program writes:
#   static        install KFPP_BUILD_DIR (static) into a prefix; find_package and pkg-config
#   shared        configure, build and install a shared kfpp into a prefix; find_package
#   subdirectory  add_subdirectory(SOURCE_DIR)
# PROGRAM (an example's source) must compile to REFERENCE's pipeline (checked with irdiff) and pass
# `kfpp validate`. Exit 77 (skipped) when the reference corpus is absent.
set -eu
mode=$1 src=$2 work=$3 kfpp_build=$4 program=$5 ref=$6 cli=$7 sanitize=${8:-OFF}
if [ ! -f "$ref" ]; then
  echo "SKIPPED: the reference file $ref is missing." >&2
  exit 77
fi
irdiff="$(dirname "$ref")/../../tools/irdiff"
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
jobs=$(nproc)
link_flags=""
if [ "$sanitize" = ON ]; then
  link_flags="-fsanitize=address,undefined"
fi
say() { echo "--- $*"; }

case $mode in
  static)
    say "installing the static build $kfpp_build into $prefix"
    cmake --install "$kfpp_build" --prefix "$prefix" > "$work/install.log"
    test -f "$prefix/lib/libkfpp.a"
    ;;
  shared)
    say "building and installing a shared kfpp into $prefix"
    cmake -S "$src" -B "$work/kfpp" -DBUILD_SHARED_LIBS=ON -DKFPP_BUILD_TESTS=OFF \
      -DKFPP_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
      > "$work/kfpp-configure.log"
    cmake --build "$work/kfpp" -j "$jobs" > "$work/kfpp-build.log"
    cmake --install "$work/kfpp" > "$work/install.log"
    test -f "$prefix/lib/libkfpp.so"
    ;;
  subdirectory) ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac

consumer_mode=package
[ "$mode" = subdirectory ] && consumer_mode=subdirectory
say "building the consumer project ($consumer_mode)"
cmake -S "$src/tests/consumer" -B "$work/consumer" -DKFPP_CONSUMER_MODE=$consumer_mode \
  -DKFPP_CONSUMER_SOURCE="$program" -DKFPP_SOURCE_DIR="$src" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS="$link_flags" > "$work/consumer-configure.log"
cmake --build "$work/consumer" -j "$jobs"

needed=$(readelf -d "$work/consumer/pipeline" | grep NEEDED || true)
case $mode in
  shared)
    echo "$needed" | grep -q 'libkfpp\.so' || { echo "pipeline does not link libkfpp.so" >&2; exit 1; }
    ;;
  *)
    if echo "$needed" | grep -q libkfpp; then
      echo "pipeline should link kfpp statically: $needed" >&2
      exit 1
    fi
    ;;
esac

say "running the program and checking its IR"
"$work/consumer/pipeline" -o "$work/pipeline.yaml"
"$cli" validate "$work/pipeline.yaml"
python3 "$irdiff" "$work/pipeline.yaml" "$ref"

if [ "$mode" = static ]; then
  say "building the program with pkg-config alone"
  flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs --static kfpp)
  # shellcheck disable=SC2086
  c++ -std=c++20 -o "$work/pipeline-pc" "$program" $flags $link_flags
  "$work/pipeline-pc" -o "$work/pipeline-pc.yaml"
  python3 "$irdiff" "$work/pipeline-pc.yaml" "$ref"

  say "building the Conan test_package's CMake project against the prefix"
  cmake -S "$src/test_package" -B "$work/test_package" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS="$link_flags" > "$work/test_package.log"
  cmake --build "$work/test_package" -j "$jobs"
  "$work/test_package/test_package" -o "$work/hello.yaml"
  "$cli" validate "$work/hello.yaml"
  for expected in "pipelineInfo:" "name: hello" "comp-say-hello"; do
    grep -q "$expected" "$work/hello.yaml" || { echo "hello.yaml lacks $expected" >&2; exit 1; }
  done
fi
say "ok"
