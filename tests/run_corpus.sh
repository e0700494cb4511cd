#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_corpus.sh roundtrip|argo KFPP CONFORMANCE_DIR OUT_DIR [MIN_CONVERTED]
#   roundtrip: every reference IR file, rewritten by `kfpp convert --to kfp`, is the same document
#              by the reference irdiff, and the same bytes where PyYAML wrote the file.
#   argo:      every reference IR file converts to an Argo Workflow that validate_argo accepts with
#              no warning, or fails with a kfpp.argo_* error naming the construct; never anything
#              else. Prints the counts; with MIN_CONVERTED, fails when fewer files convert.
mode=$1
kfpp=$2
conformance=$3
out=$4
min_converted=${5:-1}
if [ ! -d "$conformance/kfp-sdk" ]; then
  echo "SKIPPED: $conformance/kfp-sdk is missing (set KFPP_CONFORMANCE_DIR)." >&2
  exit 77
fi
rm -rf "$out"
mkdir -p "$out"
files=$(find "$conformance/kfp" "$conformance/kfp-sdk" -name '*.yaml' | sort)
total=0
converted=0
unsupported=0
failed=0
for f in $files; do
  total=$((total + 1))
  name=$(echo "${f#"$conformance"/}" | tr / _)
  if [ "$mode" = roundtrip ]; then
    if ! "$kfpp" convert "$f" --to kfp -o "$out/$name" 2>"$out/$name.err"; then
      echo "FAILED to read: $f"; cat "$out/$name.err"; failed=$((failed + 1)); continue
    fi
    if ! python3 "$conformance/../tools/irdiff" "$out/$name" "$f" >"$out/$name.diff" 2>&1; then
      echo "DIFFERENT: $f"; cat "$out/$name.diff"; failed=$((failed + 1))
    fi
    continue
  fi
  "$kfpp" convert "$f" --to argo -o "$out/$name" 2>"$out/$name.err"
  rc=$?
  if [ $rc = 0 ]; then
    converted=$((converted + 1))
  elif [ $rc = 1 ] && grep -q '\[kfpp\.argo_' "$out/$name.err"; then
    unsupported=$((unsupported + 1))
    echo "not convertible: $f"
    grep -o '\[kfpp\.argo_[a-z_]*\] [^(]*' "$out/$name.err" | sed 's/^/  /'
  else
    echo "FAILED (exit $rc): $f"; cat "$out/$name.err"; failed=$((failed + 1))
  fi
done
if [ "$mode" = roundtrip ]; then
  echo "$total files: $((total - failed)) the same document, $failed not"
  [ $failed = 0 ] || exit 1
  python3 "$(dirname "$0")/check_corpus_bytes.py" "$conformance" "$out"
  exit $?
fi
echo "$total files: $converted converted, $unsupported not convertible (a kfpp.argo_* error), $failed failed"
[ $failed = 0 ] || exit 1
if [ "$converted" -lt "$min_converted" ]; then
  echo "only $converted files converted to Argo; at least $min_converted must" >&2
  exit 1
fi
report=$(sh "$conformance/argo/validate_argo" "$out"/*.yaml) || { echo "$report"; exit 1; }
case "$report" in
  *warning*|*WARN*) echo "$report"; echo "validate_argo reported warnings" >&2; exit 1 ;;
esac
echo "validate_argo: all $converted workflows valid, no warning"
