"""Extraction in worker processes or on a Dask cluster: documents go out in batches, plain mentions come back in order.

Each worker loads the spaCy pipeline once (on its first batch) and returns, per
document, the ``Mention`` records and the common words its rules asked about — plain
data, a few hundred bytes a document, never spaCy Docs. Results are handed on in the
documents' order whatever order the workers finish in, and a document's mentions do
not depend on which batch it was in, so the output is the same bytes as with one
process. At most a few batches per worker are in flight: the caller's memory holds
the corpus and the mentions, not a second copy of the documents in queues.

Two engines run the same batch function:

- ``extract_in_processes``: ``jobs`` processes on this machine (``concurrent.futures``).
  On Linux they are forked: a spawned process re-imports the caller's main script, and
  a script without an ``if __name__ == "__main__":`` guard would then hang. The objects
  already alive are frozen for the cycle collector first, so that the workers' own
  collections do not copy the corpus's memory pages. Elsewhere they are spawned;
- ``extract_on_dask``: the workers of a Dask cluster (``distributed``, an optional
  dependency: the ``dask`` extra), or of a ``LocalCluster`` on this machine.
  Every worker needs kg and the same spaCy model installed; the versions are checked
  against this machine's, since another model would find other names.
"""
from __future__ import annotations

import dataclasses
import gc
import importlib.metadata
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from kg.extract import ExtractionError, extract_by_document
from kg.gazetteer import Gazetteer
from kg.records import Document, Mention
from kg.vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: ``--dask local`` starts a LocalCluster on this machine instead of joining one.
LOCAL_CLUSTER = "local"
#: How long to try reaching a scheduler, and to wait for a cluster's first worker (seconds).
CONNECT_TIMEOUT = "30s"
WORKER_WAIT = 60
#: Batches per worker: enough that a slow batch does not leave the others idle at the end.
BATCHES_PER_WORKER = 8
#: Documents per batch at most: a batch is a few seconds of spaCy, and progress moves with it.
MAX_BATCH = 200
#: Batches in flight per worker: one being extracted, the next ones already sent.
IN_FLIGHT_PER_WORKER = 3

#: Per document: its mentions, and the common words its rules asked about (see kg.cache).
Extracted = tuple[list[Mention], dict[str, bool]]


@dataclass(frozen=True, eq=False)
class ExtractionSetup:
    """What a worker needs to extract exactly as this process would; plain data, pickled once per worker."""

    gazetteer: Gazetteer
    vocabulary: Vocabulary
    model: str  # the model package (resolved by the caller, so every worker loads the same), or "none"
    common_words: frozenset[str]
    batch_size: int = 64
    #: Tells one build's setup from another's in a worker that outlives a build (a Dask worker).
    token: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of(cls, gazetteer: Gazetteer, vocabulary: Vocabulary, model: str | None, common_words, batch_size: int):
        # A fresh Gazetteer from the same fields: what it caches (its typo index) is rebuilt
        # where it is needed rather than pickled to every worker.
        return cls(dataclasses.replace(gazetteer), vocabulary, model, frozenset(common_words), batch_size)


def batches(documents: Sequence[Document], workers: int) -> list[Sequence[Document]]:
    """The documents in consecutive batches, about ``BATCHES_PER_WORKER`` per worker."""
    size = max(1, min(MAX_BATCH, math.ceil(len(documents) / (max(1, workers) * BATCHES_PER_WORKER))))
    return [documents[i:i + size] for i in range(0, len(documents), size)]


