#!/usr/bin/env bash
# Installs the pinned third-party software the interop suite (apps/interop-e2e) drives the
# platform with, into ~/.cache/identity-platform/interop, from the package registries only:
#   oauth2-proxy   go install from the Go module proxy
#   spring         tools/interop/spring built with Maven (Spring Boot from Maven Central); the jar
#                  is cached under a hash of the sources, so an unchanged fixture is not rebuilt
#   python         a venv with authlib, PyJWT[crypto] and requests from PyPI
# (express-openid-connect and openid-client are npm devDependencies/dependencies.)
# Idempotent: a second run finds everything cached and returns at once. One line per tool.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

OAUTH2_PROXY_VERSION=v7.15.6
PYTHON_PACKAGES="authlib==1.9.6 PyJWT[crypto]==2.15.1 requests==2.34.2"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/identity-platform/interop"
mkdir -p "$cache"
log() { printf '[interop] %s\n' "$*" >&2; }
failed=0

oauth2_proxy() {
  local target="$cache/oauth2-proxy-$OAUTH2_PROXY_VERSION"
  if [ ! -x "$target/oauth2-proxy" ]; then
    command -v go >/dev/null || { log "oauth2-proxy: Go is needed (go install)"; return 1; }
    rm -rf "$target.tmp" && mkdir -p "$target.tmp"
    GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOBIN="$target.tmp" \
      go install "github.com/oauth2-proxy/oauth2-proxy/v7@$OAUTH2_PROXY_VERSION" >"$cache/oauth2-proxy-build.log" 2>&1 ||
      { cat "$cache/oauth2-proxy-build.log" >&2; return 1; }
    rm -rf "$target" && mv "$target.tmp" "$target"
  fi
  ln -sf "$target/oauth2-proxy" "$cache/oauth2-proxy"
  log "oauth2-proxy $OAUTH2_PROXY_VERSION: $cache/oauth2-proxy"
}

spring() {
  local src="$root/tools/interop/spring"
  local hash
  hash="$(cd "$src" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
  local target="$cache/spring-$hash"
  if [ ! -f "$target/interop-spring.jar" ]; then
    command -v mvn >/dev/null && command -v java >/dev/null || { log "spring: Maven and Java 17 are needed"; return 1; }
    rm -rf "$target.build" && mkdir -p "$target.build"
    cp -r "$src/pom.xml" "$src/src" "$target.build/"
    (cd "$target.build" && mvn -q -B package -DskipTests >mvn.log 2>&1) || { cat "$target.build/mvn.log" >&2; return 1; }
    mkdir -p "$target" && mv "$target.build/target/interop-spring.jar" "$target/" && rm -rf "$target.build"
  fi
  ln -sf "$target/interop-spring.jar" "$cache/interop-spring.jar"
  log "spring (Boot 3.5.7): $cache/interop-spring.jar"
}

python() {
  local hash
  hash="$(printf '%s' "$PYTHON_PACKAGES" | sha256sum | cut -c1-16)"
  local venv="$cache/python-$hash"
  if [ ! -f "$venv/.complete" ]; then
    local py
    py="$(command -v python3.11 || command -v python3)" || { log "python: python3 is needed"; return 1; }
    # A venv's scripts name its own path, so it is built in place; .complete marks a finished one.
    rm -rf "$venv"
    "$py" -m venv "$venv"
    # shellcheck disable=SC2086 # a list of requirement specifiers
    "$venv/bin/pip" install --quiet --disable-pip-version-check $PYTHON_PACKAGES >&2
    touch "$venv/.complete"
  fi
  ln -sfn "$venv" "$cache/python"
  log "python ($PYTHON_PACKAGES): $cache/python/bin/python"
}

# oauth2-proxy and the jar build in parallel (two cores); the venv is quick.
oauth2_proxy & o2p=$!
spring & spr=$!
python || failed=1
wait "$o2p" || { log "oauth2-proxy: FAILED"; failed=1; }
wait "$spr" || { log "spring: FAILED"; failed=1; }
log "node: express-openid-connect $(node -p "require('$root/node_modules/express-openid-connect/package.json').version" 2>/dev/null || echo MISSING), openid-client $(node -p "require('$root/node_modules/openid-client/package.json').version" 2>/dev/null || echo MISSING)"
exit "$failed"
