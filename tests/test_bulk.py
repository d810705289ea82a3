"""Bulk drafting: the up-front check, per-row problems, streaming, and the two writers."""

from __future__ import annotations

import email
import gc
import itertools
import json
import mailbox
import os
import signal
import tracemalloc
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path

import pytest

from infoview import Contact, Interview, Source, Templates, bulk
from infoview.bulk import MissingColumnError, drafting
from infoview.errors import InfoviewError, UnknownTemplateError, ValidationError, WorkerError
from infoview.importers import ImportedContact, read_csv, stream_csv

from ._drafting import another_thread

DATA = Path(__file__).parent / "data" / "import"

# Like outreach/cold, but the body always prints ``why``: a variable it needs.
NEEDS_WHY = Templates.from_strings(
    {
        "mine/cold": (
            '{% extends "outreach/cold" %}'
            "{% block body %}I'm writing because {{ why }}.\n{{ super() }}{% endblock %}"
        )
    }
)


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _read_mbox(path: Path) -> list[mailbox.mboxMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        return list(box)
    finally:
        box.close()


def _people(count: int | None = None) -> Iterator[ImportedContact]:
    numbers = itertools.count(1) if count is None else range(1, count + 1)
    for n in numbers:
        contact = Contact(
            name=f"Person {n}",
            email=f"p{n}@example.com",
            school="State University",
            source=Source.ALUMNI,
        )
        yield ImportedContact(contact, n + 1, {"reason": f"reason {n}"}, row=n)


def test_one_draft_per_good_row_and_a_problem_per_bad_one(sender: Contact) -> None:
    """Good rows are drafted; a row without email or school is a problem with its line."""
    run = bulk.drafts(read_csv(DATA / "contacts_comma.csv"), sender, template="outreach/alumni")
    drafts = list(run)
    assert ["ana@example.com"] == [d.recipient.email for d in drafts if d.recipient]
    report = run.report
    assert (1, 1) == (report.drafted, report.skipped)
    assert [(5, "school"), (6, "school"), (7, "school"), (8, "email")] == [
        (p.line, p.field) for p in report.problems
    ]
    assert (5, 6, 7, 8) == report.failed
    assert not report.ok
    assert "1 drafted, 1 without email, 4 rows with problems (lines 5, 6, 7, 8)" == (
        report.summary()
    )
    assert "fill it in" in report.problems[0].message


def test_import_problems_join_the_report_by_line(sender: Contact) -> None:
    """Rows the import rejected and rows drafting could not do come out together, by line."""
    result = read_csv(DATA / "hostile.csv")
    run = bulk.drafts(result, sender, template="outreach/cold")
    list(run)
    lines = [p.line for p in run.report.problems]
    assert sorted(lines) == lines
    assert set(result.rejected) <= set(run.report.failed)


def test_automatic_choice_by_source(sender: Contact) -> None:
    """Without a template each contact gets the outreach for its source."""
    run = bulk.drafts(read_csv(DATA / "contacts_comma.csv"), sender)
    assert ["outreach/alumni", "outreach/social"] == [d.template for d in run]
    assert "outreach/warm" in run.templates_used


def test_custom_columns_fill_the_template(tmp_path: Path, sender: Contact) -> None:
    """A Why column fills why; a blank cell falls back to the shared value."""
    path = _table(
        tmp_path,
        "Name,Email,Why\n"
        "Ana García,ana@example.com,you moved from nursing into product\n"
        "Lei Wang,lei@example.com,\n",
    )
    run = bulk.drafts(
        read_csv(path),
        sender,
        template="mine/cold",
        templates=NEEDS_WHY,
        values={"why": "you lead a clinical data team"},
    )
    texts = [d.text for d in run]
    assert "because you moved from nursing into product." in texts[0]
    assert "because you lead a clinical data team." in texts[1]


def test_missing_column_fails_before_drafting(tmp_path: Path, sender: Contact) -> None:
    """A variable no column, shared value or model gives fails at once, naming it."""
    path = _table(tmp_path, "Name,Email\nAna García,ana@example.com\n")
    with pytest.raises(MissingColumnError) as caught:
        bulk.drafts(read_csv(path), sender, template="mine/cold", templates=NEEDS_WHY)
    assert ("why",) == caught.value.missing
    assert "mine/cold" == caught.value.template
    assert "add a column named 'why'" in str(caught.value)
    assert isinstance(caught.value, InfoviewError | LookupError)


def test_optional_variables_need_no_column(sender: Contact) -> None:
    """Built-in outreach reads reason, topic, mutual only if given: nothing is required."""
    assert frozenset() == bulk.needed("outreach/cold")
    assert frozenset({"reason"}) == bulk.needed("outreach/cold", optional=True)
    assert frozenset({"why"}) == bulk.needed("mine/cold", NEEDS_WHY)
    assert frozenset({"why", "reason"}) == bulk.needed("mine/cold", NEEDS_WHY, optional=True)


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"reasn": "typo"}, "'reasn' is read by no template"),
        ({"interview": "x"}, "'interview' is made for each contact"),
    ],
)
def test_shared_values_are_checked(sender: Contact, values: dict[str, str], words: str) -> None:
    """A shared value no template reads (a typo) or one infoview makes is refused."""
    with pytest.raises(ValidationError, match=words):
        bulk.drafts([], sender, template="outreach/cold", values=values)


