"""Task domains: tasks with splits, trusted evaluators, and the contracts their agents call.

Built-in modules, built-in and user folders (`domain.toml`), and installed packages (entry
point group `evoforge.domains`) are all found by `get_domain`; see docs/domains.md.

The names below are imported on first use, so that listing domains (listing.py) loads neither
the domain protocols nor the manifest reader."""
from evoforge.lazy import lazy_exports

_EXPORTS = {
    "evoforge.domains.base": ["Domain", "Score", "Split", "Task", "ToolDomain", "ToolSession"],
    "evoforge.domains.catalog": ["DomainEntry"],
    "evoforge.domains.listing": ["domain_entries", "list_domains"],
    "evoforge.domains.registry": ["get_domain"],
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
