#!/usr/bin/env bash
# First start of the compose Postgres only (docker-entrypoint-initdb.d): one database and
# one login role per service, each owning only its own database. Neither service can read
# the other's tables.
set -euo pipefail
: "${IDENTITY_DB_PASSWORD:?}" "${AUTHZ_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username postgres --dbname postgres \
  -v identity_password="$IDENTITY_DB_PASSWORD" -v authz_password="$AUTHZ_DB_PASSWORD" <<'SQL'
CREATE ROLE identity LOGIN PASSWORD :'identity_password';
CREATE ROLE authz LOGIN PASSWORD :'authz_password';
CREATE DATABASE identity OWNER identity;
CREATE DATABASE authz OWNER authz;
REVOKE ALL ON DATABASE identity FROM PUBLIC;
REVOKE ALL ON DATABASE authz FROM PUBLIC;
SQL
