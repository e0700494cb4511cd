#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_docs.sh BUILD_DIR PYTHON CHECK_API_DOCS: builds the `docs` target the way a user does and
# fails on any Doxygen warning or on a public entity without a usage example.
set -u
build=$1 python=$2 check=$3
log="$build/docs/warnings.log"
if ! cmake --build "$build" --target docs; then
  echo "the docs target failed; Doxygen's warnings:" >&2
  cat "$log" >&2
  exit 1
fi
if [ -s "$log" ]; then
  cat "$log" >&2
  exit 1
fi
test -f "$build/docs/html/index.html" || { echo "no html/index.html" >&2; exit 1; }
exec "$python" "$check" "$build/docs/xml"
