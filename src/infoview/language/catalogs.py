"""Compile gettext catalogs: one ``.po`` → ``.mo`` compiler for the package and the build.

:mod:`infoview.language.locales` compiles a source checkout's ``.po`` files in memory
with it; ``hatch_build.py`` compiles the wheel's ``.mo`` files with it. The
build hook loads this file by its path, where only the standard library and
Babel are installed, so it must import nothing else (not even ``infoview``).
"""

from __future__ import annotations

import os
from typing import IO

__all__ = ["compile_catalog"]


def compile_catalog(
    po_file: IO[bytes] | str | os.PathLike[str], mo_file: IO[bytes] | str | os.PathLike[str]
) -> None:
    """Compile a ``.po`` catalog to ``.mo`` with Babel; fuzzy entries are left out.

    Args:
        po_file: The catalog to read: a path, or a file opened for binary reading.
        mo_file: Where to write: a path (its folder must exist), or a file
            opened for binary writing.
    """
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only a source checkout compiles
    from babel.messages.pofile import read_po  # noqa: PLC0415

    if isinstance(po_file, str | os.PathLike):
        with open(po_file, "rb") as f:
            catalog = read_po(f)
    else:
        catalog = read_po(po_file)
    if isinstance(mo_file, str | os.PathLike):
        with open(mo_file, "wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
    else:
        write_mo(mo_file, catalog, use_fuzzy=False)
