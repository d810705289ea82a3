"""Reading an import file once, as bytes, and decoding it to text.

UTF-8 (with or without a byte-order mark) is read as it is; a UTF-16 or
UTF-32 byte-order mark (Excel's "Unicode text") is honoured; other bytes are
decoded with the encoding the caller names or, without one, with
charset-normalizer's best guess, which the result then reports as a guess.
"""

from __future__ import annotations

import codecs
import os
from typing import IO, Any

import attrs

from infoview.errors import InfoviewError

__all__ = ["Decoded", "ImportFileError", "Input", "decode", "read"]

#: What an importer reads: a path, or an open file (binary, or text already decoded).
Input = str | os.PathLike[str] | IO[bytes] | IO[str]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Preferred among guesses that fit equally well.
_PREFERRED = ("utf_8", "cp1252", "latin_1", "iso8859_15")


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


@attrs.frozen
class Decoded:
    """A file's text and how it was decoded."""

    name: str
    text: str
    encoding: str | None
    guessed: bool = False


def read(source: Input) -> tuple[str, bytes | str]:
    """Return a display name for ``source`` and its whole content, read once.

    Raises:
        ImportFileError: The file cannot be opened or read.
    """
    if isinstance(source, str | os.PathLike):
        name = os.fsdecode(source)
        try:
            with open(source, "rb") as file:
                return name, file.read()
        except OSError as exc:
            raise ImportFileError(
                name, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"
            ) from exc
    name = str(getattr(source, "name", "<stream>"))
    content: Any = source.read()
    if not isinstance(content, bytes | str):
        raise ImportFileError(
            name,
            f"reading it gave {type(content).__name__}, not bytes or text",
            "pass a path, or a file opened with open(path, 'rb')",
        )
    return name, content


def decode(name: str, content: bytes | str, encoding: str | None) -> Decoded:
    """Decode ``content``: a BOM first, then ``encoding`` if given, else UTF-8, else a guess.

    Raises:
        ImportFileError: ``encoding`` is unknown or does not fit the bytes
            (naming the byte offset), or no encoding fits.
    """
    if isinstance(content, str):
        return Decoded(name, content.removeprefix("\ufeff"), None)
    if encoding is not None:
        return _explicit(name, content, encoding)
    for bom, bom_encoding in _BOMS:
        if content.startswith(bom):
            return _explicit(name, content, bom_encoding)
    try:
        return Decoded(name, content.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # noqa: PLC0415 - imported when needed: keeps `import infoview` fast

    matches = charset_normalizer.from_bytes(content)
    best = matches.best()
    if best is not None:
        # Short Western text often scores the same in cp1250 and cp1252; Windows-1252
        # is what most spreadsheets in legacy encodings are saved in, so it wins a tie.
        tied = {
            m.encoding: m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)
        }
        best = next((tied[e] for e in _PREFERRED if e in tied), best)
    if best is None:
        raise ImportFileError(
            name,
            "is not text in any encoding charset-normalizer recognizes",
            "save it as UTF-8 text (CSV UTF-8 in Excel), or pass encoding='…'",
        )
    return Decoded(name, str(best).removeprefix("\ufeff"), best.encoding, guessed=True)


def _explicit(name: str, content: bytes, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(
            name, f"{encoding!r} is not an encoding Python knows", "pass e.g. 'cp1252' or 'latin-1'"
        ) from None
    if codec == "utf-8":
        codec = "utf-8-sig"  # a BOM is not part of the text
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            name,
            f"is not {encoding} text: the bytes at offset {exc.start} "
            f"({content[exc.start : exc.start + 4]!r}) cannot be decoded",
            "pass the encoding it was saved in, or leave encoding out to have it detected",
        ) from None
    return Decoded(name, text.removeprefix("\ufeff"), codec)
