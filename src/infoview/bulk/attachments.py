"""Attachments in bulk: files for everyone, and each row's own, read from inside the file's folder.

A bulk run attaches the files given for everyone (``attach=``, ``infoview
drafts --attach``) and, per contact, the files its row names in an
attachment column (:data:`COLUMNS`: ``Attach``, ``Attachment``, ``Résumé``,
``CV``, …), several separated by ``;``. A row's paths are relative to the
folder of the contacts' file and must stay inside it: an absolute path, a
``..`` or a link that leads out is refused, for that row only, like a
missing file. Each file is checked as :meth:`Draft.attach
<infoview.Draft.attach>` checks one (its name must be safe in a header),
and all of a message's files together stay within :data:`LIMIT`.

Outreach with an attachment keeps its lint warning (``outreach-attachment``):
the guides say to send a résumé only when asked.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from infoview.errors import InfoviewError, ValidationError
from infoview.mail.message import Attachment
from infoview.rendering.registry import lint_rules

__all__ = ["COLUMNS", "LIMIT", "cell", "for_everyone", "for_row", "warning"]

#: The custom columns (as a row's custom fields name them) that list a row's attachments.
COLUMNS = (
    "attach", "attachment", "attachments", "resume", "cv", "anhang", "anhange",
    "piece_jointe", "pieces_jointes", "adjunto", "adjuntos",
)  # fmt: skip

#: Bytes all of one message's attachments may hold together: 10 MiB, which
#: base64 makes about 13.3 MB, within what common mail servers take (20–25 MB).
LIMIT = 10 * 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


def _size(total: int) -> str:
    return f"{total / 1024 / 1024:.1f} MiB"


def _read(path: Path, shown: str, owner: str, field: str) -> Attachment:
    """Read one regular file as an attachment, checking its size before reading it."""
    try:
        info = path.stat()
    except OSError as error:
        problem = "does not exist" if isinstance(error, FileNotFoundError) else "cannot be read"
        raise ValidationError(
            owner, field, shown, f"{shown} {problem}", "check the path and the file's name"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(
            owner, field, shown, f"{shown} is not a file", "give the path of a file to attach"
        )
    if info.st_size > LIMIT:
        raise ValidationError(
            owner,
            field,
            shown,
            f"{shown} holds {_size(info.st_size)}, more than the {_size(LIMIT)} "
            "a message may carry",
            "send a link to it instead",
        )
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            owner, field, shown, f"{shown} cannot be read ({error.strerror or error})"
        ) from None
    try:
        return Attachment(path.name, content)
    except InfoviewError as error:  # the name, checked as Draft.attach checks it
        raise ValidationError(owner, field, shown, str(error)) from None


def _total(files: Iterable[Attachment], owner: str, field: str, shown: str) -> None:
    total = sum(len(f.content) for f in files)
    if total > LIMIT:
        raise ValidationError(
            owner,
            field,
            shown,
            f"the attachments hold {_size(total)} together, more than the {_size(LIMIT)} "
            "a message may carry",
            "attach fewer files, or send links instead",
        )


def for_everyone(paths: Iterable[str | os.PathLike[str]]) -> tuple[Attachment, ...]:
    """Read the files attached to every draft of a run.

    Raises:
        ValidationError: A file is missing, is not a file, is too large, or
            its name is unsafe in a header (the message names the path).
    """
    files = []
    for given in paths:
        shown = os.fspath(given)
        files.append(_read(Path(given), shown, "drafts", "attach"))
    _total(files, "drafts", "attach", ", ".join(f.filename for f in files))
    return tuple(files)


def cell(custom: Mapping[str, str]) -> tuple[str, str] | None:
    """The row's attachment column and its cell, when the row names files."""
    for name in COLUMNS:
        value = custom.get(name)
        if value is not None and value.strip():
            return name, value
    return None


def _inside(folder: Path, text: str, column: str) -> Path:
    """The file a row names, refused when the path could lead out of ``folder``."""
    path = text.replace("\\", "/")
    parts = path.split("/")
    if path.startswith(("/", "~")) or _DRIVE.match(path) or ".." in parts:
        raise ValidationError(
            "drafts",
            column,
            text,
            f"{text} is not a path inside the contacts' folder",
            f"put the file in {folder} (or a folder in it) and give its path from there, "
            "e.g. files/cv.pdf",
        )
    target = (folder / path).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValidationError(
            "drafts",
            column,
            text,
            f"{text} leads out of the contacts' folder (through a link)",
            f"put the file itself in {folder}",
        )
    return target


def for_row(
    custom: Mapping[str, str], folder: Path | None, shared: tuple[Attachment, ...]
) -> tuple[Attachment, ...]:
    """The files one draft carries: those for everyone, then the row's own.

    Raises:
        ValidationError: A path of the row leads out of ``folder``, a file is
            missing or too large, or the files together are (``field``: the column).
    """
    found = cell(custom)
    if found is None:
        return shared
    column, value = found
    if folder is None:
        raise ValidationError(
            "drafts",
            column,
            value,
            "names files, but the run has no folder to find them in",
            "pass attach_folder= (the folder of the contacts' file)",
        )
    files = list(shared)
    for text in (part.strip() for part in value.split(";")):
        if not text:
            continue
        attachment = _read(_inside(folder, text, column), text, "drafts", column)
        if attachment not in files:
            files.append(attachment)
    _total(files, "drafts", column, value)
    return tuple(files)


def warning(template: str, name: str, files: int) -> str | None:
    """The lint warning for outreach with attachments, or ``None`` where the lint has none."""
    if not files or "outreach-attachment" not in lint_rules(template):
        return None
    return (
        f"outreach to {name} with an attachment: send no résumé or files until they ask "
        "(the lint's outreach-attachment)"
    )
