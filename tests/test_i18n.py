"""i18n machinery: locale choice, catalog loading, Babel filters, salutations, extraction."""

from __future__ import annotations

import gettext
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import babel
import jinja2
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from hypothesis import given, strategies as st

import infoview
from infoview import Contact, Honorific, InfoviewError, Register, ValidationError
from infoview.language import i18n, locales
from infoview.language.i18n import (
    CatalogError,
    ResolvedLocale,
    UnsupportedLocaleError,
    closing,
    format_meeting_time,
    resolve_locale,
    salutation,
)

from .strategies import contacts

VIENNA = ZoneInfo("Europe/Vienna")
CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")
AT_3PM = datetime(2026, 12, 3, 15, 0, tzinfo=VIENNA)
LOCALE_DIR = Path(infoview.__file__).parent / "locale"


def person(locale: str | None = None, **fields: object) -> Contact:
    """A contact with just enough fields."""
    fields.setdefault("name", "Anna Müller")
    return Contact(locale=locale, **fields)  # type: ignore[arg-type]


def env() -> jinja2.Environment:
    """An environment wired like Templates wires it."""
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=jinja2.select_autoescape(["html"])
    )
    i18n.install(environment)
    return environment


def plain(text: str) -> str:
    """Write CLDR's no-break spaces (kept in drafts) as plain spaces, for readable tests."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def render(source: str, locale: str = "en", register: str = "formal", **values: object) -> str:
    """Render template source with the i18n render context."""
    context = i18n.render_context(locale, Register(register))
    return plain(env().from_string(source).render(**context, **values))


@pytest.fixture
def clean_caches() -> Iterator[None]:
    """Forget loaded catalogs before and after a test that swaps them."""
    i18n.translations.cache_clear()
    yield
    i18n.translations.cache_clear()


# -- resolve_locale ----------------------------------------------------------


def test_resolve_order() -> None:
    """Explicit beats the contact, the contact beats the sender, English is last."""
    contact, sender = person("fr_CA"), person("es_MX")
    assert "de" == resolve_locale("de", contact, sender).language
    assert "fr" == resolve_locale(None, contact, sender).language
    assert "es" == resolve_locale(None, person(), sender).language
    assert ("en", "default") == (resolve_locale().language, resolve_locale().origin)


@pytest.mark.parametrize(
    ("requested", "language"),
    [("de_AT", "de"), ("es_MX", "es"), ("fr_CA", "fr"), ("en_GB", "en"), ("de-CH", "de")],
)
def test_regional_locale_keeps_region(requested: str, language: str) -> None:
    """A regional locale uses its language's catalog and formats like its region."""
    resolved = resolve_locale(requested)
    assert language == resolved.language
    assert requested.replace("-", "_") == resolved.id
    assert not resolved.fallback


def test_austrian_dates() -> None:
    """de_AT writes January as Jänner: the region survives the fallback to German text."""
    january = datetime(2027, 1, 14, 10, tzinfo=VIENNA)
    assert "14. Jänner 2027" == render("{{ d|date }}", "de_AT", d=january)
    assert "14. Januar 2027" == render("{{ d|date }}", "de_DE", d=january)


def test_unshipped_language_falls_back_and_says_so() -> None:
    """A language we do not ship renders English, and the fallback is recorded."""
    resolved = resolve_locale(None, person("ja_JP"), person("de"))
    assert ("en", "en", "ja_JP", "contact") == (
        resolved.language,
        resolved.id,
        resolved.requested,
        resolved.origin,
    )
    assert resolved.fallback


def test_strict_mode_raises() -> None:
    """Strict mode refuses an unshipped language with an error that says what to do."""
    with pytest.raises(UnsupportedLocaleError) as info:
        resolve_locale(None, person("ja_JP"), strict=True)
    error = info.value
    assert isinstance(error, InfoviewError)
    assert isinstance(error, LookupError)
    assert ("ja_JP", "contact") == (error.requested, error.origin)
    assert "en, de, fr, es" in str(error)
    assert "strict off" in str(error)


def test_invalid_explicit_locale() -> None:
    """An explicit locale that is no locale at all is a ValidationError."""
    with pytest.raises(ValidationError, match="not a known locale"):
        resolve_locale("xx_NOPE")


