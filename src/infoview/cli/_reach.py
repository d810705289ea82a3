"""Commands about companies: whom you know at one, and whom to ask first at each target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from infoview.cli._app import main
from infoview.cli._tracker import db_option, opened

if TYPE_CHECKING:
    from infoview.tracker.companies import WarmPath

__all__ = ["at", "targets"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def _one_line(text: str) -> str:
    """A value as one table cell: its line breaks shown, never taken."""
    return " ⏎ ".join(text.splitlines()) if text else ""


def _table(found: list[WarmPath]) -> str:
    rows = [
        {
            "who": _one_line(p.name) + (" (alumni)" if p.alumni else ""),
            "warmth": p.warmth.label,
            "via": _one_line(p.via),
            "as": f"{_one_line(p.company)} ({p.score:.0f})",
        }
        for p in found
    ]
    widths = {c: min(40, max(len(c), *(len(r[c]) for r in rows))) for c in rows[0]}
    out = ["  ".join(c.ljust(widths[c]) for c in widths).rstrip()]
    out.append("  ".join("-" * widths[c] for c in widths))
    for row in rows:
        cells = [
            (row[c][: widths[c] - 1] + "…") if len(row[c]) > widths[c] else row[c] for c in widths
        ]
        out.append(
            "  ".join(cell.ljust(widths[c]) for cell, c in zip(cells, widths, strict=True)).rstrip()
        )
    return "\n".join(out)


@main.command(short_help="Whom you know at a company, warmest path first.")
@click.argument("company")
@json_option
@db_option
def at(company: str, as_json: bool, db: Path | None) -> None:
    """List everyone you know at COMPANY: who works there, who introduced them, alumni.

    The company's name is matched loosely: case, accents, "&"/"and" and the
    legal form (Inc., GmbH, S.A., SARL, S.A. de C.V., …) do not count, and
    a small typo still matches. Warmest first: talked, replied, introduced,
    connected only.
    """
    with opened(db) as tracker:
        found = tracker.at(company)
    if as_json:
        click.echo(json.dumps([p.values() for p in found], ensure_ascii=False, indent=2))
    elif not found:
        click.echo(f"No one known at {_one_line(company)} yet.")
    else:
        click.echo(_table(found))


@main.command(short_help="For each target company, whom to ask first.")
@click.argument("file", type=_FILE)
@json_option
@db_option
def targets(file: Path, as_json: bool, db: Path | None) -> None:
    """Read target companies from FILE and say, for each, whom to ask first.

    FILE holds one company a line, or is a CSV whose header names a company
    column (company, organization, employer, Firma, empresa, entreprise).
    """
    from infoview.tracker.companies import read_targets  # noqa: PLC0415

    names = read_targets(file)
    with opened(db) as tracker:
        found = tracker.targets(names)
    if as_json:
        data = {name: [p.values() for p in paths] for name, paths in found.items()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not names:
        click.echo(f"No companies in {file}.")
        return
    width = min(40, max(len(n) for n in names))
    for name, paths in found.items():
        if paths:
            best = paths[0]
            advice = f"{_one_line(best.name)} ({best.warmth.label}, {_one_line(best.via)})"
            more = len(paths) - 1
            advice += f" and {more} more" if more else ""
        else:
            advice = "nobody yet"
        click.echo(f"{name.ljust(width)}  {advice}")
