#!/usr/bin/env bash
# Authorization Server benchmark, each operation against a bare in-memory oidc-provider, Keycloak and
# Ory Hydra (installed by tools/bench/install-peers.sh unless BENCH_PEERS=none), measured in rounds
# of the same run (ratios): client-credentials tokens/s and p99 (ES256 JWT, keep-alive, fixed
# concurrency), opaque-token introspection/s without and with token_type_hint, refresh/s (rotating,
# user re-checked with the identity backend), password sign-ins/s against the raw argon2id hash;
# CPU ms and Postgres transactions per operation (pg_stat_database) and each process's RSS, idle
# after the load.
# The services run with the V8 flags of their images (BENCH_NODE_OPTIONS to try others).
# Loopback only; each measurement is bounded (BENCH_SECONDS, default 10 s; BENCH_COUNTED_OPS).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
export BENCH_NODE_OPTIONS="${BENCH_NODE_OPTIONS-$(sed -n 's/.*NODE_OPTIONS="\(.*\)"/\1/p' docker/authorization-server.Dockerfile)}"
[ "${BENCH_PEERS:-}" = none ] || bash "$root/tools/bench/install-peers.sh"
npm run -s build
exec node dist/apps/authorization-server/bench/authz-bench.js
