"""Hostile tiers, countries, subdivisions, cadences and send windows: refused, naming the field."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from infoview import Contact, Policy, ValidationError
from infoview.cli import main
from tests.test_hostile_model import HOSTILE, refused

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("field", ["tier", "country", "subdivision"])
def test_new_contact_fields_refuse_hostile_text(field: str, value: str) -> None:
    """Line breaks, control and bidi characters, encoded words: refused like any one-line field."""
    refused(lambda: Contact(name="Ana García", **{field: value}), "Contact", field)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("D", "country"),
        ("DEUTSCHLANDS", "country"),
        (["DE"], "country"),
        ("ZZ", "country"),
        ("UN", "country"),
        ("ÄÖ", "country"),
        ("BAYERN", "subdivision"),
        (7, "subdivision"),
        ("x" * 33, "tier"),
        ("A\u00a0B\u200b", "tier"),
        (1, "tier"),
        ("_A", "tier"),
    ],
    ids=repr,
)
def test_codes_that_are_not_codes_are_refused(value: Any, field: str) -> None:
    """Each value is refused with the field named and what to do."""
    fields = {"country": "DE", field: value}
    refused(lambda: Contact(name="Ana García", **fields), "Contact", field)


@pytest.mark.parametrize(
    ("tiers", "field"),
    [
        ({"A": timedelta(days=-1)}, "tiers['A']"),
        ({"A": timedelta(hours=3)}, "tiers['A']"),
        ({"A": timedelta(days=100_000)}, "tiers['A']"),
        ({"A": 42}, "tiers['A']"),
        ({"A\nB": timedelta(days=5)}, "tiers"),
        ({"": timedelta(days=5)}, "tiers"),
        ({None: timedelta(days=5)}, "tiers"),
        ([("A", timedelta(days=5))], "tiers"),
    ],
    ids=repr,
)
def test_hostile_cadences_are_refused(tiers: Any, field: str) -> None:
    """A cadence is a span from a day to ten years, for a tier with a short name."""
    refused(lambda: Policy(tiers=tiers), "Policy", field)


@pytest.mark.parametrize(
    "between",
    [(time(10), time(9)), (time(9), time(9)), (time(9),), "09:00-10:00",
     (time(9, tzinfo=ZoneInfo("UTC")), time(10))],
    ids=repr,
)  # fmt: skip
def test_hostile_send_windows_are_refused(between: Any) -> None:
    """The window is two local times, the end after the start."""
    error = refused(
        lambda: Policy().send_time(Contact(name="Ana García"), NOW, between=between),
        "Policy.send_time",
        "between",
    )
    assert isinstance(error, ValidationError)


@pytest.mark.parametrize("item", ["A", "=4w", "A=", "A=4x", "A=-4w", "A=99999w", "A=4w;x"])
def test_hostile_cadence_arguments_are_one_error_line(tmp_path: Path, item: str) -> None:
    """infoview cadence refuses each with one Error: line naming the argument, exit 2."""
    result = CliRunner().invoke(
        main,
        ["cadence", item, "--db", str(tmp_path / "t.sqlite")],
        prog_name="infoview",
        env={"INFOVIEW_NOW": NOW.isoformat()},
    )
    assert 2 == result.exit_code, result.output
    assert 1 == len(result.output.splitlines()), result.output
    assert result.output.startswith(f"Error: {item!r}"), result.output
