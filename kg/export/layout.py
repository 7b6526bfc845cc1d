"""Node positions for the drawn exports (HTML, GEXF): deterministic, and linear in the graph beyond a small core."""
from __future__ import annotations

import hashlib
import logging
import math
import zlib

import networkx as nx

from kg.graph import ACTOR_KINDS

log = logging.getLogger(__name__)

LAYOUT_SEED = 7
#: A force layout costs n**2 per iteration (networkx's ForceAtlas2 took 12 s at 823
#: nodes on the shared machine, its Fruchterman-Reingold under a second at 400).
#: Graphs of up to this many nodes are laid out whole; in larger ones only this many
#: entities are (the actors joined by meetings and letters first, then the most
#: documented), and every other node is placed among the nodes it is linked to, in
#: time linear in the edges.
FORCE_LAYOUT_LIMIT = 400
FORCE_ITERATIONS = 50
#: Structural weight of a meeting or a letter against one shared document.
RELATION_WEIGHT = 1.0
#: ... and of the first shared document (more add logarithmically).
COMENTION_WEIGHT = 0.15
RELATIONS = frozenset({"met", "wrote_to"})
#: With this many related actors, the force layout is theirs alone (the first view of graph.html).
CORE_ACTORS_ENOUGH = 50
#: A faint pull of every laid-out entity to the centre, so that small components stay near the rest.
GRAVITY = 0.05
CENTRE = "\0centre"


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """A position for every node, centred on the origin; the same graph always gets the same positions.

    Positions are rounded to a tenth of a pixel; another networkx or numpy version may
    place nodes differently. The last layout is kept, keyed by the graph's nodes, kinds
    and edges: graph.html and graph.gexf written by one build share it instead of paying
    for the layout twice.
    """
    key = _fingerprint(graph)
    if key not in _last_layout:
        _last_layout.clear()
        _last_layout[key] = compute_layout(graph)
    return dict(_last_layout[key])


_last_layout: dict[str, dict[str, tuple[float, float]]] = {}


def _fingerprint(graph: nx.MultiDiGraph) -> str:
    """A digest of the nodes, kinds and edges in the graph's own order (another order only misses the cache)."""
    digest = hashlib.sha256()
    for node, kind in graph.nodes(data="kind"):
        digest.update(f"n\0{node}\0{kind or ''}\n".encode())
    for source, target, key in graph.edges(keys=True):
        digest.update(f"e\0{source}\0{target}\0{key}\n".encode())
    return digest.hexdigest()


def compute_layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """The layout computed afresh (``layout`` keeps the last one)."""
    nodes = sorted(graph)
    if not nodes:
        return {}
    if len(nodes) <= FORCE_LAYOUT_LIMIT:
        positions = _force_layout(_simple_graph(graph, nodes))
    else:
        core = layout_core(graph, FORCE_LAYOUT_LIMIT)
        log.info("laying out %d entities; %d other nodes placed beside them", len(core), len(nodes) - len(core))
        positions = _force_layout(_entity_graph(graph, core))
        positions.update(_place_beside(graph, nodes, positions))
    return _scaled(positions, nodes)


def most_documented(graph: nx.MultiDiGraph, count: int) -> list[str]:
    """The ``count`` entities that most documents name (ties: most links, then id)."""
    entities = [n for n, d in graph.nodes(data=True) if d.get("kind") != "document"]
    # links counted as neighbours: a multigraph's degree() sums every edge key, slowly
    entities.sort(key=lambda n: (-(graph.nodes[n].get("document_count") or 0),
                                 -(len(graph.succ[n]) + len(graph.pred[n])), n))
    return entities[:count]


def layout_core(graph: nx.MultiDiGraph, count: int) -> list[str]:
    """The entities laid out by force: the actors with meetings or letters (most related first),
    or, where there are few, the most documented entities too."""
    related: dict[str, int] = {}
    for source, target, key in graph.edges(keys=True):
        if key in RELATIONS:
            for node in (source, target):
                related[node] = related.get(node, 0) + 1
    actors = sorted((n for n in related if graph.nodes[n].get("kind") in ACTOR_KINDS),
                    key=lambda n: (-related[n], -(graph.nodes[n].get("document_count") or 0), n))[:count]
    if len(actors) >= CORE_ACTORS_ENOUGH:
        return actors
    chosen = set(actors)
    rest = [n for n in most_documented(graph, count + len(chosen)) if n not in chosen]
    return actors + rest[: count - len(actors)]


