"""``|paragraph`` joins layout white space exactly as the plain pattern over every run does."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from infoview.rendering import filters

# The definition |paragraph keeps: every run of layout white space becomes one space.
_REFERENCE = re.compile(r"[ \t\n\r\f\v]+")


def _reference(text: str) -> str:
    return _REFERENCE.sub(" ", text).strip(" ")


@given(st.text(alphabet=" \t\n\r\f\v\u00a0\u202f\u2007a?:«»é", max_size=60))
def test_paragraph_with_no_break_spaces_is_the_reference(text: str) -> None:
    """Any mix of layout white space and no-break spaces gives the reference's text."""
    text += "\u00a0"  # always the no-break path
    assert _reference(text) == filters.paragraph(text)


def test_french_paragraph_keeps_no_break_spaces_and_joins_lines() -> None:
    """A French paragraph of a template's layout joins into one line, no-break spaces kept."""
    text = (
        "\n  Auriez-vous 20\u00a0minutes\u202f?\n\tMerci «\u00a0beaucoup\u00a0» !"
        "  Bonne \n journée.\n"
    )
    expected = "Auriez-vous 20\u00a0minutes\u202f? Merci «\u00a0beaucoup\u00a0» ! Bonne journée."
    assert expected == filters.paragraph(text)
