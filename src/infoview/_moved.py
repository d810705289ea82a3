"""Old module paths that moved into the packages by concern, still importable with a warning.

``infoview.policy`` is now ``infoview.followups.policy``, and so on: a finder
at the end of ``sys.meta_path`` answers for each old path with a module that
warns and hands out the new module's names.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from importlib._abc import Loader  # importlib.abc.Loader itself (see _MovedLoader)
from types import ModuleType

__all__ = ["MOVED", "install"]

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


# importlib.abc is not imported: on Python 3.11 it loads importlib.resources (9 ms). Its
# Loader is importlib._abc's; the finder is a MetaPathFinder by its method.
class _MovedLoader(Loader):
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


class _MovedFinder:
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


def install() -> None:
    """Let the old module paths of :data:`MOVED` import (once per process)."""
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
