"""Reading a delimited table row by row: physical line numbers, the header, each row's fate.

Shared by :func:`~infoview.importers.read_csv` and
:func:`~infoview.importers.read_linkedin`, which differ only in how the
header row is found and which headers they know.

The rows come from :func:`~infoview.importers._rows.rows`, a line at a time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date

import attrs

from infoview.importers._contacts import FIELDS, build, check_custom, custom_name, header_key
from infoview.importers._files import ImportFileError, TextFile
from infoview.importers._result import Collector, ImportedContact, ImportStream, Problem
from infoview.importers._rows import rows
from infoview.model.contact import Source

__all__ = [
    "DELIMITERS",
    "Layout",
    "detect_delimiter",
    "parse_date",
    "rows",
    "sample",
    "stream_table",
]

#: The delimiters a table may use: comma, semicolon (European Excel), tab.
DELIMITERS = ",;\t"
#: Fields a column may fill besides the contact's own.
RECORD_FIELDS = ("connected_on",)
#: Custom fields a column may be mapped to by name: ``attach`` lists a
#: contact's attachments for bulk drafting (see infoview.bulk.attachments).
MAPPED_CUSTOM = ("attach",)
_SAMPLE = 64 * 1024
_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -,]+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")


def parse_date(text: str) -> date | None:
    """Read LinkedIn's "15 Jun 2026" (also "Jun 15, 2026" and ISO "2026-06-15"), else ``None``.

    Month names are English whatever the process locale (``strptime`` would use it).
    """
    text = text.strip()
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found:
        day, month, year = found[1], found[2], found[3]
    elif found := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = found[1], found[2], found[3]
    else:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    number = _MONTHS.get(month.casefold())
    try:
        return date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def sample(file: TextFile) -> str:
    """Return the start of ``file``'s text (for detecting the delimiter), and rewind it."""
    text = file.text.read(_SAMPLE + 1).removeprefix("\ufeff")[:_SAMPLE]
    file.text.seek(0)
    return text


def detect_delimiter(text: str, is_header: Callable[[list[str]], bool], known: set[str]) -> str:
    """Pick the delimiter whose header row has the most known columns.

    Falls back to :class:`csv.Sniffer`, then to the delimiter found most
    often in the first line, then to a comma.
    """
    sample = text[:_SAMPLE]
    best, score = ",", 0
    for delimiter in DELIMITERS:
        for _, row in rows(sample, delimiter):
            if isinstance(row, list) and is_header(row):
                hits = sum(1 for cell in row if header_key(cell) in known)
                if hits > score:
                    best, score = delimiter, hits
                break
    if score:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.lstrip("\r\n").split("\n", 1)[0]
        counts = {d: first.count(d) for d in DELIMITERS}
        return max(counts, key=counts.__getitem__) if any(counts.values()) else ","


@attrs.frozen
class Layout:
    """What each column of a table fills."""

    line: int
    headers: tuple[str, ...]
    fields: dict[int, str]  # column → contact (or record) field
    custom: dict[int, str]  # column → custom field name
    columns: dict[str, str]  # header as written → what it fills, for the result
    warnings: list[Problem]
    labels: dict[str, str] = attrs.field(init=False)

    @labels.default
    def _labels(self) -> dict[str, str]:
        """Each field's column, as problems name it (none where the header is the field)."""
        return {
            field: f"column {self.headers[column]!r}"
            for column, field in self.fields.items()
            if self.headers[column] != field
        }


def _targets(name: str, mapping: Mapping[str, str | None] | None) -> dict[str, str | None]:
    allowed = (*FIELDS, *RECORD_FIELDS, *MAPPED_CUSTOM)
    targets: dict[str, str | None] = {}
    for header, field in (mapping or {}).items():
        if field is not None and field not in allowed:
            raise ImportFileError(
                name,
                f"mapping sends {header!r} to {field!r}, which is not a contact field",
                "map each column to one of: " + ", ".join(allowed) + ", or to None to skip it",
            )
        targets[header_key(header)] = field
    return targets


