"""Companies and warm paths: who you know at a company, and how warm each way in is.

A company's name is written many ways ("ACME Health Inc.", "Acme Health,
S.A.", "Acmé Health GmbH"). :func:`normalize` takes the small differences
out first — case, accents, "&"/"and"/"und"/"et"/"y", punctuation, a few
abbreviations ("Intl") and the legal form in English, German, French and
Spanish ("Inc.", "GmbH", "SARL", "S.A. de C.V.") — and rapidfuzz compares
what is left (:data:`THRESHOLD`), so a typo still matches while "Acme
Wealth" does not.

:func:`paths` lists everyone the tracker knows there: the people who work
there, the people who introduced them or offered to, with how warm each
path is (:class:`Warmth`), warmest first. :func:`another_door` is the "try
another door" routine of today's list.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
import shlex
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
from rapidfuzz import fuzz, process

from infoview.errors import ImportFileError
from infoview.model import _times
from infoview.tracker import plans
from infoview.tracker.store import Store

__all__ = [
    "THRESHOLD",
    "Door",
    "WarmPath",
    "Warmth",
    "another_door",
    "matches",
    "normalize",
    "paths",
    "read_targets",
]

#: The lowest rapidfuzz ratio (0–100) of two normalized names that are taken as one company.
#: Measured on the corpus in tests/test_companies.py: "acme health" against
#: "acme wealth" scores 90.9, a one-letter typo in a two-word name about 95.
THRESHOLD = 93.0

#: Longest company name read (from a file or the command line).
_LONGEST = 300

# The legal forms, as token sequences after normalize's first steps (dots
# dropped, so "S.A." is "sa"). Longer forms come first: "sa de cv" before "sa".
_LEGAL = sorted(
    (
        tuple(form.split())
        for form in (
            # English
            "inc", "incorporated", "llc", "l l c", "ltd", "limited", "plc", "corp",
            "corporation", "co", "company", "lp", "llp", "pllc", "pty ltd", "pty",
            # German
            "gmbh", "ag", "se", "kg", "kgaa", "ohg", "ug", "ev", "gmbh co kg", "ag co kg",
            "mbh", "gbr", "aktiengesellschaft", "gesellschaft mit beschrankter haftung",
            # French
            "sa", "sas", "sasu", "sarl", "eurl", "sca", "snc", "sci",
            # Spanish
            "sl", "slu", "sa de cv", "s de rl", "s de rl de cv", "sapi de cv", "sab de cv",
            "sll", "sc", "ltda", "cia", "sociedad anonima", "sociedad limitada",
            "societe anonyme",
            # Elsewhere, often beside these
            "bv", "nv", "spa", "srl", "ab", "as", "oy",
        )
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_CONNECTORS = frozenset({"and", "und", "et", "y", "e"})
_ABBREVIATIONS = {
    "intl": "international",
    "natl": "national",
    "assoc": "association",
    "assn": "association",
    "grp": "group",
    "hldgs": "holdings",
    "svcs": "services",
    "mgmt": "management",
    "mfg": "manufacturing",
    "bros": "brothers",
    "tech": "technology",
    "technologies": "technology",
    "labs": "laboratories",
    "lab": "laboratories",
    "univ": "university",
}
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")


class Warmth(enum.IntEnum):
    """How warm a way into a company is: the higher, the sooner to ask."""

    CONNECTED = 1  #: Connected only, or written to without an answer.
    INTRODUCED = 2  #: Introduced to you (or offered to be), no answer yet.
    REPLIED = 3  #: They answered you.
    TALKED = 4  #: You have had a conversation.

    @property
    def label(self) -> str:
        """The warmth in words, as the table shows it."""
        return _LABELS[self]


_LABELS = {
    Warmth.CONNECTED: "connected only",
    Warmth.INTRODUCED: "introduced",
    Warmth.REPLIED: "replied",
    Warmth.TALKED: "talked",
}


@attrs.frozen
class WarmPath:
    """One person to ask about a company, and how warm the way through them is.

    Attributes:
        name: Their name.
        who: How the command line names them (their email, else their name).
        warmth: How warm the path is.
        via: How they lead there: ``works there``, ``introduced you to …``,
            ``offered to introduce …``.
        company: The spelling of the company matched (as stored).
        score: How close that spelling is (rapidfuzz ratio of the normalized names, 0–100).
        alumni: They went to your school.
        written_to: Outreach was drafted for them.
    """

    name: str
    who: str
    warmth: Warmth
    via: str
    company: str
    score: float
    alumni: bool = False
    written_to: bool = False

    def values(self) -> dict[str, Any]:
        """The path as plain data (for JSON)."""
        return {
            "name": self.name,
            "who": self.who,
            "warmth": self.warmth.label,
            "via": self.via,
            "company": self.company,
            "score": round(self.score, 1),
            "alumni": self.alumni,
            "written_to": self.written_to,
        }


@attrs.frozen
class Door:
    """Another person to write to at a company where outreach went unanswered.

    Attributes:
        company: The company, as the new person's record spells it.
        name: Whom to write to.
        who: How the command line names them.
        after: Whom you wrote to there without an answer.
        due: Since when the suggestion stands (the wait after the nudge ended).
    """

    company: str
    name: str
    who: str
    after: str
    due: datetime

    @property
    def command(self) -> str:
        """The command that drafts the outreach, safe to paste into a shell."""
        return f"infoview outreach {shlex.quote(self.who)} --out DIR"

    def __str__(self) -> str:
        return (
            f"try another door at {self.company}: {self.name} "
            f"({self.after} has not answered) → {self.command}"
        )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize(name: str) -> str:
    """Return a company name as it is compared: folded, its connectors and legal form gone.

    ``"ACME Health, S.A. de C.V."``, ``"Acme Health GmbH"`` and ``"Acmé
    Health Inc."`` all become ``"acme health"``; ``"Procter & Gamble"`` and
    ``"Procter and Gamble"`` become ``"procter gamble"``. A name that is
    nothing but a legal form keeps it.
    """
    text = _fold(name).replace("&", " and ").replace("+", " and ")
    text = re.sub(r"(?<=\w)[.'’](?=\w)", "", text)  # S.A. → SA., Int'l → Intl
    text = text.replace(".", " ")
    # German written without umlauts ("Mueller") reads as folded with them ("Muller").
    text = re.sub(r"(?<=[a-z])([aou])e", r"\1", text)
    words = [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(text)]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    words = [w for w in words if w not in _CONNECTORS] or words
    stripped = True
    while stripped:
        stripped = False
        for form in _LEGAL:
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                words = words[: -len(form)]
                stripped = True
                break
    return " ".join(words)


class _Names:
    """Spellings of companies, each normalized once, to look many names up in."""

    def __init__(self, names: Iterable[str]) -> None:
        self.spellings = sorted(set(names))
        self.normalized = [normalize(n) for n in self.spellings]

    def find(self, query: str) -> dict[str, float]:
        """The spellings of the same company as ``query``, best first, with their scores.

        Names with numbers match only with the same numbers ("Studio 42" is
        not "Studio 420"), however close the rest.
        """
        wanted = normalize(query)
        if not wanted or not self.spellings:
            return {}
        numbers = _NUMBER.findall(wanted)
        found = process.extract(
            wanted, self.normalized, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None
        )
        pairs = sorted(
            (
                (self.spellings[index], float(score))
                for name, score, index in found
                if _NUMBER.findall(name) == numbers
            ),
            key=lambda pair: (-pair[1], pair[0]),
        )
        return dict(pairs)


def matches(query: str, names: Iterable[str]) -> list[tuple[str, float]]:
    """Return the names that spell the same company as ``query``, best first, with their scores."""
    return list(_Names(names).find(query).items())


def _check_name(company: str, owner: str) -> str:
    from infoview.errors import ValidationError  # noqa: PLC0415 - only on bad input

    if not isinstance(company, str) or not company.strip():
        raise ValidationError(owner, "company", company, "is empty", "give a company's name")
    if len(company) > _LONGEST or "\n" in company or "\r" in company:
        raise ValidationError(
            owner,
            "company",
            company,
            f"is not one line of at most {_LONGEST} characters",
            "give the company's name alone",
        )
    return company.strip()


# -- what the tracker knows -------------------------------------------------------------


@attrs.frozen
class _Person:
    id: int
    name: str
    who: str
    contact: Mapping[str, Any]
    warmth: Warmth
    written_to: bool


def _people(store: Store) -> list[_Person]:
    """Everyone in the tracker with how warm they are."""
    talked: set[int] = set()
    replied: set[int] = set()
    for row in store.read("SELECT person, status FROM interviews"):
        if row["status"] == "completed":
            talked.add(row["person"])
        elif row["status"] == "scheduled":
            replied.add(row["person"])
    for row in store.read(
        "SELECT DISTINCT person, kind FROM steps WHERE kind IN ('completed', 'replied', "
        "'scheduled')"
    ):
        (talked if row["kind"] == "completed" else replied).add(row["person"])
    written = {
        row["person"]
        for row in store.read("SELECT DISTINCT person FROM mail WHERE kind = 'outreach'")
    }
    found = []
    for row in store.read("SELECT id, name, email, contact FROM people ORDER BY id"):
        data = json.loads(row["contact"])
        if row["id"] in talked:
            warmth = Warmth.TALKED
        elif row["id"] in replied:
            warmth = Warmth.REPLIED
        elif data.get("introduced_by") or data.get("source") == "referral":
            warmth = Warmth.INTRODUCED
        else:
            warmth = Warmth.CONNECTED
        found.append(
            _Person(
                row["id"],
                row["name"],
                str(row["email"] or row["name"]),
                data,
                warmth,
                row["id"] in written,
            )
        )
    return found


def _school(store: Store) -> str | None:
    stored = store.setting("sender")
    if stored is None:
        return None
    school = json.loads(stored).get("school")
    return school if isinstance(school, str) and school.strip() else None


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """The model's one identity rule (same_person), on stored records."""
    if a.get("email") and b.get("email"):
        return str(a["email"]).casefold() == str(b["email"]).casefold()
    return bool(a.get("name")) and a.get("name") == b.get("name")


