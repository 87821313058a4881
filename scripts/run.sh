#!/usr/bin/env bash
# The main job, offline, on the embedded model: sets up .venv, then runs a short evolution run of
# the seed hyperagent on the car-origin domain, then the same run with the null model (every
# guarded call returns its fallback) and prints both: what the loop gained through the model.
# Extra arguments go to `evoforge run` (later ones win), e.g. `bash scripts/run.sh --seed 3`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
export LITELLM_LOCAL_MODEL_COST_MAP=True
cd "$root"
exec "$root/.venv/bin/evoforge" run --domain car-origin --generations 2 --parallel 2 --tasks 6 8 12 --max-calls 400 \
  --compare-null "$@"
