#!/usr/bin/env bash
# Production build of one service, as a self-contained directory started with plain Node:
#
#   bash tools/build/production.sh identity-backend /srv/identity-backend
#   node /srv/identity-backend/main.js migrate && node /srv/identity-backend/main.js serve
#
# The directory holds the compiled service and only the shared libraries it reaches
# (@platform/* aliases already rewritten to relative paths), healthcheck.js, a package.json
# and package-lock.json listing only its production dependencies, and node_modules with
# exactly those packages (hard-linked from the workspace's node_modules when possible,
# copied otherwise or with --copy); the authorization server's also holds the built browser
# apps in web/console and web/account, which it serves at /console and /account. Needs the
# workspace's dependencies installed (`npm ci` or tools/setup.sh); no network. The Dockerfiles
# in docker/ run this same script, and tools/build/production.int.ts starts its output
# against real Postgres.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"

usage() {
  echo "usage: $0 identity-backend|authorization-server <out-dir> [--copy]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
service="$1"
out="$2"
shift 2
case "$service" in identity-backend | authorization-server) ;; *) usage ;; esac
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

# Compile into a private staging directory (never into dist/, which tests may be reading).
stage="$(mktemp -d "${TMPDIR:-/tmp}/production-build.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
swc "apps/$service/src" libs/shared tools/build --out-dir "$stage" --config-file .swcrc --quiet
web=()
if [ "$service" = authorization-server ]; then
  # The browser apps it serves at /console and /account (web-apps/), built by vite as
  # `npm run build` builds them (their API types are type-only imports: no generated file needed).
  for app in console account; do
    vite build "apps/$app" --outDir "$stage/web/$app" --emptyOutDir --logLevel warn
  done
  web=(--web "$stage/web")
fi
node "$stage/tools/build/assemble.js" --service "$service" --compiled "$stage" --out "$out" --workspace "$root" "${web[@]}" "$@"
