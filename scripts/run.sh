#!/usr/bin/env bash
# The main job, offline, on the embedded model: sets up .venv, then runs a short evolution run
# of the seed hyperagent on the arithmetic domain. Extra arguments go to `evoforge run`
# (later ones win), e.g. `bash scripts/run.sh --generations 5 --db runs.db`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
export LITELLM_LOCAL_MODEL_COST_MAP=True
cd "$root"
exec "$root/.venv/bin/evoforge" run --domain arithmetic --generations 3 --parallel 2 --tasks 4 4 8 "$@"
