"""Errors raised by infoview.

Every error derives from :class:`InfoviewError` and also from the builtin that
fits it, so ``except ValueError`` keeps working for callers that do not know
infoview. Each keeps its context as attributes and says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "CatalogError",
    "HeaderInjectionError",
    "HeaderNameError",
    "ImportFileError",
    "InfoviewError",
    "JournalError",
    "MailboxError",
    "MessageError",
    "MissingColumnError",
    "MissingEmailError",
    "MissingValueError",
    "OutputExistsError",
    "PlanError",
    "SandboxError",
    "SendError",
    "SignInError",
    "StructureError",
    "TemplateError",
    "TrackerError",
    "TransitionError",
    "UnknownPersonError",
    "UnknownTemplateError",
    "UnknownValueError",
    "UnreadableNameError",
    "UnsupportedLocaleError",
    "ValidationError",
    "WorkerError",
    "WrongTypeError",
]


class InfoviewError(Exception):
    """Base class of every error infoview raises."""


class ValidationError(InfoviewError, ValueError):
    """A field was given a value it cannot hold.

    Attributes:
        owner: The class whose field was refused, e.g. ``"Contact"``.
        field: The field's name, e.g. ``"email"``.
        value: The refused value.
        hint: What to do instead.
    """

    def __init__(self, owner: str, field: str, value: Any, problem: str, hint: str = "") -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.problem = problem
        self.hint = hint
        message = f"{owner}.{field}: {problem}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class TransitionError(InfoviewError, ValueError):
    """A status change that the lifecycle does not allow.

    Attributes:
        owner: The class whose status was to change, e.g. ``"Interview"``.
        current: The status it has.
        action: The verb that was called, e.g. ``"complete"``.
        allowed_from: The statuses from which that verb is allowed.
    """

    def __init__(
        self,
        owner: str,
        current: Any,
        action: str,
        allowed_from: tuple[Any, ...],
        message: str | None = None,
    ) -> None:
        self.owner = owner
        self.current = current
        self.action = action
        self.allowed_from = allowed_from
        allowed = " or ".join(getattr(s, "value", str(s)) for s in allowed_from)
        super().__init__(
            message
            or f"{owner}.status: cannot {action}() an {owner.lower()} that is "
            f"{getattr(current, 'value', current)}; {action}() is allowed only when it is {allowed}"
        )


class PlanError(InfoviewError, ValueError):
    """An agenda cannot be planned as asked (e.g. the included questions do not fit)."""


class TrackerError(InfoviewError, OSError):
    """The tracker file cannot be used: damaged, newer, read-only, or busy.

    Nothing in the file is changed when this is raised.

    Attributes:
        path: The tracker file.
    """

    def __init__(self, path: Any, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class UnknownPersonError(InfoviewError, LookupError):
    """No one, or more than one person, in the tracker matches what was asked for.

    Attributes:
        who: What was asked for (an email address or part of a name).
        matches: The names (with addresses) of everyone who matched; empty
            when no one did.
    """

    def __init__(self, who: str, matches: Sequence[str]) -> None:
        self.who = who
        self.matches = tuple(matches)
        if not matches:
            message = (
                f"no one in the tracker matches {who!r}; "
                "give an email address or part of a name (infoview list shows everyone)"
            )
        else:
            listed = "; ".join(matches[:10]) + ("; …" if len(matches) > 10 else "")
            message = (
                f"{who!r} matches {len(matches)} people: {listed}; "
                "give their email address or more of the name"
            )
        super().__init__(message)


class StructureError(InfoviewError, ValueError):
    """A serialized document could not be turned back into infoview objects.

    Attributes:
        path: Where the bad value sits, e.g. ``"interview.contact.timezone"``.
        problems: Every problem found, as ``"path: message"`` lines.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


