"""The kernel's import graph has layers and no circles (docs/architecture.md): a package imports
only from packages below it, so each layer can be read, tested and replaced without the ones
above it. Imports inside functions and under TYPE_CHECKING count too: a lazy import is still a
dependency."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PLATFORM = Path(__file__).resolve().parent.parent / "platform"

# Lowest first. A module at the package's top level is its own unit (evoforge.errors...).
LAYERS: list[set[str]] = [
    {"evoforge", "errors", "paths", "lazy", "cache_folder", "lookup_cache", "splits", "toml_syntax"},
    {"models"},
    {"contracts"},
    {"sandbox", "archive"},
    {"domains"},
    {"scale", "runs"},
    {"evolution", "synthesis"},
    {"cli"},
]
FOUNDATION = 0  # its units may import each other (no circle still)


def module_files() -> dict[str, Path]:
    modules = {}
    for path in (PLATFORM / "evoforge").rglob("*.py"):
        parts = list(path.relative_to(PLATFORM).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the evoforge modules it imports (relative imports resolved)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[:len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_of(unit_name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if unit_name in layer:
            return index
    raise AssertionError(f"evoforge.{unit_name} is in no layer: add it to LAYERS in {__file__} and to docs/architecture.md")


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_reader_sees_imports_of_every_form(tmp_path: Path) -> None:
    """The checks below are only as good as the import reader: it must see absolute, relative,
    lazy (inside a function) and TYPE_CHECKING imports."""
    package = tmp_path / "evoforge"
    (package / "low").mkdir(parents=True)
    files = {
        "evoforge": package / "__init__.py",
        "evoforge.low": package / "low" / "__init__.py",
        "evoforge.low.a": package / "low" / "a.py",
        "evoforge.low.b": package / "low" / "b.py",
        "evoforge.low.c": package / "low" / "c.py",
        "evoforge.high": package / "high.py",
    }
    for path in files.values():
        path.write_text("")
    files["evoforge.low.a"].write_text("from . import b\nfrom .c import thing\n")
    files["evoforge.low.b"].write_text("def later():\n    import evoforge.high\n")
    files["evoforge.low.c"].write_text("if TYPE_CHECKING:\n    from evoforge.high import X\n")
    graph = imports(files)
    assert graph["evoforge.low.a"] == {"evoforge.low", "evoforge.low.b", "evoforge.low.c"}
    assert graph["evoforge.low.b"] == {"evoforge.high"}
    assert graph["evoforge.low.c"] == {"evoforge.high"}


def test_no_module_circle() -> None:
    found = circles(imports(module_files()))
    assert not found, "import circles (break each by moving the shared piece down into its own module): " + "; ".join(" <-> ".join(c) for c in found)


def test_no_import_runs_upward() -> None:
    graph = imports(module_files())
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if unit(source) != unit(target) and layer_of(unit(target)) >= layer_of(unit(source)) and layer_of(unit(source)) != FOUNDATION
    )
    assert not upward, "imports from a layer to one above it or beside it (see LAYERS): " + "; ".join(upward)


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