def test_resolved_locale_passes_through() -> None:
    """A ResolvedLocale given as the explicit choice is used as it is."""
    resolved = resolve_locale("de_AT")
    assert resolved is resolve_locale(resolved, person("fr"))
    assert "de_AT" == str(resolved)


def test_locale_objects_parsed_once() -> None:
    """Locale objects are parsed once and reused."""
    assert i18n.parse_locale("de_AT") is i18n.parse_locale("de_AT")
    assert resolve_locale("de_AT").locale is i18n.parse_locale("de_AT")


# -- catalogs ----------------------------------------------------------------


def test_translations_cached() -> None:
    """Each language is loaded once."""
    assert i18n.translations("de") is i18n.translations("de")


def test_english_is_the_source_text() -> None:
    """English needs no catalog: the msgid is the text."""
    tr = i18n.translations("en")
    assert "Hello" == tr.pgettext("formal", "Hello")


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_shipped_catalogs_load(language: str) -> None:
    """Every shipped language has a real catalog, not NullTranslations."""
    tr = i18n.translations(language)
    assert isinstance(tr, Translations)
    question = "Who else do you think I should talk to?"
    assert question != tr.pgettext("formal", question)
    assert tr.pgettext("formal", question) != tr.pgettext("informal", question)


def test_unshipped_language_has_no_catalog() -> None:
    """Asking for an unshipped language's catalog is an error, not NullTranslations."""
    with pytest.raises(UnsupportedLocaleError):
        i18n.translations("ja")


def copy_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the catalog loader at a copy of the shipped catalogs."""
    root = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, root, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(locales, "_locale_root", lambda: root)
    return root


@pytest.mark.usefixtures("clean_caches")
def test_missing_catalog_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shipped language without a catalog raises CatalogError naming what was searched."""
    root = copy_locale(tmp_path, monkeypatch)
    shutil.rmtree(root / "fr")
    with pytest.raises(CatalogError) as info:
        i18n.translations("fr")
    assert "fr" == info.value.language
    assert any(p.endswith("infoview.po") for p in info.value.searched)
    assert "reinstall" in str(info.value)


@pytest.mark.usefixtures("clean_caches")
def test_broken_catalog_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable .mo is reported with its language, not swallowed."""
    root = copy_locale(tmp_path, monkeypatch)
    (root / "de" / "LC_MESSAGES" / "infoview.mo").write_bytes(b"not a catalog")
    with pytest.raises(CatalogError, match="cannot read"):
        i18n.translations("de")


def compile_with(po: Path, mo: Path, msgid: str, context: str, text: str) -> None:
    """Compile ``po`` to ``mo`` with one message changed."""
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog.get(msgid, context=context).string = text
    with mo.open("wb") as f:
        write_mo(f, catalog)


QUESTION = "Who else do you think I should talk to?"


@pytest.mark.usefixtures("clean_caches")
def test_wheel_uses_mo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a compiled .mo at least as new as the .po (a wheel), the .mo is read."""
    folder = copy_locale(tmp_path, monkeypatch) / "es" / "LC_MESSAGES"
    compile_with(folder / "infoview.po", folder / "infoview.mo", QUESTION, "formal", "¿MO?")
    assert "¿MO?" == i18n.translations("es").pgettext("formal", QUESTION)


@pytest.mark.usefixtures("clean_caches")
def test_stale_mo_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a checkout, a .mo older than its .po is ignored and the .po compiled in memory."""
    folder = copy_locale(tmp_path, monkeypatch) / "es" / "LC_MESSAGES"
    mo = folder / "infoview.mo"
    compile_with(folder / "infoview.po", mo, QUESTION, "formal", "¿MO?")
    old = (folder / "infoview.po").stat().st_mtime - 60
    os.utime(mo, (old, old))
    assert "¿Con quién más cree que debería hablar?" == i18n.translations("es").pgettext(
        "formal", QUESTION
    )


@pytest.mark.usefixtures("clean_caches")
def test_fuzzy_entries_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fuzzy translation counts as missing: the English text shows instead."""
    po = copy_locale(tmp_path, monkeypatch) / "de" / "LC_MESSAGES" / "infoview.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog.get(QUESTION, context="formal").flags.add("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog)
    assert QUESTION == i18n.translations("de").pgettext("formal", QUESTION)


