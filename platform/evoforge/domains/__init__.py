"""Task domains: tasks with splits, trusted evaluators, and the contracts their agents call.

Built-in modules, built-in and user folders (`domain.toml`), and installed packages (entry
point group `evoforge.domains`) are all found by `get_domain`; see docs/domains.md."""
from evoforge.domains.base import Domain, Score, Split, Task, ToolDomain, ToolSession
from evoforge.domains.registry import DomainEntry, domain_entries, get_domain, list_domains

__all__ = ["Domain", "DomainEntry", "Score", "Split", "Task", "ToolDomain", "ToolSession", "domain_entries", "get_domain", "list_domains"]
