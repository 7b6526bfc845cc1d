"""Fixtures shared by the test modules (the sample corpus, ../shared material) and the test tiers.

Tiers: a test that needs the spaCy model, a browser, the notebook kernel or the
benchmark carries the marker of that need (``model``, ``browser``, ``notebook``,
``benchmark``), and so does one that runs whole builds in fresh Python processes
(``processes``: under other hash seeds, say; seconds each, since every process loads
the gazetteer again); every other test is *fast*. ``pytest --fast`` (``python3 tasks.py
test --fast``) runs the fast ones only, and there loading the spaCy model fails the
test with a message saying which marker it lacks, so that a new test cannot slip into
the fast tier by mistake. A test that uses one of ``FIXTURE_TIERS`` gets its marker
from the fixture.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What each marker says a test needs; none of them runs under --fast.
TIERS = {
    "model": "loads the spaCy statistical model",
    "browser": "needs headless Chromium and chromedriver",
    "notebook": "runs the notebook in a Jupyter kernel",
    "benchmark": "runs the benchmark",
    "processes": "runs whole kg builds in fresh Python processes",
    "slow": "the old name of model, kept for tests written before the tiers",
}
#: Fixtures that need a tier: a test using one needs it too.
FIXTURE_TIERS = {"sample_build": "model", "with_model": "model", "shipped_with_model": "model", "model_free_builds": "processes"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true",
                     help="run only the tests that need none of: " + ", ".join(TIERS.values()))


def pytest_configure(config: pytest.Config) -> None:
    for marker, need in TIERS.items():
        config.addinivalue_line("markers", f"{marker}: {need} (not run by --fast)")
    if config.getoption("fast"):
        _refuse_the_model()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in FIXTURE_TIERS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
    if not config.getoption("fast"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if any(item.get_closest_marker(m) for m in TIERS) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _refuse_the_model() -> None:
    """Make spacy.load of an installed model fail loudly: under --fast only a blank pipeline may be built.

    A name that is not installed goes through, so that tests of that error still see it.
    """
    import importlib.util

    import spacy

    real_load = spacy.load

    @functools.wraps(real_load)
    def load(name, *args, **kwargs):
        if isinstance(name, str) and name.isidentifier() and importlib.util.find_spec(name) is not None:
            pytest.fail(f"this test loads the spaCy model {name!r} but is not marked @pytest.mark.model "
                        "(mark it, or build with model='none' / spacy.blank('en'))", pytrace=False)
        return real_load(name, *args, **kwargs)

    spacy.load = load


@pytest.fixture(scope="session", autouse=True)
def _one_setup_loaded_once():
    """Builds in one session share the gazetteer and spaCy pipeline of each setup.

    Loading them (the ruler's 30,000 patterns, the gazetteer's typo index) is about six
    seconds, nearly all of a test build of a few pages; loaded once, the fast tier runs
    in a minute. Equal inputs get the very object an earlier build got, which builds
    never change (``test_determinism`` builds twice in one process and compares bytes).
    Gazetteers are keyed by the files' paths and contents, pipelines by the identity of
    the gazetteer and the values of the other arguments.
    """
    import kg.extract
    import kg.pipeline

    patch = pytest.MonkeyPatch()
    patch.setattr(kg.pipeline, "load_gazetteer", _memoized(kg.pipeline.load_gazetteer, _gazetteer_key))
    patch.setattr(kg.extract, "load_pipeline", _memoized(kg.extract.load_pipeline, _pipeline_key))
    yield
    patch.undo()


def _memoized(function, key_of):
    results: dict = {}

    @functools.wraps(function)
    def memoized(*args, **kwargs):
        key = key_of(*args, **kwargs)
        if key is None:  # arguments it cannot key: no sharing
            return function(*args, **kwargs)
        if key not in results:
            results[key] = (args, kwargs, function(*args, **kwargs))  # the arguments stay alive: ids stay theirs
        return results[key][2]

    return memoized


def _gazetteer_key(extra=(), *args, **kwargs):
    from kg.gazetteer import default_paths

    extra = list(extra)
    files = [*default_paths(), *extra]
    try:
        contents = tuple((str(p), hashlib.sha256(Path(p).read_bytes()).hexdigest()) for p in files)
    except OSError:
        return None  # let the real loader report it
    return contents, tuple(map(str, extra)), args, tuple(sorted(kwargs.items()))


def _pipeline_key(*args, **kwargs):
    import dataclasses

    def part(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return ("object", id(value))
        hash(value)
        return ("value", value)

    import kg.extract

    try:
        model = kwargs.get("model")
        resolved = model if model == kg.extract.NO_MODEL else kg.extract.available_model(model)  # MODEL_PREFERENCE may be patched
        return tuple(part(a) for a in args), tuple((k, part(v)) for k, v in sorted(kwargs.items())), resolved
    except (TypeError, AttributeError):
        return None


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
