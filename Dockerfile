# syntax=docker/dockerfile:1
# One image for every role of analytics-automated: `api`, `worker --orchestrator`,
# `worker --backend NAME` and `migrate` are its arguments (see docker-compose.yml, docs/deployment.md).
# Node runs the TypeScript sources directly (type stripping), so there is no compile step.
# Keep the Node version in step with the `node` devDependency in package.json.

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# Production dependencies only, exactly as locked. No dependency needs its install script
# (scripts/check-production-install.sh runs the same install and smoke-tests it), but the fixes in
# patches/ are needed (postgres.js outage recovery, busboy): --ignore-scripts skips the postinstall
# that applies them, so patch-package runs here and fails the build if one no longer applies.
# Then drop the Temporal core bridge builds for other platforms.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && node_modules/.bin/patch-package --error-on-fail \
 && npm cache clean --force \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 \
      ! -name "$(uname -m)-unknown-linux-gnu" -exec rm -rf {} +

FROM deps AS workflow-bundle
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/bundle-workflows.ts ./scripts/
# Prebuilt once here, so an orchestrator starts without running webpack (WORKFLOW_BUNDLE_PATH).
RUN node scripts/bundle-workflows.ts dist/workflow-bundle.js

FROM node:24.21.0-bookworm-slim AS runtime
# tini as PID 1 reaps the orphans of the process groups that backend workers start and kill, and
# passes SIGTERM to node so workers shut down gracefully (Kubernetes has no `docker run --init`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/aa \
    WORK_DIR=/var/lib/aa/work \
    FILE_STORE_DIR=/var/lib/aa/files \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
# The CLI's user commands call the API through the TypeScript client.
COPY clients/typescript ./clients/typescript
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY migrations ./migrations
COPY --from=workflow-bundle /app/dist ./dist
RUN mkdir -p /var/lib/aa/work /var/lib/aa/files && chown -R node:node /var/lib/aa
# The image's own `node` user, by number so Kubernetes' runAsNonRoot can verify it: steps never run as root.
USER 1000:1000
VOLUME ["/var/lib/aa/work", "/var/lib/aa/files"]
EXPOSE 3000
# The API is probed at /readyz by docker-compose.yml; workers serve no HTTP, so the image sets no
# HEALTHCHECK of its own that would mark them unhealthy.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/src/cli/main.ts"]
CMD ["--help"]
