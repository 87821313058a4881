"""Test-wide settings. Area-specific fixtures live in their test modules or in support.py."""
import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
