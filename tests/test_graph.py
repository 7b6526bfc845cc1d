"""The knowledge graph built from records, its views, and the queries historians ask of it."""
from __future__ import annotations

import pytest

from kg import queries
from kg.dates import parse_date
from kg.graph import actor_network, build_graph, ego_network, trace_subgraph
from kg.records import GAZETTEER_ALIAS, SURNAME_IN_DOCUMENT, AliasRule, Document, Entity, Mention, Relation, Source

MAO, KHRUSHCHEV, KIM, STALIN = "person:mao-zedong", "person:nikita-khrushchev", "person:kim-il-sung", "person:stalin"
ZHOU, HO = "person:zhou-enlai", "person:ho-chi-minh"
TAIWAN, KOREA, CCP = "topic:taiwan", "place:korea", "organization:ccp"

# Document ids are chosen so that their order differs from date order.
DOCUMENTS = [
    Document("doc-k1", "Record of Conversation between Nikita Khrushchev and Mao Zedong", parse_date("August 3, 1958"),
             summary="Khrushchev and Mao discuss Taiwan.", url="https://example.org/k1",
             sources=(Source("p1.txt", 12),)),
    Document("doc-k2", "Memorandum of Conversation between Mao Zedong and Nikita Khrushchev",
             parse_date("November 1957"), truncated=True),
    Document("doc-k3", "Letter from Mao Zedong to Kim Il Sung", parse_date("October 2, 1959"),
             summary="Mao writes about Korea and Taiwan."),
    Document("doc-k0", "Note from Mao Zedong to Kim Il Sung and the CCP", parse_date("Undated")),
    Document("doc-k5", "Talks between Zhou Enlai and Ho Chi Minh", parse_date("1960")),
    Document("doc-k6", "Telegram from Mao Zedong to Stalin", parse_date("January 2, 1950")),
    Document("doc-k7", "Conversation between Mao Zedong and Kim Il Sung", parse_date("July-August 1956")),
]
BY_ID = {d.doc_id: d for d in DOCUMENTS}

ENTITIES = [
    Entity(MAO, "person", "Mao Zedong", ("Mao", "Mao Tse-tung"), "Chairman of the CCP",
           (AliasRule("Mao", SURNAME_IN_DOCUMENT, ("doc-k1", "doc-k3")), AliasRule("Mao", GAZETTEER_ALIAS, ("doc-k2",)),
            AliasRule("Mao Tse-tung", GAZETTEER_ALIAS)), in_gazetteer=True),
    Entity(KHRUSHCHEV, "person", "Nikita Khrushchev", ("Khrushchev", "Krushchev")),
    Entity(KIM, "person", "Kim Il Sung", ("Kim Il-song",)),
    Entity(STALIN, "person", "Joseph Stalin", ("Stalin", "Filippov")),
    Entity(ZHOU, "person", "Zhou Enlai", ("Chou En-lai",)),
    Entity(HO, "person", "Ho Chi Minh", ("Hồ Chí Minh",)),
    Entity(TAIWAN, "topic", "Taiwan"),
    Entity(KOREA, "place", "Korea"),
    Entity(CCP, "organization", "CCP", ("Chinese Communist Party",)),
]
KIND = {e.entity_id: e.kind for e in ENTITIES}


def mention(doc_id: str, field: str, surface: str, entity_id: str, finder: str = "model") -> Mention:
    text = BY_ID[doc_id].field_text(field)
    start = text.index(surface)
    return Mention(doc_id, field, start, start + len(surface), surface, KIND[entity_id], finder, entity_id=entity_id)


