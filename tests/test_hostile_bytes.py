"""The message bytes (Draft.as_bytes) mean what the standard library's own builder means.

Each draft of a corpus is written by infoview's one writer (``Draft.as_bytes``)
and parsed back with the standard library. Its parts — type, parameters,
disposition, file name and content — must equal those of the same body built
with :class:`email.message.EmailMessage` (``set_content``,
``add_alternative``, ``add_attachment``); ``Draft.to_email()`` must be those
bytes read back (its ``as_bytes()`` gives them again, boundaries aside), with
every header decoded the same; and the bytes must be sound on the wire: CRLF
line ends only, no line over 998 octets.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import mailbox
import re
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import pytest

from infoview import (
    Contact,
    Draft,
    HeaderInjectionError,
    InfoviewError,
    Interview,
    bulk,
    calendar_cancellation,
    calendar_invite,
    mail,
)
from infoview.mail import Attachment, Invite
from infoview.mail._headers import display_name
from infoview.model import samples

WHEN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
SAM = Contact(name="Sam Rivera", email="sam@example.org")
NAMES = [
    "Ana García",
    "李雷",
    "Ørjan Nilsen",
    "Zoë 🌻 Park",
    "محمد عبد الله",
    "Ολυμπία Παπαδοπούλου",
    "Дмитрий Шостакович",
    "अनुराधा शर्मा",
    'O\'Brien, "Jr." <x@y> (Pat)',
    "Ünïcødé, Å. <ø>",
    ("Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior " * 3).strip(),
    "José María de la Santísima Trinidad Ruiz y Picasso de Borbón",
]
SUBJECTS = [
    "Coffee next week?",
    (
        "Fellow State University alum curious about your work at Acme Health and at "
        "its partner hospitals in the wider Chicago area"
    ),
    "x" * 200,
    "Re: " + "Café con José — 20 minutos? " * 12,
    "🌻 Sunflower Labs: 20 minutes? 🌻",
    "李雷想请教您几个关于产品经理工作的问题" * 4,
    '"Quotes", commas; colons: <angles> (parens) \\ back',
    "Ann =? Lee, 100% =0D=0A",
    "  leading, trailing and  double  spaces  ",
    # No empty subject: a draft without one is never written (tests/test_no_subject.py).
]
TEXTS = [
    "Dear Ana García,\n\nI found you through the alumni network.\n\nBest,\nSam\n",
    "no final line end",
    "",
    "From the start\n.\n..\nFrom here\n=3D is not an escape = \nTrailing spaces   \n\tTab\t\n",
    "A very long line " * 60 + "\n" + "y" * 500 + "\n",
    "Windows\r\nline\r\nends\rand a lone CR\n\n\n",
    "Emoji 🌻👩🏽‍💻 and CJK 你好 and RTL مرحبا and a soft hyphen \xad here\n",
    "=" * 80 + "\n" + "é" * 80 + "\n",
]
HTML = "<p>Hi Ana,</p>\n<p>Café? 🌻 <a href='https://example.org/?a=1&b=2'>link</a></p>" * 3
FILES = [
    Attachment("résumé.pdf", bytes(range(256)) * 40, "application/pdf"),
    Attachment("notes.txt", "plain text, é\n".encode(), "text/plain"),
    Attachment("empty.bin", b""),
    Attachment("a" * 300 + ".pdf", b"%PDF-1.4"),
    Attachment("李" * 60 + ".txt", b"x"),
    Attachment('a "b" ; c = d.pdf', b"%PDF"),
    Attachment("  spaced  name .ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
]


def corpus() -> list[tuple[str, Draft, dict[str, str]]]:
    """Drafts covering names, subjects, bodies, HTML, files, threading and extra headers."""
    cases: list[tuple[str, Draft, dict[str, str]]] = []
    for n, name in enumerate(NAMES):
        who = Contact(name=name, email=f"p{n}@example.com")
        draft = Draft(
            subject=SUBJECTS[n % len(SUBJECTS)],
            text=TEXTS[n % len(TEXTS)],
            recipient=who,
            sender=Contact(name=NAMES[-n - 1], email="me@example.org"),
            date=WHEN,
        )
        cases.append((f"name-{n}", draft, {}))
    base = Draft(subject="Hi", text=TEXTS[0], recipient=NAMES_CONTACT, sender=SAM, date=WHEN)
    for n, subject in enumerate(SUBJECTS):
        cases.append((f"subject-{n}", base.with_changes(subject=subject), {}))
    for n, text in enumerate(TEXTS):
        cases.append((f"text-{n}", base.with_changes(text=text), {}))
        cases.append((f"html-{n}", base.with_changes(text=text, html=text + HTML), {}))
    for n, file in enumerate(FILES):
        cases.append((f"file-{n}", base.with_changes(attachments=(file,)), {}))
    cases.append(
        (
            "everything",
            base.with_changes(
                subject=SUBJECTS[3],
                html=HTML,
                attachments=FILES,
                cc=[Contact(name=n, email=f"cc{i}@example.net") for i, n in enumerate(NAMES)],
                in_reply_to="<first@example.com>",
                references=[f"<{i}.{'r' * 40}@example.com>" for i in range(30)],
                bcc=[Contact(name="Secret", email="secret@example.com")],
            ),
            {
                "Reply-To": "Sam Home <sam@home.example>, Ana García <ana@example.com>",
                "X-Campaign": "spring 🌻 " + "long value " * 20,
                "X-Unsent": "1",
            },
        )
    )
    cases.append(
        (
            "smtputf8",
            base.with_changes(
                recipient=Contact(name="José", email="josé@bücher.example"), html=HTML
            ),
            {},
        )
    )
    cases.append(("no-date", base.with_changes(date=None), {}))
    cases.append(("invite", base.with_changes(invite=INVITE), {}))
    cases.append(("invite-html", base.with_changes(html=HTML, invite=INVITE), {}))
    cases.append(("invite-files", base.with_changes(attachments=FILES[:3], invite=INVITE), {}))
    cancel = Invite(calendar_cancellation(CANCELLED, stamp=WHEN), method="cancel")
    cases.append(
        ("cancel-everything", base.with_changes(html=HTML, attachments=FILES, invite=cancel), {})
    )
    return cases


def _cancelled() -> Interview:
    """The sample interview, cancelled after it was scheduled."""
    interview = samples.interview()
    interview.cancel(at=WHEN)
    return interview


NAMES_CONTACT = Contact(name="Ana García", email="ana@example.com")
INVITE = Invite(calendar_invite(samples.interview(), stamp=WHEN))
CANCELLED = _cancelled()
CASES = corpus()


def parse(raw: bytes, policy: email.policy.Policy = email.policy.default) -> Message:
    """Parse bytes as a mail reader would."""
    return email.message_from_bytes(raw, policy=policy)


def headers(message: Message) -> list[tuple[str, str]]:
    """Every header, decoded; the boundary left out (it is random)."""
    found = []
    for name, value in message.items():
        if name.lower() == "content-type":
            params = {k: v for k, v in message.get_params() or [] if k != "boundary"}
            found.append((name.lower(), f"{message.get_content_type()} {sorted(params.items())}"))
        else:
            found.append((name.lower(), str(value)))
    return found


def decoded(message: Message) -> list[tuple[str, str]]:
    """Every header as the old (compat32) parser reads it, RFC 2047 words decoded."""
    return [
        (name.lower(), str(email.header.make_header(email.header.decode_header(str(value)))))
        for name, value in message.items()
        if name.lower() != "content-type"
    ]


def parts(message: Message, *, unix: bool = False) -> list[tuple[object, ...]]:
    """Every part: its type, parameters, disposition, file name and content.

    With ``unix``, text is compared as an mbox file keeps it: LF line ends,
    ``>`` before a line starting with ``From``.
    """
    found: list[tuple[object, ...]] = []
    for part in message.walk():
        params = sorted((k, v) for k, v in part.get_params() or [] if k != "boundary")
        item: tuple[object, ...] = (
            part.get_content_type(),
            params,
            part.get_content_disposition(),
            part.get_filename(),
        )
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            content = part.get_content()
            if unix and isinstance(content, str):
                content = ("\n" + content.replace("\r\n", "\n")).replace("\nFrom ", "\n>From ")
                content = content[1:]
            item += (content,)
        found.append(item)
    return found


def assert_wire_sound(raw: bytes) -> None:
    """CRLF line ends only, and no line over RFC 5322's 998 octets."""
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.count(b"\r") == raw.count(b"\r\n")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert raw.endswith(b"\r\n")


