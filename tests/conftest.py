"""Fixtures shared by the test modules: the sample corpus and ../shared material."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    """The project's own sample corpus: 2 search pages, 19 entries, 16 documents."""
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` next to the project; a checkout without it skips these tests."""
    path = ROOT.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"{path} is absent (real archive pages and gold annotations live there)")
    return path


@pytest.fixture(scope="session")
def archive_pages(shared_dir: Path) -> Path:
    """The 94 real search pages (``search/``) and 26 single-document pages (``documents/``)."""
    path = shared_dir / "archive-pages"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory, sample_corpus: Path):
    """The sample corpus built once with the statistical model, and its graph.json."""
    from kg.export.json import write_json
    from kg.pipeline import build

    result = build([sample_corpus])
    path = tmp_path_factory.mktemp("sample") / "graph.json"
    write_json(result.graph, path)
    return result, path


@pytest.fixture(scope="session")
def evaluator(shared_dir: Path):
    """../shared/eval/evaluate.py, imported as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kg_gold_evaluate", shared_dir / "eval" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
