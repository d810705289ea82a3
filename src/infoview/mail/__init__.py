"""Mail: drafts, safe headers, MIME bytes, .eml and mbox files, invites, outboxes.

Owns :class:`~infoview.Draft`, the header checks, the one message writer, the
``.eml`` and mbox writers, calendar invites, and reading an outbox of written
messages back. It imports the model and language, never rendering or sending.
Everything below is public as ``infoview.mail.<name>``.
"""

from infoview.mail.message import (
    Attachment,
    IfExists,
    Invite,
    address,
    append_mbox,
    build_message,
    check_header,
    check_message_id,
    mailto,
    message_bytes,
    new_message_id,
    read_message,
    write_eml,
    write_mbox,
)

__all__ = [
    "Attachment",
    "IfExists",
    "Invite",
    "address",
    "append_mbox",
    "build_message",
    "check_header",
    "check_message_id",
    "mailto",
    "message_bytes",
    "new_message_id",
    "read_message",
    "write_eml",
    "write_mbox",
]
