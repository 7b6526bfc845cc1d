"""Corrections files: reading them, and each kind of correction changing exactly what it says."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.curate import CorrectionsError, read_corrections
from kg.export.json import to_json
from kg.pipeline import build

CORPUS = [
    {"date": "August 3, 1958", "title": "Record of Conversation between Nikita Khrushchev and Mao Zedong",
     "summary": "Khrushchev and Mao discuss Taiwan and the Soviet Union."},
    {"date": "July 9, 1945", "title": "Letter from Chian Kai-Shek to Harry Truman",
     "summary": "Chian Kai-Shek asks Truman about Outer Mongolia."},
    {"date": "January 2, 1950", "title": "Telegram from Filippov [Stalin] to Mao Zedong",
     "summary": "Stalin writes to Mao about the treaty."},
    {"date": "October 19, 1954", "title": "Memorandum of Conversation between Jawaharlal Nehru and Zhou Enlai",
     "summary": "Nehru and Zhou Enlai discuss the border."},
    {"date": "June 1, 1956", "title": "Record of a Meeting between Ivan Petrovsky and Zhou Enlai",
     "summary": "Zhou Enlai receives the delegation."},
    {"date": "June 5, 1956", "title": "Letter from Petrovsky to Mao Zedong", "summary": "Petrovsky thanks Mao."},
    # Resolution takes this "Nehru" for the gazetteer's Jawaharlal Nehru: nothing in the
    # document says it is B. K. Nehru (a full "B. K. Nehru" here would make it his).
    {"date": "March 3, 1961", "title": "Cable from Nehru to Zhou Enlai",
     "summary": "Nehru asks Zhou Enlai about trade in Dairen."},
]
NEHRU, ZHOU, MAO = "person:jawaharlal-nehru", "person:zhou-enlai", "person:mao-zedong"
PETROVSKY, KHRUSHCHEV = "person:ivan-petrovsky", "person:nikita-khrushchev"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("curate") / "corpus.jsonl"
    path.write_text("".join(json.dumps(entry) + "\n" for entry in CORPUS), encoding="utf-8")
    return path


def corrections_file(folder: Path, text: str, name: str = "fixes.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def built(corpus: Path, *corrections: Path, **options):
    """The build (gazetteer and rules only: no statistical model) and its graph.json text.

    The builds share an extraction cache beside the corpus (corrections do not touch it).
    """
    options.setdefault("cache_dir", corpus.parent / "cache")
    result = build([corpus], model="none", corrections=corrections, **options)
    return result, to_json(result.graph)


@pytest.fixture(scope="module")
def plain(corpus):
    return built(corpus)


def doc_id(graph_text: str, title: str) -> str:
    return next(n["id"] for n in json.loads(graph_text)["nodes"] if n.get("title") == title)


def changes(before: str, after: str) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The nodes and edges (source, target, relation) that differ between two graph.json texts.

    What is not listed is byte for byte the same: node-link JSON is written sorted, and the
    rest of the file (the graph's own attributes) must not change at all.
    """
    def parts(text):
        data = json.loads(text)
        nodes = {n["id"]: json.dumps(n, sort_keys=True) for n in data["nodes"]}
        edges = {(e["source"], e["target"], e["key"]): json.dumps(e, sort_keys=True) for e in data["edges"]}
        rest = json.dumps({k: v for k, v in data.items() if k not in ("nodes", "edges")}, sort_keys=True)
        return nodes, edges, rest

    (nodes_a, edges_a, rest_a), (nodes_b, edges_b, rest_b) = parts(before), parts(after)
    assert rest_a == rest_b
    changed_nodes = {n for n in nodes_a.keys() | nodes_b.keys() if nodes_a.get(n) != nodes_b.get(n)}
    changed_edges = {e for e in edges_a.keys() | edges_b.keys() if edges_a.get(e) != edges_b.get(e)}
    return changed_nodes, changed_edges


def assert_only(before: str, after: str, nodes: set[str]) -> set[tuple[str, str, str]]:
    """Only ``nodes`` changed, and only edges that touch them; the changed edges."""
    changed_nodes, changed_edges = changes(before, after)
    assert changed_nodes == nodes
    assert changed_edges and all(source in nodes or target in nodes for source, target, _ in changed_edges)
    return changed_edges


def node(graph_text: str, node_id: str) -> dict | None:
    return next((n for n in json.loads(graph_text)["nodes"] if n["id"] == node_id), None)


def edges(graph_text: str, relation: str) -> dict[tuple[str, str], dict]:
    return {(e["source"], e["target"]): e for e in json.loads(graph_text)["edges"] if e["key"] == relation}


