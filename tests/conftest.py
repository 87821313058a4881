"""Test-wide settings. Area-specific fixtures live in their test modules or in support.py."""
import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

pytest_plugins = ["scale_support"]  # the Ray cluster and scratch PostgreSQL fixtures of tests/test_scale_*.py
