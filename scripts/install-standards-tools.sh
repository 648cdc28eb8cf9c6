#!/usr/bin/env bash
# Installs the standards' own Python clients, pinned, into .tools/standards-venv from PyPI: OWSLib
# (OGC API - Processes) and wes-service's wes_client (GA4GH WES) for test/standards/. Prints the
# venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
owslib="${OWSLIB_VERSION:-0.34.1}"
wes="${WES_SERVICE_VERSION:-5.0}"
venv=.tools/standards-venv
py="$venv/bin/python"
check="import importlib.metadata as m, sys; sys.exit(m.version('OWSLib') != '$owslib' or m.version('wes-service') != '$wes')"
if [ ! -x "$py" ] || ! "$py" -c "$check" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "OWSLib==$owslib" "wes-service==$wes" >&2
fi
echo "$PWD/$py"
