"""The ``infoview`` command group and what its commands share.

Only click is imported here: each command imports the parts of infoview it
needs when it runs, so ``infoview --help`` loads no templates, Babel,
icalendar or importers of its own.

Exit codes: 0 when everything was done; 1 when it was done but rows were
reported as problems (or a template found a value missing in the data);
2 when nothing could be done: a usage error, an input file that cannot be
read, an unknown template, a missing column, an output that exists.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import re
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from infoview.errors import InfoviewError

__all__ = [
    "COMMANDS",
    "DATA_PROBLEM",
    "MODULES",
    "USAGE",
    "DataFailure",
    "Failure",
    "fail",
    "load",
    "main",
    "pairs",
    "settle",
    "spoken",
    "write_bytes",
]

T = TypeVar("T")

#: Exit code when rows (or a value in the data) were reported as problems.
DATA_PROBLEM = 1
#: Exit code for usage errors and inputs that cannot be used (as click's own).
USAGE = 2

# Patterns, compiled by the re module on first use (most runs use none of them).
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
# What Python makes of bytes on the command line that are not UTF-8 (surrogateescape).
_SURROGATE = "[\udc80-\udcff]"

# At exit, leave every object to the operating system: the interpreter's last
# collections would otherwise walk them all (tens of milliseconds after a bulk
# run) to free memory that is released anyway. Commands close their files first.
atexit.register(gc.freeze)


class Failure(click.ClickException):
    """An expected error: shown as one ``Error: …`` line on stderr, no traceback; exit 2."""

    exit_code = USAGE

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the message held


class DataFailure(Failure):
    """An expected error caused by a value in the data, not by how infoview was called; exit 1."""

    exit_code = DATA_PROBLEM


# What the library's messages say in Python, said in the command line's words.
_SPOKEN = (
    ("use security='tls' (port 465)", "use --security tls --port 465"),
    ("(--require-tls, require_tls=True)", "(--require-tls)"),
    ("with security='none'", "with --security none"),
    ("use security='starttls' or 'tls'", "use --security starttls or tls"),
    ("use read_linkedin()", "use infoview import linkedin FILE"),
    ("or pass mapping={'<your header>': 'name'}", "or use --map HEADER=name"),
    ("templates given as strings; ", ""),
    ("see Templates.names() for the names there are", "infoview templates lists them"),
    ("workers=1 (--workers 1)", "--workers 1"),
    ("give SMTPSettings(user=…) and its password", "add --user NAME (and --password-env VAR)"),
    (
        "mapping={'COLUMN': 'email'} (on the command line --map COLUMN=email)",
        "use --map COLUMN=email",
    ),
)
_VALUES = r"give one value for everyone \(values=\{'(\w+)': \.\.\.\}; on the command line "
_RENDER_HINT = r"pass (\w+)=… to render\(\) \(Templates\.variables\(\) lists the names\)"


def spoken(text: str) -> str:
    """Return an error message in the command line's words: flags, not keyword arguments."""
    for python, command_line in _SPOKEN:
        text = text.replace(python, command_line)
    text = re.sub(_VALUES, "give one value for everyone (", text)
    return re.sub(_RENDER_HINT, r"give it with --set \1=…", text)


def _flag(error: InfoviewError) -> str | None:
    """The option of the running command that a function's refused argument came from."""
    from infoview.errors import ValidationError  # noqa: PLC0415

    context = click.get_current_context(silent=True)
    if not isinstance(error, ValidationError) or context is None or not error.owner.islower():
        return None
    command: click.Command | None = context.command
    if isinstance(command, click.Group) and context.invoked_subcommand:
        command = command.get_command(context, context.invoked_subcommand)
    for param in command.params if command is not None else ():
        if param.name == error.field and isinstance(param, click.Option):
            return max(param.opts, key=len)
    return None


def _missing_hint(error: InfoviewError) -> str:
    """For a value a built-in reads from the contact: the --set that gives it instead."""
    from infoview.errors import MissingValueError  # noqa: PLC0415
    from infoview.rendering.registry import TEMPLATES  # noqa: PLC0415

    if not isinstance(error, MissingValueError) or error.template not in TEMPLATES:
        return ""
    for name, note in TEMPLATES[str(error.template)].inputs.items():
        if error.path and error.path in note.about and note.type.endswith("str"):
            return f"; on the command line give it in the interview file, or --set {name}=…"
    return ""


