"""Run the stages in order: corpus -> extract -> resolve -> issues -> relations -> graph.

With a cache folder, extraction results are kept per document (see ``kg.cache``) and
only documents not seen before go through spaCy; resolution, relations and the graph
are always rebuilt from all the mentions, since they are corpus-wide (and fast).
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
from kg.records import TEXT_FIELDS, Mention, ReadReport
from kg.relations import find_relations
from kg.resolve import NameIdentities, resolve_mentions
from kg.vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: spaCy's worker processes cost seconds to start and to ship documents back; below
#: this many texts to extract, ``jobs`` > 1 is slower than one process.
MIN_TEXTS_PER_JOB = 2_000


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
    jobs: int = 1,
    min_topic_documents: int = 3,
    on_stage: Callable[[str], None] | None = None,
    cache_dir: str | Path | None = None,
    corrections: Iterable[str | Path] = (),
    strict: bool = False,
) -> BuildResult:
    """Read a corpus and build its knowledge graph.

    ``cache_dir`` is a folder for extraction results (created when needed; see
    ``kg.cache``); None extracts every document afresh and writes nothing.
    ``jobs`` > 1 runs spaCy in that many processes when there are more than
    ``MIN_TEXTS_PER_JOB`` texts to extract per extra process.
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
        pipeline = None
        model_name = NO_MODEL if model == NO_MODEL else (available_model(model) or NO_MODEL)
        if todo or cache is None:
            pipeline = extraction_pipeline(gazetteer, model=model, vocabulary=vocabulary)
            model_name = pipeline.model

    with stage("extract", collect_cycles=True):
        if todo:
            texts = sum(1 for doc in todo for name in TEXT_FIELDS if doc.field_text(name))
            n_process = jobs if jobs > 1 and texts > MIN_TEXTS_PER_JOB * (jobs - 1) else 1
            fresh = {}
            for doc, mentions, consulted in extract_by_document(
                todo, pipeline, batch_size=batch_size, n_process=n_process, common_words=common
            ):
                fresh[doc.doc_id] = mentions
                if cache:
                    cache.put(doc, mentions, consulted)
            found = [fresh[doc.doc_id] if mentions is None else mentions for doc, mentions in zip(documents, found)]
        if cache:
            cache.save()
        mentions = [mention for per_document in found for mention in per_document]
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
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
