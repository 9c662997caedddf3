#!/usr/bin/env bash
# Identity Backend benchmark: user lookup p50/p99 and throughput, email-prefix search p99
# over 100k users, sign-ins/s as a ratio of the raw hash (argon2id at OWASP's cost and bcrypt 12),
# argon2id sign-ins/s over bcrypt's, Postgres transactions per sign-in.
# Loopback only; every measurement is bounded (BENCH_SECONDS, default 10 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
npm run -s build
exec node dist/apps/identity-backend/bench/identity-bench.js
