"""Importing contacts from vCard files (3.0 and 4.0; 2.1 where vobject reads it).

vobject parses each card (escapes, parameters, quoted-printable); this module
finds where each card begins, so that a card vobject cannot read is reported
with its line and the cards after it are still read, and joins each card's
folded lines by vobject's own rules before vobject reads it (see
:class:`_LogicalLines`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from infoview.importers._contacts import build, check_custom
from infoview.importers._files import Input, decode, read
from infoview.importers._result import Collector, ImportedContact, ImportResult, Problem
from infoview.model.contact import Source

__all__ = ["read_vcard"]

# Where each property lands, for the messages.
_LABELS = {
    "name": "FN",
    "given_name": "N",
    "family_name": "N",
    "email": "EMAIL",
    "organization": "ORG",
    "title": "TITLE",
    "timezone": "TZ",
    "locale": "LANG",
    "linkedin": "URL",
    "notes": "NOTE",
    "tags": "CATEGORIES",
    "phone": "TEL",
}
_OFFSET = re.compile(r"[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?|Z")
_LINKEDIN = re.compile(r"^https?://([a-z0-9-]+\.)*linkedin\.com(/|$)", re.IGNORECASE)
_AT_LINE = re.compile(r"^At line (\d+): ")


def _cards(text: str) -> Iterator[tuple[int, str] | tuple[int, None]]:
    """Yield ``(line, card text)`` for each BEGIN:VCARD … END:VCARD, and
    ``(line, None)`` where text outside any card starts."""
    card: list[str] = []
    start = 0
    outside = False
    for number, raw in enumerate(io.StringIO(text, newline=""), start=1):
        word = raw.strip().upper()
        if word == "BEGIN:VCARD":
            if card:  # never closed: vobject will say so
                yield start, "".join(card)
            card, start, outside = [raw], number, False
        elif card:
            card.append(raw)
            if word == "END:VCARD":
                yield start, "".join(card)
                card = []
        elif word and not outside:
            outside = True
            yield number, None
    if card:
        yield start, "".join(card)


class _LogicalLines:
    """A card's text for vobject, as a stream: one logical line (folds joined) per ``readline()``.

    vobject (with ``allowQP``) joins a folded line, or a quoted-printable
    value soft-broken over several lines, itself, but copies the line built so
    far at every line it adds: a value folded over n lines costs n² time (a
    4.9 MB card took minutes). This joins the lines once, by the same rules
    (a line starting with a space or tab continues the previous one without
    that character; after a line ending in ``=`` that mentions
    quoted-printable, the next line is added after a line break; a blank line
    ends a line), so vobject receives the lines it would have built, each
    whole, and reads them in linear time.

    Args:
        text: One card, as :func:`_cards` yields it.
    """

    _MARK = "quoted-printable"

    def __init__(self, text: str) -> None:
        self._chunks: list[str] = []
        self._starts: list[int] = []  # the card line where each chunk starts
        parts: list[str] = []
        start = 0
        tail = ""  # the last characters of the logical line, lower-cased
        marked = soft_break = False
        for number, raw in enumerate(io.StringIO(text), start=1):
            line = raw.rstrip("\r\n")
            if not line.rstrip():
                self._flush(parts, start)
                self._add("\n", number)
                parts, tail, marked, soft_break = [], "", False, False
                continue
            if soft_break:
                piece, soft_break = "\n" + line, False
            elif line[0] in " \t":
                piece = line[1:]
                start = start if parts else number
            else:
                self._flush(parts, start)
                parts, start, tail, marked = [], number, "", False
                piece = line
            parts.append(piece)
            lowered = tail + piece.lower()
            marked = marked or self._MARK in lowered
            tail = lowered[-len(self._MARK) :]
            soft_break = marked and piece.endswith("=")
        self._flush(parts, start)
        self._chunks.reverse()

    def _flush(self, parts: list[str], start: int) -> None:
        if parts:
            line = "".join(parts)
            # A line starting with a space would be taken for a fold: vobject drops one.
            self._add((" " if line[0] in " \t" else "") + line + "\n", start)

    def _add(self, chunk: str, start: int) -> None:
        self._chunks.append(chunk)
        self._starts.append(start)

    def readline(self, size: int = -1, /) -> str:
        """Return the next logical line, with a line break; ``""`` at the end."""
        return self._chunks.pop() if self._chunks else ""

    def card_line(self, number: int) -> int:
        """Turn vobject's line number (its count of ``readline()`` calls) into the card's."""
        return self._starts[number - 1] if 0 < number <= len(self._starts) else number


def _preferred(lines: list[Any]) -> list[Any]:
    """Order a property's lines: PREF=1 (4.0) or TYPE=pref (3.0) first, then file order."""

    def rank(line: Any) -> int:
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in line.params.items()}
        if "pref" in params.get("TYPE", []):
            return 0
        pref = params.get("PREF", [])
        return int(pref[0]) if pref and pref[0].isdigit() else 101

    return sorted(lines, key=rank)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return " ".join(v for v in value if v.strip())
    return None


def _all(card: Any, name: str) -> list[str]:
    found = (_text(line.value) for line in _preferred(card.contents.get(name, [])))
    return [v.strip() for v in found if v and v.strip()]


def _first(card: Any, name: str) -> str | None:
    found = _all(card, name)
    return found[0] if found else None


def _name_parts(card: Any) -> dict[str, str]:
    lines = card.contents.get("n", [])
    if not lines:
        return {}
    n = lines[0].value
    parts = {
        part: _text(getattr(n, attr, None)) or ""
        for part, attr in (("given", "given"), ("additional", "additional"), ("family", "family"))
    }
    found: dict[str, str] = {}
    if parts["given"].strip():
        found["given_name"] = parts["given"]
    if parts["family"].strip():
        found["family_name"] = parts["family"]
    whole = " ".join(p.strip() for p in parts.values() if p.strip())
    if whole:
        found["name"] = whole
    return found


