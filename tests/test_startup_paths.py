"""The shortcuts a new process takes to its first draft give the same answers as the long way."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from infoview.errors import StructureError
from infoview.model import _plain, _text, names, samples
from infoview.model.contact import Contact
from infoview.model.serialize import converter

from .strategies import contacts

# The pattern names.py used before it compared code points directly.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def test_unspaced_scripts_are_the_same_code_points_as_the_pattern() -> None:
    """Every character of the Basic Multilingual Plane and beyond is judged as the regex did."""
    codes = [*range(0x10000), 0x1F600, 0x20000, 0x10FFFF]
    expected = [c for c in codes if _UNSPACED.search(chr(c))]
    actual = [c for c in codes if names._is_unspaced_script(chr(c))]
    assert expected == actual


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("LINE_BREAKS", r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]"),
        ("ENCODED_WORD", r"=\?.*?\?="),
    ],
)
def test_text_patterns_compile_on_first_use(name: str, pattern: str) -> None:
    """The public patterns of _text are there when asked for, compiled once."""
    found = getattr(_text, name)
    assert pattern == found.pattern
    assert found is getattr(_text, name)


def test_text_has_no_other_attributes() -> None:
    """Asking _text for a name it does not have is still an AttributeError."""
    with pytest.raises(AttributeError, match="NO_SUCH"):
        _text.NO_SUCH  # noqa: B018 - the lookup is the test


_CONSOLE = """
import gc, sys
frozen = gc.get_freeze_count()  # (Python 3.12 starts with some)
from infoview.cli import main
during = []
gc.callbacks.append(lambda phase, info: during.append(phase))
try:
    if sys.argv[1] == "script":
        main(["--version"])
    else:
        main.main(["--version"], standalone_mode=False)
except SystemExit:
    pass
print(gc.isenabled(), gc.get_freeze_count() > frozen, bool(during))
"""


@pytest.mark.parametrize(
    ("how", "expected"),
    [("script", "True True False"), ("library", "True False")],
)
def test_console_script_loads_with_the_collector_paused(how: str, expected: str) -> None:
    """The console script pauses the collector and freezes what it loaded; main.main() does not."""
    import subprocess
    import sys

    found = (
        subprocess.run(
            [sys.executable, "-c", _CONSOLE, how], check=True, capture_output=True, text=True
        )
        .stdout.splitlines()[-1]
        .split()
    )
    assert expected.split() == found[: len(expected.split())]


def _descriptions() -> dict[str, object]:
    from infoview.rendering import introspect
    from infoview.rendering.registry import TEMPLATES

    introspect._described.cache_clear()
    return {
        name: (
            introspect.builtin_inputs(name),
            introspect.builtin_layout(name),
            introspect.builtin_extends(name),
        )
        for name in TEMPLATES
    }


def test_builtin_descriptions_read_back_from_the_cache_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each built-in reads, kept in the template cache, is what parsing it again finds."""
    monkeypatch.setenv("INFOVIEW_CACHE_DIR", "")
    expected = _descriptions()
    monkeypatch.setenv("INFOVIEW_CACHE_DIR", str(tmp_path))
    written = _descriptions()
    kept = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".value")
    read = _descriptions()
    assert expected == written
    assert expected == read
    assert len(expected) == len(kept)


def test_a_builtin_set_checks_blocks_as_a_parse_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layouts a built-in extends, read from the cache, are those its files' blocks name."""
    from infoview.rendering import introspect
    from infoview.rendering.registry import TEMPLATES
    from infoview.rendering.templating import Templates

    monkeypatch.setenv("INFOVIEW_CACHE_DIR", str(tmp_path))
    _descriptions()
    introspect._described.cache_clear()
    kept, parsed = Templates(), Templates()
    for name in TEMPLATES:
        kept.get_template(name)
        expected = introspect.check_blocks(parsed._parse, name)
        assert expected == kept._extends[name]
        assert expected == introspect.builtin_extends(name)
    assert ("_base/message",) == kept._extends["outreach/alumni"][-1:]


