"""A message without a subject is never written: the error names the template that gave none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import infoview
from infoview import MessageError, Templates, converter
from infoview.model import samples

BARE = "Hi {{ contact.first_name }}\n"


def _bare_draft() -> infoview.Draft:
    """A draft of a template that extends no message layout, so it has no subject."""
    draft = Templates.from_strings({"mine/bare": BARE}).render(
        "mine/bare", interview=samples.interview()
    )
    assert "" == draft.subject
    return draft


def test_as_bytes_refuses_a_draft_without_a_subject() -> None:
    """as_bytes (and so to_email) names the template and says how to give a subject."""
    draft = _bare_draft()
    with pytest.raises(MessageError, match=r"^the draft of template mine/bare: it has no subject"):
        draft.as_bytes()
    with pytest.raises(MessageError, match="block subject"):
        draft.to_email()


def test_write_eml_writes_no_file(tmp_path: Path) -> None:
    """Saving the draft as .eml fails before any file is made."""
    with pytest.raises(MessageError):
        _bare_draft().write_eml(tmp_path / "bare.eml")
    assert [] == list(tmp_path.iterdir())


def test_a_subject_given_afterwards_is_written() -> None:
    """The draft with a subject set by hand is written, with that subject."""
    message = _bare_draft().with_changes(subject="Hello").to_email()
    assert "Hello" == message["Subject"]


def test_bulk_drafting_writes_no_message_without_a_subject(tmp_path: Path) -> None:
    """infoview drafts with a template that gives no subject stops with one Error line, exit 2."""
    (tmp_path / "t" / "mine").mkdir(parents=True)
    (tmp_path / "t" / "mine" / "bare.txt").write_text(BARE, encoding="utf-8")
    (tmp_path / "me.json").write_text(converter.dumps(samples.sender()), encoding="utf-8")
    (tmp_path / "people.csv").write_text(
        "Name,Email,School\nAna García,ana@example.com,State University\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable, "-m", "infoview", "drafts", "--csv", str(tmp_path / "people.csv"),
            "--sender", str(tmp_path / "me.json"), "--templates", str(tmp_path / "t"),
            "--template", "mine/bare", "--out", str(tmp_path / "outbox"),
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert 2 == result.returncode
    assert result.stderr.startswith("Error: the draft of template mine/bare: it has no subject")
    assert [] == list((tmp_path / "outbox").glob("*.eml"))