def make_layout(
    name: str,
    line: int,
    header: list[str],
    aliases: Mapping[str, str],
    mapping: Mapping[str, str | None] | None,
) -> Layout:
    """Decide what each column fills: the mapping first, then the aliases, else a custom field.

    Raises:
        ImportFileError: A mapped column is not in the header, the mapping
            names no contact field, or no column gives the name.
    """
    targets = _targets(name, mapping)
    headers = tuple(cell.strip() for cell in header)
    missing = set(targets) - {header_key(h) for h in headers}
    if missing:
        raise ImportFileError(
            name,
            "mapping names columns the header does not have: "
            + ", ".join(sorted(h for h in (mapping or {}) if header_key(h) in missing)),
            "check the spelling against the header",
            found=headers,
        )
    fields: dict[int, str] = {}
    custom: dict[int, str] = {}
    columns: dict[str, str] = {}
    warnings: list[Problem] = []
    filled: dict[str, str] = {}
    reserved = {field for field in targets.values() if field in MAPPED_CUSTOM}
    for column, text in enumerate(headers):
        key = header_key(text)
        field = targets[key] if key in targets else aliases.get(key)
        if key in targets and field is None:
            columns[text] = "(skipped)"
            continue
        if field in MAPPED_CUSTOM:
            if field not in custom.values():
                custom[column] = columns[text] = field
                continue
            field = None  # mapped twice: the second column is kept as its own custom field
        if field is not None and field not in filled:
            fields[column] = field
            filled[field] = text
            columns[text] = field
            continue
        custom_field = custom_name(text, column + 1)
        base, n = custom_field, 2
        while custom_field in (*custom.values(), *FIELDS, *reserved):
            custom_field, n = f"{base}_{n}", n + 1
        custom[column] = custom_field
        columns[text or f"(column {column + 1})"] = custom_field
        if field is not None:
            warnings.append(
                Problem(
                    line,
                    custom_field,
                    f"column {text!r} also gives {field}, which column {filled[field]!r} "
                    f"fills; its cells are kept as the custom field {custom_field}",
                    text,
                    rejected=False,
                )
            )
        elif custom_field != base:
            said = (
                f"column {text!r} is kept as the custom field {custom_field}; to fill the "
                f"contact field {base} from it, map it (--map {text}={base})"
                if base in FIELDS
                else f"column {text!r} would be the custom field {base}, which is taken; "
                f"it is {custom_field}"
            )
            warnings.append(
                Problem(
                    line,
                    custom_field,
                    said,
                    text,
                    rejected=False,
                )
            )
    if "name" not in fields.values() and "given_name" not in fields.values():
        expected = ("Name", "Full name", "First Name + Last Name")
        hint = (
            "name a column 'Name' or 'Full name' (or 'First Name' and 'Last Name'), "
            "or pass mapping={'<your header>': 'name'}"
        )
        if any(header_key(h) in ("notes", "first name") for h in headers) or not any(headers):
            hint += "; for LinkedIn's Connections.csv use read_linkedin()"
        raise ImportFileError(
            name,
            f"has no name column (found: {', '.join(repr(h) for h in headers if h) or 'none'})",
            hint,
            expected=expected,
            found=headers,
        )
    return Layout(line, headers, fields, custom, columns, warnings)


def _row(
    layout: Layout, line: int, row: list[str], default_source: Source | None, number: int = 0
) -> tuple[ImportedContact | None, list[Problem]]:
    """Make the record for one row, or the problems that reject it; warnings come with a record.

    ``number`` is the data row it will be, so that the collector need not copy the record.
    """
    if len(row) > len(layout.headers) and not _blank(row[len(layout.headers) :]):
        return None, [
            Problem(
                line,
                None,
                f"the row has {len(row)} cells but the header has {len(layout.headers)}; "
                "quote cells that hold the delimiter, or add a header for the extra cells",
            )
        ]
    values: dict[str, str] = {}
    for column, field in layout.fields.items():
        if column < len(row):
            values[field] = row[column]
    custom: dict[str, str] = {}
    problems: list[Problem] = []
    for column, name in layout.custom.items():
        cell = row[column].strip() if column < len(row) else ""
        if cell:
            custom[name] = cell
            found = check_custom(line, name, cell)
            if found:
                problems.append(found)
    warnings: list[Problem] = []
    connected_on = None
    connected = values.pop("connected_on", "").strip()
    if connected:
        connected_on = parse_date(connected)
        if connected_on is None:
            warnings.append(
                Problem(
                    line,
                    "connected_on",
                    f"{connected[:40]!r} is not a date such as '15 Jun 2026'; left out",
                    connected,
                    rejected=False,
                )
            )
    contact, built = build(values, line, columns=layout.labels, default_source=default_source)
    if contact is None or problems:
        return None, problems + [p for p in built if p.rejected]
    return ImportedContact(contact, line, custom, connected_on, row=number), warnings + built


