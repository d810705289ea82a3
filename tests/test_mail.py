"""Mail: header safety, MIME structure, encodings, Bcc, .eml, mbox and mailto links."""

from __future__ import annotations

import ast
import codecs
import email
import email.policy
import itertools
import mailbox
import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from pathlib import Path
from types import FrameType, SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

import infoview
from infoview import Contact, Draft, HeaderInjectionError, MissingValueError, ValidationError, mail
from infoview.mail import Attachment, _headers
from tests._drafting import BUILTIN_NAMES, sample_interview

PAYLOADS = [
    codecs.decode(line, "unicode_escape")
    for line in (Path(__file__).parent / "data" / "header_injection.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]

SAM = Contact(name="Sam Rivera", email="sam@example.org")
ANA = Contact(name="Ana García", email="ana@example.com")


def parse(message: EmailMessage) -> EmailMessage:
    """Parse what would be sent with the standard library's parser."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_payload_corpus_is_loaded() -> None:
    """The corpus decodes escapes into real line-break characters."""
    assert len(PAYLOADS) >= 15
    assert "Ann\r\nBcc: x@evil.example" in PAYLOADS
    assert "Ann\u2028Bcc: x@evil.example" in PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_refused_everywhere(payload: str) -> None:
    """A line break is refused in names, addresses, subjects, headers and file names."""
    with pytest.raises(HeaderInjectionError) as info:
        Draft(subject=payload, text="Hi")
    assert isinstance(info.value, ValueError)
    assert payload == info.value.value
    with pytest.raises(HeaderInjectionError):
        mail.address(SimpleNamespace(name=payload, email="ann@example.com"))
    with pytest.raises(HeaderInjectionError):
        mail.address(SimpleNamespace(name="Ann", email=f"ann@example.com{payload}"))
    with pytest.raises(HeaderInjectionError):
        Draft(subject="Hi", text="Hi", recipient=ANA, sender=SAM).to_email(
            headers={"X-Note": payload}
        )
    with pytest.raises(HeaderInjectionError):
        Attachment(payload, b"x")
    with pytest.raises(HeaderInjectionError):
        mail.mailto([ANA], subject=payload)
    if any(c in payload.strip() for c in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        with pytest.raises(ValidationError):
            Contact(name=payload, email="ann@example.com")


def test_contact_named_with_bcc_is_refused() -> None:
    """The issue's example: 'Ann\\r\\nBcc: x@evil.example' never becomes a header."""
    with pytest.raises(ValidationError, match="line break"):
        Contact(name="Ann\r\nBcc: x@evil.example", email="ann@example.com")
    sneaky = SimpleNamespace(name="Ann\r\nBcc: x@evil.example", email="ann@example.com")
    with pytest.raises(HeaderInjectionError, match="To"):
        mail.build_message(subject="Hi", text="Hi", sender=SAM, to=[sneaky])


def test_encoded_word_in_a_name_is_refused() -> None:
    """An encoded word spelling CR LF would be decoded into a real header: refused."""
    for name in ("=?utf-8?q?Ann=0D=0ABcc:_x@evil.example?=", "Ann =? not an encoded word ?="):
        tricky = SimpleNamespace(name=name, email="ann@example.com")
        with pytest.raises(HeaderInjectionError, match="encoded word"):
            mail.build_message(subject="Hi", text="Hi", sender=SAM, to=[tricky])
    lone = SimpleNamespace(name="Ann =? is fine alone", email="ann@example.com")
    parsed = parse(mail.build_message(subject="Hi", text="Hi", sender=SAM, to=[lone]))
    assert parsed["Bcc"] is None
    assert lone.name == parsed["To"].addresses[0].display_name


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("José Müller", "Café con José — 20 minutos?"),
        ("李雷", "关于产品经理的问题"),
        ("Zoë 🌻 Park", "Quick question 🌻 about your work"),
        ("Ørjan Nilsen", "Ærlig talt: 20 minutter?"),
        ("O'Brien, Siobhán", 'Subject with "quotes", commas; and: colons'),
        ("A" * 120, "Long " * 40),
    ],
)
def test_names_and_subjects_round_trip(name: str, subject: str) -> None:
    """Display names and subjects in any script parse back intact; addresses stay plain."""
    recipient = Contact(name=name, email="person@example.com")
    draft = Draft(subject=subject, text="Hello 🌻\n", recipient=recipient, sender=SAM)
    raw = draft.to_email().as_bytes()
    raw.decode("ascii")  # SMTP policy: 7-bit headers, encoded words
    assert b"person@example.com" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert subject == parsed["Subject"]
    (to,) = parsed["To"].addresses
    assert name.replace(" 🌻", "") == to.display_name  # an emoji never goes into a header
    assert "person@example.com" == to.addr_spec
    assert "Sam Rivera" == parsed["From"].addresses[0].display_name
    assert parsed["Date"] is not None
    assert parsed["Message-ID"] == draft.message_id
    body = parsed.get_body(("plain",))
    assert body is not None
    assert "Hello 🌻\n" == body.get_content().replace("\r\n", "\n")


