#!/usr/bin/env bash
# Installs the pinned tools that validate the deployment files, into a per-user cache
# (~/.cache/identity-platform/deploy-tools), from the package registries only:
#   kustomize and kubeconform   built from the Go module proxy (go install, pinned versions)
#   compose-check               tools/docker/compose-check, built with compose-go (the library
#                               `docker compose` uses to load and validate compose files)
#   Kubernetes JSON schemas     from the kubernetes-validate wheel on PyPI (pinned, sha256-checked),
#                               rewritten for offline use (no $id, local $refs)
# Idempotent: a second run finds everything cached and returns at once. Prints the bin dir.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

KUSTOMIZE_VERSION=v5.8.2
KUBECONFORM_VERSION=v0.8.0
K8S_SCHEMAS_PACKAGE=kubernetes-validate==1.37.0
K8S_SCHEMAS_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
# Kubernetes versions the manifests are validated against (oldest supported, newest known).
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.37.0}"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/identity-platform/deploy-tools"
bin="$cache/bin"
mkdir -p "$bin"
log() { printf '[deploy-tools] %s\n' "$*" >&2; }

need_go() {
  if ! command -v go >/dev/null; then
    log "Go (1.24 or newer) is needed to build kustomize, kubeconform and compose-check; install it and re-run"
    exit 1
  fi
}

go_install() { # name module version
  local name="$1" module="$2" version="$3" target="$cache/$1-$3"
  if [ ! -x "$target/$name" ]; then
    need_go
    log "building $name $version (go install $module@$version)"
    mkdir -p "$target"
    GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOBIN="$target" go install "$module@$version"
  fi
  ln -sf "$target/$name" "$bin/$name"
}

go_install kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" &
kustomize_pid=$!
go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" &
kubeconform_pid=$!
wait "$kustomize_pid"
wait "$kubeconform_pid"

checker_src="$root/tools/docker/compose-check"
checker_hash="$(cat "$checker_src/go.mod" "$checker_src/go.sum" "$checker_src/main.go" | sha256sum | cut -c1-16)"
if [ ! -x "$cache/compose-check-$checker_hash/compose-check" ]; then
  need_go
  log "building compose-check ($checker_src)"
  mkdir -p "$cache/compose-check-$checker_hash"
  (cd "$checker_src" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -o "$cache/compose-check-$checker_hash/compose-check" .)
fi
ln -sf "$cache/compose-check-$checker_hash/compose-check" "$bin/compose-check"

schemas="$cache/k8s-schemas-$K8S_SCHEMAS_SHA256"
missing=""
for version in $K8S_VERSIONS; do [ -d "$schemas/v$version-local-strict" ] || missing="$missing $version"; done
if [ -n "$missing" ]; then
  if ! command -v python3 >/dev/null; then
    log "python3 (with pip) is needed to fetch the Kubernetes schemas; install it and re-run"
    exit 1
  fi
  log "fetching Kubernetes JSON schemas ($K8S_SCHEMAS_PACKAGE) for$missing"
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  echo "$K8S_SCHEMAS_PACKAGE --hash=sha256:$K8S_SCHEMAS_SHA256" >"$download/requirements.txt"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --require-hashes -r "$download/requirements.txt" -d "$download"
  python3 - "$download"/*.whl "$schemas" $missing <<'PY'
import json, os, sys, zipfile
wheel, target, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
prefix = 'kubernetes_validate/kubernetes-json-schema/'
with zipfile.ZipFile(wheel) as archive:
    for version in versions:
        folder = f'v{version}-local-strict'
        out = os.path.join(target, folder + '.tmp')
        os.makedirs(out, exist_ok=True)
        names = [n for n in archive.namelist() if n.startswith(f'{prefix}{folder}/') and n.endswith('.json')]
        if not names:
            sys.exit(f'no schemas for Kubernetes {version} in {os.path.basename(wheel)}')
        for name in names:
            schema = json.loads(archive.read(name))
            # The schemas reference each other through https://kubernetes.io/api/... ids;
            # drop the ids so references resolve next to the file, offline.
            schema.pop('$id', None)
            text = json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')
            with open(os.path.join(out, os.path.basename(name)), 'w') as f:
                f.write(text)
        os.replace(out, os.path.join(target, folder))
PY
fi
ln -sfn "$schemas" "$cache/k8s-schemas"
echo "$bin"
