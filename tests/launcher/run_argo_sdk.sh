#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_argo_sdk.sh KFPP PYTHON HARNESS IR_FILE OUT TEMPLATE FUNCTION_LINE INPUTS_JSON EXPECTED_JSON
#   Converts an IR file the KFP SDK wrote to Argo and checks that its Python component runs with
#   kfpp's launcher: the workflow keeps the function's source (FUNCTION_LINE), installs no KFP
#   runtime and does not call the SDK's executor; then runs the template in a real process
#   (run_argo_template.py) and checks its outputs.
kfpp=$1 python=$2 harness=$3 ir=$4 out=$5 template=$6 line=$7 inputs=$8 expected=$9
if [ ! -f "$ir" ]; then
  echo "SKIPPED: the reference file $ir is missing." >&2
  exit 77
fi
"$kfpp" convert "$ir" --to argo -o "$out" || exit 1
grep -qF "$line" "$out" || { echo "the function's source ($line) is not in $out" >&2; exit 1; }
if grep -q "kfp==\|kfp\.dsl\.executor_main" "$out"; then
  echo "$out still installs or runs the KFP runtime:" >&2
  grep -n "kfp==\|kfp\.dsl\.executor_main" "$out" >&2
  exit 1
fi
exec "$python" "$harness" "$out" "$template" "$inputs" "$expected"
