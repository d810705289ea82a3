"""Hostile input on the command line: one ``Error:`` line and exit 2, never a traceback."""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from infoview import (
    Contact,
    Interview,
    StructureError,
    ValidationError,
    attach_invite,
    calendar_cancellation,
    calendar_invite,
    converter,
)
from infoview.cli import main
from infoview.model import samples

HUGE = "1" * 4301  # one digit past Python's limit on converting text to int


def run(*args: str | Path) -> Result:
    """Run ``infoview ARGS`` in-process; stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")


def script(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed ``infoview`` console script."""
    command = Path(sys.executable).parent / "infoview"
    return subprocess.run(
        [command, *map(str, args)], capture_output=True, text=True, check=False, timeout=timeout
    )


def assert_refused(code: int, stderr: str, *says: str) -> None:
    """Exit 2, one ``Error:`` line (last) that says each of ``says``, and no traceback.

    A usage error has click's usage lines before it.
    """
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert (2, [lines[-1]]) == (code, errors), stderr
    assert "Traceback" not in stderr
    for part in says:
        assert part in lines[-1]


def _write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


@pytest.fixture
def interview_data() -> dict[str, Any]:
    """The sample interview, as converter writes it."""
    data: dict[str, Any] = converter.unstructure(samples.interview())
    return data


@pytest.fixture
def me(tmp_path: Path) -> Path:
    """The sender as a JSON file."""
    return _write(tmp_path / "me.json", converter.unstructure(samples.sender()))


@pytest.fixture
def interview_file(tmp_path: Path, interview_data: dict[str, Any]) -> Path:
    """The sample interview as a JSON file."""
    return _write(tmp_path / "interview.json", interview_data)


@pytest.fixture
def contacts_file(tmp_path: Path) -> Path:
    """One contact as a JSON list (what import writes)."""
    return _write(tmp_path / "contacts.json", [converter.unstructure(samples.interview().contact)])


# -- a number past Python's int conversion limit --------------------------------------------


def _huge_name(document: str) -> str:
    """Put the huge number where the first contact's name is."""
    marker = '"name": '
    start = document.index(marker) + len(marker)
    end = document.index(",", start)
    return document[:start] + HUGE + document[end:]


def test_huge_number_in_an_interview_names_its_path(interview_data: dict[str, Any]) -> None:
    """converter.loads refuses it with a StructureError naming where it is, not a ValueError."""
    text = _huge_name(json.dumps(interview_data))
    with pytest.raises(StructureError) as info:
        converter.loads(text, Interview)
    assert "interview.contact.name" == info.value.path
    assert "a number with 4,301 digits is too long" in info.value.problems[0]


@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, HUGE + ".5", "1e" + HUGE, "1" * 31])
def test_long_numbers_anywhere_are_structure_errors(number: str) -> None:
    """Long or overflowing numbers in a list, an object or at the root name their path."""
    for text, path in (
        (f'{{"name": "Ana", "tags": ["a", {number}]}}', "contact.tags[1]"),
        (f'{{"name": {number}}}', "contact.name"),
        (number, "contact"),
    ):
        with pytest.raises(StructureError) as info:
            converter.loads(text.encode(), Contact)
        assert path == info.value.path


def test_huge_number_through_the_console_script(tmp_path: Path, interview_data: Any) -> None:
    """render, invite and followups read it into an Error line naming the file and path."""
    text = _huge_name(json.dumps(interview_data))
    one = tmp_path / "one.json"
    one.write_text(text, encoding="utf-8")
    listed = tmp_path / "list.json"
    listed.write_text(f"[{text}]", encoding="utf-8")
    for args, path in (
        (("render", "outreach/alumni", "--interview", one), "interview.contact.name"),
        (("invite", "--interview", one), "interview.contact.name"),
        (("followups", "--interviews", listed), "interviews[0].contact.name"),
    ):
        done = script(*args)
        assert_refused(done.returncode, done.stderr, str(args[-1]), path, "4,301 digits")


