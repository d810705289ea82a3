"""The package map in docs/architecture.md holds: imports run one way, no cycles."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

import infoview

PACKAGE = Path(infoview.__file__).parent
DOCS = Path(__file__).parent.parent / "docs" / "architecture.md"
# The modules at the package's root that every package may use.
FOUNDATION = {"errors", "_version", "_face", "_moved", "_kept"}


@functools.cache
def declared() -> dict[str, set[str]]:
    """Read the map's table of docs/architecture.md: package → the packages it may import."""
    rows = re.findall(r"^\| `(\w+)/` \| ([^|]*) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    return {
        package: set(re.findall(r"`(\w+)/`", allowed)) if "everything" not in allowed else {"*"}
        for package, allowed in rows
    }


@functools.cache
def documented_modules() -> dict[str, set[str]]:
    """Read the page's module lists: package → the modules named under its heading."""
    found: dict[str, set[str]] = {}
    package = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)/`", line)
        if heading:
            package = heading[1]
            found.setdefault(package, set())
        elif line.startswith("## "):
            package = None
        elif package and (item := re.match(r"^- `(\w+)`", line)):
            found[package].add(item[1])
    return found


def packages() -> list[str]:
    """The packages by concern: the folders of ``src/infoview`` that hold code."""
    return sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def owner(module: str) -> str:
    """The package (or foundation module) a dotted infoview module belongs to."""
    return module.split(".")[1] if module.count(".") else "face"


@functools.cache
def imports(*, deferred: bool = True) -> dict[str, set[str]]:
    """Every module (dotted) → the infoview modules it imports.

    With ``deferred``, imports inside functions and under ``TYPE_CHECKING``
    count too (they must still run the declared way); without, only those
    run when the module loads, the ones that can form an import cycle.
    """
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        module = ".".join(("infoview", *parts)).removesuffix(".__init__")
        targets = found.setdefault(module, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if deferred else _loaded(tree.body)
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "infoview" or node.module.startswith("infoview."):
                    # ``from infoview.bulk import _parallel`` imports the submodule.
                    targets |= {_target(node.module, alias.name) for alias in node.names}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("infoview.")}
        targets.discard(module)
        targets.discard("infoview.__version__")
    return found


def _target(module: str, name: str) -> str:
    """The module ``from module import name`` loads: a submodule of that name, else the module."""
    folder = PACKAGE.joinpath(*module.split(".")[1:], name)
    if folder.with_suffix(".py").is_file() or (folder / "__init__.py").is_file():
        return f"{module}.{name}"
    return module


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


def test_every_package_is_on_the_map() -> None:
    """A new package must be added to docs/architecture.md, and a removed one taken off."""
    assert packages() == sorted(declared())
    root = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert FOUNDATION == root


def test_every_module_is_listed_under_its_package() -> None:
    """The page lists each package's modules, exactly those in its folder."""
    listed = documented_modules()
    for package in packages():
        modules = {p.stem for p in (PACKAGE / package).glob("*.py")} - {"__init__"}
        assert (package, modules) == (package, listed.get(package, set()))


def test_each_module_is_described_by_its_docstring() -> None:
    """Each module's line on the page is its docstring's first line, so the map cannot drift."""
    text = DOCS.read_text(encoding="utf-8")
    for package in packages():
        for path in sorted((PACKAGE / package).glob("*.py")):
            if path.stem == "__init__":
                continue
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            line = f"- `{path.stem}` — {docstring.splitlines()[0]}"
            assert line in text, f"docs/architecture.md should have: {line}"


def test_the_declared_direction_has_no_cycle() -> None:
    """What the page says each package may import never leads back to it."""
    allowed = declared()

    def below(package: str, seen: tuple[str, ...]) -> None:
        assert package not in seen, " → ".join((*seen, package))
        for other in allowed[package] - {"*"}:
            below(other, (*seen, package))

    for package in allowed:
        below(package, ())


@pytest.mark.parametrize("module", sorted(imports()))
def test_imports_run_the_declared_way(module: str) -> None:
    """A module imports its own package, the foundation, and the packages its own may import.

    Imports inside functions and under ``TYPE_CHECKING`` count too.
    """
    home = owner(module)
    if home in FOUNDATION:
        allowed_packages: set[str] = set()
    elif home in {"face", "__main__"} or "*" in declared()[home]:
        allowed_packages = {*packages(), "face"}
    else:
        allowed_packages = declared()[home]
    against = {
        target
        for target in imports()[module]
        if owner(target) not in FOUNDATION | {home} | allowed_packages
    }
    assert set() == against


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


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_every_module_states_its_concern(path: Path) -> None:
    """Each module and package opens with a docstring whose first line says what it owns."""
    if path.name in {"_version.py", "__main__.py"}:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.relative_to(PACKAGE)} has no docstring"
    first = docstring.splitlines()[0]
    assert first.endswith("."), first
    assert len(first) <= 100, first
