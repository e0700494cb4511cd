#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compiles a pipeline program to Argo and checks the workflow with ../shared's validate_argo:
# it must pass with no error and no warning.
# Usage: run_argo_validate.sh PROGRAM OUT.yaml VALIDATE_ARGO [PROGRAM ARGS...]
set -eu
program=$1
out=$2
validator=$3
shift 3
if [ ! -f "$validator" ]; then
  echo "SKIPPED: $validator is missing (set KFPP_CONFORMANCE_DIR to ../shared/conformance)." >&2
  exit 77
fi
mkdir -p "$(dirname "$out")"
"$program" --target argo -o "$out" "$@"
report=$(sh "$validator" "$out") || { echo "$report"; exit 1; }
echo "$report"
case "$report" in
  *warning*|*WARN*) echo "validate_argo reported warnings" >&2; exit 1 ;;
esac