def test_international_domain_written_in_idna() -> None:
    """An address at an international domain goes out in IDNA form."""
    person = Contact(name="Jürgen", email="j@münchen.example")
    parsed = parse(Draft(subject="Hi", text="Hi", recipient=person, sender=SAM).to_email())
    assert "j@xn--mnchen-3ya.example" == parsed["To"].addresses[0].addr_spec


def test_plain_text_is_one_part_html_makes_alternative() -> None:
    """One text/plain part, unless there is HTML: then multipart/alternative."""
    plain = Draft(subject="Hi", text="Hi\n", recipient=ANA, sender=SAM).to_email()
    assert "text/plain" == plain.get_content_type()
    assert not plain.is_multipart()
    both = Draft(subject="Hi", text="Hi\n", html="<p>Hi</p>\n", recipient=ANA, sender=SAM)
    parsed = parse(both.to_email())
    assert "multipart/alternative" == parsed.get_content_type()
    assert ["text/plain", "text/html"] == [p.get_content_type() for p in parsed.iter_parts()]


def test_attachments_make_mixed(tmp_path: Path) -> None:
    """Attachments are added as parts with their file names."""
    file = tmp_path / "agenda.pdf"
    file.write_bytes(b"%PDF-1.4 tiny")
    draft = Draft(subject="Hi", text="Hi\n", recipient=ANA, sender=SAM).attach(file)
    draft = draft.attach(b"BEGIN:VCALENDAR", filename="invite.ics")
    parsed = parse(draft.to_email())
    assert "multipart/mixed" == parsed.get_content_type()
    files = {p.get_filename(): p for p in parsed.iter_attachments()}
    assert {"agenda.pdf", "invite.ics"} == set(files)
    assert "application/pdf" == files["agenda.pdf"].get_content_type()
    assert b"%PDF-1.4 tiny" == files["agenda.pdf"].get_content()


def test_bcc_never_written(tmp_path: Path) -> None:
    """Blind copies reach the envelope only: not the message, the .eml or an mbox."""
    secret = Contact(name="CRM Log", email="log@crm.example")
    draft = Draft(subject="Hi", text="Hi\n", recipient=ANA, sender=SAM, cc=[SAM], bcc=[secret])
    raw = draft.as_bytes()
    assert b"crm.example" not in raw
    assert b"Bcc" not in raw
    eml = draft.write_eml(tmp_path / "draft.eml")
    assert b"crm.example" not in eml.read_bytes()
    box = mail.write_mbox([draft.to_email()], tmp_path / "out.mbox")
    assert b"crm.example" not in box.read_bytes()
    assert "log@crm.example" in draft.envelope_recipients
    assert ["ana@example.com", "sam@example.org", "log@crm.example"] == (draft.envelope_recipients)


