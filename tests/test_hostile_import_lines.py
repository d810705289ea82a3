"""Line breaks inside a cell: joined in one-line fields with a note, refused in names and emails."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoview import Contact, ValidationError
from infoview.importers import read_csv, read_vcard

HEADER = "Name,Email,Organization,Title,School\n"


def _csv(tmp_path: Path, body: str) -> Path:
    """Write a CSV file (with a header) and return its path."""
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + body).encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
def test_a_multi_line_company_cell_is_joined_and_the_row_taken(
    tmp_path: Path, newline: str
) -> None:
    """'NASA⏎Langley' from a multi-line Excel cell becomes 'NASA Langley', with a note."""
    result = read_csv(_csv(tmp_path, f'Ana García,ana@example.com,"NASA{newline}Langley",PM,\n'))
    [contact] = result.contacts
    assert "NASA Langley" == contact.organization
    [note] = result.problems
    assert (2, "organization", False) == (note.line, note.field, note.rejected)
    assert f"NASA{newline}Langley" == note.value
    assert "had line breaks; joined into one line: 'NASA Langley'" in note.message
    assert "line 2" in str(note)


def test_every_line_and_blank_line_of_the_cell_is_kept_once(tmp_path: Path) -> None:
    """Blank lines and spaces around each line go; the words stay, one space apart."""
    cell = '"  Product  \n\n  Manager \n"'
    result = read_csv(_csv(tmp_path, f"Ana García,ana@example.com,Acme,{cell},State U\n"))
    [contact] = result.contacts
    assert ("Product Manager", "State U") == (contact.title, contact.school)


@pytest.mark.parametrize(
    "cell", ["a\nb\nc\nd\ne\nf", "Acme\n" + "x" * 300], ids=["six lines", "long"]
)
def test_a_cell_of_many_lines_or_characters_is_still_refused(tmp_path: Path, cell: str) -> None:
    """More than five lines, or over 300 characters joined, is likely notes: refused as before."""
    result = read_csv(_csv(tmp_path, f'Ana García,ana@example.com,"{cell}",PM,\n'))
    assert [] == list(result.contacts)
    [problem] = result.problems
    assert ("organization", True) == (problem.field, problem.rejected)
    assert "line break" in problem.message


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ('"Ana\nGarcía",ana@example.com,Acme,PM,\n', "name"),
        ('Ana García,"ana@example.com\nBcc: x@evil.example",Acme,PM,\n', "email"),
    ],
)
def test_a_line_break_in_a_name_or_address_still_refuses_the_row(
    tmp_path: Path, row: str, field: str
) -> None:
    """Names and email addresses with a line break are refused, as before."""
    result = read_csv(_csv(tmp_path, row))
    assert [] == list(result.contacts)
    assert [(2, field, True)] == [(p.line, p.field, p.rejected) for p in result.problems]


def test_the_model_stays_strict() -> None:
    """Contact itself still refuses a line break in a one-line field: only importers join."""
    with pytest.raises(ValidationError, match="organization"):
        Contact(name="Ana García", organization="NASA\nLangley")


def test_a_vcard_org_on_two_lines_is_joined(tmp_path: Path) -> None:
    """A vCard ORG with an escaped line break is joined the same way, with a note."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana García\r\nN:García;Ana;;;\r\n"
        "EMAIL:ana@example.com\r\nORG:NASA\\nLangley\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "ana.vcf"
    path.write_text(card, encoding="utf-8")
    result = read_vcard(path)
    [contact] = result.contacts
    assert "NASA Langley" == contact.organization
    assert ["organization"] == [p.field for p in result.problems if not p.rejected]