def test_sender_needs_an_email_and_the_template_must_exist(sender: Contact) -> None:
    """The drafts are from the sender, and an unknown template fails up front."""
    with pytest.raises(ValidationError, match="sender"):
        bulk.drafts([], Contact(name="Sam"), template="outreach/cold")
    with pytest.raises(UnknownTemplateError):
        bulk.drafts([], sender, template="outreach/alumnus")


def test_streams_and_stops_at_the_limit(sender: Contact) -> None:
    """An endless source is fine: drafts come one at a time and stop at the limit."""
    run = bulk.drafts(_people(), sender, template="outreach/alumni", limit=3)
    assert run.total is None
    assert ["Person 1", "Person 2", "Person 3"] == [d.recipient.name for d in run if d.recipient]
    assert run.report.stopped
    assert run.report.summary().endswith("; stopped at the limit")
    with pytest.raises(RuntimeError, match="once"):
        iter(run)


def test_plain_contacts_are_numbered(sender: Contact) -> None:
    """Plain contacts are taken too; a problem's line is the contact's position."""
    people = [Contact(name="Ana", email="ana@example.com"), Contact(name="Bo")]
    run = bulk.drafts(people, sender, template="outreach/cold")
    assert 1 == len(list(run))
    assert [(2, "email")] == [(p.line, p.field) for p in run.report.problems]


def test_write_folder_writes_parseable_unique_files(tmp_path: Path, sender: Contact) -> None:
    """Each draft is one .eml file with a safe, numbered name; the files parse back."""
    people = [Contact(name="../../etc/passwd", email=f"x{n}@example.com") for n in range(3)]
    outbox = tmp_path / "outbox"
    count = bulk.write_folder(bulk.drafts(people, sender, template="outreach/cold"), outbox)
    names = sorted(p.name for p in outbox.iterdir())
    assert 3 == count
    assert [f"000{n}-outreach-cold-etc-passwd.eml" for n in (1, 2, 3)] == names
    for n, name in enumerate(names):
        message = email.message_from_bytes((outbox / name).read_bytes(), policy=policy.default)
        assert f"x{n}@example.com" in message["To"]
        assert message["X-Unsent"] is None


def test_write_folder_can_mark_unsent(tmp_path: Path, sender: Contact) -> None:
    """unsent=True writes X-Unsent: 1, so mail programs open the file as a draft."""
    people = [Contact(name="Ana García", email="ana@example.com")]
    bulk.write_folder(bulk.drafts(people, sender, template="outreach/cold"), tmp_path, unsent=True)
    (path,) = tmp_path.glob("*.eml")
    assert "1" == email.message_from_bytes(path.read_bytes(), policy=policy.default)["X-Unsent"]