# -- gettext in templates ----------------------------------------------------


def tiny_catalog(locale: str, *entries: tuple[str | None, str, str]) -> Translations:
    """Build translations in memory from (context, msgid, msgstr) triples."""
    catalog = Catalog(locale=locale, domain=i18n.DOMAIN)
    for context, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=i18n.DOMAIN)


MULTILINE = """{% trans "you" name=name %}
    Thank you for
    your time, {{ name }}.
{% endtrans %}"""


def extract(source: str, **options: str) -> list[tuple[int, str, object, list[str]]]:
    """Run the template extractor on source text."""
    fileobj = io.BytesIO(source.encode())
    found = i18n.extract_templates(fileobj, ("gettext", "pgettext", "npgettext"), (), options)
    # Jinja adds a None per keyword argument of the call; Babel's keyword specs skip them.
    return [(line, func, _strings(msg), comments) for line, func, msg, comments in found]


def _strings(message: object) -> object:
    if not isinstance(message, tuple):
        return message
    strings = tuple(m for m in message if m is not None)
    return strings[0] if len(strings) == 1 else strings


def test_extractor_writes_one_entry_per_register() -> None:
    """A "you" message becomes a formal and an informal catalog entry."""
    found = [(func, message) for _, func, message, _ in extract(MULTILINE)]
    assert [
        ("pgettext", ("formal", "Thank you for your time, %(name)s.")),
        ("pgettext", ("informal", "Thank you for your time, %(name)s.")),
    ] == found


def test_extractor_keeps_other_messages() -> None:
    """Messages without the "you" context are extracted unchanged."""
    source = '{% trans %}Length: {{ d }}{% endtrans %}{% trans "menu" %}Home{% endtrans %}'
    found = [message for _, _, message, _ in extract(source)]
    assert ["Length: %(d)s", ("menu", "Home")] == found


def test_extractor_plural_per_register() -> None:
    """A pluralized "you" message is split per register too."""
    source = '{% trans "you" count=n %}one for you{% pluralize %}{{ count }} for you{% endtrans %}'
    contexts = [message[0] for _, _, message, _ in extract(source)]  # type: ignore[index]
    assert ["formal", "informal"] == contexts


def test_extraction_and_render_agree_on_trimming() -> None:
    """The extracted msgid is exactly what rendering looks up, for both registers."""
    (_, _, (_, msgid), _), _ = extract(MULTILINE)  # type: ignore[misc]
    tr = tiny_catalog(
        "de",
        ("formal", msgid, "Vielen Dank für Ihre Zeit, %(name)s."),  # type: ignore[has-type]
        ("informal", msgid, "Danke für deine Zeit, %(name)s."),  # type: ignore[has-type]
    )
    template = env().from_string(MULTILINE)
    base = {"_translations": tr, "locale": i18n.parse_locale("de"), "name": "Anna"}
    assert "Vielen Dank für Ihre Zeit, Anna." == template.render(base, register="formal")
    assert "Danke für deine Zeit, Anna." == template.render(base, register="informal")


def test_untrimmed_extraction_would_leave_english() -> None:
    """Why the settings must agree: an untrimmed msgid is never found at render time."""
    from jinja2.ext import babel_extract

    fileobj = io.BytesIO(MULTILINE.encode())
    _, _, message, _ = next(babel_extract(fileobj, ("pgettext",), (), {}))
    untrimmed = message[1]
    tr = tiny_catalog("de", ("formal", untrimmed, "Vielen Dank für Ihre Zeit, %(name)s."))
    rendered = (
        env()
        .from_string(MULTILINE)
        .render(_translations=tr, register="formal", locale=i18n.parse_locale("de"), name="Anna")
    )
    assert "Thank you for your time, Anna." == rendered


@pytest.mark.parametrize("option", ["trimmed", "newstyle_gettext"])
def test_extractor_refuses_other_settings(option: str) -> None:
    """A mapping that asks for other whitespace or gettext settings is refused loudly."""
    with pytest.raises(ValueError, match=option):
        extract(MULTILINE, **{option: "false"})