def stream_table(
    file: TextFile,
    *,
    kind: str,
    delimiter: str,
    is_header: Callable[[list[str]], bool],
    aliases: Mapping[str, str],
    mapping: Mapping[str, str | None] | None,
    default_source: Source | None,
    missing_header: str,
) -> ImportStream:
    """Read up to the header row, then give every row after it as it is read.

    Rows before the header row (LinkedIn's notes) and blank rows are not
    data rows. Every other row is counted, then taken or rejected. The
    stream closes ``file`` when it ends or is closed.

    Raises:
        ImportFileError: No header row, a row before it cannot be read, or
            the header has no name column.
    """
    collector = Collector(kind, file.name, file.encoding, file.guessed, keep=False)
    found = rows(file.text, delimiter, name=file.name, encoding=file.encoding)
    for line, row in found:
        if isinstance(row, Problem):
            raise ImportFileError(
                file.name,
                f"line {line}, before the header row: {row.message}",
                "fix the quotes there",
            )
        if not _blank(row) and is_header(row):
            layout = make_layout(file.name, line, row, aliases, mapping)
            break
    else:
        raise ImportFileError(file.name, missing_header, "check that it is the right file")
    for warning in layout.warnings:
        collector.warn(warning.line, warning.field, warning.message, warning.value)
    if "email" not in layout.fields.values():
        collector.warn(
            layout.line,
            "email",
            "no column looks like an email address, so no contact has one and no message can "
            "go to them; name the column: mapping={'COLUMN': 'email'} "
            "(on the command line --map COLUMN=email)",
        )
    records = TableRecords(collector, layout, found, default_source)
    return ImportStream(collector, records, layout.columns, close=file.close)


RawRow = tuple[int, "list[str] | Problem", int]  # the line, its cells (or why not), the row number
# A row's record (or None and its problems), and the unnamed columns whose cells it fills.
Made = tuple["ImportedContact | None", list[Problem], tuple[int, ...]]


@attrs.frozen
class RowMaker:
    """Make a row's record, or the problems that reject it: the part of reading a row
    that may run in another process (see :class:`TableRecords`)."""

    layout: Layout
    default_source: Source | None
    unnamed: tuple[int, ...]  # the custom columns without a header

    def __call__(self, item: RawRow) -> Made:
        line, row, number = item
        if isinstance(row, Problem):
            return None, [row], ()
        used = tuple(c for c in self.unnamed if c < len(row) and row[c].strip())
        record, problems = _row(self.layout, line, row, self.default_source, number)
        return record, problems, used


class TableRecords(Iterator[ImportedContact]):
    """The records of the rows after a table's header: each row made and taken in turn.

    Iterated, every row is made into a record here and taken (or rejected)
    by the collector. :meth:`raw` gives the rest of the rows instead, for
    :attr:`make` to make elsewhere (a bulk run's worker processes) and
    :meth:`settle` to take here, in file order.
    """

    def __init__(
        self,
        collector: Collector,
        layout: Layout,
        found: Iterator[tuple[int, list[str] | Problem]],
        default_source: Source | None,
    ) -> None:
        self._collector = collector
        self._layout = layout
        self._found = found
        unnamed = tuple(c for c in layout.custom if not layout.headers[c])
        self.make = RowMaker(layout, default_source, unnamed)
        self._unnamed_used: set[int] = set()
        self._raw = self._rows()

    def __next__(self) -> ImportedContact:
        for item in self._raw:
            taken = self.settle(self.make(item))
            if taken is not None:
                return taken
        raise StopIteration

    def raw(self) -> Iterator[RawRow]:
        """Give the rest of the rows, unmade, each with the row number it will be."""
        return self._raw

    def settle(self, made: Made) -> ImportedContact | None:
        """Take a row's record (``None`` for a duplicate) or reject it; rows in file order.

        The first row to fill a column without a header brings its warning.
        """
        record, problems, used = made
        for column in used:
            if column not in self._unnamed_used:
                self._unnamed_used.add(column)
                name = self._layout.custom[column]
                self._collector.warn(
                    self._layout.line,
                    name,
                    f"column {column + 1} has no header; its cells are kept as the custom "
                    f"field {name}",
                )
        if record is None:
            self._collector.reject(problems)
            return None
        return self._collector.take(record, problems)

    def _rows(self) -> Iterator[RawRow]:
        number = self._collector.rows  # every row given is settled once, in turn
        for line, row in self._found:
            if isinstance(row, Problem) or not _blank(row):
                number += 1
                yield line, row, number
