#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_conformance.sh PROGRAM REFERENCE OUT DIFF... : runs a pipeline program, writes its IR to OUT
# and compares it with REFERENCE using the DIFF command. Exit 77 (skipped) when the reference
# corpus is absent, saying so loudly.
prog=$1 ref=$2 out=$3
shift 3
if [ ! -f "$ref" ]; then
  echo "SKIPPED: the reference file $ref is missing." >&2
  echo "Point KFPP_CONFORMANCE_DIR at the conformance corpus (../shared/conformance)." >&2
  exit 77
fi
mkdir -p "$(dirname "$out")" || exit 1
"$prog" -o "$out" || exit 1
"$@" "$out" "$ref"
