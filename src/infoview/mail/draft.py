"""Drafts: a rendered message, ready to read, edit, send or save."""

from __future__ import annotations

import html as html_lib
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import attrs

from infoview import mail
from infoview.errors import MessageError, ValidationError
from infoview.mail import Attachment, IfExists, Invite
from infoview.mail.message import write_message
from infoview.model.contact import Contact
from infoview.model.interview import Interview

__all__ = ["Draft"]

_HEADERS = {"in_reply_to": "In-Reply-To", "references": "References", "message_id": "Message-ID"}


def _single_line(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    mail.check_header(attribute.name.title(), value)


def _message_ids(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    header = _HEADERS[attribute.name]
    for item in (value,) if isinstance(value, str) else value:
        mail.check_message_id(header, item, owner="Draft")


def _slug(text: str, limit: int = 60) -> str:
    """Return text as a file-name part: letters and digits (ASCII where they fold), '-' between."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if folded.isalnum():  # "í" -> "i", "ﬁ" -> "fi"
            out.append(folded)
        elif char.isalnum():  # a letter with no ASCII form: "李" stays
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out)[:limit].strip("-")


def _message_id(draft: Draft) -> str:
    return mail.new_message_id(draft.sender.email if draft.sender else None)


def _contacts(value: Any) -> tuple[Contact, ...]:
    if value is None:
        return ()
    if isinstance(value, Contact):
        return (value,)
    return tuple(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return tuple(value)


def _invite(value: Invite | bytes | str | None) -> Invite | None:
    if value is None or isinstance(value, Invite):
        return value
    return Invite(value)


@attrs.frozen
class Draft:
    """A rendered message.

    Its header values are checked when it is made (the subject, the
    Message-IDs, file names and the invite; addresses when it is written).
    Writing MIME is left until :meth:`as_bytes` or :meth:`to_email` is
    called. A draft is immutable; :meth:`with_changes` and :meth:`attach`
    return new drafts (with the same Message-ID unless you pass a new one).

    Args:
        subject: The subject line (one line; a line break is refused).
        text: The plain-text body.
        html: The HTML body, or ``None`` for plain-text mail.
        markdown: A Markdown rendering, when the template has one.
        locale: The locale it was written in, e.g. ``"es_MX"``.
        recipient: Whom it goes to.
        sender: Who sends it.
        template: The template it was rendered from.
        cc: People copied (visible to everyone).
        bcc: People blind-copied: they get the message, but no written
            output ever names them (see :attr:`envelope_recipients`).
        attachments: Files to attach.
        in_reply_to: The Message-ID this one answers (threading).
        references: The thread's Message-IDs, oldest first.
        message_id: This message's unique id, fixed when the draft is made.
        date: The Date header; the time of writing when ``None``.
        interview: The interview it is about, if any (for lint and follow-ups).
        invite: A calendar invite to carry next to the text (an
            :class:`~infoview.mail.Invite`, or the bytes of
            :func:`~infoview.calendar_invite` for a ``REQUEST``), which mail
            clients show with Accept and Decline; see
            :func:`~infoview.mail.calendar.invite_draft`.
    """

    subject: str = attrs.field(validator=_single_line)
    text: str
    html: str | None = None
    markdown: str | None = None
    locale: str = "en"
    recipient: Contact | None = None
    sender: Contact | None = None
    template: str | None = None
    cc: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    bcc: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)
    in_reply_to: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_message_ids)
    )
    references: tuple[str, ...] = attrs.field(
        default=(), converter=_strings, validator=_message_ids
    )
    message_id: str = attrs.field(
        default=attrs.Factory(_message_id, takes_self=True), validator=_message_ids
    )
    date: datetime | None = None
    interview: Interview | None = attrs.field(default=None, eq=False, repr=False)
    invite: Invite | None = attrs.field(default=None, converter=_invite)

    @property
    def recipients(self) -> tuple[Contact, ...]:
        """Return everyone who receives it (the recipient, cc and bcc)."""
        to = (self.recipient,) if self.recipient is not None else ()
        return (*to, *self.cc, *self.bcc)

    @property
    def envelope_recipients(self) -> list[str]:
        """Every address to hand to SMTP, blind copies included.

        Pass it as ``to_addrs`` to :meth:`smtplib.SMTP.send_message`: the
        message itself carries no Bcc header.
        """
        return [mail.address(p).addr_spec for p in self.recipients]

    def with_changes(self, **changes: Any) -> Draft:
        """Return a copy with some fields changed (validated like a new draft)."""
        return attrs.evolve(self, **changes)

    def attach(
        self, file: str | Path | bytes, filename: str | None = None, mime_type: str | None = None
    ) -> Draft:
        """Return a copy with a file attached (a path, or bytes plus ``filename``).

        Raises:
            ValidationError: When bytes come without a ``filename``, or the
                name or type is not valid (see :class:`~infoview.mail.Attachment`).
            HeaderInjectionError: When the file name is unsafe in a header.
        """
        if isinstance(file, bytes):
            if not filename:
                raise ValidationError(
                    "Draft",
                    "filename",
                    filename,
                    "attach(bytes) needs the name the recipient sees",
                    "pass filename='invite.ics' (for example) as well",
                )
            found = (
                Attachment(filename, file)
                if mime_type is None
                else (Attachment(filename, file, mime_type))
            )
        else:
            found = Attachment.from_path(file, mime_type)
            if filename:
                found = attrs.evolve(found, filename=filename)
        return self.with_changes(attachments=(*self.attachments, found))

    def as_bytes(self, *, headers: dict[str, str] | None = None) -> bytes:
        """Return the message as sent (CRLF line ends); it never names a Bcc.

        One ``text/plain`` part, or ``multipart/alternative`` with the HTML
        and the invite; attachments make it ``multipart/mixed``. Written by
        infoview's one message writer (as :func:`infoview.mail.message_bytes`
        is), without the checks the draft made when it was made.

        Args:
            headers: Extra headers, such as ``{"Reply-To": "Sam <sam@home.example>"}``
                or ``{"X-Campaign": "spring"}``. Names must be RFC 5322 field
                names. Headers the draft writes itself (From, To, Cc, Subject,
                Date, Message-ID, In-Reply-To, References, MIME-Version,
                ``Content-*``), ``Bcc`` (never written: use ``bcc=``) and
                those only mail servers add (Sender, ``Resent-*``,
                Return-Path, Received, …) are refused; see
                :func:`infoview.mail.message_bytes`.

        Raises:
            HeaderInjectionError: When a header value is unsafe: a line
                break, a control character or an ``=?…?=`` span.
            HeaderNameError: When an extra header's name is malformed or refused.
            MissingValueError: When the sender or recipient has no email address.
            MessageError: When the draft has no subject line (its template gave none).
        """
        if not self.subject.strip():
            where = f"the draft of template {self.template}" if self.template else "the draft"
            raise MessageError(
                where,
                "it has no subject line, so it is not written; give the template "
                "{% block subject %}…{% endblock %} (extend _base/message or a built-in), "
                "or set one with draft.with_changes(subject=…)",
            )
        return write_message(
            subject=self.subject,
            text=self.text,
            html=self.html,
            sender=self.sender,
            to=[self.recipient] if self.recipient is not None else [],
            cc=self.cc,
            date=self.date,
            message_id=self.message_id,
            in_reply_to=self.in_reply_to,
            references=self.references,
            attachments=self.attachments,
            invite=self.invite,
            headers=(headers or {}).items(),
        )

    def to_email(self, *, headers: dict[str, str] | None = None) -> EmailMessage:
        """Return the message as an :class:`email.message.EmailMessage` (SMTP policy).

        It is :meth:`as_bytes` read back with the standard library's parser
        (:func:`infoview.mail.read_message`): ``to_email().as_bytes()`` gives
        those bytes. ``headers`` and the errors raised are those of
        :meth:`as_bytes`.
        """
        return mail.read_message(self.as_bytes(headers=headers))

    def write_eml(self, path: str | Path, *, if_exists: IfExists | None = None) -> Path:
        """Write the message as an ``.eml`` file; return its path.

        Given a folder, the file goes inside it, named after the template and
        the recipient (``outreach-alumni-Ana-Garcia.eml``): letters and digits
        only, so the name never leaves the folder, and at most 60 characters
        each. A name taken already gets a suffix (``…-2.eml``) unless
        ``if_exists`` says otherwise.

        Args:
            path: A file, or an existing folder.
            if_exists: ``"error"``, ``"suffix"`` or ``"overwrite"`` (see
                :func:`infoview.mail.write_eml`); the default is
                ``"suffix"`` in a folder, ``"error"`` for a file.

        Raises:
            OutputExistsError: When the file exists and ``if_exists`` does not
                allow writing it or another name.
        """
        target = Path(path)
        default: IfExists = "error"
        if target.is_dir():
            default = "suffix"
            target = target / f"{self.file_stem}.eml"
        return mail.write_eml(self.as_bytes(), target, if_exists=if_exists or default)

    @property
    def file_stem(self) -> str:
        """The draft's file name without its extension, e.g. ``outreach-alumni-Ana-Garcia``.

        Letters and digits only (folded to ASCII where a letter has an ASCII
        form), ``-`` between words, each part at most 60 characters: it never
        names a folder or leaves one.
        """
        what = _slug(self.template or "") or "draft"
        who = "draft"
        if self.recipient is not None:
            local = (self.recipient.email or "").rpartition("@")[0]
            who = _slug(self.recipient.name) or _slug(local) or "contact"
        return f"{what}-{who}"

    def mailto(self) -> str:
        """Return a ``mailto:`` link that opens this draft in a mail program."""
        to = [self.recipient] if self.recipient is not None else []
        return mail.mailto(to, self.subject, self.text, cc=self.cc, bcc=self.bcc)

    def __repr__(self) -> str:
        """Return a short repr: template, whom, subject, language and the size of each part.

        The text itself is left out (``print(draft)`` shows it), so a list of
        drafts stays readable.
        """

        def short(value: str, most: int = 60) -> str:
            return repr(value if len(value) <= most else value[: most - 1] + "…")

        parts = [f"template={short(self.template or '')}"] if self.template else []
        if self.recipient is not None:
            parts.append(f"to={short(self.recipient.name, 40)}")
        parts += [f"subject={short(self.subject)}", f"locale={self.locale!r}"]
        parts.append(f"text={len(self.text):,} chars")
        parts += [name for name in ("html", "markdown") if getattr(self, name) is not None]
        parts += [
            f"{name}={len(getattr(self, name))}"
            for name in ("cc", "bcc", "attachments")
            if getattr(self, name)
        ]
        if self.invite is not None:
            parts.append("invite")
        return f"Draft({', '.join(parts)})"

    def __str__(self) -> str:
        return f"Subject: {self.subject}\n\n{self.text}"

    def _repr_html_(self) -> str:
        """Show the draft in a notebook: headers and text escaped, HTML in a sandboxed frame."""

        def esc(value: object) -> str:
            return html_lib.escape(str(value), quote=True)

        def who(person: Contact | None) -> str:
            if person is None:
                return "—"
            return esc(f"{person.name} <{person.email}>" if person.email else person.name)

        rows = [("From", who(self.sender)), ("To", who(self.recipient))]
        if self.cc:
            rows.append(("Cc", ", ".join(who(p) for p in self.cc)))
        rows.append(("Subject", esc(self.subject)))
        head = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in rows
        )
        body = f"<pre style='white-space:pre-wrap'>{esc(self.text)}</pre>"
        if self.html is not None:
            body += (
                f"<iframe sandbox='' style='width:100%;min-height:12em;border:1px solid #ccc' "
                f"srcdoc='{esc(self.html)}'></iframe>"
            )
        meta = esc(f"{self.template or 'draft'} · {self.locale}")
        return f"<div><small>{meta}</small><table>{head}</table>{body}</div>"
