"""Companies and warm paths: one company under many spellings, who to ask first, another door."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infoview import Contact, Source, Tracker
from infoview.errors import ImportFileError
from infoview.tracker import companies
from infoview.tracker.companies import Warmth

START = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday

# (one spelling, another, the same company?) — spellings as they come in
# LinkedIn exports, signatures and company registers.
SAME = [
    ("Acme Health", "ACME Health Inc."),
    ("Acme Health", "Acme Health, S.A."),
    ("Acme Health", "Acme Health GmbH"),
    ("Acme Health", "Acmé Health S.A. de C.V."),
    ("Acme Health", "Acme Health LLC"),
    ("Acme Health", "Acme Health Ltd."),
    ("Acme Health", "acme health, inc"),
    ("Acme Health", "Acme Heath"),  # a typo
    ("Siemens", "Siemens AG"),
    ("Siemens", "Siemens Aktiengesellschaft"),
    ("Allianz", "Allianz SE"),
    ("Bosch", "Robert Bosch GmbH"),  # a miss: another word in front
    ("Müller & Söhne", "Mueller und Soehne GmbH & Co. KG"),
    ("Société Générale", "Societe Generale S.A."),
    ("Capgemini", "Capgemini SE"),
    ("Dassault Systèmes", "Dassault Systemes SA"),
    ("Ubisoft", "Ubisoft Entertainment SA"),  # a miss: another word
    ("Le Petit Atelier", "Le Petit Atelier SARL"),
    ("Blablacar", "BlaBlaCar SAS"),
    ("Telefónica", "Telefonica, S.A."),
    ("Grupo Bimbo", "Grupo Bimbo, S.A.B. de C.V."),
    ("Banco Santander", "Banco Santander S.A."),
    ("Mercado Libre", "MercadoLibre S.R.L."),  # one word or two: the ratio still finds it
    ("Cemex", "CEMEX S.A.B. de C.V."),
    ("Inditex", "Industria de Diseño Textil, S.A."),  # a miss: the acronym
    ("Procter & Gamble", "Procter and Gamble Co."),
    ("Johnson & Johnson", "Johnson and Johnson"),
    ("Barnes & Noble", "Barnes and Noble, Inc."),
    ("International Business Machines", "Int'l Business Machines Corp."),
    ("Acme International", "Acme Intl."),
    ("National Grid", "Nat'l Grid plc"),
    ("The Coca-Cola Company", "Coca Cola"),
    ("L'Oréal", "L'OREAL S.A."),
    ("Ernst & Young", "Ernst and Young LLP"),
    ("Acme Technologies", "Acme Tech Inc."),
    ("Acme Health Services", "Acme Health Svcs."),
]
DIFFERENT = [
    ("Acme Health", "Acme Wealth"),
    ("Acme Health", "Acme Healthcare"),
    ("Acme Health", "Acme"),
    ("Acme Health", "Apex Health"),
    ("Meta", "Beta"),
    ("Siemens", "Siemens Healthineers AG"),
    ("Allianz", "Allianz Global Investors GmbH"),
    ("Banco Santander", "Banco Sabadell"),
    ("Grupo Bimbo", "Grupo Modelo"),
    ("Société Générale", "Générale des Eaux"),
    ("Johnson & Johnson", "Johnson Controls"),
    ("Capgemini", "Capgemini Engineering"),
    ("Ernst & Young", "Young & Rubicam"),
    ("Air France", "Air Liberté"),
    ("Banco de México", "Banco de Chile"),
    ("Deutsche Bank", "Deutsche Bahn"),
    ("Acme Labs", "Apex Labs"),
    ("Nestlé", "Nestlé Purina"),
    ("Company 42", "Company 420"),
    ("Studio 3 GmbH", "Studio 8 GmbH"),
    ("Acme 2020", "Acme 2021"),
]


def test_the_corpus_is_matched_with_no_false_match() -> None:
    """Every pair is counted: the misses are three, listed; no two companies are taken as one."""
    misses = [pair for pair in SAME if not companies.matches(pair[0], [pair[1]])]
    false = [pair for pair in DIFFERENT if companies.matches(pair[0], [pair[1]])]
    expected_misses = [
        ("Bosch", "Robert Bosch GmbH"),
        ("Ubisoft", "Ubisoft Entertainment SA"),
        ("Inditex", "Industria de Diseño Textil, S.A."),
    ]
    assert (expected_misses, []) == (misses, false), f"misses: {misses}; false matches: {false}"


def test_normalize_takes_out_the_legal_form_in_four_languages() -> None:
    """Inc., GmbH, S.A., SARL and S.A. de C.V. go; "&"/"und"/"et"/"y" and accents too."""
    spellings = [
        "ACME Health Inc.",
        "Acme Health GmbH",
        "Acme Health, S.A.",
        "Acme Health SARL",
        "Acmé Health S.A. de C.V.",
        "The Acme Health Company",
    ]
    assert {"acme health"} == {companies.normalize(s) for s in spellings}
    joined = {companies.normalize(s) for s in ("Ab & Cd", "Ab und Cd", "Ab et Cd", "Ab y Cd")}
    assert {"ab cd"} == joined
    assert "inc" == companies.normalize("Inc.")  # a name that is only a legal form keeps it


def me() -> Contact:
    return Contact(
        name="Sam Rivera", email="sam@example.org", school="State University", locale="en_US"
    )


def acme() -> list[Contact]:
    """Four people at Acme Health under three spellings, one elsewhere."""
    lena = Contact(name="Lena Vogel", email="lena@example.net", organization="Other Co")
    return [
        Contact(
            name="Ana García",
            email="ana@example.com",
            organization="ACME Health Inc.",
            source=Source.COLD,
        ),
        Contact(
            name="Ben Ortiz",
            email="ben@example.com",
            organization="Acme Health, S.A.",
            source=Source.REFERRAL,
            introduced_by=lena,
        ),
        Contact(
            name="Cleo Braun",
            email="cleo@example.com",
            organization="Acme Health GmbH",
            school="State University",
            source=Source.ALUMNI,
        ),
        Contact(
            name="Dev Rao",
            email="dev@example.com",
            organization="Acme Health GmbH",
            source=Source.COLD,
        ),
        lena,
        Contact(name="Eve Stone", email="eve@example.com", organization="Acme Wealth Ltd"),
    ]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(tmp_path: Path, clock: Clock) -> Iterator[Tracker]:
    with Tracker(tmp_path / "journey.sqlite", clock=clock) as opened:
        opened.sender = me()
        opened.add(acme(), origin="test")
        yield opened


def test_at_lists_everyone_warmest_first(tracker: Tracker, clock: Clock) -> None:
    """Talked, replied, introduced, then connected; alumni first among equals; typos still match."""
    for draft in tracker.outreach(["dev"]):
        tracker.record(draft)
        tracker.sent(draft.message_id, clock())
    tracker.reply("dev")
    tracker.outreach(["ana"])
    tracker.schedule("ana", clock() + timedelta(days=2))
    clock.advance(days=3)
    tracker.complete("ana", takeaway="Start with the clinical team")
    found = tracker.at("Acme Heath")  # sic
    expected = [
        ("Ana García", Warmth.TALKED, "works there", "ACME Health Inc."),
        ("Dev Rao", Warmth.REPLIED, "works there", "Acme Health GmbH"),
        ("Ben Ortiz", Warmth.INTRODUCED, "works there", "Acme Health, S.A."),
        ("Cleo Braun", Warmth.CONNECTED, "works there", "Acme Health GmbH"),
        ("Lena Vogel", Warmth.CONNECTED, "introduced you to Ben Ortiz", "Acme Health, S.A."),
    ]
    assert expected == [(p.name, p.warmth, p.via, p.company) for p in found]
    assert [False, False, False, True, False] == [p.alumni for p in found]
    assert all(companies.THRESHOLD <= p.score < 100 for p in found)
    assert [] == tracker.at("Acme")


def test_at_on_the_console_script(tracker: Tracker, tmp_path: Path) -> None:
    """`infoview at "Acme Health"` finds the people under three spellings, as a table and JSON."""
    tracker.reply("ben")
    command = Path(sys.executable).parent / "infoview"
    db = str(tracker.path)
    done = subprocess.run(
        [command, "at", "Acme Health", "--db", db],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (0, "") == (done.returncode, done.stderr)
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["who", "warmth", "via", "as"]
    assert lines[2].startswith("Ben Ortiz")
    assert "replied" in lines[2]
    assert 7 == len(lines)  # header, rule, four people, Lena who introduced Ben
    done = subprocess.run(
        [command, "at", "Acme Health", "--json", "--db", db],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    data = json.loads(done.stdout)
    spellings = {row["company"] for row in data}
    assert {"ACME Health Inc.", "Acme Health, S.A.", "Acme Health GmbH"} == spellings
    assert ["replied", "connected only"] == [data[0]["warmth"], data[-1]["warmth"]]
    assert {100.0} == {row["score"] for row in data}


def test_referral_offers_lead_there(tracker: Tracker, clock: Clock) -> None:
    """Someone who offered to introduce you to a person at the company is a path too."""
    tracker.add(Contact(name="Zoe King", email="zoe@example.org", organization="Elsewhere"))
    interview = tracker.interview("zoe")
    interview.suggest(Contact(name="Max Berg", organization="Acme Health SE"), introduce=True)
    with tracker._store.write() as db:  # the referral kept as complete() keeps one
        tracker._save(db, tracker._person("zoe")["id"], interview)
    found = {p.name: p.via for p in tracker.at("acme health")}
    assert "offered to introduce Max Berg" == found["Zoe King"]


def test_targets_say_whom_to_ask_first(tracker: Tracker, tmp_path: Path) -> None:
    """A CSV of targets: per company the warmest path, or nobody yet; duplicates once."""
    tracker.reply("cleo")
    file = tmp_path / "targets.csv"
    file.write_text(
        "Company,Why\nAcme Health GmbH,patient apps\nNobody Corp,\nACME HEALTH,again\n",
        encoding="utf-8",
    )
    assert ["Acme Health GmbH", "Nobody Corp"] == companies.read_targets(file)
    command = Path(sys.executable).parent / "infoview"
    done = subprocess.run(
        [command, "targets", file, "--db", str(tracker.path)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    expected = [
        "Acme Health GmbH  Cleo Braun (replied, works there) and 4 more",
        "Nobody Corp       nobody yet",
    ]
    assert expected == done.stdout.splitlines()
    plain = tmp_path / "targets.txt"
    plain.write_text("# my list\nAcme Health, S.A.\n\nOther Co\n", encoding="utf-8")
    assert ["Acme Health, S.A.", "Other Co"] == companies.read_targets(plain)
    data = tracker.targets(companies.read_targets(plain))
    assert ["Lena Vogel"] == [p.name for p in data["Other Co"]]


def test_targets_refuse_a_file_they_cannot_read(tmp_path: Path) -> None:
    """Not UTF-8, or a line too long for a name: refused, naming the file and the line."""
    file = tmp_path / "t.txt"
    file.write_bytes(b"Acme \xff\n")
    with pytest.raises(ImportFileError, match="UTF-8"):
        companies.read_targets(file)
    file.write_text("x" * 301 + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 1 "):
        companies.read_targets(file)


def waited(tracker: Tracker, clock: Clock, who: str) -> None:
    """Write to ``who``, nudge once, and let the wait after the nudge pass without an answer."""
    for draft in tracker.outreach([who]):
        tracker.record(draft)
        tracker.sent(draft.message_id, clock())
    clock.advance(days=10)
    nudge = tracker.follow_up(who, "nudge")
    tracker.record(nudge)
    tracker.sent(nudge.message_id, clock())
    clock.advance(days=2)
    assert () == tracker.today().doors  # the wait after the nudge is not over
    clock.advance(days=14)  # seven business days, whichever holidays fall in them


def test_another_door_once_per_company(tracker: Tracker, clock: Clock) -> None:
    """No answer after the nudge: one other person at the company, never one written to."""
    waited(tracker, clock, "ana")
    today = tracker.today()
    assert ["no_response"] == [line.kind for line in today]
    (door,) = today.doors
    assert ("Ben Ortiz", "Ana García") == (door.name, door.after)  # introduced: the warmest
    assert "infoview outreach ben@example.com --out DIR" == door.command
    assert str(door) in str(today)
    assert "<td>Ben Ortiz (Acme Health, S.A.)</td>" in today._repr_html_()
    for draft in tracker.outreach(["ben"]):
        tracker.record(draft)
    assert () == tracker.today().doors  # one door at a time
    tracker.no_response("ana")
    assert () == tracker.today().doors


def test_no_other_door_once_someone_there_replied(tracker: Tracker, clock: Clock) -> None:
    """Someone at the company answered: that is the way in, no other door is suggested."""
    waited(tracker, clock, "ana")
    tracker.reply("cleo")
    assert () == tracker.today().doors
