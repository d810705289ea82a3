"""The package is importable and carries its metadata."""

from __future__ import annotations

import os
from pathlib import Path

import infoview


def test_version_from_metadata() -> None:
    """__version__ comes from the installed distribution's metadata."""
    from importlib.metadata import version

    assert version("infoview") == infoview.__version__


def test_imported_from_expected_install() -> None:
    """CI's wheel run imports the installed wheel, never the source tree."""
    package = Path(infoview.__file__).parent
    if os.environ.get("INFOVIEW_EXPECT_INSTALL") == "wheel":
        assert "site-packages" in package.parts
    else:
        assert package.parent.name == "src"


def test_public_names_sorted() -> None:
    """__all__ is sorted and every name in it exists."""
    assert sorted(infoview.__all__) == infoview.__all__
    for name in infoview.__all__:
        assert hasattr(infoview, name)
