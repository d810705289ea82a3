"""The package's face: every public name loads on first use, and importing is quick."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import infoview
from infoview import _moved


@pytest.mark.parametrize("name", infoview.__all__)
def test_public_name_resolves(name: str) -> None:
    """Each name in __all__ is there, and is the object its module defines."""
    value = getattr(infoview, name)
    module = getattr(value, "__module__", None)
    if name != "__version__" and isinstance(module, str) and module.startswith("infoview."):
        assert value is getattr(importlib.import_module(module), name, value)
    assert name in dir(infoview)


def test_functions_keep_their_names_beside_modules() -> None:
    """``infoview.lint`` and ``infoview.due`` stay functions once every module is loaded."""
    for module in (
        "rendering.quality",
        "followups.todo",
        "followups.policy",
        "rendering.templating",
        "mail.calendar",
        "bulk",
        "importers",
    ):
        importlib.import_module(f"infoview.{module}")
    assert callable(infoview.lint)
    assert callable(infoview.due)
    assert "quality" == infoview.lint.__module__.rpartition(".")[2]


@pytest.mark.parametrize(("old", "new"), sorted(_moved.MOVED.items()))
def test_moved_module_paths_still_import(old: str, new: str) -> None:
    """A module path from before the packages (``infoview.policy``) imports, with a warning."""
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
        moved = importlib.import_module(old)
    current = importlib.import_module(new)
    public = getattr(current, "__all__", [n for n in vars(current) if not n.startswith("_")])
    assert public
    for name in public:
        assert getattr(current, name) is getattr(moved, name)


def test_names_are_written_once() -> None:
    """The face's ``__all__`` is read from its one import block, and every name loads."""
    source = (Path(infoview.__file__)).read_text(encoding="utf-8")
    for name in infoview.__all__:
        if name != "__version__":
            assert 1 == len(re.findall(rf"\b{name} as {name}\b", source)), name
            assert getattr(infoview, name) is not None
    assert infoview.__all__ == sorted(infoview.__all__)
    assert "Contact" in dir(infoview)


def test_submodules_are_attributes() -> None:
    """``infoview.mail`` and friends are reachable after a plain ``import infoview``."""
    assert "infoview.mail" == infoview.mail.__name__
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = infoview.nonsense


def test_import_loads_nothing_heavy() -> None:
    """A plain import loads neither Jinja2, Babel, icalendar nor email-validator."""
    code = (
        "import sys, infoview; "
        "print(sorted(m for m in ('jinja2', 'babel', 'icalendar', 'email_validator', 'cattrs')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
