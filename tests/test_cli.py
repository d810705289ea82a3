"""The command line, through click's CliRunner and as the installed ``infoview`` script."""

from __future__ import annotations

import email
import json
import mailbox
import subprocess
import sys
from datetime import datetime
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner, Result

from infoview import Contact, Interview, converter
from infoview.cli import main
from infoview.importers import read_json
from infoview.model import samples

DATA = Path(__file__).parent / "data" / "import"
CHICAGO = ZoneInfo("America/Chicago")


def run(*args: str | Path) -> Result:
    """Run ``infoview ARGS`` in-process; stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")


def _json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(converter.unstructure(value)), encoding="utf-8")
    return path


@pytest.fixture
def me(tmp_path: Path) -> Path:
    """The sender as a JSON file."""
    return _json(tmp_path / "me.json", samples.sender())


@pytest.fixture
def interview_file(tmp_path: Path) -> Path:
    """The sample interview (scheduled, with an agenda) as a JSON file."""
    return _json(tmp_path / "interview.json", samples.interview())


# -- every command answers --help; the group answers --version -----------------------


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    """--help works on every command and shows its usage line."""
    result = run(command, "--help")
    assert 0 == result.exit_code
    assert result.stdout.startswith(f"Usage: infoview {command} ")


def test_version() -> None:
    """--version prints the package version."""
    import infoview

    result = run("--version")
    assert (0, f"infoview {infoview.__version__}\n") == (result.exit_code, result.stdout)


def test_usage_errors_exit_2() -> None:
    """An unknown command or option is a usage error: exit 2, said on stderr."""
    result = run("drafts", "--nope")
    assert 2 == result.exit_code
    assert "No such option" in result.stderr
    assert "--nope" in result.stderr
    assert "" == result.stdout


# -- import ---------------------------------------------------------------------------


def test_import_linkedin_keeps_every_row(tmp_path: Path) -> None:
    """Every row of a real-shaped export is taken or reported; the count without email is said."""
    out = tmp_path / "contacts.json"
    result = run("import", "linkedin", DATA / "linkedin_connections.csv", "-o", out)
    assert 1 == result.exit_code  # two rows were rejected
    assert "6 rows: 4 contacts taken (3 without email), 2 rejected (lines 7, 10)" in result.stdout
    assert "line 7, name:" in result.stdout
    assert "line 10, linkedin:" in result.stdout
    back = read_json(out)
    assert (4, 3) == (back.taken, back.without_email)


def test_import_to_stdout_keeps_the_report_apart(tmp_path: Path) -> None:
    """Without -o the JSON goes to stdout and the report to stderr."""
    result = run("import", "csv", DATA / "contacts_comma.csv")
    assert 0 == result.exit_code
    names = [c["name"] for c in json.loads(result.stdout)]
    assert 5 == len(names)
    assert "5 rows: 5 contacts taken (1 without email)" in result.stderr
    assert "custom columns (why_them)" in result.stderr


def test_byte_order_mark_tabs_and_semicolons_import_the_same(tmp_path: Path) -> None:
    """A CSV with a BOM, one with tabs and one with semicolons give the same contacts."""
    outputs = set()
    for name in (
        "contacts_comma.csv",
        "contacts_bom.csv",
        "contacts_tab.tsv",
        "contacts_semicolon.csv",
    ):
        result = run("import", "csv", DATA / name)
        assert 0 == result.exit_code, result.stderr
        outputs.add(result.stdout)
    assert 1 == len(outputs)


def test_import_map_and_its_limits(tmp_path: Path) -> None:
    """--map names a column's field (or skips it) for CSV; for LinkedIn it is a usage error."""
    table = tmp_path / "fr.csv"
    table.write_text("Nom;Courriel;Interne\nZoé Martin;zoe@example.fr;x\n", encoding="utf-8")
    result = run(
        "import", "csv", table, "--map", "Nom=name", "--map", "Courriel=email", "--map", "Interne=-"
    )
    assert 0 == result.exit_code, result.stderr
    assert [{"name": "Zoé Martin", "email": "zoe@example.fr"}] == [
        {k: c[k] for k in ("name", "email")} for c in json.loads(result.stdout)
    ]
    assert "custom columns" not in result.stderr
    result = run("import", "linkedin", DATA / "linkedin_connections.csv", "--map", "URL=linkedin")
    assert 2 == result.exit_code
    assert "--map and --source work with CSV files only" in result.stderr
    wrong = run("import", "csv", table, "--map", "oops")
    assert 2 == wrong.exit_code
    assert "'oops' is not KEY=VALUE" in wrong.stderr


