#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_cli_expect.sh RC TEXT COMMAND...: runs COMMAND and passes when it exits with RC and its
# output (standard output and error together) holds TEXT literally.
expected_rc=$1
text=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" != "$expected_rc" ]; then
  echo "FAILED: exit code $rc, expected $expected_rc" >&2
  exit 1
fi
case "$out" in
  *"$text"*) exit 0 ;;
esac
echo "FAILED: the output does not hold: $text" >&2
exit 1
