"""The compiled-template cache: built-in templates compiled per language, kept on disk.

Compiling a built-in for one language and register (parse, inline, flatten,
Jinja2's code generation: :mod:`infoview.rendering.specialize`) is most of a
new process's first render. The code it produces is kept in the private
per-user folder of :mod:`infoview._kept` (where it is, how it is kept private,
written whole and pruned), marshalled as Jinja2's own
``FileSystemBytecodeCache`` keeps bytecode, and read back by the next process.

A file's name is a hash of everything the code could depend on besides the
template files (infoview, Python, Jinja2 and Babel versions, the compiling
modules, the template's name, the catalog's content, register and locale, the
environment's syntax, filters and tests); inside, it names each template file
the code was built from with a hash of its content, checked before the code
is used. A file that cannot be read, is corrupt, or was built from other
sources is compiled again and rewritten. The cache never makes a render fail:
any error reading or writing it falls back to compiling.

What each built-in reads, its blocks and formats
(:mod:`infoview.rendering.introspect`) are kept beside the code as plain
values (:func:`infoview._kept.read_value`), under a key that names the
versions, the files of the code that works them out and the content of every
built-in file.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import CodeType

from infoview import _kept
from infoview._kept import (
    ENVIRONMENT_VARIABLE,
    FORMAT,
    content_hash,
    directory,
    load,
    read_value,
    store,
    write_value,
)

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "Dependency",
    "content_hash",
    "digest",
    "directory",
    "read",
    "read_value",
    "write",
    "write_value",
]

_SUFFIX = ".jinja-code"

# A template file the code was built from: its name, file name and content hash
# ("" for both when the name did not resolve to a file that is compiled in).
Dependency = tuple[str, str, str]


def digest(*parts: object) -> str:
    """The file name for a compile: a hash of ``parts`` and of the versions that shape the code."""
    import babel  # noqa: PLC0415 - both loaded by then; read only for their versions
    import jinja2  # noqa: PLC0415

    return _kept.digest(jinja2.__version__, babel.__version__, *parts)


def read(key: str) -> tuple[tuple[Dependency, ...], CodeType] | None:
    """The dependencies and code kept under ``key``, or None (missing, unreadable or corrupt)."""
    kept = load(key + _SUFFIX)
    if not (
        isinstance(kept, tuple)
        and len(kept) == 3  # format, dependencies, code
        and kept[0] == FORMAT
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
    store(key + _SUFFIX, (FORMAT, tuple(dependencies), code))