def test_write_drafts_mbox_reads_back_with_the_standard_library(
    tmp_path: Path, sender: Contact
) -> None:
    """Every draft is one message of the mbox, even when a body line starts with 'From '."""
    templates = Templates.from_strings(
        {"mine/from": "{% block subject %}Hello{% endblock %}\n\nFrom {{ contact.name }}, hi.\n"}
    )
    people = [Contact(name=f"Person {n}", email=f"p{n}@example.com") for n in range(5)]
    run = bulk.drafts(people, sender, template="mine/from", templates=templates)
    assert 5 == bulk.write_drafts_mbox(run, tmp_path / "out.mbox")
    messages = _read_mbox(tmp_path / "out.mbox")
    assert [f"Person {n} <p{n}@example.com>" for n in range(5)] == [m["To"] for m in messages]
    assert all("Hello" == m["Subject"] for m in messages)
    assert all(">From Person" in m.get_payload() for m in messages)


def test_the_old_name_write_mbox_still_works_with_a_warning(
    tmp_path: Path, sender: Contact
) -> None:
    """bulk.write_mbox, the old name of write_drafts_mbox, warns and writes the same."""
    with pytest.warns(DeprecationWarning, match="bulk.write_drafts_mbox"):
        old = bulk.write_mbox
    with pytest.warns(DeprecationWarning, match="next release"):
        from infoview.bulk import write_mbox
    assert bulk.write_drafts_mbox is old is write_mbox
    people = [Contact(name="Ana García", email="ana@example.com")]
    assert 1 == old(bulk.drafts(people, sender, template="outreach/cold"), tmp_path / "o.mbox")
    with pytest.raises(AttributeError, match="write_mbox2"):
        bulk.write_mbox2  # noqa: B018


def test_memory_does_not_grow_with_the_count(tmp_path: Path, sender: Contact) -> None:
    """Drafting into an mbox holds one draft at a time: 300 more drafts keep nothing."""
    run = bulk.drafts(_people(600), sender, template="outreach/alumni")
    stream = iter(run)
    out = tmp_path / "many.mbox"
    # Warm the caches (templates, locale data, the last 256 names taken apart) while
    # tracing, so an entry a bounded cache replaces later counts as freed.
    tracemalloc.start()
    try:
        bulk.write_drafts_mbox(itertools.islice(stream, 300), out)
        gc.collect()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        written = bulk.write_drafts_mbox(stream, out)
        peak = tracemalloc.get_traced_memory()[1] - before
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert (300, 600) == (written, len(_read_mbox(out)))
    assert kept < 50_000, f"{kept:,} bytes kept after 300 drafts"
    assert peak < 2_000_000, f"{peak:,} bytes at the peak of 300 drafts"


# ------------------------------------------------------------ worker processes


def _parsed(path: Path) -> list[tuple[str, str, bytes]]:
    return [
        (str(m["To"]), str(m["Subject"]), bytes(m.get_payload(decode=True)))
        for m in _read_mbox(path)
    ]


Parsed = list[tuple[str, str, bytes]]


def _both(
    tmp_path: Path, make: Callable[..., bulk.Drafting]
) -> tuple[Parsed, Parsed, bulk.BulkReport, bulk.BulkReport]:
    """Write one mbox serially and one over 2 workers; return the messages and reports."""
    out = []
    for workers in (1, 2):
        run = make(workers=workers)
        assert workers == run.workers
        path = tmp_path / f"w{workers}.mbox"
        assert run.drafted == 0
        bulk.write_drafts_mbox(run, path)
        out.append((_parsed(path), run.report))
    (serial, serial_report), (parallel, parallel_report) = out
    return serial, parallel, serial_report, parallel_report


