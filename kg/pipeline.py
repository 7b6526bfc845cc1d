"""Run the stages in order: corpus -> extract -> resolve -> relations -> graph."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.corpus import read_corpus
from kg.gazetteer import load_gazetteer
from kg.graph import build_graph
from kg.names import Vocabulary
from kg.records import ReadReport
from kg.relations import find_relations
from kg.resolve import resolve_mentions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    graph: nx.MultiDiGraph
    report: ReadReport
    model: str
    timings: dict[str, float] = field(default_factory=dict)


class NoDocumentsError(Exception):
    """Nothing in the corpus could be read as a document."""


def build(
    paths: Iterable[str | Path],
    *,
    gazetteer_files: Iterable[str | Path] = (),
    model: str | None = None,
    batch_size: int = 64,
    jobs: int = 1,
    min_topic_documents: int = 3,
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Read a corpus and build its knowledge graph.

    Raises CorpusError, GazetteerError or ExtractionError when the input cannot be
    used at all, and NoDocumentsError when no entry could be read.
    """
    from kg.extract import extract_mentions, load_pipeline

    timings: dict[str, float] = {}

    def stage(name: str):
        if on_stage:
            on_stage(name)
        timings[name] = time.perf_counter()

    def done(name: str) -> None:
        timings[name] = time.perf_counter() - timings[name]
        log.info("%s: %.2f s", name, timings[name])

    stage("read")
    corpus = read_corpus(paths)
    done("read")
    if not corpus.documents:
        reasons = "; ".join(str(s) for s in corpus.report.skipped[:5]) or "no files"
        raise NoDocumentsError(f"no documents could be read ({reasons})")
    stage("load")
    gazetteer = load_gazetteer(gazetteer_files)
    vocabulary = Vocabulary.load()
    pipeline = load_pipeline(gazetteer, model=model, vocabulary=vocabulary)
    done("load")
    stage("extract")
    mentions = extract_mentions(corpus.documents, pipeline, batch_size=batch_size, n_process=jobs)
    done("extract")
    stage("resolve")
    resolution = resolve_mentions(
        mentions, gazetteer=gazetteer, vocabulary=vocabulary, min_topic_documents=min_topic_documents
    )
    done("resolve")
    stage("relations")
    relations = find_relations(corpus.documents, resolution.mentions, vocabulary=vocabulary)
    done("relations")
    stage("graph")
    graph = build_graph(corpus.documents, resolution.entities, resolution.mentions, relations)
    done("graph")
    return BuildResult(graph, corpus.report, pipeline.model, timings)
