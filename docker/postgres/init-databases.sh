#!/bin/sh
# Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d): one database
# and role for the app, and Temporal's two databases under a role of their own. Neither role can
# reach the other's databases. Names and passwords come from the environment (.env), never this file.
set -eu
: "${AA_DB_NAME:?}" "${AA_DB_USER:?}" "${AA_DB_PASSWORD:?}" "${TEMPORAL_DB_USER:?}" "${TEMPORAL_DB_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v aa_db="$AA_DB_NAME" -v aa_user="$AA_DB_USER" -v aa_password="$AA_DB_PASSWORD" \
  -v temporal_user="$TEMPORAL_DB_USER" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE :"aa_user" LOGIN PASSWORD :'aa_password';
CREATE DATABASE :"aa_db" OWNER :"aa_user";
REVOKE ALL ON DATABASE :"aa_db" FROM PUBLIC;

CREATE ROLE :"temporal_user" LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER :"temporal_user";
CREATE DATABASE temporal_visibility OWNER :"temporal_user";
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
SQL
