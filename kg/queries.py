"""Answer historians' questions from a built graph: meetings, traces, paths, centrality."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import networkx as nx

from kg.errors import KGError
from kg.graph import ACTOR_KINDS, actor_network, documents_of, entities_of
from kg.names import fold, name_key


class UnknownEntityError(KGError, LookupError):
    """No entity matches the name; the message suggests the closest ones."""


@dataclass(frozen=True)
class Meeting:
    date: str
    document: str
    title: str
    participants: tuple[str, ...]  # labels of the other people


@dataclass(frozen=True)
class TraceEntry:
    date: str
    document: str
    title: str
    actors: tuple[str, ...]


def find_entity(graph: nx.MultiDiGraph, name: str, *, kinds: tuple[str, ...] | None = None) -> str:
    """The node id of the entity called ``name`` (label, alias or id; case and accents ignored)."""
    if name in graph and graph.nodes[name]["kind"] != "document":
        return name
    key = name_key(name)
    exact, partial = [], []
    for node, data in graph.nodes(data=True):
        if data["kind"] == "document" or (kinds and data["kind"] not in kinds):
            continue
        names = [data["label"], *data.get("aliases", [])]
        if any(name_key(n) == key for n in names):
            exact.append(node)
        elif key and any(key in name_key(n) for n in names):
            partial.append(node)
    for found in (exact, partial):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            # The entity named in more documents is the likelier meaning.
            ranked = sorted(found, key=lambda n: (-graph.nodes[n].get("document_count", 0), n))
            if graph.nodes[ranked[0]].get("document_count", 0) > graph.nodes[ranked[1]].get("document_count", 0):
                return ranked[0]
            labels = ", ".join(graph.nodes[n]["label"] for n in ranked[:5])
            raise UnknownEntityError(f"{name!r} is ambiguous: it matches {labels}")
    raise UnknownEntityError(_no_match_message(graph, name, kinds))


def _no_match_message(graph: nx.MultiDiGraph, name: str, kinds: tuple[str, ...] | None) -> str:
    if kinds:
        # "kg meetings 'Outer Mongolia'": say what the name is rather than suggest a person.
        try:
            other = graph.nodes[find_entity(graph, name)]
        except UnknownEntityError:
            pass
        else:
            return f"no {' or '.join(kinds)} matches {name!r}: {other['label']} is a {other['kind']}"
    labels = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] != "document" and (not kinds or data["kind"] in kinds):
            for alias in [data["label"], *data.get("aliases", [])]:
                labels.setdefault(fold(alias), data["label"])
    close = difflib.get_close_matches(fold(name), list(labels), n=3, cutoff=0.6)
    suggestion = list(dict.fromkeys(labels[c] for c in close))  # closest first, as difflib ranks them
    hint = f"; did you mean {' or '.join(suggestion)}?" if suggestion else ""
    return f"no entity matches {name!r}{hint}"


def meetings(graph: nx.MultiDiGraph, person: str) -> list[Meeting]:
    """Every meeting of ``person`` (a node id), in date order, with the others present."""
    by_doc: dict[str, set[str]] = {}
    for u, v, key, data in list(graph.out_edges(person, keys=True, data=True)) + list(
        graph.in_edges(person, keys=True, data=True)
    ):
        if key != "met":
            continue
        other = v if u == person else u
        for doc in data["documents"]:
            by_doc.setdefault(doc, set()).add(other)
    out = [
        Meeting(
            graph.nodes[doc]["date"], doc, graph.nodes[doc]["title"],
            tuple(sorted(graph.nodes[o]["label"] for o in others)),
        )
        for doc, others in by_doc.items()
    ]
    return sorted(out, key=lambda m: (m.date or "9999", m.document))


def meeting_network(graph: nx.MultiDiGraph, person: str) -> nx.MultiDiGraph:
    """``person``, the people who met them, the meetings among all of these, and the records of those meetings.

    A subgraph of ``graph`` (same schema): "met" edges between the people, and each
    meeting record with its "mentions" edges to them, so that a viewer can show which
    documents record each meeting.
    """
    met = actor_network(graph, relations=("met",))
    people = {person} | (set(met.neighbors(person)) if person in met else set())
    keep = graph.subgraph(people)
    records = {doc for _, _, key, data in keep.edges(keys=True, data=True) if key == "met" for doc in data["documents"]}
    view = nx.MultiDiGraph()
    view.add_nodes_from((n, graph.nodes[n]) for n in sorted(people | records, key=lambda n: (n in records, n)))
    for source, target, key, data in sorted(keep.edges(keys=True, data=True), key=lambda e: e[:3]):
        if key == "met":
            view.add_edge(source, target, key=key, **data)
    for doc in sorted(records):
        for _, entity, key, data in sorted(graph.out_edges(doc, keys=True, data=True), key=lambda e: e[1]):
            if key == "mentions" and entity in people:
                view.add_edge(doc, entity, key=key, **data)
    return view


def trace(graph: nx.MultiDiGraph, entity: str) -> list[TraceEntry]:
    """Every document about ``entity`` in date order, with the actors each names."""
    return [
        TraceEntry(
            graph.nodes[doc]["date"], doc, graph.nodes[doc]["title"],
            tuple(graph.nodes[a]["label"] for a in entities_of(graph, doc, ACTOR_KINDS) if a != entity),
        )
        for doc in documents_of(graph, entity)
    ]


def connection(graph: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """How two entities are connected: the shortest chain, each step with its documents.

    Meetings and correspondence are tried first; failing those, shared documents.
    """
    actors = actor_network(graph)
    if source in actors and target in actors and nx.has_path(actors, source, target):
        path = nx.shortest_path(actors, source, target)
        return [
            {"from": graph.nodes[a]["label"], "to": graph.nodes[b]["label"], "relations": actors.edges[a, b]["relations"],
             "documents": actors.edges[a, b]["documents"]}
            for a, b in zip(path, path[1:])
        ]
    undirected = nx.Graph(
        (u, v) for u, v, key in graph.edges(keys=True) if key == "mentions"
    )
    if source not in undirected or target not in undirected or not nx.has_path(undirected, source, target):
        return []
    path = nx.shortest_path(undirected, source, target)
    steps = []
    entities = [n for n in path if graph.nodes[n]["kind"] != "document"]
    docs = [n for n in path if graph.nodes[n]["kind"] == "document"]
    for (a, b), doc in zip(zip(entities, entities[1:]), docs):
        steps.append({"from": graph.nodes[a]["label"], "to": graph.nodes[b]["label"], "relations": ["mentions"],
                      "documents": [doc]})
    return steps


def centrality(graph: nx.MultiDiGraph, *, top: int = 10) -> list[dict]:
    """The most central actors of the meeting and correspondence network."""
    actors = actor_network(graph)
    if actors.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(actors)
    betweenness = nx.betweenness_centrality(actors, weight=None)
    ranked = sorted(actors, key=lambda n: (-degree[n], -betweenness[n], n))[:top]
    return [
        {"id": n, "label": graph.nodes[n]["label"], "kind": graph.nodes[n]["kind"], "degree": round(degree[n], 4),
         "betweenness": round(betweenness[n], 4), "documents": graph.nodes[n].get("document_count", 0)}
        for n in ranked
    ]


def communities(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of actors that meet and write to each other more than to others (labels)."""
    actors = actor_network(graph)
    if actors.number_of_edges() == 0:
        return []
    groups = nx.community.louvain_communities(actors, weight="weight", seed=0)
    labelled = [sorted(graph.nodes[n]["label"] for n in group) for group in groups]
    return sorted(labelled, key=lambda g: (-len(g), g))
