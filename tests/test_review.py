"""kg review: the decisions worth a look, their evidence, and the corrections that reverse them."""
from __future__ import annotations

import csv
import io
import json

import pytest

from kg.dates import parse_date
from kg.graph import build_graph
from kg.records import (
    BRACKET, GAZETTEER_ALIAS, GAZETTEER_NAME, OWN_SPELLING, SURNAME_IN_CORPUS, SURNAME_IN_DOCUMENT, AliasRule,
    Document, Entity, Mention, Relation, typo_rule,
)
from kg.review import CATEGORIES, review, to_csv

DOCUMENTS = [
    Document("doc-1", "Record of a Meeting between T. V. Soong and Stalin", parse_date("July 2, 1945"),
             summary="Soong and Stalin discuss Outer Mongolia. Soong then meets Molotov."),
    Document("doc-2", "Letter from Chian Kai-Shek to Filippov [Stalin]", parse_date("July 9, 1945"),
             summary="Chiang asks about Dairen."),
    Document("doc-3", "Cable from Soong to Chiang Kai-shek", parse_date("July 12, 1945")),
    Document("doc-4", "Note on Zorin", parse_date("1950"), summary="Zorin reports."),
]
BY_ID = {d.doc_id: d for d in DOCUMENTS}
SOONG, STALIN, CHIANG, ZORIN = "person:t-v-soong", "person:joseph-stalin", "person:chiang-kai-shek", "person:zorin"
MOLOTOV = "person:vyacheslav-molotov"


def mention(doc_id, field, surface, entity, rule, finder="model", occurrence=0):
    text = BY_ID[doc_id].field_text(field)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Mention(doc_id, field, start, start + len(surface), surface, "person", finder, entity_id=entity, rule=rule)


MENTIONS = [
    mention("doc-1", "title", "T. V. Soong", SOONG, OWN_SPELLING),
    mention("doc-1", "title", "Stalin", STALIN, GAZETTEER_ALIAS, "gazetteer"),
    mention("doc-1", "summary", "Soong", SOONG, SURNAME_IN_DOCUMENT),
    mention("doc-1", "summary", "Soong", SOONG, SURNAME_IN_DOCUMENT, occurrence=1),
    mention("doc-1", "summary", "Stalin", STALIN, GAZETTEER_ALIAS, "gazetteer"),
    mention("doc-1", "summary", "Molotov", MOLOTOV, GAZETTEER_ALIAS, "gazetteer"),
    mention("doc-2", "title", "Chian Kai-Shek", CHIANG, typo_rule(1), "rule"),
    mention("doc-2", "title", "Filippov [Stalin]", STALIN, BRACKET, "rule"),
    mention("doc-2", "summary", "Chiang", CHIANG, SURNAME_IN_CORPUS),
    mention("doc-3", "title", "Soong", SOONG, SURNAME_IN_CORPUS),
    mention("doc-3", "title", "Chiang Kai-shek", CHIANG, GAZETTEER_NAME, "gazetteer"),
    mention("doc-4", "title", "Zorin", ZORIN, OWN_SPELLING),
    mention("doc-4", "summary", "Zorin", ZORIN, OWN_SPELLING),
]
ENTITIES = [
    Entity(SOONG, "person", "T. V. Soong", ("Soong",), alias_rules=(
        AliasRule("Soong", SURNAME_IN_DOCUMENT, ("doc-1",)), AliasRule("Soong", SURNAME_IN_CORPUS, ("doc-3",)))),
    Entity(STALIN, "person", "Joseph Stalin", ("Filippov", "Filippov [Stalin]", "Stalin"), in_gazetteer=True),
    Entity(CHIANG, "person", "Chiang Kai-shek", ("Chiang", "Chian Kai-Shek"), in_gazetteer=True),
    Entity(ZORIN, "person", "Zorin"),
    Entity(MOLOTOV, "person", "Vyacheslav Molotov", ("Molotov",), in_gazetteer=True),
    Entity("person:zorin-2", "person", "Valerian Zorin", ("Zorin",)),  # claims Zorin's name too
]
RELATIONS = [
    Relation("met", SOONG, STALIN, "doc-1", BY_ID["doc-1"].title),
    Relation("met", SOONG, MOLOTOV, "doc-1", "Soong then meets Molotov.", "summary"),
    Relation("wrote_to", CHIANG, STALIN, "doc-2", BY_ID["doc-2"].title),
    Relation("wrote_to", SOONG, CHIANG, "doc-3", BY_ID["doc-3"].title),
]


