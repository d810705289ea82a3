"""The tracker: one private SQLite file that keeps the whole journey and says what to do today.

Owns :class:`~infoview.Tracker` (people, interviews, every message drafted or
sent, replies, notes and steps), the file's schema and its versions, and the
views over it: today's list, the pipeline, one person's card, the export. It
imports the model, mail, rendering, the follow-ups and the importers.
"""

from infoview.tracker.store import default_path as where
from infoview.tracker.today import Card, Row, Today, Todo
from infoview.tracker.tracker import AddReport, Message, Step, Tracker

__all__ = ["AddReport", "Card", "Message", "Row", "Step", "Today", "Todo", "Tracker", "where"]