def test_import_a_file_without_a_name_column_fails_in_one_line(tmp_path: Path) -> None:
    """A file the importer cannot use at all is exit 2 with one line on stderr."""
    table = tmp_path / "t.csv"
    table.write_text("Email,Company\nana@example.com,Acme\n", encoding="utf-8")
    result = run("import", "csv", table)
    assert 2 == result.exit_code
    assert 1 == len(result.stderr.splitlines())
    assert result.stderr.startswith("Error: ")
    assert "has no name column" in result.stderr


# -- drafts ---------------------------------------------------------------------------


def test_drafts_to_a_folder(tmp_path: Path, me: Path) -> None:
    """One parseable .eml per good row, each bad row by its line, exit 1."""
    outbox = tmp_path / "outbox"
    result = run(
        "drafts", "--csv", DATA / "contacts_comma.csv", "--template", "outreach/alumni",
        "--sender", me, "--out", outbox,
    )  # fmt: skip
    assert 1 == result.exit_code, result.stderr
    files = sorted(outbox.glob("*.eml"))
    assert ["0001-outreach-alumni-Ana-Garcia.eml"] == [f.name for f in files]
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert "Ana García <ana@example.com>" == message["To"]
    assert "Sam Rivera <sam@example.org>" == message["From"]
    for line in (5, 6, 7):
        assert f"line {line}, school: outreach/alumni needs the contact's school" in result.stdout
    assert "line 8, email: Zoë 🌻 Okafor has no email address" in result.stdout
    assert "1 drafted, 1 without email, 4 rows with problems (lines 5, 6, 7, 8)" in result.stdout
    assert f"Wrote 1 .eml file to {outbox}" in result.stdout


def test_drafts_to_an_mbox(tmp_path: Path, me: Path) -> None:
    """The same with --out FILE.mbox writes an mbox the standard library reads."""
    out = tmp_path / "outbox.mbox"
    result = run(
        "drafts", "--csv", DATA / "contacts_comma.csv", "--sender", me, "--out", out,
    )  # fmt: skip
    assert 1 == result.exit_code
    box = mailbox.mbox(out, create=False)
    try:
        subjects = [m["Subject"] for m in box]
    finally:
        box.close()
    assert 2 == len(subjects)  # the alumna and the LinkedIn contact (outreach/social)
    assert "Wrote 2 messages to" in result.stdout
    again = run("drafts", "--csv", DATA / "contacts_comma.csv", "--sender", me, "--out", out)
    assert 2 == again.exit_code
    assert "exists already" in again.stderr


def test_drafts_unsent_dry_run_and_limit(tmp_path: Path, me: Path) -> None:
    """--unsent marks the files; --dry-run writes nothing; --limit stops early."""
    outbox = tmp_path / "outbox"
    base = ("drafts", "--csv", DATA / "contacts_comma.csv", "--sender", me)
    result = run(*base, "--template", "outreach/cold", "--out", outbox, "--unsent", "--limit", "2")
    assert 0 == result.exit_code, result.stdout  # stopped before the row without email
    files = sorted(outbox.glob("*.eml"))
    assert 2 == len(files)
    assert all(b"\r\nX-Unsent: 1\r\n" in f.read_bytes() for f in files)
    assert "stopped at the limit" in result.stdout
    dry = run(*base, "--template", "outreach/cold", "--dry-run")
    assert "Dry run: 4 drafts rendered, nothing written." in dry.stdout
    assert 1 == dry.exit_code