MENTIONS = [
    mention("doc-k1", "title", "Nikita Khrushchev", KHRUSHCHEV),
    mention("doc-k1", "title", "Mao Zedong", MAO, "gazetteer"),
    mention("doc-k1", "summary", "Khrushchev", KHRUSHCHEV),
    mention("doc-k1", "summary", "Mao", MAO),
    mention("doc-k1", "summary", "Taiwan", TAIWAN),
    mention("doc-k2", "title", "Mao Zedong", MAO),
    mention("doc-k2", "title", "Nikita Khrushchev", KHRUSHCHEV),
    mention("doc-k3", "title", "Mao Zedong", MAO),
    mention("doc-k3", "title", "Kim Il Sung", KIM),
    mention("doc-k3", "summary", "Korea", KOREA),
    mention("doc-k3", "summary", "Taiwan", TAIWAN),
    mention("doc-k0", "title", "Mao Zedong", MAO),
    mention("doc-k0", "title", "Kim Il Sung", KIM),
    mention("doc-k0", "title", "CCP", CCP),
    mention("doc-k5", "title", "Zhou Enlai", ZHOU),
    mention("doc-k5", "title", "Ho Chi Minh", HO),
    mention("doc-k6", "title", "Mao Zedong", MAO),
    mention("doc-k6", "title", "Stalin", STALIN),
    mention("doc-k7", "title", "Mao Zedong", MAO),
    mention("doc-k7", "title", "Kim Il Sung", KIM),
]

RELATIONS = [
    Relation("met", MAO, KHRUSHCHEV, "doc-k1", BY_ID["doc-k1"].title),
    Relation("met", MAO, KHRUSHCHEV, "doc-k1", BY_ID["doc-k1"].summary, "summary"),  # same document again
    Relation("met", MAO, KHRUSHCHEV, "doc-k2", BY_ID["doc-k2"].title),
    Relation("met", KIM, MAO, "doc-k7", BY_ID["doc-k7"].title),
    Relation("met", HO, ZHOU, "doc-k5", BY_ID["doc-k5"].title),
    Relation("wrote_to", MAO, KIM, "doc-k3", BY_ID["doc-k3"].title),
    Relation("wrote_to", MAO, KIM, "doc-k0", BY_ID["doc-k0"].title),
    Relation("wrote_to", MAO, CCP, "doc-k0", BY_ID["doc-k0"].title),
    Relation("wrote_to", MAO, STALIN, "doc-k6", BY_ID["doc-k6"].title),
    *(Relation("wrote", MAO, d, d, BY_ID[d].title) for d in ("doc-k3", "doc-k0", "doc-k6")),
]


@pytest.fixture(scope="module")
def graph():
    return build_graph(DOCUMENTS, ENTITIES, MENTIONS, RELATIONS)


# -- build_graph: nodes ------------------------------------------------------------------------
def test_one_node_per_document_and_entity(graph):
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert sorted(n for n, k in kinds.items() if k == "document") == sorted(BY_ID)
    assert {n: k for n, k in kinds.items() if k != "document"} == KIND


def test_document_node_attributes(graph):
    assert set(graph.nodes["doc-k1"]) == {
        "kind", "label", "aliases", "date", "date_precision", "date_text", "date_until", "title", "summary", "text",
        "url", "sources", "truncated",
    }
    k1 = graph.nodes["doc-k1"]
    assert k1["label"] == k1["title"] == "Record of Conversation between Nikita Khrushchev and Mao Zedong"
    assert (k1["date"], k1["date_precision"], k1["date_text"], k1["date_until"]) == (
        "1958-08-03", "day", "August 3, 1958", "")
    assert (k1["summary"], k1["url"], k1["sources"], k1["truncated"], k1["aliases"]) == (
        "Khrushchev and Mao discuss Taiwan.", "https://example.org/k1", ["p1.txt:12"], False, [])
    assert (graph.nodes["doc-k2"]["date"], graph.nodes["doc-k2"]["date_precision"]) == ("1957-11", "month")
    assert graph.nodes["doc-k2"]["truncated"] is True
    assert (graph.nodes["doc-k7"]["date"], graph.nodes["doc-k7"]["date_until"]) == ("1956-07", "1956-08")
    undated = graph.nodes["doc-k0"]
    assert (undated["date"], undated["date_precision"], undated["date_text"]) == ("", "", "Undated")


