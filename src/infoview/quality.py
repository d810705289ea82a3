"""Lint: quality findings for a draft, following career-center practice.

Each finding has a severity: an ``ERROR`` should be fixed before sending (a
leftover placeholder, a social note over its limit), a ``WARNING`` is a
likely problem (no time-bound ask, over 150 words), ``INFO`` is advice.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable

import attrs

from infoview import registry
from infoview.draft import Draft

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
# Asking for a job, in the languages infoview ships ("trabajo" and "Stelle" also
# mean "work" and "place", so they are left out; "emploi du temps" is a schedule).
_JOB_WORDS = re.compile(
    r"\b(?:jobs?|r[ée]sum[ée]s?|cvs?|hiring|job openings?|vacanc(?:y|ies)|lebenslauf"
    r"|stellenangebot\w*|bewerbung\w*|emploi(?!s? du temps)|candidature|empleo|vacantes?"
    r"|curr[íi]culum)\b",
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


def _job_ask(draft: Draft, social_limit: int) -> list[Finding]:
    found = sorted(
        {m.group(0).lower() for m in _JOB_WORDS.finditer(draft.subject + "\n" + draft.text)}
    )
    if not found:
        return []
    return [
        Finding(
            "job-ask",
            Severity.WARNING,
            f"mentions {', '.join(repr(w) for w in found)} in a first message; an "
            "informational interview asks for advice, not a job: leave the job and résumé out",
        )
    ]


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


# By the code of the finding each gives, in the order findings are listed.
_CHECKS: dict[str, Callable[[Draft, int], list[Finding]]] = {
    "placeholder": _placeholders,
    "social-too-long": _social_limit,
    "outreach-too-long": _too_long,
    "no-time-bound-ask": _no_ask,
    "job-ask": _job_ask,
    "outreach-attachment": _attachment,
    "nudge-not-threaded": _unthreaded_nudge,
}


def lint(draft: Draft, *, social_limit: int = 200) -> list[Finding]:
    """Return the findings for a draft, most severe first.

    Args:
        draft: The draft to check; its ``template`` decides which rules apply
            (the registry's ``lint`` codes for a built-in; for one of yours,
            those of its folder's kind: see :func:`infoview.registry.lint_rules`).
        social_limit: Characters allowed in a connection note (300 on paid plans).
    """
    rules = registry.lint_rules(draft.template)
    findings = [
        finding
        for code, check in _CHECKS.items()
        if code in rules
        for finding in check(draft, social_limit)
    ]
    return sorted(findings, key=lambda f: -f.severity)