@pytest.mark.parametrize(
    "name", sorted(p.name for p in DATA.glob("*.csv") if not p.name.startswith("linkedin"))
)
def test_workers_write_what_one_process_writes(tmp_path: Path, sender: Contact, name: str) -> None:
    """Every CSV of the corpus: the same messages in the same order, the same report."""
    result = read_csv(DATA / name)
    serial, parallel, one, two = _both(
        tmp_path, lambda **o: bulk.drafts(result, sender, template="outreach/cold", **o)
    )
    assert serial == parallel
    assert one == two


def test_workers_on_a_large_file_keep_order_and_problems(tmp_path: Path, sender: Contact) -> None:
    """1,200 rows, some without email, one hostile: same mbox and report; order kept."""
    rows = ["Name,Email,School,Source,Reason"]
    for n in range(1, 1201):
        mail = "" if n % 97 == 0 else f"p{n}@example.com"
        school = "" if n % 131 == 0 else "State University"
        rows.append(f"Person {n},{mail},{school},alumni,reason {n}")
    rows.append("\"=cmd|' /C calc'!A0\r\nBcc: x@evil.example\",evil@example.com,U,alumni,x")
    result = read_csv(_table(tmp_path, "\n".join(rows) + "\n"))
    serial, parallel, one, two = _both(tmp_path, lambda **o: bulk.drafts(result, sender, **o))
    assert serial == parallel
    assert one == two
    assert one.drafted == len(serial) > 1000
    assert [m[0] for m in parallel] == [m[0] for m in serial]
    assert [f"Person {n} <p{n}@example.com>" for n in (1, 2, 3)] == [m[0] for m in parallel[:3]]
    assert 98 in one.failed  # line 98 is person 97, without email
    assert all("Bcc" not in m[0] for m in parallel)
    assert 1202 in two.failed, two.problems[-1]  # the hostile row, by its line


def test_workers_stop_at_the_limit_and_fill_a_folder(tmp_path: Path, sender: Contact) -> None:
    """A limit stops both paths at the same draft; a folder gets the same files."""
    run = bulk.drafts(list(_people(300)), sender, template="outreach/alumni", workers=2, limit=120)
    assert 120 == bulk.write_folder(run, tmp_path / "two", unsent=True)
    assert run.report.stopped
    assert (120, 120) == (run.drafted, run.processed)
    serial = bulk.drafts(list(_people(300)), sender, template="outreach/alumni", limit=120)
    bulk.write_folder(serial, tmp_path / "one", unsent=True)
    names = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "one").iterdir())
    message = email.message_from_bytes((tmp_path / "two" / names[-1]).read_bytes())
    assert ("1", "p120@example.com") == (message["X-Unsent"], message["To"].split("<")[1][:-1])


def test_workers_default_and_check(sender: Contact) -> None:
    """Known small runs draft here; larger ones and streams may use a worker per core."""
    small = [Contact(name=f"P {n}", email=f"p{n}@example.com") for n in range(bulk.PARALLEL_FROM)]
    assert 1 == bulk.drafts(small, sender, template="outreach/alumni").workers
    large = [*small, small[0]]
    assert drafting.cores() == bulk.drafts(large, sender, template="outreach/alumni").workers
    assert drafting.cores() == bulk.drafts(_people(), sender, template="outreach/alumni").workers
    with pytest.raises(ValidationError, match="workers"):
        bulk.drafts([], sender, template="outreach/cold", workers=0)


def _content(path: Path) -> bytes:
    """An mbox's bytes less what differs on every run: the separators' times, Date, Message-ID."""
    drop = (b"From MAILER-DAEMON ", b"Date: ", b"Message-ID: ")
    return b"\n".join(line for line in path.read_bytes().split(b"\n") if not line.startswith(drop))


