"""Property: text in any Contact field is refused, or renders into exactly the expected headers."""

from __future__ import annotations

import email
import email.header
import email.policy
import mailbox
import tempfile
from email.message import EmailMessage
from pathlib import Path

import attrs
from hypothesis import HealthCheck, event, given, settings, strategies as st

import infoview
from infoview import Draft, mail
from infoview.errors import InfoviewError
from infoview.mail._headers import display_name
from infoview.model import samples

EXPECTED = sorted(
    [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    ]
)
FIELDS = ["name", "title", "organization", "school", "headline", "industry", "source_detail"]
TEMPLATES = ["outreach/cold", "outreach/alumni"]
FRAGMENTS = [
    "\r",
    "\n",
    "\r\n",
    "\u2028",
    "\x85",
    "\t",
    "=?utf-8?q?",
    "=?UTF-8?B?",
    "?=",
    "=?",
    "=0D=0A",
    "%0D%0A",
    "Bcc: evil@x.example",
    "Content-Type: text/html",
    '"',
    "\\",
    ",",
    ";",
    "<",
    ">",
    "@",
    "(",
    ":",
    " ",
    "  ",
    "é",
    "李",
    "🌻",
    "\u202e",
    "\u200b",
    "A" * 300,
    "é" * 120,
    "Ana García",
]
hostile_text = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=8
    ).map("".join),
)
BASE = samples.interview()


def _rfc2047(raw_header: str) -> str:
    return str(email.header.make_header(email.header.decode_header(raw_header)))


def _display_name(raw: bytes, parsed: EmailMessage) -> str:
    """To's display name: Python's reading, or RFC 2047's when it is encoded.

    Python's address parser adds and squeezes spaces in encoded display names.
    """
    name = parsed["To"].addresses[0].display_name
    old = email.message_from_bytes(raw, policy=email.policy.compat32)
    phrase = str(old["To"]).replace("\r\n", "").rsplit("<", 1)[0].strip()
    if phrase.startswith("=?"):
        return _rfc2047(phrase)
    return str(name)


def _render(field: str, text: str, template: str) -> Draft | None:
    try:
        contact = BASE.contact.with_changes(**{field: text})
        interview = attrs.evolve(BASE, contact=contact)
        return infoview.render(template, interview=interview)
    except InfoviewError:
        return None


def _check(draft: Draft, raw: bytes) -> None:
    assert max(len(line) for line in raw.splitlines()) <= 998
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert EXPECTED == sorted(k.lower() for k in parsed)
    assert draft.recipient is not None
    assert display_name(draft.recipient.name) == _display_name(raw, parsed)  # emoji left out
    assert draft.subject.strip() == parsed["Subject"].strip() or (
        draft.subject
        == _rfc2047(str(email.message_from_bytes(raw, policy=email.policy.compat32)["Subject"]))
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=hostile_text, template=st.sampled_from(TEMPLATES))
def test_contact_text_is_refused_or_renders_exact_headers(
    field: str, text: str, template: str
) -> None:
    """Any text in a Contact field: refused (InfoviewError), or exactly the expected headers."""
    draft = _render(field, text, template)
    if draft is None:
        event("refused by the model or the template")
        return
    try:
        message = draft.to_email()
    except InfoviewError:
        event("refused by mail")
        return
    event("built")
    _check(draft, message.as_bytes())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(hostile_text, min_size=1, max_size=3))
def test_written_files_read_back(texts: list[str]) -> None:
    """.eml files and an mbox hold the same messages, read back with mailbox.mbox."""
    drafts = [d for d in (_render("name", t, "outreach/cold") for t in texts) if d is not None]
    with tempfile.TemporaryDirectory() as folder:
        written, messages = [], []
        for draft in drafts:
            try:
                message = draft.to_email()
            except InfoviewError:
                continue
            messages.append(message)
            path = draft.write_eml(Path(folder))
            assert Path(folder) == path.parent
            written.append(path)
            _check(draft, path.read_bytes())
        assert len(set(written)) == len(written)
        box_path = mail.write_mbox(messages, Path(folder) / "out.mbox")
        assert max((len(x) for x in box_path.read_bytes().splitlines()), default=0) <= 998
        box = mailbox.mbox(box_path)
        try:
            stored = list(box)
        finally:
            box.close()
        assert len(messages) == len(stored)
        for message, copy in zip(messages, stored, strict=True):
            assert EXPECTED == sorted(k.lower() for k in copy)
            assert message["Message-ID"] == copy["Message-ID"]
