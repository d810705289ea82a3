"""The ``infoview`` command line: click commands over the same API as the library.

Run ``infoview --help`` (or ``python -m infoview --help``). Each command
imports what it needs when it runs, so asking for help stays quick.
"""

from infoview.cli import _contacts, _mailbox, _messages, _reach, _send, _tracker  # noqa: F401 - importing registers the commands
from infoview.cli._app import main

__all__ = ["main"]
