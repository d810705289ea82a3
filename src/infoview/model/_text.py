"""What untrusted text may hold: one definition for the model and for mail headers.

infoview turns other people's text (names, companies, CSV cells, LinkedIn
exports) into mail headers and calendar fields. Three kinds of character
sequence can forge or disguise what the recipient sees there, and are
refused wherever a value may reach a header:

- line breaks (CR, LF and every other character Python or a mail client
  may split lines on), which start a new header or end the header block;
- other control characters (NUL, ESC, DEL, C1 controls), and the invisible
  format characters used for spoofing: bidirectional embeddings, overrides
  and isolates (U+202A–U+202E, U+2066–U+2069), zero-width spaces and
  joiners used alone, the word joiner and the byte-order mark;
- RFC 2047 encoded words (``=?utf-8?q?…?=``), which Python's email
  package decodes — line breaks included — when it reads or writes a
  header. Every ``=?…?=`` span is refused, whitespace inside or not, since
  versions of the standard library differ in which ones they decode.

Ordinary right-to-left text (Arabic, Hebrew) and the marks it uses (LRM,
RLM, ALM) stay allowed, and so do ZWJ and ZWNJ between two visible
characters (Persian and Indic names, emoji sequences).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

__all__ = ["ENCODED_WORD", "LINE_BREAKS", "problem"]

# The patterns are compiled on first use (their Unicode classes take milliseconds
# to compile, and printable text, nearly every value, needs none of them).
_PATTERNS = {
    # CR, LF and every other character Python or a mail client may treat as a line break.
    "LINE_BREAKS": (r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", 0),
    # Any "=?" followed later by "?=": a superset of what any email package decodes.
    "ENCODED_WORD": (r"=\?.*?\?=", re.DOTALL),
    # C0 controls but tab, DEL, C1 controls; bidi embeddings/overrides/isolates;
    # zero-width space, word joiner and invisible operators, the BOM, Mongolian vowel separator.
    "_CONTROL": (
        (
            r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
            r"\u200b\u2060-\u2064\ufeff\u180e]"
        ),
        0,
    ),
    # ZWNJ/ZWJ that do not sit between two visible characters.
    "_LONE_JOINER": (r"(?:^|(?<=\s))[\u200c\u200d]|[\u200c\u200d](?=\s|$)", 0),
}

if TYPE_CHECKING:
    LINE_BREAKS: re.Pattern[str]
    ENCODED_WORD: re.Pattern[str]


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    pattern, flags = _PATTERNS[name]
    return re.compile(pattern, flags)


def __getattr__(name: str) -> re.Pattern[str]:
    # LINE_BREAKS, ENCODED_WORD (and the private two): compiled when first asked for.
    if name in _PATTERNS:
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def problem(value: str, *, multiline: bool = False) -> str | None:
    """Return what makes ``value`` unsafe where it may reach a header, or ``None``.

    Args:
        value: The text to check.
        multiline: Allow line breaks and tabs (free text such as notes, which
            never reaches a header as it is); control characters are still
            refused.
    """
    # Every character refused in this block is one str.isprintable() refuses
    # (line breaks, tabs, controls, format characters; tested): printable text,
    # a French subject line, skips three searches.
    if not value.isprintable():
        if not multiline:
            found = _pattern("LINE_BREAKS").search(value)
            if found:
                return f"contains a line break ({found.group()!r})"
            if "\t" in value:
                return "contains a tab"
        found = _pattern("_CONTROL").search(value)
        if found:
            return f"contains the invisible control character U+{ord(found.group()):04X}"
        if _pattern("_LONE_JOINER").search(value):
            return "contains a zero-width joiner that joins nothing"
    if not multiline and "=?" in value and _pattern("ENCODED_WORD").search(value):
        return "contains an RFC 2047 encoded word ('=?…?=')"
    return None
