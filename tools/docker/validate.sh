#!/usr/bin/env bash
# Validates docker/docker-compose.yml the way `docker compose config` does (compose-go:
# compose-spec schema, interpolation of every required variable, references between
# services), against docker/.env.example, without a Docker engine.
#
#   bash tools/docker/validate.sh [compose-file] [env-file]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
compose="${1:-$root/docker/docker-compose.yml}"
env_file="${2:-$root/docker/.env.example}"
bin="$(bash "$root/tools/deploy/install-tools.sh")"
"$bin/compose-check" "$compose" "$env_file"
