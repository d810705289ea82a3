"""Importing contacts from files, never losing a row.

Each reader returns an :class:`ImportResult`: the contacts it took (each
with its file line and any custom fields) and a :class:`Problem` for every
row it did not take, with the row's line, the field and what to do. Every
data row is one or the other, and ``result.rows == result.taken +
len(result.rejected)``. Only a problem with the whole file (missing,
undecodable, no name column) raises :class:`ImportFileError`.

- :func:`read_csv`: CSV with a header row, any of ``,`` ``;`` tab, UTF-8 or
  a named or detected encoding, header aliases, custom columns.
- :func:`read_linkedin`: LinkedIn's Connections.csv.
- :func:`read_vcard`: vCard 3.0 and 4.0 files with any number of cards.
- :func:`read_json`: a list of contacts as ``infoview.converter`` writes them.

:func:`stream_csv` and :func:`stream_linkedin` read the same files as an
:class:`ImportStream`: one record at a time as you iterate, so a file of any
length takes the memory of one row.

Each reader's module loads when the reader is first used (PEP 562), so a
run that reads one format does not load the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from infoview.importers._contacts import ALIASES, SOURCE_SYNONYMS
from infoview.importers._files import ImportFileError
from infoview.importers._result import ImportedContact, ImportResult, ImportStream, Problem

if TYPE_CHECKING:
    from infoview.importers.jsonfile import read_json
    from infoview.importers.linkedin import LINKEDIN_COLUMNS, read_linkedin, stream_linkedin
    from infoview.importers.spreadsheet import read_csv, stream_csv
    from infoview.importers.vcard import read_vcard

__all__ = [
    "ALIASES",
    "LINKEDIN_COLUMNS",
    "SOURCE_SYNONYMS",
    "ImportFileError",
    "ImportResult",
    "ImportStream",
    "ImportedContact",
    "Problem",
    "read_csv",
    "read_json",
    "read_linkedin",
    "read_vcard",
    "stream_csv",
    "stream_linkedin",
]

# Where each reader lives.
_READERS = {
    "LINKEDIN_COLUMNS": "linkedin",
    "read_csv": "spreadsheet",
    "read_json": "jsonfile",
    "read_linkedin": "linkedin",
    "read_vcard": "vcard",
    "stream_csv": "spreadsheet",
    "stream_linkedin": "linkedin",
}


def __getattr__(name: str) -> object:
    """Load a reader's module on first use of the reader (or of the module itself)."""
    if name in _READERS.values():
        return importlib.import_module(f"infoview.importers.{name}")
    module = _READERS.get(name)
    if module is None:
        raise AttributeError(f"module 'infoview.importers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"infoview.importers.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
