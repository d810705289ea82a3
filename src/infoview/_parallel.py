"""A bulk run's drafting, one contact at a time, in this process or in worker processes.

:func:`attempt` drafts one contact (or says why not) by a :class:`Plan`
that :func:`infoview.bulk.drafts` has checked; :func:`serialize` turns a
chunk of contacts into message bytes, what a worker process does.

:func:`ordered` hands chunks of items to a pool of worker processes and
yields each item with its result, in the order the items came. The work
function and what it needs (``state``) reach each worker once, when it
starts: on Linux the workers are forked after the caller has set everything
up (templates compiled, catalogs loaded), so nothing is imported or compiled
again and ``state`` is not pickled; elsewhere they are spawned and ``state``
is pickled (:func:`can_ship` says whether it can be). At most ``2 × workers``
chunks are out at once, so memory stays the same for any number of items.
Used by :mod:`infoview.bulk`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, NamedTuple

import attrs

from infoview.contact import Contact
from infoview.draft import Draft
from infoview.errors import InfoviewError, MissingValueError
from infoview.interview import Interview
from infoview.registry import outreach_template
from infoview.templating import Templates

__all__ = ["Failure", "Plan", "attempt", "can_ship", "cores", "ordered", "serialize"]

InterviewFactory = Callable[[Contact, Contact], Interview]


@attrs.frozen
class Plan:
    """What a run needs besides its records, checked by :func:`infoview.bulk.drafts`."""

    sender: Contact
    template: str | None
    values: Mapping[str, Any]
    wanted: Mapping[str, frozenset[str]]  # template → the names it reads beyond the model
    locale: str | None
    templates: Templates
    interview: InterviewFactory
    limit: int | None
    shared: Mapping[str, Mapping[str, Any]]  # template → the shared values it reads


class Failure(NamedTuple):
    """A contact that could not be drafted: no email address (``skipped``), or a problem."""

    skipped: bool
    field: str | None
    message: str


Job = tuple[Plan, "dict[str, str] | None", bool]  # the plan, extra headers, file stems?


def default_interview(contact: Contact, sender: Contact) -> Interview:
    """The interview of a bulk run: the contact and the sender."""
    return Interview(contact=contact, sender=sender)


def attempt(plan: Plan, contact: Contact, custom: Mapping[str, str]) -> Draft | Failure:
    """Draft one contact with its custom fields, or say why not."""
    if not contact.email:
        return Failure(
            True, "email", f"{contact.name} has no email address; add one to draft for them"
        )
    name = plan.template or outreach_template(contact)
    wanted = plan.wanted[name]
    context = dict(plan.shared[name])
    context.update((k, v) for k, v in custom.items() if k in wanted and v.strip())
    try:
        interview = plan.interview(contact, plan.sender)
        return plan.templates.render(name, locale=plan.locale, interview=interview, **context)
    except MissingValueError as exc:
        return Failure(False, exc.variable, _missing(name, exc, contact))
    except InfoviewError as exc:
        return Failure(False, getattr(exc, "field", None), str(exc))


def _missing(template: str, error: MissingValueError, contact: Contact) -> str:
    """Say what is blank in the words of a file: a cell to fill, not a template to change."""
    path = error.path or ""
    if error.hint or not path.startswith("contact.") or "." in path[8:]:
        return str(error)
    return (
        f"{template} needs the contact's {path[8:]}, which is blank for {contact.name}; "
        "fill it in, or draft this contact with another template"
    )


def serialize(
    job: Job, chunk: list[tuple[Contact, dict[str, str]]]
) -> list[tuple[str, bytes] | Failure]:
    """Draft a chunk of contacts as ``(file stem, bytes)``, or a failure each: a worker's work."""
    plan, headers, stems = job
    out: list[tuple[str, bytes] | Failure] = []
    for contact, custom in chunk:
        draft = attempt(plan, contact, custom)
        if isinstance(draft, Failure):
            out.append(draft)
        else:
            out.append((draft.file_stem if stems else "", draft.as_bytes(headers=headers)))
    return out


Work = Callable[[Any, list[Any]], list[Any]]

# What the worker process was started with: the work function and its state.
_JOB: tuple[Work, Any] | None = None


def cores() -> int:
    """How many processors this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def can_ship(state: Any) -> bool:
    """Whether workers can be given ``state``: always when forked, else if it pickles."""
    if _context().get_start_method() == "fork":
        return True
    try:
        pickle.dumps(state)
    except Exception:  # anything unpicklable means: work in this process
        return False
    return True


def _start(work: Work, state: Any) -> None:
    global _JOB  # noqa: PLW0603 - one job per worker process, set once as it starts
    _JOB = (work, state)


def _run(chunk: list[Any]) -> list[Any]:
    assert _JOB is not None, "the worker was not started by ordered()"  # noqa: S101
    work, state = _JOB
    return work(state, chunk)


def ordered(
    items: Iterable[tuple[Any, Any]], work: Work, state: Any, *, workers: int, chunk: int
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Yield ``(kept, work(state, sent))`` for consecutive chunks of ``(kept, sent)`` items.

    In order; only what is sent (which must pickle) goes to the ``workers``
    processes; ``work`` must return one result per item, and an exception it
    raises is raised here. Stopping the iteration early cancels the chunks
    not started and waits for the others.
    """
    source = iter(items)
    chunks = iter(lambda: list(islice(source, chunk)), [])
    gc.freeze()  # forked workers then leave the parent's objects alone: fewer pages copied
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start, initargs=(work, state)
    )
    pending: deque[tuple[list[Any], Future[list[Any]]]] = deque()
    try:
        for part in islice(chunks, 2 * workers):
            pending.append(([k for k, _ in part], pool.submit(_run, [s for _, s in part])))
        while pending:
            kept, future = pending.popleft()
            results = future.result()
            for part in islice(chunks, 1):
                pending.append(([k for k, _ in part], pool.submit(_run, [s for _, s in part])))
            yield kept, results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
