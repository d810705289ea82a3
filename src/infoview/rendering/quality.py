"""Lint: quality findings for a draft, following career-center practice.

Each finding has a severity: an ``ERROR`` should be fixed before sending (a
leftover placeholder, a social note over its limit), a ``WARNING`` is a
likely problem (no time-bound ask, over 150 words), ``INFO`` is advice.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from infoview.language import natural
from infoview.mail._headers import EMOJI
from infoview.mail.draft import Draft
from infoview.model.contact import Contact
from infoview.model.referrals import PromiseKind
from infoview.model.texts import STOP_WORDS, LocalizedText, language_of, other_language
from infoview.rendering import registry

__all__ = ["Finding", "Severity", "lint"]

OUTREACH_WORD_LIMIT = 150

# Text that still looks like a placeholder: [Company], {{ name }}, <Name>, TODO, XXX, lorem ipsum.
_PLACEHOLDERS = re.compile(
    r"\[[A-Z][^\]\n]{0,40}\]|<[A-Z][A-Za-z ]{0,30}>|\{\{|\}\}|\{%|%\}"
    r"|\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX+\b|(?i:\blorem ipsum\b)"
)
# A number of minutes (or an hour) in the languages infoview ships.
_TIME_BOUND = re.compile(
    r"\b\d{1,2}\s*(?:-|–)?\s*(?:minutes?|mins?|minuten|minutos?|hours?|hour|stunde|heure|hora)\b",
    re.IGNORECASE,
)


class Severity(enum.IntEnum):
    """How much a finding matters (ordered: ``ERROR > WARNING > INFO``)."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@attrs.frozen
class Finding:
    """One problem found in a draft.

    Attributes:
        code: A stable identifier, e.g. ``"outreach-too-long"``.
        severity: How much it matters.
        message: What is wrong and what to do.
    """

    code: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.code}: {self.message}"


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _body(draft: Draft) -> str:
    """The text without the quoted original of a reply."""
    return "\n".join(line for line in draft.text.splitlines() if not line.startswith(">"))


def _too_long(draft: Draft, social_limit: int) -> list[Finding]:
    words = _words(_body(draft))
    if words <= OUTREACH_WORD_LIMIT:
        return []
    return [
        Finding(
            "outreach-too-long",
            Severity.WARNING,
            f"{words} words; outreach reads best under {OUTREACH_WORD_LIMIT}: "
            "keep who you are, the connection, the ask and an easy out",
        )
    ]


def _no_ask(draft: Draft, social_limit: int) -> list[Finding]:
    if _TIME_BOUND.search(_body(draft)):
        return []
    return [
        Finding(
            "no-time-bound-ask",
            Severity.WARNING,
            "no time-bound ask; ask for a specific, short slot (e.g. 20 minutes)",
        )
    ]


def _placeholders(draft: Draft, social_limit: int) -> list[Finding]:
    found: list[str] = []
    for part in (draft.subject, draft.text, draft.markdown or ""):
        found.extend(match.group(0) for match in _PLACEHOLDERS.finditer(part))
    if not found:
        return []
    shown = ", ".join(repr(f) for f in dict.fromkeys(found))
    return [
        Finding(
            "placeholder",
            Severity.ERROR,
            f"text that looks like a placeholder: {shown}; fill it in or remove it",
        )
    ]


# -- Job asks and the agenda: what a career coach catches ------------------------------------
#
# A first message asks for advice, never for a job: no job, internship, position,
# opening or résumé, in any shipped language. Words that also mean something else
# are matched only where they ask ("a position on your team", not "in a position
# to"; "offene Stellen", not "an dieser Stelle"; "prácticas", not "buenas
# prácticas"; "puesto", not "puesto que"); "hiring" alone is a topic
# ("competency-based hiring"), "are you hiring" an ask.

