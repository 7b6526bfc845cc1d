"""notebooks/explore.ipynb runs top to bottom in a fresh kernel, and is stored without outputs."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def _text(cell) -> str:
    """Everything a code cell printed or displayed as text."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_notebook_is_stored_clean():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata.kernelspec.name == "python3"
    # every step is explained to the reader
    assert sum(cell.cell_type == "markdown" for cell in notebook.cells) >= 6


@pytest.mark.notebook
def test_notebook_runs_top_to_bottom():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=600,
        # cwd = notebooks/, as when a reader opens it there: the corpus path is relative to it
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"a notebook cell failed:\n{err}")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert errors == []
    printed = "\n".join(_text(cell) for cell in code)
    assert "16 documents from 2 pages" in printed
    for date in ("1945-07-02", "1945-07-07", "1945-07-09", "1945-07-12"):  # Stalin's meetings
        assert f"{date}  with T. V. Soong" in printed
    assert "1935-09-13  Politburo Decisions" in printed  # the Outer Mongolia trace starts in 1935
    images = [out for cell in code for out in cell.outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 2  # the who-met-whom drawing and the timeline
