"""Bulk outreach: a CSV of contacts to a folder of .eml drafts, one per person.

Writes a small contacts.csv in the current folder (the shape a spreadsheet
exports), imports it, drafts the outreach each contact's source calls for
(alumni, event, cold, …), writes the drafts to outbox/ and prints the report:
how many were drafted, and every row that was not, by its line.

The same from the command line:

    infoview drafts --csv contacts.csv --sender me.json --out outbox/
"""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from infoview import Contact, bulk
from infoview.importers import read_csv

CONTACTS = """\
Name,Email,Company,Title,School,Source,Met at,Reason
Ana García,ana@example.com,Acme Health,Product Manager,State University,alumni,,
Lei Wang,lei@example.com,Shenzhen Robotics,Engineer,,conference,HealthTech Summit 2026,
Zoë Okafor,zoe@example.com,Sunflower Labs,Founder,,cold,,you moved from nursing into product
Priya Nair,,Northwind Health,Clinical Informatics Lead,,cold,,
Bo Chen,bo@example.com,Northwind,Data Engineer,,alumni,,
"""


def main() -> None:
    """Import contacts.csv, draft one email each into outbox/, and report."""
    table = Path("contacts.csv")
    table.write_text(CONTACTS, encoding="utf-8")
    me = Contact(
        name="Sam Rivera",
        email="sam@example.org",
        headline="a nurse exploring health-tech product roles",
        school="State University",
    )

    result = read_csv(table)
    print("Import:", result.summary())

    # No template named: each contact gets the outreach for their source.
    # The Reason column fills outreach/cold's `reason`; "Met at" is the source detail.
    run = bulk.drafts(result, me)
    written = bulk.write_folder(run, "outbox")

    print(f"Wrote {written} drafts to outbox/")
    for problem in run.report.problems:
        print(" ", problem)
    print("Drafting:", run.report.summary())

    for path in sorted(Path("outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        print(f"  {path.name}: {message['To']} | {message['Subject']}")
    assert written == run.report.drafted == 3


if __name__ == "__main__":
    main()
