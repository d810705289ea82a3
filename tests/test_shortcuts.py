"""The shortcuts taken for speed give what the long way gives, and load less."""

from __future__ import annotations

import subprocess
import sys

import email_validator
import pytest
from email_validator import EmailNotValidError, rfc_constants, validate_email
from hypothesis import example, given, strategies as st

from infoview import Contact, ValidationError, importers
from infoview.importers import _contacts, read_csv
from infoview.mail import _headers
from infoview.model import _fields

TOP_LEVEL = ("com", "org", "co", "test", "local", "localhost", "onion", "arpa", "invalid")
TOP_LEVEL += ("x", "x1", "COM", "xn--p1ai", "c0m", "a" * 64, "")
# Near-plain addresses: upper case, "--", special-use and one-letter or numeric
# top-level domains, long labels, dots in odd places, characters outside the shortcut.
near_plain = st.builds(
    lambda local, labels, top: f"{local}@{'.'.join([*labels, top])}",
    st.from_regex(r"[a-z0-9_+-]{1,9}|[a-zA-Z0-9_+.'=-]{1,12}|[a-z]{60,200}", fullmatch=True),
    st.lists(st.from_regex(r"[a-z0-9-]{1,8}|[a-zA-Z0-9-]{1,8}|[a-z]{60,66}", fullmatch=True)),
    st.sampled_from(TOP_LEVEL),
)


def _long_way(text: str) -> str | None:
    """What email-validator makes of an address (``None``: refused)."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


@given(st.from_regex(_fields._PLAIN_ADDRESS, fullmatch=True))
def test_plain_addresses_are_valid_as_they_are(text: str) -> None:
    """Every address the shortcut takes, email-validator takes unchanged."""
    if _fields.plain_address(text):
        assert text == _long_way(text)


@given(near_plain)
@example("ana@example.test")
@example("ana@ex--ample.com")
@example("ana@xn--bcher-kva.com")
@example("Postmaster@example.com")
@example("ana@example.c")
@example("a" * 64 + "@" + "b" * 63 + ".com")
@example("a" * 200 + "@" + "b" * 50 + ".com")
@example("ana..garcia@example.com")
@example("ana@-example.com")
def test_shortcut_takes_nothing_the_long_way_refuses_or_changes(text: str) -> None:
    """An address the shortcut takes is valid and already normalized; others go the long way."""
    if _fields.plain_address(text):
        assert text == _long_way(text)


@pytest.mark.parametrize(
    "text",
    ["ana@example.test", "ana@ex--ample.com", "Ana@example.com", "ana@EXAMPLE.com", "ana@b.c"],
)
def test_not_plain(text: str) -> None:
    """Test domains, "--", upper case and one-letter top-level domains go the long way."""
    assert not _fields.plain_address(text)


def test_shortcut_matches_email_validator_constants() -> None:
    """The limits and special-use names the shortcut assumes are email-validator's own."""
    assert set(email_validator.SPECIAL_USE_DOMAIN_NAMES) == _fields._SPECIAL_USE
    assert 254 == rfc_constants.EMAIL_MAX_LENGTH
    assert 63 == rfc_constants.DNS_LABEL_LENGTH_LIMIT
    assert rfc_constants.DOT_ATOM_TEXT.match("a_b+c-d.e9")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ana@example.test", "special-use"),
        ("ana@ab--c.com", "two letters followed by two dashes"),
        ("ana@example", "should have a period"),
    ],
)
def test_refused_exactly_as_before(text: str, says: str) -> None:
    """What the shortcut leaves to email-validator is refused with its message."""
    with pytest.raises(ValidationError, match=says):
        Contact(name="Ana", email=text)


