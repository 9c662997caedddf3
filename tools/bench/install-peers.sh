#!/usr/bin/env bash
# Installs the peers tools/bench/authz.sh measures beside our server, into
# ~/.cache/identity-platform/peers, from the package registries only:
#   keycloak  keycloak-quarkus-dist from Maven Central, built once for Postgres (kc.sh build); Java >= 21
#   hydra     Ory Hydra built from the Go module proxy (go get -tool in a scratch module)
# Idempotent: a second run finds both cached and returns at once. Prints one line per peer; a peer
# that cannot be installed is reported and left out of the benchmark (exit 0 with the other one).
set -euo pipefail

KEYCLOAK_VERSION=26.7.3
HYDRA_VERSION=v2.3.0
# The pop fork Hydra $HYDRA_VERSION's go.mod replaces github.com/gobuffalo/pop/v6 with.
HYDRA_POP_FORK=v6.2.1-0.20241121111754-e5dfc0f3344b

cache="${XDG_CACHE_HOME:-$HOME/.cache}/identity-platform/peers"
mkdir -p "$cache"
log() { printf '[peers] %s\n' "$*" >&2; }

# Keycloak 26 needs Java 21 or newer; the machine's default may be 17.
java21_home() {
  local candidate
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

keycloak() {
  local target="$cache/keycloak-$KEYCLOAK_VERSION"
  local java_home
  java_home="$(java21_home)" || { log "keycloak: no Java >= 21 (set KEYCLOAK_JAVA_HOME)"; return 1; }
  if [ ! -f "$target/.built" ]; then
    local archive="$cache/keycloak-$KEYCLOAK_VERSION.tar.gz"
    if [ ! -f "$archive" ]; then
      curl -sSfL -o "$archive.tmp" \
        "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" ||
        { log "keycloak: download from Maven Central failed"; return 1; }
      mv "$archive.tmp" "$archive"
    fi
    # (Called as `keycloak || …`, where set -e does not apply: every step checks itself.)
    rm -rf "$target" && tar -xzf "$archive" -C "$cache" || return 1
    # The build-time options of a production start: Postgres and the health endpoints.
    JAVA_HOME="$java_home" "$target/bin/kc.sh" build --db=postgres --health-enabled=true \
      >"$cache/keycloak-build.log" 2>&1 || { cat "$cache/keycloak-build.log" >&2; return 1; }
    touch "$target/.built"
  fi
  printf '%s\n' "$java_home" >"$target/.java-home"
  ln -sfn "$target" "$cache/keycloak"
  log "keycloak $KEYCLOAK_VERSION: $cache/keycloak (Java $java_home)"
}

hydra() {
  local target="$cache/hydra-$HYDRA_VERSION"
  if [ ! -x "$target/hydra" ]; then
    command -v go >/dev/null || { log "hydra: Go is needed"; return 1; }
    rm -rf "$target.tmp" && mkdir -p "$target.tmp/module"
    (
      cd "$target.tmp/module"
      printf 'module peers/hydra\n\ngo 1.26\n' >go.mod
      export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
      go get -tool "github.com/ory/hydra/v2@$HYDRA_VERSION" &&
        # Hydra's own go.mod replaces pop with Ory's fork; a dependency's replace does not apply here.
        go mod edit -replace "github.com/gobuffalo/pop/v6=github.com/ory/pop/v6@$HYDRA_POP_FORK" &&
        go mod tidy && go build -o ../hydra github.com/ory/hydra/v2
    ) >"$cache/hydra-build.log" 2>&1 || { cat "$cache/hydra-build.log" >&2; return 1; }
    rm -rf "$target" && mv "$target.tmp" "$target"
  fi
  ln -sf "$target/hydra" "$cache/hydra"
  log "hydra $HYDRA_VERSION: $cache/hydra"
}

keycloak || log "keycloak left out of the benchmark"
hydra || log "hydra left out of the benchmark"
