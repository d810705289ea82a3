"""People: the contacts you reach out to, and you, the sender."""

from __future__ import annotations

import enum
import re
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from infoview import _fields
from infoview._show import show
from infoview.errors import ValidationError

__all__ = ["Contact", "Honorific", "Register", "Source", "same_person"]


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


class Register(enum.StrEnum):
    """Formal or informal address (Sie/du, vous/tu, usted/tú). Formal is the default."""

    FORMAL = "formal"
    INFORMAL = "informal"


class Honorific(enum.StrEnum):
    """How a contact has said they want to be addressed in a formal salutation.

    infoview never guesses this from a name: without it, salutations use the
    neutral form ("Guten Tag Anna Müller", "Dear Ana García").
    """

    MS = "ms"
    MR = "mr"
    MX = "mx"
    DR = "dr"


# Scripts written without spaces between family and given name.
_UNSPACED_SCRIPTS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
# Courtesy titles that are not part of the given name.
_TITLES = frozenset(
    t.casefold()
    for t in (
        "Dr", "Dr.", "Prof", "Prof.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Mx", "Mx.",
        "Herr", "Frau", "Sr.", "Sra.", "Srta.", "M.", "Mme", "Mme.", "Mlle",
    )
)  # fmt: skip


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


def _name_parts(name: str) -> list[str]:
    parts = name.split()
    while len(parts) > 1 and parts[0].casefold() in _TITLES:
        parts.pop(0)
    return parts


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
        name: Full name, in any script ("Ana García", "李雷", "Ørjan").
        email: Address; a contact may have none (many LinkedIn connections do).
        given_name: The name used in informal greetings; derived from ``name``
            when not given (the first word, or the whole name in CJK scripts).
        family_name: The name used in formal gendered salutations ("Frau
            Müller"); derived as the last word when not given.
        honorific: How they asked to be addressed; never guessed.
        title: Job title or role.
        organization: Company, school or other organization they work for.
        industry: Their industry.
        school: A school you may share with them.
        headline: One line about them (or, for the sender, about you).
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
    """

    name: str = attrs.field(
        converter=_fields.strip_text,
        validator=[_fields.required_text, _fields.single_line],
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
    headline: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    source: Source = attrs.field(
        default=Source.OTHER,
        converter=_fields.choice(Source),  # type: ignore[misc]  # python/mypy#15736
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

    @property
    def first_name(self) -> str:
        """Return the name for an informal greeting (``given_name``, or derived from ``name``)."""
        return self._name_part(self.given_name, 0)

    @property
    def last_name(self) -> str:
        """Return the name for a formal gendered salutation (``family_name``, or derived)."""
        return self._name_part(self.family_name, -1)

    def _name_part(self, given: str | None, index: int) -> str:
        """``given`` when set; else the whole name in CJK scripts, else its first or last word."""
        if given:
            return given
        if _UNSPACED_SCRIPTS.search(self.name):
            return self.name
        return _name_parts(self.name)[index]

    @property
    def zone(self) -> ZoneInfo | None:
        """The contact's time zone as a ``ZoneInfo``, or ``None`` when unknown."""
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def ascii_name(self) -> str:
        """The name folded to ASCII where possible (for file names and slugs)."""
        return unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode() or (
            self.name
        )

    def with_changes(self, **changes: Any) -> Contact:
        """Return a copy with some fields changed, validated like a new contact."""
        return attrs.evolve(self, **changes)


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
