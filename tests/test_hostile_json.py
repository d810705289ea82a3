"""Hostile JSON: every wrong type, misspelled key and broken document is a clean StructureError.

The corpus is ``tests/data/hostile_json/``: one small document per case, and
``expected.json`` naming for each the class it is read as, the first path the
error must name (``null`` for a document that must be accepted), a phrase the
message must contain and why the case is there. Cases too big to keep as files
(deep nesting, a 10 MB name) are built here.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import infoview
from infoview import Contact, Interview, Policy, Source, StructureError
from infoview.model.serialize import MAX_DEPTH

from . import strategies as s

converter = infoview.converter
CORPUS = Path(__file__).parent / "data" / "hostile_json"
CASES: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))

# What a message must never show: Python's and cattrs' internals, or where Python is installed.
INTERNALS = (
    "<class",
    "cattrs",
    "Traceback",
    "site-packages",
    " object at 0x",
    "NoneType",
    "ExceptionGroup",
    "ValidationError",
    sys.prefix,
    sys.base_prefix,
    str(Path(infoview.__file__).parent),
)


def assert_clean(error: StructureError) -> None:
    """The error lists its problems as 'path: message', and no message shows internals."""
    message = str(error)
    assert error.problems
    assert message == "\n".join(error.problems)
    assert error.problems[0].startswith(f"{error.path}: ")
    for internal in INTERNALS:
        assert internal not in message
    assert len(message) < 2_000 * len(error.problems)


def test_corpus_is_complete() -> None:
    """Every document in the corpus has an expectation, and every expectation a document."""
    files = {p.name for p in CORPUS.iterdir()} - {"expected.json"}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_document(name: str) -> None:
    """Each hostile document is refused with the expected first path and a clean message."""
    case = CASES[name]
    cls = getattr(infoview, case["type"])
    data = (CORPUS / name).read_bytes()
    if case["path"] is None:
        assert isinstance(converter.loads(data, cls), cls)
        return
    with pytest.raises(StructureError) as info:
        converter.loads(data, cls)
    assert case["path"] == info.value.path
    assert case["says"] in info.value.problems[0]
    assert isinstance(info.value, ValueError)
    assert info.value.__cause__ is None
    assert "__" not in str(info.value)
    assert_clean(info.value)


def utf8(name: str) -> bool:
    """Whether a corpus document is UTF-8 text (all but the one testing invalid bytes)."""
    try:
        (CORPUS / name).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(filter(utf8, CASES)))
def test_text_and_bytes_agree(name: str) -> None:
    """Reading the document as text gives the same result as reading its bytes."""
    case = CASES[name]
    cls = getattr(infoview, case["type"])
    data = (CORPUS / name).read_bytes()
    if case["path"] is None:
        assert converter.loads(data, cls) == converter.loads(data.decode("utf-8"), cls)
        return
    with pytest.raises(StructureError) as info:
        converter.loads(data.decode("utf-8"), cls)
    assert case["path"] == info.value.path


def test_bom_is_the_same_document() -> None:
    """A leading byte-order mark changes nothing (RFC 8259 lets a reader ignore it)."""
    assert Contact(name="Ana") == converter.loads("\ufeff" + '{"name": "Ana"}', Contact)
    assert Contact(name="Ana") == converter.loads((CORPUS / "bom.json").read_bytes(), Contact)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * 100_000, "line 1 column 101"),
        ('{"a": ' * 100_000, "line 1 column 601"),
        ('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", "line 1 column 109"),
        ('{"name": "Ana",\n"tags": ' + "[" * 100_000 + "]" * 100_000 + "}", "line 2 column 108"),
    ],
)
def test_deep_json_is_refused(text: str, where: str) -> None:
    """100,000 nested lists or objects are a StructureError naming where, not a RecursionError."""
    with pytest.raises(StructureError) as info:
        converter.loads(text, Contact)
    assert "contact" == info.value.path
    assert f"nested more than {MAX_DEPTH} levels deep at {where}" in str(info.value)
    assert_clean(info.value)


def test_nesting_up_to_the_limit_is_read() -> None:
    """A document exactly MAX_DEPTH levels deep is parsed (and here refused for its type)."""
    text = '{"name": "Ana", "tags": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    with pytest.raises(StructureError) as info:
        converter.loads(text, Contact)
    assert "contact.tags[0]" == info.value.path
    assert "expected text, got a list" in str(info.value)


def chain(length: int) -> dict[str, Any]:
    """A contact document introduced by a contact introduced by … ``length`` deep."""
    document: dict[str, Any] = {"name": "Ana 0"}
    for n in range(1, length):
        document = {"name": f"Ana {n}", "introduced_by": document}
    return document


def test_deep_objects_are_refused_in_python_data() -> None:
    """Nesting in Python data (no JSON text to scan) is bounded too: no RecursionError."""
    with pytest.raises(StructureError) as info:
        converter.structure(chain(100_000), Contact)
    assert "contact" + ".introduced_by" * (MAX_DEPTH // 2) == info.value.path
    assert "nest more than" in str(info.value)
    assert_clean(info.value)


def test_whatever_structures_also_loads() -> None:
    """The deepest chain the converter accepts also fits in JSON, round trip included."""
    contact = converter.structure(chain(MAX_DEPTH // 2), Contact)
    assert contact == converter.loads(converter.dumps(contact), Contact)
    with pytest.raises(StructureError):
        converter.structure(chain(MAX_DEPTH // 2 + 1), Contact)


def test_ten_megabyte_name_is_fine() -> None:
    """A 10 MB name is read as it is; as a datetime it is refused with a short message."""
    name = "x" * 10_000_000
    assert name == converter.loads(json.dumps({"name": name}), Contact).name
    text = json.dumps({"contact": {"name": "Ana"}, "sender": {"name": "Sam"}, "scheduled_at": name})
    with pytest.raises(StructureError) as info:
        converter.loads(text, Interview)
    assert "interview.scheduled_at" == info.value.path
    assert "10,000,000 characters" in str(info.value)
    assert len(str(info.value)) < 500


def test_large_documents_are_fine(interview: Interview) -> None:
    """A long list of interviews (many objects, lists and strings) loads back equal."""
    plan = [interview] * 500
    assert plan == converter.loads(converter.dumps(plan), list[Interview])


def test_every_problem_is_listed(interview: Interview) -> None:
    """One error lists every bad path, unknown keys first within an object."""
    data = converter.unstructure(interview)
    data["contact"]["name"] = None
    data["contact"]["timezon"] = "Europe/Berlin"
    data["takeaways"] = "a string"
    data["questions"]["questions"][1]["priority"] = True
    with pytest.raises(StructureError) as info:
        converter.structure(data, Interview)
    assert [
        "interview.contact.timezon: unknown field; did you mean 'timezone'?",
        "interview.contact.name: expected text, got null",
        "interview.questions.questions[1].priority: expected a whole number, got true",
        "interview.takeaways: expected a list, got text 'a string'",
    ] == info.value.problems
    assert "interview.contact.timezon" == info.value.path


@pytest.mark.parametrize(
    ("data", "path", "says"),
    [
        ({"name": b"Ana"}, "contact.name", "expected text, got a Python bytes"),
        ({"name": "Ana", "tags": {"alumni"}}, "contact.tags", "expected a list, got a Python set"),
        (
            {"name": "Ana", "introduced_by": object()},
            "contact.introduced_by",
            "got a Python object",
        ),
        ({"name": "Ana", 7: "seven"}, "contact[7]", "unknown field"),
        (Contact(name="Ana"), None, ""),
        ({"name": "Ana", "tags": ("a", "b")}, None, ""),
        ({"name": "Ana", "introduced_by": Contact(name="Lin")}, None, ""),
    ],
)
def test_python_objects(data: Any, path: str | None, says: str) -> None:
    """Python values that are not JSON types are refused; objects of the right class pass."""
    if path is None:
        assert isinstance(converter.structure(data, Contact), Contact)
        return
    with pytest.raises(StructureError) as info:
        converter.structure(data, Contact)
    assert path == info.value.path
    assert says in str(info.value)
    assert_clean(info.value)


def test_a_contact_is_not_an_interview(ana: Contact) -> None:
    """An object of another class where a document is expected names both."""
    with pytest.raises(
        StructureError, match=r"expected an object \(an Interview\), got a Python Contact"
    ):
        converter.structure(ana, Interview)


def test_sets_take_a_list_or_a_set() -> None:
    """Set-valued fields (a policy's weekend) take a JSON list, or a Python set."""
    assert frozenset({5, 6}) == converter.structure({"weekend": [5, 6]}, Policy).weekend
    assert frozenset({4}) == converter.structure({"weekend": {4}}, Policy).weekend
    with pytest.raises(StructureError, match=r"policy\.weekend: expected a list, got text '56'"):
        converter.structure({"weekend": "56"}, Policy)


def test_whole_floats_are_whole_numbers() -> None:
    """3.0 is the whole number 3 (some JSON writers emit it); 3.5 is refused."""
    assert 3 == converter.structure({"nudges": 3.0}, Policy).nudges
    assert int is type(converter.structure({"nudges": 3.0}, Policy).nudges)


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"name": "Ana", "title": None}, "title", None),
        ({"name": "Ana", "source": "alumni"}, "source", Source.ALUMNI),
        ({"name": "Ana", "source": Source.EVENT}, "source", Source.EVENT),
        ({"name": "Ana", "tags": []}, "tags", ()),
        ({"name": "Ana", "tags": ["a", "b"]}, "tags", ("a", "b")),
        ({"name": Source.ALUMNI}, "name", "alumni"),
    ],
)
def test_strict_is_not_fussy(data: dict[str, Any], field: str, expected: Any) -> None:
    """Null for optional text, enum values and members, lists of text: all still read."""
    value = getattr(converter.structure(data, Contact), field)
    assert expected == value
    assert type(expected) is type(value)


