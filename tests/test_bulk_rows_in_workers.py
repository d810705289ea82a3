"""A CSV read with workers: its rows are made into contacts there and settled here, in order."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from infoview import Contact, Interview, Templates, bulk
from infoview.bulk import drafting
from infoview.errors import SandboxError
from infoview.importers import ImportStream, read_csv, stream_csv

from ._drafting import another_thread

# Every kind of row the reader settles: taken, rejected (bad address, unreadable
# name, injected header), repeated (same address, other case), blank, a bad
# quote (the last row), a multi-line title (joined, with a note), a cell past the header, and an
# unnamed column's cells (a warning at the end). Rows repeat so that several
# chunks of every kind reach the workers.
_KINDS = [
    "Person {n},p{n}@example.com,Product Manager,Acme {n},State University,alumni,why {n},",
    "Bad Address {n},not-an-address,,,State University,alumni,,",
    'Injected {n},"x{n}@example.com\r\nBcc: evil@example.com",,,State University,alumni,,',
    "Repeat {n},P{n}@EXAMPLE.COM,,,State University,alumni,,",
    "",
    'Multi {n},m{n}@example.com,"Senior\nEngineer",,State University,alumni,,x{n}',
    "No School {n},s{n}@example.com,,,,alumni,,",
    "Long {n},l{n}@example.com,,,State University,alumni,,,extra",
]


def _csv(tmp_path: Path, count: int) -> Path:
    lines = ["Name,Email,Title,Organization,School,Source,Why,"]
    for n in range(1, count + 1):
        kind = _KINDS[n % len(_KINDS)]
        lines.append(kind.format(n=n))
        if n % len(_KINDS) == 3:  # repeats the row just before it was meant to repeat
            lines[-1] = _KINDS[3].format(n=n - 3)
    path = tmp_path / "contacts.csv"
    lines.append("Last,last@example.com,,,State University,alumni,,")
    lines.append('Quote,q@example.com,"unclosed,,State University,alumni,,')
    path.write_text("\n".join(lines) + "\n")
    return path


def _content(path: Path) -> bytes:
    """An mbox's bytes less what differs on every run: the separators' times, Date, Message-ID."""
    drop = (b"From MAILER-DAEMON ", b"Date: ", b"Message-ID: ")
    return b"\n".join(line for line in path.read_bytes().split(b"\n") if not line.startswith(drop))


def _run(path: Path, out: Path, sender: Contact, **options: object) -> tuple[object, ...]:
    with stream_csv(path) as stream:
        run = bulk.drafts(stream, sender, template="outreach/alumni", **options)  # type: ignore[arg-type]
        written = bulk.write_drafts_mbox(run, out)
        report = run.report
        counts = (stream.rows, stream.taken, stream.without_email, stream.rejected)
        return written, report, counts, stream.problems, run.workers, run.processed


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_rows_made_in_workers_give_what_one_process_gives(
    tmp_path: Path, sender: Contact, method: str
) -> None:
    """Bytes, counts, problems and their lines: the same, rows made here or in workers."""
    path = _csv(tmp_path, 4 * bulk.CHUNK + 11)
    here = _run(path, tmp_path / "here.mbox", sender, workers=1)
    with another_thread() if method == "forkserver" else contextlib.nullcontext():
        assert method == drafting.start_method()
        there = _run(path, tmp_path / "there.mbox", sender, workers=2)
    assert (1, 2) == (here[4], there[4])
    assert here[:4] == there[:4]
    assert here[5] == there[5]
    assert _content(tmp_path / "here.mbox") == _content(tmp_path / "there.mbox")
    written, report, counts, problems, _, _ = there
    assert written == report.drafted > 40
    says = " ".join(p.message for p in problems)
    assert "same email address as line" in says
    assert "no header" in says  # the unnamed column's warning, once the rows are all read
    assert "joined into one line" in says
    assert any(p.field == "email" and p.rejected for p in problems)
    rows, taken, _, rejected = counts
    assert rows == taken + len(rejected)
    assert b"evil@example.com" not in (tmp_path / "there.mbox").read_bytes()


def test_a_limit_stops_rows_made_in_workers_at_the_same_draft(
    tmp_path: Path, sender: Contact
) -> None:
    """A limit: the same drafts, and the run says it stopped, in one process or several."""
    path = _csv(tmp_path, 4 * bulk.CHUNK)
    here = _run(path, tmp_path / "here.mbox", sender, workers=1, limit=37)
    there = _run(path, tmp_path / "there.mbox", sender, workers=2, limit=37)
    assert 37 == here[0] == there[0]
    assert here[1] == there[1]
    assert there[1].stopped  # type: ignore[attr-defined]
    assert _content(tmp_path / "here.mbox") == _content(tmp_path / "there.mbox")


def test_only_a_table_stream_is_split(tmp_path: Path) -> None:
    """A CSV stream gives its rows unmade; a stream of records read already does not."""
    path = _csv(tmp_path, 20)
    with stream_csv(path) as stream:
        split = stream.split()
        assert split is not None
        made = [split.make(row) for row in split.raw()]
        taken = [split.settle(m) for m in made]
        assert stream.taken == sum(t is not None for t in taken) > 0
        assert stream.rows == len(made)
    assert ImportStream.of(read_csv(path)).split() is None


def test_the_quick_interview_drafts_the_same_bytes_as_the_checked_one(
    tmp_path: Path, sender: Contact
) -> None:
    """Bulk's Interview.between against Interview(contact=, sender=): the same messages."""
    path = _csv(tmp_path, 60)
    quick = _run(path, tmp_path / "quick.mbox", sender, workers=1)
    checked = _run(
        path,
        tmp_path / "checked.mbox",
        sender,
        workers=1,
        interview=lambda c, s: Interview(contact=c, sender=s),
    )
    assert quick[:3] == checked[:3]
    assert _content(tmp_path / "quick.mbox") == _content(tmp_path / "checked.mbox")
    assert quick[0] > 10


