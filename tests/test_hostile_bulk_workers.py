"""Hostile rows checked in bulk drafting's worker processes: refused there as they are here."""

from __future__ import annotations

import csv
import email
import io
from email import policy
from pathlib import Path

from infoview import Contact, bulk
from infoview.importers import stream_csv

# Cells an attacker fills: each row is refused (and named) or drafted to its own address only.
_HOSTILE = [
    ("Eve\r\nBcc: victim@example.com", "eve1@example.com", "x"),
    ("=?utf-8?b?RXZlDQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?=", "eve2@example.com", "x"),
    ("Eve Null", "eve3@example.com", "Acme\x00Corp"),
    ("Eve Long", "eve4@example.com", "A" * 100_000),
    ("Eve Tab", "eve5@example.com\tBcc: victim@example.com", "x"),
    ("Eve Bidi\u202e", "eve6@example.com", "x"),
    ("Robert'); DROP TABLE contacts;--", "eve7@example.com", "Acme"),
    ("Eve Two", "eve8@example.com, victim@example.com", "x"),
]


def _file(tmp_path: Path, count: int) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", "Organization", "School", "Source"])
    for n in range(count):
        if n % 5 == 0:
            name, address, organization = _HOSTILE[(n // 5) % len(_HOSTILE)]
            writer.writerow([name, address.replace("@", f"+{n}@", 1), organization, "U", "alumni"])
        else:
            writer.writerow([f"Person {n}", f"p{n}@example.com", "Acme", "U", "alumni"])
    path = tmp_path / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _messages(path: Path) -> list[email.message.EmailMessage]:
    parts = path.read_bytes().split(b"\nFrom MAILER-DAEMON ")
    return [
        email.message_from_bytes(part.split(b"\n", 1)[1], policy=policy.default)  # type: ignore[misc]
        for part in parts
    ]


def test_hostile_rows_are_refused_in_workers_as_in_one_process(
    tmp_path: Path, sender: Contact
) -> None:
    """Same refusals, lines and messages; no message goes to anyone but its own row's address."""
    path = _file(tmp_path, 4 * bulk.CHUNK)
    found = {}
    for workers in (1, 2):
        out = tmp_path / f"{workers}.mbox"
        with stream_csv(path) as stream:
            run = bulk.drafts(stream, sender, template="outreach/alumni", workers=workers)
            written = bulk.write_drafts_mbox(run, out)
            found[workers] = (written, [(p.line, p.field, p.rejected) for p in run.report.problems])
        messages = _messages(out)
        assert written == len(messages)
        for message in messages:
            assert message["Bcc"] is None
            assert message["Cc"] is None
            (to,) = message["To"].addresses
            assert to.addr_spec.startswith(("p", "eve4+", "eve7+"))
            assert "victim" not in str(message)
    assert found[1] == found[2]
    refused = [field for _, field, rejected in found[2][1] if rejected]
    kinds = [(n // 5) % len(_HOSTILE) for n in range(0, 4 * bulk.CHUNK, 5)]
    # Drafted safely: the long organization (folded encoded words) and the SQL in a name.
    assert len(refused) == sum(kind not in (3, 6) for kind in kinds)
    assert set(refused) == {"name", "email", "organization"}
    assert all(len(line) <= 998 for line in (tmp_path / "2.mbox").read_bytes().split(b"\n"))
