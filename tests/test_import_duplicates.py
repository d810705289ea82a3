"""Duplicates in a long file are found with a table of fixed size a row, naming the first line."""

from __future__ import annotations

import io

from infoview.importers import read_csv, stream_csv


def _table(rows: int) -> str:
    lines = ["Name,Email,LinkedIn"]
    for i in range(rows):
        n = i - 1000 if i % 7 == 6 and i > 1000 else i  # every 7th row repeats one from before
        lines.append(f"Ana García {i},Contact{n}@Example.com,https://www.linkedin.com/in/p{i}")
    return "\n".join(lines) + "\n"


def test_every_repeat_in_a_long_file_names_the_first_line() -> None:
    """Thousands of rows (the table grows many times): each repeat names its earlier line."""
    rows = 5_000
    result = read_csv(io.StringIO(_table(rows).replace("Contact1@", "contact1@", 1)))
    expected = [(i + 2, "email", i - 1000 + 2) for i in range(rows) if i % 7 == 6 and i > 1000]
    assert expected == [(p.line, p.field, p.duplicate_of) for p in result.duplicates]
    assert rows - len(expected) == result.taken


def test_case_and_profile_forms_are_one_key_when_streamed() -> None:
    """Addresses differing in case and profile URLs differing in form are repeats, streamed too."""
    text = (
        "Name,Email,LinkedIn\n"
        "Ana García,ana@example.com,https://www.linkedin.com/in/ana/\n"
        "Ana G,ANA@EXAMPLE.COM,\n"
        "Bo Chen,bo@example.com,http://linkedin.com/in/ana?trk=x\n"
        "Cy Diaz,cy@example.com,\n"
    )
    with stream_csv(io.StringIO(text)) as stream:
        names = [record.contact.name for record in stream]
        found = [(p.line, p.field, p.duplicate_of) for p in stream.problems if p.duplicate_of]
    assert (["Ana García", "Cy Diaz"], [(3, "email", 2), (4, "linkedin", 2)]) == (names, found)