class MissingValueError(InfoviewError, LookupError):
    """A template printed a value that is missing, ``None``, empty or white space.

    infoview never renders a blank ("Hi ,"): the value must be given, or the
    template must say what to write instead (``{{ contact.school or "…" }}``).

    Attributes:
        template: The template being rendered, e.g. ``"outreach/alumni"``.
        variable: The missing name, e.g. ``"school"`` or ``"referral"``.
        path: Where it was looked up, e.g. ``"contact.school"`` (may equal ``variable``).
        contact: The contact the message was for, if known.
        hint: What to do.
    """

    def __init__(
        self,
        template: str | None,
        variable: str | None,
        contact: Any = None,
        *,
        path: str | None = None,
        hint: str = "",
    ) -> None:
        self.template = template
        self.variable = variable
        self.path = path or variable
        self.contact = contact
        self.hint = hint
        where = f"{template}: " if template else ""
        if variable and self.path and self.path != variable:
            what = f"{variable!r} ({self.path}) is missing or empty"
        elif variable:
            what = f"{variable!r} is missing or empty"
        else:
            what = "a value is missing or empty"
        who = f" for {getattr(contact, 'name', contact)}" if contact is not None else ""
        if hint:
            todo = hint
        elif self.path and "." in self.path:
            todo = (
                f"give {self.path!r} a value, or let the template fall back "
                f"(e.g. {{{{ {self.path} or '…' }}}} or {{% if {self.path} %}})"
            )
        elif self.path:
            todo = (
                f"pass {self.path}=… to render() (Templates.variables() lists the names), "
                f"or let the template test {{% if {self.path} is defined %}}"
            )
        else:
            todo = "give the value, or let the template fall back"
        super().__init__(f"{where}{what}{who}; {todo}")


class UnknownValueError(ValidationError):
    """A value was given by a name the template never reads: almost always a misspelling.

    Attributes:
        template: The template, e.g. ``"outreach/cold"``.
        name: The name given, e.g. ``"topik"``.
        closest: The name the template reads that looks most alike, if any.
        reads: Every name the template reads.
    """

    def __init__(self, template: str, name: str, reads: Iterable[str]) -> None:
        import difflib  # noqa: PLC0415 - only when the error is raised

        self.template = template
        self.name = name
        self.reads = tuple(sorted(reads))
        close = difflib.get_close_matches(name, self.reads, n=1, cutoff=0.6)
        self.closest = close[0] if close else None
        guess = f"did you mean {self.closest!r}? " if self.closest else ""
        listed = ", ".join(self.reads) or "only the interview"
        super().__init__(
            "render",
            name,
            name,
            f"{template} reads no value named {name!r}",
            f"{guess}it reads: {listed}",
        )


class WrongTypeError(InfoviewError, TypeError):
    """An argument was given a value of the wrong type (a dict where a Contact belongs).

    Attributes:
        function: What was called, e.g. ``"render"``.
        argument: The argument, e.g. ``"contact"``.
        value: The value given.
        expected: The type it needs, e.g. ``"Contact"``.
        hint: How to make one.
    """

    def __init__(self, function: str, argument: str, value: Any, expected: str, hint: str) -> None:
        self.function = function
        self.argument = argument
        self.value = value
        self.expected = expected
        self.hint = hint
        got = type(value).__name__
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(
            f"{function}({argument}=…): expected a {expected}, got a {got} {shown}; {hint}"
        )


class MissingEmailError(MissingValueError, ValidationError):
    """A contact has no email address, and a message or a calendar invite needs one.

    It is both a missing value (:class:`MissingValueError`, a ``LookupError``)
    and a field that cannot stay empty for this use (:class:`ValidationError`
    on ``Contact.email``, a ``ValueError``): catch either.

    Attributes:
        contact: The contact without an address.
        needed_for: What needed it, e.g. ``"the To header"``.
        owner: ``"Contact"``.
        field: ``"email"``.
        hint: What to do.
    """

    def __init__(self, contact: Any, needed_for: str, hint: str) -> None:
        name = getattr(contact, "name", None) or "this contact"
        problem = f"{name} has no email address, needed for {needed_for}"
        ValidationError.__init__(self, "Contact", "email", None, problem, hint)
        self.template = None
        self.variable = "email"
        self.path = "Contact.email"
        self.contact = contact
        self.needed_for = needed_for


class UnknownTemplateError(InfoviewError, LookupError):
    """No template has the name asked for.

    Attributes:
        name: The name asked for.
        searched: Every place that was searched, in order.
        suggestions: Known names that look alike.
    """

    def __init__(
        self, name: str, searched: list[str], suggestions: list[str] | None = None
    ) -> None:
        self.name = name
        self.searched = searched
        self.suggestions = suggestions or []
        message = f"no template named {name!r}; searched: " + "; ".join(searched)
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; see Templates.names() for the names there are"
        super().__init__(message)


