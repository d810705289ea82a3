"""The compiled-template cache: built-in templates compiled per language, kept on disk.

Compiling a built-in for one language and register (parse, inline, flatten,
Jinja2's code generation: :mod:`infoview.rendering.specialize`) is most of a
new process's first render. The code it produces is kept in a private
per-user folder, marshalled as Jinja2's own ``FileSystemBytecodeCache`` keeps
bytecode, and read back by the next process.

Where: ``$INFOVIEW_CACHE_DIR`` when set (an empty value turns the cache off),
else ``$XDG_CACHE_HOME/infoview``, else ``~/.cache/infoview``. The folder is
made private (0700); one that is not a folder, belongs to another user, or is
writable by others is never used. A file's name is a hash of everything the
code could depend on besides the template files (infoview, Python, Jinja2 and
Babel versions, the compiling modules, the template's name, the catalog's
content, register and locale, the environment's syntax, filters and tests);
inside, it names each template file the code was built from with a hash of its
content, checked before the code is used. A file that cannot be read, is
corrupt, or was built from other sources is compiled again and rewritten
(atomically: a temporary file, then ``os.replace``). Past :data:`KEEP`
files (those of earlier versions pile up), a write removes the oldest. The
cache never makes a render fail: any error reading or writing it falls back
to compiling.

Two small answers worked out from Babel's data and the built-ins' sources are
kept beside the code, as plain values (``.value`` files, read with
:func:`read_value`): each locale's durations written in words (see
``infoview.language.wording.keeper``), and what each built-in reads, its
blocks and formats (:mod:`infoview.rendering.introspect`), each under a key
that names the versions, the files of the code that works it out and, for a
built-in, the content of every built-in file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import CodeType

from infoview.language import wording

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "KEEP",
    "Dependency",
    "content_hash",
    "digest",
    "directory",
    "read",
    "read_value",
    "write",
    "write_value",
]

ENVIRONMENT_VARIABLE = "INFOVIEW_CACHE_DIR"
# Changes whenever the layout of a cache file does.
_FORMAT = 1
_SUFFIX = ".jinja-code"
# Plain values worked out from the built-ins' sources (what each reads): small, one per built-in.
_VALUE_SUFFIX = ".value"
_KEPT = (_SUFFIX, _VALUE_SUFFIX)

# A template file the code was built from: its name, file name and content hash
# ("" for both when the name did not resolve to a file that is compiled in).
Dependency = tuple[str, str, str]

_directories: dict[tuple[str | None, ...], Path | None] = {}


def directory() -> Path | None:
    """The cache folder to use, made if need be; None when it is off or unusable."""
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
    """The file name for a compile: a hash of ``parts`` and of the versions that shape the code."""
    import babel  # noqa: PLC0415 - both loaded by then; read only for their versions
    import jinja2  # noqa: PLC0415

    from infoview._version import __version__  # noqa: PLC0415

    versions = (_FORMAT, __version__, sys.version, sys.implementation.cache_tag, sys.flags.optimize)
    text = repr((versions, jinja2.__version__, babel.__version__, *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read(key: str) -> tuple[tuple[Dependency, ...], CodeType] | None:
    """The dependencies and code kept under ``key``, or None (missing, unreadable or corrupt)."""
    folder = directory()
    if folder is None:
        return None
    try:
        with open(folder / (key + _SUFFIX), "rb") as file:
            kept = marshal.loads(file.read())  # noqa: S302 - our own private folder
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (
        isinstance(kept, tuple)
        and len(kept) == 3  # format, dependencies, code
        and kept[0] == _FORMAT
        and isinstance(kept[1], tuple)
        and all(_is_dependency(d) for d in kept[1])
        and isinstance(kept[2], CodeType)
    ):
        return None
    return kept[1], kept[2]


def _is_dependency(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 3  # name, file name, hash
        and all(isinstance(v, str) for v in value)
    )


def write(key: str, dependencies: Sequence[Dependency], code: CodeType) -> None:
    """Keep ``code`` and what it was built from under ``key``; quietly nothing if it cannot."""
    _store(key + _SUFFIX, lambda: marshal.dumps((_FORMAT, tuple(dependencies), code)))


def _store(name: str, data: Callable[[], bytes]) -> None:
    """Write a file of the folder whole (a temporary file, then a rename), then prune."""
    folder = directory()
    if folder is None:
        return
    payload = data()
    try:
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
        os.replace(temporary, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    _prune(folder)


def read_value(key: str) -> object:
    """A plain value (marshal's types) kept under ``key`` by :func:`write_value`, or None."""
    folder = directory()
    if folder is None:
        return None
    try:
        with open(folder / (key + _VALUE_SUFFIX), "rb") as file:
            kept = marshal.loads(file.read())  # noqa: S302 - our own private folder
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == _FORMAT):
        return None
    return kept[1]


def write_value(key: str, value: object) -> None:
    """Keep a plain value (no code) under ``key``; quietly nothing if it cannot."""
    _store(key + _VALUE_SUFFIX, lambda: marshal.dumps((_FORMAT, value)))  # type: ignore[arg-type]


#: The most files the folder keeps; past it, the least recently written go first.
KEEP = 2_000


def _prune(folder: Path) -> None:
    """Remove the oldest files once the folder holds more than :data:`KEEP` (old versions').

    Only a write (a compile, which is rare) looks; files are removed down to
    nine tenths of the limit, so the next writes do not look again at once.
    """
    with contextlib.suppress(OSError):
        with os.scandir(folder) as entries:
            kept = [e for e in entries if e.name.endswith(_KEPT) and e.is_file()]
        if len(kept) <= KEEP:
            return
        kept.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in kept[: len(kept) - KEEP * 9 // 10]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def content_hash(source: str) -> str:
    """The hash a dependency records of a template's source."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def _read_kept(parts: tuple[object, ...]) -> object:
    return read_value(digest(*parts)) if directory() is not None else None


def _write_kept(parts: tuple[object, ...], value: object) -> None:
    if directory() is not None:
        write_value(digest(*parts), value)


# Durations written in words are kept here too: the first of a process would
# otherwise load a whole locale's data from Babel (infoview.language.wording.keeper).
wording.keeper = (_read_kept, _write_kept)
