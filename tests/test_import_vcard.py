"""Importing vCard 3.0 and 4.0 files through vobject."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import vobject
from hypothesis import given, settings, strategies as st

from infoview import Source
from infoview.importers import read_vcard
from infoview.importers.vcard import _LogicalLines

DATA = Path(__file__).parent / "data" / "import"


def test_vcard_3_cards_and_a_broken_one() -> None:
    """Each card is a contact; a card vobject cannot parse is reported at its BEGIN line."""
    result = read_vcard(DATA / "cards_v3.vcf")
    assert (4, 3) == (result.rows, result.taken)
    assert [1, 16, 30] == [r.line for r in result.records]
    broken = next(p for p in result.problems if p.rejected)
    assert 25 == broken.line
    assert "Failed to parse line: FN Broken Card Without Colon" in broken.message
    assert "at line 27" in broken.message
    ana = result.records[0]
    contact = ana.contact
    assert ("Ana García", "Ana", "García") == (
        contact.name,
        contact.given_name,
        contact.family_name,
    )
    assert ("ana@example.com", "Acme Health", "Product Manager") == (
        contact.email,
        contact.organization,
        contact.title,
    )
    assert ("es_MX", "https://www.linkedin.com/in/ana-garcia") == (contact.locale, contact.linkedin)
    assert "Met at homecoming, asked about PM interviews.\nFollow up in June." == contact.notes
    assert ("alumni", "product") == contact.tags
    assert {
        "other_emails": "ana.work@example.com",
        "url": "https://ana.example.com",
        "tz": "-06:00",
    } == dict(ana.custom)
    assert "Lei" == result.contacts[2].name


def test_folded_lines_are_unfolded_by_vobject() -> None:
    """A property folded over two lines reads as one value."""
    nikos = read_vcard(DATA / "cards_v3.vcf").contacts[1]
    assert "vCard lines should stay under seventy-five octets." in (nikos.notes or "")


def test_utc_offset_zone_is_a_warning_and_kept() -> None:
    """TZ as a UTC offset names no zone: the card is taken, the offset kept, a warning given."""
    result = read_vcard(DATA / "cards_v3.vcf")
    (warning,) = result.warnings
    assert (1, "timezone", "-06:00") == (warning.line, warning.field, warning.value)
    assert "set Contact.timezone" in warning.message
    assert result.contacts[0].timezone is None


def test_vcard_4_preferences_scripts_and_a_hostile_name() -> None:
    """PREF picks the email and language; CJK and Arabic names pass; an encoded word does not."""
    result = read_vcard(DATA / "cards_v4.vcf", source=Source.CONFERENCE)
    assert (4, 3, 1) == (result.rows, result.taken, result.without_email)
    fang, layla, zoe = result.records
    assert ("王芳", "wang.fang@example.cn", "zh_Hans_CN", "Asia/Shanghai") == (
        fang.contact.name,
        fang.contact.email,
        fang.contact.locale,
        fang.contact.timezone,
    )
    assert {"other_emails": "fang.wang@work.example.cn", "other_languages": "en"} == dict(
        fang.custom
    )
    assert ("conference", "robotics") == fang.contact.tags
    assert ("ليلى حداد", "https://eg.linkedin.com/in/layla-haddad") == (
        layla.contact.name,
        layla.contact.linkedin,
    )
    assert {"nickname": "Lulu"} == dict(layla.custom)
    assert {"tz": "-0500"} == dict(zoe.custom)
    assert {Source.CONFERENCE} == {c.source for c in result.contacts}
    (rejected,) = (p for p in result.problems if p.rejected)
    assert (23, "name") == (rejected.line, rejected.field)
    assert rejected.message.startswith("FN: ")
    assert "RFC 2047 encoded word" in rejected.message


def test_text_outside_cards_and_an_unclosed_card() -> None:
    """Stray text is a warning; a card never closed is a rejected row; the rest are read."""
    text = (
        "garbage before\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Ana\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Unclosed\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Bo\nEND:VCARD\n"
    )
    result = read_vcard(io.StringIO(text))
    assert ["Ana", "Bo"] == [c.name for c in result.contacts]
    assert [(1, False), (6, True)] == [(p.line, p.rejected) for p in result.problems]
    assert "never closed" in result.problems[1].message


def test_card_without_a_name() -> None:
    """A card with neither FN nor N is reported as having no name."""
    result = read_vcard(io.StringIO("BEGIN:VCARD\nVERSION:3.0\nEMAIL:a@example.com\nEND:VCARD\n"))
    (problem,) = result.problems
    assert (1, "name") == (problem.line, problem.field)
    assert "no name" in problem.message


# Lines that exercise vobject's unfolding: folds by space and tab, quoted-printable
# soft breaks (the marker even split over a fold), blank lines, stray CRs, broken lines.
_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "VERSION:3.0",
        "FN:Ana",
        "N:García;Ana;;;",
        "EMAIL:ana@example.com",
        " continued",
        "\tcontinued",
        "  two spaces",
        "",
        " ",
        "\t",
        "=",
        " =",
        "x=",
        "=41",
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=3Db=",
        "NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:caf=C3=A9=",
        "NOTE:see Quoted-",
        " Printable=",
        "NOTE:Σ quoted-prİntable=",
        "FN Broken Card Without Colon",
        "a\rb",
        "\r",
        ":",
    ]
)


def _parsed(source: Any, lines: _LogicalLines | None = None) -> tuple[Any, ...]:
    """What vobject makes of a card: its lines, or its error, with card line numbers."""
    number = (lambda n: n) if lines is None else lines.card_line

    try:
        card = vobject.readOne(source, allowQP=True)
    except Exception as exc:  # any failure: the failure itself is compared
        message = str(exc)
        found = re.match(r"At line (\d+): ", message)
        if found:
            message = f"At line {number(int(found[1]))}: {message[found.end() :]}"
        return type(exc).__name__, message
    return tuple(
        (
            line.name,
            sorted(getattr(line, "params", {}).items()),  # a component (an empty card) has none
            getattr(line, "singletonparams", None),
            repr(getattr(line, "value", None)),
            None if getattr(line, "lineNumber", None) is None else number(line.lineNumber),
        )
        for line in card.getChildren()
    )


@settings(max_examples=400, deadline=None)
@given(
    body=st.lists(_LINES, max_size=12),
    newline=st.sampled_from(["\n", "\r\n"]),
    end=st.booleans(),
)
def test_lines_are_joined_as_vobject_joins_them(body: list[str], newline: str, end: bool) -> None:
    """A card's folded lines, joined before vobject reads them, give what vobject gives."""
    text = newline.join(["BEGIN:VCARD", *body, "END:VCARD"]) + newline * end
    lines = _LogicalLines(text)
    assert _parsed(text) == _parsed(lines, lines)
