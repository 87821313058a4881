"""Task domains: tasks with splits, trusted evaluators, and the contracts their agents call."""
from evoforge.domains.base import DOMAINS, Domain, Score, Split, Task, ToolDomain, ToolSession, get_domain, list_domains, register_domain

__all__ = ["DOMAINS", "Domain", "Score", "Split", "Task", "ToolDomain", "ToolSession", "get_domain", "list_domains", "register_domain"]
