#!/usr/bin/env bash
# Installs the Python client (clients/python, with httpx from PyPI) and pytest into .tools/client-venv
# for test/clients/python-client.test.ts. The client is reinstalled on every run, so the tests always
# exercise the source as it is. Prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
pytest_version="${PYTEST_VERSION:-9.2.0}"
venv=.tools/client-venv
py="$venv/bin/python"
if [ ! -x "$py" ] || ! "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('pytest') != '$pytest_version')" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  # The client's own dependencies (httpx) come with it here; the line below then only replaces the client.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==$pytest_version" ./clients/python >&2
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps ./clients/python >&2
echo "$PWD/$py"
