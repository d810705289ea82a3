"""Build hook: ship the root ``templates/`` folder and compiled catalogs in the wheel.

``force-include`` in pyproject would also apply to editable installs, where it
breaks ``jinja2`` loaders; doing it here only for standard wheel builds keeps
``pip install -e .`` reading the templates straight from the source tree.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include templates and compiled ``.mo`` files into standard wheels."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add the templates folder and freshly compiled catalogs to the wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        force_include = build_data.setdefault("force_include", {})
        force_include[str(root / "templates")] = "infoview/templates"
        out = Path(tempfile.mkdtemp(prefix="infoview-mo-"))
        for po in sorted((root / "src" / "infoview" / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = out / po.relative_to(root / "src" / "infoview").with_suffix(".mo")
            _compile(po, mo)
            force_include[str(mo)] = "infoview/" + mo.relative_to(out).as_posix()


def _compile(po: Path, mo: Path) -> None:
    """Compile one ``.po`` file to ``.mo`` with Babel, refusing fuzzy entries."""
    with po.open("rb") as f:
        catalog = read_po(f)
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)