# -- each kind of correction -----------------------------------------------------------------------
def test_same_merges_two_nodes_when_both_exist(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "same,Ivan Petrovsky,Zhou Enlai\n"))
    assert (result.curation.applied, result.curation.problems) == (1, ())
    assert_only(plain[1], after, {PETROVSKY, ZHOU})
    assert node(after, PETROVSKY) is None
    zhou = node(after, ZHOU)
    assert zhou["alias_rules"]["Ivan Petrovsky"] == [{"rule": "correction", "documents": [
        doc_id(after, "Record of a Meeting between Ivan Petrovsky and Zhou Enlai")]}]
    assert [r["rule"] for r in zhou["alias_rules"]["Petrovsky"]] == ["correction"]
    # Petrovsky's letter to Mao is now Zhou's.
    assert (ZHOU, MAO) in edges(after, "wrote_to") and (PETROVSKY, MAO) in edges(plain[1], "wrote_to")


def test_same_makes_the_entity_a_gazetteer_lacks(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "same,Nehru,B. K. Nehru\n"))
    assert result.curation.applied == 1
    bk = "person:b-k-nehru"
    assert_only(plain[1], after, {NEHRU, bk})
    cable = doc_id(after, "Cable from Nehru to Zhou Enlai")
    assert (bk, ZHOU) in edges(after, "wrote_to") and edges(after, "wrote_to")[(bk, ZHOU)]["documents"] == [cable]
    assert "Nehru" not in node(after, NEHRU)["aliases"]  # every "Nehru" now means B. K. Nehru
    assert node(after, NEHRU)["document_count"] == 1  # the title naming Jawaharlal Nehru in full stays his


def test_different_everywhere_splits_the_spelling_off(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "different,Nehru,Jawaharlal Nehru\n"))
    assert result.curation.applied == 1
    assert_only(plain[1], after, {NEHRU, "person:nehru"})
    assert "Nehru" not in node(after, NEHRU)["aliases"]
    own = node(after, "person:nehru")
    assert (own["label"], own["document_count"], own["in_gazetteer"]) == ("Nehru", 2, False)


def test_different_in_one_document_moves_only_its_mentions(corpus, plain, tmp_path):
    cable = doc_id(plain[1], "Cable from Nehru to Zhou Enlai")
    result, after = built(corpus, corrections_file(tmp_path, f"different,Nehru,Jawaharlal Nehru,{cable}\n"))
    assert result.curation.applied == 1
    changed = assert_only(plain[1], after, {NEHRU, "person:nehru"})
    assert all(cable in (s, t) or "wrote_to" == key or s == NEHRU or t == NEHRU for s, t, key in changed)
    jawaharlal = node(after, NEHRU)
    assert jawaharlal["document_count"] == 1
    # The alias stays, joined by the gazetteer in the other document only.
    assert jawaharlal["alias_rules"]["Nehru"] == [{"rule": "gazetteer alias", "documents": [
        doc_id(after, "Memorandum of Conversation between Jawaharlal Nehru and Zhou Enlai")]}]
    assert node(after, "person:nehru")["alias_rules"] == {}  # "Nehru" is its label, no alias
    assert (("person:nehru", ZHOU) in edges(after, "wrote_to")) and ((NEHRU, ZHOU) not in edges(after, "wrote_to"))


def test_not_a_name_drops_the_mentions_and_nothing_else(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "not_a_name,Outer Mongolia\n"))
    assert result.curation.applied == 1
    changed = assert_only(plain[1], after, {"place:outer-mongolia"})
    assert node(after, "place:outer-mongolia") is None and len(changed) == 1


def test_kind_changes_the_kind_and_what_follows_from_it(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "kind,Ivan Petrovsky,organization\n"))
    assert result.curation.applied == 1
    body = "organization:ivan-petrovsky"
    assert_only(plain[1], after, {PETROVSKY, body})
    assert node(after, body)["kind"] == "organization"
    assert (body, MAO) in edges(after, "wrote_to")  # an organization may write
    assert all(body not in ends for ends in edges(after, "met"))  # only people meet


def test_drop_removes_one_relation(corpus, plain, tmp_path):
    talk = doc_id(plain[1], "Record of Conversation between Nikita Khrushchev and Mao Zedong")
    result, after = built(corpus, corrections_file(tmp_path, f"drop,met,Mao Zedong,Khrushchev,{talk}\n"))
    assert result.curation.applied == 1
    assert changes(plain[1], after) == (set(), {(MAO, KHRUSHCHEV, "met")})
    assert (MAO, KHRUSHCHEV) not in edges(after, "met")