def fail(error: InfoviewError, where: str = "") -> NoReturn:
    """Raise :class:`Failure` for an infoview error, with the fitting exit code."""
    from infoview.errors import MissingValueError, StructureError, ValidationError  # noqa: PLC0415

    text = "; ".join(error.problems) if isinstance(error, StructureError) else str(error)
    if (flag := _flag(error)) is not None and isinstance(error, ValidationError):
        text = text.replace(f"{error.owner}.{error.field}:", f"{flag}:", 1)
    text = spoken(text) + _missing_hint(error)
    kind = DataFailure if isinstance(error, MissingValueError) else Failure
    raise kind(f"{where}: {text}" if where else text) from error


# Every command: the module of infoview.cli that defines it, and its one-line help. A command's
# module is loaded when the command runs, so `infoview drafts` loads only drafts' module and
# `infoview --help` none (tests/test_cli_lazy.py checks this table against the modules).
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("_tracker", "Add contacts from a file to the tracker."),
    "at": ("_reach", "Whom you know at a company, warmest path first."),
    "cadence": ("_tracker", "Show or change how often to check in with each tier."),
    "cancel": ("_tracker", "Record that an interview was called off."),
    "decline": ("_tracker", "Record that someone said no."),
    "demo": ("_messages", "Show the messages around a sample interview."),
    "done": ("_tracker", "Record the conversation; write the thank-you."),
    "drafts": ("_contacts", "Draft one email per contact, to .eml files or an mbox."),
    "export": ("_tracker", "The whole pipeline as CSV or JSON."),
    "follow-up": ("_tracker", "Draft a follow-up that is due (today lists them)."),
    "followups": ("_messages", "List the follow-ups that are due, overdue first."),
    "forget": ("_tracker", "Erase a person and everything about them."),
    "import": ("_contacts", "Import contacts from CSV, LinkedIn or vCard as JSON."),
    "invite": ("_messages", "Write the .ics invite for a scheduled interview."),
    "list": ("_tracker", "The pipeline: who, where from, status, next step."),
    "log": ("_tracker", "Note a contact with someone (resets the keep-in-touch clock)."),
    "login": ("_mailbox", "Sign in once: a password into the system keyring, or OAuth 2."),
    "mailbox": ("_mailbox", "Say where your IMAP mailbox is (kept in the tracker)."),
    "me": ("_tracker", "Say who you are: the sender of every draft."),
    "no-response": ("_tracker", "Record that someone never answered."),
    "nudge": ("_tracker", "Draft the one polite nudge, on the outreach's thread."),
    "outreach": ("_tracker", "Draft outreach for people not yet written to."),
    "questions": ("_messages", "Plan the questions for an interview slot."),
    "render": ("_messages", "Render one template for an interview."),
    "reply": ("_tracker", "Record that someone answered (no nudge follows)."),
    "schedule": ("_tracker", "Record the agreed time; write the confirmation and the invite."),
    "send": ("_send", "Send a folder of .eml files or an mbox, each message once."),
    "show": ("_tracker", "Everything about one person."),
    "sync": ("_mailbox", "Notice replies: read what arrived since the last sync."),
    "targets": ("_reach", "For each target company, whom to ask first."),
    "templates": ("_messages", "List the templates, or describe one."),
    "tier": ("_tracker", "Put someone in a tier: A, B, C or one you named."),
    "today": ("_tracker", "What to do now, overdue first, each with its command."),
    "where": ("_tracker", "Print where the tracker file is."),
}
#: The modules of infoview.cli that define commands.
MODULES = ("_contacts", "_mailbox", "_messages", "_reach", "_send", "_tracker")


# The console script loads its modules with the garbage collector off: the objects
# an import makes live as long as the process, and the collector would walk them
# again and again while the modules load (about ten milliseconds before the first
# row of `infoview drafts`). Once a command has what it needs, settle() keeps the
# objects so far out of later collections (gc.freeze) and collects again. Only the
# console script's path (_Group.__call__, as `infoview` and `python -m infoview`
# start); a program that calls main() or click's test runner is not touched.
_paused = False
# Commands that settle themselves, after the imports their callback makes.
_SETTLE_THEMSELVES = frozenset({"drafts"})


def _pause() -> None:
    global _paused  # noqa: PLW0603 - one flag for the process
    if gc.isenabled():
        gc.disable()
        _paused = True


