"""The tau2-bench airline domain (see docs/airline.md): data, tools, user, write guard, scoring."""
