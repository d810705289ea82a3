"""Bulk drafting: one draft per imported contact, streamed, in parallel for large runs.

Owns checking a run before it starts, drafting row by row, the worker
processes, and writing the drafts to a folder or an mbox. It imports the
model, language, mail, rendering and the importers.
"""

from infoview.bulk.drafting import (
    CHUNK,
    MODEL_INPUTS,
    PARALLEL_FROM,
    BulkReport,
    Drafting,
    MissingColumnError,
    drafts,
    needed,
    write_folder,
    write_mbox,
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
    "write_folder",
    "write_mbox",
]
