"""Importing contacts from a CSV file (or an Excel sheet saved as CSV or Unicode text)."""

from __future__ import annotations

from collections.abc import Mapping

from infoview.importers._contacts import ALIASES, header_key
from infoview.importers._files import ImportFileError, Input, decode, read
from infoview.importers._result import ImportResult
from infoview.importers._table import DELIMITERS, detect_delimiter, read_table
from infoview.model.contact import Source

__all__ = ["read_csv"]


def _any_row(row: list[str]) -> bool:
    return True


def read_csv(
    path_or_file: Input,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    source: Source | str | None = None,
    delimiter: str | None = None,
) -> ImportResult:
    """Import contacts from a CSV file: one header row, then one contact per row.

    The first non-blank row is the header. Columns are recognized by their
    header (``"E-mail"``, ``"Email Address"``, ``"Full name"``, ``"First Name"``
    and ``"Last Name"``, ``"Company"``, ``"Position"``, ``"Time zone"``, …; see
    ``infoview.importers.ALIASES``); ``mapping`` names the others. Columns that
    fill no contact field are kept as custom fields beside each contact
    (``"Why them?"`` → ``why_them``). Blank rows are skipped; every other row
    is taken or reported in ``ImportResult.problems`` with its line.

    Args:
        path_or_file: A path, or an open file (binary, or text).
        encoding: The file's encoding; without it UTF-8 (with or without a
            byte-order mark) is read, and anything else is detected and the
            guess reported (``ImportResult.encoding_guessed``).
        mapping: Header → contact field (``{"Courriel": "email"}``), or ``None``
            to skip a column. It comes before the built-in aliases.
        source: Where these contacts come from, for rows without a Source cell
            (a :class:`~infoview.Source` or its value).
        delimiter: ``","``, ``";"`` or ``"\\t"``; detected when not given.

    Returns:
        The contacts taken, the problems, and the counts.

    Raises:
        ImportFileError: The file cannot be read or decoded, has no header
            row, has no name column (the message lists what would do and what
            was found), or ``mapping`` or ``delimiter`` does not fit it.
    """
    name, content = read(path_or_file)
    default = _default_source(name, source)
    decoded = decode(name, content, encoding)
    known = set(ALIASES) | {header_key(h) for h in mapping or {}}
    if delimiter is None:
        delimiter = detect_delimiter(decoded.text, _any_row, known)
    elif len(delimiter) != 1 or delimiter in '"\r\n':
        raise ImportFileError(
            name,
            f"{delimiter!r} cannot be a delimiter",
            f"pass one character, such as one of {DELIMITERS!r}, or leave it out to detect it",
        )
    return read_table(
        decoded,
        kind="csv",
        delimiter=delimiter,
        is_header=_any_row,
        aliases=ALIASES,
        mapping=mapping,
        default_source=default,
        missing_header="is empty: expected a header row naming the columns",
    )


def _default_source(name: str, source: Source | str | None) -> Source | None:
    if source is None or isinstance(source, Source):
        return source
    try:
        return Source(source)
    except ValueError:
        raise ImportFileError(
            name,
            f"source={source!r} is not a Source",
            "pass one of: " + ", ".join(m.value for m in Source),
        ) from None
