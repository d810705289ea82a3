"""Extraction: the pybabel methods that collect infoview's messages into a catalog.

``src/infoview/locale/babel.cfg`` names them (``infoview.language.extract:extract_templates``
and its siblings). Each writes a message that addresses the reader (the
gettext context ``"you"``) once per register, as the catalogs hold it
(``msgctxt "formal"`` and ``"informal"``); templates are parsed with the same
settings as rendering (:data:`infoview.language.locales.TRIMMED`, new-style gettext).
Nothing imports this module while rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, BinaryIO, cast

from babel.messages.extract import extract_python as _babel_extract_python
from jinja2.ext import babel_extract

from infoview.language.locales import ADDRESS_CONTEXT, NEWSTYLE, REGISTER_CONTEXTS, TRIMMED
from infoview.model.questions import QuestionBank

__all__ = ["extract_python", "extract_questions", "extract_templates"]

_Extracted = tuple[int, str, Any, list[str]]


def _per_register(extracted: Iterable[_Extracted]) -> Iterator[_Extracted]:
    """Turn each ``"you"`` message into one entry per register context."""
    for lineno, funcname, message, comments in extracted:
        if (
            funcname in {"pgettext", "npgettext"}
            and isinstance(message, tuple)
            and message[0] == ADDRESS_CONTEXT
        ):
            for context in REGISTER_CONTEXTS:
                yield lineno, funcname, (context, *message[1:]), comments
        else:
            yield lineno, funcname, message, comments


def _flag(options: Mapping[str, Any], key: str, default: bool) -> bool:
    value = options.get(key)
    if value is None:
        return default
    return str(value).lower() in {"1", "on", "yes", "true"}


def extract_templates(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract template messages the way :func:`infoview.language.i18n.install` renders them.

    Wraps ``jinja2.ext.babel_extract`` with the render settings (trimmed,
    new-style gettext) and writes each ``{% trans "you" %}`` message once per
    register. Template syntax errors are raised, not skipped.

    Raises:
        ValueError: When the mapping asks for other ``trimmed`` or
            ``newstyle_gettext`` settings than rendering uses.
    """
    for key, wanted in (("trimmed", TRIMMED), ("newstyle_gettext", NEWSTYLE)):
        if _flag(options, key, wanted) != wanted:
            raise ValueError(
                f"babel.cfg sets {key} = {options[key]!r} but templates render with "
                f"{key} = {wanted}; remove the option (a mismatch leaves text untranslated)"
            )
    settings = {
        "silent": "false",
        **options,
        "trimmed": str(TRIMMED).lower(),
        "newstyle_gettext": str(NEWSTYLE).lower(),
    }
    found = babel_extract(cast(BinaryIO, fileobj), list(keywords), comment_tags, settings)
    yield from _per_register(found)


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract Python messages; ``you_("…")`` is written once per register."""
    words = dict.fromkeys([*keywords, "you_"])
    # Babel's annotation swaps the last two items; it yields (line, func, message, comments).
    found = cast(
        Iterable[_Extracted],
        _babel_extract_python(fileobj, words, comment_tags, options),  # type: ignore[arg-type]
    )
    for lineno, funcname, message, comments in found:
        if funcname == "you_":
            for context in REGISTER_CONTEXTS:
                yield lineno, "pgettext", (context, message), comments
        else:
            yield lineno, funcname, message, comments


def extract_questions(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract the built-in question bank: each text and probe, once per register.

    Questions address the person interviewed, so they need Sie/du, vous/tu,
    usted/tú like the rest of the prose.
    """
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()

    def line_of(text: str) -> int:
        start = text[:25]
        return next((i for i, line in enumerate(lines, 1) if start in line), 1)

    seen: set[str] = set()
    for question in QuestionBank.default():
        for text in (question.text, *question.probes):
            if text in seen:
                continue
            seen.add(text)
            comments = [f"question {question.key}"]
            for context in REGISTER_CONTEXTS:
                yield line_of(text), "pgettext", (context, text), comments
