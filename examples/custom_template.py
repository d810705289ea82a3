"""Your own templates: override one block, and add a folder of templates.

1. In code (a notebook, a script): ``Templates.from_strings`` takes template
   source by name; one that ``{% extends "outreach/alumni" %}`` and writes a
   single block keeps everything else of the built-in.
2. On disk: ``Templates([folder])`` searches your folder before the
   built-ins. ``_base/signature.txt`` there signs every message; a new file
   ``outreach/short.txt`` is a new template, described like a built-in.
3. Mistakes are errors that say what to fix, never a blank in the draft.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from infoview import TemplateError, Templates
from infoview.model import samples

RULE = "─" * 72

# Override one block: the built-in's subject, greeting, body and closing stay.
SIGNED = """\
{% extends "outreach/alumni" %}
{% block signature %}
{{ sender.name }}
RN, BSN · State University '19
{% endblock %}
"""

# A new template: a layout to extend, a subject and a body of its own.
SHORT = """\
{#- A two-line outreach. Context: interview. -#}
{% extends "_base/message" %}
{% block subject %}Quick question about {{ contact.organization }}{% endblock %}
{% block body %}
I'm {{ sender.name }}, a fellow {{ contact.school }} alum. Would you have 15 minutes for a call?
{% endblock %}
"""


def show(title: str, text: str) -> None:
    """Print a titled part of the output."""
    print(RULE, title, RULE, text, sep="\n")


def main() -> None:
    """Render with an overridden block, then with a folder of templates, then show the errors."""
    interview = samples.interview()

    strings = Templates.from_strings({"mine/alumni": SIGNED})
    draft = strings.render("mine/alumni", interview=interview)
    show("1. One block overridden (mine/alumni extends outreach/alumni)", draft.text)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_base").mkdir()
        (root / "_base" / "signature.txt").write_text("{{ sender.name }}\nRN, BSN\n")
        (root / "outreach").mkdir()
        (root / "outreach" / "short.txt").write_text(SHORT)
        mine = Templates([root])
        short = mine.render("outreach/short", interview=interview)
        show(
            "2. A folder of templates: outreach/short, and a signature for every message",
            f"Subject: {short.subject}\n\n{short.text}",
        )
        print(mine.describe("outreach/short"))
        thanks = mine.render("thank_you", interview=interview)
        print("\nThe built-in thank-you, signed by the folder's signature:")
        print("\n".join(thanks.text.splitlines()[-2:]))

    mistakes = Templates.from_strings(
        {
            "typo/block": '{% extends "outreach/alumni" %}{% block sigature %}Sam{% endblock %}',
            "typo/field": '{% extends "outreach/short" %}'
            "{% block body %}Hi {{ contact.frist_name }}!{% endblock %}",
            "typo/subject": '{% extends "_base/message" %}{% block body %}Hi!{% endblock %}',
            "outreach/short": SHORT,
        }
    )
    print()
    print(RULE, "3. Mistakes say what to fix", RULE, sep="\n")
    for name in ("typo/block", "typo/field", "typo/subject"):
        try:
            mistakes.render(name, interview=interview)
        except TemplateError as error:
            print(f"- {error}")


if __name__ == "__main__":
    main()