def test_extractor_raises_on_syntax_errors() -> None:
    """A broken template stops extraction instead of being skipped."""
    with pytest.raises(jinja2.TemplateSyntaxError):
        extract("{% trans %}unclosed")


def test_python_extractor_splits_you_messages() -> None:
    """``you_("…")`` in Python is extracted once per register; ``N_`` once."""
    source = b'a = you_("for %(who)s")\nb = N_("plain")\n'
    found = [
        (func, message)
        for _, func, message, _ in i18n.extract_python(
            io.BytesIO(source), dict.fromkeys(["N_", "pgettext"]), (), {}
        )
    ]
    assert [
        ("pgettext", ("formal", "for %(who)s")),
        ("pgettext", ("informal", "for %(who)s")),
        ("N_", "plain"),
    ] == found


def test_question_extractor_covers_the_bank() -> None:
    """Every built-in question and probe is extracted in both registers."""
    from infoview import QuestionBank

    source = (Path(infoview.__file__).parent / "model" / "questions.py").read_bytes()
    found = {message for _, _, message, _ in i18n.extract_questions(io.BytesIO(source), {}, (), {})}
    for question in QuestionBank.default():
        for text in (question.text, *question.probes):
            assert {("formal", text), ("informal", text)} <= found


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ("formal", "Mit wem sollte ich Ihrer Meinung nach noch sprechen?"),
        ("informal", "Mit wem sollte ich deiner Meinung nach noch sprechen?"),
    ],
)
def test_question_filter(register: str, expected: str) -> None:
    """The ``question`` filter translates a bank question in the render's register."""
    from infoview import QuestionBank

    question = QuestionBank.default()["referrals.who_else"]
    assert expected == render("{{ q|question }}", "de_AT", register, q=question)


def test_question_filter_keeps_own_questions() -> None:
    """A question that is not in the catalog stays as written."""
    assert "Was ist Ihr Lieblingswerkzeug?" == render(
        "{{ q|question }}", "de", q="Was ist Ihr Lieblingswerkzeug?"
    )


# -- Babel filters -----------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "in 3 days"),
        ("de_AT", "in 3 Tagen"),
        ("fr_FR", "dans 3 jours"),
        ("es_MX", "dentro de 3 días"),
    ],
)
def test_relative(locale: str, expected: str) -> None:
    """Relative time against ``now`` in the context, or given explicitly."""
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    later = now + timedelta(days=3)
    assert expected == render("{{ t|relative }}", locale, t=later, now=now)
    assert expected == render("{{ t|relative(now) }}", locale, t=later, now=now)
    assert expected == render("{{ d|relative }}", locale, d=timedelta(days=3))


@pytest.mark.parametrize(
    ("locale", "twenty", "ninety"),
    [
        ("en", "20 minutes", "1 hour, 30 minutes"),
        ("de_AT", "20 Minuten", "1 Stunde, 30 Minuten"),
        ("fr_CA", "20 minutes", "1 heure et 30 minutes"),
        ("es_MX", "20 minutos", "1 hora y 30 minutos"),
    ],
)
def test_duration_is_exact(locale: str, twenty: str, ninety: str) -> None:
    """Durations are spelled out and never rounded (90 minutes is not "2 hours")."""
    assert twenty == render("{{ d|duration }}", locale, d=timedelta(minutes=20))
    assert ninety == render("{{ d|duration }}", locale, d=timedelta(minutes=90))
    assert twenty == render("{{ 20|duration }}", locale)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB", "Anna, Ben and Cem"),
        ("en_US", "Anna, Ben, and Cem"),
        ("de", "Anna, Ben und Cem"),
        ("fr", "Anna, Ben et Cem"),
        ("es", "Anna, Ben y Cem"),
    ],
)
def test_list(locale: str, expected: str) -> None:
    """Lists are joined the way the locale does."""
    assert expected == render("{{ names|join_list }}", locale, names=["Anna", "Ben", "Cem"])


def test_jinja_list_filter_left_alone() -> None:
    """Jinja's own ``|list`` still makes a list; the localized join is ``|join_list``."""
    assert "2" == render("{{ 'ab'|list|length }}", "de", names=[])


