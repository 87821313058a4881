"""Test-wide settings. Area-specific fixtures live in their test modules or in support.py."""
import os
import tempfile

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# Remembered proofs (contracts/proof_cache.py) go to a folder of this test session, never the user's.
os.environ["EVOFORGE_CACHE_DIR"] = tempfile.mkdtemp(prefix="evoforge-test-cache-")
