"""The shipped catalogs: complete against a fresh extraction, clean, compilable.

Completeness is checked by reading the ``.po`` files with
``babel.messages.pofile`` — not with Babel's statistics or ``update --check``,
which have known bugs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

import infoview
from infoview.language import i18n

PACKAGE = Path(infoview.__file__).parent
LOCALE_DIR = PACKAGE / "locale"
CHECKOUT = PACKAGE.parent.parent
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]
_SCRIPT = Path(sys.executable).with_name("pybabel")
PYBABEL = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "babel.messages.frontend"]

# %(name)s, %s, %d, %% — the placeholders Python's %-formatting understands.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifreuxXcoa%]")
# pybabel skips folders starting with "_" unless told otherwise; layouts live in _base/.
IGNORE_DIRS = ["--ignore-dirs", ".* __pycache__"]
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>|&[a-z]+;|&#\d+;")
JINJA = re.compile(r"\{[{%#]|[}%#]\}")


def po_path(language: str) -> Path:
    """The committed catalog of a language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def read(path: Path) -> Catalog:
    """Read a .po or .pot file."""
    with path.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> list[str]:
    """The %-placeholders in a message, sorted (``%%`` included)."""
    return sorted(PLACEHOLDER.findall(text))


def _forms(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v or "") for v in value) if isinstance(value, Iterable) else ("",)


def _label(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{msgid!r}"


def catalog_problems(po: Catalog, template: Catalog) -> list[str]:
    """Return everything that keeps a catalog from being complete and clean.

    Checks, against ``template`` (a fresh extraction): no entry missing, none
    left over; no empty or fuzzy translation; every plural form filled;
    the same placeholders in msgid and msgstr; no HTML or template syntax in
    a msgstr.
    """
    problems: list[str] = []
    expected = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    present = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in po if m.id}
    for msgid, context in sorted(expected - present, key=str):
        problems.append(f"missing: [{context}] {msgid!r}")
    for msgid, context in sorted(present - expected, key=str):
        problems.append(f"not in the templates or code any more: [{context}] {msgid!r}")
    if po.obsolete:
        problems.append(f"{len(po.obsolete)} obsolete entries (#~); run pybabel update")
    for message in po:
        if message.id:
            problems += _message_problems(message, po.num_plurals)
    return problems


def _message_problems(message: Message, nplurals: int) -> list[str]:
    """Check one entry: translated, not fuzzy, plurals, placeholders, no markup."""
    label = _label(message)
    forms = _forms(message.string)
    problems = [f"fuzzy: {label}"] if message.fuzzy else []
    if not all(form.strip() for form in forms):
        return [*problems, f"empty: {label}"]
    if message.pluralizable:
        if len(forms) != nplurals:
            problems.append(f"plural forms: {label} has {len(forms)}, needs {nplurals}")
        wanted = {tuple(placeholders(message.id[0])), tuple(placeholders(message.id[1]))}
    else:
        wanted = {tuple(placeholders(str(message.id)))}
    for form in forms:
        if tuple(placeholders(form)) not in wanted:
            problems.append(
                f"placeholders: {label} has {placeholders(form)} in {form!r}, "
                f"expected {sorted(wanted)[0]}"
            )
        if HTML_TAG.search(form):
            problems.append(f"HTML in msgstr: {label}: {form!r}")
        if JINJA.search(form):
            problems.append(f"template syntax in msgstr: {label}: {form!r}")
    return problems


def extract_fresh(out: Path) -> Catalog:
    """Run the real extraction into ``out`` (a .pot) and read it.

    In a source checkout this is the maintainers' command with the project's
    mapping; from an installed wheel, the same extractors run on the
    installed package.
    """
    mapping = CHECKOUT / "src" / "infoview" / "locale" / "babel.cfg"
    if mapping.is_file() and (CHECKOUT / "templates").is_dir():
        cwd, config, target = CHECKOUT, mapping, "."
    else:
        cwd, target = PACKAGE, "."
        config = out.with_suffix(".cfg")
        text = (LOCALE_DIR / "babel.cfg").read_text(encoding="utf-8")
        text = text.replace("src/infoview/model/questions.py", "model/questions.py")
        text = text.replace("src/infoview/**.py", "**.py")
        config.write_text(text, encoding="utf-8")
    subprocess.run(
        [*PYBABEL, "-q", "extract", "-F", str(config), "-o", str(out), *IGNORE_DIRS, target],
        cwd=cwd,
        check=True,
        capture_output=True,
    )
    return read(out)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """A fresh extraction of every message in templates and code."""
    return extract_fresh(tmp_path_factory.mktemp("pot") / "infoview.pot")


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_complete_and_clean(language: str, fresh: Catalog) -> None:
    """No missing, leftover, empty or fuzzy entry; placeholders kept; no HTML."""
    assert [] == catalog_problems(read(po_path(language)), fresh)