def test_workers_write_the_same_bytes_in_the_same_order(tmp_path: Path, sender: Contact) -> None:
    """Here, in two workers, and a stream handed to workers past PARALLEL_FROM: the same bytes."""
    count = bulk.PARALLEL_FROM + 2 * bulk.CHUNK + 7
    runs = {
        "here": bulk.drafts(list(_people(count)), sender, workers=1),
        "two": bulk.drafts(list(_people(count)), sender, workers=2),
        "stream": bulk.drafts(_people(count), sender),
    }
    found = {}
    for name, run in runs.items():
        assert count == bulk.write_drafts_mbox(run, tmp_path / f"{name}.mbox")
        found[name] = _content(tmp_path / f"{name}.mbox")
    assert found["here"] == found["two"] == found["stream"]
    assert (1, 2, drafting.cores()) == tuple(run.workers for run in runs.values())
    assert f"To: Person {count} <p{count}@example.com>".encode() in found["here"]
    messages = _read_mbox(tmp_path / "stream.mbox")
    assert [f"p{n}@example.com" for n in range(1, count + 1)] == [
        str(m["To"]).split("<")[1][:-1] for m in messages
    ]


def test_a_threaded_process_drafts_in_forkserver_workers(tmp_path: Path, sender: Contact) -> None:
    """With other threads running, workers come from the forkserver: the same bytes in order."""
    count = 3 * bulk.CHUNK + 7
    here = bulk.drafts(list(_people(count)), sender, workers=1)
    bulk.write_drafts_mbox(here, tmp_path / "here.mbox")
    with another_thread():
        assert "forkserver" == drafting.start_method()
        run = bulk.drafts(list(_people(count)), sender, workers=2)
        assert count == bulk.write_drafts_mbox(run, tmp_path / "forkserver.mbox")
        assert 2 == run.workers
        mine = bulk.drafts(
            list(_people(count)),
            sender,
            workers=2,
            template="mine/cold",
            templates=NEEDS_WHY,
            values={"why": "x"},
        )
        assert count == bulk.write_drafts_mbox(mine, tmp_path / "mine.mbox")
        assert 1 == mine.workers  # a template set of its own does not pickle: drafted here
    assert _content(tmp_path / "here.mbox") == _content(tmp_path / "forkserver.mbox")


def test_texts_in_several_languages_reach_the_workers(tmp_path: Path, sender: Contact) -> None:
    """Contacts and a sender with a headline in two languages: sent to workers, drafted the same."""
    headline = {"en": "a nurse", "de": "eine Pflegefachkraft"}
    me = sender.with_changes(headline=headline)
    people = [
        ImportedContact(r.contact.with_changes(headline=headline), r.line, r.custom, row=r.row)
        for r in _people(3 * bulk.CHUNK)
    ]
    found = []
    for workers, method in ((1, "fork"), (2, "fork"), (2, "forkserver")):
        path = tmp_path / f"{workers}-{method}.mbox"
        if method == "fork":
            bulk.write_drafts_mbox(bulk.drafts(people, me, workers=workers), path)
        else:
            with another_thread():
                bulk.write_drafts_mbox(bulk.drafts(people, me, workers=workers), path)
        found.append(_content(path))
    assert found[0] == found[1] == found[2]
    assert b"a nurse" in found[0]


def test_a_generator_is_read_a_few_chunks_ahead(tmp_path: Path, sender: Contact) -> None:
    """An endless source with workers: read as the drafts go, never listed."""
    pulled = []

    def people() -> Iterator[ImportedContact]:
        for record in _people():
            pulled.append(record.line)
            yield record

    run = bulk.drafts(people(), sender, template="outreach/alumni", workers=2, limit=300)
    assert 300 == bulk.write_drafts_mbox(run, tmp_path / "out.mbox")
    assert run.report.stopped
    assert 300 <= len(pulled) <= 300 + (2 * 2 + 1) * bulk.CHUNK


