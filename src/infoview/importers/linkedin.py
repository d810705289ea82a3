"""Importing LinkedIn's connections export (Connections.csv)."""

from __future__ import annotations

from infoview.importers._contacts import ALIASES, header_key
from infoview.importers._files import Input, open_text
from infoview.importers._result import ImportResult, ImportStream
from infoview.importers._table import detect_delimiter, sample, stream_table
from infoview.model.contact import Source

__all__ = ["LINKEDIN_COLUMNS", "read_linkedin", "stream_linkedin"]

#: The columns of LinkedIn's export, and the field each fills.
LINKEDIN_COLUMNS = {
    "First Name": "given_name",
    "Last Name": "family_name",
    "URL": "linkedin",
    "Email Address": "email",
    "Company": "organization",
    "Position": "title",
    "Connected On": "connected_on",
}

_ALIASES = {**ALIASES, **{header_key(h): f for h, f in LINKEDIN_COLUMNS.items()}}


def _is_header(row: list[str]) -> bool:
    return any(header_key(cell) == "first name" for cell in row)


def read_linkedin(
    path_or_file: Input,
    *,
    encoding: str | None = None,
    source: Source = Source.SOCIAL,
) -> ImportResult:
    """Import LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data).

    The export starts with note lines that change between versions; the
    header is the first row with a "First Name" cell, and the lines before it
    are not data rows. Each connection becomes a contact with ``source``
    (``social``), ``given_name`` and ``family_name`` from First and Last Name,
    ``linkedin`` from URL, ``email`` where the connection shares it (most do
    not: they are taken and counted in ``without_email``), and
    ``connected_on`` from "Connected On" (``15 Jun 2026``) on the record.
    Columns LinkedIn may add later are kept as custom fields.

    Args:
        path_or_file: A path, or an open file (binary, or text).
        encoding: The file's encoding (LinkedIn writes UTF-8); detected when not given.
        source: The Source of every contact.

    Raises:
        ImportFileError: The file cannot be read or decoded, or no row has a
            "First Name" cell.
    """
    with stream_linkedin(path_or_file, encoding=encoding, source=source) as stream:
        return stream.result()


def stream_linkedin(
    path_or_file: Input,
    *,
    encoding: str | None = None,
    source: Source = Source.SOCIAL,
) -> ImportStream:
    """Import LinkedIn's Connections.csv as you iterate: :func:`read_linkedin`, a row at a time.

    The header is found at once; each connection after it is read when the
    iteration reaches it. Use it in a ``with`` so the file is closed. Takes
    the arguments of :func:`read_linkedin` and raises what it raises.
    """
    file = open_text(path_or_file, encoding)
    try:
        return stream_table(
            file,
            kind="linkedin",
            delimiter=detect_delimiter(sample(file), _is_header, set(_ALIASES)),
            is_header=_is_header,
            aliases=_ALIASES,
            mapping=None,
            default_source=source,
            missing_header=(
                "has no row with a 'First Name' column, so it is not LinkedIn's Connections.csv "
                f"(expected the columns {', '.join(LINKEDIN_COLUMNS)})"
            ),
        )
    except BaseException:
        file.close()
        raise
