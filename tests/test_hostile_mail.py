"""Hostile input against mail headers: encoded words, header names, long lines, file names."""

from __future__ import annotations

import codecs
import email
import email.header
import email.policy
import mailbox
from collections.abc import Iterable
from email.message import EmailMessage, Message
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from infoview import Contact, Draft, mail
from infoview.errors import (
    HeaderInjectionError,
    HeaderNameError,
    InfoviewError,
    OutputExistsError,
    ValidationError,
)
from infoview.mail import Attachment

DATA = Path(__file__).parent / "data"


def _corpus() -> tuple[list[str], list[str]]:
    refused: list[str] = []
    lookalikes: list[str] = []
    target = refused
    for line in (DATA / "encoded_words.txt").read_text(encoding="utf-8").splitlines():
        if line == "[lookalike]":
            target = lookalikes
        elif line.strip() and not line.startswith("#"):
            target.append(codecs.decode(line, "unicode_escape"))
    return refused, lookalikes


ENCODED_WORDS, LOOKALIKES = _corpus()
SAM = SimpleNamespace(name="Sam Rivera", email="sam@example.org")
ANA = SimpleNamespace(name="Ana García", email="ana@example.com")
BASE = {"from", "to", "subject", "date", "message-id", "mime-version", "content-type"}
PLAIN = BASE | {"content-transfer-encoding"}


def reparse(raw: bytes) -> EmailMessage:
    """Parse bytes with the standard library's modern parser."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def header_names(message: Message) -> list[str]:
    """The message's top-level header names, lower case, sorted (duplicates kept)."""
    return sorted(k.lower() for k in message)


def assert_sound(raw: bytes, expected: Iterable[str]) -> EmailMessage:
    """Every line is at most 998 octets, and the headers read back are exactly ``expected``."""
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    parsed = reparse(raw)
    assert sorted(expected) == header_names(parsed)
    assert not parsed.defects
    return parsed


def rfc2047(raw_header: str) -> str:
    """Decode a header the way RFC 2047 says (adjacent encoded words joined)."""
    return str(email.header.make_header(email.header.decode_header(raw_header)))


def display_name(raw: bytes, header: str) -> str:
    """The display name of a one-address header, as Python reads it or, if encoded, per RFC 2047.

    Python's address parser puts a space between adjacent encoded words and
    squeezes runs of spaces inside one, so an encoded display name is decoded
    the RFC's way.
    """
    parsed = reparse(raw)[header].addresses[0].display_name
    old = email.message_from_bytes(raw, policy=email.policy.compat32)[header]
    phrase = str(old).replace("\r\n", "").rsplit("<", 1)[0].strip()
    if phrase.startswith("=?"):
        return rfc2047(phrase)
    return str(parsed)


