"""evoforge UI: `evoforge ui` runs `streamlit run ui/app.py`. The archive comes from $EVOFORGE_DB."""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pages import data, launcher, widgets

from widgets import shown_as_message  # noqa: E402

st.set_page_config(page_title="evoforge", layout="wide")
page = st.navigation([
    st.Page("views/runs.py", title="Runs", default=True),
    st.Page("views/run.py", title="Run"),
    st.Page("views/variant.py", title="Variant"),
    st.Page("views/contracts.py", title="Contracts"),
])
with shown_as_message("this page"):
    page.run()
