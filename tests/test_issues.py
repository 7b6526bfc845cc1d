"""Documents -> issues (kg.issues): by name, by cues within the period, by a narrower issue; the evidence."""
from __future__ import annotations

import pytest

from kg.dates import parse_date
from kg.gazetteer import GazetteerEntry, GazetteerError, build_gazetteer
from kg.graph import build_graph
from kg.issues import link_issues
from kg.queries import trace
from kg.records import Document, Entity, Mention
from kg.resolve import Resolution

HUNGARY, BUDAPEST, NAGY = "place:hungary", "place:budapest", "person:imre-nagy"
POLAND, INDIA, CHINA, USSR = "place:poland", "place:india", "place:china", "place:soviet-union"
LAOS = "place:laos"
REVOLUTION, TRADE = "topic:hungarian-revolution-of-1956", "topic:trade-agreement"
BORDER, SINO_SOVIET = "topic:border-dispute", "topic:sino-soviet-border-conflict"
GENEVA, LAOS_CONFERENCE = "topic:geneva-conference", "topic:geneva-conference-on-laos"
ZHENBAO = "topic:zhenbao-island-incident"


def issue(name: str, period: str = "", *, aliases: tuple[str, ...] = (), involves: tuple[str, ...] = (),
          cues: tuple[str, ...] = (), narrows: tuple[str, ...] = (), part_of: tuple[str, ...] = ()) -> GazetteerEntry:
    periods = tuple(tuple(p.split("/")) for p in period.split("|") if p)
    return GazetteerEntry(name, "topic", aliases, "", "test.csv:1", periods, involves, cues, narrows, part_of)


GAZETTEER = build_gazetteer([
    GazetteerEntry("Hungary", "place", ()),
    GazetteerEntry("Budapest", "place", ()),
    GazetteerEntry("Imre Nagy", "person", ("Nagy",)),
    GazetteerEntry("Poland", "place", ()),
    GazetteerEntry("India", "place", ()),
    GazetteerEntry("China", "place", ()),
    GazetteerEntry("Soviet Union", "place", ("USSR",)),
    GazetteerEntry("Laos", "place", ()),
    GazetteerEntry("trade agreement", "topic", ()),
    GazetteerEntry("border dispute", "topic", ("border clashes", "boundary question")),
    issue("Hungarian Revolution of 1956", "1956-10-23/1956-12", aliases=("Hungarian uprising",),
          involves=("Hungary", "Budapest", "Imre Nagy", "Hungarian"),
          cues=("situation", "events", "riot", "counter-revolution*", "agreement")),
    issue("Sino-Soviet border conflict", "1969-03/1969-12", involves=("China", "Soviet Union", "Sino-Soviet"),
          cues=("border", "clash*"), narrows=("border dispute",)),
    issue("Zhenbao Island incident", "1969-03-02/1969-03-31", involves=("Zhenbao Island",), cues=("clash*",),
          part_of=("Sino-Soviet border conflict",)),
    issue("Geneva Conference", "1954-04-26/1954-07-21", involves=("Indochina",), cues=("conference",)),
    issue("Geneva Conference on Laos", "1961-05/1962-07", involves=("Laos",), cues=("conference",),
          narrows=("Geneva Conference",)),
])
ENTITIES = {e.entity_id: e for e in [
    Entity(HUNGARY, "place", "Hungary"), Entity(BUDAPEST, "place", "Budapest"), Entity(NAGY, "person", "Imre Nagy"),
    Entity(POLAND, "place", "Poland"), Entity(INDIA, "place", "India"), Entity(CHINA, "place", "China"),
    Entity(USSR, "place", "Soviet Union"), Entity(LAOS, "place", "Laos"),
    Entity(REVOLUTION, "topic", "Hungarian Revolution of 1956"), Entity(TRADE, "topic", "trade agreement"),
    Entity(BORDER, "topic", "border dispute"), Entity(GENEVA, "topic", "Geneva Conference"),
]}


def document(doc_id: str, date: str, summary: str, title: str = "Record") -> Document:
    return Document(doc_id, title, parse_date(date), summary=summary)


def mentions_of(doc: Document, *names: tuple[str, str]) -> list[Mention]:
    """Mentions of (surface, entity id) in the document's summary, with true offsets."""
    found = []
    for surface, eid in names:
        start = doc.summary.index(surface)
        found.append(Mention(doc.doc_id, "summary", start, start + len(surface), surface, ENTITIES[eid].kind,
                             "gazetteer", entity_id=eid))
    return found


def linked(docs: list[tuple[Document, list[Mention]]]):
    mentions = [m for _, found in docs for m in found]
    used = {m.entity_id for m in mentions}
    resolution = Resolution(tuple(e for eid, e in sorted(ENTITIES.items()) if eid in used), tuple(mentions))
    return link_issues([doc for doc, _ in docs], resolution, gazetteer=GAZETTEER)


