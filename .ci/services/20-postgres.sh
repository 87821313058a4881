# Starts a PostgreSQL server for the archive tests and exports EVOFORGE_TEST_PG_URL.
# Sourced by .ci/run after 00-apt.sh installed Debian's `postgresql`; runs as root.
# Idempotent: an existing cluster, role or database is reused, a running server is left alone.
pg_version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
# (grep without -q reads all its input: an early exit could fail the pipe under pipefail)
if ! pg_lsclusters -h | awk '{print $1 "/" $2}' | grep -x "$pg_version/main" >/dev/null; then
  pg_createcluster "$pg_version" main >/dev/null
fi
pg_port="$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')"
# `status` exits 3 when the cluster is down; `start` would fail on a running one.
if ! pg_ctlcluster "$pg_version" main status >/dev/null 2>&1; then
  pg_ctlcluster "$pg_version" main start
fi

pg_psql() { runuser -u postgres -- psql -p "$pg_port" -v ON_ERROR_STOP=1 -qtAX "$@"; }
# The tests create and drop one scratch database per test, hence CREATEDB.
if [ "$(pg_psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'evoforge'")" != "1" ]; then
  pg_psql -c "CREATE ROLE evoforge"
fi
pg_psql -c "ALTER ROLE evoforge LOGIN CREATEDB PASSWORD 'evoforge'"
if [ "$(pg_psql -c "SELECT 1 FROM pg_database WHERE datname = 'evoforge_test'")" != "1" ]; then
  pg_psql -c "CREATE DATABASE evoforge_test OWNER evoforge"
fi
export EVOFORGE_TEST_PG_URL="postgresql+psycopg://evoforge:evoforge@127.0.0.1:${pg_port}/evoforge_test"
unset pg_version pg_port
unset -f pg_psql
