"""Run the stages in order: corpus -> extract -> resolve -> issues -> relations -> graph.

With a cache folder, extraction results are kept per document (see ``kg.cache``) and
only documents not seen before go through spaCy; resolution, relations and the graph
are always rebuilt from all the mentions, since they are corpus-wide (and fast).
Extraction runs in this process, in worker processes or on a Dask cluster
(``kg.workers``); the rest of the build is the same either way.
"""
from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.corpus import read_corpus
from kg.curate import CorrectionsError, CurationReport, correct_names, correct_relations, read_corrections
from kg.errors import KGError
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.graph import build_graph
from kg.issues import link_issues
from kg.records import Mention, ReadReport
from kg.relations import find_relations
from kg.resolve import NameIdentities, resolve_mentions
from kg.vocabulary import Vocabulary
from kg.workers import ExtractionSetup, available_cores, extract_in_processes, extract_on_dask

log = logging.getLogger(__name__)

#: A worker process costs a few seconds to start (Python, spaCy, the model): each one
#: is given at least this many documents to extract, or extraction stays in this process.
MIN_DOCUMENTS_PER_JOB = 500


@dataclass(frozen=True)
class BuildResult:
    graph: nx.MultiDiGraph
    report: ReadReport
    model: str
    timings: dict[str, float] = field(default_factory=dict)
    #: documents whose mentions came from the cache, and documents extracted with spaCy
    cached_documents: int = 0
    extracted_documents: int = 0
    #: what the corrections files did (``kg.curate``)
    curation: CurationReport = field(default_factory=CurationReport)


class NoDocumentsError(KGError):
    """Nothing in the corpus could be read as a document."""


def extraction_pipeline(gazetteer: Gazetteer, *, model: str | None = None, vocabulary: Vocabulary | None = None):
    """``kg.extract.load_pipeline`` with resolution's ``NameIdentities`` of the same gazetteer:
    extraction proposes the spans, resolution's rules say which known name a misspelt run or
    a bracket is (extract and resolve import nothing of each other; they meet here)."""
    from kg.extract import load_pipeline

    vocabulary = vocabulary or Vocabulary.load()
    return load_pipeline(gazetteer, identities=NameIdentities(gazetteer, vocabulary), model=model, vocabulary=vocabulary)


