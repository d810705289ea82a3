"""Build hook: ship the root ``templates/`` folder and compiled catalogs in the wheel.

``force-include`` in pyproject would also apply to editable installs, where it
breaks ``jinja2`` loaders; doing it here only for standard wheel builds keeps
``pip install -e .`` reading the templates straight from the source tree.

The ``.mo`` files are compiled by ``infoview.language.catalogs.compile_catalog``, the
compiler the package itself uses. It is loaded from its file: the build
environment has Babel but not infoview's other dependencies, so importing the
package would fail.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include templates and compiled ``.mo`` files into standard wheels."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add the templates folder and freshly compiled catalogs to the wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        package = root / "src" / "infoview"
        force_include = build_data.setdefault("force_include", {})
        force_include[str(root / "templates")] = "infoview/templates"
        compile_catalog = _load_compiler(package / "language" / "catalogs.py")
        out = Path(tempfile.mkdtemp(prefix="infoview-mo-"))
        for po in sorted((package / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = out / po.relative_to(package).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            compile_catalog(po, mo)
            force_include[str(mo)] = "infoview/" + mo.relative_to(out).as_posix()


def _load_compiler(path: Path) -> Callable[[Path, Path], None]:
    """Load ``compile_catalog`` from ``language/catalogs.py`` without importing infoview."""
    spec = importlib.util.spec_from_file_location("_infoview_catalogs", path)
    if spec is None or spec.loader is None:  # pragma: no cover - only a broken checkout
        raise RuntimeError(f"cannot load the catalog compiler from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compiler: Callable[[Path, Path], None] = module.compile_catalog
    return compiler