# By language; every draft is checked for all of them (English turns up in every
# language, and a draft may mix them). "trabajo" and "Stelle" alone also mean
# "work" and "place", so they are left out; "emploi du temps" is a schedule.
_JOB_WORDS = {
    "any": r"jobs?|r[ée]sum[ée]s?|cvs?|job openings?|vacanc(?:y|ies)|internships?"
    r"|(?:are|is)\s+(?:you|your\s+(?:team|company|organi[sz]ation))\s+(?:still\s+)?hiring",
    "en": r"positions|openings|(?:an?|any|open|available)\s+(?:position(?!\s+(?:to|on|of)\b)"
    r"|opening(?!\s+of\b))|(?:open|available)\s+roles?"
    r"|(?<!your\s)(?<!their\s)roles?\s+(?:on|in|with)\s+your\s+(?:team|company|group)",
    "de": r"lebenslauf|stellenangebot\w*|stellenanzeige\w*|bewerbung\w*|praktik(?:um|a)\w*"
    r"|praktikant\w*|(?:offene|freie|ausgeschriebene)[nr]?\s+(?:stellen?|positionen?)"
    r"|(?:eine|einer|die)\s+(?:stelle|position)\s+(?:bei|in|im|an)\s+(?:ihnen|dir|euch|ihr"
    r"|dein|eur)\w*",
    "fr": r"emplois?(?!\s+du\s+temps)|candidature\w*|stagiaires?"
    r"|(?<!votre\s)(?<!ton\s)(?<!son\s)postes?|offres?\s+d[’']emploi",
    "es": r"empleos?|vacantes?|curr[íi]culum|pasant[íi]as?|(?<!buenas\s)(?<!mejores\s)"
    r"pr[áa]cticas(?:\s+profesionales)?|(?<!su\s)(?<!tu\s)puestos?(?!\s+que\b)",
}
# Asks only in their own language ("at this stage" is no internship in English).
_OWN_LANGUAGE_JOB_WORDS = {"fr": r"stages?"}
_JOB_ASK = re.compile(rf"\b(?:{'|'.join(_JOB_WORDS.values())})\b", re.IGNORECASE)
_OWN_LANGUAGE_JOB_ASK = {
    language: re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    for language, words in _OWN_LANGUAGE_JOB_WORDS.items()
}


def _job_ask(draft: Draft, social_limit: int) -> list[Finding]:
    language = draft.locale.replace("-", "_").partition("_")[0].lower()
    text = draft.subject + "\n" + draft.text
    matches = [*_JOB_ASK.finditer(text)]
    if language in _OWN_LANGUAGE_JOB_ASK:
        matches += _OWN_LANGUAGE_JOB_ASK[language].finditer(text)
    found = sorted({" ".join(m.group(0).lower().split()) for m in matches})
    if not found:
        return []
    return [
        Finding(
            "job-ask",
            Severity.WARNING,
            f"mentions {', '.join(repr(w) for w in found)} in a first message; an "
            "informational interview asks for advice, not a job: leave jobs, internships, "
            "positions and your résumé out",
        )
    ]


def _agenda_over_slot(draft: Draft, social_limit: int) -> list[Finding]:
    interview = draft.interview
    if interview is None or interview.questions.minutes <= interview.minutes:
        return []
    planned, slot = interview.questions.minutes, interview.minutes
    return [
        Finding(
            "agenda-over-slot",
            Severity.WARNING,
            f"the agenda plans {planned} minutes for a {slot}-minute slot; plan it for the "
            f"slot (QuestionBank.default().plan(minutes={slot})), drop questions, or ask "
            "for a longer conversation",
        )
    ]


# -- end of job asks and the agenda ----------------------------------------------------------


def _attachment(draft: Draft, social_limit: int) -> list[Finding]:
    if not draft.attachments:
        return []
    names = ", ".join(a.filename for a in draft.attachments)
    return [
        Finding(
            "outreach-attachment",
            Severity.WARNING,
            f"outreach with an attachment ({names}); send no résumé or files until they ask",
        )
    ]


