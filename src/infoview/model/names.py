"""Taking a person's name apart: titles, given and family name, particles, suffixes.

Names arrive as people write them: "Ana García", "García, Ana", "Ana López,
PhD", "Juan de la Cruz", "Dr. Ana García", "Mr. Smith". :func:`parse_name`
finds the given name (for "Hi Ana,") and the family name (for "Dear Ms.
García,"), keeps particles with the family name ("de la Cruz", "von
Weizsäcker"), drops suffixes ("Jr.", "PhD") and notes titles written before
the name ("Dr.", "Prof.", "Frau"). What it cannot read, it refuses: the
caller then asks for ``given_name`` and ``family_name``.
"""

from __future__ import annotations

import functools
from typing import Literal

import attrs

from infoview.errors import UnreadableNameError

__all__ = ["NameParts", "UnreadableNameError", "is_particle", "parse_name"]

#: A courtesy title's gender as the contact wrote it: "ms", "mr" or "mx".
Courtesy = Literal["ms", "mr", "mx"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Scripts written without spaces between family and given name (kana, CJK
# ideographs, Hangul syllables, CJK compatibility ideographs): ranges of code
# points, compared directly (a regular expression of them takes milliseconds to compile).
_UNSPACED = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)


def _is_unspaced_script(text: str) -> bool:
    """Whether any character of ``text`` is of a script written without spaces."""
    return any(
        0x3040 <= code <= 0xFAFF and any(low <= code <= high for low, high in _UNSPACED)
        for code in map(ord, text)
    )


# Titles before a name, keyed without full stops and case: academic titles
# ("Dr", "Prof") and courtesy titles with the address they state. "Dra." is
# the Spanish female doctor: both at once.
_ACADEMIC: dict[str, tuple[str, Courtesy | None]] = {
    "dr": ("Dr", None),
    "dra": ("Dr", "ms"),
    "prof": ("Prof", None),
    "professor": ("Prof", None),
}
_COURTESY: dict[str, Courtesy] = {
    **dict.fromkeys(("mr", "mister", "herr", "sr", "monsieur"), "mr"),
    **dict.fromkeys(("mrs", "ms", "miss", "frau", "sra", "srta", "mme", "mlle", "madame"), "ms"),
    "mx": "mx",
}
# "M." is French "Monsieur" or an initial ("M. Night"): dropped, never read as a gender.
_DROPPED = frozenset({"m."})

# Written after a name, often after a comma: generations and degrees. ("Ma"
# and "Ba" are family names, so the two-letter degrees MA and BA are not here.)
_SUFFIXES = _words("jr sr ii iii iv phd md mba esq cpa dds jd llm msc bsc meng rn pmp cfa dphil")
_SUFFIXES |= _words("edd mph dvm psyd mfa")

# Words that belong to the family name that follows them.
_PARTICLES = _words("de del della der den di da das dos do du des la le van von zu ter ten")
_PARTICLES |= _words("bin binti ibn al")


@attrs.frozen
class NameParts:
    """A name taken apart.

    Attributes:
        given: The given name for informal greetings; ``None`` when the name
            has none ("Mr. Smith", "Dr. García").
        family: The family name, particles included ("de la Cruz").
        full: The name in given-first order, without titles and suffixes
            ("García, Ana, PhD" → "Ana García").
        titles: Academic titles written before the name, as ``"Dr"`` and
            ``"Prof"``, in their order.
        courtesy: The address a courtesy title in the name states ("Frau",
            "Mr.", "Sra.", "Dra."): ``"ms"``, ``"mr"``, ``"mx"`` or ``None``.
    """

    given: str | None
    family: str
    full: str
    titles: tuple[str, ...] = ()
    courtesy: Courtesy | None = None


def _key(word: str) -> str:
    return word.casefold().replace(".", "")


def is_particle(word: str) -> bool:
    """Whether a word is a name particle that belongs to the family name ("de", "von")."""
    return word.casefold() in _PARTICLES


class _Reader:
    """Collects the titles met while stripping the words around a name."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.courtesy: Courtesy | None = None
        self.any_title = False

    def _title(self, word: str) -> bool:
        found = self._read_title(word)
        self.any_title = self.any_title or found
        return found

    def _read_title(self, word: str) -> bool:
        key = _key(word)
        if key in _ACADEMIC:
            title, courtesy = _ACADEMIC[key]
            if title not in self.titles:
                self.titles.append(title)
            self.courtesy = self.courtesy or courtesy
            return True
        if key in _COURTESY:
            self.courtesy = self.courtesy or _COURTESY[key]
            return True
        return word.casefold() in _DROPPED

    def _trailer(self, word: str) -> bool:
        """A suffix, or an academic title written after the name ("García, Dr.")."""
        key = _key(word)
        if key in _SUFFIXES:
            return True
        return key in _ACADEMIC and self._title(word)

    def strip(self, words: list[str]) -> list[str]:
        """Drop titles before the name and suffixes after it."""
        start = 0
        while start < len(words) and self._title(words[start]):
            start += 1
        end = len(words)
        while end > start and self._trailer(words[end - 1]):
            end -= 1
        return words[start:end]

    def only_trailers(self, segment: str) -> bool:
        """Whether a comma segment holds nothing but suffixes and titles: ", PhD", ", Jr., MD"."""
        words = segment.split()
        if not all(_key(w) in _SUFFIXES or _key(w) in _ACADEMIC for w in words):
            return False
        for word in words:
            self._trailer(word)
        return True


def _refuse(name: str, problem: str) -> UnreadableNameError:
    return UnreadableNameError(f"cannot tell the given from the family name in {name!r}: {problem}")


def parse_name(name: str) -> NameParts:
    """Take a name apart into given and family name, titles and courtesy.

    The family name is the last word with the particles before it ("Juan de
    la Cruz" → "de la Cruz"); "Family, Given" is read as such; suffixes
    ("Jr.", "PhD", "MD"), after a comma or not, are dropped; titles before the
    name are noted. A single word is both given and family name ("Madonna"),
    unless a title stands before it ("Mr. Smith": a family name only). Names
    in CJK scripts are kept whole.

    Raises:
        UnreadableNameError: When nothing is left but titles, suffixes or particles,
            or commas split the name into more than "Family, Given".
    """
    return _parsed(name)


# A contact's name is read when the contact is checked and again when a draft
# greets it; the parts (frozen) are kept for the last few names, so each name
# is taken apart once.
@functools.lru_cache(maxsize=256)
def _parsed(name: str) -> NameParts:
    text = " ".join(name.split())
    if not text.isascii() and _is_unspaced_script(text):
        return NameParts(text, text, text)
    reader = _Reader()
    segments = [s.strip() for s in text.split(",") if s.strip()] if "," in text else [text]
    segments = [s for s in segments if s]
    while len(segments) > 1 and reader.only_trailers(segments[-1]):
        segments.pop()
    if len(segments) > 2:
        raise _refuse(name, "more commas than in 'Family, Given'")
    if len(segments) == 2:
        family_words = reader.strip(segments[0].split())
        given_words = reader.strip(segments[1].split())
        if not family_words or not given_words:
            raise _refuse(name, "one side of the comma holds only titles or suffixes")
        family = " ".join(family_words)
        full = " ".join([*given_words, *family_words])
        return NameParts(given_words[0], family, full, tuple(reader.titles), reader.courtesy)
    if not segments:
        raise _refuse(name, "it holds no name")
    words = reader.strip(segments[0].split())
    if not words:
        raise _refuse(name, "it holds only titles or suffixes")
    if all(is_particle(w) for w in words):
        raise _refuse(name, "it holds only name particles")
    titles, courtesy = tuple(reader.titles), reader.courtesy
    if len(words) == 1 or is_particle(words[0]):
        # "Madonna" is both; after a title ("Mr. Smith") or from a particle
        # on ("von Weizsäcker"), it is a family name only.
        given = None if reader.any_title or is_particle(words[0]) else words[0]
        return NameParts(given, " ".join(words), " ".join(words), titles, courtesy)
    start = len(words) - 1
    while start > 1 and is_particle(words[start - 1]):
        start -= 1
    family = " ".join(words[start:])
    return NameParts(words[0], family, " ".join(words), titles, courtesy)
