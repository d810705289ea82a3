"""Bulk drafting: one outreach draft per imported contact, streamed.

:func:`drafts` checks up front that every value the template needs can come
from somewhere: the interview infoview builds for each contact, a shared
value, or a custom column of the file. Then it renders one
:class:`~infoview.Draft` at a time, so 100,000 contacts take no more memory
than one. A contact that cannot be drafted (no email address, a blank value
the template prints) becomes a :class:`~infoview.importers.Problem` with its
line, and the others go on; :attr:`Drafting.report` counts what happened.

The writers stream too: :func:`write_folder` writes one ``.eml`` file per
draft, :func:`write_mbox` appends each to one mbox file; the standard
library reads both back. See docs/importing.md, "Drafting in bulk".

Given a :class:`Drafting`, the writers (and :meth:`Drafting.messages`) draft
a large run (more than 500 contacts, or any run with ``workers`` above 1) in
worker processes, one per core: each renders a chunk of contacts and turns
the drafts into bytes, and the messages are written here in the order of the
file, with the same report as one process would make.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from infoview import mail
from infoview.bulk import _parallel
from infoview.bulk._parallel import InterviewFactory
from infoview.errors import MissingColumnError, ValidationError, WorkerError
from infoview.importers import ImportedContact, ImportResult, Problem
from infoview.language.locales import resolve_locale
from infoview.mail.draft import Draft
from infoview.model.contact import Contact, Source
from infoview.rendering.registry import outreach_template
from infoview.rendering.templating import Templates

__all__ = [
    "MODEL_INPUTS",
    "BulkReport",
    "Drafting",
    "MissingColumnError",
    "drafts",
    "needed",
    "write_folder",
    "write_mbox",
]

#: The names infoview gives every template itself in a bulk run (the
#: interview it builds for each contact, and the people in it).
MODEL_INPUTS = frozenset({"interview", "contact", "sender", "recipient"})

PARALLEL_FROM = 500  #: Runs of more contacts are drafted in worker processes by default.
_CHUNK = 50  # contacts a worker drafts at a time


@attrs.frozen
class BulkReport:
    """What a bulk run did, so far or in all.

    Attributes:
        drafted: How many drafts were made.
        skipped: How many contacts had no email address (each is also a problem).
        problems: Every problem, the import's and the drafting's, by line.
        stopped: ``True`` when the run stopped at its ``limit`` with contacts left.
    """

    drafted: int
    skipped: int
    problems: tuple[Problem, ...]
    stopped: bool = False

    @property
    def failed(self) -> tuple[int, ...]:
        """The lines of the rows that were rejected or could not be drafted."""
        return tuple(sorted({p.line for p in self.problems if p.rejected}))

    @property
    def ok(self) -> bool:
        """``True`` when no row was rejected or left undrafted (warnings aside)."""
        return not self.failed

    def summary(self) -> str:
        """Say in one line what happened.

        ``"3 drafted, 1 without email, 2 rows with problems (lines 4, 7)"``
        """
        text = f"{self.drafted:,} drafted"
        if self.skipped:
            text += f", {self.skipped:,} without email"
        failed = self.failed
        if failed:
            shown = ", ".join(map(str, failed[:10])) + (", …" if len(failed) > 10 else "")
            noun = "row" if len(failed) == 1 else "rows"
            text += (
                f", {len(failed):,} {noun} with problems (line{'s' * (len(failed) > 1)} {shown})"
            )
        warnings = sum(1 for p in self.problems if not p.rejected)
        if warnings:
            text += f", {warnings:,} warning{'s' * (warnings > 1)}"
        if self.stopped:
            text += "; stopped at the limit"
        return text


def needed(
    template: str, templates: Templates | None = None, *, optional: bool = False
) -> frozenset[str]:
    """Return the names a caller must give ``template`` beyond what infoview builds.

    Those are the required inputs of :meth:`Templates.describe
    <infoview.Templates.describe>` less :data:`MODEL_INPUTS`; with
    ``optional``, every name the template reads
    (:meth:`Templates.variables <infoview.Templates.variables>`) less those.

    Raises:
        UnknownTemplateError: No template has that name.
        TemplateError: The template (or one it loads) does not compile.
    """
    templates = templates or Templates()
    if optional:
        return templates.variables(template) - MODEL_INPUTS
    inputs = templates.describe(template).inputs
    return frozenset(i.name for i in inputs if i.required) - MODEL_INPUTS


class Drafting:
    """A bulk run: iterate it for the drafts, one at a time; read :attr:`report` as it goes.

    Made by :func:`drafts`, which has checked the templates already. It can
    be iterated once, for :class:`~infoview.Draft` objects drafted in this
    process, or read once as bytes with :meth:`messages` (what the writers
    do), drafted in :attr:`workers` processes.

    Attributes:
        templates_used: The templates a contact may get, each checked.
        total: How many contacts there are, when known (for a progress bar).
        processed: How many contacts have been handled so far.
        drafted: How many drafts were made so far.
        skipped: How many contacts had no email address so far.
        workers: How many processes :meth:`messages` drafts in (1: this one).
        on_progress: Called with how many more contacts were handled, as they are.
    """

    def __init__(
        self,
        records: Iterable[ImportedContact],
        plan: _parallel.Plan,
        import_problems: tuple[Problem, ...] = (),
        total: int | None = None,
        workers: int = 1,
    ) -> None:
        self._records = records
        self._plan = plan
        self._import_problems = import_problems
        self._problems: list[Problem] = []
        self._started = False
        self._stopped = False
        self.templates_used = tuple(sorted(plan.wanted))
        self.total = total
        self.workers = workers
        self.on_progress: Callable[[int], object] | None = None
        self.processed = self.drafted = self.skipped = 0

    @property
    def report(self) -> BulkReport:
        """The counts and problems so far (all of them once the iteration ends)."""
        by_line = heapq.merge(self._import_problems, self._problems, key=lambda p: p.line)
        return BulkReport(self.drafted, self.skipped, tuple(by_line), self._stopped)

    def __iter__(self) -> Iterator[Draft]:
        self._begin()
        return self._run()

    def messages(
        self, headers: dict[str, str] | None = None, *, stems: bool = False
    ) -> Iterator[tuple[str, bytes]]:
        """Yield each draft as ``(file stem, bytes as sent)``, in order; the report as iterating.

        With :attr:`workers` above 1 the drafts are rendered and turned into
        bytes in that many worker processes, a few chunks of contacts at a
        time; the messages, counts and problems are those of one process.

        Args:
            headers: Extra headers for every message (see :meth:`Draft.as_bytes
                <infoview.Draft.as_bytes>`).
            stems: Give each draft's :attr:`~infoview.Draft.file_stem` (else ``""``).

        Raises:
            WorkerError: A worker process died mid-run (it counts the drafts yielded before).
        """
        self._begin()
        if self.workers == 1:
            return (
                (d.file_stem if stems else "", d.as_bytes(headers=headers)) for d in self._run()
            )
        return self._run_parallel((self._plan, headers, stems))

    def _begin(self) -> None:
        if self._started:
            raise RuntimeError("a Drafting can be iterated once; call bulk.drafts() again")
        self._started = True

    def _run(self) -> Iterator[Draft]:
        for record in self._records:
            if self._full():
                return
            draft = _parallel.attempt(self._plan, record.contact, record.custom)
            self._account(record, draft, 1)
            if not isinstance(draft, _parallel.Failure):
                yield draft

    def _run_parallel(self, job: _parallel.Job) -> Iterator[tuple[str, bytes]]:
        workers = self.workers
        if self.total is not None:
            workers = max(1, min(workers, -(-self.total // _CHUNK)))
        items: Iterable[Any] = ((r, (r.contact, dict(r.custom))) for r in self._records)
        # The first is drafted here: what it loads is then loaded for every worker.
        first = list(itertools.islice(items, 1))
        here = [([r for r, _ in first], _parallel.serialize(job, [s for _, s in first]))]
        if self.total is not None:  # all in memory already: forked workers need nothing sent
            items = list(items)
        done = _parallel.ordered(items, _parallel.serialize, job, workers=workers, chunk=_CHUNK)
        try:
            for chunk, results in itertools.chain(here, done):
                for record, result in zip(chunk, results, strict=True):
                    if self._full():
                        return
                    self._account(record, result, 0)
                    if not isinstance(result, _parallel.Failure):
                        yield result
                if self.on_progress is not None:
                    self.on_progress(len(chunk))
        except WorkerError as exc:  # each draft yielded was written before the next was asked
            raise WorkerError(exc.pid, exc.ended, self.drafted) from None

    def _full(self) -> bool:
        """Say whether the run is at its limit (with contacts left: it stops)."""
        if self._plan.limit is not None and self.drafted >= self._plan.limit:
            self._stopped = True
        return self._stopped

    def _account(self, record: ImportedContact, result: object, progress: int) -> None:
        """Count one contact's outcome, a draft or a problem (kept)."""
        self.processed += 1
        if progress and self.on_progress is not None:
            self.on_progress(progress)
        if isinstance(result, _parallel.Failure):
            self.skipped += result.skipped
            problem = Problem(record.line, result.field, result.message, row=record.row or None)
            self._problems.append(problem)
        else:
            self.drafted += 1