def stdlib_body(draft: Draft) -> EmailMessage:
    """The draft's body built by the standard library's own MIME builder."""
    message = EmailMessage(policy=email.policy.SMTP)
    message.set_content(draft.text, subtype="plain", cte="quoted-printable")
    if draft.html is not None:
        message.add_alternative(draft.html, subtype="html", cte="quoted-printable")
    if draft.invite is not None:
        params = {"method": draft.invite.method, "charset": "utf-8"}
        message.add_alternative(
            draft.invite.ics, maintype="text", subtype="calendar", params=params
        )
    for file in draft.attachments:
        maintype, _, subtype = file.mime_type.partition("/")
        message.add_attachment(
            file.content, maintype=maintype, subtype=subtype, filename=file.filename
        )
    return message


# What differs between two writes of one draft: the random boundaries, and
# the Date of a draft without one (the time of writing).
_BOUNDARY = re.compile(rb"=_[0-9a-f]{32}")
_DATE = re.compile(rb"\r\nDate: [^\r]*")


def same_write(raw: bytes) -> bytes:
    """The bytes with what differs between two writes of one draft taken out."""
    return _DATE.sub(b"", _BOUNDARY.sub(b"=_", raw))


@pytest.mark.parametrize(("case", "draft", "extra"), CASES, ids=[c[0] for c in CASES])
def test_bytes_mean_what_the_standard_library_builds(
    case: str, draft: Draft, extra: dict[str, str]
) -> None:
    """Parts equal the stdlib-built body's; to_email() is the bytes read back; the wire is sound."""
    raw = draft.as_bytes(headers=extra)
    assert_wire_sound(raw)
    ours = parse(raw)
    assert parts(parse(stdlib_body(draft).as_bytes())) == parts(ours)
    again = draft.to_email(headers=extra).as_bytes()
    assert same_write(raw) == same_write(again)
    assert headers(parse(again)) == headers(ours)
    assert decoded(parse(again, email.policy.compat32)) == decoded(
        parse(raw, email.policy.compat32)
    )
    assert ours.defects == [] == [d for p in ours.walk() for d in p.defects]
    assert b"secret@" not in raw
    for sub in list(ours.walk())[1:]:  # a part's headers: only its own Content-* ones
        assert sub.get("MIME-Version") is None