def test_huge_number_in_the_sender(tmp_path: Path, contacts_file: Path) -> None:
    """drafts --sender with a huge number: an Error line naming the sender file."""
    sender = tmp_path / "sender.json"
    sender.write_text(f'{{"name": "Sam", "email": {HUGE}}}', encoding="utf-8")
    done = script("drafts", "--contacts", contacts_file, "--sender", sender, "--dry-run")
    assert_refused(done.returncode, done.stderr, "the sender", "contact.email", "4,301 digits")


# -- render --set of a name render takes itself ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "instead"),
    [
        ("interview", "--interview FILE"),
        ("locale", "--locale"),
        ("contact", "--interview FILE"),
        ("sender", "--interview FILE"),
        ("recipient", "--interview FILE"),
        ("templates", "--templates DIR"),
        ("register", "register"),
        ("social_limit", "infoview sets it"),
        ("_translations", "infoview sets it"),
    ],
)
def test_set_refuses_what_render_takes_itself(
    interview_file: Path, name: str, instead: str
) -> None:
    """--set interview=x (and the like) says to use the option meant for it."""
    result = run("render", "outreach/alumni", "--interview", interview_file, "--set", f"{name}=x")
    assert_refused(result.exit_code, result.stderr, "'--set'", repr(name), instead)


def test_set_of_a_template_variable_still_works(interview_file: Path) -> None:
    """A variable the template reads is still set."""
    result = run(
        "render", "outreach/cold", "--interview", interview_file, "--set", "reason=your talk"
    )
    assert 0 == result.exit_code, result.stderr
    assert "your talk" in result.stdout


def test_set_value_not_utf8(interview_file: Path) -> None:
    """A --set value of bytes that are not UTF-8 (as the shell may pass) is refused by name."""
    done = script(
        "render", "outreach/cold", "--interview", interview_file, "--set", "reason=caf\udcff"
    )
    assert_refused(done.returncode, done.stderr, "'--set'", "not UTF-8")


# -- followups --within -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "says"),
    [
        ("99999999999w", "at most 3660d"),
        ("99999999999999999999d", "at most 3660d"),
        ("3661d", "at most 3660d"),
        ("87841h", "at most 3660d"),
        ("523w", "at most 3660d"),
        ("9" * 5000 + "d", "at most 3660d"),
        ("-3d", "is not a span"),
        ("1.5d", "is not a span"),
        ("abc", "is not a span"),
        ("\u0663d", "is not a span"),  # an Arabic-Indic three: digits are 0-9 here
        ("", "is not a span"),
    ],
)
def test_within_out_of_range(tmp_path: Path, interview_data: Any, within: str, says: str) -> None:
    """--within too far ahead or not a span: an Error line naming --within and the range."""
    listed = _write(tmp_path / "interviews.json", [interview_data])
    result = run("followups", "--interviews", listed, "--within", within)
    assert_refused(result.exit_code, result.stderr, "'--within'", says)


@pytest.mark.parametrize(("within", "shown"), [("0w", "0 days"), ("3660d", "3660 days")])
def test_within_at_the_ends_of_the_range(
    tmp_path: Path, interview_data: Any, within: str, shown: str
) -> None:
    """0 and 3660 days are both looked ahead to."""
    listed = _write(tmp_path / "interviews.json", [interview_data])
    result = run(
        "followups", "--interviews", listed, "--within", within, "--now", "2020-01-01T00:00+00:00"
    )
    assert (0, f"Nothing is due within {shown}.\n") == (result.exit_code, result.stdout)


def test_within_far_ahead_through_the_console_script(tmp_path: Path, interview_data: Any) -> None:
    """The OverflowError case of the issue, through the console script."""
    listed = _write(tmp_path / "interviews.json", [interview_data])
    done = script("followups", "--interviews", listed, "--within", "99999999999w")
    assert_refused(done.returncode, done.stderr, "'--within'", "3660d")