def quoted(text: str) -> str:
    """Text as an RFC 5322 quoted string (not encoded, whatever it holds)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_corpus_is_loaded() -> None:
    """The corpus holds every form, with escapes decoded."""
    assert len(ENCODED_WORDS) >= 40
    assert "=?utf-8?q?Acme=0D=0ABcc:\tevil@x.example?=" in ENCODED_WORDS
    assert "=?utf-8?q?Acme\\r\\nBcc:_evil@x.example?=" in ENCODED_WORDS
    assert len(LOOKALIKES) >= 8


def _paths(payload: str) -> dict[str, Any]:
    """Every way a header value reaches a message, as a call that builds bytes."""
    person = SimpleNamespace(name=payload, email="ann@example.com")
    draft = Draft(subject="Hi", text="Hi\n", recipient=ANA, sender=SAM)  # type: ignore[arg-type]

    def build(**changes: Any) -> bytes:
        args: dict[str, Any] = {"subject": "Hi", "text": "Hi\n", "sender": SAM, "to": [ANA]}
        return mail.build_message(**(args | changes)).as_bytes()

    return {
        "To name": lambda: build(to=[person]),
        "From name": lambda: build(sender=person),
        "Cc name": lambda: build(cc=[person]),
        "address": lambda: build(to=[SimpleNamespace(name="Ann", email=f"a{payload}@x.example")]),
        "Subject": lambda: build(subject=payload),
        "Draft.subject": lambda: Draft(subject=payload, text="Hi").subject,
        "with_changes": lambda: draft.with_changes(subject=f"Re: {payload}").as_bytes(),
        "In-Reply-To": lambda: build(in_reply_to=f"<{payload}@x.example>"),
        "Draft.in_reply_to": lambda: draft.with_changes(in_reply_to=f"<{payload}@x.example>"),
        "References": lambda: build(references=["<a@x.example>", f"<{payload}@x.example>"]),
        "Draft.references": lambda: draft.with_changes(references=[f"<{payload}@x.example>"]),
        "Message-ID": lambda: build(message_id=f"<{payload}@x.example>"),
        "Draft.message_id": lambda: draft.with_changes(message_id=f"<{payload}@x.example>"),
        "X-Note": lambda: draft.to_email(headers={"X-Note": payload}).as_bytes(),
        "Reply-To": lambda: draft.to_email(headers={"Reply-To": f"{payload} <r@x.example>"}),
        "header name": lambda: draft.to_email(headers={f"X-{payload}": "1"}),
        "Attachment": lambda: Attachment(payload, b"x"),
        "attach": lambda: draft.attach(b"x", filename=f"{payload}.pdf").as_bytes(),
        "mime_type": lambda: Attachment("a.bin", b"x", f"application/{payload}"),
        "mailto": lambda: mail.mailto([ANA], subject=payload),
    }


PATHS = list(_paths("x"))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("payload", ENCODED_WORDS)
def test_encoded_word_refused_in_every_header_path(payload: str, path: str) -> None:
    """Any ``=?…?=`` span, whitespace inside or not, is refused wherever it could reach a header."""
    with pytest.raises(HeaderInjectionError) as info:
        _paths(payload)[path]()
    assert isinstance(info.value, ValueError)
    assert info.value.reason


@pytest.mark.parametrize("payload", ENCODED_WORDS)
def test_encoded_word_refused_in_contact_or_mail(payload: str) -> None:
    """A Contact refuses it at construction; failing that, the message is never built."""
    try:
        person = Contact(name=payload, email="ann@example.com", organization=payload)
    except ValidationError:
        return
    with pytest.raises(HeaderInjectionError):
        Draft(subject="Hi", text="Hi", recipient=person, sender=SAM).to_email()  # type: ignore[arg-type]


@pytest.mark.parametrize("payload", LOOKALIKES)
def test_lookalikes_are_written_as_they_are(payload: str) -> None:
    """Text that only looks like an encoded word is kept, and reads back exactly."""
    person = SimpleNamespace(name=payload, email="ann@example.com")
    raw = mail.build_message(
        subject=payload,
        text="Hi\n",
        sender=SAM,
        to=[person],
        cc=[ANA],
        headers=[("X-Note", payload), ("Reply-To", f"{quoted(payload)} <r@x.example>")],
    ).as_bytes()
    parsed = assert_sound(raw, PLAIN | {"cc", "x-note", "reply-to"})
    assert payload == parsed["Subject"]
    assert payload == parsed["X-Note"]
    assert payload == display_name(raw, "To")
    assert payload == parsed["Reply-To"].addresses[0].display_name
    assert b"=?" not in raw or payload.count("=?") < raw.count(b"=?")


def test_issue_payloads_never_forge_a_header() -> None:
    """The issue's cold-outreach payloads: refused, so no Bcc and no second body."""
    for organization in (
        "=?utf-8?q?Acme=0D=0ABcc: evil@x.example?=",
        "=?utf-8?q?Acme=0D=0AContent-Type: text/html=0D=0A=0D=0A<a href=x>Click</a>?=",
    ):
        with pytest.raises(HeaderInjectionError, match="encoded word"):
            Draft(subject=f"20 minutes about {organization}?", text="Hi")
        hand_made = SimpleNamespace(name=organization, email="ann@example.com")
        with pytest.raises(HeaderInjectionError, match="encoded word"):
            mail.build_message(subject="Hi", text="Hi", sender=SAM, to=[hand_made])


