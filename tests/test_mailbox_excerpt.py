"""The excerpt sync keeps of a reply: its new text, without the quoted thread, in four languages."""

from __future__ import annotations

import pytest

from infoview.mailbox.incoming import excerpt


def reply(body: str, charset: str = "utf-8") -> bytes:
    """A plain-text reply's bytes: the body in UTF-8, whatever charset the header names."""
    head = (
        "From: Ana <ana@example.com>\r\nSubject: Re: 20 minutes?\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + body.replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            (
                "Happy to talk next week.\nTuesday works.\n\nOn Mon, Dec 7, 2026 at 10:00 AM "
                "Sam Rivera <sam@example.org> wrote:\n> Hello Ana,\n> would you have 20 minutes?\n"
            ),
            "Happy to talk next week. Tuesday works.",
        ),
        (
            (
                "Gerne, nächste Woche.\n\nAm Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Sam Rivera "
                "<sam@example.org>:\n> Hallo Ana,\n"
            ),
            "Gerne, nächste Woche.",
        ),
        (
            (
                "Avec plaisir, la semaine prochaine.\n\nLe lun. 7 déc. 2026 à 10:00, Sam Rivera "
                "<sam@example.org> a écrit :\n> Bonjour Ana,\n"
            ),
            "Avec plaisir, la semaine prochaine.",
        ),
        (
            (
                "Con gusto, la próxima semana.\n\nEl lun, 7 dic 2026 a las 10:00, Sam Rivera "
                "(<sam@example.org>) escribió:\n> Hola Ana,\n"
            ),
            "Con gusto, la próxima semana.",
        ),
        (
            (
                "Sure, call me Tuesday.\n\n-----Original Message-----\nFrom: Sam Rivera\n"
                "Sent: Monday, December 7, 2026\nTo: Ana\nSubject: 20 minutes?\n\nHello Ana"
            ),
            "Sure, call me Tuesday.",
        ),
        (
            (
                "Sí, el martes.\n\nDe: Sam Rivera <sam@example.org>\nEnviado: lunes\nPara: Ana\n"
                "Asunto: 20 minutos\n\nHola"
            ),
            "Sí, el martes.",
        ),
        ("Sure thing.\n\n-- \nAna García\nProduct Manager, Acme\n", "Sure thing."),
    ],
)
def test_the_excerpt_is_the_new_text_alone(body: str, expected: str) -> None:
    """Gmail's, Outlook's and Apple Mail's quote headers in en/de/fr/es; a signature."""
    assert expected == excerpt(reply(body))


def test_an_unreadable_body_gives_no_excerpt() -> None:
    """A body in a charset nobody knows, or no text part at all, give an empty excerpt."""
    assert "" == excerpt(reply("Hallo", charset="x-nowhere"))
    assert "" == excerpt(b"From: ana@example.com\r\nContent-Type: image/png\r\n\r\n\x89PNG")