def test_entity_node_attributes(graph):
    assert set(graph.nodes[MAO]) == {"kind", "label", "aliases", "description", "document_count", "first_date",
                                     "last_date", "in_gazetteer", "alias_rules"}
    mao = graph.nodes[MAO]
    assert (mao["kind"], mao["label"], mao["aliases"], mao["description"]) == (
        "person", "Mao Zedong", ["Mao", "Mao Tse-tung"], "Chairman of the CCP")
    assert (mao["document_count"], mao["first_date"], mao["last_date"]) == (6, "1950-01-02", "1959-10-02")
    assert graph.nodes[KHRUSHCHEV]["description"] == ""
    assert (mao["in_gazetteer"], graph.nodes[KHRUSHCHEV]["in_gazetteer"]) == (True, False)


def test_alias_rules_give_each_alias_its_rules_and_documents_in_date_order(graph):
    assert graph.nodes[MAO]["alias_rules"] == {
        "Mao": [{"rule": GAZETTEER_ALIAS, "documents": ["doc-k2"]},  # the rules in resolution's order
                {"rule": SURNAME_IN_DOCUMENT, "documents": ["doc-k1", "doc-k3"]}],  # 1958 before 1959
        "Mao Tse-tung": [{"rule": GAZETTEER_ALIAS, "documents": []}],
    }
    assert graph.nodes[KHRUSHCHEV]["alias_rules"] == {}  # resolution recorded no rules for it


def test_entity_dates_skip_undated_documents(graph):
    kim = graph.nodes[KIM]
    assert (kim["document_count"], kim["first_date"], kim["last_date"]) == (3, "1956-07", "1959-10-02")
    ccp = graph.nodes[CCP]  # named only by an undated note
    assert (ccp["document_count"], ccp["first_date"], ccp["last_date"]) == (1, "", "")


# -- build_graph: edges ----------------------------------------------------------------------------
def test_mentions_edge_keeps_every_span_with_offsets(graph):
    edge = graph.edges["doc-k1", MAO, "mentions"]
    assert (edge["relation"], edge["weight"], edge["fields"]) == ("mentions", 2, ["title", "summary"])
    spans = {(p["field"], p["text"], p["finder"], p["rule"]) for p in edge["provenance"]}
    assert spans == {("title", "Mao Zedong", "gazetteer", ""), ("summary", "Mao", "model", "")}
    for p in edge["provenance"]:
        assert BY_ID["doc-k1"].field_text(p["field"])[p["start"]:p["end"]] == p["text"]


def test_mentions_go_from_document_to_entity(graph):
    assert graph.has_edge("doc-k3", KOREA, "mentions")
    assert not graph.has_edge(KOREA, "doc-k3")
    assert not graph.has_edge("doc-k5", MAO)


def test_one_edge_per_relation_with_documents_in_date_order(graph):
    assert list(graph.get_edge_data(MAO, KHRUSHCHEV)) == ["met"]
    edge = graph.edges[MAO, KHRUSHCHEV, "met"]
    assert edge["relation"] == "met"
    assert edge["documents"] == ["doc-k2", "doc-k1"]  # November 1957 before August 1958
    assert edge["dates"] == ["1957-11", "1958-08-03"]
    assert edge["weight"] == 2  # doc-k1 states it twice: still one document
    assert edge["evidence"] == [BY_ID["doc-k2"].title, BY_ID["doc-k1"].title]
    assert edge["fields"] == ["title", "title"]  # doc-k1's title, stated first, is its evidence


def test_undated_documents_come_last(graph):
    edge = graph.edges[MAO, KIM, "wrote_to"]
    assert edge["documents"] == ["doc-k3", "doc-k0"]
    assert edge["dates"] == ["1959-10-02", ""]
    assert edge["weight"] == 2


def test_relations_between_one_pair_are_separate_edges(graph):
    assert set(graph.get_edge_data(MAO, KIM)) == {"wrote_to"}
    assert set(graph.get_edge_data(KIM, MAO)) == {"met"}  # stored from the smaller id
    assert graph.edges[KIM, MAO, "met"]["documents"] == ["doc-k7"]


def test_wrote_links_author_to_document(graph):
    assert graph.has_edge(MAO, "doc-k6", "wrote")
    assert graph.edges[MAO, "doc-k6", "wrote"]["documents"] == ["doc-k6"]
    assert not graph.has_edge(STALIN, "doc-k6", "wrote")