@pytest.mark.parametrize(
    ("value", "minutes"), [("PT30M", 30), ("PT0.5H", None), (30, 30), (30.0, 30), ("-PT", None)]
)
def test_durations(value: Any, minutes: int | None) -> None:
    """Durations are ISO 8601 text or a number of minutes; anything else is refused."""
    data = {"contact": {"name": "Ana"}, "sender": {"name": "Sam"}, "duration": value}
    if minutes is None:
        with pytest.raises(StructureError, match=r"^interview\.duration: "):
            converter.structure(data, Interview)
    else:
        assert minutes == converter.structure(data, Interview).minutes


def test_bytes_are_base85_text() -> None:
    """Attachment bytes round-trip as base85 text; other values are refused by name."""
    attachment = infoview.Attachment(filename="notes.txt", content=b"\x00notes")
    assert attachment == converter.loads(converter.dumps(attachment), infoview.Attachment)
    data = {"filename": "notes.txt", "content": "~~~~~"}
    with pytest.raises(StructureError, match=r"^attachment\.content: expected bytes as base85"):
        converter.structure(data, infoview.Attachment)


def test_loads_takes_no_parser_options() -> None:
    """loads() sets its own parser options; passing json.loads options is a TypeError."""
    with pytest.raises(TypeError, match=r"no json\.loads"):
        converter.loads('{"name": "Ana"}', Contact, parse_float=float)
    with pytest.raises(TypeError, match="str or bytes"):
        converter.loads({"name": "Ana"}, Contact)  # type: ignore[arg-type]


