# Starts a real two-node Ray cluster on this machine (a head and one worker node, one CPU and a
# 100 MB object store each) for the scale tests, and exports its address as
# EVOFORGE_TEST_RAY_ADDRESS. Sourced by .ci/run after 20-postgres.sh; .ci/run stops it on exit.
# The nodes' environment is the workers' environment: they import this checkout's evoforge
# and read the archive's password from PGPASSWORD (it never travels with the work).
ray_dir="${TMPDIR:-/tmp}/evoforge-ci-ray"
scripts/ray-cluster.sh stop "$ray_dir"  # a cluster left by an earlier, killed CI run
PGPASSWORD="$(.venv/bin/python -c 'import os; from sqlalchemy.engine import make_url; print(make_url(os.environ["EVOFORGE_TEST_PG_URL"]).password or "")')" \
  RAY_BIN=.venv/bin/ray scripts/ray-cluster.sh start "$ray_dir" 2 >/dev/null
export EVOFORGE_TEST_RAY_ADDRESS="$(cat "$ray_dir/address")"
export EVOFORGE_TEST_RAY_DIR="$ray_dir"
unset ray_dir