def _social_limit(draft: Draft, social_limit: int) -> list[Finding]:
    length = len(draft.text.strip())
    if length <= social_limit:
        return []
    return [
        Finding(
            "social-too-long",
            Severity.ERROR,
            f"{length} characters; a connection note allows {social_limit}: shorten it "
            "(or pass social_limit=300 on a paid plan)",
        )
    ]


def _unthreaded_nudge(draft: Draft, social_limit: int) -> list[Finding]:
    if draft.in_reply_to:
        return []
    return [
        Finding(
            "nudge-not-threaded",
            Severity.INFO,
            "the nudge does not reply on the original thread; render it with original=<the Draft "
            "you sent> so it threads (In-Reply-To, References)",
        )
    ]


# -- Language: the text you inserted is in the draft's language --------------------------
#
# Free text you give per language (infoview.model.texts) falls back to another language
# when the draft's is missing ("free-text-language"); free text given once may be
# in another language than the draft altogether ("text-language", a cheap guess by
# frequent words). Both look only at your values that the draft prints, never at
# the template's own (translated) text.


def _inserted(draft: Draft, values: Mapping[str, Any]) -> list[tuple[str, str | LocalizedText]]:
    """Your free text the draft may print, by where it comes from."""
    interview = draft.interview
    sender = draft.sender or (interview.sender if interview is not None else None)
    found: list[tuple[str, str | LocalizedText]] = [
        (name, value) for name, value in values.items() if isinstance(value, str | LocalizedText)
    ]
    if sender is not None and sender.headline is not None:
        found.append(("sender.headline", sender.headline))
    if interview is not None:
        if interview.purpose is not None:
            found.append(("interview.purpose", interview.purpose))
        found += [(f"interview.goals[{n}]", g) for n, g in enumerate(interview.goals)]
        found += [(f"interview.takeaways[{n}]", t) for n, t in enumerate(interview.takeaways)]
        found += [
            (f"interview.promises[{n}].text", p.text)
            for n, p in enumerate(interview.promises)
            if p.kind is PromiseKind.TEXT
        ]
    return found


def _language_findings(draft: Draft, social_limit: int, values: Mapping[str, Any]) -> list[Finding]:
    printed = " ".join(" ".join(part.split()) for part in (draft.subject, draft.text))
    language = language_of(draft.locale)
    sender_locale = draft.sender.locale if draft.sender else None
    findings: list[Finding] = []
    for where, value in _inserted(draft, values):
        text, written_for = natural.local_text(value, draft.locale, sender_locale)
        if " ".join(text.split()).strip(" .") not in printed:
            continue
        if written_for is not None and language_of(written_for) != language:
            findings.append(
                Finding(
                    "free-text-language",
                    Severity.WARNING,
                    f"{where} has no text in {language!r}, so the {written_for!r} one was "
                    f"used: {_per_language(where, written_for, language)}",
                )
            )
            continue
        other = other_language(text, language) or _english_phrase(text, language)
        if other is not None:
            findings.append(
                Finding(  # a guess from frequent words: advice, not a warning
                    "text-language",
                    Severity.INFO,
                    f"{where} ({text!r}) looks like {other!r}, but the draft is in "
                    f"{language!r}: {_per_language(where, other, language)}",
                )
            )
    return findings


# An English noun phrase has few frequent words ("remote patient monitoring"):
# in a German, French or Spanish draft, two words or more with none of the
# draft language's frequent words, one of them an English "-ing" form written
# in lower case, are English. (German writes its "Monitoring" with a capital;
# the "-ing" words French and Spanish use as their own are not counted.)
_ING = re.compile(r"^[a-z]{2,}ing$")
_LOANWORDS = frozenset(
    """marketing branding coaching consulting recruiting networking training meeting parking
    camping shopping planning reporting controlling sourcing pricing merchandising lobbying
    mailing casting leasing holding timing brainstorming benchmarking onboarding outsourcing
    crowdfunding storytelling""".split()  # noqa: SIM905 - words
)


