"""Answer historians' questions from a built graph: meetings, traces, paths, centrality."""
from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.errors import KGError
from kg.export.files import MANIFEST, file_digest, read_manifest, recover_for_reading
from kg.export.json import GraphFileError, read_json
from kg.graph import ACTOR_KINDS, DOCUMENT_RELATIONS, RELATIONS, actor_network, documents_of, entities_of
from kg.names import fold, name_key
from kg.records import ENTITY_KINDS, ISSUE_BASES, IssueBasis

log = logging.getLogger(__name__)
NODE_KINDS = ("document", *ENTITY_KINDS)
EDGE_RELATIONS = RELATIONS


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
    """One document of a trace, and why it is in it (see the ``about`` edge in kg.graph)."""

    date: str
    document: str
    title: str
    actors: tuple[str, ...]
    basis: IssueBasis = "named"
    words: tuple[str, ...] = ()  # the names written, the cue words, or the narrower issues
    entities: tuple[str, ...] = ()  # the involved entities next to the cues
    evidence: str = ""


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """The graph in ``path`` (a graph.json of ``kg build``), checked against the schema of kg.graph.

    A build killed while moving its files into place is completed first. When the
    folder's manifest lists another graph.json, a warning says so (hand-edited?).
    Raises GraphFileError naming the file, and the node or edge that is wrong.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise GraphFileError(f"{path}: not a regular file (a folder or a pipe?); expected the graph.json of kg build")
    recover_for_reading(path.parent)
    graph = read_json(path)
    problems = graph_problems(graph)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise GraphFileError(f"{path}: not a graph of kg build: {problems[0]}{more}")
    manifest = read_manifest(path.parent)
    listed = manifest["files"].get(path.name) if manifest else None
    if isinstance(listed, dict) and listed.get("sha256") != file_digest(path):
        log.warning("%s is not the %s the build in %s wrote (edited by hand?); the other files there are "
                    "that build's (%s)", path, path.name, path.parent, MANIFEST)
    return graph


def graph_problems(graph: nx.MultiDiGraph) -> list[str]:
    """What in ``graph`` breaks the schema the queries rely on (kg.graph's docstring), one line each."""
    problems: list[str] = []

    def check(where: str, data: dict, name: str, types: type | tuple[type, ...], *, required: bool = True) -> None:
        if name not in data:
            if required:
                problems.append(f"{where} has no {name!r}")
        elif not isinstance(data[name], types) or isinstance(data[name], bool) and bool not in _tuple(types):
            problems.append(f"{where}: {name!r} is {_kind_of(data[name])}; expected {_names(types)}")

    for node, data in graph.nodes(data=True):
        where = f"node {node!r}"
        if data.get("kind") not in NODE_KINDS:
            problems.append(f"{where}: 'kind' is {data.get('kind')!r}; expected one of {', '.join(NODE_KINDS)}")
            continue
        check(where, data, "label", str)
        check(where, data, "aliases", list, required=False)
        if data["kind"] == "document":
            for name in ("date", "title"):
                check(where, data, name, str)
        else:
            check(where, data, "document_count", int, required=False)
            for name in ("first_date", "last_date"):
                check(where, data, name, str, required=False)
    for source, target, key, data in graph.edges(keys=True, data=True):
        where = f"edge {source!r} -{key}-> {target!r}"
        if key not in EDGE_RELATIONS:
            problems.append(f"{where}: the relation {key!r} is unknown; expected one of {', '.join(EDGE_RELATIONS)}")
            continue
        kinds = graph.nodes[source].get("kind"), graph.nodes[target].get("kind")
        expected = {"mentions": ("document", "entity"), "about": ("document", "topic"),
                    "wrote": ("entity", "document")}.get(key, ("entity", "entity"))
        if any((kind == "document") != (want == "document") or want == "topic" != kind for kind, want in zip(kinds, expected)):
            problems.append(f"{where}: joins a {kinds[0]} to a {kinds[1]}; expected a {expected[0]} and a {expected[1]}")
        if key == "about":
            # what kg trace shows of an issue link
            if data.get("basis") not in ISSUE_BASES:
                problems.append(f"{where}: 'basis' is {data.get('basis')!r}; expected one of {', '.join(ISSUE_BASES)}")
            for name in ("words", "entities"):
                check(where, data, name, list)
            check(where, data, "evidence", str)
        if key not in DOCUMENT_RELATIONS:
            check(where, data, "documents", list)
            for doc in data.get("documents", []) if isinstance(data.get("documents"), list) else []:
                if not isinstance(doc, str) or doc not in graph or graph.nodes[doc].get("kind") != "document":
                    problems.append(f"{where}: 'documents' lists {doc!r}, which is no document of the graph")
                    break
    return problems


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _names(types: type | tuple[type, ...]) -> str:
    return " or ".join({"str": "text", "list": "a list", "int": "a whole number"}.get(t.__name__, t.__name__)
                       for t in _tuple(types))


def _kind_of(value: object) -> str:
    return {"str": "text", "list": "a list", "dict": "an object", "int": "a number", "float": "a number",
            "bool": "true/false", "NoneType": "null"}.get(type(value).__name__, type(value).__name__)


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
    """Every document about ``entity`` in date order, with the actors each names and the evidence.

    A document linked to an issue says whether it names it or was linked by its cues
    (the ``about`` edge); one that only mentions the entity names it.
    """
    entries = []
    for doc in documents_of(graph, entity):
        data = graph.nodes[doc]
        actors = tuple(graph.nodes[a]["label"] for a in entities_of(graph, doc, ACTOR_KINDS) if a != entity)
        about = graph.get_edge_data(doc, entity, "about")
        if about is not None:
            why = {"basis": about["basis"], "words": tuple(about["words"]), "entities": tuple(about["entities"]),
                   "evidence": about["evidence"]}
        else:
            spans = graph.get_edge_data(doc, entity, "mentions", {}).get("provenance", [])
            written = tuple(dict.fromkeys(" ".join(s["text"].split()) for s in spans))
            why = {"basis": "named", "words": written, "evidence": "names it: " + ", ".join(f'"{w}"' for w in written)}
        entries.append(TraceEntry(data["date"], doc, data["title"], actors, **why))
    return entries


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
