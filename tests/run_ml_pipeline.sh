#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_ml_pipeline.sh KFPP PIPELINE_PROGRAM SCRIPTS_DIR WORK: compiles the flagship example, runs
# it locally on the iris data and checks the accuracy it reports and that deploy ran.
# Skips (77) when Debian's pandas, scikit-learn and joblib are not installed.
set -u
kfpp=$1 program=$2 scripts=$3 work=$4
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! "$py" -c "import pandas, sklearn, joblib" 2>/dev/null; then
  echo "SKIPPED: $py cannot import pandas, sklearn and joblib (sh scripts/install-deps.sh)" >&2
  exit 77
fi
rm -rf "$work" && mkdir -p "$work" || exit 1
sh "$scripts/iris_csv.sh" "$py" "$work/iris.csv" || exit 1
"$program" -o "$work/ml.yaml" || exit 1
"$kfpp" run "$work/ml.yaml" -p data_path="$work/iris.csv" --python "$py" --work-dir "$work/runs" \
  > "$work/table.txt"
rc=$?
cat "$work/table.txt"
[ "$rc" = 0 ] || { echo "FAILED: kfpp run exited with $rc" >&2; exit 1; }
accuracy=$(sed -n 's/^evaluate-model .*accuracy=\([0-9.]*\).*/\1/p' "$work/table.txt")
ok=$("$py" -c "import sys; print(0.8 <= float(sys.argv[1]) <= 1.0)" "$accuracy" 2>/dev/null)
[ "$ok" = True ] || { echo "FAILED: accuracy '$accuracy' is not between 0.8 and 1" >&2; exit 1; }
grep -q '^condition-1/deploy-model  *succeeded' "$work/table.txt" ||
  { echo "FAILED: the deploy step did not run" >&2; exit 1; }
grep -rq "Deploying iris-model" "$work/runs" ||
  { echo "FAILED: the deploy step's log does not say it deployed" >&2; exit 1; }
echo "accuracy $accuracy, deployed"
