"""Importing contacts from a CSV file (or an Excel sheet saved as CSV or Unicode text)."""

from __future__ import annotations

from collections.abc import Mapping

from infoview.importers._contacts import ALIASES, header_key
from infoview.importers._files import ImportFileError, Input, open_text
from infoview.importers._result import ImportResult, ImportStream
from infoview.importers._table import DELIMITERS, detect_delimiter, sample, stream_table
from infoview.model.contact import Source

__all__ = ["read_csv", "stream_csv"]


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
    with stream_csv(
        path_or_file, encoding=encoding, mapping=mapping, source=source, delimiter=delimiter
    ) as stream:
        return stream.result()


def stream_csv(
    path_or_file: Input,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    source: Source | str | None = None,
    delimiter: str | None = None,
) -> ImportStream:
    """Import contacts from a CSV file as you iterate: :func:`read_csv`, a row at a time.

    The header is read (and checked) at once; each row after it is read when
    the iteration reaches it, so a file of a million rows takes the memory
    of one. Use it in a ``with`` so the file is closed::

        with stream_csv("contacts.csv") as stream:
            for record in stream:
                ...
            print(stream.summary())

    Takes the arguments of :func:`read_csv` and raises what it raises; a
    file changed while it is read raises :class:`ImportFileError` from the
    iteration.
    """
    file = open_text(path_or_file, encoding)
    try:
        default = _default_source(file.name, source)
        known = set(ALIASES) | {header_key(h) for h in mapping or {}}
        if delimiter is None:
            delimiter = detect_delimiter(sample(file), _any_row, known)
        _check_delimiter(file.name, delimiter)
        return stream_table(
            file,
            kind="csv",
            delimiter=delimiter,
            is_header=_any_row,
            aliases=ALIASES,
            mapping=mapping,
            default_source=default,
            missing_header="is empty: expected a header row naming the columns",
        )
    except BaseException:
        file.close()
        raise


def _check_delimiter(name: str, delimiter: str) -> None:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ImportFileError(
            name,
            f"{delimiter!r} cannot be a delimiter",
            f"pass one character, such as one of {DELIMITERS!r}, or leave it out to detect it",
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
