"""The module map in docs/architecture.md holds: imports run down the layers, no cycles."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

import infoview

PACKAGE = Path(infoview.__file__).parent
DOCS = Path(__file__).parent.parent / "docs" / "architecture.md"
LAYERS = ("foundation", "model", "languages", "drafts", "templates", "in and out", "command line")
# Helpers named in prose on the page rather than in the table.
HELPERS = {
    "_text": "foundation",
    "_show": "foundation",
    "_times": "foundation",
    "_fields": "foundation",
    "_json": "foundation",
    "_formats": "foundation",
    "_version": "foundation",
    "catalogs": "foundation",
    "errors": "foundation",
    "_headers": "drafts",
    "_bounds": "templates",
    "_filter_bounds": "templates",
}


@functools.cache
def documented_layers() -> dict[str, str]:
    """Read the table of docs/architecture.md: module → layer."""
    rows = re.findall(r"^\| `([\w.]+)` \| ([a-z ]+) \|", DOCS.read_text(encoding="utf-8"), re.M)
    return {**HELPERS, **dict(rows)}


def top_module(path: Path) -> str:
    """The first-level module a file belongs to (``importers/_table.py`` → ``importers``)."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


@functools.cache
def imports(*, deferred: bool = True) -> dict[str, set[str]]:
    """Every first-level module → the first-level infoview modules it imports.

    With ``deferred``, imports inside functions count too (they must still run
    down the layers); without, only those run when the module loads, the ones
    that can form an import cycle.
    """
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = top_module(path)
        if module in {"__init__", "__main__"}:
            continue
        targets = found.setdefault(module, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if deferred else _loaded(tree.body)
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "infoview":
                    targets |= {alias.name for alias in node.names}
                elif node.module.startswith("infoview."):
                    targets.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                targets |= {
                    a.name.split(".")[1]
                    for a in node.names
                    if a.name.count(".") and a.name.startswith("infoview.")
                }
        targets.discard(module)
        targets.discard("__version__")
    return found


def _loaded(body: list[ast.stmt]) -> list[ast.stmt]:
    """The import statements a module runs as it loads (not under TYPE_CHECKING)."""
    found: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            found += _loaded(node.body) + _loaded(node.orelse)
        elif isinstance(node, ast.Try):
            found += _loaded(node.body)
    return found


def test_every_module_is_on_the_map() -> None:
    """A new module must be added to docs/architecture.md, and a removed one taken off."""
    layers = documented_layers()
    assert set(imports()) == set(layers)
    assert set(layers.values()) <= set(LAYERS)


@pytest.mark.parametrize("module", sorted(imports()))
def test_imports_run_down_the_layers(module: str) -> None:
    """A module imports only modules of its own layer or those below it."""
    layers = documented_layers()
    rank = LAYERS.index(layers[module])
    upward = {t for t in imports()[module] if LAYERS.index(layers[t]) > rank}
    assert set() == upward


def test_no_import_cycles() -> None:
    """No chain of imports run at load time leads back to where it started."""
    graph = imports(deferred=False)
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert [] == cycles


def test_modules_stay_small() -> None:
    """No module is over 450 lines: one concern each."""
    big = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert {} == big
