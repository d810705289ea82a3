"""The ``infoview`` command line: click commands over the same API as the library.

Run ``infoview --help`` (or ``python -m infoview --help``). A command's
module is loaded when the command runs, and each command imports what it
needs then, so asking for help stays quick (see ``_app.COMMANDS``).
"""

from infoview.cli._app import main

__all__ = ["main"]
