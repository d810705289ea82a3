"""What the command line keeps a row stays small and flat: the duplicate finder's table."""

from __future__ import annotations

import io
import tracemalloc

from infoview.importers import read_csv
from infoview.importers._result import _Seen


def _fill(seen: _Seen, count: int) -> None:
    for i in range(count):
        seen.add(f"contact{i}@example.com", i + 2)


def test_the_duplicate_finder_keeps_at_most_26_bytes_a_key() -> None:
    """50,000 addresses cost at most 26 bytes each (a hash, a line, the free slots)."""
    count = 50_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        seen = _Seen()
        _fill(seen, count)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert count == len(seen)
    assert kept <= 26 * count, f"{kept / count:.1f} bytes a key"


def test_growing_never_holds_the_whole_table_twice() -> None:
    """The peak while filling is within 64 KiB of what is kept at the end (no copy of it all)."""
    count = 50_000
    tracemalloc.start()
    try:
        seen = _Seen()
        _fill(seen, count // 2)
        tracemalloc.reset_peak()
        _fill(seen, count)  # the first half again (repeats), then the second half
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(seen)
    assert peak - now <= 64 * 1024, f"{(peak - now) / 1024:.0f} KiB above the end"


def test_the_first_line_stays_and_large_line_numbers_are_kept() -> None:
    """A key remembers its first line; a line past 4 bytes is kept whole."""
    seen = _Seen()
    _fill(seen, 5_000)
    assert (None, 9) == (seen.get("nobody@example.com"), seen.add("contact7@example.com", 99))
    assert None is seen.add("late@example.com", 2**40)
    assert [9, 2**40, 5_001] == [
        seen.get("contact7@example.com"),
        seen.get("late@example.com"),
        seen.get("contact4999@example.com"),
    ]


def test_a_row_repeating_one_of_its_keys_leaves_the_other_unremembered() -> None:
    """A row rejected for its profile does not make its new address a repeat later."""
    text = (
        "Name,Email,LinkedIn\n"
        "Ana García,ana@example.com,https://www.linkedin.com/in/ana\n"
        "Bo Chen,bo@example.com,https://www.linkedin.com/in/ana\n"
        "Bo Chen,bo@example.com,https://www.linkedin.com/in/bo\n"
        "Cy Diaz,ana@example.com,\n"
    )
    result = read_csv(io.StringIO(text))
    found = [(p.line, p.field, p.duplicate_of) for p in result.duplicates]
    assert (["Ana García", "Bo Chen"], [(3, "linkedin", 2), (5, "email", 2)]) == (
        [record.contact.name for record in result.records],
        found,
    )