def test_time_and_datetime_in_zone() -> None:
    """Times and datetimes are shown in the zone asked for."""
    assert "08:00" == render("{{ t|time('short', 'America/Chicago') }}", "de_AT", t=AT_3PM)
    assert "8:00 AM" == render("{{ t|time(zone=zone) }}", "en_US", t=AT_3PM, zone=CHICAGO)
    assert render("{{ t|datetime(zone='America/Chicago') }}", "es_MX", t=AT_3PM).startswith(
        "3 de diciembre de 2026, 8:00:00 a.m."
    )
    evening = datetime(2026, 12, 3, 18, tzinfo=VIENNA)
    assert "4 décembre 2026" == render("{{ t|date('long', zone) }}", "fr", t=evening, zone=TOKYO)


def test_zone_filter() -> None:
    """Zones get their short name where the locale has one, else "<city> time"."""
    assert "MEZ" == render("{{ t|zone }}", "de_AT", t=AT_3PM)
    assert "Ortszeit Chicago" == render("{{ t|zone(zone) }}", "de_AT", t=AT_3PM, zone=CHICAGO)
    assert "CST" == render("{{ t|zone('America/Chicago') }}", "en_US", t=AT_3PM)


# -- meeting time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "Thursday, December 3, 2026, 3:00 PM Vienna time (8:00 AM CST for me)"),
        ("de_AT", "Donnerstag, 3. Dezember 2026, 15:00 MEZ (bei mir 08:00 Ortszeit Chicago)"),
        (
            "fr_FR",
            "jeudi 3 décembre 2026, 15:00 heure de Vienne (soit 08:00 heure de Chicago pour moi)",
        ),
        (
            "es_ES",
            "jueves 3 de diciembre de 2026, 15:00 CET (para mí, 8:00 hora de Chicago)",
        ),
    ],
)
def test_meeting_time_in_both_zones(locale: str, expected: str) -> None:
    """The contact's zone first, the sender's after it when the clocks differ."""
    assert expected == plain(format_meeting_time(AT_3PM, locale, VIENNA, CHICAGO))


def test_meeting_time_same_clock_shows_once() -> None:
    """Two zones with the same clock at that moment show the time once."""
    berlin = ZoneInfo("Europe/Berlin")
    assert "Donnerstag, 3. Dezember 2026, 15:00 MEZ" == format_meeting_time(
        AT_3PM, "de_AT", VIENNA, berlin
    )


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ("formal", "10:00 Ortszeit Chicago (für Sie Freitag, 01:00 Ortszeit Tokio)"),
        ("informal", "10:00 Ortszeit Chicago (für dich Freitag, 01:00 Ortszeit Tokio)"),
    ],
)
def test_meeting_time_for_the_sender(register: str, expected: str) -> None:
    """Read by the sender, the second time is "for you", in the register, with its day."""
    at = datetime(2026, 12, 3, 10, tzinfo=CHICAGO)
    assert expected == format_meeting_time(
        at, "de", CHICAGO, TOKYO, reader="sender", register=register, with_date=False
    )


def test_meeting_time_global_takes_an_interview(ana: Contact, sender: Contact) -> None:
    """``meeting_time(interview)`` uses the interview's time and both people's zones."""
    from infoview import Interview

    at = datetime(2026, 12, 3, 9, tzinfo=CHICAGO)
    interview = Interview(contact=ana, sender=sender, scheduled_at=at)
    # Mexico City and Chicago share a clock in December: the time is shown once.
    assert "jueves 3 de diciembre de 2026, 9:00 a.m. hora de Ciudad de México" == render(
        "{{ meeting_time(i) }}", "es_MX", i=interview
    )
    madrid = ana.with_changes(timezone="Europe/Madrid", locale="es_ES")
    interview = Interview(contact=madrid, sender=sender, scheduled_at=at)
    assert "16:00 CET (para mí, 9:00 hora de Chicago)" == render(
        "{{ meeting_time(i, with_date=False) }}", "es_ES", i=interview
    )