@pytest.mark.parametrize(
    "name",
    [
        "Bcc",
        "bcc",
        "BCC",
        "To",
        "From",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "message-id",
        "In-Reply-To",
        "References",
        "MIME-Version",
        "Content-Type",
        "content-transfer-encoding",
        "Content-Disposition",
        "Content-X",
        "Sender",
        "Resent-From",
        "Resent-Bcc",
        "Return-Path",
        "Received",
        "DKIM-Signature",
        "Authentication-Results",
        "Orig-Date",
    ],
)
def test_structural_headers_refused(name: str) -> None:
    """Headers infoview writes itself, Bcc and server-only headers are refused by name."""
    draft = Draft(subject="Hi", text="Hi", recipient=ANA, sender=SAM)  # type: ignore[arg-type]
    with pytest.raises(HeaderNameError) as info:
        draft.to_email(headers={name: "evil@x.example"})
    assert name == info.value.name
    assert isinstance(info.value, ValueError)
    assert info.value.hint in str(info.value)


@pytest.mark.parametrize(
    "name", ["X-A: b", "", "X A", "X:A", " X-A", "X-A ", "Ünïcode", "X" * 77, "X-\x7f"]
)
def test_malformed_header_names_refused(name: str) -> None:
    """Names that are not RFC 5322 field names never make a header line."""
    draft = Draft(subject="Hi", text="Hi", recipient=ANA, sender=SAM)  # type: ignore[arg-type]
    with pytest.raises((HeaderNameError, HeaderInjectionError)):
        draft.to_email(headers={name: "1"})


def test_extra_headers_written_exactly() -> None:
    """Allowed extra headers are written once each (repeats where allowed); nothing else."""
    message = mail.build_message(
        subject="Hi",
        text="Hi\n",
        sender=SAM,
        to=[ANA],
        headers=[
            ("X-Tag", "a"),
            ("X-Tag", "b"),
            ("Reply-To", 'Sam at home <sam@home.example>, "O\'Hara, Q" <q@x.example>'),
            ("X-" + "L" * 74, "long name"),
        ],
    )
    parsed = assert_sound(
        message.as_bytes(), [*PLAIN, "x-tag", "x-tag", "reply-to", "x-" + "l" * 74]
    )
    assert ["a", "b"] == parsed.get_all("X-Tag")
    replies = parsed["Reply-To"].addresses
    assert ["Sam at home", "O'Hara, Q"] == [a.display_name for a in replies]


def test_reply_to_once_and_well_formed() -> None:
    """Reply-To may appear once and must be addresses."""
    with pytest.raises(HeaderNameError, match="twice"):
        mail.build_message(
            subject="Hi",
            text="Hi",
            sender=SAM,
            to=[ANA],
            headers=[("Reply-To", "a@x.example"), ("reply-to", "b@x.example")],
        )
    for bad in ("not an address", "a@x.example>, <evil@x.example", ""):
        with pytest.raises((ValidationError, HeaderInjectionError)):
            mail.build_message(
                subject="Hi", text="Hi", sender=SAM, to=[ANA], headers=[("Reply-To", bad)]
            )


@pytest.mark.parametrize(
    "email_address",
    [
        "a@x.example>, evil@x.example",
        "a b@x.example",
        "a@x.example,b@x.example",
        "nobody",
        "<a@x.example>",
        "a@x.example;",
        '"a"@x.example',
        "a@" + "x" * 260 + ".example",
    ],
)
def test_address_must_be_one_plain_address(email_address: str) -> None:
    """A hand-made recipient's address cannot smuggle in another recipient."""
    with pytest.raises(HeaderInjectionError, match="plain mail address"):
        mail.address(SimpleNamespace(name="Ann", email=email_address))


