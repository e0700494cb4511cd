#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_container_runner.sh TOOL KFPP CORPUS WORK: with TOOL (docker or podman) installed, the
# SDK's parallelfor runs in its images and fans in [2,4,6]; without it (or without its service),
# kfpp says so clearly (exit 2) and the test is skipped (77).
set -u
tool=$1 kfpp=$2 corpus=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
if ! command -v "$tool" >/dev/null 2>&1 || ! "$tool" info >/dev/null 2>&1; then
  out=$("$kfpp" run "$corpus/kfp/parallelfor.yaml" --runner "$tool" --work-dir "$work" 2>&1)
  rc=$?
  case "$out" in
    *"[kfpp.runner_unavailable] $tool: $tool is not installed"*) ;;
    *"[kfpp.runner_unavailable] $tool: $tool is installed but cannot run containers"*) ;;
    *) echo "FAILED: unclear error without $tool: $out" >&2; exit 1 ;;
  esac
  [ "$rc" = 2 ] || { echo "FAILED: exit code $rc without $tool, expected 2" >&2; exit 1; }
  echo "SKIPPED: $tool is not installed or cannot run containers; --runner $tool was refused clearly" >&2
  exit 77
fi
"$kfpp" run "$corpus/kfp/parallelfor.yaml" --runner "$tool" --work-dir "$work" --output json \
  > "$work/run.json" || { cat "$work/run.json"; echo "FAILED: the run failed" >&2; exit 1; }
grep -q '"pipelinechannel--double-result": \[' "$work/run.json" || exit 1
tr -d ' \n' < "$work/run.json" | grep -q '"pipelinechannel--double-result":\[2,4,6\]' ||
  { echo "FAILED: the fan-in is not [2,4,6]" >&2; exit 1; }
echo "parallelfor ran in $tool images"
