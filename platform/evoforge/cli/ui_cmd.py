"""`evoforge ui`: the Streamlit web UI (ui/app.py), bound to localhost unless told otherwise."""
from __future__ import annotations

import argparse
import os
import sys

from evoforge.errors import EvoforgeError
from evoforge.paths import PROJECT_ROOT


def register(subparsers: argparse._SubParsersAction) -> None:
    ui = subparsers.add_parser("ui", help="web UI: launch runs, watch them, review lineage")
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost only)")
    ui.add_argument("--port", type=int, default=8501)
    ui.add_argument("--db", default=None, help="archive: a SQLite path or postgresql:// URL (default: $EVOFORGE_DB, else the user data dir)")
    ui.set_defaults(handler=run_ui)


def run_ui(args: argparse.Namespace) -> int:
    app = PROJECT_ROOT / "ui" / "app.py"
    if not app.is_file():
        raise EvoforgeError(f"the UI is missing: {app} not found")
    if args.db:
        os.environ["EVOFORGE_DB"] = args.db
    os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.address", args.host, "--server.port", str(args.port)]
    os.execv(sys.executable, command)
    return 0  # not reached
