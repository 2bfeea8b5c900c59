# syntax=docker/dockerfile:1
#
# One image recipe for all six services. The build stages do not depend on
# SERVICE, so `docker compose build` compiles the monorepo once and only the
# small final stage differs per service:
#
#   docker build --build-arg SERVICE=case -t aftersales/case .
#
# The runtime stage writes nothing under /app and runs as the unprivileged
# `node` user (uid 1000), so it works with a read-only root file system as long
# as /tmp is writable (compose: tmpfs, Kubernetes: emptyDir).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
# base: common settings for every stage
FROM ${NODE_IMAGE} AS base
WORKDIR /app
# No telemetry or analytics from install scripts (scarf, nx).
ENV SCARF_ANALYTICS=false \
    DO_NOT_TRACK=1 \
    NX_NO_CLOUD=true \
    NX_DAEMON=false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# ---------------------------------------------------------------------------
# manifests: only package.json files and the lock file, at their own paths.
# Their content alone keys the `npm ci` layer below, so editing source code
# does not reinstall dependencies.
FROM base AS manifests
COPY . /src
RUN mkdir -p /out \
 && cd /src \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './dist/*' \
      -exec cp --parents {} /out/ \; \
 && cp package-lock.json /out/

# ---------------------------------------------------------------------------
# deps: all dependencies (dev included: the build needs typescript)
FROM base AS deps
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci

# ---------------------------------------------------------------------------
# build: compile to dist/, then drop dev dependencies
FROM deps AS build
COPY . .
# tsc emits only .ts (and imported .json); other files kept beside the sources
# (templates, SQL, ...) are carried into dist/ at the same relative paths.
RUN npm run build \
 && find libs services apps -path '*/src/*' -type f \
      ! -name '*.ts' ! -path '*/node_modules/*' \
      -exec cp --parents -n {} dist/ \; \
 && npm prune --omit=dev \
 && rm -rf /root/.npm \
 && for d in dist/libs/*/; do \
      lib="$(basename "$d")"; \
      node -e "require.resolve('@aftersales/${lib}')" 2>/dev/null \
      || { echo "@aftersales/${lib} does not resolve to dist/: node resolves libs/${lib}/package.json 'main' from node_modules/@aftersales/${lib}" >&2; exit 1; }; \
    done

# ---------------------------------------------------------------------------
# runtime: one service
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<intake|case|escalation|spares|survey|notify>" >&2; exit 1; }

ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    NODE_OPTIONS=--enable-source-maps \
    HOME=/tmp \
    TMPDIR=/tmp
WORKDIR /app

# Owned by root and not writable by the runtime user: the image itself is
# immutable even where the file system is not mounted read-only.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
# Workspace manifests: node_modules/@aftersales/* are symlinks to these
# folders, and their package.json `main` points into dist/.
COPY --from=manifests /out/libs ./libs
COPY --from=manifests /out/services ./services
COPY --from=manifests /out/apps ./apps
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/services/${SERVICE} ./dist/services/${SERVICE}
RUN test -f "dist/services/${SERVICE}/src/main.js" \
    || { echo "no dist/services/${SERVICE}/src/main.js: unknown SERVICE '${SERVICE}'?" >&2; exit 1; }

LABEL org.opencontainers.image.title="aftersales-${SERVICE}" \
      org.opencontainers.image.description="aftersales ${SERVICE} service" \
      org.opencontainers.image.licenses="Apache-2.0"

USER node
# `exec` makes node PID 1, so it receives SIGTERM directly and can drain
# (close HTTP, disconnect Kafka consumers, stop the outbox relay).
CMD ["/bin/sh", "-c", "exec node dist/services/${SERVICE}/src/main.js"]