def settle() -> None:
    """The command has loaded what it needs: collect garbage again, skipping what is loaded.

    Does nothing unless the console script paused the collector while it loaded.
    """
    global _paused  # noqa: PLW0603 - one flag for the process
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands by name: every name known at once, each module loaded on first use.

    A name missing from :data:`COMMANDS` loads every module before it is called unknown.
    """

    def __init__(self, commands: MutableMapping[str, click.Command]) -> None:
        self.loaded = dict(commands)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            home = COMMANDS.get(name)
            for module in (home[0],) if home is not None else MODULES:
                importlib.import_module(f"infoview.cli.{module}")
            if name not in _SETTLE_THEMSELVES:
                settle()
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self.loaded

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self.loaded]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self.loaded]))


class _Group(click.Group):
    """Turn infoview's errors into one line on stderr and an exit code.

    Its commands are loaded when they run (:class:`_Commands`); the list in
    ``--help`` is written from :data:`COMMANDS` without loading them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run as the console script: load with the collector paused until the command settles."""
        _pause()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            settle()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the list of commands and their one-line help, as click does, loading none."""
        commands = self.commands
        loaded = commands.loaded if isinstance(commands, _Commands) else commands
        rows = []
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        for name in self.list_commands(ctx):
            command = loaded.get(name)
            if command is None:
                rows.append((name, COMMANDS[name][1]))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from infoview.errors import InfoviewError, WorkerError  # noqa: PLC0415

        try:
            return super().invoke(ctx)
        except WorkerError as error:
            # A broken process pool can leave threads that the interpreter's exit would
            # wait for for ever: say so, and leave at once (every file is closed).
            click.echo(f"Error: {' '.join(str(error).split())}", err=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(USAGE)
        except InfoviewError as error:
            fail(error)
        except BrokenPipeError:
            _quiet_stdout()
            raise SystemExit(1) from None
        except OSError as error:
            name = f"{error.filename}: " if error.filename else ""
            raise Failure(f"{name}{error.strerror or error}") from error
        except UnicodeEncodeError as error:
            if not re.search(_SURROGATE, str(error.object)):
                raise
            # Bytes given on the command line that are not UTF-8, reaching a text option.
            text = error.object[max(error.start - 20, 0) : error.end + 20]
            raise Failure(
                f"{text!r} is not UTF-8 text: the command line gave bytes that are not; "
                "give text options in UTF-8"
            ) from error


def _quiet_stdout() -> None:
    """Send what is left for stdout nowhere: the reader stopped early (``| head``)."""
    with contextlib.suppress(OSError, ValueError):  # stdout may be no file (a test's buffer)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from infoview import __version__  # noqa: PLC0415

    click.echo(f"infoview {__version__}")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Plan, write and follow up informational interviews.

    Import the people you want to talk to, draft one outreach email per
    contact, render any message around an interview, plan the questions,
    and see which follow-up is due.

    Exit status: 0 done; 1 done, but rows were reported as problems (each
    by its line); 2 nothing done (usage error or unusable input).
    """


def pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """Read ``key=value`` options into a dict (a click callback)."""
    found: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", ctx, param)
        if param.name == "values" and not re.fullmatch(_KEY, key):
            raise click.BadParameter(
                f"{key!r} is not a template variable name (letters, digits, _)", ctx, param
            )
        if re.search(_SURROGATE, item):
            raise click.BadParameter(
                f"{item!r} is not UTF-8 text (the shell passed bytes that are not); "
                "give the value in UTF-8",
                ctx,
                param,
            )
        found[key] = value
    return found


def load(path: Path, cl: type[T], what: str) -> T:
    """Read a JSON file as ``infoview.converter`` writes it, or fail naming the file."""
    from infoview.errors import StructureError  # noqa: PLC0415
    from infoview.model import _plain  # noqa: PLC0415
    from infoview.model.contact import Contact  # noqa: PLC0415

    data = path.read_bytes()
    # A contact in the plain shape (a sender file) is read without loading the converter.
    if cl is Contact and (found := _plain.contact(data)) is not None:
        return found  # type: ignore[return-value] # cl is Contact
    from infoview.model.serialize import converter  # noqa: PLC0415

    try:
        return converter.loads(data, cl)
    except StructureError as error:
        fail(error, f"{path} (the {what})")


def write_bytes(data: bytes, output: Path | None) -> None:
    """Write bytes to a file, or to stdout when ``output`` is ``None``."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def stderr_is_terminal() -> bool:
    """Whether a progress bar on stderr would be seen."""
    return sys.stderr.isatty()