class TemplateError(InfoviewError, ValueError):
    """A template could not be compiled or failed while rendering.

    Raised for syntax errors and for anything a template's own expressions
    raise (``{{ 1 / 0 }}``, ``{{ 'x'|date }}``, an unknown zone name): the
    fault is in the template text, so the message names the template and the
    line to fix. The original exception is kept as ``__cause__``.

    Attributes:
        template: The template being compiled or rendered.
        line: The line of the template where it failed, when known.
        reason: What went wrong.
    """

    def __init__(self, template: str | None, line: int | None, reason: str) -> None:
        self.template = template
        self.line = line
        self.reason = reason
        where = template or "template"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {reason.rstrip('.')}; fix the template there")


class HeaderInjectionError(InfoviewError, ValueError):
    """A mail header value could forge headers of its own.

    It holds a line break (CR, LF, U+2028, U+0085, …: ``"Ann\\r\\nBcc: …"``)
    or an RFC 2047 encoded word (``=?utf-8?q?…?=``), which Python's email
    package decodes — line breaks included — before writing the header. Such
    a value is refused rather than cleaned.

    Attributes:
        header: The header, e.g. ``"Subject"`` or ``"To"``.
        value: The refused value.
        reason: What is wrong with it.
        hint: What to do instead.
    """

    def __init__(
        self,
        header: str,
        value: str,
        reason: str = "contains a line break",
        hint: str = "write it on one line, as plain text",
    ) -> None:
        self.header = header
        self.value = value
        self.reason = reason
        self.hint = hint
        super().__init__(f"{header}: {value!r} {reason}, which could forge mail headers; {hint}")


class SandboxError(InfoviewError, RuntimeError):
    """Untrusted template text tried something the sandbox refuses.

    Raised for unsafe attribute access (``''.__class__``), unsafe calls and
    ``str.format`` tricks, and for output or loops beyond the configured bounds.

    Attributes:
        template: The template being rendered.
        reason: What was refused.
    """

    def __init__(self, template: str | None, reason: str) -> None:
        self.template = template
        self.reason = reason
        where = f"{template}: " if template else ""
        super().__init__(
            f"{where}refused by the sandbox: {reason}; untrusted templates may only "
            "print the values they are given and use the safe filters"
        )


class HeaderNameError(InfoviewError, ValueError):
    """An extra header that cannot be set as given.

    Its name is not an RFC 5322 field name (``"X-A: b"``, ``""``, ``"X A"``),
    or it is one infoview writes itself (From, To, Subject, Content-Type, …),
    or one that must never be written (Bcc), or it is given twice where the
    standard allows it once.

    Attributes:
        name: The header name given.
        reason: What is wrong with it.
        hint: What to do instead.
    """

    def __init__(self, name: str, reason: str, hint: str) -> None:
        self.name = name
        self.reason = reason
        self.hint = hint
        super().__init__(f"header {name!r} {reason}; {hint}")


class OutputExistsError(InfoviewError, FileExistsError):
    """A file infoview was asked to write exists already and was left as it was.

    Attributes:
        path: The file that exists.
        hint: What to do.
    """

    def __init__(self, path: Any, hint: str) -> None:
        self.path = path
        self.hint = hint
        super().__init__(f"{str(path)!r} exists already and was not overwritten; {hint}")


class UnsupportedLocaleError(InfoviewError, LookupError):
    """A render asked for a language infoview does not ship (strict mode only).

    Attributes:
        requested: The locale that was asked for, e.g. ``"ja_JP"``.
        origin: Where it came from: ``"explicit"``, ``"contact"`` or ``"sender"``.
        languages: The languages infoview ships.
    """

    def __init__(self, requested: str, origin: str, languages: Sequence[str]) -> None:
        self.requested = requested
        self.origin = origin
        self.languages = tuple(languages)
        super().__init__(
            f"locale {requested!r} (from the {origin}) is not shipped; infoview has "
            f"{', '.join(self.languages)}. Pass locale='en' (or another shipped language), "
            "leave strict off to fall back to English, or add a catalog (see docs/i18n.md)"
        )


class CatalogError(InfoviewError, LookupError):
    """The catalog of a shipped language cannot be found or read.

    Attributes:
        language: The language whose catalog is missing, e.g. ``"de"``.
        searched: The files that were looked for.
    """

    def __init__(self, language: str, searched: Sequence[str], problem: str = "") -> None:
        self.language = language
        self.searched = tuple(searched)
        detail = problem or "no catalog found"
        super().__init__(
            f"{detail} for language {language!r}; looked for: {', '.join(self.searched)}. "
            "The installation is incomplete: reinstall infoview, or in a source checkout "
            "restore src/infoview/locale/"
        )