def test_eml_and_mbox_parse_back(tmp_path: Path) -> None:
    """Written .eml and mbox files parse back to the same headers."""
    interview = sample_interview()
    drafts = [infoview.render(n, interview=interview) for n in ("outreach/alumni", "thank_you")]
    path = drafts[0].write_eml(tmp_path)
    assert path.parent == tmp_path
    assert path.name.endswith(".eml")
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert drafts[0].subject == parsed["Subject"]
    assert b"\r\n" in path.read_bytes()
    box_path = mail.write_mbox((d.to_email() for d in drafts), tmp_path / "drafts.mbox")
    box = mailbox.mbox(box_path)
    try:
        assert [d.subject for d in drafts] == [m["Subject"] for m in box]
    finally:
        box.close()


def test_missing_address_is_a_clear_error() -> None:
    """A recipient without an email address cannot be mailed, and the error says why."""
    no_email = Contact(name="Ana García")
    draft = Draft(subject="Hi", text="Hi", recipient=no_email, sender=SAM)
    with pytest.raises(MissingValueError, match=r"Contact\.email"):
        draft.to_email()


def test_mailto_is_percent_encoded() -> None:
    """A mailto: link encodes subject and body; CRLF line ends; parses back."""
    draft = Draft(
        subject="Café & 20 min?", text="Hi Ana,\n\n100% yes\n", recipient=ANA, sender=SAM, cc=[SAM]
    )
    link = draft.mailto()
    assert link.startswith("mailto:ana@example.com?")
    assert " " not in link
    assert "\n" not in link
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    assert ["Café & 20 min?"] == query["subject"]
    assert ["Hi Ana,\r\n\r\n100% yes"] == query["body"]
    assert ["sam@example.org"] == query["cc"]
    assert "ana@example.com" == unquote(parts.path)


def test_message_ids_unique_across_10000_drafts() -> None:
    """Every draft gets its own Message-ID, in the sender's domain."""
    ids = {Draft(subject="Hi", text="Hi", sender=SAM).message_id for _ in range(10_000)}
    assert 10_000 == len(ids)
    assert all(i.startswith("<") and i.endswith("@example.org>") for i in ids)


def test_nudge_threads_on_original() -> None:
    """A nudge replies on the original: In-Reply-To and References, Re: subject, quote."""
    interview = sample_interview()
    original = infoview.render("outreach/alumni", interview=interview)
    nudge = infoview.render("outreach/nudge", interview=interview, original=original)
    assert original.message_id == nudge.in_reply_to
    assert (original.message_id,) == nudge.references
    assert f"Re: {original.subject}" == nudge.subject
    quoted = nudge.text.split("Sam Rivera wrote:\n", 1)[1]
    assert quoted.startswith("> Dear Ana,\n>\n> I found you through")
    assert "Would you have 20 minutes" in quoted
    parsed = parse(nudge.to_email())
    assert original.message_id == parsed["In-Reply-To"]
    assert original.message_id == parsed["References"]
    second = infoview.render("outreach/nudge", interview=interview, original=nudge)
    assert (original.message_id, nudge.message_id) == second.references


def test_repr_html_is_safe() -> None:
    """The notebook view escapes text and keeps HTML in a sandboxed frame."""
    bo = Contact(name="<b>Bo</b> & Co", email="bo@example.com")
    draft = Draft(
        subject="<script>alert(1)</script>",
        text="<img src=x onerror=alert(1)>",
        html="<p onclick='x'>Hi</p>",
        recipient=bo,
        sender=SAM,
    )
    shown = draft._repr_html_()
    assert "<script>" not in shown
    assert "<img" not in shown
    assert "<b>Bo</b>" not in shown
    assert "&lt;b&gt;Bo&lt;/b&gt; &amp; Co" in shown
    assert "<iframe sandbox=''" in shown
    assert "<p onclick" not in shown