@pytest.fixture(scope="module")
def graph():
    return build_graph(DOCUMENTS, ENTITIES, MENTIONS, RELATIONS)


def by_summary(decisions):
    return {d.summary: d for d in decisions}


def test_joins_by_surname_typo_and_bracket_with_evidence_and_reversal(graph):
    found = by_summary(review(graph, categories=["surname", "typo", "bracket"]))
    assert set(found) == {
        '"Soong" joined by surname T. V. Soong (surname in the same document)',
        '"Soong" joined by surname T. V. Soong (surname in the corpus)',
        '"Chiang" joined by surname Chiang Kai-shek (surname in the corpus)',
        '"Chian Kai-Shek" taken as a typo of Chiang Kai-shek (typo within 1 edit)',
        '"Filippov [Stalin]" identified in brackets as Joseph Stalin (bracketed identification)',
    }
    in_document = found['"Soong" joined by surname T. V. Soong (surname in the same document)']
    assert (in_document.category, in_document.entity, in_document.name, in_document.documents) == (
        "surname", SOONG, "Soong", ("doc-1",))
    # "Soong" joined Soong by two rules: each reversal names its documents only.
    assert in_document.corrections == ("different,Soong,T. V. Soong,doc-1",)
    assert [(e.document, e.date, e.text) for e in in_document.evidence] == [
        ("doc-1", "1945-07-02", "Soong and Stalin discuss Outer Mongolia. Soong then meets Molotov.")]
    typo = found['"Chian Kai-Shek" taken as a typo of Chiang Kai-shek (typo within 1 edit)']
    assert typo.corrections == ("different,Chian Kai-Shek,Chiang Kai-shek",)
    assert typo.evidence[0].text == "Letter from Chian Kai-Shek to Filippov [Stalin]"  # a title is its own evidence
    bracket = found['"Filippov [Stalin]" identified in brackets as Joseph Stalin (bracketed identification)']
    assert bracket.corrections == ("different,Filippov [Stalin],Joseph Stalin",)


def test_most_consequential_first(graph):
    decisions = review(graph)
    weights = [d.consequence for d in decisions]
    assert weights == sorted(weights, reverse=True)
    # T. V. Soong, whom no gazetteer lists, is named by 2 documents stating 3 relations of his.
    assert [(d.category, d.name, d.consequence) for d in decisions[:2]] == [
        ("unknown", "T. V. Soong", 5),
        ("surname", "Soong", 3),  # in doc-1: 1 document, with a meeting with Stalin and one with Molotov
    ]


def test_shared_names_offer_each_claimant(graph):
    shared = review(graph, categories=["shared"])
    assert [(d.name, d.corrections) for d in shared] == [
        ("Zorin", ("same,Zorin,Zorin", "same,Zorin,Valerian Zorin"))]  # a label comes before an alias
    assert shared[0].documents == ("doc-4",)


def test_names_the_gazetteer_does_not_know(graph):
    unknown = review(graph, categories=["unknown", "once"])
    # Valerian Zorin, named by no document, is neither; gazetteer entities are never listed.
    assert [(d.category, d.label, d.documents) for d in unknown] == [
        ("unknown", "T. V. Soong", ("doc-1", "doc-3")), ("once", "Zorin", ("doc-4",))]
    assert all(d.corrections[0].startswith("not_a_name,") for d in unknown)


def test_relations_read_from_summaries(graph):
    (decision,) = review(graph, categories=["summary"])
    assert decision.summary == "T. V. Soong met Vyacheslav Molotov, read from the summary"
    assert decision.corrections == ("drop,met,T. V. Soong,Vyacheslav Molotov,doc-1",)
    assert decision.evidence[0].text == "Soong then meets Molotov."


def test_csv_has_one_row_per_decision(graph):
    decisions = review(graph)
    rows = list(csv.DictReader(io.StringIO(to_csv(decisions))))
    assert [row["summary"] for row in rows] == [d.summary for d in decisions]
    assert rows[0]["corrections"].splitlines() == list(decisions[0].corrections)
    assert set(rows[0]) == {"rank", "category", "consequence", "summary", "entity", "label", "name", "rule",
                            "documents", "evidence", "corrections"}


def test_unknown_categories_are_refused(graph):
    with pytest.raises(ValueError, match="unknown review categories: names"):
        review(graph, categories=["names"])
    assert set(CATEGORIES) == {"surname", "typo", "bracket", "body", "shared", "unknown", "once", "summary"}


