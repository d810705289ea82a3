"""Drafts written for review open readable in a text editor; the wire still gets what it takes."""

from __future__ import annotations

import email
import smtplib
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

import infoview
from infoview import Attachment, bulk
from infoview.mail.message import LONGEST_LINE, for_the_wire, readable
from infoview.model import samples
from tests._mailserver import Recorder, free_port


def _parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _plain(message: EmailMessage) -> tuple[str, str]:
    """The text part's transfer encoding and its text, line ends as LF."""
    part = message.get_body(("plain",))
    assert part is not None
    return str(part["Content-Transfer-Encoding"]), part.get_content().replace("\r\n", "\n")


def test_a_draft_folder_holds_8bit_text_a_person_can_read(tmp_path: Path) -> None:
    """write_folder writes the German text as it reads; the parser gives back the same text."""
    draft = infoview.render("outreach/alumni", interview=samples.interview(), locale="de")
    assert 1 == bulk.write_folder([draft], tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    data = path.read_bytes()
    assert draft.text.splitlines()[0].encode() in data  # "Guten Tag Ana García," as written
    assert b"=C3=" not in data.split(b"\r\n\r\n", 1)[1]
    assert ("8bit", draft.text) == _plain(_parsed(data))


def test_an_ascii_draft_is_7bit() -> None:
    """Text without a non-ASCII character is 7bit."""
    draft = samples.interview()
    text = infoview.render("outreach/alumni", interview=draft, locale="en").with_changes(
        recipient=draft.contact.with_changes(name="Ana Garcia")
    )
    message = _parsed(readable(text.as_bytes()))
    assert "7bit" == _plain(message)[0]


def test_a_line_too_long_stays_quoted_printable() -> None:
    """A line over 998 octets keeps that part quoted-printable; the text is the same."""
    long = "é" * LONGEST_LINE
    draft = infoview.render("outreach/alumni", interview=samples.interview())
    draft = draft.with_changes(text=f"Hello,\n{long}\n")
    data = readable(draft.as_bytes())
    assert all(len(line) <= LONGEST_LINE for line in data.split(b"\r\n"))
    assert ("quoted-printable", f"Hello,\n{long}\n") == _plain(_parsed(data))


def test_every_part_is_readable_and_back_on_the_wire() -> None:
    """HTML and attachment: text parts 8bit, the file as it was; the wire form is as sent."""
    interview = samples.interview()
    draft = infoview.render("outreach/alumni", interview=interview, locale="fr")
    draft = draft.with_changes(
        html="<p>Bonjour Ana García</p>\n",
        attachments=(Attachment("cv.txt", "CV — Sam".encode()),),
    )
    sent = draft.as_bytes()
    data = readable(sent)
    message = _parsed(data)
    encodings = [
        str(p["Content-Transfer-Encoding"]) for p in message.walk() if not p.is_multipart()
    ]
    assert ["8bit", "8bit", "base64"] == encodings
    html = message.get_body(("html",))
    assert html is not None
    assert "<p>Bonjour Ana García</p>\n" == html.get_content().replace("\r\n", "\n")
    assert sent == for_the_wire(data)


def test_a_message_infoview_did_not_write_is_left_as_it_is() -> None:
    """readable() changes only the parts infoview wrote."""
    message = EmailMessage()
    message["Subject"] = "x"
    message.set_content("Grüße\n", cte="quoted-printable")
    data = message.as_bytes()
    assert data == readable(data)


class _No8Bit(Recorder):
    """A server that does not offer 8BITMIME."""

    async def handle_EHLO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        return [r for r in responses if "8BITMIME" not in r.upper()]


def test_sending_a_review_file_to_a_server_without_8bitmime(tmp_path: Path) -> None:
    """The .eml for review goes out quoted-printable where 8-bit data is not offered."""
    draft = infoview.render("outreach/alumni", interview=samples.interview(), locale="de")
    bulk.write_folder([draft], tmp_path / "out")
    recorder, port = _No8Bit(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as probe:
            probe.ehlo()
            assert not probe.has_extn("8bitmime")
        settings = infoview.SMTPSettings("127.0.0.1", port, "none", timeout=10)
        report = infoview.send(tmp_path / "out", smtp=settings, journal=tmp_path / "j")
    finally:
        controller.stop()
    assert 1 == report.sent
    ((_, _, data),) = recorder.received
    assert data.isascii()
    assert ("quoted-printable", draft.text) == _plain(_parsed(data))
