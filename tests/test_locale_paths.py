"""The short cuts French drafts take give the same answers as the long way round."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from infoview.model import _text
from infoview.model.texts import LocalizedText, language_of
from infoview.rendering import filters

_LAYOUT = re.compile(r"[ \t\n\r\f\v]+")


@given(st.text(alphabet=" \n\u00a0\u202f\u2009\u2028\x85a?é", max_size=60))
def test_paragraph_of_lines_and_lone_spaces_is_the_reference(text: str) -> None:
    """A paragraph of lines, lone spaces and no-break spaces joins as the plain pattern does."""
    text += "\u00a0"  # the no-break path; no tab or double space: the path by lines
    assert _LAYOUT.sub(" ", text).strip(" ") == filters.paragraph(text)


def test_every_refused_character_is_unprintable() -> None:
    """Each character a header check refuses is one str.isprintable() refuses (its short cut)."""
    refused = [
        char
        for char in map(chr, range(0x110000))
        if _text.LINE_BREAKS.search(char)
        or char == "\t"
        or _text._CONTROL.search(char)
        or char in "\u200c\u200d"
    ]
    assert 80 < len(refused)
    assert [] == [char for char in refused if char.isprintable()]


def test_printable_text_still_refuses_encoded_words() -> None:
    """Printable text passes the header check unless it holds an encoded word."""
    assert _text.problem("Ancien élève curieux ?") is None
    assert _text.problem("Ancien élève curieux\u00a0?") is None  # unprintable: the long way
    assert "tab" in (_text.problem("élève\tcurieux") or "")
    assert "encoded word" in (_text.problem("élève =?utf-8?q?x?=") or "")


def _reference_find(text: LocalizedText, language: str) -> tuple[str, str] | None:
    wanted = language.replace("-", "_")
    base, same = language_of(wanted), None
    for locale, value in text.items():
        if locale == wanted:
            return locale, value
        if same is None and language_of(locale) == base:
            same = locale, value
    if same is not None and same[0] != base and base in text:
        return base, text[base]
    return same


_LOCALES = ["en", "en_US", "en_GB", "es", "es_MX", "fr", "fr_CA", "de", "de_AT", "pt_BR"]


@given(
    st.lists(st.sampled_from(_LOCALES), min_size=1, max_size=5, unique=True),
    st.sampled_from([*_LOCALES, "es-MX", "fr-CA", "it", "zh_Hant_TW"]),
)
def test_find_is_the_reference(keys: list[str], language: str) -> None:
    """A text per language finds the same locale as the scan by language does."""
    text = LocalizedText({key: f"text {key}" for key in keys})
    assert _reference_find(text, language) == text.find(language)