@pytest.mark.parametrize("subject", SUBJECTS[:7])
def test_subject_reads_back_exactly(subject: str) -> None:
    """A long subject folds where it may, never right after the colon: no leading space."""
    draft = Draft(subject=subject, text="Hi\n", recipient=NAMES_CONTACT, sender=SAM, date=WHEN)
    raw = draft.as_bytes()
    assert not raw.split(b"\r\nSubject:", 1)[1].startswith(b"\r\n")
    assert subject == parse(raw)["Subject"]


@pytest.mark.parametrize("name", NAMES)
def test_names_read_back_exactly(name: str) -> None:
    """A display name in any script reads back as written (emoji left out of headers)."""
    who = Contact(name=name, email="ana@example.com")
    name = display_name(name)
    draft = Draft(subject="Hi", text="Hi\n", recipient=who, sender=who, date=WHEN)
    parsed = parse(draft.as_bytes())
    old = parse(draft.as_bytes(), email.policy.compat32)
    for header in ("From", "To"):
        exact = name == parsed[header].addresses[0].display_name  # type: ignore[union-attr]
        # Python's address parser puts a space between adjacent encoded words
        # of a long name; decoding the raw header as RFC 2047 says joins them.
        raw = str(email.header.make_header(email.header.decode_header(str(old[header]))))
        assert exact or " ".join(name.split()) in " ".join(raw.split())