# --- any JSON value anywhere ------------------------------------------------------------------

FIELD_NAMES = sorted(
    {f.name for cls in (Contact, Interview, infoview.Question) for f in attrs.fields(cls)}
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "alumni", "PT20M", "2026-12-03T15:00:00-06:00[America/Chicago]"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def places(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document: the root, each object member and each list item."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found.extend(places(value, (*path, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(places(value, (*path, index)))
    return found


def put(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """Return ``document`` with ``value`` at ``path`` (a new key where the path ends in one)."""
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return document


def conforms(value: Any, annotation: Any) -> bool:
    """Whether ``value`` has the declared type, through every nested field."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if annotation is type(None):
        return value is None
    if origin in (list, tuple, frozenset):
        return isinstance(value, origin) and all(conforms(item, args[0]) for item in value)
    if attrs.has(annotation):
        attrs.resolve_types(annotation)
        return isinstance(value, annotation) and all(
            conforms(getattr(value, field.name), field.type) for field in attrs.fields(annotation)
        )
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.interviews(), st.data())
def test_any_json_value_anywhere(interview: Interview, data: st.DataObject) -> None:
    """Any JSON value anywhere in an interview: a well-typed interview, or a StructureError.

    Reading the same document from JSON text gives the same outcome.
    """
    document = converter.unstructure(interview)
    document = json.loads(json.dumps(document))  # plain JSON types only
    path = data.draw(st.sampled_from(places(document)), label="path")
    if path and isinstance(path[-1], str) and data.draw(st.booleans(), label="new key"):
        path = (*path[:-1], data.draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=8)))
    document = put(document, path, data.draw(json_values, label="value"))
    structured = read(lambda: converter.structure(document, Interview))
    loaded = read(lambda: converter.loads(json.dumps(document), Interview))
    if isinstance(structured, StructureError):
        assert_clean(structured)
        assert isinstance(loaded, StructureError)
        assert structured.problems == loaded.problems
    else:
        assert conforms(structured, Interview)
        assert structured == loaded
        assert structured == converter.structure(converter.unstructure(structured), Interview)


def read(how: Any) -> Any:
    """Return what ``how()`` returns, or the StructureError it raises."""
    try:
        return how()
    except StructureError as error:
        return error