def build(
    paths: Iterable[str | Path],
    *,
    gazetteer_files: Iterable[str | Path] = (),
    model: str | None = None,
    batch_size: int = 64,
    jobs: int | None = None,
    dask: str | None = None,
    min_topic_documents: int = 3,
    on_stage: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cache_dir: str | Path | None = None,
    corrections: Iterable[str | Path] = (),
    strict: bool = False,
) -> BuildResult:
    """Read a corpus and build its knowledge graph.

    ``cache_dir`` is a folder for extraction results (created when needed; see
    ``kg.cache``); None extracts every document afresh and writes nothing.
    ``jobs`` is how many processes may extract (None: this machine's cores); each gets
    at least ``MIN_DOCUMENTS_PER_JOB`` documents, so a small corpus or a rebuild stays in
    this process. ``dask`` is the address of a Dask scheduler to extract on, or
    ``"local"`` for a LocalCluster of ``jobs`` workers here (see ``kg.workers``).
    ``on_stage(name)`` is called as each stage starts, ``on_progress(done, total)`` as
    documents are extracted.
    ``corrections`` are corrections files (``kg.curate``), applied in order after the
    automatic decisions; their problems (a row that matches nothing, rows that
    contradict each other) are logged, or raised as CorrectionsError when ``strict``.

    Raises CorpusError, GazetteerError, CorrectionsError or ExtractionError when the
    input cannot be used at all, and NoDocumentsError when no entry could be read.
    """
    from kg.extract import NO_MODEL, available_model, common_words, extract_by_document

    timings: dict[str, float] = {}

    @contextmanager
    def stage(name: str, *, collect_cycles: bool = False) -> Iterator[None]:
        if on_stage:
            on_stage(name)
        started = time.perf_counter()
        # Outside spaCy, the stages allocate millions of small objects that reference
        # counting frees; Python's cycle collector would rescan them all again and again
        # (a third of a rebuild's time). It stays on while spaCy runs.
        with _cycle_collection(enabled=collect_cycles):
            yield
        timings[name] = time.perf_counter() - started
        log.info("%s: %.2f s", name, timings[name])

    with stage("read"):
        fixes = read_corrections(corrections)
        if strict and fixes.contradictions:
            raise CorrectionsError(_problems(map(str, fixes.contradictions)))
        corpus = read_corpus(paths)
    if not corpus.documents:
        reasons = "; ".join(str(s) for s in corpus.report.skipped[:5]) or "no files"
        raise NoDocumentsError(f"no documents could be read ({reasons})")
    documents = corpus.documents

    with stage("load"):
        gazetteer = load_gazetteer(gazetteer_files)
        vocabulary = Vocabulary.load()
        common = common_words(documents)
        cache = _open_cache(cache_dir, model, gazetteer)
        found: list[list[Mention] | None] = [cache.get(doc, common) if cache else None for doc in documents]
        todo = [doc for doc, mentions in zip(documents, found) if mentions is None]
        resolved = NO_MODEL if model == NO_MODEL else available_model(model)
        model_name = resolved or NO_MODEL
        processes = extraction_jobs(jobs, len(todo))
        # Elsewhere the workers load the model; here, only what one process extracts needs it
        # (and, with no model installed, this load says what is lost).
        local = bool(todo) and not dask and (processes == 1 or resolved is None)
        if local:
            pipeline = extraction_pipeline(gazetteer, model=model, vocabulary=vocabulary)
            model_name = pipeline.model

    with stage("extract", collect_cycles=True):
        if todo:
            if local:
                extracted = extract_by_document(todo, pipeline, batch_size=batch_size, common_words=common)
            else:
                setup = ExtractionSetup.of(gazetteer, vocabulary, model_name, common, batch_size)
                extracted = (extract_on_dask(todo, setup, address=dask, workers=jobs) if dask
                             else extract_in_processes(todo, setup, jobs=processes))
                log.info("extracting %d document(s) %s", len(todo),
                         f"on the Dask cluster {dask}" if dask else f"in {processes} processes")
            fresh = {}
            for done, (doc, mentions, consulted) in enumerate(extracted, start=1):
                fresh[doc.doc_id] = mentions
                if cache:
                    cache.put(doc, mentions, consulted)
                if on_progress:
                    on_progress(done, len(todo))
            found = [fresh[doc.doc_id] if mentions is None else mentions for doc, mentions in zip(documents, found)]
        if cache:
            cache.save()
        # Not needed again. The cache's lines and the per-document lists go at once; the model
        # holds reference cycles of its own, so it stays until a cycle collection, which the
        # stages after this one run without.
        pipeline = cache = None
        mentions = [mention for per_document in found for mention in per_document]
        found = None
        log.info("extracted %d document(s), %d from the cache", len(todo), len(documents) - len(todo))

    with stage("resolve"):
        resolution = resolve_mentions(
            mentions, gazetteer=gazetteer, vocabulary=vocabulary, min_topic_documents=min_topic_documents
        )
        resolution, named = correct_names(resolution, fixes, gazetteer=gazetteer, vocabulary=vocabulary)
    with stage("issues"):
        issues = link_issues(documents, resolution, gazetteer=gazetteer, vocabulary=vocabulary)
        resolution = issues.resolution
    with stage("relations"):
        relations = find_relations(documents, resolution.mentions, vocabulary=vocabulary)
        relations, related = correct_relations(
            relations, fixes, entities=resolution.entities, documents=(doc.doc_id for doc in documents)
        )
    curation = CurationReport.of(fixes, named + related)
    if strict and curation.problems:
        raise CorrectionsError(_problems(curation.problems))
    for problem in curation.problems:
        log.warning("corrections: %s", problem)
    with stage("graph"):
        graph = build_graph(documents, resolution.entities, resolution.mentions, relations, issues.links)
    return BuildResult(graph, corpus.report, model_name, timings, len(documents) - len(todo), len(todo), curation)


def _problems(messages: Iterable[str]) -> str:
    messages = list(messages)
    return f"{len(messages)} correction problem(s): " + "; ".join(messages)


def extraction_jobs(jobs: int | None, documents: int) -> int:
    """How many processes extract ``documents`` documents when ``jobs`` are allowed (None: the cores)."""
    allowed = available_cores() if jobs is None else jobs
    return max(1, min(allowed, documents // MIN_DOCUMENTS_PER_JOB))


def _open_cache(cache_dir: str | Path | None, model: str | None, gazetteer):
    """The extraction cache of this setup in ``cache_dir``, or None (no folder, unknown model)."""
    from kg.cache import MentionCache, fingerprint
    from kg.extract import NO_MODEL, available_model

    if cache_dir is None:
        return None
    name = NO_MODEL if model == NO_MODEL else available_model(model)
    key = fingerprint(name, gazetteer) if name else None
    if key is None:
        log.info("no extraction cache: the version of model %r is unknown", name)
        return None
    return MentionCache.open(cache_dir, key)


@contextmanager
def _cycle_collection(*, enabled: bool) -> Iterator[None]:
    """Python's cycle collector on or off inside the block, as it was after it."""
    was_enabled = gc.isenabled()
    if enabled:
        # What exists already (the model, the gazetteer, the corpus) holds no garbage: frozen,
        # the collections inside the block do not rescan it again and again.
        gc.freeze()
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
