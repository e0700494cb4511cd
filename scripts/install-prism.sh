#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs Prism (@stoplight/prism-cli, pinned in tests/prism/package.json) from npm into
# tests/prism/node_modules, which git ignores. The client tests use it to serve the KFP REST API
# documents; without it they are reported as skipped. Does nothing when it is already there.
set -eu
cd "$(dirname "$0")/../tests/prism"
want=$(sed -n 's/.*"@stoplight\/prism-cli": "\([^"]*\)".*/\1/p' package.json)
have=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' node_modules/@stoplight/prism-cli/package.json 2>/dev/null || true)
if [ -n "$want" ] && [ "$have" = "$want" ] && [ -x node_modules/.bin/prism ]; then
  echo "kfpp: prism $have is installed"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  # Debian's npm (with its Node.js); a Node.js installed otherwise brings its own npm.
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "kfpp: installing npm"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends npm ||
    echo "kfpp: npm could not be installed" >&2
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "kfpp: npm is missing; the client tests against Prism will be skipped" >&2
  exit 0
fi
echo "kfpp: installing prism $want with npm"
# No lock file: the version is pinned in package.json, and nothing about the registry is recorded.
npm install --no-package-lock --no-audit --no-fund --loglevel=error || {
  echo "kfpp: npm could not install prism; the client tests against Prism will be skipped" >&2
  exit 0
}
