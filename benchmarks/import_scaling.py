"""Import time against size: ``read_json`` and ``read_vcard`` must grow linearly.

Writes, in a temporary folder, files of 25,000, 50,000 and 100,000 contacts
(5,000, 10,000 and 20,000 with ``--quick``): a pretty-printed JSON list as
``converter`` unstructures it, and a vCard file mixing 3.0 cards with a NOTE
folded over several lines and 2.1 cards with a quoted-printable NOTE broken
by soft line breaks. A third file is one card whose quoted-printable NOTE
spans as many folded lines as there are contacts (the shape that used to
copy the growing line for every line). Each file is read once, as a warm-up
on the smallest, then timed; the time per contact (or per line) is printed
with the ratio of the largest size's time to the smallest's: 4 when the
import is linear (16 when it is quadratic). Issue #24 asks for linear
imports; the figures are reported, never checked.

Run: ``python benchmarks/import_scaling.py [--quick] [--sizes 25000 …]``.
"""

from __future__ import annotations

import argparse
import binascii
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import report

from infoview import Contact, Source, converter
from infoview.importers import read_json, read_vcard

# No comma: vobject keeps a NOTE only up to its first unescaped comma.
_NOTE = "Met at the alumni dinner; asked about product interviews; follow up in June. " * 3


def write_json(path: Path, count: int) -> None:
    """Write ``count`` distinct contacts as an indented JSON list (about 25 lines each)."""
    contacts = [
        Contact(
            name=f"Ana García {i}",
            email=f"ana{i}@example.com",
            organization=f"Acme Health {i % 100}",
            title="Product Manager",
            source=Source.ALUMNI,
            tags=("alumni", "product"),
            notes=_NOTE,
        )
        for i in range(count)
    ]
    path.write_text(json.dumps(converter.unstructure(contacts), indent=2), encoding="utf-8")


def _folded(line: str, width: int = 75) -> str:
    """Fold a content line the way vCard 3.0 writers do: CRLF and a space every ``width``."""
    parts = [line[i : i + width] for i in range(0, len(line), width)]
    return "\r\n ".join(parts) + "\r\n"


def _qp_note(text: str) -> str:
    """Return a 2.1 NOTE in quoted-printable, soft-broken (``=`` CRLF) every 76 characters."""
    encoded = binascii.b2a_qp(text.encode()).decode("ascii").replace("=\n", "=\r\n")
    return "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:" + encoded + "\r\n"


def _card(i: int) -> str:
    if i % 2:
        return (
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:García {i};Ana;;;\r\nFN:Ana García {i}\r\n"
            f"EMAIL;TYPE=INTERNET:ana{i}@example.com\r\nORG:Acme Health {i % 100}\r\n"
            "TITLE:Product Manager\r\nCATEGORIES:alumni,product\r\n"
            + _folded("NOTE:" + _NOTE.replace(",", "\\,").replace(";", "\\;"))
            + "END:VCARD\r\n"
        )
    return (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N:Okafor {i};Zoë;;;\r\nFN;CHARSET=UTF-8:Zoë Okafor {i}\r\n"
        f"EMAIL;INTERNET:zoe{i}@example.com\r\nORG:Acme Health {i % 100}\r\n"
        + _qp_note(_NOTE + "Zoë ☕")
        + "END:VCARD\r\n"
    )


def write_vcard(path: Path, count: int) -> None:
    """Write ``count`` cards, half 3.0 with a folded NOTE, half 2.1 with a quoted-printable one."""
    with path.open("w", encoding="utf-8", newline="") as file:
        file.writelines(_card(i) for i in range(count))


def write_long_card(path: Path, lines: int) -> None:
    """Write one card whose quoted-printable NOTE is soft-broken over about ``lines`` lines."""
    # Each sentence quotes to about 75 characters: about one line of 76.
    sentence = "Line {:07d} of a long note with a café and a ☕ to read. "
    text = "".join(sentence.format(i) for i in range(lines))
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Long Note\r\n" + _qp_note(text) + "END:VCARD\r\n"
        )


def timed(read: Callable[[Path], object], path: Path) -> float:
    """Return the seconds one ``read(path)`` takes."""
    start = time.perf_counter()
    read(path)
    return time.perf_counter() - start


def series(
    label: str,
    unit: str,
    write: Callable[[Path, int], None],
    read: Callable[[Path], object],
    *,
    sizes: list[int],
    folder: Path,
) -> None:
    """Time ``read`` on a file of each size; print seconds, time per item and the ratio."""
    times = []
    for size in sizes:
        path = folder / f"{label.split(maxsplit=1)[0]}-{size}"
        write(path, size)
        if not times:
            read(path)  # warm-up: imports, caches
        seconds = timed(read, path)
        times.append(seconds)
        megabytes = path.stat().st_size / 2**20
        print(
            f"  {label:<24} {size:>8,} {unit} {megabytes:6.1f} MiB  {seconds:7.2f} s  "
            f"{seconds / size * 1e6:7.1f} µs per {unit[:-1]}",
            flush=True,
        )
        path.unlink()
    growth = sizes[-1] / sizes[0]
    report(
        f"import scaling, {label}",
        times[-1],
        times[0],
        unit="s",
        target=f"≈ {growth:g}× for {growth:g}× the {unit} (linear)",
        met=None,
        baseline_is=f"the same import of {sizes[0]:,} {unit}",
        note=f"{sizes[-1]:,} against {sizes[0]:,} {unit}",
    )


def main() -> None:
    """Time each importer at each size and print the scaling ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5,000 to 20,000 contacts")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of contacts")
    args = parser.parse_args()
    sizes = args.sizes or ([5_000, 10_000, 20_000] if args.quick else [25_000, 50_000, 100_000])
    with tempfile.TemporaryDirectory(prefix="infoview-scaling-") as tmp:
        folder = Path(tmp)
        series("json read_json", "contacts", write_json, read_json, sizes=sizes, folder=folder)
        series("vcf read_vcard", "contacts", write_vcard, read_vcard, sizes=sizes, folder=folder)
        series(
            "vcf one long QP note", "lines", write_long_card, read_vcard, sizes=sizes, folder=folder
        )


if __name__ == "__main__":
    main()