# -- a worker killed mid-run ---------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _many(tmp_path: Path, count: int) -> Path:
    base = converter.unstructure(samples.interview().contact)
    people = [dict(base, name=f"Ana García {n}", email=f"ana{n}@example.com") for n in range(count)]
    return _write(tmp_path / "many.json", people)


def _many_rows(tmp_path: Path, count: int) -> Path:
    rows = "".join(
        f"Ana García {n},ana{n}@example.com,State University,alumni\n" for n in range(count)
    )
    path = tmp_path / "many.csv"
    path.write_text("Name,Email,School,Source\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["--contacts", "--csv"])
def test_killed_worker_ends_in_an_error_line(tmp_path: Path, me: Path, form: str) -> None:
    """SIGKILL to a drafting worker (a list, or a streamed CSV): Error line, exit 2, files whole."""
    out = tmp_path / "out"
    command = Path(sys.executable).parent / "infoview"
    contacts = _many(tmp_path, 3000) if form == "--contacts" else _many_rows(tmp_path, 3000)
    process = subprocess.Popen(
        [command, "drafts", form, contacts, "--sender", me, "--workers", "2", "--out", out],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.eml"))) < 100:
        time.sleep(0.005)
    workers = _children(process.pid)
    assert workers, "the run ended before a worker could be killed"
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)
    assert_refused(
        process.returncode, stderr, f"worker process {victim}", "killed by signal 9 (SIGKILL)"
    )
    written = sorted(out.glob("*.eml"))
    assert f"; {len(written):,} drafts were written whole before it stopped" in stderr
    assert 100 <= len(written) < 3000
    for number, path in enumerate(written, 1):
        assert path.name.startswith(f"{number:04d}-")
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        assert body is not None
        assert "Sam Rivera" in body.get_content()
    assert set() == _children(process.pid)
    assert "" == stdout


# -- attach_invite with what is not a calendar ------------------------------------------------


def _message() -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Our call"
    message.set_content("See you then.")
    return message


@pytest.mark.parametrize(
    ("ics", "says"),
    [
        (b"not a calendar", "is not an iCalendar file"),
        ("not a calendar", "is not an iCalendar file"),
        (b"", "is not an iCalendar file"),
        (b"\xff\xfe\x00B", "is not UTF-8"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "without an event (VEVENT)"),
        (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "without an event (VEVENT)"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n", "not a VCALENDAR"),
        (b"BEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\n", "not a VCALENDAR"),
        (None, "is not an iCalendar file (bytes)"),
        (42, "is not an iCalendar file (bytes)"),
        ("caf\udcff", "is not UTF-8"),
    ],
)
def test_attach_invite_refuses_what_is_no_calendar(ics: Any, says: str) -> None:
    """A ValidationError naming the argument and what to pass, never icalendar's ValueError."""
    with pytest.raises(ValidationError) as info:
        attach_invite(_message(), ics)
    assert ("attach_invite", "ics") == (info.value.owner, info.value.field)
    assert says in str(info.value)
    assert "calendar_invite()" in str(info.value)


def test_attach_invite_two_calendars_and_a_bad_event() -> None:
    """Two calendars in one, or an event with a broken time, are refused the same way."""
    good = calendar_invite(samples.interview())
    broken = good.replace(b"DTSTART", b"DTSTART;VALUE=DATE-TIME:soon\r\nX-WAS", 1)
    for ics in (good + good, broken):
        with pytest.raises(ValidationError, match="is not an iCalendar file"):
            attach_invite(_message(), ics)


def test_attach_invite_takes_the_calendar_as_text() -> None:
    """The invite as text is attached as the same bytes."""
    good = calendar_invite(samples.interview())
    message = attach_invite(_message(), good.decode())
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert [good] == [p.get_payload(decode=True) for p in parts]


def test_attach_invite_refuses_a_wrong_method_and_a_non_message() -> None:
    """A method the calendar does not say, or no message at all: ValidationError."""
    cancel = calendar_cancellation(samples.interview())
    with pytest.raises(ValidationError, match="METHOD:CANCEL, not REQUEST"):
        attach_invite(_message(), cancel)
    with pytest.raises(ValidationError, match="is not an email message"):
        attach_invite(b"Subject: x\r\n\r\nhi", cancel, method="CANCEL")  # type: ignore[arg-type]


# -- --sandbox renders --templates folders in the sandbox ---------------------------------------

HOSTILE = {
    "attribute": "{{ ''.__class__.__mro__ }}",
    "loop": "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
    "x{% endfor %}{% endfor %}{% endfor %}",
    "power": "{{ 10 ** 100000000 }}",
    "repeat": "{{ 'x' * 10 ** 9 }}",
    "format": "{{ '{0.__class__}'.format(contact) }}",
}


def _templates(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "mine"
    (folder / "outreach").mkdir(parents=True)
    (folder / "outreach" / "alumni.txt").write_text(
        "{% block subject %}Hello{% endblock %}\n" + body + "\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_sandbox_refuses_a_hostile_template_in_render(
    tmp_path: Path, interview_file: Path, kind: str
) -> None:
    """render --templates DIR --sandbox: the sandbox's Error line, exit 2, in bounded time."""
    folder = _templates(tmp_path, HOSTILE[kind])
    started = time.monotonic()
    done = script(
        "render", "outreach/alumni", "--interview", interview_file, "--templates", folder,
        "--sandbox", timeout=60,
    )  # fmt: skip
    assert_refused(done.returncode, done.stderr, "outreach/alumni", "refused by the sandbox")
    assert time.monotonic() - started < 30


def test_without_sandbox_the_folder_is_trusted(tmp_path: Path, interview_file: Path) -> None:
    """The same template without --sandbox runs as trusted code: the flag is what guards."""
    folder = _templates(tmp_path, HOSTILE["attribute"])
    result = run("render", "outreach/alumni", "--interview", interview_file, "--templates", folder)
    assert 0 == result.exit_code, result.stderr
    assert "<class 'object'>" in result.stdout


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sandbox_refuses_a_hostile_template_in_drafts(
    tmp_path: Path, me: Path, workers: str
) -> None:
    """drafts --sandbox stops at the first refusal, in this process or in a worker."""
    late = "{% if contact.name.endswith(' 599') %}{{ ''.__class__ }}{% endif %}ok"
    folder = _templates(tmp_path, late)
    done = script(
        "drafts", "--contacts", _many(tmp_path, 600), "--sender", me, "--templates", folder,
        "--sandbox", "--workers", workers, "--out", tmp_path / "out",
    )  # fmt: skip
    assert_refused(done.returncode, done.stderr, "refused by the sandbox", "__class__")


def test_sandbox_renders_a_friendly_template(tmp_path: Path, interview_file: Path) -> None:
    """A template that only prints its values renders the same in the sandbox."""
    folder = _templates(tmp_path, "Hi {{ contact.name }}, {{ sender.name }}")
    result = run(
        "render", "outreach/alumni", "--interview", interview_file, "--templates", folder,
        "--sandbox",
    )  # fmt: skip
    assert 0 == result.exit_code, result.stderr
    assert result.stdout.startswith("Subject: Hello\n\n")
    assert "Hi Ana García, Sam Rivera" in result.stdout


# -- invite -o onto its own input ---------------------------------------------------------


def test_invite_refuses_to_overwrite_its_interview(tmp_path: Path, interview_file: Path) -> None:
    """invite -o naming the interview file (or a link to it) leaves the file as it was."""
    before = interview_file.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(interview_file)
    for output in (interview_file, link):
        result = run("invite", "--interview", interview_file, "-o", output)
        assert_refused(result.exit_code, result.stderr, "'-o'", "is the interview file itself")
    assert before == interview_file.read_bytes()


# -- a sweep of wrong-typed and unreadable input ---------------------------------------------

_DEEP = "[" * 200 + "]" * 200
_DEEP_OBJECT = '{"a":' * 200 + "1" + "}" * 200


def _documents(interview: dict[str, Any]) -> dict[str, bytes]:
    """Hostile interview documents by name."""
    contact = interview["contact"]
    found = {
        "a list for an object": b"[]",
        "text": b'"hello"',
        "a number": b"5",
        "null": b"null",
        "nested 200 lists": _DEEP.encode(),
        "nested 200 objects": _DEEP_OBJECT.encode(),
        "not UTF-8": b'{"contact": {"name": "\xff\xfe"}}',
        "empty": b"",
        "NUL": b"\x00",
        "huge number": HUGE.encode(),
    }
    for name, (key, value) in {
        "a list for the contact": ("contact", []),
        "text for the duration": ("duration", "long"),
        "a number for the start": ("scheduled_at", 5),
        "a number for the status": ("status", 3),
        "text for the sender": ("sender", "me"),
        "a number for the name": ("contact", dict(contact, name=5)),
        "a list for the email": ("contact", dict(contact, email=["a@b.c"])),
        "a path for the time zone": ("contact", dict(contact, timezone="../../etc/passwd")),
        "year 9999": ("scheduled_at", "9999-12-31T23:59:59+00:00"),
    }.items():
        found[name] = json.dumps(dict(interview, **{key: value})).encode()
    return found


def _commands(path: Path, me: Path, contacts: Path) -> dict[str, list[str | Path]]:
    return {
        "render": ["render", "outreach/alumni", "--interview", path],
        "invite": ["invite", "--interview", path],
        "followups": ["followups", "--interviews", path],
        "drafts --sender": ["drafts", "--contacts", contacts, "--sender", path, "--dry-run"],
        "send --interviews": ["send", "--dry-run", "--interviews", path, path.parent / "none"],
    }


def test_sweep_of_wrong_typed_documents(
    tmp_path: Path, interview_data: Any, me: Path, contacts_file: Path
) -> None:
    """Every JSON-reading option, given each hostile document: exit 2 and one Error line."""
    (tmp_path / "none").mkdir()
    for name, data in _documents(interview_data).items():
        path = tmp_path / "doc.json"
        path.write_bytes(data)
        for command, args in _commands(path, me, contacts_file).items():
            result = run(*args)
            if name == "a list for an object" and command in ("followups", "send --interviews"):
                assert 0 == result.exit_code, result.stderr  # no interviews: nothing due
                continue
            assert isinstance(result.exception, SystemExit), (name, command, result.exception)
            assert 2 == result.exit_code, (name, command, result.stderr)
            assert result.stderr.startswith("Error: "), (name, command, result.stderr)


@pytest.mark.parametrize("given", ["missing", "folder", "../x"])
def test_sweep_of_paths_that_are_no_file(
    tmp_path: Path, given: str, me: Path, contacts_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing file, a folder, or '../x' for a file: exit 2 and a usage error naming it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    path = Path(given)
    for command, args in _commands(path, me, contacts_file).items():
        result = run(*args)
        assert 2 == result.exit_code, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert str(path) in result.stderr, (command, result.stderr)


def test_drafts_contacts_with_a_huge_number_names_the_item(tmp_path: Path) -> None:
    """A 4,301-digit number in a contacts file is a problem on its item, never a traceback."""
    contacts = tmp_path / "contacts.json"
    contacts.write_text(
        '[{"name": "Ana", "email": "ana@example.com"}, {"name": ' + HUGE + "}]",
        encoding="utf-8",
    )
    me = tmp_path / "me.json"
    me.write_text(converter.dumps(samples.sender()), encoding="utf-8")
    result = run(
        "drafts", "--contacts", contacts, "--template", "outreach/cold", "--sender", me,
        "--set", "reason=your work", "--out", tmp_path / "out",
    )  # fmt: skip
    assert 1 == result.exit_code, result.output
    assert "Traceback" not in result.output
    assert "line 1, name: item 2: a number with 4,301 digits is too long" in result.output
    assert 1 == len(list((tmp_path / "out").glob("*.eml")))