# -- One writer: every message is written once, as bytes --------------------------------------

WHEN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
LOCALES = ("en", "de", "fr", "es")
PDF = Attachment("agenda.pdf", b"%PDF-1.4\n" + bytes(range(256)), "application/pdf")
NOTES = Attachment("notas de Sam.txt", "Café ☕\n".encode(), "text/plain")
# What differs between two writes of one draft: only the random boundaries.
BOUNDARY = re.compile(rb"=_[0-9a-f]{32}")


def meaning(message: Message) -> list[tuple[object, ...]]:
    """Every header, decoded, and every part: type, parameters, disposition, file name, content."""
    found: list[tuple[object, ...]] = []
    for part in message.walk():
        params = sorted((k, v) for k, v in part.get_params() or [] if k != "boundary")
        heads = [(k.lower(), str(v)) for k, v in part.items() if k.lower() != "content-type"]
        item: tuple[object, ...] = (part.get_content_type(), params, heads, part.get_filename())
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            item += (part.get_content(),)
        found.append(item)
    return found


def leaves(draft: Draft) -> list[tuple[str, object]]:
    """The parts a draft's message holds, in order, from the draft's own fields."""
    found: list[tuple[str, object]] = [("text/plain", draft.text)]
    if draft.html is not None:
        found.append(("text/html", draft.html))
    if draft.invite is not None:
        found.append(("text/calendar", draft.invite.ics))
    found += [(a.mime_type, a.content) for a in draft.attachments]
    return found


