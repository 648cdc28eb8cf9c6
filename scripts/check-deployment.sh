#!/usr/bin/env bash
# CI check of the deployment files, no Docker engine needed: `docker compose config -q` validates
# docker-compose.yml (with .env.example, every profile) and hadolint lints every Dockerfile.
# The rules hadolint does not know (Node version, non-root user, tini...) are in test/deployment/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bash scripts/install-deploy-tools.sh)"
"$bin/docker-compose" --env-file .env.example --profile python config --quiet
echo "docker-compose.yml: valid ($("$bin/docker-compose" version --short))"
"$bin/hadolint" --failure-threshold info Dockerfile docker/*.Dockerfile
echo "Dockerfiles: hadolint clean ($("$bin/hadolint" --version))"
