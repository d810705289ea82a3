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
    assert any("<strong>Interview with Ana García</strong>" in h for h in html)
    assert any("<strong>nudge to Ana García</strong>" in h for h in html)
    assert "Interview(contact='Ana García', status='identified'" in printed
    assert "Policy(nudge_after_business_days=5)" in printed
    assert "greetings: block 'greetings' is not in outreach/alumni" in printed
    assert "no_subject: renders no subject line" in printed
    assert "frist: Contact has no field 'frist_name': write contact.first_name" in printed


def _run(script: str, cwd: Path) -> str:
    """Run an example script; return what it printed."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
    )
    assert 0 == result.returncode, result.stderr
    return result.stdout


def test_localized_writes_four_languages_in_both_registers(tmp_path: Path) -> None:
    """examples/localized.py prints the outreach in en, de, fr, es, formal and informal, clean."""
    printed = _run("localized.py", tmp_path)
    for locale in ("en_US", "de_DE", "fr_FR", "es_MX"):
        assert f"{locale}, formal" in printed
        assert f"{locale}, informal" in printed
    for salutation in ("Guten Tag Ana García,", "Hallo Ana,", "Hola, Ana:", "Bonjour Ana,"):
        assert salutation in printed
    assert 8 == printed.count("lint: no findings")


def test_custom_template_overrides_a_block_and_adds_a_folder(tmp_path: Path) -> None:
    """examples/custom_template.py overrides a block, renders a folder's template, shows errors."""
    printed = _run("custom_template.py", tmp_path)
    assert "RN, BSN · State University '19" in printed
    assert "Subject: Quick question about Acme Health" in printed
    assert "outreach/short: A two-line outreach" in printed
    assert "did you mean 'signature'?" in printed
    assert "write contact.first_name, not contact.frist_name" in printed
    assert "typo/subject: renders no subject line" in printed


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