# -- views -----------------------------------------------------------------------------------------
def test_actor_network_joins_meetings_and_correspondence(graph):
    view = actor_network(graph)
    assert set(view.nodes) == {MAO, KHRUSHCHEV, KIM, STALIN, CCP, ZHOU, HO}
    mao_kim = view.edges[MAO, KIM]
    assert mao_kim["relations"] == ["met", "wrote_to"]
    assert mao_kim["documents"] == ["doc-k7", "doc-k3", "doc-k0"]
    assert mao_kim["weight"] == 3
    assert view.edges[MAO, KHRUSHCHEV]["weight"] == 2
    assert view.nodes[MAO]["label"] == "Mao Zedong"


def test_actor_network_for_meetings_only(graph):
    view = actor_network(graph, relations=("met",))
    assert set(view.nodes) == {MAO, KHRUSHCHEV, KIM, ZHOU, HO}
    assert view.edges[MAO, KIM]["relations"] == ["met"]
    assert view.edges[MAO, KIM]["documents"] == ["doc-k7"]


def test_ego_network_radius_one_and_two(graph):
    one = ego_network(graph, KIM)
    assert set(one.nodes) == {KIM, "doc-k3", "doc-k0", "doc-k7", MAO, KOREA, TAIWAN, CCP}
    two = ego_network(graph, KIM, radius=2)
    assert set(two.nodes) == set(one.nodes) | {"doc-k1", "doc-k2", "doc-k6", KHRUSHCHEV, STALIN}


def test_ego_network_keeps_edge_attributes(graph):
    one = ego_network(graph, KIM)
    assert one.edges[MAO, KIM, "wrote_to"]["documents"] == ["doc-k3", "doc-k0"]


def test_trace_subgraph(graph):
    sub = trace_subgraph(graph, TAIWAN)
    assert set(sub.nodes) == {TAIWAN, "doc-k1", "doc-k3", MAO, KHRUSHCHEV, KIM, KOREA}
    assert sub.has_edge("doc-k3", TAIWAN, "mentions")


# -- queries ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("Mao Zedong", MAO),
        ("mao tse-tung", MAO),  # alias, case
        ("MAO TSE TUNG", MAO),
        ("KRUSHCHEV", KHRUSHCHEV),  # an alias that is a typo
        ("Filippov", STALIN),
        ("ho chi minh", HO),
        ("Hồ Chí Minh", HO),
        ("chou en lai", ZHOU),
        ("person:stalin", STALIN),  # a node id
        ("Zhou", ZHOU),  # part of one name only
    ],
)
def test_find_entity(graph, name, node):
    assert queries.find_entity(graph, name) == node


def test_find_entity_suggests_close_names(graph):
    with pytest.raises(queries.UnknownEntityError) as err:
        queries.find_entity(graph, "Stalni")
    assert "did you mean" in str(err.value) and "Joseph Stalin" in str(err.value)


def test_find_entity_without_anything_close(graph):
    with pytest.raises(queries.UnknownEntityError) as err:
        queries.find_entity(graph, "Eisenhower")
    assert "did you mean" not in str(err.value)


def test_find_entity_restricted_to_kinds(graph):
    assert queries.find_entity(graph, "Taiwan", kinds=("topic",)) == TAIWAN
    with pytest.raises(queries.UnknownEntityError):
        queries.find_entity(graph, "Taiwan", kinds=("person",))


def test_find_entity_does_not_return_documents(graph):
    with pytest.raises(queries.UnknownEntityError):
        queries.find_entity(graph, "doc-k1")


def test_meetings_in_date_order(graph):
    found = queries.meetings(graph, MAO)
    assert [(m.date, m.document, m.participants) for m in found] == [
        ("1956-07", "doc-k7", ("Kim Il Sung",)),
        ("1957-11", "doc-k2", ("Nikita Khrushchev",)),
        ("1958-08-03", "doc-k1", ("Nikita Khrushchev",)),
    ]
    assert found[0].title == "Conversation between Mao Zedong and Kim Il Sung"


def test_meetings_of_someone_who_only_wrote(graph):
    assert queries.meetings(graph, STALIN) == []


