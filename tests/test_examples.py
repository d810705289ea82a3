"""Every example runs: the scripts, and the notebook with a real Jupyter kernel."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_script_runs(script: Path, tmp_path: Path) -> None:
    """Each example script exits cleanly and prints something."""
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert 0 == result.returncode, result.stderr
    assert result.stdout.strip()


def test_notebook_executes(tmp_path: Path) -> None:
    """The notebook runs top to bottom in a real kernel, and its draft shows as HTML."""
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("Ana García" in h for h in html)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "State University alum: 20 minutes on product management?" in printed
    assert "'school'" in printed


def test_bulk_outreach_writes_one_eml_per_good_row(tmp_path: Path) -> None:
    """examples/bulk_outreach.py turns its CSV into parseable .eml drafts and reports the rest."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "bulk_outreach.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert 0 == result.returncode, result.stderr
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert 3 == len(files)
    recipients = [
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["To"] for f in files
    ]
    assert "Ana García <ana@example.com>" == recipients[0]
    assert "line 5, email: Priya Nair has no email address" in result.stdout
    assert "3 drafted, 1 without email, 2 rows with problems (lines 5, 6)" in result.stdout
