"""Which provider failures are worth another try, and how each one reads as one line."""
from __future__ import annotations

import re

import httpx
import litellm

# Worth another try; anything else (bad key, unknown model, bad request) fails at once.
TRANSIENT = (
    litellm.exceptions.APIConnectionError,  # litellm.Timeout is a subclass
    litellm.exceptions.RateLimitError,
    litellm.exceptions.ServiceUnavailableError,
    litellm.exceptions.InternalServerError,
)

# litellm prefixes messages with its own and the provider's exception names.
_PREFIX = re.compile(r"^(litellm\.)?\w+(Error|Exception)\s*(:|-)\s*")


def describe(model: str, api_base: str | None, timeout_s: float, error: Exception, secret: str | None = None) -> str:
    """One line naming the model, what went wrong and what to do. Never includes the key:
    a provider's message may quote it, so `secret` is masked wherever it appears."""
    line = _first_line(error)
    if secret:
        line = line.replace(secret, "***")
    where = api_base or "its provider's default address"
    if _unreachable(error):
        return f"model '{model}' is unreachable at {where}: check the URL and that the server runs"
    if isinstance(error, litellm.exceptions.Timeout):
        return f"model '{model}' did not answer within {timeout_s:g} s: raise timeout_s or try again later"
    if isinstance(error, litellm.exceptions.AuthenticationError):
        return f"model '{model}' refused the credentials ({line}): check the key in your environment or models config"
    if isinstance(error, litellm.exceptions.NotFoundError):
        return f"model '{model}' was not found by its provider: check the model name ({line})"
    if isinstance(error, litellm.exceptions.RateLimitError):
        return f"model '{model}' is rate-limited by its provider: lower concurrency or try again later"
    if isinstance(error, litellm.exceptions.BadRequestError):
        return f"model '{model}' rejected the request: {line}"
    return f"model '{model}' failed: {line}"


def _unreachable(error: BaseException) -> bool:
    """True when, deep in the cause chain, a connection could not be opened."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, (httpx.ConnectError, ConnectionRefusedError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _first_line(error: Exception) -> str:
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    while _PREFIX.match(line):
        line = _PREFIX.sub("", line, count=1)
    return line[:300] or type(error).__name__
