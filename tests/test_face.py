"""The package's face: every public name loads on first use, and importing is quick."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import infoview


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
    for module in ("quality", "todo", "policy", "templating", "calendar", "bulk", "importers"):
        importlib.import_module(f"infoview.{module}")
    assert callable(infoview.lint)
    assert callable(infoview.due)
    assert "quality" == infoview.lint.__module__.rpartition(".")[2]


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
