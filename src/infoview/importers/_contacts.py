"""Turning one row's cells into a Contact, or into problems naming the field and line.

Shared by every importer: column aliases, ``Source`` synonyms, names for
custom fields, and the one place a row's values meet :class:`Contact`'s
validation (whose message, naming the field and what to do, becomes the
problem's message).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from infoview.errors import ValidationError
from infoview.importers._result import Problem
from infoview.model import _text
from infoview.model._fields import show
from infoview.model.contact import SOURCE_WORDS, Contact, Source

__all__ = [
    "ALIASES",
    "FIELDS",
    "SOURCE_SYNONYMS",
    "Values",
    "build",
    "check_custom",
    "custom_name",
    "header_key",
    "to_source",
]

#: The contact fields a column may fill.
FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Contact) if a.init)

#: Column headers infoview recognizes, in :func:`header_key` form, and the field each fills.
ALIASES: dict[str, str] = {
    **dict.fromkeys(["name", "full name", "fullname", "display name", "contact name"], "name"),
    **dict.fromkeys(["first name", "firstname", "given name", "first"], "given_name"),
    **dict.fromkeys(["last name", "lastname", "family name", "surname", "last"], "family_name"),
    **dict.fromkeys(
        ["email", "e mail", "email address", "e mail address", "mail", "email 1 value"], "email"
    ),
    **dict.fromkeys(
        ["company", "organization", "organisation", "employer", "org", "company name"],
        "organization",
    ),
    **dict.fromkeys(["title", "position", "job title", "role", "job"], "title"),
    **dict.fromkeys(["school", "university", "college", "alma mater"], "school"),
    **dict.fromkeys(["source", "how we met", "met via"], "source"),
    **dict.fromkeys(["source detail", "met at", "where we met"], "source_detail"),
    **dict.fromkeys(["locale", "language", "lang"], "locale"),
    **dict.fromkeys(["time zone", "timezone", "tz", "zone"], "timezone"),
    **dict.fromkeys(
        ["linkedin", "linkedin url", "linkedin profile", "profile url", "profile"], "linkedin"
    ),
    **dict.fromkeys(["phone", "phone number", "telephone", "mobile", "tel"], "phone"),
    **dict.fromkeys(["industry", "sector"], "industry"),
    **dict.fromkeys(["headline", "tagline"], "headline"),
    **dict.fromkeys(["pronouns"], "pronouns"),
    **dict.fromkeys(["honorific"], "honorific"),
    **dict.fromkeys(["register", "address form"], "register"),
    **dict.fromkeys(["tags", "labels", "categories", "groups"], "tags"),
    **dict.fromkeys(["notes", "note", "comments", "comment"], "notes"),
    **dict.fromkeys(["introduced by", "referred by", "referrer", "introducer"], "introduced_by"),
    # Not a contact field: kept beside the contact, as ImportedContact.connected_on.
    **dict.fromkeys(["connected on", "connected"], "connected_on"),
}


#: Words in a Source column and the Source each means (in :func:`header_key` form).
SOURCE_SYNONYMS: dict[str, Source] = {
    **{member.value.replace("_", " "): member for member in Source},
    **{word: member for member, words in SOURCE_WORDS.items() for word in words.split(", ")},
}

# Names a template context already uses: a custom field must not shadow them.
_RESERVED = frozenset(
    ["interview", "contact", "sender", "recipient", "locale", "person", "referrer", "original"]
)

#: A row's values by field (or custom field) name: text, or a list for tags.
Values = Mapping[str, str | Sequence[str] | None]


def header_key(header: str) -> str:
    """Normalize a header (or a Source word): ``"E-Mail_Address "`` → ``"e mail address"``."""
    folded = unicodedata.normalize("NFKC", header).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[\s_\-./:*?()]+", " ", folded).split())


def custom_name(header: str, column: int) -> str:
    """Make a template-friendly identifier from a header: ``"Why them?"`` → ``why_them``.

    Headers with no ASCII letters or digits become ``column_<n>`` (1-based);
    names a template context uses already (``interview``, ``contact``, …)
    get ``_column`` appended.
    """
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:64].rstrip("_")
    if not name:
        return f"column_{column}"
    if name[0].isdigit():
        name = f"column_{name}"
    if name in _RESERVED:
        name += "_column"
    return name


def to_source(value: str) -> Source | None:
    """Return the Source a cell names, by value or synonym (any case), else ``None``."""
    return _known_source(value) if len(value) <= 64 else SOURCE_SYNONYMS.get(header_key(value))


@functools.lru_cache(maxsize=256)  # a Source column repeats a few short words, row after row
def _known_source(value: str) -> Source | None:
    return SOURCE_SYNONYMS.get(header_key(value))


def _source_problem(line: int, value: str, where: str) -> Problem:
    allowed = ", ".join(m.value for m in Source)
    close = difflib.get_close_matches(header_key(value), list(SOURCE_SYNONYMS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return Problem(
        line,
        "source",
        f"{where}{show(value)} is not a source infoview knows; {hint}use one of: {allowed} "
        "(or a synonym such as LinkedIn, friend, meetup), or map the column to source_detail",
        value,
    )


def check_custom(line: int, name: str, value: str) -> Problem | None:
    """Refuse a custom value that could not sit on one line of a mail header (templates put
    custom fields such as ``mutual`` in subjects)."""
    found = _text.problem(value)
    if found is None:
        return None
    return Problem(
        line,
        name,
        f"{show(value)} {found}; write it on one line, as plain text (no line breaks, tabs, "
        "invisible control characters or '=?…?=')",
        value,
    )


# One-line fields where a spreadsheet cell's line breaks (a multi-line Excel cell,
# "NASA⏎Langley") are joined with a space; names and addresses stay refused. A cell
# of more lines or characters than these is likely notes in the wrong column: refused.
_JOINED = ("title", "organization", "industry", "school", "headline", "source_detail")
_JOINED_LINES = 5
_JOINED_LENGTH = 300


def _join_lines(kwargs: dict[str, Any], line: int, columns: Mapping[str, str]) -> list[Problem]:
    """Join the lines of a one-line field's cell with a space; a note (not a refusal) for each."""
    notes: list[Problem] = []
    for field in _JOINED:
        cell = kwargs.get(field)
        if not isinstance(cell, str) or not 1 < len(cell.splitlines()) <= _JOINED_LINES:
            continue
        joined = " ".join(part.strip() for part in cell.splitlines() if part.strip())
        if len(joined) > _JOINED_LENGTH:
            continue  # refused by Contact's check, as a line break in a one-line field
        kwargs[field] = joined
        message = f"{show(cell)} had line breaks; joined into one line: {show(joined)}"
        notes.append(Problem(line, field, _where(columns, field) + message, cell, rejected=False))
    return notes


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _prepare(
    values: Values, line: int, columns: Mapping[str, str], default_source: Source | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Turn cells into keyword arguments for Contact; problems for cells no field can take."""
    given = values.get("given_name")
    family = values.get("family_name")
    kwargs: dict[str, Any] = {k: v for k, v in values.items() if not _blank(v)}
    problems: list[Problem] = []
    if _blank(values.get("name")):
        parts = [p.strip() for p in (given, family) if isinstance(p, str) and p.strip()]
        kwargs["name"] = " ".join(parts)
    source = kwargs.pop("source", None)
    if isinstance(source, str):
        member = to_source(source)
        if member is None:
            problems.append(_source_problem(line, source, _where(columns, "source")))
        else:
            kwargs["source"] = member
    elif default_source is not None:
        kwargs["source"] = default_source
    for field in ("honorific", "register"):
        cell = kwargs.get(field)
        if isinstance(cell, str):
            kwargs[field] = cell.strip().rstrip(".").casefold()
    tags = kwargs.get("tags")
    if isinstance(tags, str):
        kwargs["tags"] = [t for t in re.split(r"[;,]", tags) if t.strip()]
    introducer = kwargs.get("introduced_by")
    if isinstance(introducer, str):
        try:
            kwargs["introduced_by"] = Contact(name=introducer)
        except ValidationError as exc:
            kwargs.pop("introduced_by")
            problems.append(_problem(line, exc, introducer, columns, "introduced_by"))
    return kwargs, problems


def _where(labels: Mapping[str, str], field: str) -> str:
    label = labels.get(field)
    return f"{label}: " if label else ""


def _problem(
    line: int,
    exc: ValidationError,
    value: object,
    columns: Mapping[str, str],
    field: str | None = None,
) -> Problem:
    field = field or exc.field.split("[", 1)[0]
    message = exc.problem + (f"; {exc.hint}" if exc.hint else "")
    if field == "name" and _blank(value):
        message = "no name; fill in the name (or first and last name): a contact needs one"
    shown = value if isinstance(value, str) else None
    return Problem(line, field, _where(columns, field) + message, shown)


def build(
    values: Values,
    line: int,
    *,
    columns: Mapping[str, str] | None = None,
    default_source: Source | None = None,
) -> tuple[Contact | None, list[Problem]]:
    """Make a Contact from a row's values, or report every field that refuses its value.

    Args:
        values: Cells by contact field name (``given_name`` and ``family_name``
            also make the name when there is no name cell).
        line: The file line the row starts on, for the problems.
        columns: Where each field came from, for the messages
            (``{"email": "column 'E-mail'"}``, ``{"email": "EMAIL"}``).
        default_source: The Source when the row has no source cell.

    Returns:
        The contact and its notes (problems with ``rejected=False``: a one-line
        field's line breaks joined), or ``None`` and at least one problem.
    """
    columns = columns or {}
    kwargs, problems = _prepare(values, line, columns, default_source)
    notes = _join_lines(kwargs, line, columns)
    if not problems:
        try:
            return Contact(**kwargs), notes
        except ValidationError:
            pass  # find every bad field, not only the first
    for field, value in kwargs.items():
        try:
            if field == "name":
                Contact(name=value)
            else:
                Contact(name="n", **{field: value})
        except ValidationError as exc:
            raw = values.get(field, value)
            problems.append(_problem(line, exc, raw, columns, field))
    if not problems:  # pragma: no cover - a refusal no single field explains
        problems.append(Problem(line, None, "the row cannot make a contact"))
    return None, problems
