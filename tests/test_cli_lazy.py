"""The command line loads a command's module only when that command runs."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

from click.testing import CliRunner

from infoview.cli import _app, main

# Runs the command line in this process with the given arguments, then prints which
# modules of infoview it loaded.
_LOADED = """
import json, sys
from infoview.cli import main
try:
    main.main(sys.argv[1:], prog_name="infoview")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("infoview."))), file=sys.stderr)
"""


def _loaded(*arguments: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *arguments],
        capture_output=True,
        text=True,
        env=os.environ,
        check=True,
    )
    found: list[str] = json.loads(done.stderr.splitlines()[-1])
    return found


def test_the_table_of_commands_is_the_commands_the_modules_define() -> None:
    """Each command's module and one-line help in _app.COMMANDS is what its module defines."""
    for module in _app.MODULES:
        importlib.import_module(f"infoview.cli.{module}")
    commands = main.commands
    assert isinstance(commands, _app._Commands)
    defined = {
        name: (command.callback.__module__.rsplit(".", 1)[1], command.short_help)
        for name, command in commands.loaded.items()
        if command.callback is not None
    }
    assert defined == _app.COMMANDS, "update COMMANDS in src/infoview/cli/_app.py"


def test_help_lists_every_command_without_loading_one() -> None:
    """`infoview --help` shows each command's one-line help; no command module is loaded."""
    loaded = _loaded("--help")
    assert [] == [m for m in loaded if m.startswith("infoview.cli._") and m != "infoview.cli._app"]
    assert not any(m.startswith("infoview.rendering") for m in loaded)
    shown = CliRunner().invoke(main, ["--help"], prog_name="infoview", terminal_width=200).output
    for name, (_, short_help) in _app.COMMANDS.items():
        assert f"  {name} " in shown
        assert short_help in shown


def test_a_command_loads_only_its_own_module() -> None:
    """`infoview drafts --help` loads drafts' module (and what it imports), not the others."""
    loaded = _loaded("drafts", "--help")
    assert "infoview.cli._contacts" in loaded
    for other in ("_tracker", "_mailbox", "_send", "_reach"):
        assert f"infoview.cli.{other}" not in loaded


def test_an_unknown_command_is_still_a_usage_error_with_a_suggestion() -> None:
    """A misspelled command: exit 2, naming the command that is close."""
    result = CliRunner().invoke(main, ["draft"], prog_name="infoview")
    assert 2 == result.exit_code
    assert "Did you mean 'drafts'?" in result.output
