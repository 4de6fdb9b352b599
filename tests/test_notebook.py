"""docs/influence.ipynb runs top to bottom in a kernel of the running interpreter (no network,
no installed kernel needed) and draws its figures inline."""

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "influence.ipynb"
PLOTLY = "application/vnd.plotly.v1+json"


def test_the_notebook_runs_and_draws(tmp_path, monkeypatch):
    # A kernel spec of this very interpreter, found first on JUPYTER_PATH.
    spec = tmp_path / "kernels" / "rnnviz-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "rnnviz test",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(
        notebook,
        kernel_name="rnnviz-test",
        timeout=600,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    figures = [output for output in outputs if PLOTLY in output.get("data", {})]
    assert len(figures) == 5
    printed = "".join(output.get("text", "") for output in outputs)
    assert "completeness" in printed and "explained variance" in printed
