"""What an import gives back: the contacts taken, and every problem with its line."""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol, SupportsIndex, runtime_checkable

import attrs

from infoview.errors import ValidationError
from infoview.model.contact import Contact

__all__ = ["Collector", "ImportResult", "ImportStream", "ImportedContact", "Problem"]

# How many line numbers a summary lists before "…".
_SHOWN_LINES = 10


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Problem:
    """Something wrong with one row (or card, or item) of an imported file.

    Attributes:
        line: The file line the row starts on (1-based; for a header problem,
            the header's line).
        field: The contact field or custom field concerned, if one is.
        message: What is wrong and what to do.
        value: The offending value as it was in the file, if there is one.
        rejected: ``True`` when the row was not taken because of this;
            ``False`` for a warning about a row that was taken anyway (or
            about the header).
        duplicate_of: For a duplicate row, the line of the earlier row it repeats.
        row: Which data row (card, JSON item) it is about, counting from 1;
            ``None`` for a problem with the header.
    """

    line: int
    field: str | None
    message: str
    value: str | None = None
    rejected: bool = True
    duplicate_of: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}" + ("" if self.rejected else " (row taken)")


@attrs.frozen
class ImportedContact:
    """One contact taken from a file, with where it came from and its extra columns.

    Attributes:
        contact: The validated contact.
        line: The file line its row (or card, or JSON item) starts on.
        custom: Columns that are not contact fields, by a name templates can
            use (``"Why them?"`` → ``why_them``), e.g. ``mutual`` for
            ``outreach/warm`` or ``reason`` for ``outreach/cold``: pass them
            as ``render(name, interview=…, **record.custom)``.
        connected_on: When you connected (LinkedIn's "Connected On"), if known.
        row: Which data row (card, JSON item) it came from, counting from 1.
    """

    contact: Contact
    line: int
    custom: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    connected_on: date | None = None
    row: int = attrs.field(default=0, kw_only=True)

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # Pickled (to and from bulk drafting's workers) with its custom fields as a dict;
        # a subclass pickles as attrs pickles it.
        if type(self) is not ImportedContact:
            return super().__reduce_ex__(protocol)
        custom = dict(self.custom)
        return (_imported, (self.contact, self.line, custom, self.connected_on, self.row))


def _imported(
    contact: Contact, line: int, custom: dict[str, str], connected_on: date | None, row: int
) -> ImportedContact:
    return ImportedContact(contact, line, custom, connected_on, row=row)


def _lines(lines: list[int], noun: str = "line") -> str:
    shown = ", ".join(map(str, lines[:_SHOWN_LINES]))
    if len(lines) > _SHOWN_LINES:
        shown += f", … ({len(lines):,} in all)"
    return f"{noun}{'' if len(lines) == 1 else 's'} {shown}"