def test_trace_lists_documents_in_date_order_with_their_actors(graph):
    found = queries.trace(graph, KIM)
    assert [(t.date, t.document, t.actors) for t in found] == [
        ("1956-07", "doc-k7", ("Mao Zedong",)),
        ("1959-10-02", "doc-k3", ("Mao Zedong",)),
        ("", "doc-k0", ("CCP", "Mao Zedong")),  # undated last
    ]


def test_trace_of_a_topic(graph):
    assert [(t.document, t.actors) for t in queries.trace(graph, TAIWAN)] == [
        ("doc-k1", ("Mao Zedong", "Nikita Khrushchev")),
        ("doc-k3", ("Kim Il Sung", "Mao Zedong")),
    ]


def test_connection_through_meetings_and_correspondence(graph):
    steps = queries.connection(graph, KHRUSHCHEV, STALIN)
    assert steps == [
        {"from": "Nikita Khrushchev", "to": "Mao Zedong", "relations": ["met"], "documents": ["doc-k2", "doc-k1"]},
        {"from": "Mao Zedong", "to": "Joseph Stalin", "relations": ["wrote_to"], "documents": ["doc-k6"]},
    ]


def test_connection_through_shared_documents(graph):
    assert queries.connection(graph, TAIWAN, KOREA) == [
        {"from": "Taiwan", "to": "Korea", "relations": ["mentions"], "documents": ["doc-k3"]}
    ]


def test_no_connection(graph):
    assert queries.connection(graph, KHRUSHCHEV, ZHOU) == []


def test_centrality_ranks_the_hub_first(graph):
    ranked = queries.centrality(graph)
    assert ranked[0]["id"] == MAO
    assert ranked[0]["label"] == "Mao Zedong" and ranked[0]["kind"] == "person"
    assert ranked[0]["degree"] == pytest.approx(4 / 6, abs=1e-4)  # Khrushchev, Kim, Stalin, CCP of 6 others
    assert ranked[0]["betweenness"] == max(r["betweenness"] for r in ranked)
    assert ranked[0]["documents"] == 6
    assert {r["id"] for r in ranked} == {MAO, KHRUSHCHEV, KIM, STALIN, CCP, ZHOU, HO}
    assert [r["id"] for r in queries.centrality(graph, top=2)] == [r["id"] for r in ranked[:2]]


def test_centrality_of_a_graph_without_relations():
    bare = build_graph(DOCUMENTS, ENTITIES, MENTIONS, [])
    assert queries.centrality(bare) == []
    assert queries.communities(bare) == []


def test_communities_are_deterministic(graph):
    first = queries.communities(graph)
    assert first == queries.communities(graph)
    assert first == queries.communities(build_graph(list(reversed(DOCUMENTS)), ENTITIES, MENTIONS, RELATIONS))
    labels = [label for group in first for label in group]
    assert sorted(labels) == sorted(["Mao Zedong", "Nikita Khrushchev", "Kim Il Sung", "Joseph Stalin", "CCP",
                                     "Zhou Enlai", "Ho Chi Minh"])
    assert ["Ho Chi Minh", "Zhou Enlai"] in first  # a separate component is its own community


def test_met_edges_are_stored_in_one_direction_whatever_the_order():
    from kg.graph import build_graph
    from kg.records import Document, DocumentDate, Entity, Relation

    docs = [Document("doc-a", "A", DocumentDate("1958", "1958", "year")),
            Document("doc-b", "B", DocumentDate("1957", "1957", "year"))]
    people = [Entity("person:mao-zedong", "person", "Mao Zedong"), Entity("person:nikita-khrushchev", "person", "Nikita Khrushchev")]
    relations = [Relation("met", "person:nikita-khrushchev", "person:mao-zedong", "doc-a", "A"),
                 Relation("met", "person:mao-zedong", "person:nikita-khrushchev", "doc-b", "B")]
    graph = build_graph(docs, people, [], relations)
    met = [(u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "met"]
    assert len(met) == 1
    (source, target, data) = met[0]
    assert (source, target) == ("person:mao-zedong", "person:nikita-khrushchev")
    assert data["documents"] == ["doc-b", "doc-a"] and data["weight"] == 2
