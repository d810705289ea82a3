"""Bulk drafting: one draft per imported contact, streamed, in worker processes for large runs.

:func:`drafts` checks up front that every value the template needs can come
from somewhere: the interview infoview builds for each contact, a shared
value, or a custom column of the file. Then it renders one
:class:`~infoview.Draft` at a time, so 100,000 contacts take no more memory
than one. A contact that cannot be drafted (no email address, a blank value
the template prints) becomes a :class:`~infoview.importers.Problem` with its
line, and the others go on; :attr:`Drafting.report` counts what happened.

The writers stream too: :func:`write_folder` writes one ``.eml`` file per
draft, :func:`write_drafts_mbox` appends each to one mbox file; the standard
library reads both back. See docs/importing.md, "Drafting in bulk".

Given a :class:`Drafting`, the writers (and :meth:`Drafting.messages`) draft
a large run in worker processes, one per core: a
:class:`concurrent.futures.ProcessPoolExecutor` is given chunks of
:data:`CHUNK` contacts, at most two per worker at a time, and the results
are taken in the order the chunks were given, so the messages are written
in the order of the file, with the same report as one process would make,
and memory stays the same for any number of contacts. The workers are
forked from this process when that is safe (Linux, and this process runs
one thread: everything compiled here is theirs at once); else (a notebook's
kernel runs threads, and forking a threaded process can deadlock) they come
from the ``forkserver`` (or ``spawn``) start method, and are given the run's
plan pickled, which needs the default :class:`~infoview.Templates` (a
worker makes its own) and a picklable ``interview`` factory: a run that
cannot be shipped drafts in this process.
"""

from __future__ import annotations

import difflib
import gc
import heapq
import itertools
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import attrs

from infoview import mail
from infoview.bulk import attachments as attached
from infoview.errors import (
    InfoviewError,
    MissingColumnError,
    MissingValueError,
    SandboxError,
    ValidationError,
    WorkerError,
)
from infoview.importers import ImportedContact, ImportResult, ImportStream, Problem
from infoview.importers._result import Split
from infoview.language.locales import resolve_locale
from infoview.mail.draft import Draft
from infoview.mail.message import Attachment
from infoview.model.contact import Contact, Source
from infoview.model.interview import Interview
from infoview.rendering.registry import outreach_template
from infoview.rendering.templating import Templates, default_templates

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.process import BaseProcess

__all__ = [
    "CHUNK",
    "MODEL_INPUTS",
    "PARALLEL_FROM",
    "BulkReport",
    "Drafting",
    "MissingColumnError",
    "drafts",
    "needed",
    "write_drafts_mbox",
    "write_folder",
]

#: The names infoview gives every template itself in a bulk run (the
#: interview it builds for each contact, and the people in it).
MODEL_INPUTS = frozenset({"interview", "contact", "sender", "recipient"})

#: Runs of more contacts are drafted in worker processes by default: the
#: first this many are drafted in this process, and workers start only if
#: more come. Measured (benchmarks/bench_bulk.py ``--threshold``, two idle
#: cores): two workers break even at 500 rows and are 1.22× as fast at 2,000.
PARALLEL_FROM = 1_000
CHUNK = 50  #: Contacts a worker drafts at a time.

InterviewFactory = Callable[[Contact, Contact], Interview]
Contacts = ImportResult | ImportStream | Iterable[ImportedContact | Contact]


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
    templates = templates or default_templates()
    if optional:
        return templates.variables(template) - MODEL_INPUTS
    inputs = templates.describe(template).inputs
    return frozenset(i.name for i in inputs if i.required) - MODEL_INPUTS


# ------------------------------------------------------------------ one contact


@attrs.frozen
class Plan:
    """What a run needs besides its records, checked by :func:`drafts`."""

    sender: Contact
    template: str | None
    wanted: Mapping[str, frozenset[str]]  # template → the names it reads beyond the model
    locale: str | None
    templates: Templates | None  # None: the default, which a spawned worker makes itself
    interview: InterviewFactory
    limit: int | None
    shared: Mapping[str, Mapping[str, Any]]  # template → the shared values it reads
    attachments: tuple[Attachment, ...] = ()  # for everyone
    folder: Path | None = None  # where a row's attachment paths lead (and must stay)


