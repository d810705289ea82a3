"""The README's promises: two set-up commands, and a usage snippet that runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(
        rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S
    )


def test_readme_opens_with_two_commands() -> None:
    """The first code block holds exactly the two set-up commands: demo, then tests."""
    commands = _blocks("sh")[0].strip().splitlines()
    assert 2 == len(commands)
    assert "examples/demo.py" in commands[0]
    assert "pytest" in commands[1]
    assert README.read_text(encoding="utf-8").index("```sh") < README.read_text().index("```python")


def test_usage_snippet_runs() -> None:
    """The usage snippet runs as written, in a fresh interpreter."""
    snippet = next(b for b in _blocks("python") if not b.lstrip().startswith(">>>"))
    result = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, check=False, timeout=120
    )
    assert 0 == result.returncode, result.stderr
    assert "Who else" in result.stdout


def test_demo_runs() -> None:
    """The demo prints real output from built-in sample data."""
    demo = README.parent / "examples" / "demo.py"
    result = subprocess.run(
        [sys.executable, str(demo)], capture_output=True, text=True, check=False, timeout=120
    )
    assert 0 == result.returncode, result.stderr
    assert "Ana García" in result.stdout