def _records(source: Iterable[ImportedContact | Contact]) -> Iterator[ImportedContact]:
    for number, item in enumerate(source, 1):
        if isinstance(item, Contact):
            yield ImportedContact(item, number, row=number)
        else:
            yield item


def drafts(
    source: ImportResult | Iterable[ImportedContact | Contact],
    sender: Contact,
    *,
    template: str | None = None,
    values: Mapping[str, Any] | None = None,
    columns: Iterable[str] | None = None,
    locale: str | None = None,
    templates: Templates | None = None,
    interview: InterviewFactory | None = None,
    limit: int | None = None,
    workers: int | None = None,
) -> Drafting:
    """Start a bulk run: one draft per contact, rendered as you iterate.

    Each contact gets ``Interview(contact=contact, sender=sender)`` (or what
    ``interview`` makes) and the template's other variables from ``values``
    (one value for everyone) and its custom fields (``record.custom``: a
    ``Reason`` column fills ``reason``), a non-blank cell winning over the
    shared value. Only the names the template reads are passed.

    Before anything is drafted, every template a contact may get (``template``,
    or each outreach template :func:`infoview.outreach_template` can choose)
    is checked: a variable it needs that is neither built by infoview
    (:data:`MODEL_INPUTS`), nor a shared value, nor a column raises
    :class:`~infoview.MissingColumnError` at once.

    Args:
        source: An :class:`~infoview.importers.ImportResult` (its problems
            join the report), or contacts, plain or as imported records
            (a plain contact's "line" is its position, from 1).
        sender: You; the drafts are from this contact, who needs an email address.
        template: The template for everyone; ``None`` picks each contact's
            outreach template by its source.
        values: Shared values by variable name, e.g. ``{"topic": "patient apps"}``.
        columns: The custom columns the contacts have; by default those of
            the import result (or of the records, when ``source`` is a list or
            tuple).
        locale: Write every draft in this locale instead of each contact's.
        templates: The template set (default: the built-ins).
        interview: Makes the interview for a contact and the sender.
        limit: Stop after this many drafts.
        workers: How many processes the writers (and :meth:`Drafting.messages`)
            draft in; ``None``: one per core for more than
            :data:`PARALLEL_FROM` contacts, else 1. Iterating the run for
            :class:`~infoview.Draft` objects always drafts in this process.

    Returns:
        A :class:`Drafting`: iterate it for the drafts; its ``report`` counts them.

    Raises:
        MissingColumnError: A template needs a value nothing gives.
        ValidationError: The sender has no email address, a shared value is
            read by no template, ``locale`` is no locale, or ``limit`` or
            ``workers`` is below 1.
        UnknownTemplateError: ``template`` names no template.
        TemplateError: A template does not compile.
    """
    templates = templates or Templates()
    shared = dict(values or {})
    if not isinstance(sender, Contact) or not sender.email:
        raise ValidationError(
            "drafts", "sender", sender, "has no email address", "the drafts are from them"
        )
    if limit is not None and limit < 1:
        raise ValidationError("drafts", "limit", limit, "is below 1", "pass 1 or more, or None")
    if workers is not None and workers < 1:
        raise ValidationError("drafts", "workers", workers, "is below 1", "pass 1 or more, or None")
    if locale is not None:
        resolve_locale(locale)  # no locale at all fails here, not once for every contact
    if clash := sorted(MODEL_INPUTS & set(shared)):
        raise ValidationError(
            "drafts",
            "values",
            clash[0],
            f"{clash[0]!r} is made for each contact",
            "leave it out of values",
        )
    records = source.records if isinstance(source, ImportResult) else source
    total = len(records) if isinstance(records, list | tuple) else None
    if columns is None and isinstance(source, ImportResult):
        columns = _columns(source)
    elif columns is None and isinstance(records, list | tuple):
        columns = {k for r in records if isinstance(r, ImportedContact) for k in r.custom}
    names = [template] if template is not None else sorted({outreach_template(s) for s in Source})
    for name in names:
        _check(name, templates, set(columns or ()), shared)
    # What each template reads is worked out (by parsing it) only once a value may be passed.
    wanted = _parallel.Reads(templates, names, MODEL_INPUTS)
    reads = set().union(*wanted.values()) if shared else set()
    if unused := sorted(set(shared) - reads):
        raise ValidationError(
            "drafts",
            "values",
            unused[0],
            f"{unused[0]!r} is read by no template of this run ({', '.join(names)})",
            f"check the spelling; they read: {', '.join(sorted(reads)) or 'only the interview'}",
        )
    given = {name: {k: v for k, v in shared.items() if k in wanted[name]} for name in names}
    factory = interview or _parallel.default_interview
    plan = _parallel.Plan(
        sender, template, shared, wanted, locale, templates, factory, limit, given
    )
    if workers is None:
        workers = _parallel.cores() if (total or 0) > PARALLEL_FROM else 1
    if workers > 1 and not _parallel.can_ship(plan):
        workers = 1  # spawned workers need the plan pickled: templates from strings may not be
    problems = source.problems if isinstance(source, ImportResult) else ()
    return Drafting(_records(records), plan, problems, total, workers)