class MissingColumnError(InfoviewError, LookupError):
    """A template needs a value that no column, shared value or contact field gives.

    Raised by :func:`infoview.bulk.drafts` before anything is drafted.

    Attributes:
        template: The template that needs it.
        missing: The names nothing gives, sorted.
        columns: The custom columns the contacts have.
    """

    def __init__(self, template: str, missing: Iterable[str], columns: Iterable[str] = ()) -> None:
        self.template = template
        self.missing = tuple(sorted(missing))
        self.columns = tuple(sorted(columns))
        names = " and ".join(repr(m) for m in self.missing)
        first = self.missing[0]
        found = ", ".join(self.columns) or "none"
        super().__init__(
            f"{template} needs {names}, which no column of the contacts gives "
            f"(custom columns: {found}); add a column named {first!r} to the file, or give "
            f"one value for everyone (values={{{first!r}: ...}}; on the command line "
            f"--set {first}=...)"
        )


class WorkerError(InfoviewError, RuntimeError):
    """A worker process of a bulk run ended before its contacts were drafted.

    It was killed (by a signal, or by the system when memory ran out) or it
    exited. The drafts passed on before that are whole: a writer has written
    each of them. The rest were not drafted.

    Attributes:
        pid: The worker's process id, when known.
        ended: How it ended, e.g. ``"was killed by signal 9 (SIGKILL)"``.
        drafted: How many drafts the run had passed on when it stopped, when known.
    """

    def __init__(self, pid: int | None, ended: str, drafted: int | None = None) -> None:
        self.pid = pid
        self.ended = ended
        self.drafted = drafted
        who = "a worker process" if pid is None else f"worker process {pid}"
        done = ""
        if drafted is not None:
            noun = "draft was" if drafted == 1 else "drafts were"
            done = f"; {drafted:,} {noun} written whole before it stopped, the rest were not"
        super().__init__(
            f"{who} drafting the contacts {ended}{done}; draft again (into a new folder or "
            "mbox), or with workers=1 (--workers 1) to draft in this process"
        )


class MailboxError(InfoviewError, ConnectionError):
    """Your mailbox cannot be used: not reached, TLS or login failed, or a folder is missing.

    Nothing is recorded in the tracker for the messages not yet read when
    this is raised; a later sync goes on from the last one it recorded.

    Attributes:
        host: The IMAP server.
    """

    def __init__(self, host: str, message: str) -> None:
        self.host = host
        super().__init__(f"{host}: {message}")


class UnreadableNameError(InfoviewError, ValueError):
    """A name that cannot be taken apart into a given and a family name."""


class SendError(InfoviewError, ConnectionError):
    """Sending cannot go on: TLS or login failed, or a password would go in clear.

    Attributes:
        host: The SMTP server.
        report: What the run did before it stopped (a :class:`~infoview.sending.Report`),
            when it had begun.
    """

    def __init__(self, host: str, message: str) -> None:
        self.host = host
        self.report: Any = None
        super().__init__(f"{host}: {message}")


class SignInError(InfoviewError, ConnectionError):
    """Signing in cannot go on: no password or token, the keyring failed, or an extra is missing.

    The text never holds a password or a token.

    Attributes:
        user: The login it was for.
    """

    def __init__(self, user: str, message: str) -> None:
        self.user = user
        super().__init__(f"{user}: {message}")


class JournalError(InfoviewError, OSError):
    """The journal cannot be used: not an infoview journal, newer, damaged, read-only, or in use.

    Attributes:
        path: The journal file.
    """

    def __init__(self, path: Any, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class MessageError(InfoviewError, ValueError):
    """A message cannot be sent as it is: no Message-ID, no sender, no recipient.

    Attributes:
        source: Where it was read from (a file, or ``"message 3"``).
    """

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class ImportFileError(InfoviewError, ValueError):
    """A whole file cannot be imported: it is missing, undecodable, or lacks a needed column.

    Problems with single rows never raise; they are reported in the
    :class:`~infoview.importers.ImportResult`.

    Attributes:
        path: The file, as given (``"<stream>"`` for an open file without a name).
        reason: What is wrong.
        hint: What to do.
        expected: For a missing column: the headers that would do.
        found: For a missing column: the headers the file has.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        hint: str,
        *,
        expected: tuple[str, ...] = (),
        found: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        self.expected = expected
        self.found = found
        super().__init__(f"{path}: {reason}; {hint}")
