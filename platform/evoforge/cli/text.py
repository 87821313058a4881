"""Small text helpers for command output."""
from __future__ import annotations


def clip(text: str, limit: int) -> str:
    """`text` on one line (whitespace runs collapsed), cut to `limit` characters with '...'."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
