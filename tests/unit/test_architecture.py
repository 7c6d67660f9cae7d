"""The package's shape: imports run one way, private names stay home, modules stay small.

The import graph is read from the source (``ast``), lazy imports inside functions included:
a cycle through a lazy import is still a cycle for a reader. An edge goes to the module named
(``from stance.io.atomic import write_text`` -> ``stance.io.atomic``; ``from stance.actors import
Mention`` -> the package ``stance.actors``), not to every package above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "stance"
MAX_LINES = 400

#: Lowest first: a module may import from its own layer and the ones before it, never after.
#: ``stance.cli`` and the package's ``__init__`` (the public API) sit on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("stance.errors",),
    ("stance.config", "stance.io"),
    ("stance.data",),
    ("stance.actors",),
    ("stance.events",),
    ("stance.features",),
    ("stance.models",),
    ("stance.dyads",),
    ("stance.evaluation",),
    ("stance.predict",),
    ("stance.reports",),
    ("stance.train",),
    ("stance.cli", "stance"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _package_of(name: str) -> str:
    """The package a module's relative imports start from."""
    is_package = MODULES[name].name == "__init__.py"
    return name if is_package else name.rpartition(".")[0]


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """``(imported module, imported name or None, line)`` for every import in module `name`."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(name).split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, None, node.lineno))
                else:
                    found.append((base, alias.name, node.lineno))
    return [(module, item, line) for module, item, line in found if module.startswith("stance")]


GRAPH: dict[str, set[str]] = {
    name: {module for module, _, _ in _imports(name) if module in MODULES} for name in MODULES
}


def _layer(name: str) -> int:
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            inside = name == prefix or name.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    assert best is not None, f"{name} is in no layer of LAYERS; add its package there"
    return best[0]


def _cycles() -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in GRAPH[node]:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read():
    assert len(MODULES) > 50
    assert "stance.io.atomic" in GRAPH["stance.train.experiment"]
    assert "stance.actors.gazetteer" in GRAPH["stance.actors"]  # a relative import


def test_no_import_cycle():
    assert _cycles() == []


def test_imports_run_down_the_layers():
    upward = [
        f"{name} -> {target}"
        for name, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert upward == []


def test_no_private_name_is_imported_from_another_module():
    private = [
        f"{MODULES[name].relative_to(ROOT.parent)}:{line} imports {item} from {module}"
        for name in MODULES
        for module, item, line in _imports(name)
        if item is not None and item.startswith("_") and not item.startswith("__")
    ]
    private += [
        f"{name} imports the private module {module}"
        for name in MODULES
        for module, _, _ in _imports(name)
        if any(part.startswith("_") and part != "__init__" for part in module.split("."))
    ]
    assert private == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_small(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it (at most {MAX_LINES})"


def test_one_span_type():
    """``Span`` means one thing: the ``(start, end)`` offsets of :mod:`stance.features.spans`."""
    defined = [
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ClassDef) and node.name.lstrip("_") == "Span")
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id.lstrip("_") == "Span" for t in node.targets)
        )
    ]
    assert defined == ["stance.features.spans"]
