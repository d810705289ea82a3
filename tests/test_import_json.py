"""Importing contacts from JSON written by infoview.converter."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from infoview import Contact, Source, converter
from infoview.importers import ImportFileError, read_json

DATA = Path(__file__).parent / "data" / "import"
# Whitespace JSON allows between items: line breaks of every style.
_SPACE = st.text(alphabet=" \t\n\r", max_size=4)


def test_list_with_bad_elements() -> None:
    """Each element is structured on its own; bad ones are problems at their line."""
    result = read_json(DATA / "contacts.json")
    assert (4, 2) == (result.rows, result.taken)
    assert ["Ana García", "Zoë 🌻 Okafor"] == [c.name for c in result.contacts]
    assert [2, 21] == [r.line for r in result.records]
    assert [(12, "emial"), (16, "source")] == [(p.line, p.field) for p in result.problems]
    assert "item 2: unknown field; did you mean 'email'?" == result.problems[0].message
    assert result.problems[1].message.startswith("item 3: 'friend' is not a Source")
    assert Contact(name="Jo Rivera") == result.contacts[1].introduced_by
    assert "4 rows: 2 contacts taken (1 without email), 2 rejected (items 2, 3)" == (
        result.summary()
    )


def test_round_trip_through_the_converter() -> None:
    """What converter.dumps writes, read_json reads back equal, also under "contacts"."""
    contacts = [
        Contact(name="Ana García", email="ana@example.com", source=Source.ALUMNI, tags=("a",)),
        Contact(name="李雷", locale="zh-CN", timezone="Asia/Shanghai"),
    ]
    listed = converter.dumps(contacts)
    wrapped = json.dumps({"contacts": converter.unstructure(contacts)})
    assert tuple(contacts) == read_json(io.StringIO(listed)).contacts
    assert tuple(contacts) == read_json(io.BytesIO(wrapped.encode("utf-16"))).contacts


def test_items_on_one_line_are_still_separate_rows() -> None:
    """Problems of items sharing a line are counted per item."""
    result = read_json(io.StringIO('[{"name": 1}, {"name": "A"}, {"name": "\\n"}]'))
    assert (3, 1, 2) == (result.rows, result.taken, result.rejected_rows)
    assert [1] == list(result.rejected)


def test_duplicate_emails_in_json() -> None:
    """Duplicates are reported in JSON too."""
    result = read_json(
        io.StringIO(
            '[{"name": "A", "email": "a@example.com"}, {"name": "B", "email": "A@example.com"}]'
        )
    )
    assert [1] == [p.duplicate_of for p in result.duplicates]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{]", "is not valid JSON at line 1 column 3"),
        ('{"people": []}', "is not a list of contacts"),
        ('{"contacts": [], "extra": 1}', "is not a list of contacts"),
        ('"Ana"', "is not a list of contacts"),
        ("[1] 2", "is not valid JSON"),
    ],
)
def test_file_errors(text: str, message: str) -> None:
    """Text that is not a JSON list of contacts is a file error."""
    with pytest.raises(ImportFileError, match=message):
        read_json(io.StringIO(text))


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(['{"name": "A"}', '{"name": 1}', '{\n"emial": "a"\n}']), _SPACE),
        min_size=1,
        max_size=8,
    ),
    before=_SPACE,
)
def test_each_item_is_on_the_line_where_it_starts(
    items: list[tuple[str, str]], before: str
) -> None:
    """Taken or not, an item is reported on the line of the file where its ``{`` is."""
    text, starts = "[" + before, []
    for item, space in items:
        starts.append(text.count("\n") + 1)
        text += item + space + ","
    text = text[:-1] + "]"
    result = read_json(io.StringIO(text, newline=""))
    lines = {r.line for r in result.records} | {p.line for p in result.problems}
    assert len(items) == result.rows
    assert set(starts) == lines
    assert [starts[i] for i, (item, _) in enumerate(items) if item == '{"name": "A"}'] == [
        r.line for r in result.records
    ]
