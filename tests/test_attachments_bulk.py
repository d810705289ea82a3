"""Attachments in bulk: --attach for everyone, an Attach column per contact, read back as mail."""

from __future__ import annotations

import email
import json
import mailbox
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from infoview import Contact, bulk, converter
from infoview.cli import main
from infoview.errors import ValidationError
from infoview.importers import read_csv

PDF = b"%PDF-1.4\n% a small resume\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
NOTE = "Merci — a shared note\n".encode()


def _folder(tmp_path: Path, sender: Contact) -> Path:
    """The contacts' folder: files beside the CSV and in a folder of it, and you as JSON."""
    folder = tmp_path / "campaign"
    (folder / "files").mkdir(parents=True)
    (folder / "cv.pdf").write_bytes(PDF)
    (folder / "files" / "portfolio.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("not for mail\n", encoding="utf-8")
    (tmp_path / "note.txt").write_bytes(NOTE)
    (tmp_path / "me.json").write_text(json.dumps(converter.unstructure(sender)), encoding="utf-8")
    rows = [
        "Name,Email,School,Source,Résumé",
        "Ana García,ana@example.com,State University,alumni,cv.pdf",
        "Bob Li,bob@example.com,State University,alumni,files/portfolio.png; cv.pdf",
        "Carla Díaz,carla@example.com,State University,alumni,../secret.txt",
        f"Dan Roe,dan@example.com,State University,alumni,{tmp_path / 'secret.txt'}",
        "Eve Stone,eve@example.com,State University,alumni,missing.pdf",
        "Fay Lind,fay@example.com,State University,alumni,",
    ]
    (folder / "contacts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _files(message: EmailMessage) -> list[tuple[str | None, bytes]]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append((part.get_filename(), payload))
    return found


def test_the_command_attaches_per_row_and_for_everyone(tmp_path: Path, sender: Contact) -> None:
    """Each row's files and --attach's, in an mbox the standard library reads; bad rows by line."""
    folder = _folder(tmp_path, sender)
    out = tmp_path / "out.mbox"
    command = Path(sys.executable).parent / "infoview"
    done = subprocess.run(
        [command, "drafts", "--csv", folder / "contacts.csv", "--sender", tmp_path / "me.json",
         "--attach", tmp_path / "note.txt", "--out", out],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert 1 == done.returncode, done.stderr
    lines = done.stdout.splitlines()
    refused = [line for line in lines if not line.endswith("(row taken)")][:3]
    assert refused[0].startswith("line 4, resume: drafts.resume: ../secret.txt is not a path")
    assert refused[1].startswith(f"line 5, resume: drafts.resume: {tmp_path / 'secret.txt'} is not")
    assert refused[2].startswith("line 6, resume: drafts.resume: missing.pdf does not exist")
    warned = [line.split(",")[0] for line in lines if line.endswith("(row taken)")]
    assert ["line 2", "line 3", "line 7"] == warned  # outreach with files: the lint's warning
    assert "3 drafted, 3 rows with problems (lines 4, 5, 6), 3 warnings" in done.stdout
    box = mailbox.mbox(out, create=False)
    try:
        messages = [email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in box]
    finally:
        box.close()
    found = {}
    for message in messages:
        assert isinstance(message, EmailMessage)
        found[str(message["To"]).split("<")[-1].rstrip(">")] = _files(message)
    assert {
        "ana@example.com": [("note.txt", NOTE), ("cv.pdf", PDF)],
        "bob@example.com": [("note.txt", NOTE), ("portfolio.png", PNG), ("cv.pdf", PDF)],
        "fay@example.com": [("note.txt", NOTE)],
    } == found
    assert b"not for mail" not in out.read_bytes()


def test_the_library_takes_the_same(tmp_path: Path, sender: Contact) -> None:
    """bulk.drafts with attach= and attach_folder=: .eml files with the files, types guessed."""
    folder = _folder(tmp_path, sender)
    run = bulk.drafts(
        read_csv(folder / "contacts.csv"),
        sender,
        attach=[tmp_path / "note.txt"],
        attach_folder=folder,
    )
    assert 3 == bulk.write_folder(run, tmp_path / "eml")
    assert [4, 5, 6] == list(run.report.failed)
    parsed = [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted((tmp_path / "eml").glob("*.eml"))
    ]
    assert isinstance(parsed[1], EmailMessage)
    types = [part.get_content_type() for part in parsed[1].iter_attachments()]
    assert ["text/plain", "image/png", "application/pdf"] == types
    assert "multipart/mixed" == parsed[1].get_content_type()


def test_without_a_folder_a_row_with_files_is_a_problem(tmp_path: Path, sender: Contact) -> None:
    """A row names files but the run was given no folder: that row is reported, the rest drafted."""
    folder = _folder(tmp_path, sender)
    run = bulk.drafts(read_csv(folder / "contacts.csv"), sender)
    drafted = list(run)
    assert ["Fay Lind"] == [d.recipient.name for d in drafted if d.recipient]
    assert () == drafted[0].attachments
    assert [2, 3, 4, 5, 6] == list(run.report.failed)
    assert "attach_folder" in run.report.problems[0].message


def test_attach_for_everyone_is_checked_first(tmp_path: Path, sender: Contact) -> None:
    """A missing file for everyone stops the run before anything is drafted, naming the file."""
    folder = _folder(tmp_path, sender)
    with pytest.raises(ValidationError, match=r"drafts\.attach: .*nothing\.pdf does not exist"):
        bulk.drafts(read_csv(folder / "contacts.csv"), sender, attach=[tmp_path / "nothing.pdf"])


def test_no_warning_where_the_lint_has_none(tmp_path: Path, sender: Contact) -> None:
    """Outreach with a file is warned about; a check-in with one is not."""
    (tmp_path / "slides.pdf").write_bytes(PDF)
    ana = Contact(name="Ana García", email="ana@example.com")
    run = bulk.drafts([ana], sender, template="outreach/cold", values={"reason": "your talk"},
                      attach=[tmp_path / "slides.pdf"])  # fmt: skip
    (draft,) = list(run)
    assert ["slides.pdf"] == [a.filename for a in draft.attachments]
    assert ["attachment"] == [p.field for p in run.report.problems]
    run = bulk.drafts(
        [ana], sender, template="follow_up/check_in", attach=[tmp_path / "slides.pdf"]
    )
    assert 1 == len(list(run))
    assert () == run.report.problems


def test_the_option_on_the_command_line(tmp_path: Path, sender: Contact) -> None:
    """--attach names a file that exists; --help says so."""
    folder = _folder(tmp_path, sender)
    result = CliRunner().invoke(
        main,
        ["drafts", "--csv", str(folder / "contacts.csv"), "--sender", str(tmp_path / "me.json"),
         "--attach", str(tmp_path / "nope.pdf"), "--dry-run"],
        prog_name="infoview",
    )  # fmt: skip
    assert 2 == result.exit_code
    assert "nope.pdf" in result.output
    assert "--attach" in CliRunner().invoke(main, ["drafts", "--help"]).output


def test_a_column_of_any_name_mapped_to_attach(tmp_path: Path, sender: Contact) -> None:
    """--map Lebenslauf=attach: that column names the files; one called Attach stays apart."""
    folder = _folder(tmp_path, sender)
    (folder / "mapped.csv").write_text(
        "Name,Email,School,Source,Attach,Lebenslauf\n"
        "Ana García,ana@example.com,State University,alumni,nothing.pdf,cv.pdf\n",
        encoding="utf-8",
    )
    out = tmp_path / "mapped.mbox"
    result = CliRunner().invoke(
        main,
        ["drafts", "--csv", str(folder / "mapped.csv"), "--sender", str(tmp_path / "me.json"),
         "--map", "Lebenslauf=attach", "--out", str(out)],
        prog_name="infoview",
    )  # fmt: skip
    assert 0 == result.exit_code, result.output
    box = mailbox.mbox(out, create=False)
    try:
        (message,) = [email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in box]
    finally:
        box.close()
    assert isinstance(message, EmailMessage)
    assert [("cv.pdf", PDF)] == _files(message)
