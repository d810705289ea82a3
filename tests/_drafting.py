"""Sample data for the template, draft, mail and lint tests; a thread for the bulk tests."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from infoview.model.samples import interview as sample_interview
from infoview.rendering.registry import TEMPLATES

#: The built-in template names, from the registry (test_registry pins all 17).
BUILTIN_NAMES = tuple(sorted(TEMPLATES))

__all__ = ["BUILTIN_NAMES", "another_thread", "sample_interview"]


@contextlib.contextmanager
def another_thread() -> Iterator[None]:
    """Run a second thread meanwhile, as a notebook's kernel does: no fork is safe.

    Bulk drafting's workers then come from the forkserver.
    """
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