def _tags(card: Any) -> list[str]:
    return [
        tag
        for line in card.contents.get("categories", [])
        for tag in (line.value if isinstance(line.value, list) else [line.value])
        if isinstance(tag, str)
    ]


def _urls(card: Any, values: dict[str, Any], custom: dict[str, str]) -> None:
    """The first LinkedIn URL is the contact's profile; other URLs are kept as custom fields."""
    urls = _all(card, "url") + _all(card, "x-socialprofile")
    profiles = [u for u in urls if _LINKEDIN.match(u)]
    if profiles:
        values["linkedin"] = profiles[0]
    others = [u for u in urls if u not in profiles[:1]]
    if others:
        custom["url"] = others[0]
    if others[1:]:
        custom["other_urls"] = ", ".join(others[1:])


def _zone(card: Any, line: int, values: dict[str, Any], custom: dict[str, str]) -> list[Problem]:
    """An IANA TZ is the contact's zone; an offset (or URI) is kept aside, with a warning."""
    zone = _first(card, "tz")
    if not zone:
        return []
    if not (_OFFSET.fullmatch(zone) or ":" in zone.split("/", 1)[0]):
        values["timezone"] = zone
        return []
    custom["tz"] = zone
    return [
        Problem(
            line,
            "timezone",
            f"TZ {zone!r} is a UTC offset (or a URI), not a time zone: offsets change "
            "with daylight saving time, so timezone is left unset and the value kept as "
            "the custom field tz; set Contact.timezone to a name such as 'America/New_York'",
            zone,
            rejected=False,
        )
    ]


def _fields(card: Any, line: int) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """Read a parsed card into contact values, custom fields and warnings."""
    values: dict[str, Any] = dict(_name_parts(card))
    if fn := _first(card, "fn"):
        values["name"] = fn
    custom: dict[str, str] = {}
    for field, prop, others in (
        ("email", "email", "other_emails"),
        ("phone", "tel", "other_phones"),
        ("locale", "lang", "other_languages"),
    ):
        found = _all(card, prop)
        if found:
            values[field] = found[0]
        if found[1:]:
            custom[others] = ", ".join(found[1:])
    org = card.contents.get("org", [])
    if org:
        first = org[0].value
        values["organization"] = first[0] if isinstance(first, list) and first else _text(first)
    if found := _all(card, "title"):
        values["title"] = found[0]
    if found := _all(card, "note"):
        values["notes"] = "\n\n".join(found)
    if tags := _tags(card):
        values["tags"] = tags
    for prop in ("nickname", "role", "uid", "bday"):
        if found := _all(card, prop):
            custom[prop] = found[0]
    _urls(card, values, custom)
    return values, custom, _zone(card, line, values, custom)


def _card_problem(line: int, exc: Exception, lines: _LogicalLines) -> Problem:
    message = str(exc)
    found = _AT_LINE.match(message)
    where = line
    if found:
        where = line + lines.card_line(int(found[1])) - 1
        message = message[found.end() :]
    text = f"vobject cannot read this card ({message[:200]})"
    if where != line:
        text += f" at line {where}"
    return Problem(line, None, text + "; fix or remove it, the other cards were read")


def read_vcard(
    path_or_file: Input,
    *,
    encoding: str | None = None,
    source: Source | None = None,
) -> ImportResult:
    """Import every card of a vCard file (.vcf), as vobject parses it.

    Each card becomes a contact: FN (or N put together) → name, N →
    given and family name, EMAIL, TEL, LANG (the preferred one; others are
    kept as custom fields), ORG's first part → organization, TITLE, NOTE →
    notes, CATEGORIES → tags, a LinkedIn URL → linkedin (other URLs, NICKNAME,
    ROLE, UID and BDAY are kept as custom fields), TZ → timezone when it is
    an IANA name. A TZ that is a UTC offset (``-05:00``) names no zone: the
    card is taken with a warning and the offset kept as the custom field
    ``tz``. Other properties (ADR, PHOTO, …) are not read. A card vobject
    cannot parse is reported with its BEGIN line; the rest are read.

    Args:
        path_or_file: A path, or an open file (binary, or text).
        encoding: The file's encoding; UTF-8 (vCard 4.0's only one) unless
            given, else detected and the guess reported.
        source: The Source of every contact (the default is ``other``).

    Raises:
        ImportFileError: The file cannot be read or decoded.
    """
    import vobject  # noqa: PLC0415 - imported when needed: keeps `import infoview` fast

    name, content = read(path_or_file)
    decoded = decode(name, content, encoding)
    collector = Collector("vcard", decoded.name, decoded.encoding, decoded.guessed)
    for line, text in _cards(decoded.text):
        if text is None:
            collector.warn(
                line, None, "text outside BEGIN:VCARD … END:VCARD is not read; is a card cut short?"
            )
            continue
        lines = _LogicalLines(text)
        try:
            card = vobject.readOne(lines, allowQP=True)
            values, custom, warnings = _fields(card, line)
        except Exception as exc:  # any failure of one card is reported, not raised
            collector.reject([_card_problem(line, exc, lines)])
            continue
        problems = [p for n, v in custom.items() if (p := check_custom(line, n, v))]
        contact, found = build(values, line, columns=_LABELS, default_source=source)
        if contact is None or problems:
            collector.reject(problems + [p for p in found if p.rejected])
        else:
            collector.take(ImportedContact(contact, line, custom), [*warnings, *found])
    return collector.result()