def _referrals(store: Store) -> list[tuple[int, Mapping[str, Any]]]:
    """(who suggested, the person suggested) for every referral in an interview."""
    found: list[tuple[int, Mapping[str, Any]]] = []
    for row in store.read("SELECT person, interview FROM interviews ORDER BY created_at, rowid"):
        for referral in json.loads(row["interview"]).get("referrals") or ():
            person = referral.get("person")
            if isinstance(person, dict):
                found.append((int(row["person"]), person))
    return found


def paths(store: Store, company: str) -> list[WarmPath]:
    """Everyone the tracker knows at ``company``, warmest first.

    The people who work there (their organization matches), the people who
    introduced them, and the people who offered to introduce you to someone
    there. Among paths equally warm, alumni of your school (when the tracker
    knows it: ``infoview me --school``) come first, then the closer spelling.

    Raises:
        ValidationError: ``company`` is empty, or not one line.
    """
    return _paths(store, [_check_name(company, "Tracker.at")])[0]


def paths_each(store: Store, companies: Sequence[str]) -> list[list[WarmPath]]:
    """:func:`paths` for each company, the tracker read once."""
    names = [_check_name(c, "Tracker.targets") for c in companies]
    return _paths(store, names)


def _paths(store: Store, companies: Sequence[str]) -> list[list[WarmPath]]:
    people = _people(store)
    referrals = _referrals(store)
    school = _school(store)
    spellings = {str(p.contact["organization"]) for p in people if p.contact.get("organization")}
    spellings.update(
        str(r["organization"]) for _, r in referrals if isinstance(r.get("organization"), str)
    )
    alumni: set[int] = set()
    if school is not None:
        same = _Names(str(p.contact["school"]) for p in people if p.contact.get("school"))
        schools = same.find(school)
        alumni = {p.id for p in people if p.contact.get("school") in schools}
    names = _Names(spellings)
    return [_company(names.find(company), people, referrals, alumni) for company in companies]


