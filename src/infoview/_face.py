"""How the package's face loads its names lazily and keeps moved module paths importing.

The face (``infoview/__init__.py``) writes each public name once, in its
``if TYPE_CHECKING:`` import block. :func:`load` reads that block the first
time a name is asked for and imports the name's module then. Modules that
moved into packages keep their old paths (``infoview.policy`` →
``infoview.followups.policy``) through a finder that warns and hands out the
new module's names.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

__all__ = ["MOVED", "install_moved_paths", "load", "public_names"]

#: Old module paths that moved into the packages by concern, and where they are now.
MOVED = {
    "infoview.business_days": "infoview.followups.business_days",
    "infoview.calendar": "infoview.mail.calendar",
    "infoview.catalogs": "infoview.language.catalogs",
    "infoview.contact": "infoview.model.contact",
    "infoview.draft": "infoview.mail.draft",
    "infoview.extract": "infoview.language.extract",
    "infoview.filters": "infoview.rendering.filters",
    "infoview.followup": "infoview.followups.followup",
    "infoview.i18n": "infoview.language.i18n",
    "infoview.interview": "infoview.model.interview",
    "infoview.introspect": "infoview.rendering.introspect",
    "infoview.journal": "infoview.sending.journal",
    "infoview.lifecycle": "infoview.model.lifecycle",
    "infoview.loaders": "infoview.rendering.loaders",
    "infoview.locales": "infoview.language.locales",
    "infoview.names": "infoview.model.names",
    "infoview.natural": "infoview.language.natural",
    "infoview.outbox": "infoview.mail.outbox",
    "infoview.policy": "infoview.followups.policy",
    "infoview.quality": "infoview.rendering.quality",
    "infoview.questions": "infoview.model.questions",
    "infoview.referrals": "infoview.model.referrals",
    "infoview.registry": "infoview.rendering.registry",
    "infoview.rules": "infoview.followups.rules",
    "infoview.serialize": "infoview.model.serialize",
    "infoview.specialize": "infoview.rendering.specialize",
    "infoview.templating": "infoview.rendering.templating",
    "infoview.texts": "infoview.model.texts",
    "infoview.todo": "infoview.followups.todo",
    "infoview.wording": "infoview.language.wording",
}


@functools.cache
def _homes(package: str) -> dict[str, str]:
    """Read the face's ``if TYPE_CHECKING:`` block: public name → the module it lives in."""
    spec = importlib.util.find_spec(package)
    loader = spec.loader if spec is not None else None
    source = loader.get_source(package) if isinstance(loader, importlib.abc.InspectLoader) else None
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


class _MovedLoader(importlib.abc.Loader):
    """Load an old module path as a copy of the new module's names, with a warning."""

    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        warnings.warn(
            f"{module.__name__} moved to {self.new}; import it from there "
            "(or use the name from infoview itself, where it is public)",
            DeprecationWarning,
            stacklevel=2,
        )
        new = importlib.import_module(self.new)
        names = {k: v for k, v in vars(new).items() if k not in _OWN}
        module.__dict__.update(names)


_OWN = frozenset({"__name__", "__spec__", "__loader__", "__file__", "__cached__", "__path__"})


class _MovedFinder(importlib.abc.MetaPathFinder):
    """Find the modules of :data:`MOVED` under their old paths."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _MovedLoader(new))


def install_moved_paths() -> None:
    """Let the old module paths of :data:`MOVED` import (once per process)."""
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
