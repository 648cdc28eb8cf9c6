#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI fuzzer `npm run fuzz` drives) into .tools/fuzz-venv from PyPI,
# pinned so every run checks the same things. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${SCHEMATHESIS_VERSION:-4.32.5}"
venv=.tools/fuzz-venv
bin="$venv/bin/schemathesis"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "version $version\$"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
fi
echo "$PWD/$bin"