def _english_phrase(text: str, language: str) -> str | None:
    """``"en"`` when ``text`` reads as an English phrase in a draft in another language."""
    words = re.findall(r"[^\W\d_]+", text)
    if language == "en" or len(words) < 2:
        return None
    if any(w.casefold() in STOP_WORDS.get(language, ()) for w in words):
        return None
    return "en" if any(_ING.match(w) and w not in _LOANWORDS for w in words) else None


def _per_language(where: str, given: str, wanted: str) -> str:
    """Say how to give the value in the draft's language."""
    field = where.rsplit(".", 1)[-1].split("[", maxsplit=1)[0]
    mapping = f"{{{language_of(given)!r}: '…', {wanted!r}: '…'}}"
    if field == "text":  # a promise: your words, in one language
        return f"write the promise in {wanted!r}"
    if "." not in where:  # a value given to render()
        return f"write it in {wanted!r}: render(..., {where}='…')"
    if "[" in where:
        return f"give the item per language, e.g. {field}=[{mapping}]"
    return f"give it per language, e.g. {field}={mapping}"


# -- end of the language rules ---------------------------------------------------------------


def _emoji(draft: Draft, social_limit: int) -> list[Finding]:
    """Emoji in a name or title: a draft prints them, and a greeting may read one as a name."""
    interview = draft.interview
    people: dict[str, Contact | None] = {
        "recipient": draft.recipient or (interview.contact if interview is not None else None),
        "sender": draft.sender or (interview.sender if interview is not None else None),
    }
    findings: list[Finding] = []
    for who, person in people.items():
        if person is None:
            continue
        for field in ("name", "title", "organization"):
            value = getattr(person, field)
            if value and EMOJI.search(value):
                bare = " ".join(EMOJI.sub("", value).split())
                findings.append(
                    Finding(
                        "emoji-in-name",
                        Severity.WARNING,
                        f"{who}.{field} ({value!r}) holds an emoji: a draft prints it as "
                        f"written and a greeting may read it as a name (mail headers leave "
                        f"it out); write it as {bare!r}",
                    )
                )
    return findings


# By the code of the finding each gives, in the order findings are listed.
_CHECKS: dict[str, Callable[[Draft, int], list[Finding]]] = {
    "placeholder": _placeholders,
    "social-too-long": _social_limit,
    "outreach-too-long": _too_long,
    "no-time-bound-ask": _no_ask,
    "job-ask": _job_ask,
    "agenda-over-slot": _agenda_over_slot,
    "outreach-attachment": _attachment,
    "nudge-not-threaded": _unthreaded_nudge,
}
# Rules every draft gets, whatever its template.
_EVERY_DRAFT: dict[str, Callable[[Draft, int], list[Finding]]] = {
    "emoji-in-name": _emoji,
}


def lint(
    draft: Draft, *, social_limit: int = 200, values: Mapping[str, Any] | None = None
) -> list[Finding]:
    """Return the findings for a draft, most severe first.

    Args:
        draft: The draft to check; its ``template`` decides which rules apply
            (the registry's ``lint`` codes for a built-in; for one of yours,
            those of its folder's kind: see :func:`infoview.rendering.registry.lint_rules`).
            Emoji in a name or title (``emoji-in-name``) are looked for in every draft.
        social_limit: Characters allowed in a connection note (300 on paid plans).
        values: The values you rendered it with (``topic=…``, ``reason=…``): the
            text among them is checked for its language as your headline is, so
            ``topic="remote patient monitoring"`` in a German draft is reported.
    """
    rules = registry.lint_rules(draft.template)
    findings = [
        finding
        for code, check in _CHECKS.items()
        if code in rules
        for finding in check(draft, social_limit)
    ]
    language = _language_findings(draft, social_limit, values or {})
    findings += [f for f in language if f.code in rules]
    findings += [f for check in _EVERY_DRAFT.values() for f in check(draft, social_limit)]
    return sorted(findings, key=lambda f: -f.severity)