def _simple_graph(graph: nx.MultiDiGraph, nodes: list[str]) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted((min(s, t), max(s, t)) for s, t in graph.edges() if s != t))
    return simple


def _entity_graph(graph: nx.MultiDiGraph, entities: list[str]) -> nx.Graph:
    """Entities joined when they are related (strongly) or named by the same document (weakly)."""
    wanted = set(entities)
    related: dict[tuple[str, str], float] = {}
    shared: dict[tuple[str, str], int] = {}
    for source, target, key in graph.edges(keys=True):
        if key in RELATIONS and source in wanted and target in wanted and source != target:
            pair = (min(source, target), max(source, target))
            related[pair] = related.get(pair, 0.0) + RELATION_WEIGHT
    kinds = dict(graph.nodes(data="kind"))
    for node, successors in graph.adjacency():
        if kinds[node] == "document":
            named = sorted(wanted.intersection(successors))
            for i, a in enumerate(named):
                for b in named[i + 1:]:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    weights = {pair: COMENTION_WEIGHT * (1.0 + math.log2(count)) for pair, count in shared.items()}
    for pair, weight in related.items():
        weights[pair] = weights.get(pair, 0.0) + weight
    simple = nx.Graph()
    simple.add_nodes_from(sorted(entities))
    simple.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return simple


def _force_layout(simple: nx.Graph) -> dict[str, tuple[float, float]]:
    if len(simple) == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    pulled = simple.copy()
    pulled.add_weighted_edges_from((node, CENTRE, GRAVITY) for node in simple)
    # Fruchterman-Reingold on numpy arrays: below 500 nodes networkx uses the dense solver.
    positions = nx.spring_layout(pulled, iterations=FORCE_ITERATIONS, seed=LAYOUT_SEED, weight="weight")
    return {node: (float(x), float(y)) for node, (x, y) in positions.items() if node != CENTRE}


def _place_beside(graph: nx.MultiDiGraph, nodes: list[str], positions: dict) -> dict[str, tuple[float, float]]:
    """Every node not yet placed, at the centre of the placed nodes it is linked to.

    Documents go first (among the entities laid out), then the other entities (among
    their documents and related actors), then the documents still left; each is nudged
    by a hash of its id so that nodes with the same neighbours do not sit on each
    other. Whatever is linked to nothing placed goes on a ring around the rest.
    """
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    spread = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    linked = _linked(graph)
    kinds = dict(graph.nodes(data="kind"))
    placed = dict(positions)
    documents = [n for n in nodes if n not in placed and kinds[n] == "document"]
    entities = [n for n in nodes if n not in placed and kinds[n] != "document"]
    for group in (documents, entities, documents):
        found = {}
        for node in group:
            if node in placed:
                continue
            near = [placed[n] for n in sorted(n for n in linked[node] if n in placed)]
            if near:
                angle = _unit(node, "angle") * 2 * math.pi
                radius = spread * (0.01 + 0.03 * _unit(node, "radius"))
                found[node] = (sum(x for x, _ in near) / len(near) + radius * math.cos(angle),
                               sum(y for _, y in near) / len(near) + radius * math.sin(angle))
        placed.update(found)
    loose = [n for n in nodes if n not in placed]
    for i, node in enumerate(loose):
        angle = 2 * math.pi * i / len(loose)
        placed[node] = (spread * 0.7 * math.cos(angle), spread * 0.7 * math.sin(angle))
    return {n: placed[n] for n in nodes if n not in positions}


def _linked(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Every node's neighbours either way, from the plain adjacency dicts (networkx's views are slow)."""
    linked: dict[str, set[str]] = {node: set() for node in graph}
    for node, successors in graph.adjacency():
        for other in successors:
            linked[node].add(other)
            linked[other].add(node)
    return linked


def _unit(text: str, salt: str) -> float:
    """A number in [0, 1) fixed by ``text`` (Python's hash() changes between runs)."""
    return zlib.crc32(f"{salt}:{text}".encode()) / 2**32


def _scaled(positions: dict[str, tuple[float, float]], nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Centred and scaled so that nodes sit some 80 pixels apart; rounded so that bytes are stable."""
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    reach = max(math.hypot(x - cx, y - cy) for x, y in positions.values()) or 1.0
    scale = max(300.0, 50.0 * math.sqrt(len(nodes))) / reach
    return {n: (round((positions[n][0] - cx) * scale, 1), round((positions[n][1] - cy) * scale, 1)) for n in nodes}
