"""Sending: drafts and written messages to an SMTP server, each exactly once.

Owns the SMTP connection (TLS, login, retries), the journal that records each
message before and after the server takes it, and :func:`~infoview.send`. It
imports the model and mail.
"""

from infoview.sending.delivery import (
    Backoff,
    Outcome,
    Rate,
    Report,
    Result,
    SendError,
    SMTPSettings,
    mark_requested,
    send,
)

__all__ = [
    "Backoff",
    "Outcome",
    "Rate",
    "Report",
    "Result",
    "SMTPSettings",
    "SendError",
    "mark_requested",
    "send",
]
