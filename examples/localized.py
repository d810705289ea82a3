"""One interview in four languages, formal and informal.

The same outreach to Ana, written in English, German, French and Spanish, in
the formal register (you, Sie, vous, usted) and the informal one (you, du, tu,
tú). The draft's language is the contact's locale; dates, salutations and
closings follow it. Your headline is given per language, so no draft mixes
two languages; ``infoview.lint`` would say if one did.
"""

from __future__ import annotations

import infoview
from infoview import Contact, Interview, QuestionBank, Register
from infoview.model import samples

RULE = "─" * 72
LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")

SENDER = Contact(
    name="Sam Rivera",
    email="sam@example.org",
    headline={
        "en": "a nurse exploring health-tech product roles",
        "de": "Pflegefachkraft auf dem Weg ins Produktmanagement für digitale Gesundheit",
        "fr": "un infirmier qui s’oriente vers le produit dans la santé numérique",
        "es": "enfermero en transición hacia roles de producto en salud digital",
    },
    school="State University",
    locale="en_US",
    timezone="America/Chicago",
)


def main() -> None:
    """Print the alumni outreach for every shipped language in both registers."""
    for locale in LOCALES:
        for register in (Register.FORMAL, Register.INFORMAL):
            interview = Interview(
                contact=samples.contact(locale=locale, register=register),
                sender=SENDER,
                questions=QuestionBank.default().plan(minutes=20),
            )
            draft = infoview.render("outreach/alumni", interview=interview)
            findings = infoview.lint(draft)
            print(RULE)
            print(f"{draft.locale}, {register.value}")
            print(RULE)
            print(f"Subject: {draft.subject}")
            print()
            print(draft.text)
            print("lint:", "; ".join(map(str, findings)) if findings else "no findings")
            print()


if __name__ == "__main__":
    main()
