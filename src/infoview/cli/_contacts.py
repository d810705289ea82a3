"""Commands about many contacts: import them, and draft one message each."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from infoview.cli._app import (
    DATA_PROBLEM,
    DataFailure,
    Failure,
    fail,
    load,
    main,
    pairs,
    settle,
    spoken,
    stderr_is_terminal,
)
from infoview.cli._messages import template_set, templates_option

if TYPE_CHECKING:
    from infoview.bulk import Drafting
    from infoview.importers import ImportResult, ImportStream, Problem

__all__ = ["drafts", "import_contacts"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_FORMATS = ("csv", "linkedin", "vcard", "json")
# Below this many contacts a run is over before a bar would help.
_BAR_FROM = 200
# Without a total, a count of the contacts done: from this many seconds on, this often.
_COUNT_AFTER = 0.5
_COUNT_EVERY = 0.1
# Characters of JSON gathered before each write.
_WRITE_EVERY = 1 << 16

encoding_option = click.option(
    "--encoding", help="The file's encoding (default: UTF-8, else detected and reported)."
)
map_option = click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    callback=pairs,
    help="CSV only: read COLUMN as contact FIELD, e.g. --map Courriel=email; "
    "COLUMN=- skips it (repeatable).",
)
source_option = click.option(
    "--source",
    help="CSV only: the source of rows without a Source cell (alumni, event, cold, …).",
)


def read_contacts(
    form: str, path: Path, encoding: str | None, mapping: dict[str, str], source: str | None
) -> ImportResult:
    """Import a file with the reader for its format; a bad file fails with exit code 2."""
    from infoview import importers  # noqa: PLC0415
    from infoview.errors import InfoviewError  # noqa: PLC0415

    if form != "csv" and (mapping or source):
        raise click.UsageError("--map and --source work with CSV files only")
    try:
        if form == "csv":
            fields = {
                column: field if field not in ("", "-") else None
                for column, field in mapping.items()
            }
            return importers.read_csv(
                path, encoding=encoding, mapping=fields or None, source=source
            )
        if form == "linkedin":
            return importers.read_linkedin(path, encoding=encoding)
        if form == "vcard":
            return importers.read_vcard(path, encoding=encoding)
        return importers.read_json(path)
    except InfoviewError as error:
        fail(error)


def stream_contacts(
    form: str, path: Path, encoding: str | None, mapping: dict[str, str], source: str | None
) -> ImportStream:
    """Open a file for import a row at a time (CSV, LinkedIn), or read it (vCard, JSON)."""
    from infoview import importers  # noqa: PLC0415
    from infoview.errors import InfoviewError  # noqa: PLC0415

    if form not in ("csv", "linkedin"):
        return importers.ImportStream.of(read_contacts(form, path, encoding, mapping, source))
    if form != "csv" and (mapping or source):
        raise click.UsageError("--map and --source work with CSV files only")
    try:
        if form == "linkedin":
            return importers.stream_linkedin(path, encoding=encoding)
        fields = {c: f if f not in ("", "-") else None for c, f in mapping.items()}
        return importers.stream_csv(path, encoding=encoding, mapping=fields or None, source=source)
    except InfoviewError as error:
        fail(error)


def _write_json(stream: ImportStream, write: Callable[[str], object]) -> set[str]:
    """Write the contacts as ``json.dumps(list, indent=2)`` would, one at a time.

    Returns:
        The custom fields the contacts had (the JSON does not keep them).
    """
    from infoview.model.serialize import converter  # noqa: PLC0415

    custom: set[str] = set()
    parts: list[str] = []
    size, first = 0, True
    for record in stream:
        custom.update(record.custom)
        text = json.dumps(converter.unstructure(record.contact), ensure_ascii=False, indent=2)
        # Strings in JSON hold no raw line break: every line break here is indentation.
        parts.append(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
        size += len(parts[-1])
        if size >= _WRITE_EVERY:
            write("".join(parts))
            parts.clear()
            size = 0
    parts.append("[]\n" if first else "\n]\n")
    write("".join(parts))
    return custom


def _write_file(output: Path, write: Callable[[Callable[[str], object]], set[str]]) -> set[str]:
    """Write ``output`` whole or not at all: a new file beside it, then a rename."""
    temporary = output.with_name(f".{output.name}.{secrets.token_hex(6)}.tmp")
    try:
        # Made with mode 0o666 less the umask, as a plain write would.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise Failure(f"{output}: cannot be written ({error.strerror or error})") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            custom = write(file.write)
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return custom


def _report(problems: tuple[Problem, ...], summary: str, *, err: bool) -> None:
    for problem in problems:
        click.echo(spoken(str(problem)), err=err)
    click.echo(summary, err=err)


@main.command("import", short_help="Import contacts from CSV, LinkedIn or vCard as JSON.")
@click.argument("form", metavar="csv|linkedin|vcard", type=click.Choice(_FORMATS[:3]))
@click.argument("file", type=_FILE)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the contacts to this JSON file (default: stdout, the report on stderr).",
)
@encoding_option
@map_option
@source_option
def import_contacts(
    *,
    form: str,
    file: Path,
    output: Path | None,
    encoding: str | None,
    mapping: dict[str, str],
    source: str | None,
) -> None:
    """Import contacts from a CSV file, LinkedIn's Connections.csv or a vCard file.

    Writes the contacts as JSON (read it back with drafts --contacts) and
    reports every row that was not taken, by its line, then the counts:
    rows, contacts taken, how many without email, rejected. Exits 1 when a
    row was rejected.
    """
    if output is not None and output.exists() and output.samefile(file):
        raise Failure(
            f"{output} is the file being imported; give -o another file, so that it is kept"
        )
    with stream_contacts(form, file, encoding, mapping, source) as stream:
        if output is None:
            custom = _write_json(stream, lambda text: click.echo(text, nl=False))
        else:
            custom = _write_file(output, lambda write: _write_json(stream, write))
    _report(stream.problems, stream.summary(), err=output is None)
    if custom:
        click.echo(
            f"Note: the custom columns ({', '.join(sorted(custom))}) are not kept in the JSON; "
            f"draft from the {form} file itself to use them.",
            err=output is None,
        )
    if stream.rejected:
        click.get_current_context().exit(DATA_PROBLEM)


@main.command(short_help="Draft one email per contact, to .eml files or an mbox.")
@click.option("--csv", "csv_file", type=_FILE, help="The contacts, as a CSV file.")
@click.option("--linkedin", "linkedin_file", type=_FILE, help="LinkedIn's Connections.csv.")
@click.option("--vcard", "vcard_file", type=_FILE, help="A vCard (.vcf) file.")
@click.option("--contacts", "json_file", type=_FILE, help="Contacts as JSON (what import writes).")
@click.option(
    "--sender", "sender_file", type=_FILE, required=True, help="You, as a contact in JSON."
)
@click.option(
    "--template",
    help="The template for everyone (default: each contact's outreach, chosen by its source).",
)
@click.option("--locale", help="Write every draft in this locale instead of each contact's.")
@click.option(
    "--set",
    "values",
    multiple=True,
    metavar="KEY=VALUE",
    callback=pairs,
    help="A value for everyone, e.g. --set topic='patient apps'; a contact's own column "
    "of that name wins (repeatable).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="A folder for .eml files, or a FILE.mbox.",
)
@click.option(
    "--unsent", is_flag=True, help="Mark .eml files X-Unsent: 1 (mail programs open them to edit)."
)
@click.option(
    "--attach",
    "attach",
    multiple=True,
    type=_FILE,
    help="Attach FILE to every draft (repeatable); a CSV's Attach or Résumé column "
    "adds each contact's own.",
)
@click.option("--dry-run", is_flag=True, help="Render and report; write nothing.")
@click.option(
    "--show",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --dry-run: print the first N drafts (subject and text).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many drafts.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Draft in this many processes (default: one per core above 1,000 contacts; 1: this one).",
)
@encoding_option
@map_option
@source_option
@templates_option
def drafts(
    *,
    csv_file: Path | None,
    linkedin_file: Path | None,
    vcard_file: Path | None,
    json_file: Path | None,
    sender_file: Path,
    template: str | None,
    locale: str | None,
    values: dict[str, str],
    out: Path | None,
    unsent: bool,
    attach: tuple[Path, ...],
    dry_run: bool,
    show: int | None,
    limit: int | None,
    workers: int | None,
    encoding: str | None,
    mapping: dict[str, str],
    source: str | None,
    folders: tuple[Path, ...],
) -> None:
    """Draft one message per contact, into a folder of .eml files or an mbox.

    Give the contacts with exactly one of --csv, --linkedin, --vcard or
    --contacts. Each contact gets the template's variables from --set and
    from the file's own columns (a "Reason" column fills reason). A template
    variable that nothing gives stops the run before anything is drafted
    (exit 2). A contact that cannot be drafted (no email address, a blank
    value) is reported by its line and the rest go on (exit 1).

    A CSV column named Attach, Attachment or Résumé (or CV) names files to
    attach to that contact's draft, separated by ";", their paths relative
    to the CSV's folder and inside it. Outreach with an attachment is
    drafted with a warning: the guides say to send a résumé only when asked.
    """
    from infoview import bulk  # noqa: PLC0415
    from infoview.model.contact import Contact  # noqa: PLC0415

    settle()  # drafting's modules are loaded: the collector runs again (see _app.settle)
    given = {
        form: path
        for form, path in zip(
            _FORMATS, (csv_file, linkedin_file, vcard_file, json_file), strict=True
        )
        if path is not None
    }
    if len(given) != 1:
        raise click.UsageError(
            "give the contacts with one of --csv, --linkedin, --vcard, --contacts"
        )
    if out is None and not dry_run:
        raise click.UsageError("give --out DIR or --out FILE.mbox (or --dry-run)")
    if show is not None and not dry_run:
        raise click.UsageError("--show prints drafts of a dry run: add --dry-run")
    if unsent and out is not None and out.suffix == ".mbox":
        raise click.UsageError("--unsent marks .eml files; it does not apply to an mbox")
    if out is not None and not dry_run:
        _check_output(out)
    ((form, path),) = given.items()
    # CSV and LinkedIn files are read a row at a time as the drafts are written.
    with contextlib.ExitStack() as stack:
        contacts: ImportResult | ImportStream = (
            stack.enter_context(stream_contacts(form, path, encoding, mapping, source))
            if form in ("csv", "linkedin")
            else read_contacts(form, path, encoding, mapping, source)
        )
        sender = load(sender_file, Contact, "sender")
        run = bulk.drafts(
            contacts,
            sender,
            template=template,
            values=values,
            locale=locale,
            templates=template_set(folders),
            limit=limit,
            workers=workers,
            attach=attach,
            attach_folder=path.parent,
        )
        with _progress(run, stderr_is_terminal()):
            if dry_run or out is None:
                for number, draft in enumerate(run, 1):
                    draft.as_bytes()  # what writing it would refuse, a dry run reports
                    if show is not None and number <= show:
                        click.echo(f"── {number}. {draft.file_stem} " + "─" * 20)
                        click.echo(f"To: {draft.recipient.name if draft.recipient else ''}")
                        click.echo(f"Subject: {draft.subject}\n\n{draft.text.rstrip()}\n")
                done = f"Dry run: {_count(run.drafted, 'draft')} rendered, nothing written."
            elif out.suffix == ".mbox":
                count = bulk.write_drafts_mbox(run, out)
                done = f"Wrote {_count(count, 'message')} to {out}"
            else:
                count = bulk.write_folder(run, out, unsent=unsent)
                done = f"Wrote {_count(count, '.eml file')} to {out}"
    report = run.report
    _report(report.problems, report.summary(), err=False)
    if not run.drafted and not dry_run:
        raise DataFailure(f"no contact could be drafted, so nothing was written to {out}")
    click.echo(done)
    if not report.ok:
        click.get_current_context().exit(DATA_PROBLEM)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _check_output(out: Path) -> None:
    """Refuse an output that holds drafts already: a second run would add copies."""
    if out.suffix == ".mbox":
        if out.is_dir() or (out.exists() and out.stat().st_size > 0):
            raise Failure(f"{out} exists already; choose another file, or remove it first")
        return
    if out.exists() and not out.is_dir():
        raise Failure(f"{out} is a file; give a folder for .eml files, or a name ending .mbox")
    if out.is_dir() and any(out.glob("*.eml")):
        raise Failure(f"{out} holds .eml files already; choose an empty folder, or empty it first")


@contextmanager
def _progress(run: Drafting, show: bool) -> Iterator[None]:
    """Show on stderr, if ``show``, a bar (the total known) or a count of contacts done."""
    if not show:
        yield
        return
    if run.total is not None:
        if run.total < _BAR_FROM:
            yield
            return
        with click.progressbar(length=run.total, label="Drafting", file=sys.stderr) as bar:
            run.on_progress = bar.update
            yield
        return
    shown = [0.0]
    start = time.monotonic()

    def count(_: int) -> None:
        now = time.monotonic()
        # Nothing for a run over in a moment; then about ten times a second.
        if now - start >= _COUNT_AFTER and now - shown[0] >= _COUNT_EVERY:
            shown[0] = now
            click.echo(f"\rDrafting: {run.processed:,} contacts", nl=False, err=True)

    run.on_progress = count
    try:
        yield
    finally:
        if shown[0]:
            click.echo(f"\rDrafting: {run.processed:,} contacts", err=True)