def links_of(result, doc_id: str) -> dict[str, object]:
    return {link.entity_id: link for link in result.links if link.doc_id == doc_id}


# -- 1. by name ---------------------------------------------------------------------------------------
def test_a_document_that_names_the_issue_is_about_it_at_any_date():
    doc = document("d1", "1962-03-12", "Kennedy compared Cuba with the Hungarian uprising.")
    result = linked([(doc, mentions_of(doc, ("Hungarian uprising", REVOLUTION)))])
    link = links_of(result, "d1")[REVOLUTION]
    assert (link.basis, link.words, link.entities) == ("named", ("Hungarian uprising",), ())
    assert link.evidence == 'names it: "Hungarian uprising"'


# -- 2. by cues within the period -------------------------------------------------------------------------
def test_a_cue_next_to_an_involved_entity_in_the_period_links_the_issue():
    doc = document("d1", "October 30, 1956", "Report on the deterioration of the situation in Hungary.")
    link = links_of(linked([(doc, mentions_of(doc, ("Hungary", HUNGARY)))]), "d1")[REVOLUTION]
    assert (link.basis, link.words, link.entities) == ("cues", ("situation",), ("Hungary",))
    assert link.evidence == 'cues "situation" next to Hungary'


def test_the_same_words_outside_the_period_link_nothing():
    doc = document("d1", "March 1965", "Report on the economic situation in Hungary.")
    assert linked([(doc, mentions_of(doc, ("Hungary", HUNGARY)))]).links == ()


def test_a_month_or_a_year_overlapping_the_period_is_inside_it():
    for date in ("November 1956", "1956"):
        doc = document("d1", date, "The situation in Hungary.")
        assert REVOLUTION in links_of(linked([(doc, mentions_of(doc, ("Hungary", HUNGARY)))]), "d1")
    undated = document("d1", "Undated", "The situation in Hungary.")
    assert linked([(undated, mentions_of(undated, ("Hungary", HUNGARY)))]).links == ()


def test_plurals_prefixes_and_adjectives_match():
    doc = document("d1", "October 28, 1956",
                   "Budapest riots. The Hungarian events. Counterrevolutionary groups around Nagy.")
    link = links_of(linked([(doc, mentions_of(doc, ("Budapest", BUDAPEST), ("Nagy", NAGY)))]), "d1")[REVOLUTION]
    assert link.words == ("counterrevolutionary", "events", "riots")
    assert link.entities == ("Budapest", "Hungarian", "Imre Nagy")


def test_a_cue_far_from_the_entity_or_in_another_sentence_links_nothing():
    far = document("d1", "October 30, 1956",
                   "The situation was discussed at length by all the members present before Hungary came up.")
    apart = document("d2", "October 30, 1956", "They discussed the situation. Then Hungary.")
    result = linked([(far, mentions_of(far, ("Hungary", HUNGARY))), (apart, mentions_of(apart, ("Hungary", HUNGARY)))])
    assert result.links == ()


def test_a_cue_inside_the_name_of_another_topic_is_not_the_issues():
    doc = document("d1", "November 20, 1956", "Hungary signs a trade agreement with Poland.")
    found = mentions_of(doc, ("Hungary", HUNGARY), ("trade agreement", TRADE), ("Poland", POLAND))
    assert REVOLUTION not in links_of(linked([(doc, found)]), "d1")


def test_a_cue_qualified_by_a_pair_of_other_nations_is_theirs():
    doc = document("d1", "April 1969", "The Soviet Union's stance on the Sino-Indian border clashes.")
    found = mentions_of(doc, ("Soviet Union", USSR))
    assert linked([(doc, found)]).links == ()
    ours = document("d2", "April 1969", "Brezhnev on the Sino-Soviet border clashes.")
    assert SINO_SOVIET in links_of(linked([(ours, [])]), "d2")


# -- narrowed topics ------------------------------------------------------------------------------------------
def test_a_generic_topic_in_a_document_about_the_issue_means_the_issue():
    doc = document("d1", "September 11, 1969", "Kosygin and Zhou discuss the border clashes between China and the USSR.")
    found = mentions_of(doc, ("border clashes", BORDER), ("China", CHINA), ("USSR", USSR))
    result = linked([(doc, found)])
    assert links_of(result, "d1")[SINO_SOVIET].basis == "cues"
    (clashes,) = [m for m in result.resolution.mentions if m.text == "border clashes"]
    assert clashes.entity_id == SINO_SOVIET
    # the generic topic named nowhere else is no node any more; the issue is one, with its period
    entities = {e.entity_id: e for e in result.resolution.entities}
    assert BORDER not in entities
    assert entities[SINO_SOVIET].period == ("1969-03/1969-12",)


def test_a_generic_topic_elsewhere_stays_itself():
    doc = document("d1", "1975", "A note on the boundary question.")
    result = linked([(doc, mentions_of(doc, ("boundary question", BORDER)))])
    assert [m.entity_id for m in result.resolution.mentions] == [BORDER]