class Reads(Mapping[str, frozenset[str]]):
    """Template → the names it reads beyond ``model``, each parsed out on first use."""

    def __init__(self, templates: Templates, names: Iterable[str], model: frozenset[str]) -> None:
        self._templates = templates
        self._names = tuple(names)
        self._model = model
        self._found: dict[str, frozenset[str]] = {}

    def __getitem__(self, name: str) -> frozenset[str]:
        found = self._found.get(name)
        if found is None:
            if name not in self._names:
                raise KeyError(name)
            found = self._found[name] = self._templates.variables(name) - self._model
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class Undrafted(NamedTuple):
    """A contact that could not be drafted: no email address (``skipped``), or a problem."""

    skipped: bool
    field: str | None
    message: str


def default_interview(contact: Contact, sender: Contact) -> Interview:
    """The interview of a bulk run: the contact and the sender (see :meth:`Interview.between`)."""
    return Interview.between(contact, sender)


def attempt(plan: Plan, contact: Contact, custom: Mapping[str, str]) -> Draft | Undrafted:
    """Draft one contact with its custom fields, or say why not."""
    if not contact.email:
        return Undrafted(
            True, "email", f"{contact.name} has no email address; add one to draft for them"
        )
    name = plan.template or outreach_template(contact)
    context = dict(plan.shared[name])
    if custom:
        wanted = plan.wanted[name]
        context.update((k, v) for k, v in custom.items() if k in wanted and v.strip())
    templates = default_templates() if plan.templates is None else plan.templates
    try:
        files = attached.for_row(custom, plan.folder, plan.attachments)
        interview = plan.interview(contact, plan.sender)
        draft = templates.render(name, locale=plan.locale, interview=interview, **context)
        return draft.with_changes(attachments=files) if files else draft
    except MissingValueError as exc:
        return Undrafted(False, exc.variable, _missing(name, exc, contact))
    except SandboxError:
        raise  # the template is at fault, for every contact: the run stops
    except InfoviewError as exc:
        return Undrafted(False, getattr(exc, "field", None), str(exc))


def _missing(template: str, error: MissingValueError, contact: Contact) -> str:
    """Say what is blank in the words of a file: a cell to fill, not a template to change."""
    path = error.path or ""
    if error.hint or not path.startswith("contact.") or "." in path[8:]:
        return str(error)
    return (
        f"{template} needs the contact's {path[8:]}, which is blank for {contact.name}; "
        "fill it in, or draft this contact with another template"
    )


T = TypeVar("T")
Job = tuple[Plan, "dict[str, str] | None", bool]  # the plan, extra headers, file stems?
Message = tuple[str, bytes]  # (file stem or "", the message's bytes)


def draft_chunk(job: Job, chunk: list[tuple[Contact, dict[str, str]]]) -> list[Message | Undrafted]:
    """Draft a chunk of contacts as ``(file stem, bytes)``, or say why not: a worker's work."""
    plan, headers, stems = job
    out: list[Message | Undrafted] = []
    for contact, custom in chunk:
        draft = attempt(plan, contact, custom)
        if isinstance(draft, Undrafted):
            out.append(draft)
        else:
            out.append((draft.file_stem if stems else "", draft.as_bytes(headers=headers)))
    return out


# ------------------------------------------------------------------ worker processes

Work = Callable[[Any, list[Any]], list[Any]]

# What a worker process was started with: the work function and its state.
_JOB: tuple[Work, Any] | None = None


