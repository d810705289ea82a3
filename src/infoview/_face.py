"""How the package's face loads each public name on first use, from its one import block.

The face (``infoview/__init__.py``) writes each public name once, in its
``if TYPE_CHECKING:`` import block. :func:`load` reads that block the first
time a name is asked for and imports the name's module then.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.machinery
import importlib.util

__all__ = ["load", "public_names"]


@functools.cache
def _homes(package: str) -> dict[str, str]:
    """Read the face's ``if TYPE_CHECKING:`` block: public name → the module it lives in."""
    spec = importlib.util.find_spec(package)
    loader = spec.loader if spec is not None else None
    # An InspectLoader's get_source (importlib.abc is not imported: on 3.11 it loads resources).
    get_source = getattr(loader, "get_source", None)
    source = get_source(package) if callable(get_source) else None
    if source is None:  # pragma: no cover - only a source-less install could get here
        raise ImportError(f"cannot read the names of {package}: its source is not installed")
    homes: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        homes[alias.asname or alias.name] = statement.module
    return homes


def public_names(package: str) -> list[str]:
    """Return the face's ``__all__``: every name it re-exports, sorted."""
    return sorted([*_homes(package), "__version__"])


def load(package: str, name: str) -> object:
    """Return ``package.name``: a public name, ``__all__``, or a submodule.

    Raises:
        AttributeError: The package has no such name or submodule.
    """
    if name == "__all__":
        return public_names(package)
    module = _homes(package).get(name)
    if module is not None:
        home = importlib.import_module(module)
        try:
            return getattr(home, name)
        except AttributeError:  # a submodule re-exported as a name (samples)
            return importlib.import_module(f"{module}.{name}")
    if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}") is not None:
        return importlib.import_module(f"{package}.{name}")
    raise AttributeError(f"module {package!r} has no attribute {name!r}")
