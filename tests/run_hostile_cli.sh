#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_hostile_cli.sh KFPP PYTHON WORKDIR [SANITIZED]: writes large hostile IR files (DAGs nested
# 2 500 and 50 000 levels deep, a 100 000-task chain) and runs every subcommand on each; each run
# must answer within 10 s of CPU (and, unless sanitized, within 1 GiB of address space) with the
# expected exit code and error code; with 100 MB of address space, validating the chain must
# end in `kfpp.out_of_memory`, not an abort.
set -u
kfpp=$1
python=$2
work=$3
sanitized=${4:-OFF}
mkdir -p "$work"
"$python" - "$work" <<'PY'
import sys
out = sys.argv[1]
def nested(n):
    s = ["components:"]
    for i in range(n):
        nxt = f"comp-d{i+1}" if i + 1 < n else "comp-leaf"
        s += [f"  comp-d{i}:", "    dag:", "      tasks:", f"        t{i}:", "          componentRef:",
              f"            name: {nxt}", "          taskInfo:", f"            name: t{i}"]
    s += ["  comp-leaf:", "    executorLabel: exec-leaf", "deploymentSpec:", "  executors:",
          "    exec-leaf:", "      container:", "        image: alpine", "pipelineInfo:",
          "  name: deep", "root:", "  dag:", "    tasks:", "      top:", "        componentRef:",
          "          name: comp-d0", "        taskInfo:", "          name: top",
          "schemaVersion: 2.1.0", "sdkVersion: kfp-2.15.2"]
    return "\n".join(s) + "\n"
def chain(n):
    s = ["components:", "  comp-leaf:", "    executorLabel: exec-leaf", "deploymentSpec:",
         "  executors:", "    exec-leaf:", "      container:", "        image: alpine",
         "pipelineInfo:", "  name: chain", "root:", "  dag:", "    tasks:"]
    for i in range(n):
        s += [f"      t{i}:", "        componentRef:", "          name: comp-leaf"]
        if i:
            s += ["        dependentTasks:", f"        - t{i-1}"]
        s += ["        taskInfo:", f"          name: t{i}"]
    s += ["schemaVersion: 2.1.0", "sdkVersion: kfp-2.15.2"]
    return "\n".join(s) + "\n"
open(f"{out}/deep2500.yaml", "w").write(nested(2500))
open(f"{out}/deep50000.yaml", "w").write(nested(50000))
open(f"{out}/chain100k.yaml", "w").write(chain(100000))
PY
failed=0
# Seconds of CPU each run may use (wall time depends on what else the machine runs); sanitized
# builds run several times slower.
cpu=10
[ "$sanitized" = ON ] && cpu=60
# run RC CODE ARGS...: CODE is the text the output must hold ("" for none).
run() {
  want_rc=$1
  want=$2
  shift 2
  out=$( (ulimit -t "$cpu"; if [ "$sanitized" != ON ]; then ulimit -v 1048576; fi
          exec timeout 300 "$kfpp" "$@" -o "$work/out.txt") 2>&1 >/dev/null)
  rc=$?
  case "$out" in *"$want"*) ok=1 ;; *) ok=0 ;; esac
  if [ "$rc" != "$want_rc" ] || [ $ok = 0 ]; then
    echo "FAILED: kfpp $* -> exit $rc (want $want_rc), output: $(printf '%s' "$out" | head -c 300)"
    failed=1
  else
    echo "ok: kfpp $* -> exit $rc"
  fi
}
for f in deep2500 deep50000; do
  run 1 "[kfpp.too_deep]" graph "$work/$f.yaml"
  run 1 "[kfpp.too_deep]" convert "$work/$f.yaml" --to argo
  run 1 "[kfpp.too_deep]" convert "$work/$f.yaml" --to kfp
done
out=$( (ulimit -t "$cpu"; if [ "$sanitized" != ON ]; then ulimit -v 1048576; fi
        exec timeout 300 "$kfpp" validate "$work/deep50000.yaml") 2>&1)
case "$out" in *"[kfpp.too_deep]"*) echo "ok: kfpp validate deep50000" ;; *) echo "FAILED: validate deep50000: $out"; failed=1 ;; esac
run 0 "" graph "$work/chain100k.yaml"
run 0 "" graph "$work/chain100k.yaml" --format mermaid
run 0 "" convert "$work/chain100k.yaml" --to kfp
run 1 "[kfpp.argo_limit]" convert "$work/chain100k.yaml" --to argo
# Out of memory: one line and exit code 1, never an abort (sanitizers reserve too much address
# space for this limit).
if [ "$sanitized" != ON ]; then
  out=$( (ulimit -v 100000; exec timeout 10 "$kfpp" validate "$work/chain100k.yaml") 2>&1)
  rc=$?
  case "$rc:$out" in
    "1:"*"[kfpp.out_of_memory]"*) echo "ok: out of memory is reported" ;;
    *) echo "FAILED: out of memory -> exit $rc: $out"; failed=1 ;;
  esac
fi
exit $failed
