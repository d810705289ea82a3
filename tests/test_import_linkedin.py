"""Importing LinkedIn's Connections.csv, whatever note lines come before the header."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from infoview import Source
from infoview.importers import ImportFileError, read_linkedin

DATA = Path(__file__).parent / "data" / "import"


def test_current_export_with_notes() -> None:
    """The notes before the header are skipped; every connection is taken or reported."""
    result = read_linkedin(DATA / "linkedin_connections.csv")
    assert (6, 4, 3) == (result.rows, result.taken, result.without_email)
    assert result.rows == result.taken + result.rejected_rows
    assert [5, 6, 8, 9] == [r.line for r in result.records]
    assert [(7, "name", None), (10, "linkedin", 5)] == [
        (p.line, p.field, p.duplicate_of) for p in result.problems
    ]
    ana = result.records[0]
    assert ("Ana García", "Ana", "García") == (
        ana.contact.name,
        ana.contact.given_name,
        ana.contact.family_name,
    )
    assert ("Acme Health", "Product Manager") == (ana.contact.organization, ana.contact.title)
    assert "https://www.linkedin.com/in/ana-garcia" == ana.contact.linkedin
    assert date(2026, 6, 15) == ana.connected_on
    assert {Source.SOCIAL} == {c.source for c in result.contacts}
    assert "lei@example.cn" == result.contacts[1].email
    assert "linkedin" == result.format
    assert "6 rows: 4 contacts taken (3 without email), 2 rejected (lines 7, 10)" == (
        result.summary()
    )


def test_older_export_with_a_multiline_note_and_no_url_column() -> None:
    """A note spread over lines, CRLF line ends and no URL column read the same way."""
    result = read_linkedin(DATA / "linkedin_connections_old.csv")
    assert (5, 4, 3) == (result.rows, result.taken, result.without_email)
    assert [7, 8, 10, 11] == [r.line for r in result.records]
    assert [9] == list(result.rejected)
    assert [date(2026, 6, 15), date(2025, 2, 3), date(2023, 2, 28), date(2022, 3, 1)] == [
        r.connected_on for r in result.records
    ]
    assert {None} == {c.linkedin for c in result.contacts}


def test_same_contacts_from_both_exports() -> None:
    """Both versions of the export give the same people."""
    new = read_linkedin(DATA / "linkedin_connections.csv")
    old = read_linkedin(DATA / "linkedin_connections_old.csv")
    assert [c.name for c in new.contacts] == [c.name for c in old.contacts]


def test_bad_url_rejects_and_bad_date_warns() -> None:
    """A URL that is not http(s) rejects its row; an unreadable date is a warning."""
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,García,javascript:alert(1),,,,15 Jun 2026\n"
        "Bo,Chen,https://www.linkedin.com/in/bo,,,,someday\n"
    )
    result = read_linkedin(io.StringIO(text))
    rejected, warning = result.problems
    assert (2, "linkedin", True) == (rejected.line, rejected.field, rejected.rejected)
    assert "not an http(s) URL" in rejected.message
    assert (3, "connected_on", False) == (warning.line, warning.field, warning.rejected)
    assert (None, "Bo Chen") == (result.records[0].connected_on, result.contacts[0].name)


def test_not_a_linkedin_export() -> None:
    """A file with no "First Name" row is refused, naming the columns expected."""
    with pytest.raises(ImportFileError, match="no row with a 'First Name' column") as info:
        read_linkedin(io.StringIO("Name,Email\nAna,ana@example.com\n"))
    assert "Connected On" in str(info.value)