def test_drafts_fail_at_once_naming_the_missing_column(tmp_path: Path, me: Path) -> None:
    """A template variable that no column or --set gives stops the run before any draft."""
    folder = tmp_path / "mine"
    (folder / "mine").mkdir(parents=True)
    (folder / "mine" / "why.txt").write_text(
        '{% extends "outreach/cold" %}{% block body %}Because {{ why }}.{% endblock %}',
        encoding="utf-8",
    )
    outbox = tmp_path / "outbox"
    base = ("drafts", "--csv", DATA / "contacts_comma.csv", "--sender", me, "--templates", folder)
    result = run(*base, "--template", "mine/why", "--out", outbox)
    assert 2 == result.exit_code
    assert 1 == len(result.stderr.splitlines())
    assert "mine/why needs 'why'" in result.stderr
    assert "--set why=..." in result.stderr
    assert not outbox.exists()
    result = run(*base, "--template", "mine/why", "--out", outbox, "--set", "why=you build things")
    assert 1 == result.exit_code  # only the row without email
    assert 4 == len(list(outbox.glob("*.eml")))


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ((), "give the contacts with one of"),
        (("--linkedin", DATA / "linkedin_connections.csv"), "give the contacts with one of"),
        (("--template", "outreach/alumnus"), "did you mean 'outreach/alumni'"),
        (("--set", "reasn=x"), "'reasn' is read by no template"),
        (("--set", "1x=x"), "is not a template variable name"),
        (("--locale", "xx-%%"), "'xx-%%' is not a locale"),
    ],
)
def test_drafts_usage_errors(
    tmp_path: Path, me: Path, extra: tuple[str | Path, ...], words: str
) -> None:
    """Wrong or missing options are exit 2, said on stderr; nothing is written."""
    csv = () if extra == () else ("--csv", DATA / "contacts_comma.csv")
    result = run("drafts", *csv, *extra, "--sender", me, "--out", tmp_path / "outbox")
    assert 2 == result.exit_code
    assert words in result.stderr
    assert not (tmp_path / "outbox").exists()


def test_drafts_with_a_bad_sender_file(tmp_path: Path) -> None:
    """A sender file the converter refuses is one line naming the file and the field."""
    bad = tmp_path / "me.json"
    bad.write_text('{"name": "Sam", "emial": "sam@example.org"}', encoding="utf-8")
    result = run("drafts", "--csv", DATA / "contacts_comma.csv", "--sender", bad, "--dry-run")
    assert 2 == result.exit_code
    assert 1 == len(result.stderr.splitlines())
    assert f"{bad} (the sender):" in result.stderr
    assert "did you mean 'email'?" in result.stderr


# -- render, questions, templates, demo ----------------------------------------------


def test_render_text_eml_and_html(interview_file: Path) -> None:
    """render prints the subject and text, the message as sent, or a part."""
    text = run(
        "render",
        "outreach/cold",
        "--interview",
        interview_file,
        "--set",
        "reason=you moved into product",
    )
    assert 0 == text.exit_code, text.stderr
    assert text.stdout.startswith("Subject: 20 minutes to learn about your work at Acme Health?")
    assert "in particular: you moved into product." in text.stdout
    eml = CliRunner().invoke(
        main, ["render", "thank_you", "--interview", str(interview_file), "--format", "eml"]
    )
    message = email.message_from_bytes(eml.stdout_bytes, policy=policy.default)
    assert "Ana García <ana@example.com>" == message["To"]
    html = run("render", "questions/list", "--interview", interview_file, "--format", "html")
    assert "<h2>Questions for Ana García (20 minutes)</h2>" in html.stdout
    none = run("render", "thank_you", "--interview", interview_file, "--format", "html")
    assert (2, "Error: thank_you has no html part; use --format text or eml\n") == (
        none.exit_code,
        none.stderr,
    )


def test_render_a_missing_value_is_exit_1(tmp_path: Path) -> None:
    """A value the template needs and the interview lacks is one line, exit 1."""
    bare = Interview(
        contact=Contact(name="Ana García", email="ana@example.com"), sender=samples.sender()
    )
    result = run("render", "outreach/alumni", "--interview", _json(tmp_path / "i.json", bare))
    assert 1 == result.exit_code
    assert 1 == len(result.stderr.splitlines())
    assert "'school'" in result.stderr
    assert "Traceback" not in result.output


def test_questions_formats() -> None:
    """questions plans an agenda that fits and ends with the referral questions."""
    text = run("questions", "--minutes", "15", "--category", "advice")
    assert 0 == text.exit_code
    assert text.stdout.startswith("5 questions, 15 of 15 minutes")
    assert "Who else do you think I should talk to?" in text.stdout.splitlines()[-2]
    md = run("questions", "--format", "md")
    assert "_(3 min)_" in md.stdout
    html = run("questions", "--format", "html")
    assert html.stdout.startswith("<p>")
    assert "<ol>" in html.stdout
    wrong = run("questions", "--category", "hobbies")
    assert 2 == wrong.exit_code
    assert "'hobbies' is no category" in wrong.stderr


