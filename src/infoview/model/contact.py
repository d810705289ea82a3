"""People: the contacts you reach out to, and you, the sender."""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from typing import Any, SupportsIndex
from zoneinfo import ZoneInfo

import attrs

from infoview.errors import ValidationError
from infoview.model import _fields, _show, texts
from infoview.model._show import show
from infoview.model.names import NameParts, UnreadableNameError, parse_name
from infoview.model.texts import LocalizedText

__all__ = [
    "SOURCE_WORDS",
    "Contact",
    "Honorific",
    "Register",
    "Source",
    "same_person",
    "territory",
]


class Source(enum.StrEnum):
    """Where you found a contact; it decides how the outreach opens."""

    ALUMNI = "alumni"
    EVENT = "event"
    CONFERENCE = "conference"
    SOCIAL = "social"
    REFERRAL = "referral"
    FRIENDS_FAMILY = "friends_family"
    COLLEAGUE = "colleague"
    COLD = "cold"
    OTHER = "other"


#: Words people write for where they found someone, by Source (besides its value), as
#: lowercase words: an import's Source column takes them, and Contact suggests the Source.
SOURCE_WORDS: dict[Source, str] = {
    Source.ALUMNI: "alum, alumnus, alumna, alumnae, alumni network, school, university",
    Source.EVENT: "meetup, networking event, career fair, job fair, fair, workshop",
    Source.CONFERENCE: "conf, summit, congress, convention",
    Source.SOCIAL: "social media, linkedin, twitter, x, mastodon, bluesky, facebook, "
    "instagram, online, slack, discord",
    Source.REFERRAL: "referred, introduction, intro, introduced",
    Source.FRIENDS_FAMILY: "friend, friends, family, friends and family, friend of a friend, "
    "relative, warm, mutual friend",
    Source.COLLEAGUE: "coworker, co worker, colleagues, former colleague, work",
    Source.COLD: "cold outreach, stranger",
}


def _source(value: Any, owner: str, field: str) -> Source:
    """Return the Source ``value`` is or names; for a word such as "LinkedIn", suggest one."""
    try:
        return _fields.to_member(Source, value, owner, field)
    except ValidationError as error:
        if not isinstance(value, str):
            raise
        key = " ".join(re.sub(r"[\W_]+", " ", value.casefold()).split())
        for member, words in SOURCE_WORDS.items():
            if key in words.split(", "):
                hint = error.hint.split("? ", 1)[-1]  # the closest spelling, if given, gives way
                raise ValidationError(
                    owner,
                    field,
                    value,
                    error.problem,
                    f"did you mean {member.value!r} ({value.strip()} counts as {member.value})? "
                    + hint,
                ) from None
        raise


class Register(enum.StrEnum):
    """Formal or informal address (Sie/du, vous/tu, usted/tú). Formal is the default."""

    FORMAL = "formal"
    INFORMAL = "informal"


class Honorific(enum.StrEnum):
    """How a contact has said they want to be addressed in a formal salutation.

    infoview never guesses this from a name: without it (and without a
    courtesy title written in the name, such as "Frau" or "Mr."), salutations
    use the neutral form ("Guten Tag Anna Müller", "Dear Ana,").
    """

    MS = "ms"
    MR = "mr"
    MX = "mx"
    DR = "dr"


def _introducer(instance: Contact, attribute: attrs.Attribute[Any], value: Any) -> None:
    _fields.instance_of(
        Contact, "pass the introducer as a Contact, or leave it out", optional=True
    )(instance, attribute, value)


