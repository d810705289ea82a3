"""Importing contacts from JSON written by ``infoview.converter``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from infoview.errors import StructureError
from infoview.importers._files import ImportFileError, Input, read
from infoview.importers._result import Collector, ImportedContact, ImportResult, Problem
from infoview.model.contact import Contact
from infoview.model.serialize import converter

__all__ = ["read_json"]

_SPACE = re.compile(r"[ \t\n\r]*")
# Finding where each item ends needs no numbers read: each item is read again, strictly.
_DECODER = json.JSONDecoder(parse_int=len, parse_float=len, parse_constant=len)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _skip(text: str, offset: int) -> int:
    found = _SPACE.match(text, offset)
    return found.end() if found else offset


def _expect(name: str, text: str, offset: int, chars: str) -> int:
    offset = _skip(text, offset)
    if offset >= len(text) or text[offset] not in chars:
        got = repr(text[offset]) if offset < len(text) else "the end of the text"
        raise ImportFileError(
            name,
            f"expected {' or '.join(repr(c) for c in chars)} at line {_line(text, offset)}, "
            f"found {got}",
            "give a list of contacts as infoview.converter writes them, "
            'or an object {"contacts": [...]}',
        )
    return offset + 1


def _array(name: str, text: str) -> int:
    """Return the offset just inside the list of contacts (top level, or under "contacts")."""
    offset = _skip(text, 0)
    if text.startswith("[", offset):
        return offset + 1
    offset = _expect(name, text, offset, "{")
    found_key = False
    while True:
        offset = _skip(text, offset)
        if text.startswith("}", offset):
            break
        key, offset = _DECODER.raw_decode(text, offset)
        offset = _expect(name, text, offset, ":")
        if key == "contacts" and not found_key:
            found_key = True
            start = _expect(name, text, offset, "[")
            offset = _skip(text, _DECODER.raw_decode(text, _skip(text, offset))[1])
            contacts = start
        else:
            raise ImportFileError(
                name,
                f"the top-level object has the key {key!r} at line {_line(text, offset)}",
                'give {"contacts": [...]} with no other key, or a list of contacts',
            )
        offset = _skip(text, offset)
        if text.startswith(",", offset):
            offset += 1
    if not found_key:
        raise ImportFileError(name, 'the object has no "contacts" key', 'give {"contacts": [...]}')
    return contacts


def _items(name: str, text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(index, line, item text)`` for each element of the list of contacts.

    Lines are counted on from the previous item, never from the start again:
    the time is linear in the size of the file.
    """
    offset = _array(name, text)
    index = 0
    offset = _skip(text, offset)
    if text.startswith("]", offset):
        return
    line, counted = 1, 0
    while True:
        offset = _skip(text, offset)
        _, end = _DECODER.raw_decode(text, offset)
        line += text.count("\n", counted, offset)
        counted = offset
        yield index, line, text[offset:end]
        index += 1
        offset = _expect(name, text, end, ",]")
        if text[offset - 1] == "]":
            return


def read_json(path_or_file: Input) -> ImportResult:
    """Import a JSON list of contacts as ``infoview.converter`` writes them.

    The document is a list of contact objects
    (``converter.unstructure(contact)``), or an object ``{"contacts": [...]}``.
    Each element is structured on its own, as strictly as
    ``converter.loads`` does: one bad element becomes problems (its line,
    the field, the converter's message, starting ``item 4``) and the
    others are still read.

    Args:
        path_or_file: A path, or an open file (binary, or text). JSON is
            UTF-8 (or UTF-16/32, detected from its first bytes).

    Raises:
        ImportFileError: The file cannot be read, is not JSON, or is not a
            list of contacts.
    """
    name, content = read(path_or_file)
    if isinstance(content, bytes):
        encoding = json.detect_encoding(content)
        try:
            text = content.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                name,
                f"is not {encoding} text (bytes at offset {exc.start} cannot be decoded)",
                "save it as UTF-8: JSON is UTF-8",
            ) from None
    else:
        encoding, text = None, content.removeprefix("\ufeff")
    _check_shape(name, text)
    collector = Collector("json", name, encoding, guessed=False)
    for index, line, item in _items(name, text):
        try:
            contact = converter.loads(item, Contact)
        except StructureError as exc:
            collector.reject([_problem(line, index, p) for p in exc.problems])
            continue
        collector.take(ImportedContact(contact, line))
    return collector.result()


def _check_shape(name: str, text: str) -> None:
    """Refuse text that is not JSON, or not a list of contacts (items are checked one by one)."""
    try:
        # Only the shape matters here: each item's numbers are read (and refused
        # when too long, naming their path) when the item itself is.
        document = json.loads(text, parse_int=len, parse_float=len, parse_constant=len)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            name,
            f"is not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            "fix the JSON there (converter.dumps() writes valid JSON)",
        ) from None
    except RecursionError:
        raise ImportFileError(name, "nests too deeply to read", "no contact is that deep") from None
    if isinstance(document, dict) and list(document) == ["contacts"]:
        document = document["contacts"]
    if not isinstance(document, list):
        raise ImportFileError(
            name,
            "is not a list of contacts",
            'give a list of contacts as infoview.converter writes them, or {"contacts": [...]}',
        )


def _problem(line: int, index: int, problem: str) -> Problem:
    """Turn ``"contact.email: …"`` into a problem on the item's line naming the field."""
    path, _, message = problem.partition(": ")
    field = path.split(".", 1)[1] if "." in path else None
    return Problem(line, field, f"item {index + 1}: {message or problem}")