def test_a_corrupt_cached_description_is_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept description that is not one is ignored and written again."""
    monkeypatch.setenv("INFOVIEW_CACHE_DIR", str(tmp_path))
    expected = _descriptions()
    for path in tmp_path.glob("*.value"):
        path.write_bytes(b"\x00not marshal")
    assert expected == _descriptions()


_LOCALES = ["en", "en_US", "en_GB", "de", "de_AT", "de_CH", "fr", "fr_CA", "es", "es_MX"]
_SECONDS = [
    *(minutes * 60 for minutes in range(1, 61)),
    *(minutes * 60 for minutes in (90, 120, 125, 600, 1500, 60_000)),
    *(0, 1, 45, 61, 3601, 3661),
]


def _durations() -> dict[tuple[str, int], str]:
    from infoview.language import wording

    wording._duration_text.cache_clear()
    wording._kept.clear()
    return {
        (locale, seconds): wording.format_duration_text(timedelta(seconds=seconds), locale)
        for locale in _LOCALES
        for seconds in _SECONDS
    }


def test_durations_kept_in_the_cache_are_babels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shipped language, regions too: a duration read back from the cache is Babel's text."""
    import babel

    from infoview.language import wording

    expected = {
        (locale, seconds): wording._written_duration(seconds, babel.Locale.parse(locale))
        for locale in _LOCALES
        for seconds in _SECONDS
    }
    monkeypatch.setenv("INFOVIEW_CACHE_DIR", str(tmp_path))
    written = _durations()
    kept = list(tmp_path.glob("*.value"))
    read = _durations()
    monkeypatch.setenv("INFOVIEW_CACHE_DIR", "")
    uncached = _durations()
    assert expected == written
    assert expected == read
    assert expected == uncached
    assert len(_LOCALES) == len(kept)
    assert "1 hour, 30 minutes" == expected["en", 5400]
    assert "1 Stunde, 30 Minuten" == expected["de", 5400]


_FIRST_DRAFT = """
import infoview
from infoview.model import samples
import babel.localedata
infoview.Templates().render("outreach/alumni", interview=samples.interview()).as_bytes()
print(sorted(babel.localedata._cache))
"""


def test_the_second_process_reads_no_locale_data(tmp_path: Path) -> None:
    """The first draft of a second process writes its duration from the cache, not Babel's data."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "INFOVIEW_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", _FIRST_DRAFT],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert ["['en', 'en_US', 'root']", "[]"] == runs


@given(contacts(max_depth=1))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_plain_contact_is_read_as_the_converter_reads_it(person: Contact) -> None:
    """A contact's JSON read without the converter is the converter's contact (or left to it)."""
    data = converter.dumps(person)
    found = _plain.contact(data)
    if person.introduced_by is None:
        assert person == found
    else:
        assert found is None
    assert person == converter.loads(data, Contact)


_SENDER = json.loads(converter.dumps(samples.sender()))


@pytest.mark.parametrize(
    "change",
    [
        {"nmae": "Sam"},
        {"name": None},
        {"name": 5},
        {"email": "not an address"},
        {"email": ["sam@example.org"]},
        {"register": "Formal"},
        {"register": None},
        {"honorific": "Dr"},
        {"source": "ALUMNI"},
        {"tags": "a, b"},
        {"tags": [1]},
        {"headline": {"en": 1}},
        {"headline": 3},
        {"introduced_by": {"name": "Ana", "nmae": "Ana"}},
        {"introduced_by": "Ana"},
        {"timezone": "Mars/Base"},
        {"locale": "xx-!!"},
        {"name": "Sam\ud800"},
        {"notes": "a\u0000b"},
    ],
)
def test_an_unusual_contact_is_left_to_the_converter(change: dict[str, object]) -> None:
    """Anything the converter refuses, the plain reader leaves to it (its errors name the field)."""
    data = json.dumps({**_SENDER, **change})
    with pytest.raises(StructureError):
        converter.loads(data, Contact)
    assert _plain.contact(data) is None


@pytest.mark.parametrize(
    "data",
    ['{"name": "Sam", "name": "Sam"}', "[]", "null", '{"name": NaN}', "{", b"\xff\xfe"],
)
def test_json_the_converter_refuses_is_left_to_it(data: str | bytes) -> None:
    """Text that is not one JSON object is never read as a contact."""
    with pytest.raises(StructureError):
        converter.loads(data, Contact)
    assert _plain.contact(data) is None


def test_the_sender_file_is_read_without_the_converter(tmp_path: Path) -> None:
    """infoview drafts reads a plain sender file without loading cattrs; a bad one says why."""
    import os
    import subprocess
    import sys

    sender = tmp_path / "me.json"
    sender.write_text(json.dumps(_SENDER), encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from infoview.cli._app import load; "
        "from infoview.model.contact import Contact; "
        "print(load(Path(sys.argv[1]), Contact, 'sender').name, 'cattrs' in sys.modules)"
    )
    env = {**os.environ, "INFOVIEW_CACHE_DIR": ""}
    found = subprocess.run(
        [sys.executable, "-c", script, str(sender)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.split()
    assert ["Sam", "Rivera", "False"] == found


def test_an_introducer_is_left_to_the_converter() -> None:
    """A sender introduced by someone is read by the converter, as before."""
    data = json.dumps({**_SENDER, "introduced_by": {"name": "Ana"}})
    assert _plain.contact(data) is None
    assert "Ana" == converter.loads(data, Contact).introduced_by.name  # type: ignore[union-attr]