def _http_url(instance: Contact, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a URL that is not http(s), or text that could not sit on one line."""
    if value is None:
        return
    _fields.check_text(value, "Contact", attribute.name)
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValidationError(
            "Contact",
            attribute.name,
            value,
            f"{show(value)} is not an http(s) URL",
            "give the full address, e.g. https://www.linkedin.com/in/ana-garcia",
        )


def _readable_name(instance: Contact, attribute: attrs.Attribute[Any], value: str) -> None:
    """Refuse a name whose given and family name cannot be told apart, unless both are set."""
    if instance.given_name and instance.family_name:
        return
    try:
        parse_name(value)
    except UnreadableNameError as error:
        raise ValidationError(
            "Contact",
            attribute.name,
            value,
            str(error),
            "set given_name and family_name (e.g. given_name='Ana', family_name='García')",
        ) from None


# CLDR's groupings and placeholders: no country's holidays.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_TIER = re.compile(r"[^\W_][\w .+-]{0,31}")
_CODE = re.compile(r"[A-Za-z]{2}")
_SUBDIVISION = re.compile(r"(?:([A-Za-z]{2})-)?([A-Za-z0-9]{1,3})")


def _tier(instance: Contact, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a tier that is not a short name: a letter or word, up to 32 characters."""
    if value is None:
        return
    _fields.check_text(value, "Contact", attribute.name)
    if not _TIER.fullmatch(value):
        raise ValidationError(
            "Contact",
            attribute.name,
            value,
            f"{show(value)} is not a tier name",
            "use A, B, C or a short name of your own (letters, digits, spaces, . + -)",
        )


def _country(value: Any, owner: str, field: str) -> str | None:
    """Return an ISO 3166-1 alpha-2 code in upper case, or refuse what is not one."""
    text = _fields.optional_text(value)
    if text is None:
        return None
    _fields.check_text(text, owner, field)
    code: str = text.upper()
    if _CODE.fullmatch(text) and code in _territories():
        return code
    named = _country_names().get(_name_key(text))
    if named is not None:
        return named
    raise ValidationError(
        owner,
        field,
        value,
        f"{show(value)} is not an ISO 3166-1 alpha-2 country code or a country's name",
        "use two letters such as US, DE, FR or MX (or a name such as Germany, México)",
    )


def _name_key(text: str) -> str:
    """A country's name compared without case, accents, dots or extra spaces."""
    bare = unicodedata.normalize("NFKD", text.casefold().replace(".", ""))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


@functools.cache
def _country_names() -> dict[str, str]:
    """Country names in the four shipped languages (CLDR), and common short forms, to codes."""
    import babel  # noqa: PLC0415 - loaded with the locales anyway

    codes = _territories()
    found = {"usa": "US", "us": "US", "uk": "GB", "great britain": "GB", "england": "GB"}
    for language in ("en", "de", "fr", "es"):
        for code, name in babel.Locale(language).territories.items():
            if str(code) in codes:
                found.setdefault(_name_key(name), str(code))
    return found


@functools.cache
def _territories() -> frozenset[str]:
    """The two-letter territory codes Babel (CLDR) knows."""
    import babel  # noqa: PLC0415 - loaded with the locales anyway

    codes = {str(code) for code in babel.Locale("en").territories if len(str(code)) == 2}
    return frozenset(codes - _NOT_COUNTRIES)


def _subdivision_text(value: Any) -> Any:
    """Strip text and keep the part after the country: ``"DE-BY"`` → ``"BY"``."""
    text = _fields.optional_text(value)
    if isinstance(text, str) and (found := _SUBDIVISION.fullmatch(text)):
        return found[2].upper()
    return text


def _subdivision(instance: Contact, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a subdivision that is no ISO 3166-2 code (of the contact's country, if known)."""
    if value is None:
        return
    _fields.check_text(value, "Contact", attribute.name)
    hint = "use the ISO 3166-2 code after the country, e.g. BY for Bavaria (DE-BY)"
    if not _SUBDIVISION.fullmatch(value):
        raise ValidationError(
            "Contact", attribute.name, value, f"{show(value)} is not an ISO 3166-2 code", hint
        )
    country = instance.country or territory(instance.locale)
    if country is None:
        return
    import holidays  # noqa: PLC0415 - a third-party calendar, loaded only for this check

    known = holidays.list_supported_countries().get(country)
    if known is not None and value not in known:
        raise ValidationError(
            "Contact",
            attribute.name,
            value,
            f"{show(value)} is not a subdivision of {country}",
            f"use one of: {', '.join(code for code in known if len(code) <= 3)}",
        )


def territory(locale: str | None) -> str | None:
    """Return the country a locale names (``de_DE`` → ``DE``), or ``None`` for a bare language."""
    if not locale:
        return None
    for part in locale.split("_")[1:]:
        if _CODE.fullmatch(part) and part.isupper():
            return part
    return None


@attrs.frozen
class Contact:
    """A person: someone you reach out to, or you, the sender.

    Only ``name`` is required. Optional text that is empty or white space is
    stored as ``None``; emails, locales and time zones are checked and
    normalized (``"de-AT"`` and ``"de-AT-u-co-phonebk"`` become ``"de_AT"``).
    Text fields take text only (a number is refused, not converted). Every
    field but ``notes`` may reach a mail header, so it must be one line of
    plain text: line breaks, tabs, invisible control characters (NUL, bidi
    overrides, lone zero-width joiners) and ``=?…?=`` are refused with a
    :class:`~infoview.errors.ValidationError`; right-to-left and CJK text are
    fine.

    Args:
        name: Full name, in any script ("Ana García", "李雷", "Ørjan"), as
            written: "García, Ana", "Ana López, PhD", "Dr. Juan de la Cruz"
            are taken apart (:attr:`name_parts`). A name whose given and
            family name cannot be told apart ("Dr.", "von der") is refused
            unless ``given_name`` and ``family_name`` are both set.
        email: Address; a contact may have none (many LinkedIn connections do).
        given_name: The name used in informal greetings; derived from ``name``
            when not given (the first word after any title, or the whole name
            in CJK scripts).
        family_name: The name used in formal salutations ("Frau Müller");
            derived when not given: the last word with its particles ("de la
            Cruz"), without suffixes ("Jr.", "PhD").
        honorific: How they asked to be addressed; never guessed. A
            courtesy title written in the name ("Mr. Smith", "Frau Müller")
            says the same when this is unset.
        title: Job title or role.
        organization: Company, school or other organization they work for.
        industry: Their industry.
        school: A school you may share with them.
        headline: One line about them (or, for the sender, about you), as a
            noun phrase ("a nurse exploring health-tech product roles"); or a
            mapping of locale to that line, one per language you write in.
        source: Where you found them.
        source_detail: Free text: the event's name, the group, the post.
        introduced_by: The person who referred you to them.
        linkedin: Their LinkedIn profile URL.
        phone: A phone number, as written.
        locale: Their language, as a BCP 47 tag or Babel id.
        timezone: Their IANA time zone.
        register: Formal or informal address.
        pronouns: Their pronouns, as they write them.
        tags: Your labels for them.
        notes: Your notes.
        tier: How close you keep them: ``"A"``, ``"B"``, ``"C"`` or a tier
            you named; the follow-up policy checks in at that tier's cadence
            (see :attr:`infoview.Policy.tiers`).
        country: The country whose public holidays their follow-ups skip, as
            an ISO 3166-1 alpha-2 code (``"MX"``, ``"de"`` is read as
            ``"DE"``; a name in English, German, French or Spanish, such as
            ``"Germany"`` or ``"México"``, is read as its code); without it,
            the territory of ``locale`` (``es_MX`` → MX) counts.
        subdivision: Their state or province, as the ISO 3166-2 code after
            the country (``"BY"`` for Bavaria; ``"DE-BY"`` is read as
            ``"BY"``): its own public holidays count too.
    """

    name: str = attrs.field(
        converter=_fields.strip_text,
        validator=[_fields.required_text, _fields.single_line, _readable_name],
    )
    email: str | None = attrs.field(
        default=None,
        converter=_fields.owned(_fields.email),  # type: ignore[misc]  # python/mypy#15736
    )
    given_name: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    family_name: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    honorific: Honorific | None = attrs.field(
        default=None,
        converter=_fields.choice(Honorific, optional=True),  # type: ignore[misc]  # python/mypy#15736
    )
    title: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    organization: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    industry: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    school: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    # Text or {locale: text}: see infoview.model.texts.
    headline: str | LocalizedText | None = attrs.field(
        default=None, converter=texts.localized, validator=texts.single_line_localized
    )
    source: Source = attrs.field(
        default=Source.OTHER,
        converter=_fields.owned(_source),  # type: ignore[misc]  # python/mypy#15736
    )
    # The event's name reaches the subject of outreach/event: one line.
    source_detail: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    introduced_by: Contact | None = attrs.field(
        default=None,
        validator=_introducer,
    )
    linkedin: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_http_url
    )
    phone: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    locale: str | None = attrs.field(
        default=None,
        converter=_fields.owned(_fields.locale),  # type: ignore[misc]  # python/mypy#15736
    )
    timezone: str | None = attrs.field(
        default=None,
        converter=_fields.owned(_fields.timezone),  # type: ignore[misc]  # python/mypy#15736
    )
    register: Register = attrs.field(
        default=Register.FORMAL,
        converter=_fields.choice(Register),  # type: ignore[misc]  # python/mypy#15736
    )
    pronouns: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    tags: tuple[str, ...] = attrs.field(
        default=(), converter=_fields.text_tuple, validator=_fields.single_line_items
    )
    notes: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.multiline
    )
    tier: str | None = attrs.field(default=None, converter=_fields.optional_text, validator=_tier)
    country: str | None = attrs.field(
        default=None,
        converter=_fields.owned(_country),  # type: ignore[misc]  # python/mypy#15736
    )
    subdivision: str | None = attrs.field(
        default=None, converter=_subdivision_text, validator=_subdivision
    )

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # Pickled as a tuple of its fields: half the time of attrs' dict (bulk drafting's
        # workers send every contact), and made again as attrs' own state does, unchecked.
        # A subclass (fields of its own, perhaps) pickles as attrs pickles it.
        if type(self) is not Contact:
            return super().__reduce_ex__(protocol)
        return (_unpickle, tuple(getattr(self, name) for name in _FIELD_NAMES))

    @property
    def name_parts(self) -> NameParts:
        """The name taken apart, ``given_name`` and ``family_name`` winning when set.

        "García, Ana, PhD" gives Ana and García, "Juan de la Cruz" Juan and "de
        la Cruz"; titles written before the name ("Dr.", "Frau") are kept
        apart for salutations. See :func:`infoview.model.names.parse_name`.
        """
        given, family = self.given_name, self.family_name
        try:
            parsed = parse_name(self.name)
        except UnreadableNameError:  # the name is kept only with both parts set
            return NameParts(given, family or "", f"{given} {family}")
        if given is None and family is None:
            return parsed
        return attrs.evolve(parsed, given=given or parsed.given, family=family or parsed.family)

    @property
    def first_name(self) -> str:
        """Return the name for an informal greeting (``given_name``, or derived from ``name``).

        The first word after any title ("Dr. Ana García" → "Ana"), the given
        name of "García, Ana", the whole name in CJK scripts; the family name
        when the name has no given name ("Mr. Smith").
        """
        parts = self.name_parts
        return parts.given or parts.family

    @property
    def last_name(self) -> str:
        """Return the name for a formal salutation (``family_name``, or derived from ``name``).

        The last word with the particles before it ("Juan de la Cruz" → "de
        la Cruz"), without suffixes ("Ana López, PhD" → "López").
        """
        return self.name_parts.family

    @property
    def zone(self) -> ZoneInfo | None:
        """The contact's time zone as a ``ZoneInfo``, or ``None`` when unknown."""
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def region(self) -> tuple[str, str | None] | None:
        """The (country, subdivision) whose public holidays count for them, or ``None``.

        ``country`` when set, else the territory of ``locale`` (``es_MX`` →
        ``("MX", None)``); a bare language (``"de"``) names no country.
        """
        country = self.country or territory(self.locale)
        return None if country is None else (country, self.subdivision)

    @property
    def ascii_name(self) -> str:
        """The name folded to ASCII where possible (for file names and slugs)."""
        return unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode() or (
            self.name
        )

    def with_changes(self, **changes: Any) -> Contact:
        """Return a copy with some fields changed, validated like a new contact."""
        return attrs.evolve(self, **changes)

    def __repr__(self) -> str:
        """Return a short repr: name, email, organization, locale (``attrs.asdict`` has all)."""
        return _show.short_repr(
            "Contact",
            name=self.name,
            email=self.email,
            organization=self.organization,
            locale=self.locale,
        )

    def _repr_html_(self) -> str:
        """Show the contact in a notebook: who they are and how to reach them."""
        work = ", ".join(str(part) for part in (self.title, self.organization) if part)
        return _show.card(
            self.name,
            [
                ("Works as", work or None),
                ("Email", self.email),
                ("Source", " · ".join(str(p) for p in (self.source, self.source_detail) if p)),
                ("Introduced by", self.introduced_by.name if self.introduced_by else None),
                ("Language", f"{self.locale or '—'}, {self.register}"),
                ("Time zone", self.timezone),
            ],
        )


def same_person(a: Contact, b: Contact) -> bool:
    """Whether two contact records describe the same person: infoview's one idea of a person.

    Equal records do; otherwise records that both carry an email address match
    on it (case-insensitively), and records that do not match on name. So a
    contact who gains an email address after a referral or a check-in was
    planned is still the same person; one whose address changed is not.
    Everything in infoview that asks "is this the same person?" asks this
    function: the follow-up policy (whose check-in is this, whose clock),
    follow-up identity (:meth:`~infoview.FollowUp.same_as`) and
    :func:`~infoview.referral_chain`.
    """
    if a == b:
        return True
    if a.email and b.email:
        return a.email.casefold() == b.email.casefold()
    return a.name == b.name


_FIELD_NAMES = tuple(field.name for field in attrs.fields(Contact))
_SLOTS = tuple(Contact.__dict__[name].__set__ for name in _FIELD_NAMES)  # past the frozen check


def _unpickle(*values: Any) -> Contact:
    """A pickled contact, made again from its fields' values (see ``Contact.__reduce_ex__``)."""
    contact = object.__new__(Contact)
    for put, value in zip(_SLOTS, values, strict=True):
        put(contact, value)
    return contact
