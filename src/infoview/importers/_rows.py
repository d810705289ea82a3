"""Reading a delimited text row by row, never more than ROW_LIMIT characters to a row.

The text is read a line at a time. A row longer than :data:`ROW_LIMIT` (a
cell of megabytes) or whose quote is never closed is rejected, and reading
goes on after the row's end, found by following its quotes, so that no line
inside a cell is ever read as a row of its own.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import threading
from collections.abc import Iterator
from typing import TextIO

from infoview.importers._files import ImportFileError
from infoview.importers._result import Problem

__all__ = ["ROW_LIMIT", "rows"]

#: The most characters one row (and so one cell) may hold, line breaks included:
#: far beyond a LinkedIn or CRM note, small enough to hold in memory.
ROW_LIMIT = 16 * 2**20
# Characters read at a time while skipping a row that is too long.
_CHUNK = 1 << 20
# The csv module's field limit is one setting for the whole process. It is
# raised only while a row is read, under this lock, and put back at once: two
# imports in two threads never lower it under each other. Other code reading
# CSV in another thread at that moment sees the higher limit.
_FIELD_LIMIT_LOCK = threading.Lock()


class _RowTooLongError(Exception):
    """A row grew beyond ROW_LIMIT characters (raised by _Lines, through csv.reader)."""


# Where the quotes leave a row, character by character (as the csv module reads it).
_START, _FIELD, _QUOTED, _QUOTE = range(4)  # field start; unquoted; quoted; a quote in quoted
_QUOTED_TEXT = re.compile(r'[^"]*(?:""[^"]*)*')


def _scan(body: str, state: int, delimiter: str) -> int:
    """Return where the quotes stand after ``body`` (a line without its line break)."""
    i, end = 0, len(body)
    while i < end:
        if state == _QUOTED:
            i = _QUOTED_TEXT.match(body, i).end()  # type: ignore[union-attr]  # always matches
            if i == end:
                return _QUOTED
            state, i = _QUOTE, i + 1
        elif state == _QUOTE:  # a doubled quote, the delimiter, or text after the cell
            char = body[i]
            state = _QUOTED if char == '"' else _START if char == delimiter else _FIELD
            i += 1
        else:  # a quote opens a cell only at its start; elsewhere it is text
            j = body.find('"', i)
            if j < 0:
                return _START if body[-1] == delimiter else _FIELD
            opens = (j == i and state == _START) or (j > i and body[j - 1] == delimiter)
            state, i = (_QUOTED if opens else _FIELD), j + 1
    return state


class _Lines:
    """The lines of a text for csv.reader, counted, and never more than ROW_LIMIT to a row."""

    def __init__(self, text: TextIO, name: str, encoding: str | None) -> None:
        self._text = text
        self._name = name
        self._encoding = encoding
        self._first = True
        self.number = 0  # lines read so far
        self.held: list[str] = []  # the current row's lines
        self._size = 0
        self._row_start = 1
        self.open_at_end = False  # the file ended inside the current row (an open quote)

    def start(self) -> int:
        """Begin a row; return the line it starts on."""
        self.held.clear()
        self._size = 0
        self.open_at_end = False
        self._row_start = self.number + 1
        return self._row_start

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._read(ROW_LIMIT + 1 - self._size)
        if not line:
            self.open_at_end = self._size > 0
            raise StopIteration
        self.held.append(line)
        self._size += len(line)
        if self._size > ROW_LIMIT:
            raise _RowTooLongError
        self.number += 1
        return line

    def _read(self, size: int) -> str:
        try:
            line = self._text.readline(size)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                self._name,
                f"is not {self._encoding} text after line {self.number} ({exc.reason}); "
                "it was when reading began",
                "check that nothing writes to the file while it is imported, and import it again",
            ) from None
        except OSError as exc:
            raise ImportFileError(
                self._name, f"cannot be read ({exc.strerror or exc})", "check the file"
            ) from exc
        if self._first:
            self._first = False
            line = line.removeprefix("\ufeff")
        return line

    def skip_row(self, delimiter: str) -> tuple[int, bool]:
        """Read to the end of the current row, following its quotes; nothing is kept.

        Returns:
            The row's last line, and whether its quotes were all closed.
        """
        held, self.held = self.held, []
        state, count, last = _START, 0, ""
        for line in itertools.chain(held, iter(lambda: self._read(_CHUNK), "")):
            last = line
            body = line.rstrip("\r\n")  # a line ends at its first line break
            if body:
                state = _scan(body, state, delimiter)
            if body != line:
                count += 1
                if state != _QUOTED:
                    break
        else:  # the end of the file; a last line without a line break is a line too
            count += bool(last) and last[-1] not in "\r\n"
        self.number = self._row_start - 1 + count
        return self.number, state != _QUOTED


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """Read one row with the csv module's field limit at ROW_LIMIT (see _FIELD_LIMIT_LOCK)."""
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(ROW_LIMIT + 1)
        try:
            return next(reader)
        finally:
            csv.field_size_limit(previous)


def rows(
    text: str | TextIO, delimiter: str, *, name: str = "<text>", encoding: str | None = None
) -> Iterator[tuple[int, list[str] | Problem]]:
    """Yield each row with the file line it starts on (a quoted cell may span lines).

    A row that cannot be read is yielded as the :class:`Problem` that rejects
    it: one longer than :data:`ROW_LIMIT` (reading goes on after its end,
    found by following its quotes), or one whose quote is never closed (it
    runs to the end of the file).

    Raises:
        ImportFileError: The text cannot be read or decoded.
    """
    lines = _Lines(io.StringIO(text, newline="") if isinstance(text, str) else text, name, encoding)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = lines.start()
        try:
            row = _next_row(reader)
        except StopIteration:
            return
        except (csv.Error, _RowTooLongError) as exc:
            end, closed = lines.skip_row(delimiter)
            yield start, _unreadable(start, end, closed, exc)
            continue
        if lines.open_at_end:
            yield start, _unreadable(start, lines.number, False, None)
            continue
        yield start, row


def _unreadable(start: int, end: int, closed: bool, error: Exception | None) -> Problem:
    where = f"line {end}" if closed else f"the end of the file, line {end}"
    if isinstance(error, csv.Error):
        message = f"cannot be read as CSV ({error}); the row runs to {where} and was not taken"
    elif error is not None:
        message = (
            f"the row is longer than {ROW_LIMIT:,} characters (it runs to {where}), "
            "the most a row may hold; it was not taken, and reading went on after it"
        )
    else:
        message = (
            f"a quote opened in this row is never closed, so it runs to {where}; the row "
            'was not taken: close the quote (a quote inside a cell is written twice: "")'
        )
    if not closed and error is not None:
        message += "; a quote in it is never closed"
    return Problem(start, None, message)