# -- the command ------------------------------------------------------------------------------------
@pytest.fixture()
def graph_file(graph, tmp_path):
    from kg.export.json import write_json

    return write_json(graph, tmp_path / "graph.json")


def test_cli_review_prints_decisions_and_their_reversal(graph_file, capsys):
    from kg.cli import main

    assert main(["review", "--graph", str(graph_file), "--only", "typo"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [
        '1. [typo] "Chian Kai-Shek" taken as a typo of Chiang Kai-shek (typo within 1 edit) — 1 document, weight 2',
        "     1945-07-09  Letter from Chian Kai-Shek to Filippov [Stalin]",
        "   to reverse: different,Chian Kai-Shek,Chiang Kai-shek",
    ]
    assert "--corrections" in out


def test_cli_review_json_and_csv(graph_file, capsys):
    from kg.cli import main

    assert main(["review", "--graph", str(graph_file), "--json", "--top", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["rank"] for d in data] == [1, 2]
    assert data[1]["corrections"] == ["different,Soong,T. V. Soong,doc-1"]
    assert main(["review", "--graph", str(graph_file), "--csv"]) == 0
    assert capsys.readouterr().out.startswith("rank,category,consequence,summary,")
    assert main(["review", "--graph", str(graph_file), "--csv", "--json"]) == 2
    assert "choose one of --json and --csv" in capsys.readouterr().err


# -- the archive pages ---------------------------------------------------------------------------------
@pytest.mark.model
def test_on_the_archive_pages_reversing_two_joins_splits_exactly_those(archive_pages, tmp_path):
    """Every alias carries its rule; kg review lists the surname and typo joins with evidence; the reversal
    lines of two of them split exactly those mentions."""
    from kg.pipeline import build

    cache = tmp_path / "cache"
    before = build([archive_pages], cache_dir=cache)
    entities = [data for _, data in before.graph.nodes(data=True) if data["kind"] != "document"]
    assert all(set(data["alias_rules"]) == set(data["aliases"]) and all(data["alias_rules"].values())
               for data in entities)  # every alias carries its rule
    assert all(span["rule"] for *_, key, data in before.graph.edges(keys=True, data=True) if key == "mentions"
               for span in data["provenance"])
    decisions = review(before.graph, categories=["surname", "typo"])
    assert {d.category for d in decisions} == {"surname", "typo"}
    assert all(d.evidence and all(e.text and e.document in d.documents for e in d.evidence) for d in decisions)
    surname = next(d for d in decisions if d.category == "surname")
    typo = next(d for d in decisions if d.category == "typo" and d.entity != surname.entity)
    lines = [*surname.corrections, *typo.corrections]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    after = build([archive_pages], cache_dir=cache, corrections=[fixes])
    assert (after.extracted_documents, after.curation.applied, after.curation.problems) == (0, len(lines), ())

    def spans(graph, decision):
        """(document, field, start) -> entity of the decision's mentions: its spelling in its documents."""
        found = {}
        for doc in decision.documents:
            for _, entity, key, data in graph.out_edges(doc, keys=True, data=True):
                for span in data.get("provenance", ()) if key == "mentions" else ():
                    if decision.name in span["text"]:
                        found[(doc, span["field"], span["start"])] = (entity, span["rule"])
        return found

    moved_to = set()
    for decision in (surname, typo):
        was, now = spans(before.graph, decision), spans(after.graph, decision)
        joined = {k for k, (entity, rule) in was.items() if entity == decision.entity and rule == decision.rule}
        assert joined
        for key in joined:
            entity, rule = now[key]
            assert entity != decision.entity and rule == "correction"
            moved_to.add(entity)
        assert all(now[k] == was[k] for k in was if k not in joined)  # other names in those documents stay
    touched = {surname.entity, typo.entity} | moved_to
    changed_nodes = {n for n in set(before.graph) | set(after.graph)
                     if before.graph.nodes.get(n) != after.graph.nodes.get(n)}
    assert {surname.entity, typo.entity} <= changed_nodes <= touched

    def edges(graph):
        return {(s, t, k): d for s, t, k, d in graph.edges(keys=True, data=True)}

    old, new = edges(before.graph), edges(after.graph)
    changed_edges = {e for e in old.keys() | new.keys() if old.get(e) != new.get(e)}
    assert changed_edges and all(s in touched or t in touched for s, t, _ in changed_edges)
    left = {(d.category, d.entity, d.name, d.rule) for d in review(after.graph, categories=["surname", "typo"])}
    assert not left & {(d.category, d.entity, d.name, d.rule) for d in (surname, typo)}
