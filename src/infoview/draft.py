"""Drafts: a rendered message, ready to read, edit, send or save."""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import attrs

from infoview import mail
from infoview.contact import Contact
from infoview.interview import Interview
from infoview.mail import Attachment

__all__ = ["Draft"]


def _single_line(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    mail.check_header(attribute.name.replace("_", "-").title(), value)


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


@attrs.frozen
class Draft:
    """A rendered message.

    Building MIME is left until :meth:`to_email` is called. A draft is
    immutable; :meth:`with_changes` and :meth:`attach` return new drafts (with
    the same Message-ID unless you pass a new one).

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
        date: The Date header; the time of :meth:`to_email` when ``None``.
        interview: The interview it is about, if any (for lint and follow-ups).
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
        default=None, validator=attrs.validators.optional(_single_line)
    )
    references: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    message_id: str = attrs.field(
        default=attrs.Factory(_message_id, takes_self=True), validator=_single_line
    )
    date: datetime | None = None
    interview: Interview | None = attrs.field(default=None, eq=False, repr=False)

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
        """Return a copy with a file attached (a path, or bytes plus ``filename``)."""
        if isinstance(file, bytes):
            if not filename:
                raise ValueError("attach(bytes): give filename= as well")
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

    def to_email(self, *, headers: dict[str, str] | None = None) -> EmailMessage:
        """Build the :class:`email.message.EmailMessage` (SMTP policy).

        Args:
            headers: Extra headers (each checked for line breaks).

        Raises:
            HeaderInjectionError: When a header value holds a line break.
            MissingValueError: When the sender or recipient has no email address.
        """
        return mail.build_message(
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
            headers=(headers or {}).items(),
        )

    def as_bytes(self) -> bytes:
        """Return the message as sent (CRLF line ends); it never names a Bcc."""
        return self.to_email().as_bytes()

    def write_eml(self, path: str | Path) -> Path:
        """Write the message as an ``.eml`` file; a folder gets a file named after the draft."""
        target = Path(path)
        if target.is_dir():
            name = (self.template or "draft").replace("/", "-")
            who = self.recipient.ascii_name.replace(" ", "_") if self.recipient else "draft"
            target = target / f"{name}-{who}.eml"
        return mail.write_eml(self.to_email(), target)

    def mailto(self) -> str:
        """Return a ``mailto:`` link that opens this draft in a mail program."""
        to = [self.recipient] if self.recipient is not None else []
        return mail.mailto(to, self.subject, self.text, cc=self.cc, bcc=self.bcc)

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
