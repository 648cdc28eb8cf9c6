#!/usr/bin/env bash
# Installs the standards' own Python clients, pinned, into .tools/standards-venv from PyPI: OWSLib
# (OGC API - Processes) for test/standards/. Prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
owslib="${OWSLIB_VERSION:-0.34.1}"
venv=.tools/standards-venv
py="$venv/bin/python"
if [ ! -x "$py" ] || ! "$py" -c "import owslib, sys; sys.exit(owslib.__version__ != '$owslib')" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "OWSLib==$owslib" >&2
fi
echo "$PWD/$py"