def test_add_states_a_relation_with_its_source(corpus, plain, tmp_path):
    letter = doc_id(plain[1], "Telegram from Filippov [Stalin] to Mao Zedong")
    result, after = built(corpus, corrections_file(tmp_path, f"add,met,Harry Truman,Stalin,{letter}\n"))
    assert result.curation.applied == 1
    assert changes(plain[1], after) == (set(), {("person:harry-s-truman", "person:joseph-stalin", "met")})
    edge = edges(after, "met")[("person:harry-s-truman", "person:joseph-stalin")]
    assert (edge["documents"], edge["fields"], edge["evidence"]) == (
        [letter], ["correction"], ["added by a correction (fixes.csv:1)"])


def test_letters_are_dropped_and_added_in_their_direction(corpus, plain, tmp_path):
    letter = doc_id(plain[1], "Letter from Petrovsky to Mao Zedong")
    dropped, after = built(corpus, corrections_file(tmp_path, f"drop,wrote_to,Petrovsky,Mao Zedong,{letter}\n"))
    assert dropped.curation.applied == 1
    assert changes(plain[1], after) == (set(), {(PETROVSKY, MAO, "wrote_to")})
    assert (PETROVSKY, MAO) not in edges(after, "wrote_to")
    added, after = built(corpus, corrections_file(tmp_path, f"add,wrote_to,Mao Zedong,Petrovsky,{letter}\n"))
    assert added.curation.applied == 1
    assert changes(plain[1], after) == (set(), {(MAO, PETROVSKY, "wrote_to")})
    assert edges(after, "wrote_to")[(MAO, PETROVSKY)]["documents"] == [letter]
    backwards, after = built(corpus, corrections_file(tmp_path, f"drop,wrote_to,Mao Zedong,Petrovsky,{letter}\n"))
    assert (backwards.curation.applied, after) == (0, plain[1])
    assert backwards.curation.problems == (f"{tmp_path / 'fixes.csv'}:1: drop,wrote_to,Mao Zedong,Petrovsky,{letter} "
                                           f"matches nothing: no wrote_to relation of 'Mao Zedong' and 'Petrovsky' in {letter}",)


def test_no_corrections_changes_nothing(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "# nothing yet\n"))
    assert after == plain[1] and (result.curation.applied, result.curation.problems) == (0, ())


# -- problems -----------------------------------------------------------------------------------
def test_rows_that_match_nothing_are_reported_with_file_and_line(corpus, plain, tmp_path):
    rows = ["same,Nobody At All,Zhou Enlai", "different,Stalin,Zhou Enlai", "kind,Nobody,place",
            "drop,met,Mao Zedong,Zhou Enlai,doc-none", "not_a_name,Nothing Like This",
            "add,met,Outer Mongolia,Mao Zedong," + doc_id(plain[1], "Letter from Petrovsky to Mao Zedong")]
    path = corrections_file(tmp_path, "\n".join(rows) + "\n")
    result, after = built(corpus, path)
    assert after == plain[1]
    assert result.curation.problems == (
        f"{path}:1: same,Nobody At All,Zhou Enlai matches nothing: no mention is spelled 'Nobody At All'",
        f"{path}:2: different,Stalin,Zhou Enlai matches nothing: no mention spelled 'Stalin' is Zhou Enlai",
        f"{path}:3: kind,Nobody,place matches nothing: no entity 'Nobody'",
        f"{path}:4: drop,met,Mao Zedong,Zhou Enlai,doc-none matches nothing: no document 'doc-none'",
        f"{path}:5: not_a_name,Nothing Like This matches nothing: no mention is spelled 'Nothing Like This'",
        f"{path}:6: {rows[5]} cannot be applied: Outer Mongolia is a place; met joins people",
    )
    with pytest.raises(CorrectionsError, match=rf"6 correction problem\(s\): {path}:1: same,Nobody"):
        built(corpus, path, strict=True)


def test_contradicting_rows_are_reported_and_the_later_wins(corpus, plain, tmp_path):
    first = corrections_file(tmp_path, "same,Petrovsky,Zhou Enlai\n", "first.csv")
    second = corrections_file(tmp_path, "# later\nsame,Petrovsky,Mao Zedong\n", "second.csv")
    result, after = built(corpus, first, second)
    assert result.curation.problems == (
        f"{second}:2: same,Petrovsky,Mao Zedong contradicts {first}:1 (same,Petrovsky,Zhou Enlai); the later row wins",
    )
    assert "Petrovsky" in node(after, MAO)["aliases"] and "Petrovsky" not in node(after, ZHOU)["aliases"]
    with pytest.raises(CorrectionsError, match="contradicts"):
        built(corpus, first, second, strict=True)


def test_rows_already_true_are_counted_apart(corpus, plain, tmp_path):
    result, after = built(corpus, corrections_file(tmp_path, "same,Chian Kai-Shek,Chiang Kai-shek\n"
                                                             "kind,Zhou Enlai,person\n"))
    assert (result.curation.applied, result.curation.held, result.curation.problems) == (0, 2, ())
    assert after == plain[1]