def _loaded(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_plain_addresses_do_not_load_email_validator() -> None:
    """A contact with a plain address is made without loading email-validator."""
    code = (
        "import sys; from infoview import Contact; "
        "Contact(name='Ana', email='ana.garcia+x@mail.example.com'); "
        "print('email_validator' in sys.modules)"
    )
    assert "False" == _loaded(code)


def test_serial_bulk_run_loads_no_worker_machinery() -> None:
    """Importing the bulk module loads neither multiprocessing nor concurrent.futures."""
    code = (
        "import sys, infoview.bulk; "
        "print(sorted(m for m in ('multiprocessing', 'concurrent.futures') if m in sys.modules))"
    )
    assert "[]" == _loaded(code)


def test_read_csv_loads_no_other_reader() -> None:
    """Reading a CSV file loads neither the vCard nor the LinkedIn reader."""
    code = (
        "import sys; from infoview.importers import read_csv; "
        "print(sorted(m for m in sys.modules if m.endswith(('.vcard', '.linkedin'))))"
    )
    assert "[]" == _loaded(code)


def test_readers_load_on_first_use() -> None:
    """Every reader (and its module) is there on first use; other names are not."""
    assert callable(importers.read_vcard)
    assert "infoview.importers.linkedin" == importers.linkedin.__name__
    assert "Connected On" in importers.LINKEDIN_COLUMNS
    with pytest.raises(AttributeError, match="no attribute 'read_xls'"):
        _ = importers.read_xls  # type: ignore[attr-defined]


def test_command_line_freezes_objects_at_exit() -> None:
    """A process that loaded the command line leaves its objects to the OS at exit."""
    code = (
        "import atexit, gc; atexit.register(lambda: print(gc.get_freeze_count() > 0)); "
        "import infoview.cli"
    )
    assert "True" == _loaded(code)


@pytest.mark.parametrize(
    "value",
    ["Product Manager", "a=?b", "tab\there", "Zoë", "x\u202ey", "ok?=", "line\nbreak", "\x7f"],
)
def test_ascii_shortcut_in_text_checks(value: str) -> None:
    """Printable ASCII skips the search; anything else is checked as before."""
    for multiline in (False, True):
        expected = _fields._text.problem(value, multiline=multiline)
        if expected is None:
            _fields.check_text(value, "Contact", "title", multiline=multiline)
        else:
            with pytest.raises(ValidationError) as info:
                _fields.check_text(value, "Contact", "title", multiline=multiline)
            assert expected in str(info.value)


@pytest.mark.parametrize("word", ["alumni", " Alumni ", "LinkedIn", "podcast", "x" * 65])
def test_source_words_cached_alike(word: str) -> None:
    """A Source cell means the same the first time and every time after."""
    first = _contacts.to_source(word)
    assert first == _contacts.to_source(word)
    assert first == _contacts.SOURCE_SYNONYMS.get(_contacts.header_key(word))


def test_rows_are_numbered_once(tmp_path: pytest.TempPathFactory) -> None:
    """Each record's row counts data rows, rejected and duplicate rows included."""
    path = tmp_path / "people.csv"  # type: ignore[operator]
    path.write_text(
        "Name,Email\nAna,ana@example.com\nBo,not-an-address\nAna,ana@example.com\nCy,cy@x.org\n",
        encoding="utf-8",
    )
    result = read_csv(path)
    assert [(1, 2), (4, 5)] == [(r.row, r.line) for r in result.records]
    assert [2, 3] == [p.row for p in result.problems if p.rejected]


@given(
    st.sampled_from(["To", "Subject", "X-" + "A" * 70]),
    st.lists(st.sampled_from(["a", "é", "€", "😀", " ", "\n "]), max_size=1100).map("".join),
)
@example("Subject", "é" * 496)
@example("Subject", "é" * 497)
@example("Subject", "a" * 987)
def test_header_line_check_shortcut(name: str, text: str) -> None:
    """A header's lines are judged too long exactly when one passes 998 octets."""
    long_way = _headers._BAD_FOLD.search(text) is not None or any(
        len(line.encode()) + len(name) + 2 > 998 for line in text.split("\n")
    )
    assert long_way == _headers._broken(name, text)


@pytest.mark.parametrize(
    "name",
    ["Sam Rivera", "", 'Sam "the nurse" Rivera', "Zoë Ørjan", "李雷", "x" * 120, "Sam,Rivera"],
)
def test_from_line_cached_alike(name: str) -> None:
    """The sender's From line, kept between drafts, is the line made afresh."""
    sender = Contact(name=name or "Sam", email="sam@example.org")
    address = _headers.address(sender, "From")
    fresh = _headers.address_field("From", [address])
    assert fresh == _headers._from_field(address.display_name, address.addr_spec)
