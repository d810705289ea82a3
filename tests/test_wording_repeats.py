"""No content word twice within two sentences, in any draft any built-in writes (issue 23).

Every built-in template is rendered in every shipped language and register,
with the sample interview and with the optional inputs a caller may give
(an event and a topic, a purpose, a reason, an update). Once the values the
user gave are taken out (names, the company, the school, the event, their
own sentences), no word of four letters or more may come back in the same
sentence or the next one, unless it is a function word of its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pytest

import infoview
from infoview import Draft, Interview, Register
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)

# Words a sentence may repeat: articles, pronouns, prepositions, auxiliaries
# and the forms of address, per language. Content words are not here.
FUNCTION_WORDS = {
    "en": """about after also been before could does from have here into just like more
    much over some than that their them then there these they this those very were what
    when where which while will with would your yours you're you've i've i'll i'd""",
    "de": """aber alle auch bitte dass deine deinem deinen deiner dich diese diesem diesen
    dieser dieses eine einem einen einer eines euch euer gern gerne habe haben hast hatte
    hätte hätten ihnen ihre ihrem ihren ihrer ihres meine meinem meinen meiner mich mir
    nach noch oder ohne schon sehr sein seine sich sind über unser unsere wenn werde werden
    wird wäre würde würden zum zur""",
    "fr": """afin aussi avec avez avoir dans depuis elle elles être leur leurs mais même
    mêmes nous notre nos pour quand quel quelle quelles quels sans sera serait sont sous
    suis sur tout toute toutes tous très votre vous vos ton tes toi vers""",
    "es": """como cómo con desde donde dónde esta este esto estoy estas estos está muy
    para pero porque puede podría sobre sería será tiene tengo todo toda todos todas
    usted ustedes tuya tuyo suya suyo nuestra nuestro cual cuál cuando cuándo había
    haber""",
}
WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")

# What a caller may give beyond the interview, in each language (their words).
TOPIC = {
    "en": "remote patient monitoring",
    "de": "Fernüberwachung von Patienten",
    "fr": "la télésurveillance des patients",
    "es": "el monitoreo remoto de pacientes",
}
PURPOSE = {
    "en": "how nurses move into health-tech product roles",
    "de": "wie Pflegekräfte in Produktrollen wechseln",
    "fr": "comment les infirmiers passent aux métiers du produit",
    "es": "cómo pasan los enfermeros a roles de producto",
}
REASON = {
    "en": "your talk on skills-based learning paths",
    "de": "Ihr Vortrag über kompetenzbasierte Lernpfade",
    "fr": "votre intervention sur les parcours d’apprentissage par compétences",
    "es": "su charla sobre rutas de aprendizaje por competencias",
}
UPDATE = {
    "en": "I started a course in product discovery",
    "de": "Ich habe einen Kurs in Product Discovery begonnen",
    "fr": "J’ai commencé une formation en découverte produit",
    "es": "Empecé un curso de descubrimiento de producto",
}


def interview_for(
    locale: str, register: Register, *, purpose: bool, known: bool = True
) -> Interview:
    """The sample interview in ``locale`` and ``register``, with or without a purpose.

    Unless ``known``, the contact has no title and no organization (the
    templates then say "your career path").
    """
    interview = samples.interview(locale=locale, register=register)
    if purpose:
        interview.purpose = PURPOSE[locale[:2]]
    if not known:
        interview.contact = interview.contact.with_changes(title=None, organization=None)
    return interview


def variants(name: str, locale: str) -> Iterator[dict[str, object]]:
    """The optional inputs ``name`` is tried with: none, then each it reads."""
    language = locale[:2]
    yield {}
    extra: dict[str, object] = {
        "outreach/event": {"topic": TOPIC[language], "event": "HIMSS Europe 2026"},
        "outreach/cold": {"reason": REASON[language]},
        "outreach/connection": {"reason": REASON[language]},
        "follow_up/check_in": {"update": UPDATE[language]},
        "follow_up/progress_update": {"update": UPDATE[language]},
    }
    if name in extra:
        yield extra[name]  # type: ignore[misc]