@attrs.frozen
class ImportResult:
    """The outcome of an import: every data row was either taken or rejected.

    ``rows == taken + rejected_rows`` always holds (it is checked when the
    result is made). A rejected row has at least one :class:`Problem` with
    ``rejected=True``; a row may have several.

    Attributes:
        records: The contacts taken, in file order, each with its line and custom fields.
        problems: Every problem, in file order: rejected rows and warnings.
        rows: The data rows (cards, items) read; blank lines are not rows.
        format: ``"csv"``, ``"linkedin"``, ``"vcard"`` or ``"json"``.
        name: The file's name as given (``"<stream>"`` for an unnamed stream).
        encoding: The encoding the bytes were decoded with (``None`` for text given as str).
        encoding_guessed: ``True`` when charset-normalizer guessed ``encoding``.
        columns: For CSV: each header as written → the field (or custom field) it fills.
    """

    records: tuple[ImportedContact, ...]
    problems: tuple[Problem, ...]
    rows: int
    format: str
    name: str = "<stream>"
    encoding: str | None = None
    encoding_guessed: bool = False
    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)

    def __attrs_post_init__(self) -> None:
        taken = {record.row for record in self.records}
        rejected = {p.row for p in self.problems if p.rejected}
        if (
            len(taken) != len(self.records)
            or None in rejected
            or taken & rejected
            or taken | rejected != set(range(1, self.rows + 1))
        ):
            raise ValidationError(
                "ImportResult",
                "rows",
                self.rows,
                f"{self.rows} rows but {self.taken} taken and {len(rejected)} rejected",
                "every row must be taken or rejected exactly once (this is a bug in infoview)",
            )

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """The contacts taken, in file order."""
        return tuple(record.contact for record in self.records)

    @property
    def taken(self) -> int:
        """How many rows became contacts."""
        return len(self.records)

    @property
    def rejected(self) -> tuple[int, ...]:
        """The lines of the rows that were not taken, in order."""
        return tuple(sorted({p.line for p in self.problems if p.rejected}))

    @property
    def rejected_rows(self) -> int:
        """How many rows were not taken (a row may have several problems)."""
        return len({p.row for p in self.problems if p.rejected})

    @property
    def without_email(self) -> int:
        """How many contacts taken have no email address (drafting will need one)."""
        return sum(1 for record in self.records if record.contact.email is None)

    @property
    def duplicates(self) -> tuple[Problem, ...]:
        """The problems that report a row repeating an earlier one's email or profile URL."""
        return tuple(p for p in self.problems if p.duplicate_of is not None)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems about rows that were taken anyway, or about the header."""
        return tuple(p for p in self.problems if not p.rejected)

    @property
    def ok(self) -> bool:
        """``True`` when every row was taken and nothing needed a warning."""
        return not self.problems

    def summary(self) -> str:
        """Say in one line what happened.

        ``"12 rows: 10 contacts taken (7 without email), 2 rejected (lines 5, 9)"``
        """
        return _summary(
            self.rows,
            self.taken,
            self.without_email,
            self.problems,
            form=self.format,
            guessed=self.encoding if self.encoding_guessed else None,
        )


def _summary(
    rows: int,
    taken: int,
    without_email: int,
    problems: Sequence[Problem],
    *,
    form: str,
    guessed: str | None,
) -> str:
    """Say in one line what an import did (see :meth:`ImportResult.summary`)."""
    text = f"{rows:,} row{'s' if rows != 1 else ''}: "
    text += f"{taken:,} contact{'s' if taken != 1 else ''} taken"
    if without_email:
        text += f" ({without_email:,} without email)"
    parts = [text]
    rejected_rows = sorted({p.row or 0 for p in problems if p.rejected})
    if rejected_rows:
        where = (
            _lines(rejected_rows, "item")
            if form == "json"
            else _lines(sorted({p.line for p in problems if p.rejected}))
        )
        parts.append(f"{len(rejected_rows):,} rejected ({where})")
    warnings = [p.line for p in problems if not p.rejected]
    if warnings:
        count = len(warnings)
        parts.append(
            f"{count:,} warning{'s' if count != 1 else ''} ({_lines(sorted(set(warnings)))})"
        )
    text = ", ".join(parts)
    if guessed is not None:
        text += f"; encoding guessed as {guessed}"
    return text


def email_key(email: str) -> str:
    """The form two addresses share when they reach the same person."""
    return email.casefold()


_PROFILE = re.compile(r"^https?://(?:www\.|[a-z]{2}\.)?", re.IGNORECASE)


def profile_key(url: str) -> str:
    """The form two profile URLs share when they name the same profile."""
    bare = _PROFILE.sub("", url).split("?", 1)[0].split("#", 1)[0]
    return bare.rstrip("/").casefold()


# Where duplicates are looked for: the keys' hashes in _PARTS tables (picked by
# a hash's low bits), each growing alone by half once three quarters full.
_PART_BITS = 6
_PARTS = 1 << _PART_BITS
# Line numbers in 4 bytes ("I" is 4 bytes wherever Python runs, "L" is 8 on
# Linux); a part whose line numbers outgrow them switches to 8.
_LINE_CODE = "I" if array("I").itemsize == 4 else "L"
_LINE_MAX = 2 ** (8 * array(_LINE_CODE).itemsize) - 1


class _Seen:
    """The keys seen so far, each kept as its 8-byte hash with the line it was first on.

    A dict of the keys themselves costs about 125 bytes a row (the string, its
    line number, the slot). Here a key is its 64-bit hash and its line a
    4-byte number, in open-addressing tables half to three quarters full:
    16 to 24 bytes a row, about 1.8 MB for 100,000 rows. The keys are spread
    over 64 tables that grow one at a time, so growing holds a sixty-fourth
    of the whole twice, not all of it (one table doubling held the old and
    the new at once: 8 MB for a moment at 100,000 rows, the run's peak). Two
    different keys with the same 64-bit hash would be taken for one (about
    one chance in 10^9 for a file of a hundred thousand rows).
    """

    __slots__ = ("_hashes", "_lines", "_used")

    def __init__(self) -> None:
        self._hashes = [array("q") for _ in range(_PARTS)]
        self._lines = [array(_LINE_CODE) for _ in range(_PARTS)]
        self._used = [0] * _PARTS

    def __len__(self) -> int:
        return sum(self._used)

    def get(self, key: str) -> int | None:
        """The line ``key`` was first seen on, or ``None``."""
        digest = hash(key) or 1  # 0 marks an empty slot
        part = digest & (_PARTS - 1)
        hashes = self._hashes[part]
        size = len(hashes)
        if not size:
            return None
        slot = (digest >> _PART_BITS) % size
        while (found := hashes[slot]) != 0:
            if found == digest:
                return self._lines[part][slot]
            slot = slot + 1 if slot + 1 < size else 0
        return None

    def add(self, key: str, line: int) -> int | None:
        """The line ``key`` was first seen on; ``None`` if it is new, now seen on ``line``."""
        digest = hash(key) or 1
        part = digest & (_PARTS - 1)
        hashes = self._hashes[part]
        size = len(hashes)
        if 4 * self._used[part] + 4 > 3 * size:
            hashes = self._grow(part)
            size = len(hashes)
        slot = (digest >> _PART_BITS) % size
        while (found := hashes[slot]) != 0:
            if found == digest:
                return self._lines[part][slot]
            slot = slot + 1 if slot + 1 < size else 0
        hashes[slot] = digest
        lines = self._lines[part]
        if line > _LINE_MAX and lines.typecode != "q":
            lines = self._lines[part] = array("q", lines)
        lines[slot] = line
        self._used[part] += 1
        return None

    def _grow(self, part: int) -> array[int]:
        """Make a part half as big again, its keys in their new slots."""
        old = zip(self._hashes[part], self._lines[part], strict=True)
        size = max(8, 3 * len(self._hashes[part]) // 2)
        hashes = self._hashes[part] = array("q", [0]) * size
        lines = self._lines[part] = array(self._lines[part].typecode, [0]) * size
        for digest, line in old:
            if digest:
                slot = (digest >> _PART_BITS) % size
                while hashes[slot]:
                    slot = slot + 1 if slot + 1 < size else 0
                hashes[slot] = digest
                lines[slot] = line
        return hashes


class Collector:
    """Gather records and problems row by row; duplicates are found by their keys' hashes.

    Args:
        kind, name, encoding, guessed: What the result will say about the file.
        keep: Keep the records taken, for :meth:`result`; an :class:`ImportStream`
            passes ``False`` and hands each record on instead.
    """

    def __init__(
        self, kind: str, name: str, encoding: str | None, guessed: bool, *, keep: bool = True
    ) -> None:
        self.format = kind
        self.name = name
        self.encoding = encoding
        self.guessed = guessed
        self.rows = 0
        self.taken = 0
        self.without_email = 0
        self.records: list[ImportedContact] = []
        self.problems: list[Problem] = []
        self._keep = keep
        self._emails = _Seen()
        self._profiles = _Seen()

    def warn(self, line: int, field: str | None, message: str, value: str | None = None) -> None:
        """Note something about a taken row or the header; no row is rejected."""
        self.problems.append(Problem(line, field, message, value, rejected=False))

    def reject(self, problems: Sequence[Problem]) -> None:
        """Count a row that was not taken, with its problems (at least one, rejected)."""
        self.rows += 1
        self.problems.extend(attrs.evolve(p, row=self.rows) for p in problems)

    def take(
        self, record: ImportedContact, warnings: Sequence[Problem] = ()
    ) -> ImportedContact | None:
        """Count a row and take its contact, unless it repeats an earlier row's email or URL.

        Returns:
            The record as taken (numbered), or ``None`` for a duplicate.
        """
        self.rows += 1
        if record.row != self.rows:
            record = attrs.evolve(record, row=self.rows)
        contact = record.contact
        keys: list[tuple[str, str, _Seen, str]] = []
        if contact.email:
            keys.append(("email", contact.email, self._emails, email_key(contact.email)))
        if contact.linkedin:
            keys.append(
                ("linkedin", contact.linkedin, self._profiles, profile_key(contact.linkedin))
            )
        if len(keys) == 1:  # the usual row: looked up and remembered in one pass
            field, value, seen, key = keys[0]
            earlier = seen.add(key, record.line)
            repeats = [] if earlier is None else [(field, value, earlier)]
        else:  # nothing is remembered of a row that repeats one of its keys
            repeats = [(f, v, e) for f, v, seen, key in keys if (e := seen.get(key)) is not None]
            if not repeats:
                for _, _, seen, key in keys:
                    seen.add(key, record.line)
        if repeats:
            for field, value, earlier in repeats:
                what = "email address" if field == "email" else "LinkedIn profile"
                self.problems.append(
                    Problem(
                        record.line,
                        field,
                        f"same {what} as line {earlier}; the row was not taken (infoview "
                        "does not merge rows): remove one of the two, or merge them by hand",
                        value,
                        duplicate_of=earlier,
                        row=self.rows,
                    )
                )
            return None
        self.taken += 1
        if contact.email is None:
            self.without_email += 1
        if self._keep:
            self.records.append(record)
        self.problems.extend(attrs.evolve(p, row=self.rows) for p in warnings)
        return record

    def sorted_problems(self) -> tuple[Problem, ...]:
        """The problems so far in file order (header warnings first)."""
        return tuple(sorted(self.problems, key=lambda p: (p.line, p.row or 0)))

    def result(
        self,
        columns: Mapping[str, str] | None = None,
        records: Iterable[ImportedContact] | None = None,
    ) -> ImportResult:
        """Make the result, of the records kept (or ``records``); problems in file order."""
        return ImportResult(
            records=tuple(self.records if records is None else records),
            problems=self.sorted_problems(),
            rows=self.rows,
            format=self.format,
            name=self.name,
            encoding=self.encoding,
            encoding_guessed=self.guessed,
            columns=columns or {},
        )


@runtime_checkable
class Split(Protocol):
    """What :meth:`ImportStream.split` gives: rows to make elsewhere and settle here, in order."""

    make: Callable[[Any], Any]

    def raw(self) -> Iterator[Any]:
        """The rows not read yet, unmade."""

    def settle(self, made: Any) -> ImportedContact | None:
        """Take a made row: its record, or ``None`` for a row rejected or repeated."""


class ImportStream:
    """An import read as you iterate it: one record at a time, each problem kept as it comes.

    Made by :func:`~infoview.importers.stream_csv` and
    :func:`~infoview.importers.stream_linkedin`, which have read the header
    already (so :attr:`columns` is known); each record is read from the file
    when the iteration asks for it, so a file of any length takes the memory
    of one row (and of the keys that find duplicates). Iterate it once; the
    counts and :attr:`problems` grow as it goes, and once it has ended they
    are those :meth:`result` would give. Use it in a ``with`` (or iterate to
    the end) so that the file is closed.

    Attributes:
        format: ``"csv"``, ``"linkedin"``, ``"vcard"`` or ``"json"``.
        name: The file's name as given (``"<stream>"`` for an unnamed stream).
        encoding: The encoding the bytes are decoded with (``None`` for text given as str).
        encoding_guessed: ``True`` when charset-normalizer guessed ``encoding``.
        columns: For CSV: each header as written → the field (or custom field) it fills.
    """

    def __init__(
        self,
        collector: Collector,
        records: Iterator[ImportedContact],
        columns: Mapping[str, str] | None = None,
        close: Callable[[], object] | None = None,
    ) -> None:
        self._collector = collector
        self._records = records
        self._close = close
        self._started = False
        self.format = collector.format
        self.name = collector.name
        self.encoding = collector.encoding
        self.encoding_guessed = collector.guessed
        self.columns: Mapping[str, str] = _frozen_mapping(columns or {})

    @classmethod
    def of(cls, result: ImportResult) -> ImportStream:
        """Give the records of an import already read, as a stream."""
        collector = Collector(result.format, result.name, result.encoding, result.encoding_guessed)
        collector.rows = result.rows
        collector.taken = result.taken
        collector.without_email = result.without_email
        collector.problems = list(result.problems)
        return cls(collector, iter(result.records), result.columns)

    def __iter__(self) -> Iterator[ImportedContact]:
        if self._started:
            raise RuntimeError("an ImportStream can be iterated once; open the file again")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[ImportedContact]:
        try:
            yield from self._records
        finally:
            self.close()

    def split(self) -> Split | None:
        """The rows not read yet, for their records to be made elsewhere; ``None`` if it can't.

        For a bulk run's worker processes (a table's rows only: CSV and
        LinkedIn): ``raw()`` gives each row unmade, ``make(row)`` makes its
        record or problems in any process, and ``settle(made)`` takes it into
        this stream's counts and problems, giving the record or ``None`` (a
        rejected or repeated row). Settle every row given, in the order given.
        """
        records = self._records
        return records if isinstance(records, Split) else None

    def close(self) -> None:
        """Close the file; what was not read yet is not read."""
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def __enter__(self) -> ImportStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def rows(self) -> int:
        """The data rows read so far; blank lines are not rows."""
        return self._collector.rows

    @property
    def taken(self) -> int:
        """How many rows became contacts so far."""
        return self._collector.taken

    @property
    def without_email(self) -> int:
        """How many contacts taken so far have no email address."""
        return self._collector.without_email

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem so far, in file order: rejected rows and warnings."""
        return self._collector.sorted_problems()

    @property
    def rejected(self) -> tuple[int, ...]:
        """The lines of the rows not taken so far, in order."""
        return tuple(sorted({p.line for p in self._collector.problems if p.rejected}))

    def summary(self) -> str:
        """Say in one line what happened so far, as :meth:`ImportResult.summary` does."""
        c = self._collector
        return _summary(
            c.rows,
            c.taken,
            c.without_email,
            c.problems,
            form=c.format,
            guessed=c.encoding if c.guessed else None,
        )

    def result(self) -> ImportResult:
        """Read the rest and return everything as an :class:`ImportResult` (all in memory)."""
        return self._collector.result(self.columns, list(self))
