"""evoforge: self-evolving agents that cannot break their contracts.

This package is the trusted kernel (see docs/architecture.md). Evolved variant code never imports it
directly; it reaches the kernel only through the sandbox channel.
"""
import os

# litellm fetches a remote price table at import time unless told otherwise, which stalls
# offline machines for about ten seconds. Set before any module can import litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

__version__ = "0.1.0"