def _columns(result: ImportResult) -> set[str]:
    fields = {field.name for field in attrs.fields(Contact)}
    known = {name for name in result.columns.values() if name not in fields}
    known.update(k for record in result.records for k in record.custom)
    return known


def _check(name: str, templates: Templates, columns: set[str], shared: Mapping[str, Any]) -> None:
    """Raise if ``name`` does not compile, or needs what nothing gives."""
    templates.get_template(name)  # an unknown name or a syntax error fails here
    missing = needed(name, templates) - columns - set(shared)
    if missing:
        raise MissingColumnError(name, missing, columns)


# ------------------------------------------------------------------ writers


def file_name(draft: Draft, number: int) -> str:
    """Return the ``.eml`` file name of the ``number``-th draft of a run.

    ``0007-outreach-alumni-Ana-Garcia.eml``: the number keeps names unique
    and in order; the rest is :attr:`Draft.file_stem <infoview.Draft.file_stem>`,
    letters, digits and ``-`` only, so it never leaves the folder.
    """
    return f"{number:04d}-{draft.file_stem}.eml"


def write_folder(
    drafts: Drafting | Iterable[Draft], folder: str | Path, *, unsent: bool = False
) -> int:
    """Write each draft as an ``.eml`` file in ``folder`` (created if needed); return how many.

    Files are numbered in order (``0001-outreach-alumni-Ana-Garcia.eml``); a
    name taken already gets a suffix, so nothing is overwritten.

    Args:
        drafts: The drafts, e.g. a :class:`Drafting` (drafted in its
            :attr:`~Drafting.workers` processes).
        folder: Where to write them.
        unsent: Mark each file ``X-Unsent: 1``, so Outlook and other mail
            programs open it as a draft to edit and send.

    Raises:
        OutputExistsError: When a name and all its suffixed forms are taken.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    headers = {"X-Unsent": "1"} if unsent else None
    messages = (
        drafts.messages(headers, stems=True)
        if isinstance(drafts, Drafting)
        else ((d.file_stem, d.as_bytes(headers=headers)) for d in drafts)
    )
    count = 0
    for count, (stem, data) in enumerate(messages, 1):
        mail.write_eml(data, target / f"{count:04d}-{stem}.eml", if_exists="suffix")
    return count


def write_mbox(drafts: Drafting | Iterable[Draft], path: str | Path) -> int:
    """Append each draft to an mbox file (created if needed); return how many.

    Streams: each message is written as it comes (see
    :func:`infoview.mail.write_mbox`), so memory stays the same for any number.
    A :class:`Drafting` is drafted in its :attr:`~Drafting.workers` processes.
    """
    if isinstance(drafts, Drafting):
        return mail.append_mbox((data for _, data in drafts.messages()), path)
    return mail.append_mbox((draft.as_bytes() for draft in drafts), path)
