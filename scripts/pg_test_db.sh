#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster (as root) and make the test role and database the server
# tests use; prints the URL to export as ODC_TEST_PG_URL. Fails (exit 1) when PostgreSQL cannot be
# started or prepared. The role may create databases: each test server gets a fresh one.
set -euo pipefail
ROLE=odc_test
PASSWORD=odc_test
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "error: PostgreSQL is not installed (pg_ctlcluster not found)" >&2
    exit 1
fi
pg_ctlcluster 15 main start >/dev/null 2>&1 || pg_ctlcluster 15 main status >/dev/null 2>&1 || {
    echo "error: PostgreSQL 15 could not be started" >&2
    exit 1
}
as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 1 30); do
    as_postgres -c "select 1" >/dev/null 2>&1 && break
    sleep 1
done
if [ "$(as_postgres -c "select 1 from pg_roles where rolname = '$ROLE'")" != "1" ]; then
    as_postgres -c "create role $ROLE login createdb password '$PASSWORD'"
fi
if [ "$(as_postgres -c "select 1 from pg_database where datname = '$ROLE'")" != "1" ]; then
    as_postgres -c "create database $ROLE owner $ROLE"
fi
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:5432/$ROLE"
