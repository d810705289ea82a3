"""A bulk run's drafting, one contact at a time, in this process or in worker processes.

:func:`attempt` drafts one contact (or says why not) by a :class:`Plan`
that :func:`infoview.bulk.drafts` has checked; :func:`serialize` turns a
chunk of contacts into message bytes, what a worker process does.

:func:`ordered` works chunks of items out in worker processes and yields
each item with its result, in the order the items came. The work function
and what it needs (``state``) reach each worker once, when it starts: on
Linux the workers are forked after the caller has set everything up
(templates compiled, catalogs loaded), so nothing is imported or compiled
again and ``state`` is not pickled; elsewhere they are spawned and ``state``
is pickled (:func:`can_ship` says whether it can be).

Items given as a list, on Linux, need not be sent at all: the forked workers
have them. Worker ``k`` works out chunks ``k``, ``k + workers``, … and writes
the results into a pipe of its own, which holds about 1 MiB; they are read
here in turn, so nothing else is needed (no threads, no queue). Items from
any other iterable go to a pool (:class:`concurrent.futures.ProcessPoolExecutor`),
at most ``2 × workers`` chunks out at once. Either way memory stays the same
for any number of items. Used by :mod:`infoview.bulk`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn

import attrs

from infoview.errors import InfoviewError, MissingValueError, SandboxError, WorkerError
from infoview.mail.draft import Draft
from infoview.model.contact import Contact
from infoview.model.interview import Interview
from infoview.rendering.registry import outreach_template
from infoview.rendering.templating import Templates

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

__all__ = ["Failure", "Plan", "Reads", "attempt", "can_ship", "cores", "ordered", "serialize"]

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
    context = dict(plan.shared[name])
    if custom:
        wanted = plan.wanted[name]
        context.update((k, v) for k, v in custom.items() if k in wanted and v.strip())
    try:
        interview = plan.interview(contact, plan.sender)
        return plan.templates.render(name, locale=plan.locale, interview=interview, **context)
    except MissingValueError as exc:
        return Failure(False, exc.variable, _missing(name, exc, contact))
    except SandboxError:
        raise  # the template is at fault, for every contact: the run stops
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


# multiprocessing, concurrent.futures and pickle load only for a run that uses workers.
_FORK = sys.platform.startswith("linux")
_PIPE = 1 << 20  # a forked worker's pipe holds this much: it runs ahead without waiting


def _context() -> BaseContext:
    import multiprocessing  # noqa: PLC0415 - see above

    return multiprocessing.get_context("fork" if _FORK else "spawn")


def can_ship(state: Any) -> bool:
    """Whether workers can be given ``state``: always when forked, else if it pickles."""
    if _FORK:
        return True
    import pickle  # noqa: PLC0415 - see _context

    try:
        pickle.dumps(state)
    except Exception:  # anything unpicklable means: work in this process
        return False
    return True


def _start(work: Work, state: Any) -> None:
    global _JOB  # noqa: PLW0603 - one job per worker process, set once as it starts
    _JOB = (work, state)


def _run(chunk: list[Any]) -> bytes:
    assert _JOB is not None, "the worker was not started by ordered()"  # noqa: S101
    return _reply(*_JOB, chunk)


def _reply(work: Work, state: Any, chunk: list[Any]) -> bytes:
    """Work out a chunk into the pickled ``(True, results)``, or ``(False, what it raised)``."""
    import pickle  # noqa: PLC0415 - see _context

    try:
        return pickle.dumps((True, work(state, chunk)), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # raised in the parent, as it reads this chunk
        error: BaseException = exc
    try:
        return pickle.dumps((False, (type(error), error.args, vars(error))))
    except Exception:  # an exception that does not pickle
        return pickle.dumps((False, (RuntimeError, (f"in a worker: {error!r}",), {})))


def _result(reply: tuple[bool, Any]) -> list[Any]:
    """Return a worker's results from its reply, or raise what it raised."""
    done, value = reply
    if done:
        return value  # type: ignore[no-any-return]
    # Rebuilt without calling __init__: infoview's errors take other arguments than their args.
    cls, args, state = value
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    raise error


