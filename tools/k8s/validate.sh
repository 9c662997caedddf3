#!/usr/bin/env bash
# Validates the Kubernetes manifests: `kustomize build` of the base and of every overlay,
# then strict schema validation of the output (unknown fields, wrong types, missing
# required fields) with kubeconform against the Kubernetes API schemas of each supported
# version, offline. Exits non-zero on the first broken overlay.
#
#   bash tools/k8s/validate.sh [--k8s-dir DIR] [--out DIR]
#
# --out keeps the rendered manifests (<out>/<overlay>.yaml) for further checks
# (tools/k8s/manifests.int.ts asserts probes, security contexts, policies on them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
k8s_dir="$root/k8s"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --k8s-dir) k8s_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [--k8s-dir DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.37.0}"
export K8S_VERSIONS

bin="$(bash "$root/tools/deploy/install-tools.sh")"
schemas="$(dirname "$bin")/k8s-schemas"
rendered="${out:-$(mktemp -d)}"
mkdir -p "$rendered"
[ -n "$out" ] || trap 'rm -rf "$rendered"' EXIT

targets=("$k8s_dir/base")
for overlay in "$k8s_dir"/overlays/*/; do targets+=("${overlay%/}"); done

files=()
for target in "${targets[@]}"; do
  name="$(basename "$target")"
  if ! "$bin/kustomize" build "$target" >"$rendered/$name.yaml"; then
    echo "FAIL $name: kustomize build $target failed" >&2
    exit 1
  fi
  files+=("$rendered/$name.yaml")
done

# One kubeconform run per Kubernetes version (the schemas are compiled once per run).
for version in $K8S_VERSIONS; do
  if ! result="$("$bin/kubeconform" -strict -summary -kubernetes-version "$version" \
    -schema-location "$schemas/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "${files[@]}")"; then
    echo "$result" >&2
    echo "FAIL: manifests invalid for Kubernetes $version" >&2
    exit 1
  fi
  echo "ok   ${targets[*]#"$k8s_dir/"} on Kubernetes $version: ${result##*Summary: }"
done
