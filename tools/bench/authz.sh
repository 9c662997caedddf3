#!/usr/bin/env bash
# Authorization Server benchmark: client-credentials tokens/s and p99 (ES256 JWT, keep-alive,
# fixed concurrency), introspection/s, refresh/s (rotating, user re-checked with the identity
# backend), and the ratio to a bare in-memory oidc-provider.
# Loopback only; each measurement is bounded (BENCH_SECONDS, default 10 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
npm run -s build
exec node dist/apps/authorization-server/bench/authz-bench.js
