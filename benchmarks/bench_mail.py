"""Building email messages from Drafts against the standard library's EmailMessage.

The baseline builds an ``email.message.EmailMessage`` by hand with the same
headers and body (From, To, Subject, Date, Message-ID, one text part) and
serializes it; infoview's ``Draft.to_email()`` adds header checks and address
encoding. Prints the ratio (lower is better). Run: ``python benchmarks/bench_mail.py``.
"""

from __future__ import annotations

import sys
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, localtime, make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import best_of, sample_interviews

from infoview import render

COUNT = 2_000


def main() -> None:
    """Time both ways and print the ratio."""
    drafts = [render("outreach/alumni", interview=iv) for iv in sample_interviews(COUNT)]

    def ours() -> None:
        for draft in drafts:
            draft.to_email().as_bytes()

    def stdlib() -> None:
        for draft in drafts:
            message = EmailMessage(policy=SMTP)
            sender, recipient = draft.sender, draft.recipient
            message["From"] = Address(sender.name, addr_spec=sender.email)  # type: ignore[union-attr]
            message["To"] = Address(recipient.name, addr_spec=recipient.email)  # type: ignore[union-attr]
            message["Subject"] = draft.subject
            message["Date"] = format_datetime(localtime())
            message["Message-ID"] = make_msgid(domain="example.org")
            message.set_content(draft.text)
            message.as_bytes()

    t_ours, t_std = best_of(5, ours), best_of(5, stdlib)
    print(f"{COUNT} messages, best of 5 runs")
    print(f"infoview Draft.to_email  {t_ours * 1e6 / COUNT:7.1f} µs/message")
    print(f"stdlib EmailMessage      {t_std * 1e6 / COUNT:7.1f} µs/message")
    print(f"ratio infoview / stdlib: {t_ours / t_std:.2f}")


if __name__ == "__main__":
    main()