def _company(
    found: Mapping[str, float],
    people: list[_Person],
    referrals: list[tuple[int, Mapping[str, Any]]],
    alumni: set[int],
) -> list[WarmPath]:
    """One company's paths, given the spellings of it found (with their scores)."""
    if not found:
        return []
    by_id = {p.id: p for p in people}
    chosen: dict[Any, WarmPath] = {}

    def take(key: Any, path: WarmPath) -> None:
        if key not in chosen:  # one line per person: working there first, then their referrals
            chosen[key] = path

    def path(person: _Person, via: str, spelling: str) -> WarmPath:
        return WarmPath(
            person.name,
            person.who,
            person.warmth,
            via,
            spelling,
            found[spelling],
            person.id in alumni,
            person.written_to,
        )

    there = [p for p in people if p.contact.get("organization") in found]
    for person in there:
        take(person.id, path(person, "works there", person.contact["organization"]))
    for person in there:
        introducer = person.contact.get("introduced_by")
        if not isinstance(introducer, dict):
            continue
        spelling = person.contact["organization"]
        known = next((p for p in people if _same(p.contact, introducer)), None)
        via = f"introduced you to {person.name}"
        if known is not None:
            take(known.id, path(known, via, spelling))
        else:
            name = str(introducer.get("name") or "")
            who = str(introducer.get("email") or name)
            take(
                ("untracked", who),
                WarmPath(name, who, Warmth.INTRODUCED, via, spelling, found[spelling]),
            )
    for by, suggested in referrals:
        spelling = suggested.get("organization")
        if isinstance(spelling, str) and spelling in found and by in by_id:
            take(by, path(by_id[by], f"offered to introduce {suggested.get('name')}", spelling))
    return sorted(chosen.values(), key=lambda p: (-p.warmth, not p.alumni, -p.score, _fold(p.name)))


