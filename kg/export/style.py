"""Visual encoding shared by the HTML and Gephi exports: colours, sizes and a deterministic layout."""
from __future__ import annotations

import hashlib
import logging
import math
import zlib

import networkx as nx

from kg.graph import neighbours

log = logging.getLogger(__name__)

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
KIND_COLORS = {
    "document": "#8f9aa6",
    "person": "#e69f00",
    "place": "#009e73",
    "organization": "#0072b2",
    "topic": "#cc79a7",
}
OTHER_COLOR = "#555555"
RELATION_COLORS = {
    "mentions": "#c9ced4",
    "met": "#d55e00",
    "wrote_to": "#56b4e9",
    "wrote": "#6b7785",
}
KIND_ORDER = ("person", "organization", "place", "topic", "document")

LAYOUT_SEED = 7
#: networkx's ForceAtlas2 holds n x n arrays and takes n**2 steps per iteration (4 s at
#: 1,000 nodes, 19 s at 2,000). Graphs up to this many nodes are laid out whole; in
#: larger ones, only this many of the most documented entities are, and every other
#: node is placed among the nodes it is linked to, in time linear in the edges.
FORCE_LAYOUT_LIMIT = 1000


def kind_color(kind: str) -> str:
    return KIND_COLORS.get(kind, OTHER_COLOR)


def relation_color(relation: str) -> str:
    return RELATION_COLORS.get(relation, OTHER_COLOR)


def rgb(color: str) -> tuple[int, int, int]:
    """``"#e69f00"`` -> ``(230, 159, 0)``."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def node_size(graph: nx.MultiDiGraph, node: str) -> float:
    """Entities grow with the documents that mention them, documents with what they name."""
    data = graph.nodes[node]
    if data.get("kind") == "document":
        return round(6 + 1.5 * math.sqrt(graph.out_degree(node)), 2)
    count = data.get("document_count", 0) or 0
    return round(min(12 + 5 * math.sqrt(count), 60), 2)


def edge_width(weight: float) -> float:
    """Width grows with the number of supporting documents, slowly so that hubs stay readable."""
    return round(min(1 + 1.5 * math.log2(max(weight, 1)), 8), 2)


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """A position for every node, centred on the origin; the same graph always gets the same positions.

    Positions come from networkx's ForceAtlas2 with a fixed seed and are rounded to a
    tenth of a pixel; another networkx or numpy version may place nodes differently.
    The last layout is kept, keyed by the graph's nodes, kinds and edges: graph.html and
    graph.gexf written by one build share it instead of paying for the layout twice.
    """
    key = _fingerprint(graph)
    if key not in _last_layout:
        _last_layout.clear()
        _last_layout[key] = _layout(graph)
    return dict(_last_layout[key])


_last_layout: dict[str, dict[str, tuple[float, float]]] = {}


def _fingerprint(graph: nx.MultiDiGraph) -> str:
    digest = hashlib.sha256()
    for node in sorted(graph):
        digest.update(f"n\0{node}\0{graph.nodes[node].get('kind', '')}\n".encode())
    for source, target in sorted(graph.edges()):
        digest.update(f"e\0{source}\0{target}\n".encode())
    return digest.hexdigest()


def _layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    nodes = sorted(graph)
    if not nodes:
        return {}
    if len(nodes) <= FORCE_LAYOUT_LIMIT:
        positions = _force_layout(_simple_graph(graph, nodes))
    else:
        core = most_documented(graph, FORCE_LAYOUT_LIMIT)
        log.info("laying out the %d most documented entities; %d other nodes placed beside them",
                 len(core), len(nodes) - len(core))
        positions = _force_layout(_entity_graph(graph, core))
        positions.update(_place_beside(graph, nodes, positions))
    return _scaled(positions, nodes)


def most_documented(graph: nx.MultiDiGraph, count: int) -> list[str]:
    """The ``count`` entities that most documents name (ties: most links, then id)."""
    entities = [n for n, d in graph.nodes(data=True) if d.get("kind") != "document"]
    entities.sort(key=lambda n: (-(graph.nodes[n].get("document_count") or 0), -graph.degree(n), n))
    return entities[:count]


def _simple_graph(graph: nx.MultiDiGraph, nodes: list[str]) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted((min(s, t), max(s, t)) for s, t in graph.edges() if s != t))
    return simple


def _entity_graph(graph: nx.MultiDiGraph, entities: list[str]) -> nx.Graph:
    """Entities joined when they are related or named by the same document."""
    wanted = set(entities)
    pairs = set()
    for node in graph:
        linked = wanted.intersection(neighbours(graph, node))
        if node in wanted:
            pairs.update((min(node, other), max(node, other)) for other in linked if other != node)
        elif graph.nodes[node].get("kind") == "document":
            named = sorted(linked)
            pairs.update((a, b) for i, a in enumerate(named) for b in named[i + 1:])
    simple = nx.Graph()
    simple.add_nodes_from(sorted(entities))
    simple.add_edges_from(sorted(pairs))
    return simple


def _force_layout(simple: nx.Graph) -> dict[str, tuple[float, float]]:
    if len(simple) == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    if hasattr(nx, "forceatlas2_layout"):  # networkx >= 3.4
        positions = nx.forceatlas2_layout(simple, max_iter=100, seed=LAYOUT_SEED)
    else:
        positions = nx.spring_layout(simple, seed=LAYOUT_SEED)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


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
    placed = dict(positions)
    documents = [n for n in nodes if n not in placed and graph.nodes[n].get("kind") == "document"]
    entities = [n for n in nodes if n not in placed and graph.nodes[n].get("kind") != "document"]
    for group in (documents, entities, documents):
        found = {}
        for node in group:
            if node in placed:
                continue
            near = [placed[n] for n in sorted(neighbours(graph, node)) if n in placed]
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
