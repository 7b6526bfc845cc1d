"""The extraction cache: reuse, invalidation, corrupt files, and outputs identical to a build without it."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import networkx as nx
import pytest

import kg.cache
import kg.extract
from kg.cache import MentionCache, document_key
from kg.pipeline import build
from kg.records import Document, DocumentDate, Mention


def _graph_json(graph: nx.MultiDiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="links"), sort_keys=True, default=str)


@pytest.fixture
def spy(monkeypatch):
    """The titles of the documents each build sends to spaCy."""
    calls: list[list[str]] = []
    real = kg.extract.extract_by_document

    def recording(documents, *args, **kwargs):
        documents = list(documents)
        calls.append(sorted(d.title for d in documents))
        yield from real(documents, *args, **kwargs)

    monkeypatch.setattr(kg.extract, "extract_by_document", recording)
    return calls


def _write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = [
    {"date": "July 12, 1945", "title": "Record of a Meeting Between T. V. Soong and Stalin",
     "summary": "Stalin and T. V. Soong discuss the situation in Outer Mongolia and the railways."},
    {"date": "July 13, 1950", "title": "Cable, Filippov [Stalin] to Mao Zedong",
     "summary": "Stalin tells Mao about the negotiations with the British."},
    {"date": "March 3, 1956", "title": "Letter from Zorblat Kuzmin to Molotov",
     "summary": "The author asks Molotov for help with the delegation."},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write_records(folder / "a.jsonl", RECORDS)
    return folder


# -- reuse --------------------------------------------------------------------------------------
def test_a_second_build_extracts_only_new_and_changed_documents(corpus, tmp_path, spy):
    cache = tmp_path / "cache"
    first = build([corpus], model="none", cache_dir=cache)
    assert (first.cached_documents, first.extracted_documents) == (0, 3)
    assert len(spy) == 1 and len(spy[0]) == 3

    second = build([corpus], model="none", cache_dir=cache)
    assert (second.cached_documents, second.extracted_documents) == (3, 0)
    assert len(spy) == 1  # spaCy not run at all
    assert _graph_json(second.graph) == _graph_json(first.graph)

    changed = [dict(r) for r in RECORDS]
    changed[1]["summary"] = "Stalin tells Mao about the negotiations with the British in Moscow."
    _write_records(corpus / "a.jsonl", changed)
    _write_records(corpus / "b.jsonl", [{"date": "May 1, 1960", "title": "Letter from Mao Zedong to Stalin",
                                         "summary": "Mao asks Stalin about the railways."}])
    third = build([corpus], model="none", cache_dir=cache)
    assert spy[-1] == ["Cable, Filippov [Stalin] to Mao Zedong", "Letter from Mao Zedong to Stalin"]
    assert (third.cached_documents, third.extracted_documents) == (2, 2)
    assert _graph_json(third.graph) == _graph_json(build([corpus], model="none").graph)


def test_no_cache_dir_writes_nothing(corpus, tmp_path, spy):
    build([corpus], model="none")
    build([corpus], model="none")
    assert len(spy) == 2
    assert not any(p.name.startswith(".kg-cache") for p in tmp_path.rglob("*"))


def test_a_document_is_extracted_again_when_a_word_it_relied_on_becomes_common(corpus, tmp_path, spy):
    """ "Zorblat Kuzmin" in a title is a name while no summary writes "zorblat" and "kuzmin" in lower case."""
    cache = tmp_path / "cache"
    build([corpus], model="none", cache_dir=cache)
    _write_records(corpus / "b.jsonl", [{"date": "May 1, 1960", "title": "Note on the harvest",
                                         "summary": "The zorblat and kuzmin harvest was good."}])
    rebuilt = build([corpus], model="none", cache_dir=cache)
    assert spy[-1] == ["Letter from Zorblat Kuzmin to Molotov", "Note on the harvest"]
    assert _graph_json(rebuilt.graph) == _graph_json(build([corpus], model="none").graph)


# -- invalidation -------------------------------------------------------------------------------
def test_another_gazetteer_invalidates(corpus, tmp_path, spy):
    cache = tmp_path / "cache"
    build([corpus], model="none", cache_dir=cache)
    extra = tmp_path / "names.csv"
    extra.write_text("name,kind,aliases\nZorblat Kuzmin,person,Kuzmin\n", encoding="utf-8")
    result = build([corpus], model="none", cache_dir=cache, gazetteer_files=[extra])
    assert result.extracted_documents == 3
    assert len(list(cache.glob("mentions-*.jsonl"))) == 2  # one file per fingerprint
    again = build([corpus], model="none", cache_dir=cache, gazetteer_files=[extra])
    assert again.extracted_documents == 0


def test_another_model_version_invalidates(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build([corpus], model="none", cache_dir=cache)
    assert build([corpus], model="none", cache_dir=cache).extracted_documents == 0
    monkeypatch.setattr(kg.cache, "model_version", lambda model: "another version")
    assert build([corpus], model="none", cache_dir=cache).extracted_documents == 3


def test_a_code_change_invalidates(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build([corpus], model="none", cache_dir=cache)
    monkeypatch.setattr(kg.cache, "code_hash", lambda: "edited")
    assert build([corpus], model="none", cache_dir=cache).extracted_documents == 3


def test_a_truncated_summary_is_other_content():
    date = DocumentDate("1945", "1945", "year")
    whole = Document("doc-1", "Title", date, summary="A summary")
    assert document_key(whole) != document_key(Document("doc-1", "Title", date, summary="A summary", truncated=True))
    # the id is no content: a document re-dated keeps its extraction
    assert document_key(whole) == document_key(Document("doc-2", "Title", DocumentDate("1946"), summary="A summary"))


# -- damaged files --------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["garbage", "cut", "header"])
def test_a_corrupt_cache_is_ignored_with_a_warning(corpus, tmp_path, caplog, spy, damage):
    """A file that is not a cache of this setup is ignored; a file cut short loses its last entry only."""
    cache = tmp_path / "cache"
    expected = _graph_json(build([corpus], model="none", cache_dir=cache).graph)
    (path,) = cache.glob("mentions-*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    if damage == "garbage":
        path.write_bytes(b"\x00\xff not json at all")
    elif damage == "cut":
        path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:20], encoding="utf-8")
    else:
        path.write_text("\n".join(['{"format": 0}'] + lines[1:]), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg"):
        result = build([corpus], model="none", cache_dir=cache)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if damage == "cut":  # the entries before the cut are sound: only the last document is lost
        assert len(warnings) == 1 and "dropped 1 damaged entry" in warnings[0] and "line 4" in warnings[0], warnings
        assert result.extracted_documents == 1
    else:
        assert len(warnings) == 1 and "ignoring the extraction cache" in warnings[0], warnings
        assert result.extracted_documents == 3
    assert _graph_json(result.graph) == expected
    # and it is rewritten whole
    assert build([corpus], model="none", cache_dir=cache).extracted_documents == 0


def test_an_unwritable_cache_folder_is_a_warning_not_an_error(corpus, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="kg"):
        result = build([corpus], model="none", cache_dir=blocker / "cache")
    assert result.graph.number_of_nodes() > 0
    assert any("cannot write the extraction cache" in r.getMessage() for r in caplog.records)


def test_cache_round_trip_keeps_every_field(tmp_path):
    doc = Document("doc-x", "Letter from A to B", DocumentDate("1945"), summary="Soong met Stalin.")
    mentions = [
        Mention("doc-x", "summary", 0, 5, "Soong", "person", "model"),
        Mention("doc-x", "summary", 10, 16, "Stalin", "person", "gazetteer", "Joseph Stalin", norm="stalin"),
        Mention("doc-x", "title", 0, 6, "Letter", "topic", "rule"),
    ]
    cache = MentionCache(tmp_path, "k" * 64)
    cache.put(doc, mentions, {"soong": False, "met": True})
    cache.save()
    again = MentionCache.open(tmp_path, "k" * 64)
    assert again.get(doc, frozenset({"met"})) == mentions
    assert again.get(doc, frozenset({"met", "soong"})) is None  # "soong" became a common word
    assert again.get(doc, frozenset()) is None  # "met" no longer is
    moved = Document("doc-y", doc.title, DocumentDate("1950"), summary=doc.summary)
    assert [m.doc_id for m in again.get(moved, frozenset({"met"}))] == ["doc-y"] * 3


def test_the_code_hash_covers_every_kg_module_extraction_imports():
    # What Python actually loads for extraction, against what the hash reads from the
    # import statements: a module missing from the hash would let stale results through.
    import subprocess
    import sys

    import kg

    script = "import sys, kg.cache, kg.extract; print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n == 'kg' or n.startswith('kg.')))"
    loaded = {Path(line).resolve() for line in subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()}
    hashed = kg.cache.extraction_modules(Path(kg.__file__).resolve().parent)
    assert loaded and loaded <= hashed


# -- with the statistical model ---------------------------------------------------------------------
@pytest.mark.model
def test_outputs_are_identical_with_and_without_cache(sample_corpus, tmp_path, spy):
    from kg.export import write_formats

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    plain = build([corpus])
    cache = tmp_path / "cache"
    cold = build([corpus], cache_dir=cache)
    warm = build([corpus], cache_dir=cache)
    assert warm.extracted_documents == 0 and warm.cached_documents == plain.report.documents
    assert warm.model == plain.model
    assert _graph_json(plain.graph) == _graph_json(cold.graph) == _graph_json(warm.graph)
    written = {}
    for name, result in (("plain", plain), ("warm", warm)):
        folder = tmp_path / name
        written[name] = {p.name: p.read_bytes() for p in write_formats(result.graph, folder, ["json", "csv", "graphml"])}
    assert written["plain"] == written["warm"]


def test_a_damaged_entry_costs_only_its_document(corpus, tmp_path, caplog):
    cache = tmp_path / "cache"
    expected = _graph_json(build([corpus], model="none", cache_dir=cache).graph)
    (path,) = cache.glob("mentions-*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:40] + "{not json" + lines[2][40:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg"):
        result = build([corpus], model="none", cache_dir=cache)
    assert any("damaged entry" in r.getMessage() for r in caplog.records)
    assert (result.extracted_documents, result.cached_documents) == (1, 2)
    assert _graph_json(result.graph) == expected


@pytest.mark.parametrize("enabled", [True, False])
def test_a_build_leaves_the_cycle_collector_as_it_found_it(corpus, tmp_path, enabled):
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        build([corpus], model="none", cache_dir=tmp_path / "cache")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_wrong_offsets_in_an_entry_are_caught_and_the_document_extracted_again(corpus, tmp_path, caplog):
    """The issue's case: offsets moved inside the text, seal recomputed (a careful hand-edit), are refused too."""
    cache = tmp_path / "cache"
    expected = _graph_json(build([corpus], model="none", cache_dir=cache).graph)
    (path,) = cache.glob("mentions-*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    digest, common, other, rows, _seal = json.loads(lines[1])
    rows[0][2] = 10_000  # an end past the field's text
    body = json.dumps([digest, common, other, rows], ensure_ascii=False, separators=(",", ":"))[:-1]
    lines[1] = f'{body},"{kg.cache._seal(body)}"]'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg"):
        result = build([corpus], model="none", cache_dir=cache)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "dropped 1 damaged entry" in warning and "line 2: a mention's offsets" in warning
    assert "not within its" in warning
    assert (result.extracted_documents, result.cached_documents) == (1, 2)
    assert _graph_json(result.graph) == expected


def test_a_pipe_in_place_of_the_cache_file_is_no_hang(corpus, tmp_path, caplog):
    import os

    cache = tmp_path / "cache"
    expected = _graph_json(build([corpus], model="none", cache_dir=cache).graph)
    (path,) = cache.glob("mentions-*.jsonl")
    path.unlink()
    os.mkfifo(path)
    with caplog.at_level(logging.WARNING, logger="kg"):
        result = build([corpus], model="none", cache_dir=cache)
    assert any("not a regular file" in r.getMessage() for r in caplog.records)
    assert _graph_json(result.graph) == expected
    assert path.is_file()  # replaced by a cache file again


def test_a_temporary_file_left_by_a_killed_save_is_removed(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], model="none", cache_dir=cache)
    (path,) = cache.glob("mentions-*.jsonl")
    leftover = cache / f".{path.name}.abcd1234.tmp"
    leftover.write_text("half a cache")
    (corpus / "more.jsonl").write_text(json.dumps({"date": "1950", "title": "Note on the harvest"}) + "\n")
    build([corpus], model="none", cache_dir=cache)  # a build that saves the cache
    assert not leftover.exists()