def read_leaves(message: Message) -> list[tuple[str, object]]:
    """The parts of a parsed message, text with the line ends the draft had."""
    found: list[tuple[str, object]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            found.append((part.get_content_type(), payload.decode().replace("\r\n", "\n")))
        else:
            found.append((part.get_content_type(), payload))
    return found


def variants(draft: Draft, interview: infoview.Interview) -> list[Draft]:
    """The draft plain, with HTML, with files, with an invite, and with all three."""
    html = draft.html if draft.html is not None else "<p>Hola, Ana — café? 🌻</p>\n"
    invite = mail.Invite(infoview.calendar_invite(interview, stamp=WHEN))
    plain = draft.with_changes(html=None, date=WHEN)
    return [
        plain,
        plain.with_changes(html=html),
        plain.with_changes(attachments=(PDF, NOTES)),
        plain.with_changes(invite=invite),
        plain.with_changes(html=html, attachments=(PDF, NOTES), invite=invite),
    ]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_drafts_bytes_read_back_as_to_email(name: str, locale: str) -> None:
    """Every built-in draft: its bytes parse as to_email() and hold the draft's parts."""
    interview = sample_interview()
    draft = infoview.render(name, interview=interview, locale=locale)
    for variant in variants(draft, interview):
        raw = variant.as_bytes()
        message = variant.to_email()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert meaning(parsed) == meaning(message)
        assert BOUNDARY.sub(b"", raw) == BOUNDARY.sub(b"", message.as_bytes())
        expected = [
            (kind, "".join(f"{line}\n" for line in content.splitlines()))
            if isinstance(content, str)
            else (kind, content)
            for kind, content in leaves(variant)
        ]
        assert expected == read_leaves(parsed)
        assert variant.subject == parsed["Subject"]
        assert variant.message_id == parsed["Message-ID"]
        assert parsed.defects == [] == [d for p in parsed.walk() for d in p.defects]


# Calls of the email package that build or change a message's MIME structure.
_BUILDS = {
    "add_alternative",
    "add_attachment",
    "add_header",
    "add_related",
    "attach",
    "make_alternative",
    "make_mixed",
    "make_related",
    "replace_header",
    "set_boundary",
    "set_charset",
    "set_content",
    "set_param",
    "set_payload",
    "set_raw",
    "set_type",
}
_MESSAGE_CLASSES = {"EmailMessage", "MIMEPart", "MIMEText", "MIMEMultipart", "MIMEBase"}
# A header line written out: "Name: value" ending in CRLF.
_HEADER_LINE = re.compile(r"(?m)^[!-9;-~]+: [^\r\n]*\r$")


def _text(node: ast.AST) -> str | None:
    """The text of a string or bytes literal; an f-string's with ``{}`` for each value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
        return node.value if isinstance(node.value, str) else node.value.decode("latin-1")
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _why(node: ast.AST) -> str | None:
    """Why ``node`` writes MIME headers, or None."""
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
        ("email.mime", "email.generator")
    ):
        return f"imports {node.module}"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _BUILDS:
            return f"calls .{func.attr}()"
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return f"makes an {name}" if name in _MESSAGE_CLASSES else None
    text = _text(node)
    if isinstance(node, ast.JoinedStr) and text is not None and "\n" in text:
        pairs = itertools.pairwise(node.values)
        if any(
            isinstance(a, ast.FormattedValue) and str(getattr(b, "value", "")).startswith(": ")
            for a, b in pairs
        ):
            return "formats 'name: value' lines"
    return "holds a header line" if text is not None and _HEADER_LINE.search(text) else None


def _writers(node: ast.AST, where: str) -> Iterator[tuple[str, str]]:
    """Yield (function, why) for every place under ``node`` that writes MIME headers."""
    why = _why(node)
    if why is not None:
        yield where, why
    for child in ast.iter_child_nodes(node):
        scope = where
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = f"{where.removesuffix('.<module>')}.{child.name}"
        yield from _writers(child, scope)


def test_one_place_writes_mime_headers() -> None:
    """Across the package, only the message writer's _head writes header lines.

    attach_invite is the one exception, and a declared one: it changes an
    EmailMessage the caller gives (the calendar part is the writer's own).
    """
    package = Path(infoview.__file__).parent
    found = set()
    for path in sorted(package.rglob("*.py")):
        module = ".".join(("infoview", *path.relative_to(package).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= set(_writers(tree, f"{module}.<module>"))
    expected = {
        ("infoview.mail.message._head", "formats 'name: value' lines"),
        ("infoview.mail.calendar.attach_invite", "calls .make_alternative()"),
        ("infoview.mail.calendar.attach_invite", "calls .attach()"),
    }
    assert expected == found


def _checked(call: Callable[[], object]) -> list[tuple[str, str]]:
    """Every (header, value) check_header ran on while ``call`` ran, traced, in order."""
    code = _headers.check_header.__code__
    seen: list[tuple[str, str]] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code is code:
            seen.append((frame.f_locals["header"], frame.f_locals["value"]))

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return seen


def test_header_values_are_checked_once_per_message() -> None:
    """A draft checks its subject, ids and files when made; writing checks only the rest, once."""
    original = Draft(subject="Hi", text="Hi", recipient=ANA, sender=SAM)
    made: list[Draft] = []
    at_making = _checked(
        lambda: made.append(
            Draft(
                subject="Café?",
                text="Hi\n",
                recipient=ANA,
                sender=SAM,
                cc=[Contact(name="Lin Okafor", email="lin@example.net")],
                in_reply_to=original.message_id,
                references=[original.message_id],
                attachments=[PDF],
            )
        )
    )
    (draft,) = made
    at_writing = _checked(lambda: draft.to_email(headers={"X-Campaign": "spring"}))
    assert {"Subject", "In-Reply-To", "References", "Message-ID"} <= {h for h, _ in at_making}
    assert [
        ("From", "Sam Rivera"),
        ("From", "sam@example.org"),
        ("To", "Ana García"),
        ("To", "ana@example.com"),
        ("Cc", "Lin Okafor"),
        ("Cc", "lin@example.net"),
        ("header name", "X-Campaign"),
        ("X-Campaign", "spring"),
    ] == at_writing
    everything = at_making + at_writing
    assert sorted(set(everything)) == sorted(everything)