# Long and special values: every line at most 998 octets, and the same text read back.
LONG_NAMES = [
    "A" * 2000,
    "A" * 5000,
    "é" * 2000,
    "李" * 700,
    '"' * 900,
    "\\" * 600,
    "A" * 120,
    "Ana " * 400,
    "Ana  García  " * 10,
    " Ana",
    "Ana García " + "x" * 300,
]
SPECIAL_NAMES = [
    'Ana "La Jefa" García',
    "García, Ana",
    "Ana <ana@evil.example>",
    "Ana; Bcc: evil@x.example",
    "ana@evil.example",
    "Ana \\ García",
    "Ana (García)",
    "Ann =? Lee",
    "O'Brien, Siobhán <x@y>",
    'Zoë "\\" ; , @ < > ( ) : [ ]',
    "Ünïcødé, Å. <ø>",
    "..",
    "=",
    "?",
]


@pytest.mark.parametrize("name", LONG_NAMES + SPECIAL_NAMES)
def test_display_names_fold_and_read_back(name: str, tmp_path: Path) -> None:
    """Long or special display names stay within 998 octets a line and read back exactly."""
    people = [SimpleNamespace(name=name, email="ann@example.com")]
    message = mail.build_message(
        subject="Hi",
        text="Hi\n",
        sender=SAM,
        to=people,
        cc=people,
        headers=[("Reply-To", "r@x.example")],
    )
    raw = message.as_bytes()
    assert_sound(raw, PLAIN | {"cc", "reply-to"})
    assert name == display_name(raw, "To")
    assert name == display_name(raw, "Cc")
    eml = mail.write_eml(message, tmp_path / "m.eml")
    assert_sound(eml.read_bytes(), PLAIN | {"cc", "reply-to"})
    assert_mbox_sound(tmp_path, [message], PLAIN | {"cc", "reply-to"})


def assert_mbox_sound(tmp_path: Path, messages: list[EmailMessage], expected: set[str]) -> None:
    """Write an mbox, check its lines, and read it back with mailbox.mbox."""
    path = mail.write_mbox(messages, tmp_path / "out.mbox")
    assert max(len(line) for line in path.read_bytes().splitlines()) <= 998
    box = mailbox.mbox(path)
    try:
        found = list(box)
    finally:
        box.close()
    assert len(messages) == len(found)
    for message, stored in zip(messages, found, strict=True):
        assert sorted(expected) == header_names(stored)
        assert reparse(message.as_bytes())["Subject"] == reparse(stored.as_bytes())["Subject"]