# -- salutations and closings ------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "register", "honorific", "expected"),
    [
        ("en_US", "formal", None, "Dear Anna,"),
        ("en_US", "formal", "ms", "Dear Ms. Müller,"),
        ("en_GB", "formal", "dr", "Dear Dr Müller,"),
        ("en_US", "informal", "mr", "Hi Anna,"),
        ("de_AT", "formal", None, "Guten Tag Anna Müller,"),
        ("de_AT", "formal", "ms", "Sehr geehrte Frau Müller,"),
        ("de_DE", "formal", "mr", "Sehr geehrter Herr Müller,"),
        ("de", "formal", "dr", "Guten Tag Dr. Anna Müller,"),
        ("de", "formal", "mx", "Guten Tag Anna Müller,"),
        ("de", "informal", None, "Hallo Anna,"),
        ("de", "informal", "ms", "Liebe Anna,"),
        ("de", "informal", "mr", "Lieber Anna,"),
        ("fr_FR", "formal", None, "Bonjour Anna Müller,"),
        ("fr_FR", "formal", "ms", "Madame,"),
        ("fr_CA", "formal", "mr", "Monsieur,"),
        ("fr", "informal", "ms", "Bonjour Anna,"),
        ("es_MX", "formal", None, "Buenos días, Anna Müller:"),
        ("es_ES", "formal", "ms", "Estimada Sra. Müller:"),
        ("es", "formal", "mr", "Estimado Sr. Müller:"),
        ("es", "informal", None, "Hola, Anna:"),
        ("ja_JP", "formal", None, "Dear Anna,"),
    ],
)
def test_salutation(locale: str, register: str, honorific: str | None, expected: str) -> None:
    """Neutral by default; gendered only for the honorific the contact chose."""
    contact = person(honorific=honorific)
    assert expected == salutation(contact, register, locale)


def test_salutation_drops_titles_from_the_name() -> None:
    """A title written into the name is not repeated."""
    contact = person(name="Dr. Anna Müller", honorific=Honorific.DR)
    assert "Guten Tag Dr. Anna Müller," == salutation(contact, "formal", "de")


def test_salutation_defaults_to_the_contacts_register() -> None:
    """Without a register, the contact's own is used."""
    assert "Hola, Ana:" == salutation(
        person(name="Ana García", register=Register.INFORMAL), locale="es_MX"
    )


GENDERED = ("Frau", "Herr", "geehrte", "Liebe", "Madame", "Monsieur", "Estimad", "Sra", "Sr.")


@given(contacts(), st.sampled_from(i18n.LANGUAGES), st.sampled_from(list(Register)))
def test_salutation_never_guesses_gender(
    contact: Contact, language: str, register: Register
) -> None:
    """Without an honorific no language uses a gendered form."""
    text = salutation(contact.with_changes(honorific=None), register, language)
    names = {contact.name, contact.first_name, contact.last_name, *contact.name.split()}
    for name in sorted(names, key=len, reverse=True):  # the words the data brings
        text = text.replace(name, "")
    assert not any(word in text for word in GENDERED)


@pytest.mark.parametrize(
    ("locale", "formal", "informal"),
    [
        ("en", "Best regards,", "Best,"),
        ("de_AT", "Mit freundlichen Grüßen", "Viele Grüße"),
        ("fr_CA", "Cordialement,", "Bien à toi,"),
        ("es_MX", "Saludos cordiales,", "Un saludo,"),
    ],
)
def test_closing(locale: str, formal: str, informal: str) -> None:
    """Each language signs off in its own way per register."""
    assert (formal, informal) == (closing("formal", locale), closing("informal", locale))


def test_salutation_and_closing_globals() -> None:
    """Templates call salutation(contact) and closing(); the render's register applies."""
    source = "{{ salutation(c) }}|{{ closing() }}"
    assert "Hallo Anna,|Viele Grüße" == render(source, "de_AT", "informal", c=person())
    assert "Bonjour Anna Müller,|Cordialement," == render(source, "fr", "formal", c=person())


# -- render_context ----------------------------------------------------------


def test_render_context_keeps_region_and_register() -> None:
    """render_context gives the language's catalog, the regional locale and the register."""
    context = i18n.render_context("de_AT", Register.INFORMAL)
    assert context["_translations"] is i18n.translations("de")
    assert babel.Locale.parse("de_AT") == context["locale"]
    assert "informal" == context["register"]


