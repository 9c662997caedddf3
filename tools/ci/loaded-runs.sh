#!/usr/bin/env bash
# Checks that CI holds on a busy machine: runs `.ci/run` on N fresh clones of HEAD, one after the
# other, each while tools/ci/cpu-load.mjs keeps the cores busy, and prints each run's result,
# duration and stage times. Stops at the first red run (the target is N green in a row).
# usage: bash tools/ci/loaded-runs.sh [runs=3] [load workers=2]   (logs in $LOADED_RUNS_DIR, default /tmp)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-3}"
workers="${2:-2}"
logs="${LOADED_RUNS_DIR:-/tmp}"
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin="$(command -v node)"
commit="$(git -C "$root" rev-parse --short HEAD)"

for i in $(seq 1 "$runs"); do
  clone="$(mktemp -d /tmp/loaded-run-XXXXXX)"
  # mktemp's 0700 would keep out the dedicated postgres OS user (the harness refuses to start then).
  chmod 755 "$clone"
  log="$logs/loaded-run-$commit-$i.log"
  git clone -q "$root" "$clone"
  # The load outlives no run: it is stopped when the run ends, and stops by itself after 40 min.
  "$node_bin" "$root/tools/ci/cpu-load.mjs" 2400 "$workers" 2>/dev/null &
  load=$!
  started=$SECONDS
  (cd "$clone" && CI=true bash .ci/run >"$log" 2>&1)
  rc=$?
  kill "$load" 2>/dev/null
  wait "$load" 2>/dev/null
  duration=$((SECONDS - started))
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
  echo "run $i of $runs at $commit: $([ "$rc" -eq 0 ] && echo green || echo "RED (exit $rc)"), ${duration} s, ${summary:-no test summary} (log: $log)"
  grep -E '^\[test\] .* at [0-9]+ s$|rotation under load' "$log" | sed 's/^ */  /'
  rm -rf "$clone"
  [ "$rc" -eq 0 ] || exit "$rc"
done
