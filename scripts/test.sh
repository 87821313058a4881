#!/usr/bin/env bash
# Runs the test suite: sets up .venv, then pytest. Extra arguments go to pytest.
# Tests that need PostgreSQL or Docker run when those services answer (see .ci/run);
# with EVOFORGE_REQUIRE_SERVICES=1 a missing service fails those tests instead of skipping them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
export LITELLM_LOCAL_MODEL_COST_MAP=True
cd "$root"
set +e
"$root/.venv/bin/python" -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "evoforge: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$status"
