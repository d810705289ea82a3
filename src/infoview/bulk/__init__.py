"""Bulk drafting: one draft per imported contact, streamed, in parallel for large runs.

Owns checking a run before it starts, drafting row by row, the worker
processes, and writing the drafts to a folder or an mbox. It imports the
model, language, mail, rendering and the importers.
"""

import warnings
from collections.abc import Callable

from infoview.bulk.drafting import (
    CHUNK,
    MODEL_INPUTS,
    PARALLEL_FROM,
    BulkReport,
    Drafting,
    MissingColumnError,
    drafts,
    needed,
    write_drafts_mbox,
    write_folder,
)

__all__ = [
    "CHUNK",
    "MODEL_INPUTS",
    "PARALLEL_FROM",
    "BulkReport",
    "Drafting",
    "MissingColumnError",
    "drafts",
    "needed",
    "write_drafts_mbox",
    "write_folder",
]


def __getattr__(name: str) -> Callable[..., int]:
    """Answer to ``write_mbox``, the old name of :func:`write_drafts_mbox`, with a warning."""
    if name == "write_mbox":
        warnings.warn(
            "infoview.bulk.write_mbox is now infoview.bulk.write_drafts_mbox "
            "(infoview.mail.write_mbox writes messages, not drafts); the old name goes "
            "in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return write_drafts_mbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