def test_render_context_accepts_resolved_locale() -> None:
    """What resolve_locale returns can be passed on as it is."""
    resolved = resolve_locale(None, person("ja_JP"))
    context = i18n.render_context(resolved, "formal")
    assert "en" == str(context["locale"])
    assert type(context["_translations"]) is gettext.NullTranslations  # English: no catalog


def test_render_context_unshipped_language_is_english() -> None:
    """A plain locale id of an unshipped language renders English throughout."""
    context = i18n.render_context("ja_JP", Register.FORMAL)
    assert "en" == str(context["locale"])


def test_resolved_locale_is_frozen() -> None:
    """ResolvedLocale is a value."""
    assert resolve_locale("de_AT") == ResolvedLocale(
        "de", i18n.parse_locale("de_AT"), "de_AT", "explicit"
    )


def test_swiss_german_writes_ss() -> None:
    """de_CH replaces "ß" in translated text, never in names."""
    weiss = person(name="Jana Weiß", honorific=Honorific.MS)
    assert "Mit freundlichen Grüssen" == closing("formal", "de_CH")
    assert "Mit freundlichen Grüßen" == closing("formal", "de_AT")
    assert "Sehr geehrte Frau Weiß," == salutation(weiss, "formal", "de_CH")
    question = "How do you keep your skills up to date?"
    assert "Wie hältst du dein Wissen und Können auf dem neuesten Stand?" == render(
        "{{ q|question }}", "de_CH", "informal", q=question
    )
    assert "Was gibt es Neues bei dir?" == render(
        '{% trans "you" %}How are things with you?{% endtrans %}', "de_CH", "informal"
    )
    context = i18n.render_context("de_CH", Register.FORMAL)
    context["_translations"] = tiny_catalog("de", (None, "Regards, %(name)s", "Grüße, %(name)s"))
    template = env().from_string("{% trans name=n %}Regards, {{ name }}{% endtrans %}")
    assert "Grüsse, Weiß" == template.render(context, n="Weiß")


def test_templates_render_with_the_extraction_settings() -> None:
    """The Templates environment uses the trimmed, new-style settings extraction assumes."""
    from infoview import Templates

    environment = Templates().environment
    assert i18n.TRIMMED is environment.policies["ext.i18n.trimmed"]
    assert i18n.NEWSTYLE is environment.newstyle_gettext  # type: ignore[attr-defined]


def test_render_languages_work_each_combination_out_once() -> None:
    """The same people and locale give the same values; another locale, other values."""
    languages = i18n.RenderLanguages(size=2)
    ana = Contact(name="Ana García", locale="es_MX")
    sam = Contact(name="Sam Rivera", locale="en_US")
    first = languages(None, ana, sam, Register.FORMAL)
    assert first is languages(None, ana, sam, Register.FORMAL)
    assert "es_MX" == str(first["locale"])
    assert "informal" == languages(None, ana, sam, Register.INFORMAL)["register"]
    assert "de" == str(languages("de", ana, sam, Register.FORMAL)["locale"])
    assert "fr_CA" == str(
        languages(None, ana.with_changes(locale="fr_CA"), sam, Register.FORMAL)["locale"]
    )
    assert len(languages._found) <= 2  # the oldest are dropped past the size
    # A babel.Locale asked for is resolved each time, never kept.
    german = languages(babel.Locale("de", "AT"), ana, sam, Register.FORMAL)
    assert "de_AT" == str(german["locale"])
    with pytest.raises(ValidationError):
        languages("", ana, sam, Register.FORMAL)


def test_an_english_draft_loads_no_babel_dates() -> None:
    """English needs no catalog class of Babel's, and an outreach draft no date: neither loads.

    The second process: the first fills the template cache, whose durations
    spare it Babel's locale data (unpickling that loads Babel's dates).
    """
    code = (
        "import sys, infoview\n"
        "from infoview.model import samples\n"
        "infoview.Templates().render('outreach/alumni', interview=samples.interview()).as_bytes()\n"
        "print(sorted(m for m in ('babel.dates', 'babel.support', 'babel.localtime') "
        "if m in sys.modules))\n"
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
    assert "[]" == done.stdout.strip()
    german = i18n.translations("de")
    assert isinstance(german, Translations)
    assert isinstance(german, gettext.NullTranslations)