def test_an_import_stream_takes_bounded_memory(tmp_path: Path, sender: Contact) -> None:
    """20,000 rows streamed from a CSV file to an mbox: a few MB at the peak, never the list."""
    count = 20_000
    lines = ["Name,Email,School,Source"]
    lines += [f"Person {n},p{n}@example.com,State University,alumni" for n in range(count)]
    path = _table(tmp_path, "\n".join(lines) + "\n")
    short = Templates.from_strings({"mine/short": "{% block subject %}Hi{% endblock %}\n\nHi."})
    bulk.write_drafts_mbox(
        bulk.drafts(_people(5), sender, templates=short, template="mine/short"),
        tmp_path / "warm.mbox",
    )
    gc.collect()
    tracemalloc.start()
    try:
        with stream_csv(path) as stream:
            run = bulk.drafts(stream, sender, templates=short, template="mine/short", workers=1)
            written = bulk.write_drafts_mbox(run, tmp_path / "out.mbox")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (count, count) == (written, stream.taken)
    # Listed, 20,000 checked contacts alone would take about 30 MB.
    assert peak < 5_000_000, f"{peak:,} bytes at the peak of {count:,} rows"


def _killed_at_150(contact: Contact, sender: Contact) -> Interview:
    if contact.name == "Person 150":
        os.kill(os.getpid(), signal.SIGKILL)
    return Interview(contact=contact, sender=sender)


def test_a_killed_worker_stops_the_run_with_the_count_written(
    tmp_path: Path, sender: Contact
) -> None:
    """A worker killed mid-run: WorkerError counting the files written whole, in order."""
    run = bulk.drafts(
        list(_people(2000)), sender, template="outreach/alumni", interview=_killed_at_150, workers=2
    )
    with pytest.raises(WorkerError, match="killed by signal 9") as info:
        bulk.write_folder(run, tmp_path / "out")
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == info.value.drafted == run.drafted < 149
    for number, file in enumerate(written, 1):
        message = email.message_from_bytes(file.read_bytes(), policy=policy.default)
        assert f"p{number}@example.com" in str(message["To"])


def test_command_line_workers(tmp_path: Path, sender: Contact) -> None:
    """--workers 1 drafts in one process, --workers 2 in two: the same mbox and report."""
    from click.testing import CliRunner

    from infoview import converter
    from infoview.cli import main

    me = tmp_path / "me.json"
    me.write_text(json.dumps(converter.unstructure(sender)), encoding="utf-8")
    rows = [f"Person {n},{'' if n == 7 else f'p{n}@example.com'},U,alumni" for n in range(1, 130)]
    table = _table(tmp_path, "Name,Email,School,Source\n" + "\n".join(rows) + "\n")
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.mbox"
        args = ["drafts", "--csv", table, "--sender", me, "--out", out, "--workers", workers]
        result = CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")
        assert 1 == result.exit_code, result.output
        outputs.append((result.output.replace(str(out), "OUT"), _parsed(out)))
    assert outputs[0] == outputs[1]
    assert "line 8" in outputs[0][0]
    assert "128 drafted, 1 without email" in outputs[0][0]


def test_what_templates_read_is_parsed_only_when_needed(
    sender: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without shared values or custom cells, no template is parsed for what it reads."""
    parsed: list[str] = []
    variables = Templates.variables

    def counted(self: Templates, name: str) -> frozenset[str]:
        parsed.append(name)
        return variables(self, name)

    monkeypatch.setattr(Templates, "variables", counted)
    people = [Contact(name=f"P {n}", email=f"p{n}@example.com") for n in range(3)]
    run = bulk.drafts(people, sender)
    assert 3 == len(list(run))
    assert [] == parsed
    assert set(run.templates_used) == set(run._plan.wanted)
    with_reason = [ImportedContact(people[0], 2, {"reason": "your talk", "hobby": "x"}, row=1)]
    drafts = list(bulk.drafts(with_reason, sender, template="outreach/cold"))
    assert ["outreach/cold"] == parsed
    assert "your talk" in drafts[0].text
    with pytest.raises(KeyError):
        _ = run._plan.wanted["outreach/nonsense"]
