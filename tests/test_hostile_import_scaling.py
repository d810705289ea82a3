"""Hostile sizes for the JSON and vCard importers: many items, values folded over many lines.

Both importers once took time growing with the square of the input (JSON
counted lines from the start of the file for every item; vobject copied a
folded line at every line added to it). These inputs took minutes then; the
tests pin what must come out (every line number and every value), not how
long it takes.
"""

from __future__ import annotations

import binascii
import io
import json

from infoview import Contact, converter
from infoview.importers import read_json, read_vcard

FOLDS = 20_000


def test_five_thousand_json_contacts_keep_their_lines() -> None:
    """In a pretty-printed list of 5,000 contacts, each is on the line where its ``{`` is."""
    items = converter.unstructure([Contact(name=f"Ana {i}", notes="a\nb") for i in range(5_000)])
    for i in range(0, 5_000, 1_000):
        items[i]["emial"] = f"ana{i}@example.com"
    text = json.dumps(items, indent=2)
    starts = [n for n, line in enumerate(text.splitlines(), start=1) if line == "  {"]
    result = read_json(io.StringIO(text))
    assert (5_000, 4_995) == (result.rows, result.taken)
    assert [s for i, s in enumerate(starts) if i % 1_000] == [r.line for r in result.records]
    assert [(starts[i], "emial") for i in range(0, 5_000, 1_000)] == [
        (p.line, p.field) for p in result.problems
    ]
    assert f"item {4_001}: unknown field; did you mean 'email'?" == result.problems[4].message
    assert "Ana 4999" == result.contacts[-1].name


def test_values_folded_over_twenty_thousand_lines_are_read_whole() -> None:
    """A 3.0 NOTE folded and a 2.1 one soft-broken (quoted-printable) over 20,000 lines each."""
    note = " ".join(f"Line {i:05d} of a long note with a café; ☕." for i in range(2 * FOLDS))
    escaped = note.replace(";", "\\;")
    folded = "\r\n ".join(escaped[i : i + 74] for i in range(0, len(escaped), 74))
    quoted = binascii.b2a_qp(note.encode()).decode("ascii").replace("=\n", "=\r\n")
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Folded\r\n"
        f"NOTE:{folded}\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bo Quoted\r\n"
        f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:{quoted}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy\r\nNOTE Broken\r\nEND:VCARD\r\n"
    )
    lines = text.split("\r\n")
    assert FOLDS < min(folded.count("\n"), quoted.count("\n"))
    result = read_vcard(io.BytesIO(text.encode()))
    assert [(1, "Ana Folded", note), (lines.index("FN:Bo Quoted") - 1, "Bo Quoted", note)] == [
        (r.line, r.contact.name, r.contact.notes) for r in result.records
    ]
    assert "ana@example.com" == result.contacts[0].email
    (broken,) = result.problems
    assert len(lines) - 5 == broken.line
    assert f"at line {len(lines) - 2}" in broken.message
