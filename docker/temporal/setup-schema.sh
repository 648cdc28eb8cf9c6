#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's schema, or upgrades it to the version this
# admin-tools image ships. Safe to rerun; rerun it on every Temporal server upgrade, before the server.
# The databases themselves are made by docker/postgres/init-databases.sh.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"

nc -z -w 10 "$POSTGRES_SEEDS" "$port"
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="${pair##*:}"
  # temporal-sql-tool reads the password from SQL_PASSWORD.
  sql_tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $port -u $POSTGRES_USER --db $db"
  $sql_tool setup-schema -v 0.0
  $sql_tool update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
  echo "schema of $db is up to date"
done
