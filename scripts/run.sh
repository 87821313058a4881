#!/usr/bin/env bash
# The main job, offline, on the embedded model: sets up .venv, then runs evoforge.
# Extra arguments are passed to `evoforge demo`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
export LITELLM_LOCAL_MODEL_COST_MAP=True
cd "$root"
exec "$root/.venv/bin/evoforge" demo "$@"