def render(name: str, interview: Interview, given: Mapping[str, object]) -> Draft:
    """Render a built-in; a nudge replies to the alumni outreach."""
    context = dict(given)
    if name == "outreach/nudge":
        context["original"] = infoview.render("outreach/alumni", interview=interview)
    return infoview.render(name, interview=interview, **context)


def user_values(interview: Interview, given: Mapping[str, object]) -> list[str]:
    """What the user wrote: it may repeat, the templates may not."""
    people = [interview.contact, interview.sender, *(r.person for r in interview.referrals)]
    people += [p.introduced_by for p in people if p.introduced_by is not None]
    values = [str(v) for v in given.values()]
    values += [p.text for p in interview.promises]
    values += [str(interview.purpose or "")]
    for takeaway in interview.takeaways:
        values += texts(takeaway)
    for person in people:
        values += [person.name, person.first_name, person.email or "", *texts(person.headline)]
        values += [person.title or "", person.organization or "", person.school or ""]
        values += [person.source_detail or ""]
    return sorted((v for v in values if v), key=len, reverse=True)


def texts(value: object) -> list[str]:
    """Every language's text of a free-text value."""
    if value is None:
        return []
    return list(value.values()) if isinstance(value, Mapping) else [str(value)]


def repeats(text: str, language: str, own: list[str], *, items: bool = False) -> list[str]:
    """The content words of four letters or more that recur within the next two sentences.

    With ``items``, each line is an item of a list (a question and its
    probes): sentences on different lines are not read together.
    """
    if items:
        return [w for line in text.splitlines() for w in repeats(line, language, own)]
    text = text.replace("’", " ").replace("'", " ")
    for value in own:
        text = text.replace(value.replace("’", " ").replace("'", " "), " ¶ ")
    allowed = set(FUNCTION_WORDS[language].split())
    sentences = [
        [w for w in WORD.findall(s.casefold()) if len(w) >= 4 and w not in allowed]
        for s in SENTENCE_END.split(text)
    ]
    found: list[str] = []
    for at, first in enumerate(sentences):
        window = [w for sentence in sentences[at : at + 3] for w in sentence]
        found += sorted({w for w in first if window.count(w) > 1} - set(found))
    return found


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_no_word_twice_within_two_sentences(name: str, locale: str, register: Register) -> None:
    """A draft never says the same content word twice in a sentence or the next."""
    for purpose, known in ((False, True), (True, True), (False, False), (True, False)):
        interview = interview_for(locale, register, purpose=purpose, known=known)
        for given in variants(name, locale):
            draft = render(name, interview, given)
            own = user_values(interview, given)
            body = draft.text if draft.html is None else re.sub(r"<[^>]+>", "\n", draft.html)
            # A reply quotes the message it answers: that text is not this one's.
            body = "\n".join(line for line in body.splitlines() if not line.startswith(">"))
            items = name.startswith("questions/")
            found = repeats(draft.subject, locale[:2], own)
            found += repeats(body, locale[:2], own, items=items)
            assert [] == found, (given, purpose, known, draft.subject, body)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "J’aimerais faire cela, et j’aimerais savoir.", ["aimerais"]),
        ("fr", "Votre parcours m’intéresse. J’ai des questions sur votre parcours.", ["parcours"]),
        ("de", "Unser Gespräch war schön. Ich würde das Gespräch fortsetzen.", ["gespräch"]),
        ("de", "Ich hoffe, es geht Ihnen gut. Danke. Ihr Gespräch, mein Gespräch.", ["gespräch"]),
        ("fr", "Notre échange m’a plu. Je suis infirmier. Poursuivons notre échange.", ["échange"]),
        ("en", "I enjoyed the talk. Thanks again. See you. I enjoyed it.", []),
        ("en", "Would you have the time, and would you have a minute?", []),
    ],
)
def test_the_check_finds_repeats(language: str, text: str, expected: list[str]) -> None:
    """The check itself: a repeat within two sentences is found, further apart it is not."""
    assert expected == repeats(text, language, [])
