"""Visual encoding shared by the HTML and Gephi exports: colours and sizes (positions: kg.export.layout)."""
from __future__ import annotations

import math

import networkx as nx

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
    "about": "#e0c36a",
    "met": "#d55e00",
    "wrote_to": "#56b4e9",
    "wrote": "#6b7785",
}
KIND_ORDER = ("person", "organization", "place", "topic", "document")

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
