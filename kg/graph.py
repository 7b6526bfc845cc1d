"""Build the knowledge graph of documents, actors and issues, and the views derived from it.

The graph is a ``networkx.MultiDiGraph``. Edges are keyed by their relation, so
there is at most one edge per (source, target, relation): a relation stated by
many documents is one edge that lists them, with ``weight`` = number of documents.

Node attributes
    ``kind``            "document", "person", "place", "organization" or "topic"
    ``label``           the display name: a document's title, an entity's canonical name
    ``aliases``         list of other names (entities: every spelling seen plus the
                        gazetteer's variants; documents: empty)
  documents only
    ``date``            ISO date at the precision known ("1945-07-12", "1945-07",
                        "1945"), "" when undated
    ``date_precision``  "day", "month", "year" or "" (undated)
    ``date_text``       the date as the archive wrote it
    ``date_until``      end of a date range ("1949-1950"), "" when not a range
    ``title``, ``summary``, ``text`` (the body of a single-document page), ``url``
    ``sources``         list of "file:line" where the entry was read
    ``truncated``       True when the summary was cut off on the page
  entities only
    ``document_count``  number of documents that mention the entity or are about it
    ``first_date``, ``last_date``  ISO dates of the first and last of those documents
    ``description``     the gazetteer's description, "" for entities it does not list
    ``in_gazetteer``    True when the entity is one of the gazetteer's (shipped or extra)
    ``alias_rules``     why each alias belongs to the entity: alias -> list of
                        {"rule", "documents"}, one per rule that joined it (in the
                        order of the rules below), with the documents where it
                        did in date order; a gazetteer alias the corpus never uses has
                        the rule "gazetteer alias" and no documents. The rules
                        (``kg.records.RULES``): "gazetteer name", "gazetteer alias",
                        "acronym glossed in the corpus", "bracketed identification",
                        "initials", "typo within 1 edit" (or "2 edits"), "surname in
                        the same document", "surname in the corpus", "surname in the
                        gazetteer", "same body in other words", "short name in the
                        same document", "short name in the corpus", "body of the
                        party the document names", "topic the document's issue
                        narrows" (``kg.issues``), "own spelling", "correction" (a row
                        of a corrections file, ``kg.curate``)
  topics only
    ``period``          list of the periods an issue was live, "FIRST/LAST" ISO dates
                        ("1956-10-23/1956-12-31"); [] for topics without cues

Edge attributes
    ``relation``        "mentions" (document -> entity), "about" (document -> topic), "met" (person -> person,
                        unordered: stored from the smaller node id to the larger),
                        "wrote_to" (author -> recipient), "wrote" (author -> document)
    ``weight``          number of supporting documents (for "mentions": mention count)
  mentions
    ``fields``          list of the document fields that name the entity
    ``provenance``      list of {"field", "start", "end", "text", "finder", "rule"}:
                        every mention with its character offsets, what found it
                        ("gazetteer", "model" or "rule") and the rule that joined it
                        to the entity (as in ``alias_rules``)
  about (document -> topic: the document is about the issue; see kg.issues)
    ``basis``           "named" (it names the issue), "cues" (its date is in the issue's
                        period and a describing word stands next to an involved entity)
                        or "part" (it is about a narrower issue that is part of this one)
    ``words``           list: the names written, the cue words found, or the narrower issues
    ``entities``        list of the involved entities found next to the cues (labels or
                        the words as written), [] unless ``basis`` is "cues"
    ``evidence``        the same as one line, e.g. 'cues "situation" next to Hungary'
  met, wrote_to, wrote
    ``documents``       list of supporting document node ids, in date order
    ``dates``           their ISO dates, in the same order
    ``evidence``        the title or sentence stating it, per document
    ``fields``          where each document states it, in the same order: "title",
                        "summary", "text", or "correction" (added by a corrections file)

Node ids: documents ``doc-<date>-<hash>``; entities ``<kind>:<slug>``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.dates import sort_key
from kg.records import ENTITY_KINDS, RELATION_KINDS, Document, Entity, IssueLink, Mention, Relation, rule_order

ACTOR_KINDS = ("person", "organization")
#: the relations from a document to what it names or is about
DOCUMENT_RELATIONS = ("mentions", "about")
RELATIONS = (*DOCUMENT_RELATIONS, *RELATION_KINDS)


def build_graph(
    documents: Iterable[Document],
    entities: Iterable[Entity],
    mentions: Iterable[Mention],
    relations: Iterable[Relation],
    issue_links: Iterable[IssueLink] = (),
) -> nx.MultiDiGraph:
    """One graph linking documents to the entities they mention and the issues they are about, and actors to each other."""
    graph = nx.MultiDiGraph()
    documents = sorted(documents, key=lambda d: (sort_key(d.date), d.doc_id))
    order = {doc.doc_id: i for i, doc in enumerate(documents)}
    for doc in documents:
        graph.add_node(doc.doc_id, **_document_attributes(doc))
    dates = {doc.doc_id: doc.date.iso or "" for doc in documents}
    entities = sorted(entities, key=lambda e: e.entity_id)
    for entity in entities:
        graph.add_node(
            entity.entity_id, kind=entity.kind, label=entity.label, aliases=list(entity.aliases),
            description=entity.description, in_gazetteer=entity.in_gazetteer,
            alias_rules=_alias_rules(entity, order),
            **({"period": list(entity.period)} if entity.kind == "topic" else {}),
        )
    provenance: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for mention in mentions:
        if mention.entity_id in graph and mention.doc_id in graph:
            provenance[(mention.doc_id, mention.entity_id)].append(
                {"field": mention.field, "start": mention.start, "end": mention.end, "text": mention.text,
                 "finder": mention.finder, "rule": mention.rule}
            )
    mention_edges = []
    dates_of_entity: dict[str, list[str]] = defaultdict(list)
    for (doc_id, entity_id), spans in sorted(provenance.items()):
        spans.sort(key=lambda s: (s["field"], s["start"], s["end"]))
        fields = sorted({s["field"] for s in spans}, key=("title", "summary", "text").index)
        mention_edges.append((doc_id, entity_id, "mentions", {
            "relation": "mentions", "weight": len(spans), "fields": fields, "provenance": spans,
        }))
        dates_of_entity[entity_id].append(dates[doc_id])
    graph.add_edges_from(mention_edges)
    about_edges = []
    for link in issue_links:
        if link.doc_id in graph and link.entity_id in graph:
            about_edges.append((link.doc_id, link.entity_id, "about", {
                "relation": "about", "weight": 1, "basis": link.basis, "words": list(link.words),
                "entities": list(link.entities), "evidence": link.evidence,
            }))
            if (link.doc_id, link.entity_id) not in provenance:
                dates_of_entity[link.entity_id].append(dates[link.doc_id])
    graph.add_edges_from(sorted(about_edges, key=lambda e: e[:2]))
    supports: dict[tuple[str, str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    for relation in relations:
        if relation.source in graph and relation.target in graph and relation.doc_id in order:
            ends = (relation.source, relation.target)
            if relation.relation == "met":
                ends = tuple(sorted(ends))
            supports[(relation.relation, *ends)].setdefault(relation.doc_id, (relation.evidence, relation.field))
    relation_edges = []
    for (name, source, target), stated in sorted(supports.items()):
        doc_ids = sorted(stated, key=order.__getitem__)
        relation_edges.append((source, target, name, {
            "relation": name, "weight": len(doc_ids), "documents": doc_ids,
            "dates": [dates[d] for d in doc_ids], "evidence": [stated[d][0] for d in doc_ids],
            "fields": [stated[d][1] for d in doc_ids],
        }))
    graph.add_edges_from(relation_edges)
    for entity in entities:
        seen = dates_of_entity.get(entity.entity_id, [])
        known = sorted(date for date in seen if date)
        graph.nodes[entity.entity_id].update(
            document_count=len(seen), first_date=known[0] if known else "", last_date=known[-1] if known else "",
        )
    return graph


def _alias_rules(entity: Entity, order: dict[str, int]) -> dict[str, list[dict]]:
    """``alias_rules`` of the schema: per alias, each rule that joined it and its documents in date order."""
    rules: dict[str, list[dict]] = {}
    for why in entity.alias_rules:
        documents = sorted((d for d in set(why.documents) if d in order), key=order.__getitem__)
        rules.setdefault(why.alias, []).append({"rule": why.rule, "documents": documents})
    return {alias: sorted(rules[alias], key=lambda r: rule_order(r["rule"])) for alias in entity.aliases if alias in rules}


def _document_attributes(doc: Document) -> dict:
    return {
        "kind": "document", "label": doc.title, "aliases": [], "date": doc.date.iso or "",
        "date_precision": doc.date.precision or "", "date_text": doc.date.text, "date_until": doc.date.until or "",
        "title": doc.title, "summary": doc.summary, "text": doc.text, "url": doc.url,
        "sources": [f"{s.path}:{s.line}" for s in doc.sources], "truncated": doc.truncated,
    }


def documents_of(graph: nx.MultiDiGraph, entity: str) -> list[str]:
    """Documents that mention ``entity`` or are about it, in date order."""
    docs = {source for source, _, key in graph.in_edges(entity, keys=True) if key in DOCUMENT_RELATIONS}
    return sorted(docs, key=lambda d: (graph.nodes[d]["date"] or "9999", d))


def entities_of(graph: nx.MultiDiGraph, document: str, kinds: Iterable[str] = ENTITY_KINDS) -> list[str]:
    kinds = set(kinds)
    return sorted(
        {t for _, t, key in graph.out_edges(document, keys=True) if key == "mentions" and graph.nodes[t]["kind"] in kinds}
    )


# -- views ----------------------------------------------------------------------------------
def actor_network(graph: nx.MultiDiGraph, *, relations: Iterable[str] = ("met", "wrote_to")) -> nx.Graph:
    """People and organizations joined by meetings and correspondence, weighted by documents.

    Directions are dropped: an edge lists the relations it aggregates and every
    supporting document once.
    """
    wanted = set(relations)
    view = nx.Graph()
    for source, target, key, data in graph.edges(keys=True, data=True):
        if key not in wanted:
            continue
        for node in (source, target):
            view.add_node(node, **graph.nodes[node])
        if view.has_edge(source, target):
            edge = view.edges[source, target]
            edge["relations"] = sorted(set(edge["relations"]) | {key})
            edge["documents"] = sorted(set(edge["documents"]) | set(data["documents"]),
                                       key=lambda d: (graph.nodes[d]["date"] or "9999", d))
        else:
            view.add_edge(source, target, relations=[key], documents=list(data["documents"]))
        view.edges[source, target]["weight"] = len(view.edges[source, target]["documents"])
    return view


def ego_network(graph: nx.MultiDiGraph, node: str, *, radius: int = 1) -> nx.MultiDiGraph:
    """The entity, its documents and what they name (radius 1 = one document away)."""
    keep = {node}
    frontier = {node}
    for _ in range(radius):
        docs = {d for n in frontier for d in neighbours(graph, n) if graph.nodes[d]["kind"] == "document"}
        if graph.nodes[node]["kind"] == "document":
            docs.add(node)
        found = {e for d in docs for e in neighbours(graph, d)}
        actors = {a for n in frontier for a in neighbours(graph, n) if graph.nodes[a]["kind"] != "document"}
        frontier = (found | actors) - keep
        keep |= docs | found | actors
    return graph.subgraph(keep).copy()


def trace_subgraph(graph: nx.MultiDiGraph, node: str) -> nx.MultiDiGraph:
    """The entity, every document about it, and the actors and issues of those documents."""
    docs = documents_of(graph, node)
    keep = {node, *docs} | {e for d in docs for e in entities_of(graph, d)}
    return graph.subgraph(keep).copy()


def neighbours(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Every node linked to ``node``, whichever way the edges go."""
    return set(graph.successors(node)) | set(graph.predecessors(node))
