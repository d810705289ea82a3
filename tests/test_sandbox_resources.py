"""Sandboxed mode bounds memory, time and depth: every resource bomb ends quickly as SandboxError.

Each payload of ``tests/data/sandbox_resource_payloads.txt`` is rendered in a
child process of ``tests/_sandbox_runner.py`` (its address space capped, so a
broken bound cannot take the machine down), which reports what it raised, how
long the render took and how far its peak memory rose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
CORPUS = HERE / "data" / "sandbox_resource_payloads.txt"
PAYLOADS = [
    line
    for line in CORPUS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
SECONDS = 5
PEAK_MB = 200

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the runner forks and reads /proc"
)


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    """Run the whole corpus once, in child processes, and index the reports by payload."""
    done = subprocess.run(
        [sys.executable, str(HERE / "_sandbox_runner.py"), str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=HERE.parent,
    )
    found = [json.loads(line) for line in done.stdout.splitlines()]
    return {report["payload"]: report for report in found}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bomb_ends_quickly_as_sandbox_error(
    reports: dict[str, dict[str, Any]], payload: str
) -> None:
    """The payload is refused with SandboxError, in under 5 s and 200 MB of peak memory."""
    report = reports[payload]
    assert "SandboxError" == report["error"], report["reason"]
    assert report["seconds"] < SECONDS
    assert report["peak_mb"] < PEAK_MB
    assert "refused by the sandbox" in report["reason"]


def test_corpus_covers_the_issue() -> None:
    """The corpus keeps the payloads issue 8 names."""
    for needle in (
        "{% set y=[x]*40000 %}{{ y|join|length }}",
        "|sum(start=[])",
        '{% include "untrusted" %}',
        '{% extends "untrusted" %}',
        "2 ** 64 ** 64",
        "(9 ** 9) ** (9 ** 9)",
        "lipsum",
        "cycler",
        "{% filter upper %}",
    ):
        assert any(needle in payload for payload in PAYLOADS), needle
