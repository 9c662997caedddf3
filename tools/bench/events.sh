#!/usr/bin/env bash
# Lifecycle events benchmark: end-to-end lag (outbox commit -> consumed by a kafkajs consumer)
# p50/p99 at a sustained commit rate, through the built identity backend's outbox relay,
# an embedded Postgres and a local Kafka broker. Loopback only.
# Defaults: 500 events/s for 60 s (target p99 < 1 s); BENCH_EVENTS_RATE, BENCH_EVENTS_SECONDS
# and BENCH_EVENTS_KEYS override, e.g. BENCH_EVENTS_SECONDS=5 for a quick run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
npm run -s build
# kafkajs 2.2.4 on Node 24 warns about a negative internal timeout (harmless); keep the output readable.
exec node --no-warnings=TimeoutNegativeWarning dist/tools/bench/events-bench.js
