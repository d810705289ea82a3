"""Importing CSV files: delimiters, encodings, aliases, custom columns, hostile cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import infoview
from infoview import Contact, Interview, Source
from infoview.errors import ValidationError
from infoview.importers import ImportFileError, ImportResult, Problem, read_csv
from infoview.importers._rows import ROW_LIMIT
from infoview.model._text import problem as text_problem

DATA = Path(__file__).parent / "data" / "import"

NAMES = ["Ana García", "ليلى حداد", "王芳", "Νίκος Παπαδόπουλος", "Zoë 🌻 Okafor"]


def _csv(*rows: list[str], delimiter: str = ",") -> io.StringIO:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    out.seek(0)
    return out


def _rejected(result: ImportResult) -> dict[int, list[str | None]]:
    found: dict[int, list[str | None]] = {}
    for problem in result.problems:
        if problem.rejected:
            found.setdefault(problem.line, []).append(problem.field)
    return found


# -- one table, many spellings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "encoding"),
    [
        ("contacts_semicolon.csv", "utf-8"),
        ("contacts_tab.tsv", "utf-8"),
        ("contacts_bom.csv", "utf-8-sig"),
        ("contacts_utf16.txt", "utf-16"),
    ],
)
def test_delimiters_and_byte_order_marks_give_the_same_contacts(file: str, encoding: str) -> None:
    """Semicolons, tabs, a UTF-8 BOM and Excel's UTF-16 text read like the comma file."""
    expected = read_csv(DATA / "contacts_comma.csv")
    actual = read_csv(DATA / file)
    assert expected.records == actual.records
    assert (encoding, False) == (actual.encoding, actual.encoding_guessed)


def test_comma_file_contacts() -> None:
    """Every row of the sample becomes a contact with its fields, line and custom columns."""
    result = read_csv(DATA / "contacts_comma.csv")
    assert NAMES == [c.name for c in result.contacts]
    assert [2, 5, 6, 7, 8] == [r.line for r in result.records]
    assert (5, 5, 1, ()) == (result.rows, result.taken, result.without_email, result.problems)
    ana = result.records[0]
    assert "Met at homecoming.\nAsked about PM interviews." == ana.contact.notes
    assert (Source.ALUMNI, "es_MX", "America/Mexico_City") == (
        ana.contact.source,
        ana.contact.locale,
        ana.contact.timezone,
    )
    assert {"why_them": "you moved from nursing into product"} == dict(ana.custom)
    assert [
        Source.ALUMNI,
        Source.SOCIAL,
        Source.CONFERENCE,
        Source.FRIENDS_FAMILY,
        Source.OTHER,
    ] == [c.source for c in result.contacts]
    assert "utf-8" == result.encoding
    assert "5 rows: 5 contacts taken (1 without email)" == result.summary()


def test_columns_say_what_each_header_fills() -> None:
    """The result maps each header as written to the field or custom field it fills."""
    result = read_csv(DATA / "contacts_comma.csv")
    assert {
        "Name": "name",
        "E-mail": "email",
        "Company": "organization",
        "Title": "title",
        "School": "school",
        "Source": "source",
        "Language": "locale",
        "Time zone": "timezone",
        "Notes": "notes",
        "Why them?": "why_them",
    } == dict(result.columns)


def test_quoted_newline_keeps_file_line_numbers() -> None:
    """A row after a quoted multi-line cell is numbered by its physical first line."""
    source = _csv(
        ["Name", "Notes"], ["A", "one\ntwo\nthree"], [], ["B", ""], ["C\nD", ""], ["E", "x"]
    )
    result = read_csv(source)
    assert [2, 6] == [r.line for r in result.records[:2]]
    assert {7: ["name"]} == _rejected(result)
    assert 9 == result.records[2].line


def test_blank_lines_and_empty_rows_are_not_rows() -> None:
    """Blank lines and rows of empty cells are skipped, not counted."""
    result = read_csv(io.StringIO("\n\nName,Email\n\nAna,\n,\n , \n\nBo,\n"))
    assert (2, 2) == (result.rows, result.taken)
    assert [5, 9] == [r.line for r in result.records]


# -- encodings -----------------------------------------------------------------------------


def test_latin1_is_detected_and_reported_as_a_guess() -> None:
    """Bytes that are not UTF-8 are decoded by charset-normalizer's guess, and it says so."""
    result = read_csv(DATA / "latin1.csv")
    assert ["José Müller", "Françoise Dupré", "Åsa Ørsted", "Íñigo Peñalver"] == [
        c.name for c in result.contacts
    ]
    assert result.encoding_guessed
    assert result.summary().endswith(f"; encoding guessed as {result.encoding}")


