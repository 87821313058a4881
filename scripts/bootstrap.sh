#!/usr/bin/env bash
# Creates ./.venv and installs evoforge (with its test tools) into it.
# Idempotent: it reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.evoforge-installed"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
BFCL_WHEEL=bfcl-eval BFCL_VERSION=2026.3.23  # the bfcl domain's data (its tests expect this version's tasks)

if [ ! -x "$venv/bin/python" ]; then
  echo "evoforge: creating the virtual environment in $venv"
  python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "evoforge: installing dependencies (the first time compiles llama.cpp: about 6 minutes on 2 cores)"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -e "$root[test,scale]"
  echo "$want" > "$stamp"
fi
# The bfcl domain reads the data files of the bfcl-eval wheel and never imports it, so the wheel
# comes without its (large) dependencies: a pip dependency of evoforge would pull them in.
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$BFCL_WHEEL') != '$BFCL_VERSION')" 2>/dev/null; then
  echo "evoforge: installing the BFCL data ($BFCL_WHEEL, without its dependencies)"
  "$venv/bin/pip" install --quiet --no-deps "$BFCL_WHEEL==$BFCL_VERSION"
fi