def ordered(
    items: Iterable[tuple[Any, Any]], work: Work, state: Any, *, workers: int, chunk: int
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Yield ``(kept, work(state, sent))`` for consecutive chunks of ``(kept, sent)`` items.

    In order, over ``workers`` processes; only what is sent (which must
    pickle) reaches a spawned worker; ``work`` must return one result per
    item, and an exception it raises is raised here. Stopping the iteration
    early stops the workers once their chunk is done.
    """
    if _FORK and isinstance(items, list):
        yield from _forked(items, work, state, workers=workers, chunk=chunk)
        return
    import pickle  # noqa: PLC0415 - see _context
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - see _context
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - see _context

    source = iter(items)
    chunks = iter(lambda: list(islice(source, chunk)), [])
    gc.freeze()  # forked workers then leave the parent's objects alone: fewer pages copied
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start, initargs=(work, state)
    )
    pending: deque[tuple[list[Any], Future[bytes]]] = deque()

    def send(count: int) -> None:
        for part in islice(chunks, count):
            pending.append(([k for k, _ in part], pool.submit(_run, [s for _, s in part])))

    try:
        send(2 * workers)
        while pending:
            kept, future = pending.popleft()
            results = _result(pickle.loads(future.result()))  # noqa: S301 - from our worker
            send(1)
            yield kept, results
    except BrokenProcessPool:
        raise WorkerError(None, "ended abruptly (killed, or out of memory)") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _forked(
    items: list[tuple[Any, Any]], work: Work, state: Any, *, workers: int, chunk: int
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Read chunk ``n`` from forked worker ``n % workers``, which works out each such chunk."""
    import fcntl  # noqa: PLC0415 - Linux only

    starts = range(0, len(items), chunk)
    processes = min(workers, len(starts))
    gc.freeze()  # forked workers then leave the parent's objects alone: fewer pages copied
    pipes: list[tuple[int, IO[bytes]]] = []
    running: set[int] = set()  # forked, not yet waited for
    finished = False
    try:
        for n in range(processes):
            readable, writable = os.pipe()
            with contextlib.suppress(OSError):  # the default (64 KiB) will do, if more is refused
                fcntl.fcntl(writable, fcntl.F_SETPIPE_SZ, _PIPE)
            pid = os.fork()
            if pid == 0:  # the worker: its own pipe's end only, then its chunks
                for fd in (readable, *(pipe.fileno() for _, pipe in pipes)):
                    os.close(fd)
                _serve(items, work, state, starts=starts[n::processes], chunk=chunk, fd=writable)
            running.add(pid)
            os.close(writable)
            pipes.append((pid, os.fdopen(readable, "rb")))
        for n, start in enumerate(starts):
            yield (
                [k for k, _ in items[start : start + chunk]],
                _receive(pipes[n % processes], running),
            )
        finished = True
    finally:
        for _, pipe in pipes:
            pipe.close()  # a worker still writing stops: its pipe is broken
        for pid in running:
            if not finished:  # what the workers would still send is not wanted
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
                os.waitpid(pid, 0)
        gc.unfreeze()


def _serve(
    items: list[tuple[Any, Any]], work: Work, state: Any, *, starts: range, chunk: int, fd: int
) -> NoReturn:
    """Work out the chunks starting at ``starts`` into the pipe ``fd``, then leave (a worker)."""
    code = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            for start in starts:
                pipe.write(_reply(work, state, [s for _, s in items[start : start + chunk]]))
                pipe.flush()
        code = 0
    finally:  # never back into the parent's code (its atexit, its buffers)
        os._exit(code)


def _receive(worker: tuple[int, IO[bytes]], running: set[int]) -> list[Any]:
    """Read the next reply from a forked worker; if it died instead, say how."""
    import pickle  # noqa: PLC0415 - see _context

    pid, pipe = worker
    try:
        reply = pickle.load(pipe)  # noqa: S301 - from the worker forked here
    except Exception:  # nothing, or a reply cut short: the worker is gone
        running.discard(pid)
        raise WorkerError(pid, _ended(pid)) from None
    return _result(reply)


def _ended(pid: int, patience: float = 5.0) -> str:
    """Wait for a worker that closed its pipe (at most ``patience`` seconds); say how it ended."""
    deadline = time.monotonic() + patience
    status = 0
    with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
        found, status = os.waitpid(pid, os.WNOHANG)
        while not found and time.monotonic() < deadline:
            time.sleep(0.01)
            found, status = os.waitpid(pid, os.WNOHANG)
        if not found:  # alive, but its pipe is closed: it can send nothing more
            os.kill(pid, signal.SIGKILL)
            status = os.waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = f" ({signal.Signals(number).name})"
        except ValueError:
            name = ""
        cause = ", perhaps by the system for lack of memory" if number == signal.SIGKILL else ""
        return f"was killed by signal {number}{name}{cause}"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status):
        return f"exited with status {os.WEXITSTATUS(status)}"
    return "stopped without a word"