def test_text_reads_back_with_its_line_ends() -> None:
    """The text part holds the draft's text, every line end a CRLF, one added at the end."""
    for text in TEXTS:
        draft = Draft(subject="Hi", text=text, recipient=NAMES_CONTACT, sender=SAM)
        content = parse(draft.as_bytes()).get_content()  # type: ignore[attr-defined]
        expected = b"".join(line + b"\r\n" for line in text.encode().splitlines())
        assert (expected or b"\r\n") == content.encode()


def test_boundaries_are_random_and_not_in_the_content() -> None:
    """Each multipart gets its own random boundary, found only on its delimiter lines."""
    draft = next(d for name, d, _ in CASES if name == "everything")
    raw = draft.as_bytes()
    multiparts = [p for p in parse(raw).walk() if p.is_multipart()]
    found = [p.get_boundary() for p in multiparts]
    assert 2 == len(set(found))
    assert found != [p.get_boundary() for p in parse(draft.as_bytes()).walk() if p.is_multipart()]
    for part, boundary in zip(multiparts, found, strict=True):
        assert boundary is not None
        delimiters = len(part.get_payload()) + 1  # one before each part, one to close
        assert delimiters == raw.count(boundary.encode()) - 1  # and once in Content-Type


def test_eml_and_mbox_writers_use_the_one_writer(tmp_path: Path) -> None:
    """Draft.write_eml and bulk's writers write bytes that parse as the draft's message."""
    drafts = [draft for _, draft, _ in CASES[:12]]
    eml = drafts[0].write_eml(tmp_path)
    assert parts(parse(drafts[0].to_email().as_bytes())) == parts(parse(eml.read_bytes()))
    assert 12 == bulk.write_folder(drafts, tmp_path / "out", unsent=True)
    for draft, path in zip(drafts, sorted((tmp_path / "out").iterdir()), strict=True):
        parsed = parse(path.read_bytes())
        assert "1" == parsed["X-Unsent"]
        assert draft.message_id == parsed["Message-ID"]
    assert 12 == bulk.write_drafts_mbox(drafts, tmp_path / "out.mbox")
    box = mailbox.mbox(tmp_path / "out.mbox")
    try:
        stored = [parse(m.as_bytes()) for m in box]
    finally:
        box.close()
    for draft, message in zip(drafts, stored, strict=True):
        assert parts(parse(draft.to_email().as_bytes()), unix=True) == parts(message, unix=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Hi\r\nBcc: x@evil.example"),
        ("subject", "=?utf-8?q?Hi=0D=0ABcc:_x@evil.example?="),
        ("message_id", "<a@b>\r\nBcc: x@evil.example"),
        ("message_id", "no-angles@example.com"),
        ("in_reply_to", "<a@b> <c@d>"),
        ("references", ("<a@b>", "<c@d>\nBcc: x@evil.example")),
    ],
)
def test_message_bytes_checks_what_a_draft_checks(field: str, value: object) -> None:
    """message_bytes, given values no draft checked, refuses what a draft refuses."""
    changes: dict[str, Any] = {field: value}
    with pytest.raises(InfoviewError) as by_draft:
        Draft(**({"subject": "Hi", "text": "Hi", "recipient": SAM, "sender": SAM} | changes))
    args: dict[str, Any] = {"subject": "Hi", "text": "Hi", "sender": SAM, "to": [SAM]}
    with pytest.raises(type(by_draft.value)) as by_writer:
        mail.message_bytes(**(args | changes))
    refused = by_writer.value
    assert getattr(by_draft.value, "value", None) == getattr(refused, "value", None)
    with pytest.raises(HeaderInjectionError):
        mail.message_bytes(**args, headers=[("X-Note", "a\r\nBcc: x@y")])
