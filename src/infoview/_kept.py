"""What one process keeps on disk for the next: a private per-user folder of marshalled files.

A new process repeats work the last one did: compiling a built-in template
for a language (:mod:`infoview.rendering.cache` keeps the code), working out
what a built-in reads (:mod:`infoview.rendering.introspect`), writing a
duration in words (:mod:`infoview.language.wording`). Each keeps its answer
here, as plain values marshalled under a key that names everything the
answer depends on (:func:`digest`; a caller adds the versions of the
libraries it asked), and reads it back.

Where: ``$INFOVIEW_CACHE_DIR`` when set (an empty value turns keeping off),
else ``$XDG_CACHE_HOME/infoview``, else ``~/.cache/infoview``. The folder is
made private (0700); one that is not a folder, belongs to another user, or is
writable by others is never used (someone else could plant code to run).
Files are written whole (a temporary file, then ``os.replace``); one that
cannot be read or is corrupt reads as nothing. Past :data:`KEEP` files (those
of earlier versions pile up), a write removes the oldest. Nothing here ever
raises for the folder: any error reading or writing it means "not kept".
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path

from infoview import _version

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "KEEP",
    "content_hash",
    "digest",
    "directory",
    "load",
    "read_value",
    "store",
    "write_value",
]

ENVIRONMENT_VARIABLE = "INFOVIEW_CACHE_DIR"
#: The most files the folder keeps; past it, the least recently written go first.
KEEP = 2_000
# Changes whenever the layout of a kept file does.
FORMAT = 1
_VALUE_SUFFIX = ".value"
_SUFFIXES = (".jinja-code", _VALUE_SUFFIX)  # every kind of file kept here, for pruning

_directories: dict[tuple[str | None, ...], Path | None] = {}


def directory() -> Path | None:
    """The folder to use, made if need be; None when keeping is off or the folder unusable."""
    settings = tuple(os.environ.get(v) for v in (ENVIRONMENT_VARIABLE, "XDG_CACHE_HOME", "HOME"))
    if settings not in _directories:
        _directories[settings] = _usable(_chosen(*settings))
    return _directories[settings]


def _chosen(own: str | None, xdg: str | None, home: str | None) -> Path | None:
    if own is not None:
        return Path(own) if own else None
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "infoview"
    try:
        return Path(home or os.path.expanduser("~")) / ".cache" / "infoview"
    except RuntimeError:  # no home to be found
        return None


def _usable(folder: Path | None) -> Path | None:
    """The folder, made private if it is new; None unless it is a folder only its owner writes."""
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.stat(folder)
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(found.st_mode):
        return None
    owner = getattr(os, "geteuid", None)
    if owner is not None and (found.st_uid != owner() or found.st_mode & 0o022):
        return None  # someone else could plant code to run
    return folder


def digest(*parts: object) -> str:
    """A file name for what ``parts`` name, with infoview's and Python's versions (a hash)."""
    python = (sys.version, sys.implementation.cache_tag, sys.flags.optimize)
    versions = (FORMAT, _version.__version__, *python)  # infoview's read now: a test changes it
    text = repr((versions, *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(source: str) -> str:
    """The hash a key or a kept file records of a file's text."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def load(name: str) -> object:
    """The value marshalled in the folder's file ``name``, or None (off, missing or corrupt)."""
    folder = directory()
    if folder is None:
        return None
    try:
        with open(folder / name, "rb") as file:
            return marshal.loads(file.read())  # noqa: S302 - our own private folder
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store(name: str, value: object) -> None:
    """Marshal ``value`` into the folder's file ``name``, whole; quietly nothing if it cannot."""
    folder = directory()
    if folder is None:
        return
    data = marshal.dumps(value)  # type: ignore[arg-type] # plain values and code only
    try:
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    _prune(folder)


def read_value(key: str) -> object:
    """A plain value kept under ``key`` by :func:`write_value`, or None."""
    kept = load(key + _VALUE_SUFFIX)
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == FORMAT):
        return None
    return kept[1]


def write_value(key: str, value: object) -> None:
    """Keep a plain value (no code) under ``key``; quietly nothing if it cannot."""
    store(key + _VALUE_SUFFIX, (FORMAT, value))


def _prune(folder: Path) -> None:
    """Remove the oldest files once the folder holds more than :data:`KEEP` (old versions').

    Only a write (which is rare) looks; files are removed down to nine tenths
    of the limit, so the next writes do not look again at once.
    """
    with contextlib.suppress(OSError):
        with os.scandir(folder) as entries:
            kept = [e for e in entries if e.name.endswith(_SUFFIXES) and e.is_file()]
        if len(kept) <= KEEP:
            return
        kept.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in kept[: len(kept) - KEEP * 9 // 10]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
