#!/usr/bin/env bash
# Creates ./.venv and installs evoforge (with its test tools) into it.
# Idempotent: it reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.evoforge-installed"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"

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