def extract_in_processes(
    documents: Sequence[Document], setup: ExtractionSetup, *, jobs: int,
) -> Iterator[tuple[Document, list[Mention], dict[str, bool]]]:
    """Per document, in order: its mentions and the common words asked, extracted in ``jobs`` processes."""
    method = "fork" if sys.platform == "linux" else "spawn"
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_keep_setup, initargs=(setup,))
    try:
        if method == "fork":
            gc.freeze()
            try:
                pool.submit(int)  # forks every worker now, while the parent's objects are frozen
            finally:
                gc.unfreeze()
        yield from _in_order(documents, lambda batch: pool.submit(extract_batch, batch), workers=jobs)
    except BrokenProcessPool as err:
        raise ExtractionError(f"an extraction process stopped unexpectedly ({err}); try --jobs 1") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def extract_on_dask(
    documents: Sequence[Document], setup: ExtractionSetup, *, address: str, workers: int | None = None,
) -> Iterator[tuple[Document, list[Mention], dict[str, bool]]]:
    """Per document, in order, extracted by the workers of the Dask cluster at ``address``.

    ``address`` is a scheduler address (``tcp://host:8786``) or ``"local"`` for a
    LocalCluster of ``workers`` processes (default: this machine's cores) started here
    and stopped after extraction.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExtractionError(
            "--dask needs the Dask distributed package: pip install 'kg[dask]' (in kg's folder: pip install '.[dask]')"
        ) from None
    cluster = None
    try:
        if address == LOCAL_CLUSTER:
            cluster = LocalCluster(
                n_workers=workers or available_cores(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        raise ExtractionError(f"cannot reach the Dask scheduler at {address} ({err})") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            raise ExtractionError(f"no worker joined the Dask cluster at {address} within {WORKER_WAIT} s") from None
        count = len(client.scheduler_info().get("workers", {}))
        log.info("extracting on %d Dask worker(s) at %s", count, client.scheduler.address)
        # Sent to every worker once; each batch then refers to it.
        shared = client.scatter(setup, broadcast=True)
        expected = versions(setup)
        checked = False

        def submit(batch):
            return client.submit(extract_batch, batch, shared, report_versions=True, pure=False)

        for document, mentions, consulted, found in _in_order(documents, submit, workers=count, with_versions=True):
            if not checked:
                if found != expected:
                    raise ExtractionError(
                        f"the Dask workers run {_describe(found)}, this machine {_describe(expected)}: "
                        "install the same kg, spaCy and model on both, or the graph would depend on where it was built"
                    )
                checked = True
            yield document, mentions, consulted
    except ModuleNotFoundError as err:
        raise ExtractionError(f"a Dask worker cannot import {err.name!r}: install kg and its spaCy model "
                              "on every worker") from None
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def versions(setup: ExtractionSetup) -> tuple[str, str, str, str | None]:
    """kg's version and extraction code, spaCy's version, the model and its version, as this process sees them."""
    import kg
    from kg.cache import code_hash, model_version

    kg_version = f"{kg.__version__} (extraction code {code_hash()[:12]})"
    return kg_version, importlib.metadata.version("spacy"), setup.model, model_version(setup.model)


def _describe(found: tuple[str, str, str, str | None]) -> str:
    kg_version, spacy_version, model, model_version = found
    return f"kg {kg_version}, spaCy {spacy_version} and {model} {model_version or '(version unknown)'}"


def _in_order(documents: Sequence[Document], submit: Callable, *, workers: int, with_versions: bool = False):
    """Submit the batches a few at a time and hand on each document's result in order."""
    pending: deque = deque()
    queue = iter(batches(documents, workers))

    def refill() -> None:
        while len(pending) < workers * IN_FLIGHT_PER_WORKER and (batch := next(queue, None)) is not None:
            pending.append((batch, submit(batch)))

    try:
        refill()
        while pending:
            batch, future = pending.popleft()
            outcome = future.result()
            refill()
            found, results = outcome if with_versions else (None, outcome)
            for document, (mentions, consulted) in zip(batch, results, strict=True):
                yield (document, mentions, consulted, found) if with_versions else (document, mentions, consulted)
    finally:
        for _, future in pending:
            future.cancel()


# -- in the worker ----------------------------------------------------------------------------------
#: This worker process's setup and its loaded pipeline: loaded once, for every batch it is given.
_worker: dict[str, object] = {}
#: A Dask worker may run batches in several threads: they take turns with the one pipeline.
_turn = threading.Lock()


def _keep_setup(setup: ExtractionSetup) -> None:
    # Ctrl-C reaches every process of the terminal: the parent stops the pool, the
    # workers need not each print a traceback. A forked worker also leaves the
    # parent's SIGTERM handler (which unwinds the parent's build) for the default.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker["setup"] = setup


def extract_batch(
    documents: Sequence[Document], setup: ExtractionSetup | None = None, *, report_versions: bool = False,
):
    """The mentions and common words asked of each document of a batch, in a worker."""
    setup = setup or _worker["setup"]
    with _turn:
        if _worker.get("token") != setup.token:
            from kg.pipeline import extraction_pipeline  # the pipeline imports this module

            _worker["pipeline"] = extraction_pipeline(setup.gazetteer, model=setup.model, vocabulary=setup.vocabulary)
            _worker["token"] = setup.token
        results: list[Extracted] = [
            (mentions, consulted)
            for _, mentions, consulted in extract_by_document(
                documents, _worker["pipeline"], batch_size=setup.batch_size, common_words=setup.common_words
            )
        ]
    return (versions(setup), results) if report_versions else results