def test_explicit_encoding_is_used_and_not_a_guess() -> None:
    """encoding= decodes the bytes as told."""
    result = read_csv(DATA / "latin1.csv", encoding="latin-1")
    assert ("iso8859-1", False) == (result.encoding, result.encoding_guessed)
    assert "Société Générale" == result.contacts[1].organization


def test_wrong_explicit_encoding_names_the_byte_offset() -> None:
    """Bytes the named encoding cannot decode are a file error naming where."""
    with pytest.raises(ImportFileError, match=r"is not ascii text: the bytes at offset 84"):
        read_csv(DATA / "contacts_comma.csv", encoding="ascii")
    with pytest.raises(ImportFileError, match="not an encoding Python knows"):
        read_csv(DATA / "contacts_comma.csv", encoding="klingon")


def test_text_streams_and_binary_streams() -> None:
    """An open text file needs no decoding; a binary one is decoded like a path."""
    text = read_csv(io.StringIO("Name\nAna\n"))
    binary = read_csv(io.BytesIO(b"Name\nAna\n"))
    assert (None, "utf-8") == (text.encoding, binary.encoding)
    assert text.records == binary.records


# -- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field", "value", "expected"),
    [
        ("E-mail", "email", "a@example.com", "a@example.com"),
        ("Email Address", "email", "a@example.com", "a@example.com"),
        ("email", "email", "a@example.com", "a@example.com"),
        ("Company", "organization", "Acme", "Acme"),
        ("Organization", "organization", "Acme", "Acme"),
        ("Title", "title", "PM", "PM"),
        ("Position", "title", "PM", "PM"),
        ("School", "school", "State U", "State U"),
        ("Source", "source", "LinkedIn", Source.SOCIAL),
        ("Locale", "locale", "de-AT", "de_AT"),
        ("Language", "locale", "fr", "fr"),
        ("Time zone", "timezone", "Europe/Berlin", "Europe/Berlin"),
        (
            "LinkedIn URL",
            "linkedin",
            "https://www.linkedin.com/in/a",
            "https://www.linkedin.com/in/a",
        ),
        ("Tags", "tags", "alumni; product, health", ("alumni", "product", "health")),
        ("Referred by", "introduced_by", "Jo Rivera", Contact(name="Jo Rivera")),
    ],
)
def test_header_aliases(header: str, field: str, value: str, expected: object) -> None:
    """Common spellings of a header fill the contact field they mean."""
    result = read_csv(_csv(["Full name", header], ["Ana", value]))
    assert expected == getattr(result.contacts[0], field)


def test_first_and_last_name_make_the_name() -> None:
    """First Name + Last Name give the name, and the given and family name."""
    result = read_csv(_csv(["First Name", "Last Name"], ["Juan", "de la Cruz"], ["李", ""]))
    juan, li = result.contacts
    assert ("Juan de la Cruz", "Juan", "de la Cruz") == (
        juan.name,
        juan.given_name,
        juan.family_name,
    )
    assert "李" == li.name


def test_no_name_column_fails_at_once_listing_expected_and_found() -> None:
    """A file without a name column is refused, naming what would do and what is there."""
    with pytest.raises(ImportFileError) as info:
        read_csv(_csv(["Email", "Company"], ["a@example.com", "Acme"]))
    error = info.value
    assert ("Email", "Company") == error.found
    assert "Name" in error.expected
    assert "found: 'Email', 'Company'" in str(error)
    assert "mapping=" in str(error)


def test_explicit_mapping() -> None:
    """mapping= names columns the aliases do not know, and None skips a column."""
    source = _csv(["Nom", "Courriel", "Secret", "Pourquoi"], ["Zoé", "z@example.fr", "x", "y"])
    result = read_csv(source, mapping={"Nom": "name", "Courriel": "email", "Secret": None})
    record = result.records[0]
    assert ("Zoé", "z@example.fr") == (record.contact.name, record.contact.email)
    assert {"pourquoi": "y"} == dict(record.custom)
    assert "(skipped)" == result.columns["Secret"]


def test_mapping_errors_name_the_problem() -> None:
    """A mapping to an unknown field, or from a missing column, is refused."""
    with pytest.raises(ImportFileError, match="'emial', which is not a contact field"):
        read_csv(_csv(["Name", "Mail"]), mapping={"Mail": "emial"})
    with pytest.raises(ImportFileError, match="header does not have: Courriel"):
        read_csv(_csv(["Name", "Mail"]), mapping={"Courriel": "email"})


