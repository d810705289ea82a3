"""Hostile company names: SQL, line breaks and blanks, in the library and on the console script."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from infoview import Contact, Tracker
from infoview.errors import ImportFileError, ValidationError
from infoview.tracker.companies import read_targets


@pytest.fixture
def tracker(tmp_path: Path) -> Iterator[Tracker]:
    with Tracker(tmp_path / "journey.sqlite") as opened:
        opened.sender = Contact(name="Sam Rivera", email="sam@example.org")
        opened.add(Contact(name="Ana García", email="ana@example.com", organization="Acme Inc."))
        yield opened


def test_sql_and_line_breaks_in_a_company_name(tracker: Tracker, tmp_path: Path) -> None:
    """A name holding SQL is only text; a line break is refused, naming the field."""
    hostile = "Acme'); DROP TABLE people; --"
    tracker.add(Contact(name="Sid Null", email="sid@example.org", organization=hostile))
    assert ["Sid Null"] == [p.name for p in tracker.at(hostile)]
    assert 2 == len(tracker.contacts())
    with pytest.raises(ValidationError, match="company"):
        tracker.at("Acme Health\nDROP TABLE people")
    with pytest.raises(ValidationError, match="company"):
        tracker.at("   ")
    command = Path(sys.executable).parent / "infoview"
    done = subprocess.run(
        [command, "at", "Acme\r\nHealth", "--db", str(tracker.path)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert 2 == done.returncode
    assert lines[-1].startswith("Error: ")
    assert "company" in lines[-1]


def test_hostile_target_files_are_refused_by_line(tmp_path: Path) -> None:
    """A quoted cell with a line break, or a line too long for a name: refused, naming the line."""
    file = tmp_path / "targets.csv"
    file.write_text('Company\nAcme\n"Acme\nDROP TABLE people"\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 3 holds more than one company"):
        read_targets(file)
    file.write_text("Company\n" + "x" * 301 + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 2 "):
        read_targets(file)
    file.write_text("Company\nAcme'); DROP TABLE people; --\n", encoding="utf-8")
    assert ["Acme'); DROP TABLE people; --"] == read_targets(file)


def test_a_name_too_long_is_refused(tracker: Tracker) -> None:
    """More than a name can be: refused, naming the field."""
    with pytest.raises(ValidationError, match="company: is not one line of at most 300"):
        tracker.at("Acme " * 61)