def test_templates_list_and_describe() -> None:
    """templates lists every name with its purpose, or describes one."""
    listing = run("templates")
    assert "outreach/alumni" in listing.stdout
    assert "shared school first" in listing.stdout
    one = run("templates", "outreach/event")
    assert one.stdout.startswith("outreach/event: where you met and what you talked about")
    assert "blocks: subject" in one.stdout
    unknown = run("templates", "outreach/alumnus")
    assert 2 == unknown.exit_code
    assert "did you mean 'outreach/alumni'" in unknown.stderr


def test_demo() -> None:
    """demo renders the outreach, the questions and the thank-you from sample data."""
    result = run("demo")
    assert 0 == result.exit_code
    for heading in ("Outreach (outreach/alumni", "Questions for the call", "Thank-you note"):
        assert heading in result.stdout


# -- followups, invite -----------------------------------------------------------------


def test_followups_overdue_first(tmp_path: Path) -> None:
    """followups lists what is due, overdue first."""
    late = samples.interview(name="Ana García")
    late.request(at=datetime(2026, 11, 2, 10, 0, tzinfo=CHICAGO))
    soon = Interview(contact=samples.referral(), sender=samples.sender())
    soon.request(at=datetime(2026, 11, 16, 10, 0, tzinfo=CHICAGO))
    path = _json(tmp_path / "interviews.json", [soon, late])
    result = run(
        "followups", "--interviews", path, "--now", "2026-11-20T09:00-06:00", "--within", "14d"
    )
    assert 0 == result.exit_code, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OVERDUE")
    assert "Ana García" in lines[0]
    assert lines[1].startswith("due")
    assert "Priya Nair" in lines[1]
    quiet = run(
        "followups", "--interviews", path, "--now", "2026-11-03T09:00-06:00", "--within", "0"
    )
    assert "Nothing is due within 0 days." == quiet.stdout.strip()
    assert 2 == run("followups", "--interviews", path, "--within", "soon").exit_code


def test_invite_writes_an_ics(tmp_path: Path, interview_file: Path) -> None:
    """invite writes the .ics for a scheduled interview; icalendar reads it back."""
    out = tmp_path / "invite.ics"
    result = run("invite", "--interview", interview_file, "-o", out)
    assert 0 == result.exit_code, result.stderr
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert "REQUEST" == calendar["METHOD"]


# -- the installed script ----------------------------------------------------------------


def _script() -> Path:
    return Path(sys.executable).parent / ("infoview.exe" if sys.platform == "win32" else "infoview")


def test_installed_script_and_module(tmp_path: Path, me: Path) -> None:
    """The console script and ``python -m infoview`` run the same command line."""
    table = tmp_path / "contacts.csv"
    table.write_text(
        "Name,Email,School\nAna García,ana@example.com,State University\n", encoding="utf-8"
    )
    done = subprocess.run(
        [_script(), "drafts", "--csv", table, "--template", "outreach/alumni", "--sender", me,
         "--out", tmp_path / "outbox"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    assert 1 == len(list((tmp_path / "outbox").glob("*.eml")))
    module = subprocess.run(
        [sys.executable, "-m", "infoview", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert 0 == module.returncode
    assert module.stdout.startswith("Usage: infoview [OPTIONS] COMMAND")


def test_help_imports_no_command_parts() -> None:
    """``infoview --help`` loads no importers, vobject or charset detection."""
    code = (
        "import sys; from infoview.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "parts = ('infoview.importers', 'infoview.bulk', 'vobject', 'charset_normalizer')\n"
        "print(sorted(m for m in sys.modules if m.startswith(parts)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "[]" == done.stdout.splitlines()[-1]


def test_reference_in_the_docs_is_current() -> None:
    """docs/cli.md shows every command's --help exactly as click prints it."""
    from tests import _cli_reference

    expected = _cli_reference.reference()
    assert expected == _cli_reference.current(), (
        "docs/cli.md is out of date: run `python tests/_cli_reference.py`"
    )
    for command in main.commands:
        assert f"$ infoview {command} --help\nUsage: infoview {command} " in expected


def test_a_progress_count_on_a_terminal(
    tmp_path: Path, me: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal a streamed file shows a count of contacts on stderr; the report is the same."""
    from infoview.cli import _contacts

    monkeypatch.setattr(_contacts, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(_contacts, "_COUNT_AFTER", 0)
    result = run("drafts", "--csv", DATA / "contacts_comma.csv", "--sender", me, "--dry-run")
    assert "\rDrafting: 5 contacts\n" == result.stderr[-len("\rDrafting: 5 contacts\n") :]
    assert "2 drafted, 1 without email, 3 rows with problems (lines 6, 7, 8)" in result.stdout