def test_an_issue_named_outside_its_period_is_the_narrower_issue_of_that_time():
    in_1961 = document("d1", "June 1961", "The Geneva Conference on the neutrality of Laos opens.")
    in_1954 = document("d2", "June 1954", "The Geneva Conference on Indochina, as it bears on Laos.")
    result = linked([(in_1961, mentions_of(in_1961, ("Geneva Conference", GENEVA), ("Laos", LAOS))),
                     (in_1954, mentions_of(in_1954, ("Geneva Conference", GENEVA), ("Laos", LAOS)))])
    assert set(links_of(result, "d1")) == {LAOS_CONFERENCE}
    assert links_of(result, "d2")[GENEVA].basis == "named"
    by_doc = {m.doc_id: m.entity_id for m in result.resolution.mentions if m.text == "Geneva Conference"}
    assert by_doc == {"d1": LAOS_CONFERENCE, "d2": GENEVA}


# -- 3. broader issues ---------------------------------------------------------------------------------------
def test_a_document_about_a_narrower_issue_is_about_the_broader_one():
    doc = document("d1", "March 3, 1969", "Armed clashes on Zhenbao Island.")
    result = linked([(doc, [])])
    link = links_of(result, "d1")[SINO_SOVIET]
    assert (link.basis, link.words) == ("part", ("Zhenbao Island incident",))
    assert link.evidence == "about Zhenbao Island incident, part of it"
    assert links_of(result, "d1")[ZHENBAO].basis == "cues"


def test_part_of_an_unknown_topic_is_a_gazetteer_error():
    gazetteer = build_gazetteer([issue("Tet Offensive", "1968-01/1968-03", part_of=("Vietnam Wars",))])
    with pytest.raises(GazetteerError, match="test.csv:1.*Vietnam Wars"):
        link_issues([], Resolution((), ()), gazetteer=gazetteer)


# -- into the graph and the trace -------------------------------------------------------------------------------
def test_issue_links_become_about_edges_the_trace_shows():
    named = document("d1", "1962-03-12", "Kennedy compared Cuba with the Hungarian uprising.")
    cued = document("d2", "October 30, 1956", "The situation in Hungary.")
    docs = [(named, mentions_of(named, ("Hungarian uprising", REVOLUTION))), (cued, mentions_of(cued, ("Hungary", HUNGARY)))]
    result = linked(docs)
    graph = build_graph([d for d, _ in docs], result.resolution.entities, result.resolution.mentions, [], result.links)
    edge = graph.edges["d2", REVOLUTION, "about"]
    assert (edge["basis"], edge["words"], edge["entities"]) == ("cues", ["situation"], ["Hungary"])
    assert graph.nodes[REVOLUTION]["document_count"] == 2
    assert graph.nodes[REVOLUTION]["period"] == ["1956-10-23/1956-12"]
    entries = trace(graph, REVOLUTION)
    assert [(e.date, e.basis, e.evidence) for e in entries] == [
        ("1956-10-30", "cues", 'cues "situation" next to Hungary'),
        ("1962-03-12", "named", 'names it: "Hungarian uprising"'),
    ]


def test_the_shipped_gazetteer_has_a_broad_list_of_issues():
    from kg.gazetteer import load_gazetteer
    from kg.issues import _issues_of

    gazetteer = load_gazetteer()
    issues = _issues_of(gazetteer)  # raises on an unknown part_of or narrows
    with_cues = [i for i in issues.values() if i.spans and i.cues and (i.involves or i.involved_words)]
    assert len(with_cues) >= 100
    names = {i.entry.name for i in issues.values()}
    assert {"Korean War", "Hungarian Revolution of 1956", "Cuban Missile Crisis", "Prague Spring",
            "Sino-Soviet split", "Vietnam War peace negotiations", "Berlin Crisis"} <= names


def test_a_long_body_full_of_cues_and_names_costs_linear_time():
    import time

    def cost(repeats: int) -> float:
        body = "Imre Nagy and Budapest: the situation, the riots, the events. " * repeats
        doc = Document("d1", "Notes", parse_date("October 30, 1956"), text=body)
        found = []
        for surface, eid in (("Imre Nagy", NAGY), ("Budapest", BUDAPEST)):
            at = body.find(surface)
            while at >= 0:
                found.append(Mention("d1", "text", at, at + len(surface), surface, ENTITIES[eid].kind, "gazetteer",
                                     entity_id=eid))
                at = body.find(surface, at + 1)
        resolution = Resolution(tuple(ENTITIES[e] for e in (BUDAPEST, NAGY)), tuple(found))
        start = time.perf_counter()
        (link,) = link_issues([doc], resolution, gazetteer=GAZETTEER).links
        assert link.basis == "cues"
        return time.perf_counter() - start

    small, large = cost(500), cost(2000)
    assert large < 8 * small + 1.0, f"500 repeats: {small:.2f} s; 2000 repeats: {large:.2f} s"
