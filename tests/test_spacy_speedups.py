"""The fenced spaCy stand-ins give stock spaCy's annotations, byte for byte, and can be switched off."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import spacy_speedups
from kg.corpus import read_corpus
from kg.gazetteer import load_gazetteer
from kg.pipeline import extraction_pipeline
from kg.records import TEXT_FIELDS

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _stock_pipeline(monkeypatch):
    with monkeypatch.context() as patch:
        patch.setenv(spacy_speedups.SWITCH, "0")
        return extraction_pipeline(load_gazetteer())


def _is_fast(nlp) -> bool:
    return isinstance(getattr(nlp.get_pipe("attribute_ruler").match, "__self__", None), spacy_speedups.FastAttributes)


def _annotations(nlp, texts: list[str]) -> bytes:
    """Every token's tag, POS, morphology, lemma and entity, and every entity span, as bytes."""
    lines = []
    for doc in nlp.pipe(texts, batch_size=64):
        tokens = [[t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.ent_iob_, t.ent_type_, t.ent_id_] for t in doc]
        ents = [[e.start_char, e.end_char, e.label_, e.ent_id_] for e in doc.ents]
        lines.append(json.dumps([tokens, ents], ensure_ascii=False))
    return "\n".join(lines).encode("utf-8")


def test_the_speedups_annotate_the_archive_pages_exactly_as_stock_spacy(monkeypatch, archive_pages):
    documents = read_corpus([archive_pages]).documents
    texts = [text for doc in documents for name in TEXT_FIELDS if (text := doc.field_text(name))]
    assert len(texts) > 900  # every page: titles, summaries and the bodies of document pages
    stock = _stock_pipeline(monkeypatch)
    fast = _stock_pipeline(monkeypatch)
    # Forced, so that the comparison is made on whatever spaCy is installed, checked or not.
    assert spacy_speedups.speed_up(fast.nlp, fast.nlp.get_pipe("entity_ruler"), force=True)
    assert _is_fast(fast.nlp) and not _is_fast(stock.nlp)
    expected, got = _annotations(stock.nlp, texts), _annotations(fast.nlp, texts)
    assert got == expected


def test_lemmas_asked_for_are_the_lemmatizers_own(archive_pages):
    """kg loads the lemmatizer without running it and asks for the few lemmas it reads: on the
    real pages every token's lemma, asked for, is the one the lemmatizer sets when it runs."""
    documents = read_corpus([archive_pages]).documents
    texts = [text for doc in documents for name in TEXT_FIELDS if (text := doc.field_text(name))]
    pipeline = extraction_pipeline(load_gazetteer())
    nlp = pipeline.nlp
    assert "lemmatizer" in nlp.component_names and "lemmatizer" not in nlp.pipe_names
    asked, stored, plural_heads = [], [], 0
    for doc in nlp.pipe(texts, batch_size=64):
        asked.append([pipeline.english.lemma(token) for token in doc])
        plural_heads += sum(token.tag_ == "NNS" for token in doc)
        stored.append([token.lemma_ for token in nlp.get_pipe("lemmatizer")(doc)])
    assert plural_heads > 1000 and sum(map(len, asked)) > 30_000
    assert asked == stored


def test_the_speedups_are_used_only_on_checked_spacy_versions(monkeypatch):
    import spacy

    monkeypatch.delenv(spacy_speedups.SWITCH, raising=False)
    assert spacy_speedups.enabled() == (spacy.__version__ in spacy_speedups.CHECKED_VERSIONS)
    monkeypatch.setattr(spacy_speedups, "CHECKED_VERSIONS", frozenset({"0.0.1"}))
    assert not spacy_speedups.enabled()
    assert not _is_fast(extraction_pipeline(load_gazetteer()).nlp)


@pytest.mark.parametrize("value", ["0", "off", "OFF", "no", "false"])
def test_the_switch_turns_the_speedups_off(monkeypatch, value):
    monkeypatch.setattr(spacy_speedups, "CHECKED_VERSIONS", frozenset({__import__("spacy").__version__}))
    monkeypatch.setenv(spacy_speedups.SWITCH, value)
    assert not spacy_speedups.enabled()
    monkeypatch.setenv(spacy_speedups.SWITCH, "1")
    assert spacy_speedups.enabled()


def test_a_build_without_the_speedups_writes_the_same_bytes(tmp_path, sample_corpus, archive_pages):
    """The fence switched off end to end: the sample corpus and pages 001-015, every format."""
    pages = [sample_corpus, *(archive_pages / "search" / f"{number:03}.txt" for number in range(1, 16))]
    outputs = {}
    for switch in ("1", "0"):
        out = tmp_path / f"speedups-{switch}"
        env = dict(os.environ, **{spacy_speedups.SWITCH: switch})
        subprocess.run([sys.executable, "-m", "kg", "build", *map(str, pages), "--out", str(out), "--no-cache", "-q"],
                       check=True, env=env, cwd=ROOT, timeout=900)
        outputs[switch] = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
    assert len(outputs["1"]) >= 6
    assert outputs["0"] == outputs["1"]