def cores() -> int:
    """How many processors this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _one_thread() -> bool:
    """Whether this process runs one thread only, counted by the system where it can."""
    import threading  # noqa: PLC0415 - loaded already by anything that runs threads

    if threading.active_count() > 1:
        return False
    # Threads started outside Python (a library's own) are counted by the system; a thread
    # Python has joined may still be leaving it (the pool of a run just ended): wait a little.
    deadline = time.monotonic() + 0.2
    while True:
        try:
            count = len(os.listdir("/proc/self/task"))
        except OSError:
            return True
        if count == 1 or time.monotonic() > deadline:
            return count == 1
        time.sleep(0.002)


# multiprocessing, concurrent.futures and pickle load only for a run that uses workers.
def start_method() -> str:
    """How workers start: forked on Linux when this process runs one thread, else a safe way."""
    import multiprocessing  # noqa: PLC0415 - see above

    if sys.platform.startswith("linux") and _one_thread():
        return "fork"  # nothing else runs here, so nothing is copied half-done
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def can_ship(state: Any, method: str) -> bool:
    """Whether workers started by ``method`` can be given ``state``: forked, or pickled and back."""
    if method == "fork":
        return True
    import pickle  # noqa: PLC0415 - see start_method

    try:
        pickle.loads(pickle.dumps(state))  # noqa: S301 - our own bytes, just made
    except Exception:  # anything that does not pickle and back means: work in this process
        return False
    return True


def _start(work: Work, state: Any) -> None:
    global _JOB  # noqa: PLW0603 - one job per worker process, set once as it starts
    _JOB = (work, state)


def _run(chunk: list[Any]) -> tuple[bool, Any]:
    """Work out a chunk into ``(True, results)``, or ``(False, what it raised)`` (a worker)."""
    assert _JOB is not None, "the worker was not started by ordered()"  # noqa: S101
    work, state = _JOB
    try:
        return True, work(state, chunk)
    except Exception as exc:  # raised in the parent, as it takes this chunk
        error: BaseException = exc
    import pickle  # noqa: PLC0415 - see start_method

    # Sent as parts: infoview's errors take other arguments than their args.
    value = (type(error), error.args, vars(error))
    try:
        pickle.dumps(value)
    except Exception:  # an exception that does not pickle
        value = (RuntimeError, (f"in a worker: {error!r}",), {})
    return False, value


def _result(reply: tuple[bool, Any]) -> list[Any]:
    """Return a worker's results from its reply, or raise what it raised."""
    done, value = reply
    if done:
        return value  # type: ignore[no-any-return]
    cls, args, state = value
    error = cls.__new__(cls, *args)  # rebuilt without calling __init__
    error.args = args
    error.__dict__.update(state)
    raise error


