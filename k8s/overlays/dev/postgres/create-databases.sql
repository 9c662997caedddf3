-- First start of the dev Postgres only: one database per service (neither reads the other's).
CREATE DATABASE identity;
CREATE DATABASE authz;