def test_custom_column_names_are_identifiers_and_collisions_are_reported() -> None:
    """Extra headers become template-friendly names; clashes get a suffix and a warning."""
    source = _csv(
        ["Name", "Why them?", "why-them", "2nd degree", "Interview", "E-mail", "Email", ""],
        ["Ana", "a", "b", "c", "d", "ana@example.com", "other@example.com", "e"],
    )
    result = read_csv(source)
    assert {
        "why_them": "a",
        "why_them_2": "b",
        "column_2nd_degree": "c",
        "interview_column": "d",
        "email_2": "other@example.com",
        "column_8": "e",
    } == dict(result.records[0].custom)
    assert ["why_them_2", "email_2", "column_8"] == [w.field for w in result.warnings]
    assert all(w.line == 1 and not w.rejected for w in result.warnings)
    assert 1 == result.taken


def test_a_column_named_like_a_contact_field_says_how_to_fill_it() -> None:
    """A Country column stays a custom field (names are not codes) and says how to map it."""
    result = read_csv(_csv(["Name", "Email", "Country"], ["Ana", "ana@example.com", "Mexico"]))
    assert {"country_2": "Mexico"} == dict(result.records[0].custom)
    (warning,) = result.warnings
    assert "to fill the contact field country from it, map it (--map Country=country)" in str(
        warning.message
    )
    mapped = read_csv(
        _csv(["Name", "Email", "Country"], ["Ana", "ana@example.com", "mx"]),
        mapping={"Country": "country"},
    )
    assert ("MX", ()) == (mapped.records[0].contact.country, mapped.warnings)


def test_custom_fields_feed_the_outreach_templates(sender: Contact) -> None:
    """A "reason" column fills outreach/cold and a "mutual" column outreach/warm."""
    result = read_csv(
        _csv(
            ["Name", "Email", "Reason", "Mutual"],
            ["Ana García", "ana@example.com", "you moved from nursing into product", "Jo Rivera"],
        )
    )
    record = result.records[0]
    interview = Interview(contact=record.contact, sender=sender)
    cold = infoview.render("outreach/cold", interview=interview, reason=record.custom["reason"])
    warm = infoview.render("outreach/warm", interview=interview, mutual=record.custom["mutual"])
    assert "in particular: you moved from nursing into product." in cold.text
    assert "Jo Rivera suggested I reach out" == warm.subject


# -- sources -------------------------------------------------------------------------------


def test_source_synonyms_default_and_unknown() -> None:
    """Source cells map by value or synonym; blanks take source=; unknown ones are reported."""
    source = _csv(
        ["Name", "Source"],
        ["A", "FRIEND"],
        ["B", "Meetup"],
        ["C", ""],
        ["D", "Friends & Family"],
        ["E", "carrier pigeon"],
    )
    result = read_csv(source, source="event")
    assert [Source.FRIENDS_FAMILY, Source.EVENT, Source.EVENT, Source.FRIENDS_FAMILY] == [
        c.source for c in result.contacts
    ]
    (problem,) = [p for p in result.problems if p.line > 1]  # line 1: no email column
    assert (6, "source", "carrier pigeon") == (problem.line, problem.field, problem.value)
    assert "use one of: alumni, event, conference" in problem.message


def test_unknown_default_source_is_refused() -> None:
    """source= must name a Source."""
    with pytest.raises(ImportFileError, match="source='linkedin' is not a Source"):
        read_csv(_csv(["Name"]), source="linkedin")


# -- problems ------------------------------------------------------------------------------


def test_hostile_cells_are_problems_with_lines_or_harmless_text() -> None:
    """Header-forging cells are rejected with the model's message; odd but safe text is kept."""
    result = read_csv(DATA / "hostile.csv")
    assert {
        2: ["name"],
        4: ["name"],
        5: ["name"],
        8: ["organization"],
        9: ["email", "locale"],
        10: [None],
        11: ["mutual"],
    } == _rejected(result)
    assert (10, 3) == (result.rows, result.taken)
    long, formula, fine = result.records
    assert 10_000 == len(long.contact.organization or "")
    assert '=HYPERLINK("http://evil.example","click")' == formula.contact.name
    assert {"mutual": "Jo Rivera"} == dict(fine.custom)
    messages = {p.line: p.message for p in result.problems}
    assert "contains a line break" in messages[2]
    assert "RFC 2047 encoded word" in messages[4]
    assert "U+0000" in messages[5]
    assert "U+202E" in messages[8]
    assert "the row has 6 cells but the header has 5" in messages[10]
    assert messages[2].startswith("column 'Name': ")
    assert "10 rows: 3 contacts taken, 7 rejected (lines 2, 4, 5, 8, 9, 10, 11)" == (
        result.summary()
    )


