"""Contact: validation, normalization and derived names."""

from __future__ import annotations

import pickle

import attrs
import pytest

from infoview import Contact, Honorific, InfoviewError, Register, Source, ValidationError


def test_minimal_contact() -> None:
    """Only a name is required; optional fields default sensibly."""
    contact = Contact(name="Ana García")
    assert contact.email is None
    assert contact.register is Register.FORMAL
    assert contact.source is Source.OTHER
    assert contact.honorific is None


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Ana García", "Ana", "García"),
        ("José Müller", "José", "Müller"),
        ("李雷", "李雷", "李雷"),
        ("Ørjan Nilsen", "Ørjan", "Nilsen"),
        ("Siobhán O'Brien", "Siobhán", "O'Brien"),
        ("O'Brien", "O'Brien", "O'Brien"),
        ("Anna-Lena Schmidt", "Anna-Lena", "Schmidt"),
        ("Madonna", "Madonna", "Madonna"),
        ("Dr. Jane Smith", "Jane", "Smith"),
        ("  Ana   García  ", "Ana", "García"),
    ],
)
def test_derived_names(name: str, first: str, last: str) -> None:
    """Greeting names are derived from the full name in any script."""
    contact = Contact(name=name)
    assert (first, last) == (contact.first_name, contact.last_name)


def test_explicit_given_name_wins() -> None:
    """An explicit given name is used for greetings."""
    contact = Contact(
        name="María José Carrasco Pérez", given_name="María José", family_name="Carrasco"
    )
    assert ("María José", "Carrasco") == (contact.first_name, contact.last_name)


def test_email_normalized() -> None:
    """The domain is lower-cased and white space stripped; the local part is kept."""
    assert "Ana.Garcia@example.com" == Contact(name="Ana", email=" Ana.Garcia@EXAMPLE.com ").email


def test_blank_optional_text_becomes_none() -> None:
    """Empty or whitespace-only optional text is stored as None."""
    contact = Contact(name="Ana", email="  ", title=" ", school="")
    assert (None, None, None) == (contact.email, contact.title, contact.school)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("de-AT", "de_AT"),
        ("de_AT", "de_AT"),
        ("es-419", "es_419"),
        ("en", "en"),
        ("zh-Hant-TW", "zh_Hant_TW"),
    ],
)
def test_locale_normalized(given: str, stored: str) -> None:
    """BCP 47 tags and Babel ids are both accepted and stored in Babel's form."""
    assert stored == Contact(name="Ana", locale=given).locale


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("email", "not-an-address", "valid email"),
        ("email", "ana@", "valid email"),
        ("timezone", "Mars/Base", "IANA time zone"),
        ("timezone", "CET+99", "IANA time zone"),
        ("locale", "xx_YY", "known locale"),
        ("locale", "klingon", "known locale"),
        ("linkedin", "linkedin.com/in/ana", "http(s) URL"),
        ("name", "", "empty"),
        ("name", "   ", "empty"),
        ("name", "Ann\r\nBcc: x@evil.example", "line break"),
        ("name", "Ann\u2028Bcc: x@evil.example", "line break"),
        ("title", "Manager\nBcc: x@evil.example", "line break"),
    ],
)
def test_bad_input_names_the_field(field: str, value: str, says: str) -> None:
    """Each bad value raises a ValidationError that names the field and says what to do."""
    kwargs = {"name": "Ana", field: value}
    with pytest.raises(ValidationError) as info:
        Contact(**kwargs)  # type: ignore[arg-type]
    error = info.value
    assert isinstance(error, InfoviewError)
    assert isinstance(error, ValueError)
    assert field == error.field
    assert "Contact" == error.owner
    assert str(error).startswith(f"Contact.{field}: ")
    assert says in str(error)
    assert error.hint, "every error says what to do"


def test_unknown_source_and_register_refused() -> None:
    """Enums refuse values outside their members."""
    with pytest.raises(ValueError, match="podcast"):
        Contact(name="Ana", source="podcast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="casual"):
        Contact(name="Ana", register="casual")  # type: ignore[arg-type]


def test_enum_values_are_the_lower_case_strings() -> None:
    """Enum members compare equal to their documented values."""
    assert Source.ALUMNI == "alumni"
    assert Register.INFORMAL == "informal"
    assert Honorific.DR == "dr"
    assert Source("friends_family") is Source.FRIENDS_FAMILY


def test_contact_is_frozen_and_evolves() -> None:
    """Contacts are values: change them with with_changes, which validates again."""
    ana = Contact(name="Ana")
    with pytest.raises(AttributeError):
        ana.name = "Bo"  # type: ignore[misc]
    moved = ana.with_changes(timezone="Europe/Madrid")
    assert "Europe/Madrid" == moved.timezone
    with pytest.raises(ValidationError, match="timezone"):
        ana.with_changes(timezone="Europe/Atlantis")


def test_zone_property() -> None:
    """The zone property gives a ZoneInfo for the stored name."""
    assert "Asia/Tokyo" == str(Contact(name="Ana", timezone="Asia/Tokyo").zone)
    assert Contact(name="Ana").zone is None


def test_a_contact_pickles_whole_and_quickly() -> None:
    """Every field comes back from pickle, nested contacts and texts in languages too."""
    ana = Contact(
        name="Ana García",
        email="ana@example.com",
        headline={"en": "a nurse", "de": "eine Pflegekraft"},
        introduced_by=Contact(name="Bo Li", email="bo@example.com"),
        tags=["a", "b"],
        locale="de-AT",
        timezone="Europe/Vienna",
        register="informal",
        tier="A",
        country="DE",
        subdivision="BY",
        notes="line one\nline two",
    )
    back = pickle.loads(pickle.dumps(ana))  # noqa: S301 - our own bytes
    assert ana == back
    assert attrs.asdict(ana) == attrs.asdict(back)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.name = "x"  # type: ignore[misc]


def test_a_subclass_of_contact_pickles_as_itself() -> None:
    """A contact class of yours keeps its type and its own fields through pickle."""

    @attrs.frozen
    class Mine(Contact):
        nickname: str | None = None

    globals()["Mine"] = Mine  # pickle finds a class by its module's name
    Mine.__qualname__ = "Mine"
    mine = Mine(name="Ana García", email="ana@example.com", nickname="Anita")
    back = pickle.loads(pickle.dumps(mine))  # noqa: S301 - our own bytes
    assert Mine is type(back)
    assert mine == back
    assert "Anita" == back.nickname
