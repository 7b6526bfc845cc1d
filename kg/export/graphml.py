"""Write graph.graphml: every attribute flattened to a typed scalar, for Gephi, yEd, igraph and networkx."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.export.files import atomic_write
from kg.export.flatten import edge_id, flatten_graph


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return atomic_write(path, to_graphml(graph))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML of the flattened graph; edge ids are ``relation:source->target``.

    Directions are kept as stored: ``met`` is symmetric but goes from the smaller
    node id to the larger, like in graph.json.
    """
    flat = flatten_graph(graph)
    simple = nx.MultiDiGraph()
    for node, attributes in flat.nodes:
        simple.add_node(node, **attributes)
    for source, target, key, attributes in flat.edges:
        simple.add_edge(source, target, key=edge_id(source, target, key), **attributes)
    # networkx declares a key's type from the first value it meets; flatten_graph has
    # already given every column one type, so no column is declared twice.
    body = "\n".join(nx.generate_graphml(simple, encoding="utf-8", prettyprint=True))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