def test_duplicates_are_reported_not_merged() -> None:
    """A later row with an earlier row's email or profile URL is reported, naming that line."""
    result = read_csv(DATA / "duplicates.csv")
    assert ["Ana Garcia", "Bo Chen"] == [c.name for c in result.contacts]
    assert [(3, "email", 2), (4, "linkedin", 2)] == [
        (p.line, p.field, p.duplicate_of) for p in result.duplicates
    ]
    assert "same email address as line 2" in result.duplicates[0].message


def test_a_cell_beyond_the_csv_default_limit_is_taken() -> None:
    """A cell longer than the csv module's default field limit is read whole."""
    default = csv.field_size_limit()
    result = read_csv(io.StringIO(f"Name,Notes\nA,{'x' * (default + 1)}\nB,ok\n"))
    assert (["A", "B"], default + 1) == (
        [c.name for c in result.contacts],
        len(result.contacts[0].notes or ""),
    )
    assert default == csv.field_size_limit()


def test_a_row_beyond_the_row_limit_is_a_problem_and_reading_goes_on() -> None:
    """An unquoted cell beyond ROW_LIMIT rejects its row only, naming its line."""
    result = read_csv(io.StringIO(f"Name,Notes\nA,{'x' * (ROW_LIMIT + 1)}\nB,ok\n"))
    assert (["B"], (2,)) == ([c.name for c in result.contacts], result.rejected)
    assert "the row is longer than 16,777,216 characters" in result.problems[-1].message


def test_file_errors() -> None:
    """A missing or empty file raises ImportFileError saying what to do."""
    with pytest.raises(ImportFileError, match=r"cannot be read .*check the path"):
        read_csv(DATA / "no-such-file.csv")
    with pytest.raises(ImportFileError, match="is empty"):
        read_csv(io.StringIO("\n\n"))
    with pytest.raises(ImportFileError, match="cannot be a delimiter"):
        read_csv(io.StringIO("Name\n"), delimiter=",,")


def test_header_only_file_has_no_rows() -> None:
    """A header and nothing else is zero rows, not an error."""
    result = read_csv(io.StringIO("Name,Email\n"))
    assert (0, 0, ()) == (result.rows, result.taken, result.records)
    assert "0 rows: 0 contacts taken" == result.summary()


def test_result_refuses_counts_that_do_not_add_up() -> None:
    """An ImportResult whose rows are not all taken or rejected cannot be made."""
    with pytest.raises(ValidationError, match="every row must be taken or rejected"):
        ImportResult(records=(), problems=(Problem(2, None, "x", row=1),), rows=2, format="csv")


# -- never raises, never loses a row -------------------------------------------------------

_HOSTILE = st.sampled_from(
    [
        "\r\n",
        "\n",
        "\r",
        "\x00",
        "\u2028",
        "=?utf-8?q?x?=",
        '=HYPERLINK("http://x")',
        '"',
        ",",
        ";",
        "\t",
        "\u202e",
        "\ufeff",
        "ana@example.com",
        "https://www.linkedin.com/in/a",
        " ",
        "",
        "alumni",
    ]
)
_CELL = st.lists(st.one_of(st.text(max_size=12), _HOSTILE), max_size=4).map("".join)
_HEADER = ["Name", "Email", "LinkedIn", "Source", "Locale", "Notes", "mutual"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, min_size=0, max_size=9), max_size=12))
def test_any_rows_are_each_taken_or_rejected(rows: list[list[str]]) -> None:
    """For any cells written by csv.writer, nothing raises and taken + rejected == rows."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(_HEADER)
    writer.writerows(rows)
    data_rows = sum(1 for row in rows if any(cell.strip() for cell in row))
    result = read_csv(io.BytesIO(out.getvalue().encode("utf-8")))
    assert data_rows == result.rows
    assert result.rows == result.taken + result.rejected_rows
    assert all(p.line >= 2 for p in result.problems)
    for record in result.records:
        assert all(text_problem(v) is None for v in (record.contact.name, *record.custom.values()))
