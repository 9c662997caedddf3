# syntax=docker/dockerfile:1
# Authorization Server (OAuth 2.x / OpenID Connect) image. Build from the repository root:
#
#   docker build -f docker/authorization-server.Dockerfile -t identity-platform/authorization-server .
#
# Every build step is a script of the repository that the test suite also runs outside
# Docker (tools/build/production.int.ts builds the same artifact with the same script and
# starts it with plain node against real Postgres). The runtime image holds Node and that
# artifact only: no npm cache, no dev dependencies, no compiler, no shell scripts of ours.
#
# Pinned to an exact Node release; for reproducible production builds pin the digest as
# well, e.g. --build-arg NODE_IMAGE=node:24.21.0-bookworm-slim@sha256:<digest>.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
# Dependencies first, so this layer is reused until package.json or the lockfile change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# Compile, keep only the files and packages authorization-server needs: /out/main.js, /out/healthcheck.js, /out/node_modules,
# and the built consoles it serves at /console and /account: /out/web.
RUN bash tools/build/production.sh authorization-server /out --copy

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="identity-platform/authorization-server" \
      org.opencontainers.image.licenses="Apache-2.0"
# V8 heap sized for a 384 MiB container (docs/operations.md §7 "Memory"): without a cap V8 keeps
# a heap of 400+ MiB after a load peak; with it, idle RSS after load is about 200 MiB.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=8"
WORKDIR /app
# Owned by root and not writable by the service user: works with a read-only root filesystem
# (the service writes nothing to disk; logs go to stdout).
COPY --from=build --chown=root:root /out /app
# The image's unprivileged "node" user, numerically (Kubernetes runAsNonRoot can verify it).
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.js"]
ENTRYPOINT ["node", "/app/main.js"]
# "migrate" applies the database migrations and exits; run it before "serve" on every upgrade.
CMD ["serve"]
