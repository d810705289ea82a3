"""Reading an import file once, as bytes, and decoding it to text.

UTF-8 (with or without a byte-order mark) is read as it is; a UTF-16 or
UTF-32 byte-order mark (Excel's "Unicode text") is honoured; other bytes are
decoded with the encoding the caller names or, without one, with
charset-normalizer's best guess, which the result then reports as a guess.

:func:`read` and :func:`decode` hold the whole text; :func:`open_text`
checks the encoding in one pass and then gives the text as a stream, so a
table can be read a row at a time.
"""

from __future__ import annotations

import codecs
import io
import os
from typing import IO, Any, TextIO

import attrs

from infoview.errors import ImportFileError

__all__ = ["Decoded", "ImportFileError", "Input", "TextFile", "decode", "open_text", "read"]

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
# How many bytes the encoding check reads at a time.
_CHUNK = 1 << 20


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
    codec = _codec(name, encoding)
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


class TextFile:
    """An import file open as text: :attr:`text` reads it from the start, decoded.

    Made by :func:`open_text`; close it (or use it in a ``with``) when done.

    Attributes:
        name: The file, as given (``"<stream>"`` for an open file without a name).
        encoding: What the bytes are decoded with (``None`` for text given as str).
        guessed: ``True`` when charset-normalizer guessed ``encoding``.
        text: The text, untranslated line endings kept (``newline=""``); a
            byte-order mark is not part of it, but one U+FEFF at its very
            start may be (a BOM given as text): strip it from the first line.
    """

    def __init__(self, name: str, text: TextIO, encoding: str | None, guessed: bool) -> None:
        self.name = name
        self.text = text
        self.encoding = encoding
        self.guessed = guessed

    def close(self) -> None:
        """Close the file (a file opened by path); reading after this fails."""
        self.text.close()

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_text(source: Input, encoding: str | None) -> TextFile:
    """Open ``source`` as text, having checked that all of it decodes (a BOM first, then
    ``encoding`` if given, else UTF-8, else a guess), without holding it in memory.

    A path is read twice, a chunk at a time: once to check the encoding, then
    as the caller reads. An open file is read into memory once, as :func:`read` does.

    Raises:
        ImportFileError: The file cannot be read, ``encoding`` is unknown or does
            not fit the bytes (naming the byte offset), or no encoding fits.
    """
    if not isinstance(source, str | os.PathLike):
        name, content = read(source)
        if isinstance(content, str):
            return TextFile(name, io.StringIO(content, newline=""), None, guessed=False)
        return _open_bytes(name, io.BytesIO(content), encoding)
    name = os.fsdecode(source)
    try:
        binary = open(source, "rb")  # noqa: SIM115 - closed by TextFile.close, or below
    except OSError as exc:
        raise ImportFileError(
            name, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"
        ) from exc
    try:
        return _open_bytes(name, binary, encoding)
    except BaseException:
        binary.close()
        raise


def _open_bytes(name: str, binary: IO[bytes], encoding: str | None) -> TextFile:
    guessed = False
    try:
        head = binary.read(4)
        binary.seek(0)
        if encoding is not None:
            codec = _codec(name, encoding)
            _check(name, binary, codec, encoding)
        elif bom := next((e for mark, e in _BOMS if head.startswith(mark)), None):
            codec = _codec(name, bom)
            _check(name, binary, codec, bom)
        elif _first_error(binary, "utf-8") is None:
            codec = "utf-8"
        else:
            binary.seek(0)
            codec, guessed = _guess(name, binary), True
        binary.seek(0)
    except OSError as exc:
        raise ImportFileError(
            name, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"
        ) from exc
    text = io.TextIOWrapper(binary, encoding=codec, errors="strict", newline="")
    return TextFile(name, text, codec, guessed)


def _codec(name: str, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(
            name, f"{encoding!r} is not an encoding Python knows", "pass e.g. 'cp1252' or 'latin-1'"
        ) from None
    return "utf-8-sig" if codec == "utf-8" else codec  # a BOM is not part of the text


def _first_error(binary: IO[bytes], codec: str) -> tuple[int, bytes] | None:
    """Decode the rest of ``binary`` a chunk at a time; return where the first error is, if any.

    Returns:
        The byte offset in the file and the (up to 4) bytes there, or ``None``.
    """
    offset = binary.tell()
    if codec == "utf-8-sig":  # its decoder counts offsets after the BOM: check the rest as UTF-8
        codec = "utf-8"
        if binary.read(3) == codecs.BOM_UTF8:
            offset += 3
        else:
            binary.seek(offset)
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    final = False
    while not final:
        chunk = binary.read(_CHUNK)
        final = not chunk
        pending = len(decoder.getstate()[0])  # bytes held back from the chunk before
        try:
            decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            return offset - pending + exc.start, bytes(exc.object[exc.start : exc.start + 4])
        offset += len(chunk)
    return None


def _check(name: str, binary: IO[bytes], codec: str, encoding: str) -> None:
    error = _first_error(binary, codec)
    if error is not None:
        offset, shown = error
        raise ImportFileError(
            name,
            f"is not {encoding} text: the bytes at offset {offset} ({shown!r}) cannot be decoded",
            "pass the encoding it was saved in, or leave encoding out to have it detected",
        )


def _guess(name: str, binary: IO[bytes]) -> str:
    """Return charset-normalizer's best guess for the whole of ``binary`` (read into memory)."""
    content = binary.read()
    import charset_normalizer  # noqa: PLC0415 - imported when needed: keeps `import infoview` fast

    matches = charset_normalizer.from_bytes(content)
    best = matches.best()
    if best is None:
        raise ImportFileError(
            name,
            "is not text in any encoding charset-normalizer recognizes",
            "save it as UTF-8 text (CSV UTF-8 in Excel), or pass encoding='…'",
        )
    # Short Western text often scores the same in cp1250 and cp1252; Windows-1252
    # is what most spreadsheets in legacy encodings are saved in, so it wins a tie.
    tied = {
        m.encoding: m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)
    }
    return next((e for e in _PREFERRED if e in tied), best.encoding)
