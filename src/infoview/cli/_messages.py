"""Commands about one interview: demo, templates, render, questions, followups, invite."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from infoview.cli._app import Failure, load, main, pairs, write_bytes

if TYPE_CHECKING:
    from infoview.mail.draft import Draft
    from infoview.model.questions import Agenda
    from infoview.rendering.templating import Templates

__all__ = ["demo", "followups", "invite", "questions", "render", "templates"]

F = TypeVar("F", bound=Callable[..., Any])

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_SPAN = re.compile(r"([0-9]+)\s*([dhw]?)")
_HOURS = {"": 24, "d": 24, "h": 1, "w": 24 * 7}
# What render's --set cannot give: names render takes itself, or infoview supplies.
_NOT_SET = {
    "interview": "give the interview with --interview FILE",
    "contact": "the contact is the interview's (--interview FILE); change it there",
    "sender": "the sender is the interview's (--interview FILE); change it there",
    "recipient": "the draft goes to the interview's contact (--interview FILE)",
    "locale": "use --locale",
    "templates": "give a folder of templates with --templates DIR",
    "register": "it follows the contact's register in the interview file",
    "social_limit": "infoview sets it itself",
    "_translations": "infoview sets it itself",
}
_UNITS = {"": "days", "d": "days", "h": "hours", "w": "weeks"}

_SANDBOX = "infoview.sandbox"  # ctx.meta: --sandbox was given


def _remember_sandbox(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[_SANDBOX] = value


def templates_option(command: F) -> F:
    """Add ``--templates DIR`` (repeatable) and ``--sandbox`` to a command.

    The command takes ``folders``; :func:`template_set` reads ``--sandbox``
    itself, so every command that takes folders honours it the same way.
    """
    command = click.option(
        "--sandbox",
        is_flag=True,
        expose_value=False,
        callback=_remember_sandbox,
        help="Render in the sandbox: for --templates folders you do not trust "
        "(without it they are trusted code).",
    )(command)
    return click.option(
        "--templates",
        "folders",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of your own templates, searched before the built-ins (repeatable).",
    )(command)


def template_set(folders: tuple[Path, ...]) -> Templates:
    """Return the templates: the given folders first, then the built-ins; sandboxed if asked."""
    from infoview.rendering.templating import Templates  # noqa: PLC0415

    context = click.get_current_context(silent=True)
    sandboxed = bool(context is not None and context.meta.get(_SANDBOX))
    return Templates(folders, sandboxed=sandboxed)


@main.command(short_help="Show the messages around a sample interview.")
@click.option("--locale", help="Write in this locale, e.g. de or es_MX.")
def demo(locale: str | None) -> None:
    """Show the messages around one interview, from built-in sample data.

    Renders the outreach email, the question list and the thank-you note
    for a sample interview, as they would be sent.
    """
    import infoview  # noqa: PLC0415
    from infoview.followups.followup import FollowUpKind  # noqa: PLC0415
    from infoview.model import samples  # noqa: PLC0415
    from infoview.rendering import registry  # noqa: PLC0415

    interview = samples.interview()
    questions = next(t.name for t in registry.TEMPLATES.values() if t.kind == "questions")
    for title, name in (
        ("Outreach", registry.outreach_template(interview.contact)),
        ("Questions for the call", questions),
        ("Thank-you note", FollowUpKind.THANK_YOU.template),
    ):
        draft = infoview.render(name, interview=interview, locale=locale)
        click.echo(f"── {title} ({name}, {draft.locale}) " + "─" * 20)
        click.echo(_as_text(draft))
        click.echo()


@main.command(short_help="List the templates, or describe one.")
@click.argument("name", required=False)
@templates_option
def templates(name: str | None, folders: tuple[Path, ...]) -> None:
    """List the templates, or show what one needs (its inputs) and its blocks."""
    from infoview.rendering.registry import TEMPLATES  # noqa: PLC0415

    found = template_set(folders)
    if name is not None:
        click.echo(str(found.describe(name)))
        return
    names = found.names()
    width = max(map(len, names), default=0)
    for each in names:
        purpose = TEMPLATES[each].purpose if each in TEMPLATES else "(yours)"
        click.echo(f"{each:<{width}}  {purpose}")


@main.command(short_help="Render one template for an interview.")
@click.argument("name")
@click.option(
    "--interview", "interview_file", type=_FILE, required=True, help="The interview, as JSON."
)
@click.option("--locale", help="Write in this locale instead of the contact's.")
@click.option(
    "--set",
    "values",
    multiple=True,
    metavar="KEY=VALUE",
    callback=pairs,
    help="A template variable, e.g. --set reason='you moved into product' (repeatable).",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "eml", "html", "md"]),
    default="text",
    show_default=True,
    help="The subject and plain text; the message as sent; or its HTML or Markdown part.",
)
@templates_option
def render(
    *,
    name: str,
    interview_file: Path,
    locale: str | None,
    values: dict[str, str],
    form: str,
    folders: tuple[Path, ...],
) -> None:
    """Render template NAME for an interview (a JSON file as infoview.converter writes it)."""
    from infoview.errors import UnknownValueError  # noqa: PLC0415
    from infoview.model.interview import Interview  # noqa: PLC0415

    if clash := sorted(values.keys() & _NOT_SET):
        raise click.BadParameter(
            f"{clash[0]!r} is not a template value to set; {_NOT_SET[clash[0]]}",
            param_hint="'--set'",
        )
    interview = load(interview_file, Interview, "interview")
    try:
        draft = template_set(folders).render(name, locale=locale, interview=interview, **values)
    except UnknownValueError as error:
        guess = f"did you mean --set {error.closest}=…? " if error.closest else ""
        raise click.BadParameter(
            f"{error.name}={values[error.name]!r}: {name} reads no value named {error.name!r}; "
            f"{guess}it reads: {', '.join(error.reads) or 'only the interview'}",
            param_hint="'--set'",
        ) from error
    if form == "eml":
        write_bytes(draft.as_bytes(), None)
        return
    if form == "text":
        click.echo(_as_text(draft))
        return
    part = draft.html if form == "html" else draft.markdown
    if part is None:
        raise Failure(f"{name} has no {form} part; use --format text or eml")
    click.echo(part, nl=not part.endswith("\n"))


def _as_text(draft: Draft) -> str:
    return f"Subject: {draft.subject}\n\n{draft.text.rstrip()}"


@main.command(short_help="Plan the questions for an interview slot.")
@click.option(
    "--minutes",
    type=click.IntRange(10, 60),
    default=20,
    show_default=True,
    help="How long the interview is.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="CATEGORY",
    help="Only questions of this category (repeatable): career_path, day_to_day, "
    "skills_training, industry, company_culture, advice, referrals.",
)
@click.option(
    "--format", "form", type=click.Choice(["text", "md", "html"]), default="text", show_default=True
)
def questions(minutes: int, categories: tuple[str, ...], form: str) -> None:
    """Plan the questions for an interview of so many minutes, by priority.

    The agenda keeps time for the opening and the close and always ends
    with the referral questions ("who else should I talk to?").
    """
    from infoview.model.questions import Category, QuestionBank  # noqa: PLC0415

    known = {c.value: c for c in Category}
    for category in categories:
        if category not in known:
            raise click.BadParameter(
                f"{category!r} is no category; use one of: {', '.join(known)}",
                param_hint="'--category'",
            )
    agenda = QuestionBank.default().plan(minutes, categories=[known[c] for c in categories] or None)
    click.echo(_agenda(agenda, form))


def _agenda(agenda: Agenda, form: str) -> str:
    head = f"{len(agenda.questions)} questions, {agenda.minutes} of {agenda.slot} minutes"
    if form == "html":
        items = []
        for q in agenda.questions:
            probes = "".join(f"<li>{html.escape(p)}</li>" for p in q.probes)
            extra = f"<ul>{probes}</ul>" if probes else ""
            items.append(
                f"  <li>{html.escape(q.text)} <small>({q.minutes} min)</small>{extra}</li>"
            )
        return f"<p>{head}</p>\n<ol>\n" + "\n".join(items) + "\n</ol>"
    lines = [f"*{head}*" if form == "md" else head, ""]
    for number, q in enumerate(agenda.questions, 1):
        minutes = f"_({q.minutes} min)_" if form == "md" else f"({q.minutes} min)"
        lines.append(f"{number}. {q.text} {minutes}")
        lines += [f"    - {p}" for p in q.probes]
    return "\n".join(lines)


def _span(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    from infoview.model._times import LONGEST_WAIT  # noqa: PLC0415

    found = _SPAN.fullmatch(value.strip().lower())
    if found is None:
        raise click.BadParameter(
            f"{value!r} is not a span such as 7d, 36h or 2w (a whole number of days, "
            "hours or weeks, 0 or more)",
            ctx,
            param,
        )
    most = LONGEST_WAIT.days
    # Compared as text first: int() of thousands of digits is refused, and slow before that.
    digits = found[1].lstrip("0")
    if len(digits) > len(str(most * 24)) or int(digits or 0) * _HOURS[found[2]] > most * 24:
        raise click.BadParameter(
            f"{value!r} is further ahead than infoview looks; give at most {most}d "
            f"({most * 24}h, {most // 7}w)",
            ctx,
            param,
        )
    return timedelta(**{_UNITS[found[2]]: int(digits or 0)})


def _now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise click.BadParameter(
            f"{value!r} is not an ISO time with an offset, e.g. 2026-12-04T09:00-06:00", ctx, param
        )
    return moment


@main.command(short_help="List the follow-ups that are due, overdue first.")
@click.option(
    "--interviews",
    "interviews_file",
    type=_FILE,
    required=True,
    help="A JSON list of interviews, as infoview.converter writes them.",
)
@click.option(
    "--within",
    default="7d",
    show_default=True,
    callback=_span,
    help="How far ahead to look: 7d, 36h, 2w (0 for only what is due now).",
)
@click.option("--now", callback=_now, help="The time to plan at (ISO, with offset); default now.")
def followups(interviews_file: Path, within: timedelta, now: datetime | None) -> None:
    """List the follow-ups that are due, overdue ones first.

    Plans every interview with the default policy (one nudge after 7
    business days, the thank-you within 24 hours, …) and shows what is due
    by now plus --within.
    """
    from datetime import UTC  # noqa: PLC0415

    from infoview.followups.policy import Policy, due  # noqa: PLC0415
    from infoview.model.interview import Interview  # noqa: PLC0415

    interviews = load(interviews_file, list[Interview], "interviews")
    moment = now or datetime.now(UTC)
    policy = Policy()
    groups: dict[str, list[Interview]] = {}
    for interview in interviews:
        person = interview.contact.email or interview.contact.name
        groups.setdefault(person.casefold(), []).append(interview)
    planned = [f for group in groups.values() for f in policy.plan(group, now=moment)]
    for interview in interviews:
        if problem := _inconsistent(interview, moment):
            click.echo(f"Warning: {interview.contact.name}: {problem}", err=True)
    lines = due(planned, moment, within=within)
    if not lines:
        click.echo(f"Nothing is due within {_span_text(within)}.")
    for line in lines:
        f = line.follow_up
        zone = f.interview.sender.zone if f.interview is not None else None
        when = f.due.astimezone(zone) if zone is not None else f.due
        flag = "OVERDUE" if line.overdue else "due    "
        who = f"{f.contact.name} <{f.contact.email}>" if f.contact.email else f.contact.name
        about = f" ({f.about})" if f.about else ""
        click.echo(
            f"{flag}  {when:%Y-%m-%d %H:%M %z}  {f.kind.value:<16} {who}{about}  [{f.template}]"
        )


def _inconsistent(interview: Any, now: datetime) -> str | None:
    """Say why the policy can plan nothing for an interview whose data disagree, if so."""
    from infoview.model.lifecycle import Status  # noqa: PLC0415

    if interview.status is not Status.SCHEDULED:  # the one status the rules time by its entry
        return None
    moves = [c for c in interview.history if c.status == interview.status.value]
    if not moves:
        return (
            f"its status is {interview.status.value}, but its history has no entry saying when, "
            "so no follow-up is planned for it; add the entry to the file "
            f'({{"status": "{interview.status.value}", "at": "…"}} in "history")'
        )
    if (last := moves[-1].at) > now:
        return (
            f"its history says it became {interview.status.value} at {last.isoformat()}, after "
            f"--now ({now.isoformat()}), so no follow-up is planned for it yet; check that time"
        )
    return None


def _span_text(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} days" if hours % 24 == 0 else f"{hours} hours"


@main.command(short_help="Write the .ics invite for a scheduled interview.")
@click.option(
    "--interview",
    "interview_file",
    type=_FILE,
    required=True,
    help="The scheduled interview, as JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the invite to this .ics file (default: stdout).",
)
def invite(interview_file: Path, output: Path | None) -> None:
    """Write the calendar invite (.ics) for a scheduled interview."""
    from infoview.mail.calendar import calendar_invite  # noqa: PLC0415
    from infoview.model.interview import Interview  # noqa: PLC0415

    if output is not None and output.exists() and output.samefile(interview_file):
        raise click.BadParameter(
            f"{output} is the interview file itself; write the invite to another file",
            param_hint="'-o' / '--output'",
        )
    interview = load(interview_file, Interview, "interview")
    write_bytes(calendar_invite(interview), output)
    if output is not None:
        click.echo(f"Wrote {output}", err=True)