SUBJECTS = [
    "A" * 5000,
    "Hi " * 2000,
    "é" * 2000,
    "x" * 70 + " " + "y" * 70,
    "Re: " + "Café con José — 20 minutos? " * 40,
    '"Quotes", commas; colons: <angles> (parens) \\ back',
    "  leading and trailing  ",
    "Ann =? Lee",
    "Lee ?= x",
    "100% =0D=0A",
    "",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_subjects_fold_and_read_back(subject: str, tmp_path: Path) -> None:
    """Long or odd subjects and extra header values fold within 998 octets and read back."""
    message = mail.build_message(
        subject=subject, text="Hi\n", sender=SAM, to=[ANA], headers=[("X-Note", subject)]
    )
    raw = message.as_bytes()
    parsed = assert_sound(raw, PLAIN | {"x-note"})
    if subject == subject.strip() and "  " not in subject:
        assert subject == parsed["Subject"]
        assert subject == parsed["X-Note"]
    assert subject == rfc2047(reparse_compat(raw, "Subject")).strip() or subject != subject.strip()
    assert_mbox_sound(tmp_path, [message], PLAIN | {"x-note"})


def reparse_compat(raw: bytes, header: str) -> str:
    """The raw (unfolded) header as the old parser keeps it."""
    old = email.message_from_bytes(raw, policy=email.policy.compat32)
    return str(old[header]).replace("\r\n", "")


def test_message_ids_long_and_many() -> None:
    """Threading headers: a 900-character id and 200 references stay within 998 octets."""
    long_id = "<" + "a" * 880 + "@x.example>"
    refs = [f"<{n}.{'r' * 40}@x.example>" for n in range(200)]
    message = mail.build_message(
        subject="Re: Hi",
        text="Hi\n",
        sender=SAM,
        to=[ANA],
        in_reply_to=long_id,
        references=[*refs, long_id],
        message_id="<" + "m" * 880 + "@x.example>",
    )
    parsed = assert_sound(message.as_bytes(), PLAIN | {"in-reply-to", "references"})
    assert long_id == parsed["In-Reply-To"]
    assert [*refs, long_id] == parsed["References"].split()
    with pytest.raises(ValidationError, match="Message-ID"):
        mail.build_message(
            subject="Hi", text="Hi", sender=SAM, to=[ANA], in_reply_to="<" + "a" * 900 + "@x>"
        )


@pytest.mark.parametrize("bad", ["foo", "<a b@x.example>", "<a@x.example", "a@x.example", "<>"])
def test_malformed_message_ids_refused(bad: str) -> None:
    """A Message-ID is one <unique-part@domain>, in the draft and in build_message."""
    with pytest.raises(ValidationError):
        Draft(subject="Hi", text="Hi", in_reply_to=bad)
    with pytest.raises(ValidationError):
        Draft(subject="Hi", text="Hi", references=["<ok@x.example>", bad])
    with pytest.raises(ValidationError):
        Draft(subject="Hi", text="Hi", message_id=bad)
    with pytest.raises(ValidationError):
        mail.build_message(subject="Hi", text="Hi", sender=SAM, to=[ANA], references=[bad])


@pytest.mark.parametrize(
    "filename",
    ["a" * 2000 + ".pdf", "é" * 500 + ".pdf", 'a "b" ; c = d.pdf', "..etc..passwd", "x.pdf"],
)
def test_attachment_names_fold(filename: str) -> None:
    """Long or special attachment names fold within 998 octets and read back."""
    draft = Draft(subject="Hi", text="Hi\n", recipient=ANA, sender=SAM)  # type: ignore[arg-type]
    raw = draft.attach(b"%PDF", filename=filename).as_bytes()
    parsed = assert_sound(raw, BASE)
    (part,) = parsed.iter_attachments()
    assert filename == part.get_filename()


def test_attach_errors_are_infoview_errors() -> None:
    """attach(bytes) without a name, empty names and bad types are ValidationErrors."""
    draft = Draft(subject="Hi", text="Hi")
    with pytest.raises(ValidationError, match=r"Draft\.filename"):
        draft.attach(b"x")
    with pytest.raises(ValidationError, match=r"Attachment\.filename"):
        Attachment(" ", b"x")
    for mime_type in ("nonsense", "multipart/mixed", "message/rfc822", "text/", "a/b; x=y"):
        with pytest.raises(ValidationError, match=r"Attachment\.mime_type"):
            Attachment("a.bin", b"x", mime_type)
    with pytest.raises(HeaderInjectionError):
        Attachment("a.bin", b"x", "text/plain\r\nBcc: evil@x.example")


@pytest.mark.parametrize(
    "filename", ["../x", "../../etc/passwd", "a/b.pdf", "/abs.pdf", "..\\x", "C:\\x.pdf", "..", "."]
)
def test_attachment_names_hold_no_folder(filename: str) -> None:
    """A name with a path could be saved outside the recipient's folder: refused, saying why."""
    with pytest.raises(ValidationError, match=r"Attachment\.filename.*folder") as caught:
        Attachment(filename, b"x")
    assert "Path(path).name" in str(caught.value)
    with pytest.raises(ValidationError):
        Draft(subject="Hi", text="Hi").attach(b"x", filename=filename)


def test_bcc_never_written_even_if_asked() -> None:
    """A Bcc passed as an extra header is refused, so it never reaches the message."""
    draft = Draft(subject="Hi", text="Hi", recipient=ANA, sender=SAM)  # type: ignore[arg-type]
    with pytest.raises(HeaderNameError, match="never written"):
        draft.to_email(headers={"Bcc": "log@crm.example"})
    assert b"crm.example" not in draft.as_bytes()


# write_eml: file names from recipients' names.

HOSTILE_NAMES = [
    "Ana/García",
    "x/../../escaped",
    "..",
    "A" * 300,
    "李雷",
    "CON",
    "NUL.txt",
    "ana\\..\\..\\x",
    "🌻🌻",
    "-",
    ".hidden",
    "a:b*c?d|e<f>g",
]


def _draft_for(name: str, template: str | None = "outreach/cold") -> Draft:
    person = SimpleNamespace(name=name, email="ana@example.com")
    return Draft(subject="Hi", text="Hi\n", recipient=person, sender=SAM, template=template)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_eml_file_names_are_slugs_inside_the_folder(name: str, tmp_path: Path) -> None:
    """A folder gets one sensible file per draft, named by a slug, never outside it."""
    folder = tmp_path / "out"
    folder.mkdir()
    first = _draft_for(name).write_eml(folder)
    second = _draft_for(name).write_eml(folder)
    assert folder == first.parent == second.parent
    assert first != second
    assert {first.name, second.name} == {p.name for p in folder.iterdir()}
    assert first.name.startswith("outreach-cold-")
    assert second.name == first.name.removesuffix(".eml") + "-2.eml"
    assert len(first.name.encode()) <= 255
    assert not set(first.name) & set('/\\:*?"<>|\x00')
    assert [tmp_path / "out"] == list(tmp_path.iterdir())
    assert_sound(first.read_bytes(), PLAIN)


def test_non_ascii_name_keeps_its_letters(tmp_path: Path) -> None:
    """A name with no ASCII form keeps its letters; one with an ASCII form is folded."""
    assert "draft-李雷.eml" == _draft_for("李雷", None).write_eml(tmp_path).name
    assert "draft-Ana-Garcia.eml" == _draft_for("Ana García", None).write_eml(tmp_path).name
    assert "draft-ana.eml" == _draft_for("🌻", None).write_eml(tmp_path).name


def test_unsafe_name_writes_nothing(tmp_path: Path) -> None:
    """A name the message refuses (NUL, a line break) writes no file."""
    for name in ("Ana\x00García", "Ana\r\nBcc: evil@x.example"):
        with pytest.raises(InfoviewError):
            _draft_for(name).write_eml(tmp_path)
    assert [] == list(tmp_path.iterdir())


def test_explicit_paths_are_not_overwritten(tmp_path: Path) -> None:
    """An existing file is an OutputExistsError unless overwriting or a suffix is asked for."""
    draft = _draft_for("Ana")
    path = draft.write_eml(tmp_path / "a.eml")
    before = path.read_bytes()
    with pytest.raises(OutputExistsError) as info:
        _draft_for("Bo").write_eml(path)
    assert isinstance(info.value, FileExistsError)
    assert path == info.value.path
    assert "if_exists" in str(info.value)
    assert before == path.read_bytes()
    with pytest.raises(OutputExistsError):
        mail.write_eml(draft.to_email(), path)
    assert tmp_path / "a-2.eml" == mail.write_eml(draft.to_email(), path, if_exists="suffix")
    assert path == _draft_for("Bo").write_eml(path, if_exists="overwrite")
    assert b"Bo <ana@example.com>" in path.read_bytes()
    with pytest.raises(OutputExistsError):
        draft.write_eml(tmp_path, if_exists="error") and draft.write_eml(
            tmp_path, if_exists="error"
        )
    with pytest.raises(ValidationError, match="if_exists"):
        mail.write_eml(draft.to_email(), tmp_path / "b.eml", if_exists="replace")  # type: ignore[arg-type]
