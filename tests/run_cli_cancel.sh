#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_cli_cancel.sh KFPP CORPUS WORK: Ctrl-C (SIGINT) during `kfpp run` of the SDK's take_nap
# pipeline stops its task, records the run as cancelled and exits with 130.
set -u
kfpp=$1 corpus=$2 work=$3
rm -rf "$work" && mkdir -p "$work" || exit 1
"$kfpp" run "$corpus/kfp-sdk/take_nap_compiled.yaml" --work-dir "$work" > "$work/out.txt" 2>&1 &
pid=$!
# Wait until the nap has started.
i=0
until grep -q "started    take-nap" "$work/out.txt" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 100 ] || { kill -9 $pid; echo "FAILED: the task never started" >&2; exit 1; }
  sleep 0.1
done
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
cat "$work/out.txt"
[ "$rc" = 130 ] || { echo "FAILED: exit code $rc, expected 130" >&2; exit 1; }
grep -q '^take-nap  *cancelled' "$work/out.txt" || { echo "FAILED: the task is not cancelled" >&2; exit 1; }
grep -q '2 cancelled$' "$work/out.txt" || { echo "FAILED: the summary does not count them" >&2; exit 1; }
grep -q '"state": "cancelled"' "$work"/*/run.json || { echo "FAILED: run.json is not cancelled" >&2; exit 1; }
if pgrep -f "$work/.*kfpp_component.py" >/dev/null; then
  echo "FAILED: the task's process is still running" >&2
  exit 1
fi
