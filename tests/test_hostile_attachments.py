"""Hostile attachment cells in bulk: paths out of the folder, links, pipes, huge files, names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infoview import Contact, bulk
from infoview.bulk import attachments
from infoview.errors import ValidationError
from infoview.importers import read_csv


def _run(tmp_path: Path, sender: Contact, cells: list[str]) -> tuple[list[str], list[str]]:
    """Draft one alumni row per cell; return who got a draft, and the problems' messages."""
    folder = tmp_path / "campaign"
    folder.mkdir(exist_ok=True)
    rows = ["Name,Email,School,Source,Attach"]
    for n, cell in enumerate(cells):
        quoted = '"' + cell.replace('"', '""') + '"'
        rows.append(f"Person {n},p{n}@example.com,State University,alumni,{quoted}")
    (folder / "contacts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = bulk.drafts(read_csv(folder / "contacts.csv"), sender, attach_folder=folder)
    names = [d.recipient.name for d in run if d.recipient]
    problems = [f"line {p.line}: {p.message}" for p in run.report.problems if p.rejected]
    return names, problems


def test_paths_out_of_the_folder_are_refused_by_line(tmp_path: Path, sender: Contact) -> None:
    """ "..", absolute, drive, home and backslash paths: each row refused with its line."""
    (tmp_path / "outside.txt").write_text("secret\n", encoding="utf-8")
    cells = [
        "../outside.txt",
        "files/../../outside.txt",
        str(tmp_path / "outside.txt"),
        "C:\\Users\\me\\outside.txt",
        "..\\outside.txt",
        "~/outside.txt",
    ]
    names, problems = _run(tmp_path, sender, cells)
    assert [] == names
    assert [f"line {n}" for n in range(2, 8)] == [p.split(":")[0] for p in problems]
    assert all("is not a path inside the contacts' folder" in p for p in problems), problems


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path, sender: Contact) -> None:
    """A link inside the folder that leads out of it is refused; one that stays in is followed."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text("secret\n", encoding="utf-8")
    (folder / "cv.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "out.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "in.pdf").symlink_to(folder / "cv.pdf")
    names, problems = _run(tmp_path, sender, ["out.txt", "in.pdf"])
    assert ["Person 1"] == names
    assert ["line 2: drafts.attach: out.txt leads out of the contacts' folder"] == [
        p.split(" (")[0] for p in problems
    ]


def test_a_pipe_a_folder_and_a_huge_file_are_no_attachments(
    tmp_path: Path, sender: Contact
) -> None:
    """A named pipe is never opened (no hang), a folder is no file, a huge file is never read."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    (folder / "sub").mkdir()
    with (folder / "huge.bin").open("wb") as file:
        file.truncate(attachments.LIMIT + 1)  # sparse: nothing is written
    names, problems = _run(tmp_path, sender, ["pipe", "sub", "huge.bin"])
    assert [] == names
    assert "pipe is not a file" in problems[0]
    assert "sub is not a file" in problems[1]
    assert "huge.bin holds 10.0 MiB, more than the 10.0 MiB" in problems[2]


def test_files_too_large_together(tmp_path: Path, sender: Contact) -> None:
    """Two files each within the limit but not together: the row is refused, the files named."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    half = attachments.LIMIT // 2 + 1
    (folder / "a.bin").write_bytes(b"a" * half)
    (folder / "b.bin").write_bytes(b"b" * half)
    names, problems = _run(tmp_path, sender, ["a.bin;b.bin", "a.bin"])
    assert ["Person 1"] == names
    assert "the attachments hold 10.0 MiB together" in problems[0]


def test_a_file_name_unsafe_in_a_header_is_refused(tmp_path: Path, sender: Contact) -> None:
    """A file whose name holds a line break exists on disk, but its row is refused by line."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "cv\r\nBcc: x@evil.example.pdf").write_bytes(b"%PDF-1.4\n")
    names, problems = _run(tmp_path, sender, ["cv\r\nBcc: x@evil.example.pdf"])
    assert [] == names
    assert 1 == len(problems)
    assert problems[0].startswith("line 2: ")
    assert "line break" in problems[0]


@pytest.mark.parametrize("cell", [";", " ; ; ", ""])
def test_empty_cells_attach_nothing(tmp_path: Path, sender: Contact, cell: str) -> None:
    """Separators alone, or nothing: the draft is made, with no attachment."""
    names, problems = _run(tmp_path, sender, [cell])
    assert (["Person 0"], []) == (names, problems)


def test_a_file_for_everyone_with_an_unsafe_name_stops_the_run(
    tmp_path: Path, sender: Contact
) -> None:
    """--attach of a file whose name would break a header: refused before drafting, named."""
    unsafe = tmp_path / "cv\r\nBcc: x@evil.example.pdf"
    unsafe.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(ValidationError, match=r"^drafts\.attach: .*line break"):
        bulk.drafts([Contact(name="Ana García", email="ana@example.com")], sender, attach=[unsafe])