def test_a_warm_cache_with_new_corrections_gives_the_cold_build(corpus, plain, tmp_path):
    """Corrections apply after extraction: the extraction cache does not depend on them."""
    cache = tmp_path / "cache"
    fixes = corrections_file(tmp_path, "different,Nehru,Jawaharlal Nehru\nnot_a_name,Outer Mongolia\n")
    first, without = built(corpus, cache_dir=cache)
    assert (first.cached_documents, without) == (0, plain[1])
    warm, text = built(corpus, fixes, cache_dir=cache)
    assert (warm.cached_documents, warm.extracted_documents) == (len(CORPUS), 0)
    assert text == built(corpus, fixes, cache_dir=None)[1] != plain[1]


# -- reading ------------------------------------------------------------------------------------
def test_reads_spreadsheet_csv(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_bytes("\ufeffAction,Name,Entity,Document\r\n# a comment,,,\r\nsame,Soong,T. V. Soong,\r\n,,,\r\n"
                     '"different","Nehru, B. K.",Jawaharlal Nehru,doc-1\r\nKind,Dairen,Place\r\n'
                     "not_a_name, Referring\x00 \r\nDROP,Met,A,B,doc-2\r\n".encode("utf-8"))
    rows = read_corrections([path]).rows
    assert [(r.action, r.values, r.line) for r in rows] == [
        ("same", ("Soong", "T. V. Soong"), 3), ("different", ("Nehru, B. K.", "Jawaharlal Nehru", "doc-1"), 5),
        ("kind", ("Dairen", "place"), 6), ("not_a_name", ("Referring",), 7), ("drop", ("met", "A", "B", "doc-2"), 8),
    ]
    assert rows[1].row == 'different,"Nehru, B. K.",Jawaharlal Nehru,doc-1'  # as CSV, for messages


@pytest.mark.parametrize("row, message", [
    ("merge,A,B", r"fixes.csv:2: unknown correction 'merge'; expected one of: same,NAME,ENTITY; different,"),
    ("same,Soong", r"fixes.csv:2: expected same,NAME,ENTITY, got 'same,Soong'"),
    ("same,,Soong", r"fixes.csv:2: expected same,NAME,ENTITY, got 'same,,Soong'"),
    ("not_a_name,A,B", r"fixes.csv:2: expected not_a_name,NAME, got 'not_a_name,A,B'"),
    ("different,A,B,doc-1,more", r"fixes.csv:2: expected different,NAME,ENTITY,\[DOCUMENT\]"),
    ("kind,Dairen,city", r"fixes.csv:2: kind 'city' for kind,Dairen,city; expected one of person, place,"),
    ("add,wrote,A,B,doc-1", r"fixes.csv:2: relation 'wrote'; expected one of met, wrote_to"),
])
def test_a_row_that_is_no_correction_is_an_error_naming_file_and_line(tmp_path, row, message):
    path = corrections_file(tmp_path, f"same,Soong,T. V. Soong\n{row}\n")
    with pytest.raises(CorrectionsError, match=message):
        read_corrections([path])


def test_unreadable_files_are_errors(tmp_path):
    with pytest.raises(CorrectionsError, match="no such corrections file"):
        read_corrections([tmp_path / "missing.csv"])
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00same")
    with pytest.raises(CorrectionsError, match="binary.csv: cannot read corrections file"):
        read_corrections([tmp_path / "binary.csv"])


@pytest.mark.parametrize("rows, clash", [
    (["same,Nehru,Jawaharlal Nehru", "same,nehru,B. K. Nehru"], True),
    (["same,Nehru,Jawaharlal Nehru", "different,Nehru,jawaharlal nehru,doc-1"], True),
    (["not_a_name,Referring", "same,Referring,Zhou Enlai"], True),
    (["kind,Dairen,place", "kind,Dairen,organization"], True),
    (["drop,met,A,B,doc-1", "add,met,B,A,doc-1"], True),  # meetings have no direction
    (["drop,wrote_to,A,B,doc-1", "add,wrote_to,B,A,doc-1"], False),  # letters do
    (["same,Nehru,Jawaharlal Nehru", "same,Nehru,Jawaharlal Nehru"], False),
    (["different,Nehru,Jawaharlal Nehru,doc-1", "different,Nehru,Jawaharlal Nehru"], False),
    (["kind,Dairen,place", "kind,Dalian,organization"], False),
])
def test_contradictions_are_rows_that_cannot_both_hold(tmp_path, rows, clash):
    path = corrections_file(tmp_path, "\n".join(rows) + "\n")
    found = tuple(map(str, read_corrections([path]).contradictions))
    assert found == ((f"{path}:2: {rows[1]} contradicts {path}:1 ({rows[0]}); the later row wins",) if clash else ())