def test_rows_made_in_workers_fill_a_folder_with_the_same_files(
    tmp_path: Path, sender: Contact
) -> None:
    """.eml files, named by each draft: the same names and text from one process or several."""
    path = _csv(tmp_path, 3 * bulk.CHUNK)
    written = {}
    for workers in (1, 2):
        with stream_csv(path) as stream:
            run = bulk.drafts(stream, sender, template="outreach/alumni", workers=workers)
            written[workers] = bulk.write_folder(run, tmp_path / str(workers))
    assert written[1] == written[2] > 20
    names = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "2").iterdir())
    for name in names:
        one, two = ((tmp_path / w / name).read_bytes() for w in ("1", "2"))
        assert _content_eml(one) == _content_eml(two)


def _content_eml(data: bytes) -> bytes:
    drop = (b"Date: ", b"Message-ID: ")
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(drop))


# A sandboxed template the sandbox refuses for one row's value only: the run stops there.
REFUSED_FOR_ONE = Templates.from_strings(
    {
        "mine/cold": (
            '{% extends "outreach/cold" %}{% block body %}'
            '{% if reason == "boom" %}{{ contact.__class__ }}{% endif %}{{ super() }}'
            "{% endblock %}"
        )
    },
    sandboxed=True,
)


def test_what_was_drafted_before_a_refusal_is_written(tmp_path: Path, sender: Contact) -> None:
    """Rows are drafted a few at a time, but a refusal at row 70 still leaves rows 1-69 written."""
    lines = ["Name,Email,Reason"]
    lines += [f"P {n},p{n}@example.com,{'boom' if n == 70 else f'r{n}'}" for n in range(1, 101)]
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.mbox"
    with stream_csv(path) as stream:
        run = bulk.drafts(
            stream, sender, template="mine/cold", templates=REFUSED_FOR_ONE, workers=1
        )
        with pytest.raises(SandboxError):
            bulk.write_drafts_mbox(run, out)
    assert 69 == out.read_bytes().count(b"From MAILER-DAEMON ")
    assert b"To: P 69 <p69@example.com>" in out.read_bytes()