# -- another door -----------------------------------------------------------------------


def another_door(store: Store, rows: Iterable[Any], now: datetime) -> list[Door]:
    """Suggest a second person where outreach had no answer after its nudge, one per company.

    A company gets a suggestion when everyone written to there has gone
    unanswered past the wait after the nudge (their ``no_response`` plan row
    is due, or they were marked so) and no one there has answered: then the
    warmest person there not yet written to, with an email address.

    Args:
        store: The tracker's file.
        rows: The open plan rows (:func:`~infoview.tracker.plans.open_rows`).
        now: The time of the list.
    """
    waited: dict[int, datetime] = {}
    for row in rows:
        due = datetime.fromisoformat(row["due"])
        if row["kind"] == plans.GIVE_UP and _times.utc(due) <= _times.utc(now):
            waited[row["person"]] = min(due, waited.get(row["person"], due), key=_times.utc)
    for row in store.read("SELECT person, updated_at FROM interviews WHERE status = 'no_response'"):
        waited.setdefault(row["person"], datetime.fromisoformat(row["updated_at"]))
    if not waited:
        return []
    people = _people(store)
    names = _Names(str(p.contact["organization"]) for p in people if p.contact.get("organization"))
    doors: list[Door] = []
    done: set[str] = set()
    for person in sorted((p for p in people if p.id in waited), key=lambda p: waited[p.id]):
        spelling = person.contact.get("organization")
        if not spelling or normalize(spelling) in done:
            continue
        done.add(normalize(spelling))
        same = names.find(spelling)
        there = [p for p in people if p.contact.get("organization") in same]
        if any(p.warmth >= Warmth.REPLIED for p in there):
            continue  # someone there answered: that is the way in
        if any(p.written_to and p.id not in waited for p in there):
            continue  # a door is already open there: one at a time
        fresh = [p for p in there if not p.written_to and p.contact.get("email")]
        if fresh:
            best = min(fresh, key=lambda p: (-p.warmth, p.id))
            doors.append(
                Door(
                    best.contact["organization"],
                    best.name,
                    best.who,
                    person.name,
                    waited[person.id],
                )
            )
    return doors


# -- a list of target companies ---------------------------------------------------------

#: Header names of the company column in a CSV of targets (compared folded).
COMPANY_COLUMNS = ("company", "organization", "organisation", "employer", "firma", "empresa",
                   "entreprise", "unternehmen", "société", "societe")  # fmt: skip


def read_targets(path: str | Path) -> list[str]:
    """Read target companies: one a line, or a CSV whose header names a company column.

    Blank lines and lines beginning with ``#`` are skipped; a company named
    twice is kept once (the first spelling).

    Raises:
        ImportFileError: The file cannot be read, is not UTF-8, or a name is
            longer than a company's name can be or holds a line break (a
            quoted CSV cell); the message names its line.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(str(file), "is not UTF-8 text", "save it as UTF-8") from None
    except OSError as error:
        raise ImportFileError(
            str(file), f"cannot be read ({error.strerror or error})", "check the path"
        ) from None
    lines = text.splitlines()
    header = next((n for n, line in enumerate(lines) if line.strip()), None)
    column = None
    if header is not None:
        cells = [_fold(c).strip() for c in next(csv.reader([lines[header]]))]
        column = next((cells.index(c) for c in COMPANY_COLUMNS if c in cells), None)
    found: list[tuple[int, str]] = []
    if column is not None and header is not None:
        reader = csv.reader(io.StringIO("\n".join(lines[header + 1 :])))
        for number, cells in enumerate(reader, header + 2):
            if len(cells) > column and cells[column].strip():
                found.append((number, cells[column].strip()))
    else:
        found = [
            (n, line.strip())
            for n, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    companies: list[str] = []
    seen: set[str] = set()
    for number, name in found:
        if len(name) > _LONGEST or "\n" in name or "\r" in name:
            raise ImportFileError(
                str(file),
                f"line {number} holds more than one company's name on one line "
                f"(a line break, or more than {_LONGEST} characters)",
                "give one company's name a line",
            )
        key = normalize(name)
        if key not in seen:
            seen.add(key)
            companies.append(name)
    return companies
