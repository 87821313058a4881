"""The run layer every kind of run plugs into (docs/architecture.md): settings with shared
sections (settings.py), the kinds' registry (registry.py) and protocol (kind.py), the resources
a run is built from (services.py, resources.py), its one lifecycle (lifecycle.py), its events,
stop reasons and liveness. Nothing here imports a kind: kinds are named in the registry.

Submodules are imported by name; this package itself imports nothing, so `evoforge runs`,
which reads only the registry and liveness, stays fast."""
