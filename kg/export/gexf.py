"""Write graph.gexf: GEXF 1.3 for Gephi, with typed attribute columns, viz styling and document dates as spells.

The file is dynamic: every node and edge carries the dates of its documents as
``<spells>`` (``timeformat="date"``), so Gephi's timeline replays the network. A date
known to the month covers the whole month, a year the whole year; undated documents,
and entities named only by them, get no spells and are shown at every time.

All edges are directed, ``met`` included (stored from the smaller node id to the
larger): networkx cannot read a GEXF file that mixes directed and undirected edges.
The ``relation`` column and the GEXF edge ``kind`` tell the relations apart, so Gephi
keeps a ``met`` and a ``wrote_to`` edge between the same two people as two edges.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from kg.dates import Interval, date_interval
from kg.export.files import atomic_write
from kg.export.flatten import clean_text, edge_id, flatten_graph
from kg.export.layout import layout
from kg.export.style import edge_width, kind_color, node_size, relation_color, rgb

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
#: Names that mean something to GEXF readers; a kg attribute with one of them is renamed
#: ``kg_<name>``. Edges also have GEXF's own ``kind`` and ``weight``.
RESERVED = frozenset({"id", "type", "start", "end", "pid", "viz", "spells", "label"})
RESERVED_FOR_EDGES = RESERVED | {"kind", "weight"}

#: Placeholders for the nodes and edges in the frame, and the depth of a node or an edge.
_NODES_HERE, _EDGES_HERE = "kg-nodes-here", "kg-edges-here"
_ITEM_LEVEL = 3


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return atomic_write(path, gexf_chunks(graph))


def to_gexf(graph: nx.MultiDiGraph) -> str:
    return "".join(gexf_chunks(graph))


def gexf_chunks(graph: nx.MultiDiGraph) -> Iterator[str]:
    """graph.gexf in pieces: the frame, then one node or edge at a time.

    The whole XML tree of a hundred thousand documents would take some 15 GB.
    """
    flat = flatten_graph(graph)
    positions = layout(graph)
    edge_spells = {(s, t, k): _edge_intervals(graph, s, t, k) for s, t, k in graph.edges(keys=True)}
    node_spells = _node_intervals(graph, edge_spells)

    root = ET.Element("gexf", {
        "xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3",
    })
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kg"
    ET.SubElement(meta, "description").text = "Knowledge graph of archival documents and the people, places, " \
                                               "organizations and topics they name"
    element = ET.SubElement(root, "graph", {
        "defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date", "timerepresentation": "interval",
    })
    node_columns = _declare(element, "node", {n: t for n, t in flat.node_columns.items() if n != "label"})
    edge_columns = _declare(element, "edge", {n: t for n, t in flat.edge_columns.items() if n != "weight"})
    # The frame, indented as a whole, with a marker where the nodes and the edges go.
    ET.SubElement(ET.SubElement(element, "nodes"), _NODES_HERE)
    ET.SubElement(ET.SubElement(element, "edges"), _EDGES_HERE)
    ET.indent(root, space="  ")
    frame = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    head, rest = frame.split(f"<{_NODES_HERE} />")
    middle, tail = rest.split(f"<{_EDGES_HERE} />")
    between = "\n" + _ITEM_LEVEL * "  "

    def nodes() -> Iterator[ET.Element]:
        for node, attributes in flat.nodes:
            item = ET.Element("node", {"id": clean_text(node), "label": str(attributes.get("label", node))})
            _attvalues(item, attributes, node_columns)
            _spells(item, node_spells.get(node, []))
            r, g, b = rgb(kind_color(graph.nodes[node].get("kind", "")))
            ET.SubElement(item, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})
            x, y = positions[node]
            ET.SubElement(item, "viz:position", {"x": str(x), "y": str(-y), "z": "0.0"})
            ET.SubElement(item, "viz:size", {"value": str(node_size(graph, node))})
            yield item

    def edges() -> Iterator[ET.Element]:
        for source, target, key, attributes in flat.edges:
            relation = str(attributes.get("relation", key))
            weight = float(attributes.get("weight", 1))
            item = ET.Element("edge", {
                "id": clean_text(edge_id(source, target, key)), "source": clean_text(source),
                "target": clean_text(target), "kind": clean_text(relation), "label": clean_text(relation),
                "weight": str(weight),
            })
            _attvalues(item, attributes, edge_columns)
            _spells(item, edge_spells[(source, target, key)])
            r, g, b = rgb(relation_color(relation))
            ET.SubElement(item, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})
            ET.SubElement(item, "viz:thickness", {"value": str(edge_width(weight))})
            yield item

    yield head
    for part, items in ((middle, nodes()), (tail, edges())):
        for i, item in enumerate(items):
            ET.indent(item, space="  ", level=_ITEM_LEVEL)
            yield (between if i else "") + ET.tostring(item, encoding="unicode")
        yield part


def _declare(graph_element: ET.Element, kind: str, columns: dict[str, str]) -> dict[str, str]:
    """Declare the typed columns; returns kg attribute name -> GEXF attribute id."""
    element = ET.SubElement(graph_element, "attributes", {"class": kind, "mode": "static"})
    reserved = RESERVED_FOR_EDGES if kind == "edge" else RESERVED
    ids = {}
    for name, scalar_type in columns.items():
        # graphology-gexf takes a non-numeric id as the column's title: keep id == title.
        ids[name] = f"kg_{name}" if name in reserved else name
        ET.SubElement(element, "attribute", {"id": ids[name], "title": ids[name], "type": scalar_type})
    return ids


def _attvalues(item: ET.Element, attributes: dict, columns: dict[str, str]) -> None:
    values = [(columns[name], attributes[name]) for name in columns if name in attributes]
    if values:
        holder = ET.SubElement(item, "attvalues")
        for column, value in values:
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            ET.SubElement(holder, "attvalue", {"for": column, "value": text})


def _spells(item: ET.Element, intervals: list[Interval]) -> None:
    if intervals:
        holder = ET.SubElement(item, "spells")
        for start, end in intervals:
            ET.SubElement(holder, "spell", {"start": start, "end": end})


def _document_interval(graph: nx.MultiDiGraph, doc: str) -> Interval | None:
    data = graph.nodes[doc] if doc in graph else {}
    if data.get("kind") != "document":
        return None
    return date_interval(data.get("date", ""), data.get("date_until", ""))


def _edge_intervals(graph: nx.MultiDiGraph, source: str, target: str, key: str) -> list[Interval]:
    """The dates of the documents behind an edge: its ``documents``, or its document end."""
    data = graph.edges[source, target, key]
    documents = data.get("documents") or [n for n in (source, target) if graph.nodes[n].get("kind") == "document"]
    return _merged([i for doc in documents if (i := _document_interval(graph, doc))])


def _node_intervals(graph: nx.MultiDiGraph, edge_spells: dict) -> dict[str, list[Interval]]:
    """A document lives on its own date; an entity on the dates of every edge that touches it."""
    spans: dict[str, list[Interval]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "document":
            interval = _document_interval(graph, node)
            spans[node] = [interval] if interval else []
    for (source, target, _), intervals in edge_spells.items():
        for node in (source, target):
            if graph.nodes[node].get("kind") != "document":
                spans.setdefault(node, []).extend(intervals)
    return {node: _merged(intervals) for node, intervals in spans.items()}


def _merged(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined (Gephi rejects overlapping spells)."""
    merged: list[list[str]] = []
    for start, end in sorted(intervals):
        if merged and dt.date.fromisoformat(start) <= dt.date.fromisoformat(merged[-1][1]) + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
