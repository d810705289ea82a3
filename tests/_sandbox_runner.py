"""Render hostile templates in the sandbox, each in its own forked child, and report.

Usage: ``python tests/_sandbox_runner.py PAYLOADS [--jobs N]``, where PAYLOADS
holds one template per line (``#`` starts a comment). Prints one JSON object
per payload, in order: ``error`` (the exact class name of what the render
raised, or ``"none"``, ``"killed"``), ``reason``, ``seconds`` (wall time of
the render alone) and ``peak_mb`` (how far the child's peak resident memory
rose during the render).

This parent imports infoview and warms it once; each payload then runs in a
fresh ``fork()`` of it, so one payload's memory cannot hide another's. The
child caps its address space at 1 GiB more than it started with and kills
itself after 10 seconds, so a broken bound cannot take the machine down.
Peak memory: the child resets the kernel's high-water mark
(``/proc/self/clear_refs``) and reads ``VmHWM`` after the render; where that
is not possible it falls back to ``ru_maxrss`` (which a fork inherits, so it
can only under-report growth below the parent's own peak).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

from infoview import Templates
from infoview.model.samples import interview

GIB = 1 << 30
CHILD_SECONDS = 10


def _read_payloads(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _status_kib(field: str) -> int | None:
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


def _peak_kib(exact: bool) -> int:
    if exact:
        return _status_kib("VmHWM") or 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(templates: Templates, payload: str, out: int) -> None:
    signal.alarm(CHILD_SECONDS)
    size = (_status_kib("VmSize") or 0) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size + GIB, size + GIB))
    templates.add("untrusted", payload)
    contact = interview().contact
    exact = _reset_peak()
    before = _peak_kib(exact)
    started = time.perf_counter()
    error, reason = "none", ""
    try:
        templates.render("untrusted", contact=contact, interview=interview())
    except BaseException as exc:  # the report names whatever was raised
        error, reason = type(exc).__name__, str(exc)[:300]
    seconds = time.perf_counter() - started
    peak_mb = (_peak_kib(exact) - before) / 1024
    report = {"error": error, "reason": reason, "seconds": seconds, "peak_mb": peak_mb}
    os.write(out, json.dumps(report).encode())


def _run(templates: Templates, payloads: list[str], jobs: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = [{} for _ in payloads]
    running: dict[int, tuple[int, int, bytearray, float]] = {}  # fd -> (index, pid, data, start)
    todo = list(enumerate(payloads))
    while todo or running:
        while todo and len(running) < jobs:
            index, payload = todo.pop(0)
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                os.close(read)
                try:
                    _child(templates, payload, write)
                finally:
                    os._exit(0)
            os.close(write)
            running[read] = (index, pid, bytearray(), time.monotonic())
        ready, _, _ = select.select(list(running), [], [], 1.0)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if chunk:
                running[fd][2].extend(chunk)
                continue
            index, pid, data, _ = running.pop(fd)
            os.close(fd)
            _, status = os.waitpid(pid, 0)
            if data:
                results[index] = json.loads(data)
            else:
                signal_name = os.WTERMSIG(status) if os.WIFSIGNALED(status) else status
                results[index] = {"error": "killed", "reason": f"status {signal_name}"}
        for _, pid, _, start in list(running.values()):
            if time.monotonic() - start > CHILD_SECONDS + 5:
                os.kill(pid, signal.SIGKILL)
    for payload, result in zip(payloads, results, strict=True):
        result["payload"] = payload
    return results


def main(argv: list[str] | None = None) -> int:
    """Run every payload of the file given and print one JSON line per payload."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payloads", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args(argv)
    templates = Templates(sandboxed=True)
    # Warm up: compile and render once, so lazy imports are not counted as a payload's memory.
    templates.add("warm", "{{ [1, 2]|tojson }}{{ {'a': 1}|pprint }}{{ 'a b'|wordwrap(3) }}")
    templates.render("warm", interview=interview())
    for result in _run(templates, _read_payloads(options.payloads), options.jobs):
        sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
