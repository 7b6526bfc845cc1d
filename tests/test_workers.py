"""Extraction in worker processes and on Dask: the same mentions, in the same order, as in one process."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg import workers
from kg.cli import main
from kg.corpus import read_corpus
from kg.extract import ExtractionError, available_model, common_words, extract_by_document
from kg.gazetteer import load_gazetteer
from kg.pipeline import build, extraction_pipeline
from kg.vocabulary import Vocabulary

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _setup(documents, model=None):
    return workers.ExtractionSetup.of(load_gazetteer(), Vocabulary.load(), model or available_model(),
                                      common_words(documents), 64)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _kg_build(*argv) -> None:
    assert main(["build", *map(str, argv), "-q"]) == 0


@pytest.fixture(scope="module")
def local_build(tmp_path_factory, sample_corpus) -> dict[str, bytes]:
    """Every file of ``kg build corpus`` in one process, no cache."""
    out = tmp_path_factory.mktemp("local")
    _kg_build(sample_corpus, "--out", out, "--no-cache", "--jobs", "1")
    assert len(_files(out)) >= 6
    return _files(out)


def test_batches_cover_the_documents_in_order():
    items = list(range(1000))
    for count in (1, 2, 7):
        parts = workers.batches(items, count)
        assert [i for part in parts for i in part] == items
        assert len(parts) >= min(len(items), count * workers.BATCHES_PER_WORKER) or max(map(len, parts)) == workers.MAX_BATCH
    assert workers.batches([], 2) == []
    assert workers.batches([1], 4) == [[1]]


def test_worker_processes_return_the_mentions_of_one_process_in_order(archive_pages):
    documents = read_corpus([archive_pages / "search"]).documents
    setup = _setup(documents)
    pipeline = extraction_pipeline(setup.gazetteer, vocabulary=setup.vocabulary)
    alone = [(d.doc_id, m, c) for d, m, c in extract_by_document(documents, pipeline, common_words=setup.common_words)]
    parallel = [(d.doc_id, m, c) for d, m, c in workers.extract_in_processes(documents, setup, jobs=2)]
    assert len(parallel) == len(documents) > 400
    assert parallel == alone


def test_jobs_2_builds_the_same_bytes_and_fills_the_same_cache(monkeypatch, tmp_path, sample_corpus, local_build):
    monkeypatch.setattr("kg.pipeline.MIN_DOCUMENTS_PER_JOB", 1)  # the sample corpus is too small to gain
    seen = []
    monkeypatch.setattr("kg.pipeline.extract_in_processes",
                        lambda *a, **k: seen.append(k["jobs"]) or workers.extract_in_processes(*a, **k))
    out = tmp_path / "jobs2"
    _kg_build(sample_corpus, "--out", out, "--jobs", "2")
    assert seen == [2]
    assert _files(out) == local_build
    # The cache the workers filled serves a rebuild in one process, with the same result.
    progress = []
    result = build([sample_corpus], jobs=1, cache_dir=out / ".kg-cache", on_progress=lambda *a: progress.append(a))
    assert (result.cached_documents, result.extracted_documents) == (16, 0)
    assert progress == []


def test_progress_is_reported_for_each_extracted_document(sample_corpus):
    calls = []
    build([sample_corpus], on_progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 16) for done in range(1, 17)]


def test_the_default_jobs_use_the_cores_only_when_the_corpus_gains(monkeypatch):
    from kg import pipeline

    monkeypatch.setattr(pipeline, "available_cores", lambda: 4)
    per_job = pipeline.MIN_DOCUMENTS_PER_JOB
    assert pipeline.extraction_jobs(None, 10) == 1
    assert pipeline.extraction_jobs(None, 2 * per_job) == 2
    assert pipeline.extraction_jobs(None, 100 * per_job) == 4
    assert pipeline.extraction_jobs(1, 100 * per_job) == 1
    assert pipeline.extraction_jobs(8, 100 * per_job) == 8


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")
def test_a_script_without_a_main_guard_builds_with_worker_processes(tmp_path, sample_corpus):
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(f"""
        import kg.pipeline
        kg.pipeline.MIN_DOCUMENTS_PER_JOB = 1
        result = kg.pipeline.build([{str(sample_corpus)!r}], jobs=2)
        print(result.graph.number_of_nodes())
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 16


# -- Dask ------------------------------------------------------------------------------------------------
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two single-threaded worker processes, as a user's cluster would be."""
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as local, distributed.Client(local) as client:
        client.wait_for_workers(2, timeout=120)
        yield local, client


def test_dask_local_builds_the_same_bytes(tmp_path, sample_corpus, local_build):
    out = tmp_path / "dask-local"
    _kg_build(sample_corpus, "--out", out, "--no-cache", "--dask", "local", "--jobs", "2")
    assert _files(out) == local_build


def test_a_two_worker_cluster_shares_the_work_and_builds_the_same_bytes(tmp_path, sample_corpus, local_build, cluster):
    local, client = cluster
    out = tmp_path / "dask-two"
    _kg_build(sample_corpus, "--out", out, "--no-cache", "--dask", local.scheduler_address)
    assert _files(out) == local_build
    # Each worker loaded the pipeline, once, for the batches it was given.
    tokens = client.run(lambda: workers._worker.get("token"))
    assert len(tokens) == 2 and all(tokens.values()) and len(set(tokens.values())) == 1


def test_dask_workers_with_another_model_version_are_refused(monkeypatch, sample_corpus, cluster):
    local, _ = cluster
    real = workers.versions
    monkeypatch.setattr(workers, "versions", lambda setup: (*real(setup)[:3], "0.0.0"))
    with pytest.raises(ExtractionError, match=r"the Dask workers run kg .* this machine kg .* 0\.0\.0: install the same"):
        build([sample_corpus], dask=local.scheduler_address)


def test_an_unreachable_scheduler_is_a_clear_error(capsys, monkeypatch, tmp_path, sample_corpus):
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", "2s")
    code = main(["build", str(sample_corpus), "--out", str(tmp_path), "--dask", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kg: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9"), err
    assert "Traceback" not in err


def test_dask_without_distributed_installed_says_what_to_install(monkeypatch, sample_corpus):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ExtractionError, match=r"pip install 'kg\[dask\]'"):
        build([sample_corpus], dask="local")