def ordered(
    items: Iterable[tuple[Any, Any]],
    work: Work,
    state: Any,
    *,
    workers: int,
    chunk: int,
    method: str | None = None,
) -> Generator[tuple[list[Any], list[Any]], None, None]:
    """Yield ``(kept, work(state, sent))`` for consecutive chunks of ``(kept, sent)`` items.

    In order, over ``workers`` processes of a
    :class:`~concurrent.futures.ProcessPoolExecutor` started by ``method``
    (default: :func:`start_method`), at most ``2 × workers`` chunks out at once, so
    memory stays the same for any number of items. Only what is sent (which
    must pickle) reaches a worker; ``state`` reaches each worker once, as it
    starts (pickled unless forked: see :func:`can_ship`). ``work`` returns
    one result per item; an exception it raises is raised here, whole, in
    its turn. A worker that dies is a :class:`~infoview.errors.WorkerError`
    saying which and how. Stopping the iteration early stops the workers
    once their chunk is done.
    """
    import multiprocessing  # noqa: PLC0415 - see start_method
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - see start_method
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - see start_method

    method = method or start_method()
    source = iter(items)
    chunks = iter(lambda: list(islice(source, chunk)), [])
    others = set(multiprocessing.active_children())
    if method == "fork":
        gc.freeze()  # forked workers then leave the parent's objects alone: fewer pages copied
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start,
        initargs=(work, state),
    )
    pending: deque[tuple[list[Any], Future[tuple[bool, Any]]]] = deque()
    processes: list[BaseProcess] = []

    def send(count: int) -> None:
        for part in islice(chunks, count):
            pending.append(([k for k, _ in part], pool.submit(_run, [s for _, s in part])))

    def started() -> list[BaseProcess]:
        """The pool's workers so far, asked without reaping any (see _dead)."""
        table = getattr(pool, "_processes", None)
        if isinstance(table, dict):
            return list(table.values())
        return [p for p in multiprocessing.active_children() if p not in others]

    broken = False
    try:
        send(2 * workers)
        # The pool's workers, to say which one died if one does.
        processes = started()
        while pending:
            kept, future = pending.popleft()
            results = _result(_wait(future, processes, started))
            send(1)
            yield kept, results
    except BrokenProcessPool:
        # The pool ends its workers itself and reads how each ended. Reading that
        # here at the same time can lose it (a forkserver worker's status is read
        # once from a pipe; the second reader gets 255), so its thread is let
        # finish first. One left stuck on a queue the dead one held could make it
        # wait for ever, so after a while every worker still there is killed.
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(3)
        known = list(dict.fromkeys([*processes, *started()]))
        dead = _dead(known)  # before any is killed here
        for process in known:
            if process not in dead:
                process.kill()
        for process in known:
            process.join(5)
        # Not waited for: the pool's own threads can block for ever on the pipe to a
        # dead worker (a known weakness of broken pools); its workers are all ended.
        broken = True
        pool.shutdown(wait=False, cancel_futures=True)
        raise WorkerError(*_ended(dead or known)) from None
    finally:
        if not broken:
            pool.shutdown(wait=True, cancel_futures=True)
        if method == "fork":
            gc.unfreeze()


def _wait(
    future: Future[tuple[bool, Any]],
    processes: list[BaseProcess],
    started: Callable[[], list[BaseProcess]],
) -> tuple[bool, Any]:
    """Wait for a chunk, watching the workers: one that died breaks the pool at once.

    The pool notices a dead worker itself, but a worker killed while it held
    the pool's queue can leave the others (and so this wait) stuck: checking
    every half second never waits on the dead.
    """
    from concurrent.futures import TimeoutError as Waited  # noqa: PLC0415
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    while True:
        try:
            return future.result(timeout=0.5)
        except Waited:
            processes += [p for p in started() if p not in processes]
            if _dead(processes):  # by sentinel: the pool's thread reads the exit codes
                raise BrokenProcessPool("a worker died") from None


def _dead(processes: list[BaseProcess]) -> list[BaseProcess]:
    """The workers that have ended, by their sentinels.

    Not by ``is_alive()`` or ``exitcode``: they reap, and so race the pool's
    own thread, which reaps too. Here, a forked worker being reaped there
    can still seem alive; a forkserver worker's status, read once from a
    pipe, can be lost (the second reader records 255).
    """
    from multiprocessing.connection import wait  # noqa: PLC0415 - see start_method

    ready = set(wait([p.sentinel for p in processes], timeout=0))
    return [p for p in processes if p.sentinel in ready]


