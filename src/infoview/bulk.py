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
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from infoview import mail
from infoview.contact import Contact, Source
from infoview.draft import Draft
from infoview.errors import InfoviewError, MissingColumnError, MissingValueError, ValidationError
from infoview.importers import ImportedContact, ImportResult, Problem
from infoview.interview import Interview
from infoview.locales import resolve_locale
from infoview.registry import outreach_template
from infoview.templating import Templates

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

InterviewFactory = Callable[[Contact, Contact], Interview]


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


@attrs.frozen
class _Plan:
    """What a run needs besides its records, checked by :func:`drafts`."""

    sender: Contact
    template: str | None
    values: Mapping[str, Any]
    wanted: Mapping[str, frozenset[str]]  # template → the names it reads beyond the model
    locale: str | None
    templates: Templates
    interview: InterviewFactory
    limit: int | None


class Drafting:
    """A bulk run: iterate it for the drafts, one at a time; read :attr:`report` as it goes.

    Made by :func:`drafts`, which has checked the templates already. It can
    be iterated once.

    Attributes:
        templates_used: The templates a contact may get, each checked.
        total: How many contacts there are, when known (for a progress bar).
        processed: How many contacts have been handled so far.
        drafted: How many drafts were made so far.
        skipped: How many contacts had no email address so far.
    """

    def __init__(
        self,
        records: Iterable[ImportedContact],
        plan: _Plan,
        import_problems: tuple[Problem, ...] = (),
        total: int | None = None,
    ) -> None:
        self._records = records
        self._plan = plan
        self._import_problems = import_problems
        self._problems: list[Problem] = []
        self._started = False
        self._stopped = False
        self.templates_used = tuple(sorted(plan.wanted))
        self.total = total
        self.processed = self.drafted = self.skipped = 0

    @property
    def report(self) -> BulkReport:
        """The counts and problems so far (all of them once the iteration ends)."""
        by_line = heapq.merge(self._import_problems, self._problems, key=lambda p: p.line)
        return BulkReport(self.drafted, self.skipped, tuple(by_line), self._stopped)

    def __iter__(self) -> Iterator[Draft]:
        if self._started:
            raise RuntimeError("a Drafting can be iterated once; call bulk.drafts() again")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[Draft]:
        for record in self._records:
            if self._plan.limit is not None and self.drafted >= self._plan.limit:
                self._stopped = True
                return
            self.processed += 1
            draft = self._draft(record)
            if draft is not None:
                self.drafted += 1
                yield draft

    def _draft(self, record: ImportedContact) -> Draft | None:
        contact = record.contact
        if not contact.email:
            self.skipped += 1
            self._problem(
                record,
                "email",
                f"{contact.name} has no email address; add one to draft for them",
            )
            return None
        plan = self._plan
        name = plan.template or outreach_template(contact)
        wanted = plan.wanted[name]
        context = {k: v for k, v in plan.values.items() if k in wanted}
        context.update((k, v) for k, v in record.custom.items() if k in wanted and v.strip())
        try:
            interview = plan.interview(contact, plan.sender)
            return plan.templates.render(name, locale=plan.locale, interview=interview, **context)
        except MissingValueError as exc:
            self._problem(record, exc.variable, _missing(name, exc, contact))
        except InfoviewError as exc:
            self._problem(record, getattr(exc, "field", None), str(exc))
        return None

    def _problem(self, record: ImportedContact, field: str | None, message: str) -> None:
        self._problems.append(Problem(record.line, field, message, row=record.row or None))


def _missing(template: str, error: MissingValueError, contact: Contact) -> str:
    """Say what is blank in the words of a file: a cell to fill, not a template to change."""
    path = error.path or ""
    if error.hint or not path.startswith("contact.") or "." in path[8:]:
        return str(error)
    return (
        f"{template} needs the contact's {path[8:]}, which is blank for {contact.name}; "
        "fill it in, or draft this contact with another template"
    )


def _default_interview(contact: Contact, sender: Contact) -> Interview:
    return Interview(contact=contact, sender=sender)


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

    Returns:
        A :class:`Drafting`: iterate it for the drafts; its ``report`` counts them.

    Raises:
        MissingColumnError: A template needs a value nothing gives.
        ValidationError: The sender has no email address, a shared value is
            read by no template, ``locale`` is no locale, or ``limit`` is below 1.
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
    wanted = {name: _check(name, templates, set(columns or ()), shared) for name in names}
    reads = set().union(*wanted.values())
    if unused := sorted(set(shared) - reads):
        raise ValidationError(
            "drafts",
            "values",
            unused[0],
            f"{unused[0]!r} is read by no template of this run ({', '.join(names)})",
            f"check the spelling; they read: {', '.join(sorted(reads)) or 'only the interview'}",
        )
    plan = _Plan(
        sender, template, shared, wanted, locale, templates, interview or _default_interview, limit
    )
    problems = source.problems if isinstance(source, ImportResult) else ()
    return Drafting(_records(records), plan, problems, total)


def _columns(result: ImportResult) -> set[str]:
    fields = {field.name for field in attrs.fields(Contact)}
    known = {name for name in result.columns.values() if name not in fields}
    known.update(k for record in result.records for k in record.custom)
    return known


def _check(
    name: str, templates: Templates, columns: set[str], shared: Mapping[str, Any]
) -> frozenset[str]:
    """Return what ``name`` reads beyond the model, or raise if it needs what nothing gives."""
    templates.get_template(name)  # an unknown name or a syntax error fails here
    missing = needed(name, templates) - columns - set(shared)
    if missing:
        raise MissingColumnError(name, missing, columns)
    return needed(name, templates, optional=True)


# ------------------------------------------------------------------ writers


def file_name(draft: Draft, number: int) -> str:
    """Return the ``.eml`` file name of the ``number``-th draft of a run.

    ``0007-outreach-alumni-Ana-Garcia.eml``: the number keeps names unique
    and in order; the rest is :attr:`Draft.file_stem <infoview.Draft.file_stem>`,
    letters, digits and ``-`` only, so it never leaves the folder.
    """
    return f"{number:04d}-{draft.file_stem}.eml"


def write_folder(drafts: Iterable[Draft], folder: str | Path, *, unsent: bool = False) -> int:
    """Write each draft as an ``.eml`` file in ``folder`` (created if needed); return how many.

    Files are numbered in order (``0001-outreach-alumni-Ana-Garcia.eml``); a
    name taken already gets a suffix, so nothing is overwritten.

    Args:
        drafts: The drafts, e.g. a :class:`Drafting`.
        folder: Where to write them.
        unsent: Mark each file ``X-Unsent: 1``, so Outlook and other mail
            programs open it as a draft to edit and send.

    Raises:
        OutputExistsError: When a name and all its suffixed forms are taken.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    headers = {"X-Unsent": "1"} if unsent else None
    count = 0
    for count, draft in enumerate(drafts, 1):
        data = draft.as_bytes(headers=headers)
        mail.write_eml(data, target / file_name(draft, count), if_exists="suffix")
    return count


def write_mbox(drafts: Iterable[Draft], path: str | Path) -> int:
    """Append each draft to an mbox file (created if needed); return how many.

    Streams: each message is written as it comes (see
    :func:`infoview.mail.write_mbox`), so memory stays the same for any number.
    """
    return mail.append_mbox((draft.as_bytes() for draft in drafts), path)
