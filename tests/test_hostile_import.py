"""Hostile CSV files: cells that smuggle rows, quotes never closed, rows beyond the limit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from infoview import converter
from infoview.cli import main
from infoview.importers import read_csv, read_linkedin, stream_csv
from infoview.importers._rows import ROW_LIMIT
from infoview.model import samples

DATA = Path(__file__).parent / "data" / "import"
SMUGGLED = "Mallory,mallory@evil.example"
# A LinkedIn export's first lines, before its header.
LINKEDIN_NOTES = 'Notes:\n"When exporting your connection data, some emails are missing."\n\n'
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def run(*args: str | Path) -> Result:
    """Run ``infoview ARGS`` in-process; stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")


def _note(size: int, newline: str = "\n") -> str:
    """A quoted cell of about ``size`` characters with a smuggled row on a line of its own."""
    filler = ("lorem ipsum, dolor " * (size // 19 + 1))[:size]
    return f'"{filler}{newline}{SMUGGLED}{newline}""quoted"" a,b{newline}{filler}"'


def _table(note: str, newline: str = "\n") -> str:
    """Ana with ``note``, then Bo: the note spans lines 2 to 5."""
    return newline.join(
        ["Name,Email,Notes", f"Ana,ana@example.com,{note}", "Bo,bo@example.com,fine", ""]
    )


def test_a_cell_of_a_megabyte_is_taken_whole() -> None:
    """A 1 MB quoted cell with a row-like line inside is one cell: no contact from inside it."""
    note = _note(1_000_000)
    result = read_csv(io.StringIO(_table(note)))
    assert (["Ana", "Bo"], [2, 6]) == (
        [c.name for c in result.contacts],
        [r.line for r in result.records],
    )
    assert note[1:-1].replace('""', '"') == result.contacts[0].notes
    assert result.ok


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_cell_beyond_the_limit_rejects_its_row_and_smuggles_nothing(newline: str) -> None:
    """A cell beyond ROW_LIMIT rejects its row, named by line; reading goes on after its quote."""
    result = read_csv(io.StringIO(_table(_note(ROW_LIMIT, newline), newline), newline=""))
    assert ["Bo"] == [c.name for c in result.contacts]
    assert [6] == [r.line for r in result.records]
    assert ((2,), 2) == (result.rejected, result.rows)
    (problem,) = result.problems
    assert problem.message.startswith("the row is longer than 16,777,216 characters")
    assert "it runs to line 5" in problem.message
    assert "2 rows: 1 contact taken, 1 rejected (line 2)" == result.summary()


def test_line_numbers_after_a_skipped_row_are_the_file_lines() -> None:
    """A row after a skipped multi-line row is reported by its own line."""
    text = _table(_note(ROW_LIMIT)) + "Cy,not an address,x\n"
    result = read_csv(io.StringIO(text))
    assert [(2, None), (7, "email")] == [(p.line, p.field) for p in result.problems]


def test_text_after_the_closing_quote_and_quotes_inside_plain_cells_are_followed() -> None:
    """After the big cell: more cells, a plain cell with a quote, and a quoted line break."""
    big = _note(ROW_LIMIT)
    text = (
        "Name,Email,Notes,Extra\n"
        f'Ana,ana@example.com,{big}tail,"x\n{SMUGGLED}\n"\n'
        'Bo,bo@example.com,say "hi",y\n'
        'Cy,cy@example.com,"two\nlines",z\n'
    )
    result = read_csv(io.StringIO(text))
    assert [("Bo", 8), ("Cy", 9)] == [(r.contact.name, r.line) for r in result.records]
    assert ((2,), 'say "hi"') == (result.rejected, result.contacts[0].notes)


def test_a_quote_never_closed_rejects_its_row_to_the_end_of_the_file() -> None:
    """An open quote swallows the rest of the file: its row is rejected, nothing after is taken."""
    text = f'Name,Email,Notes\nAna,ana@example.com,ok\nBo,bo@example.com,"open\n{SMUGGLED}\nCy,c\n'
    result = read_csv(io.StringIO(text))
    assert (["Ana"], (3,)) == ([c.name for c in result.contacts], result.rejected)
    (problem,) = result.problems
    assert "a quote opened in this row is never closed" in problem.message
    assert "the end of the file, line 5" in problem.message


def test_a_quote_never_closed_beyond_the_limit_says_both() -> None:
    """An open quote with more than ROW_LIMIT after it is a row too long that never closes."""
    text = f'Name,Notes\nAna,"{"x" * ROW_LIMIT}\n{SMUGGLED}\n'
    result = read_csv(io.StringIO(text))
    assert ((), (2,)) == (result.contacts, result.rejected)
    message = result.problems[-1].message  # the first says no column is an email address
    assert "the end of the file, line 3" in message
    assert message.endswith("a quote in it is never closed")


def test_a_quote_never_closed_before_the_header_refuses_the_file() -> None:
    """A LinkedIn note whose quote never closes would hide the header: the file is refused."""
    from infoview.importers import ImportFileError

    text = f'Notes:\n"never closed\n{LINKEDIN_HEADER}Ana,Garcia,,ana@example.com,,,\n'
    with pytest.raises(ImportFileError, match="line 2, before the header row: a quote opened"):
        read_linkedin(io.StringIO(text))


def test_linkedin_smuggling_is_refused_the_same_way() -> None:
    """In LinkedIn's export a huge cell rejects its row; the smuggled line is no connection."""
    rows = [
        f"Ana,Garcia,https://www.linkedin.com/in/ana,,Acme,{_note(ROW_LIMIT)},15 Jun 2026",
        "Bo,Chen,https://www.linkedin.com/in/bo,,Acme,PM,15 Jun 2026",
        f"Cy,Diaz,https://www.linkedin.com/in/cy,,Acme,{_note(1_000_000)},15 Jun 2026",
        "",
    ]
    result = read_linkedin(io.StringIO(LINKEDIN_NOTES + LINKEDIN_HEADER + "\n".join(rows)))
    assert (["Bo Chen"], [9]) == (
        [c.name for c in result.contacts],
        [r.line for r in result.records],
    )
    # Cy's position of a megabyte is one cell: refused as a title, not read as rows.
    assert [(5, None), (10, "title")] == [(p.line, p.field) for p in result.problems]
    assert "3 rows: 1 contact taken (1 without email), 2 rejected (lines 5, 10)" == result.summary()


def test_the_process_wide_field_limit_is_left_as_it_was() -> None:
    """Reading raises the csv module's limit only while a row is read."""
    before = csv.field_size_limit()
    read_csv(io.StringIO(_table(_note(200_000))))
    assert before == csv.field_size_limit()


def test_a_stream_reads_as_it_is_iterated_and_closes_its_file(tmp_path: Path) -> None:
    """stream_csv counts rows as they are read, and closes the file at the end."""
    table = tmp_path / "t.csv"
    table.write_text(_table(_note(300_000)), encoding="utf-8")
    with stream_csv(table) as stream:
        records = iter(stream)
        first = next(records)
        assert (1, 1, "Ana") == (stream.rows, stream.taken, first.contact.name)
        assert ["Bo"] == [r.contact.name for r in records]
        assert "2 rows: 2 contacts taken" == stream.summary()
    assert (2, 2) == (stream.rows, stream.taken)  # the counts stay after the end


# -- the command line ------------------------------------------------------------------


def _smuggling_csv(tmp_path: Path) -> Path:
    table = tmp_path / "smuggle.csv"
    table.write_text(_table(_note(ROW_LIMIT)), encoding="utf-8")
    return table


def test_import_command_takes_nothing_from_inside_a_cell(tmp_path: Path) -> None:
    """`infoview import csv` rejects the huge row by line; Mallory is not in the JSON."""
    out = tmp_path / "out.json"
    result = run("import", "csv", _smuggling_csv(tmp_path), "-o", out)
    assert 1 == result.exit_code
    assert ["Bo"] == [c["name"] for c in json.loads(out.read_text(encoding="utf-8"))]
    assert "line 2: the row is longer than 16,777,216 characters" in result.stdout
    assert "mallory" not in out.read_text(encoding="utf-8")


def test_drafts_command_drafts_nothing_from_inside_a_cell(tmp_path: Path) -> None:
    """`infoview drafts --csv` drafts Bo only; no message goes to the smuggled address."""
    sender = tmp_path / "me.json"
    sender.write_text(json.dumps(converter.unstructure(samples.sender())), encoding="utf-8")
    out = tmp_path / "drafts"
    result = run(
        "drafts", "--csv", _smuggling_csv(tmp_path), "--sender", sender, "--out", out,
        "--source", "cold", "--set", "reason=your talk",
    )  # fmt: skip
    assert 1 == result.exit_code
    written = [p.read_text(encoding="utf-8") for p in sorted(out.glob("*.eml"))]
    assert (1, 0) == (len(written), sum("mallory" in text for text in written))
    assert "To: Bo <bo@example.com>" in written[0]
    assert "line 2: the row is longer than" in result.stdout


@pytest.mark.parametrize("name", ["contacts_comma.csv", "hostile.csv", "empty_rows.csv"])
def test_import_writes_what_json_dumps_writes(tmp_path: Path, name: str) -> None:
    """The JSON written as it goes is json.dumps of the whole list, byte for byte."""
    source = DATA / name
    if not source.exists():
        source = tmp_path / name
        source.write_text("Name,Email\n\n,nobody@example.com\n", encoding="utf-8")
    out = tmp_path / "out.json"
    run("import", "csv", source, "-o", out)
    contacts = converter.unstructure(list(read_csv(source).contacts))
    expected = json.dumps(contacts, ensure_ascii=False, indent=2) + "\n"
    assert expected.encode() == out.read_bytes()
    assert expected == run("import", "csv", source).stdout


def test_import_refuses_to_write_over_its_own_input(tmp_path: Path) -> None:
    """-o naming the input (or a link to it) is refused; the input is kept."""
    table = tmp_path / "t.csv"
    table.write_text("Name\nAna\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(table)
    for output in (table, link):
        result = run("import", "csv", table, "-o", output)
        assert 2 == result.exit_code
        assert "is the file being imported" in result.stderr
    assert "Name\nAna\n" == table.read_text(encoding="utf-8")


def test_a_failed_import_leaves_the_old_output_and_no_temporary_file(tmp_path: Path) -> None:
    """A file refused whole writes nothing: an earlier output stays, no temporary is left."""
    table = tmp_path / "t.csv"
    table.write_text(f'Notes\n"{"x" * 10}\nName\n', encoding="utf-8")  # no name column
    out = tmp_path / "out.json"
    out.write_text("earlier\n", encoding="utf-8")
    result = run("import", "csv", table, "-o", out)
    assert 2 == result.exit_code
    assert (["out.json", "t.csv"], "earlier\n") == (
        sorted(p.name for p in tmp_path.iterdir()),
        out.read_text(encoding="utf-8"),
    )