def _ended(processes: list[BaseProcess]) -> tuple[int | None, str]:
    """Say which worker of a broken pool died first, and how: the pool ended the others."""
    # A worker the pool's own thread is reaping has no exit code here for a moment.
    deadline = time.monotonic() + 2
    while any(p.exitcode is None for p in processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    ended = [p for p in processes if p.exitcode]
    first = [p for p in ended if p.exitcode != -signal.SIGTERM] or ended
    if not first:
        return None, "ended abruptly (killed, or out of memory)"
    process = first[0]
    code = process.exitcode or 0
    if code > 0:
        return process.pid, f"exited with status {code}"
    try:
        name = f" ({signal.Signals(-code).name})"
    except ValueError:
        name = ""
    cause = ", perhaps by the system for lack of memory" if -code == signal.SIGKILL else ""
    return process.pid, f"was killed by signal {-code}{name}{cause}"


# ------------------------------------------------------------------ a run


class Drafting:
    """A bulk run: iterate it for the drafts, one at a time; read :attr:`report` as it goes.

    Made by :func:`drafts`, which has checked the templates already. It can
    be iterated once, for :class:`~infoview.Draft` objects drafted in this
    process, or read once as bytes with :meth:`messages` (what the writers
    do), drafted in up to :attr:`workers` processes.

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
        plan: Plan,
        import_problems: Callable[[], Iterable[Problem]] = tuple,
        *,
        total: int | None = None,
        workers: int = 1,
        here: int = 1,
        stream: ImportStream | None = None,
    ) -> None:
        self._records = records
        self._split = stream  # read with workers: its rows are made in them
        self._plan = plan
        self._import_problems = import_problems
        self._problems: list[Problem] = []
        self._here = here  # with workers: how many are drafted here before they start
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
        by_line = heapq.merge(self._import_problems(), self._problems, key=lambda p: p.line)
        return BulkReport(self.drafted, self.skipped, tuple(by_line), self._stopped)

    def __iter__(self) -> Iterator[Draft]:
        self._begin()
        return self._run(self._records)

    def messages(
        self, headers: dict[str, str] | None = None, *, stems: bool = False
    ) -> Iterator[Message]:
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
        return self._messages((self._plan, headers, stems))

    def _begin(self) -> None:
        if self._started:
            raise RuntimeError("a Drafting can be iterated once; call bulk.drafts() again")
        self._started = True

    def _messages(self, job: Job) -> Iterator[Message]:
        records = iter(self._records)
        first = islice(records, self._here) if self.workers > 1 else records
        yield from self._here_in_steps(first, job)
        if self.workers > 1 and not self._stopped:
            yield from self._in_workers(records, job)

    def _here_in_steps(self, records: Iterable[ImportedContact], job: Job) -> Iterator[Message]:
        """Draft here, a few rows at a time: read, then drafted, then written (see draft_rows).

        With a limit the rows are read one at a time, so that none is read
        past the last draft (its problems would join the report).
        """
        if self._plan.limit is not None:
            yield from _as_bytes(self._run(records), job)
            return
        _, headers, stems = job
        source = iter(records)
        while True:
            batch, unread = _until_error(islice(source, _BATCH))
            drafts, failed = _until_error(self._run(batch))
            messages, wrong = _until_error(_message(d, headers, stems) for d in drafts)
            yield from messages  # what was made before an error is written before it is raised
            if (error := wrong or failed or unread) is not None:
                raise error
            if not batch:
                return

    def _run(self, records: Iterable[ImportedContact]) -> Iterator[Draft]:
        for record in records:
            if self._full():
                return
            draft = attempt(self._plan, record.contact, record.custom)
            self._account(record, draft, 1)
            if not isinstance(draft, Undrafted):
                yield draft

    def _in_workers(self, records: Iterator[ImportedContact], job: Job) -> Iterator[Message]:
        """Draft the rest in worker processes (or here, if the run cannot be shipped)."""
        split = self._split.split() if self._split is not None else None
        if split is not None:
            yield from self._rows_in_workers(split, job)
            return
        following = next(records, None)
        if following is None or self._full():
            return
        rest = itertools.chain([following], records)
        method = start_method()
        shipped = _shippable(job, method)
        if shipped is None:
            self.workers = 1
            yield from self._here_in_steps(rest, job)
            return
        workers = self.workers
        if self.total is not None:
            workers = max(1, min(workers, -(-(self.total - self.processed) // CHUNK)))
        items = ((r, (r.contact, dict(r.custom))) for r in rest)
        done = ordered(items, draft_chunk, shipped, workers=workers, chunk=CHUNK, method=method)
        try:
            for chunk, results in done:
                for record, result in zip(chunk, results, strict=True):
                    if self._full():
                        return
                    self._account(record, result, 0)
                    if not isinstance(result, Undrafted):
                        yield result
                if self.on_progress is not None:
                    self.on_progress(len(chunk))
        except WorkerError as exc:  # each draft yielded was written before the next was asked
            raise WorkerError(exc.pid, exc.ended, self.drafted) from None
        finally:
            done.close()

    def _rows_in_workers(self, split: Split, job: Job) -> Iterator[Message]:
        """Read the rest of a table's rows here; make, check and draft them in workers.

        Each row is settled here in file order once its chunk is back (taken,
        rejected, or a repeat whose draft is dropped), so the counts, problems
        and messages are those of one process; this process only reads the
        rows, takes the records and writes the messages.
        """
        raw = split.raw()
        first = next(raw, None)
        if first is None or self._full():
            return
        method = start_method()
        shipped = _shippable(job, method)
        row_job = None if shipped is None else (shipped, split.make)
        if row_job is not None and method != "fork" and not can_ship(row_job, method):
            row_job = None
        rest = itertools.chain([first], raw)
        if row_job is None:  # the run cannot be shipped: made and drafted here, in turn
            self.workers = 1
            made = (r for r in map(split.settle, map(split.make, rest)) if r is not None)
            yield from self._here_in_steps(made, job)
            return
        workers = self.workers
        if self.total is not None:
            workers = max(1, min(workers, -(-(self.total - self.processed) // CHUNK)))
        items = ((None, item) for item in rest)
        done = ordered(items, draft_rows, row_job, workers=workers, chunk=CHUNK, method=method)
        try:
            for _, results in done:
                for made, result in results:
                    record = split.settle(made)
                    if record is None:
                        continue
                    if self._full():
                        return
                    self._account(record, result, 1)
                    if not isinstance(result, Undrafted):
                        yield result
        except WorkerError as exc:  # each draft yielded was written before the next was asked
            raise WorkerError(exc.pid, exc.ended, self.drafted) from None
        finally:
            done.close()

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
        if isinstance(result, Undrafted):
            self.skipped += result.skipped
            problem = Problem(record.line, result.field, result.message, row=record.row or None)
            self._problems.append(problem)
        else:
            self.drafted += 1
            files = self._plan.attachments or attached.cell(record.custom)
            name = self._plan.template or outreach_template(record.contact)
            if said := attached.warning(name, record.contact.name, bool(files)):
                warned = Problem(
                    record.line, "attachment", said, rejected=False, row=record.row or None
                )
                self._problems.append(warned)


Made = tuple[ImportedContact | None, list[Problem], tuple[int, ...]]  # see importers._table


def draft_rows(
    job: tuple[Job, Callable[[Any], Made]], chunk: list[Any]
) -> list[tuple[Made, Message | Undrafted | None]]:
    """Make each row's record, then draft it as :func:`draft_chunk` does: a worker's work.

    A row rejected gets no draft (``None``); a row that repeats an earlier
    one is drafted anyway, and its draft dropped when it is settled.
    """
    (plan, headers, stems), make = job
    # A step at a time over the chunk (all made, then all drafted, then all written):
    # each step's code stays warm in the processor's caches, about a tenth quicker.
    made = [make(item) for item in chunk]
    drafts = [None if m[0] is None else attempt(plan, m[0].contact, m[0].custom) for m in made]
    return [
        (m, d if d is None or isinstance(d, Undrafted) else _message(d, headers, stems))
        for m, d in zip(made, drafts, strict=True)
    ]


def _message(draft: Draft, headers: dict[str, str] | None, stems: bool) -> Message:
    return (draft.file_stem if stems else "", draft.as_bytes(headers=headers))


def _as_bytes(drafts: Iterable[Draft], job: Job) -> Iterator[Message]:
    """Each draft's message, drafts taken a few at a time (see :func:`draft_rows`)."""
    _, headers, stems = job
    source = iter(drafts)
    while True:
        batch, failed = _until_error(islice(source, _BATCH))
        messages, wrong = _until_error(_message(d, headers, stems) for d in batch)
        yield from messages  # what was made before an error is written before it is raised
        if (error := wrong or failed) is not None:
            raise error
        if not batch:
            return


def _until_error(items: Iterable[T]) -> tuple[list[T], Exception | None]:
    """Take the items in turn: those given before one raised, and what it raised (or None).

    A step of a few rows at a time keeps what was made before an error (the
    drafts a sandbox refusal stops the run after), so that it is still written.
    """
    made: list[T] = []
    try:
        for item in items:
            made.append(item)
    except Exception as error:  # raised by the caller, after what came before it
        return made, error
    return made, None


_BATCH = 64  # rows read, then drafted, then written, a step at a time, in this process


def _shippable(job: Job, method: str) -> Job | None:
    """The job as workers started by ``method`` get it, or ``None`` if they cannot."""
    if method == "fork":
        return job  # the workers have it already, templates compiled
    plan, headers, stems = job
    if plan.templates is not None:
        return None  # a template set holds compiled code, which does not pickle
    # Every template's reads worked out here, not once in each worker.
    job = (attrs.evolve(plan, wanted=dict(plan.wanted)), headers, stems)
    return job if can_ship(job, method) else None


def _records(source: Iterable[ImportedContact | Contact]) -> Iterator[ImportedContact]:
    for number, item in enumerate(source, 1):
        if isinstance(item, Contact):
            yield ImportedContact(item, number, row=number)
        else:
            yield item


def drafts(
    source: Contacts,
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
    attach: Iterable[str | os.PathLike[str]] = (),
    attach_folder: str | os.PathLike[str] | None = None,
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

    Nothing is read from ``source`` before the run is iterated, and then one
    contact at a time: an :class:`~infoview.importers.ImportStream` (or any
    iterator) is never held in memory whole.

    Args:
        source: An :class:`~infoview.importers.ImportResult` or
            :class:`~infoview.importers.ImportStream` (its problems join the
            report), or contacts, plain or as imported records (a plain
            contact's "line" is its position, from 1).
        sender: You; the drafts are from this contact, who needs an email address.
        template: The template for everyone; ``None`` picks each contact's
            outreach template by its source.
        values: Shared values by variable name, e.g. ``{"topic": "patient apps"}``.
        columns: The custom columns the contacts have; by default those of
            the import (or of the records, when ``source`` is a list or tuple).
        locale: Write every draft in this locale instead of each contact's.
        templates: The template set (default: the built-ins, one set shared
            by every run and render).
        interview: Makes the interview for a contact and the sender.
        limit: Stop after this many drafts.
        workers: How many processes the writers (and :meth:`Drafting.messages`)
            draft in; ``None``: one per core once more than
            :data:`PARALLEL_FROM` contacts come (the first ones are drafted
            in this process), else 1. Iterating the run for
            :class:`~infoview.Draft` objects always drafts in this process.
        attach: Files to attach to every draft (read once, at the start).
        attach_folder: The folder of the contacts' file: a row's attachment
            column (``Attach``, ``Résumé``, …; several paths separated by
            ``;``) names files inside it. A row whose path leads out of it,
            or names a missing file, is a problem of that row. Outreach with
            an attachment is drafted with a warning: send a résumé only when
            asked. See docs/importing.md, "Attachments".

    Returns:
        A :class:`Drafting`: iterate it for the drafts; its ``report`` counts them.

    Raises:
        MissingColumnError: A template needs a value nothing gives.
        ValidationError: The sender has no email address, a shared value is
            read by no template, ``locale`` is no locale, ``limit`` or
            ``workers`` is below 1, or a file of ``attach`` is missing or too large.
        UnknownTemplateError: ``template`` names no template.
        TemplateError: A template does not compile.
    """
    default = default_templates()
    templates = templates or default
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
    records, problems, known = _source(source)
    total = len(records) if isinstance(records, list | tuple) else None
    columns = known if columns is None else columns
    names = [template] if template is not None else sorted({outreach_template(s) for s in Source})
    for name in names:
        _check(name, templates, set(columns or ()), shared)
    # What each template reads is worked out (by parsing it) only once a value may be passed.
    wanted = Reads(templates, names, MODEL_INPUTS)
    reads = set().union(*wanted.values()) if shared else set()
    if unused := sorted(set(shared) - reads):
        close = difflib.get_close_matches(unused[0], sorted(reads), n=1)
        guess = f"did you mean {close[0]!r}? " if close else "check the spelling; "
        raise ValidationError(
            "drafts",
            "values",
            unused[0],
            f"{unused[0]!r} is read by no template of this run ({', '.join(names)})",
            f"{guess}they read: {', '.join(sorted(reads)) or 'only the interview'}",
        )
    given = {name: {k: v for k, v in shared.items() if k in wanted[name]} for name in names}
    plan = Plan(
        sender,
        template,
        wanted,
        locale,
        None if templates is default else templates,
        interview or default_interview,
        limit,
        given,
        attached.for_everyone(attach),
        None if attach_folder is None else Path(attach_folder),
    )
    here = 1
    if workers is None:
        # A known number at or below the threshold: here; else workers once the threshold is passed.
        workers = 1 if total is not None and total <= PARALLEL_FROM else cores()
        here = 1 if total is not None else PARALLEL_FROM
    stream = source if isinstance(source, ImportStream) else None
    return Drafting(
        _records(records), plan, problems, total=total, workers=workers, here=here, stream=stream
    )


def _source(
    source: Contacts,
) -> tuple[Iterable[ImportedContact | Contact], Callable[[], Iterable[Problem]], set[str]]:
    """Return a source's records, its problems (as they come) and its custom columns."""
    if isinstance(source, ImportResult | ImportStream):
        fields = {field.name for field in attrs.fields(Contact)}
        known = {name for name in source.columns.values() if name not in fields}
        if isinstance(source, ImportStream):
            return source, lambda: source.problems, known
        known.update(k for record in source.records for k in record.custom)
        return source.records, lambda: source.problems, known
    if isinstance(source, list | tuple):
        return (
            source,
            tuple,
            {k for r in source if isinstance(r, ImportedContact) for k in r.custom},
        )
    return source, tuple, set()


def _check(name: str, templates: Templates, columns: set[str], shared: Mapping[str, Any]) -> None:
    """Raise if ``name`` does not compile, or needs what nothing gives."""
    templates.get_template(name)  # an unknown name or a syntax error fails here
    missing = needed(name, templates) - columns - set(shared)
    if missing:
        raise MissingColumnError(name, missing, columns)


# ------------------------------------------------------------------ writers


def write_folder(
    drafts: Drafting | Iterable[Draft], folder: str | Path, *, unsent: bool = False
) -> int:
    """Write each draft as an ``.eml`` file in ``folder`` (made at the first); return how many.

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
    headers = {"X-Unsent": "1"} if unsent else None
    messages = (
        drafts.messages(headers, stems=True)
        if isinstance(drafts, Drafting)
        else ((d.file_stem, d.as_bytes(headers=headers)) for d in drafts)
    )
    count = 0
    for count, (stem, data) in enumerate(messages, 1):
        if count == 1:  # made at the first draft: nothing drafted, no empty folder
            target.mkdir(parents=True, exist_ok=True)
        mail.write_eml(data, target / f"{count:04d}-{stem}.eml", if_exists="suffix")
    return count


def write_drafts_mbox(drafts: Drafting | Iterable[Draft], path: str | Path) -> int:
    """Append each draft to an mbox file (created if needed); return how many.

    Streams: each message is written as it comes (in the form of
    :func:`infoview.mail.write_mbox`, which takes messages rather than drafts),
    so memory stays the same for any number. Its old name, ``write_mbox``,
    still works for one release, with a ``DeprecationWarning``.
    A :class:`Drafting` is drafted in its :attr:`~Drafting.workers` processes.
    """
    if isinstance(drafts, Drafting):
        return mail.append_mbox((data for _, data in drafts.messages()), path)
    return mail.append_mbox((draft.as_bytes() for draft in drafts), path)