def test_fresh_extraction_has_both_registers(fresh: Catalog) -> None:
    """Every "you" message is in the template once per register, never as "you"."""
    contexts = {m.context for m in fresh if m.id}
    assert i18n.ADDRESS_CONTEXT not in contexts
    formal = {m.id if isinstance(m.id, str) else m.id[0] for m in fresh if m.context == "formal"}
    informal = {
        m.id if isinstance(m.id, str) else m.id[0] for m in fresh if m.context == "informal"
    }
    assert formal
    assert formal == informal


def test_templates_are_extracted(fresh: Catalog) -> None:
    """The extraction reaches the templates and the shared layouts in _base/, not only code."""
    sources = {path.replace("\\", "/") for m in fresh for path, _ in m.locations}
    assert any(p.startswith("templates/") for p in sources)
    assert any("templates/_base/" in p for p in sources)


@pytest.mark.parametrize("language", TRANSLATED)
def test_emptied_msgstr_is_caught(language: str, fresh: Catalog, tmp_path: Path) -> None:
    """The completeness check fails when one msgstr of a copy is emptied."""
    copy = tmp_path / "infoview.po"
    catalog = read(po_path(language))
    victim = next(m for m in catalog if m.id and m.context == "informal")
    victim.string = ""
    with copy.open("wb") as f:
        write_po(f, catalog)
    assert [f"empty: {_label(victim)}"] == catalog_problems(read(copy), fresh)


def test_checker_catches_each_kind_of_problem(fresh: Catalog) -> None:
    """Fuzzy, missing, changed placeholders and HTML are each reported."""
    catalog = read(po_path("de"))
    messages = [m for m in catalog if m.id and isinstance(m.id, str)]
    with_placeholder = next(m for m in messages if "%(" in m.id)
    with_placeholder.string = PLACEHOLDER.sub("", str(with_placeholder.string))
    messages[0].flags.add("fuzzy")
    messages[1].string = "<b>" + str(messages[1].string) + "</b>"
    catalog.delete(messages[2].id, messages[2].context)
    found = catalog_problems(catalog, fresh)
    assert any(p.startswith("placeholders:") for p in found)
    assert any(p.startswith("fuzzy:") for p in found)
    assert any(p.startswith("HTML in msgstr:") for p in found)
    assert any(p.startswith("missing:") for p in found)


@pytest.mark.parametrize("language", TRANSLATED)
def test_headers(language: str) -> None:
    """Each catalog names its language and has plural rules for it."""
    catalog = read(po_path(language))
    assert language == str(catalog.locale)
    assert "nplurals" in catalog.plural_forms
    assert not catalog.fuzzy


ADDRESS = {
    # (language, register): words the other register uses, which must not appear.
    ("de", "formal"): re.compile(r"\b(du|dich|dir|dein\w*|euch|euer)\b", re.IGNORECASE),
    ("de", "informal"): re.compile(r"\b(Sie|Ihnen|Ihr|Ihre\w*)\b"),
    ("fr", "formal"): re.compile(r"\b(tu|toi|ton|ta|tes|te)\b|\bt’|\bt'", re.IGNORECASE),
    ("fr", "informal"): re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE),
    ("es", "formal"): re.compile(r"\b(tú|tu|tus|ti|te|contigo)\b", re.IGNORECASE),
    ("es", "informal"): re.compile(r"\b(usted|ustedes)\b", re.IGNORECASE),
}


@pytest.mark.parametrize(("language", "register"), sorted(ADDRESS))
def test_catalog_register(language: str, register: str) -> None:
    """Formal entries never use du/tu/tú forms; informal ones never Sie/vous/usted."""
    wrong = ADDRESS[(language, register)]
    offenders = [
        (m.id, form)
        for m in read(po_path(language))
        if m.id and m.context == register
        for form in _forms(m.string)
        if wrong.search(form)
    ]
    assert [] == offenders


def test_pybabel_compile(tmp_path: Path) -> None:
    """``pybabel compile`` turns every catalog into a .mo that holds every message."""
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(
        [*PYBABEL, "compile", "-d", str(tmp_path / "locale"), "-D", i18n.DOMAIN, "--statistics"],
        check=True,
        capture_output=True,
    )
    for language in TRANSLATED:
        mo = tmp_path / "locale" / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        with mo.open("rb") as f:
            compiled = read_mo(f)
        source = read(po_path(language))
        assert len([m for m in source if m.id]) == len([m for m in compiled if m.id])
