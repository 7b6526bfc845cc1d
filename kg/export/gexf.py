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
import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from kg.dates import Interval, date_interval
from kg.export.files import atomic_write
from kg.export.flatten import FlatGraph, clean_text, flatten_graph
from kg.export.layout import layout
from kg.export.style import KIND_COLORS, edge_width, kind_color, node_size, relation_color, rgb
from kg.export.xml_escape import attribute

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
#: Names that mean something to GEXF readers; a kg attribute with one of them is renamed
#: ``kg_<name>``. Edges also have GEXF's own ``kind`` and ``weight``.
RESERVED = frozenset({"id", "type", "start", "end", "pid", "viz", "spells", "label"})
RESERVED_FOR_EDGES = RESERVED | {"kind", "weight"}

#: Placeholders for the nodes and edges in the frame, and the depth of a node or an edge.
_NODES_HERE, _EDGES_HERE = "kg-nodes-here", "kg-edges-here"
_ITEM_LEVEL = 3
_BETWEEN, _CHILD, _GRANDCHILD, _CLOSE = (f"\n{'  ' * (_ITEM_LEVEL + depth)}" for depth in (0, 1, 2, 0))
_ITEMS_PER_PIECE = 256


def write_gexf(graph: nx.MultiDiGraph, path: str | Path, *, flat: FlatGraph | None = None) -> Path:
    return atomic_write(path, gexf_chunks(graph, flat=flat))


def to_gexf(graph: nx.MultiDiGraph) -> str:
    return "".join(gexf_chunks(graph))


def gexf_chunks(graph: nx.MultiDiGraph, *, flat: FlatGraph | None = None) -> Iterator[str]:
    """graph.gexf in pieces: the frame, then a few hundred nodes or edges at a time.

    The frame is made with ElementTree; each node and edge is written as text, escaped as
    ElementTree escapes it (an element tree per node cost more than all else). Spells are
    computed as the items are written: only each entity's merged dates are kept, not
    every edge's. ``flat``: the graph already flattened (``flatten_graph``), if it is.
    """
    flat = flat or flatten_graph(graph)
    positions = layout(graph)
    intervals = _DocumentIntervals(graph)
    kinds = dict(graph.nodes(data="kind", default=""))
    node_spells = _node_intervals(graph, intervals, kinds)

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
    node_columns, edge_columns = (
        {name: f"{_GRANDCHILD}<attvalue for={attribute(column)} value=" for name, column in columns.items()}
        for columns in (node_columns, edge_columns)
    )
    # The frame, indented as a whole, with a marker where the nodes and the edges go.
    ET.SubElement(ET.SubElement(element, "nodes"), _NODES_HERE)
    ET.SubElement(ET.SubElement(element, "edges"), _EDGES_HERE)
    ET.indent(root, space="  ")
    frame = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    head, rest = frame.split(f"<{_NODES_HERE} />")
    middle, tail = rest.split(f"<{_EDGES_HERE} />")
    colors = {kind: _color(kind_color(kind)) for kind in KIND_COLORS}
    # Each node's id cleaned and escaped once, not again at every edge that ends there; only the
    # few ids that change are kept (the others are their own text, with no copy).
    changed_ids = {node: text for node in flat.node_ids if (text := attribute(clean_text(node))[1:-1]) != node}
    widths: dict[float, float] = {}

    def nodes() -> Iterator[str]:
        for node, attributes in flat.nodes:
            kind = kinds[node]
            x, y = positions[node]
            yield (
                f'<node id="{changed_ids.get(node, node)}" label={attribute(str(attributes.get("label", node)))}>'
                + _attvalues(attributes, node_columns) + _spells(node_spells.get(node, ()))
                + (colors.get(kind) or _color(kind_color(kind)))
                + f'{_CHILD}<viz:position x="{x}" y="{-y}" z="0.0" />'
                + f'{_CHILD}<viz:size value="{node_size(graph, node)}" />{_CLOSE}</node>'
            )

    # A graph has a handful of relations and weights: their text is made once each.
    relations: dict[str, tuple[str, str]] = {}
    escaped_keys: dict[object, str] = {}

    def edges() -> Iterator[str]:
        for source, target, key, attributes in flat.edges:
            relation = str(attributes.get("relation", key))
            if relation not in relations:
                relations[relation] = (attribute(clean_text(relation)), _color(relation_color(relation)))
            named, color = relations[relation]
            weight = float(attributes.get("weight", 1))
            width = widths.get(weight)
            if width is None:
                width = widths[weight] = edge_width(weight)
            if key not in escaped_keys:
                escaped_keys[key] = attribute(clean_text(f"{key}"))[1:-1]
            # the id is flatten.edge_id; escaping and cleaning go character by character, so its parts are done apart
            source_id, target_id = changed_ids.get(source, source), changed_ids.get(target, target)
            yield (
                f'<edge id="{escaped_keys[key]}:{source_id}-&gt;{target_id}" '
                f'source="{source_id}" target="{target_id}" kind={named} label={named} weight="{weight}">'
                + _attvalues(attributes, edge_columns)
                + _spells(_edge_intervals(graph, source, target, key, intervals, kinds))
                + color + f'{_CHILD}<viz:thickness value="{width}" />'
                + f"{_CLOSE}</edge>"
            )

    yield head
    for part, items in ((middle, nodes()), (tail, edges())):
        pieces: list[str] = []
        for item in items:
            pieces.append(item)
            if len(pieces) == _ITEMS_PER_PIECE:
                yield _BETWEEN.join(pieces) + _BETWEEN
                pieces.clear()
        yield _BETWEEN.join(pieces) + part


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


def _attvalues(attributes: dict, columns: dict[str, str]) -> str:
    """``columns``: kg attribute name -> the start of its ``<attvalue`` element."""
    rows = []
    for name, value in attributes.items():
        start = columns.get(name)
        if start is not None:
            kind = type(value)
            rows.append(start + attribute(value if kind is str else ('true' if value else 'false') if kind is bool
                                          else str(value)) + " />")
    return f"{_CHILD}<attvalues>{''.join(rows)}{_CHILD}</attvalues>" if rows else ""


def _spells(intervals) -> str:
    if not intervals:
        return ""
    rows = "".join(f'{_GRANDCHILD}<spell start="{start}" end="{end}" />' for start, end in intervals)
    return f"{_CHILD}<spells>{rows}{_CHILD}</spells>"


def _color(color: str) -> str:
    r, g, b = rgb(color)
    return f'{_CHILD}<viz:color r="{r}" g="{g}" b="{b}" />'


class _DocumentIntervals(dict):
    """Document node id -> the days its date covers (None when undated or not a document), computed once."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        super().__init__()
        self.graph = graph

    def __missing__(self, doc: str) -> Interval | None:
        self[doc] = interval = _document_interval(self.graph, doc)
        return interval


def _document_interval(graph: nx.MultiDiGraph, doc: str) -> Interval | None:
    data = graph.nodes[doc] if doc in graph else {}
    if data.get("kind") != "document":
        return None
    return date_interval(data.get("date", ""), data.get("date_until", ""))


def _edge_intervals(graph: nx.MultiDiGraph, source: str, target: str, key: str, intervals: _DocumentIntervals,
                    kinds: dict[str, str], documents: list[str] | None = None):
    """The dates of the documents behind an edge: its ``documents`` (looked up unless given), or its document end."""
    if documents is None:
        documents = graph.edges[source, target, key].get("documents")
    if not documents:
        documents = [n for n in (source, target) if kinds[n] == "document"]
    return _merged([i for doc in documents if (i := intervals[doc])])


def _node_intervals(graph: nx.MultiDiGraph, intervals: _DocumentIntervals,
                    kinds: dict[str, str]) -> dict[str, list[Interval]]:
    """A document lives on its own date; an entity on the dates of every edge that touches it."""
    spans: dict[str, list[Interval]] = {}
    for node, kind in kinds.items():
        if kind == "document":
            interval = intervals[node]
            spans[node] = [interval] if interval else []
    for source, target, key, documents in graph.edges(keys=True, data="documents", default=()):
        entities = [n for n in (source, target) if kinds[n] != "document"]
        if entities:
            edge = _edge_intervals(graph, source, target, key, intervals, kinds, documents)
            for node in entities:
                spans.setdefault(node, []).extend(edge)
    return {node: _merged(found) for node, found in spans.items()}


def _merged(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined (Gephi rejects overlapping spells)."""
    if len(intervals) < 2:
        return intervals
    merged: list[list[str]] = []
    for start, end in sorted(intervals):
        if merged and _day(start) <= _day(merged[-1][1]) + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@functools.lru_cache(maxsize=1 << 16)
def _day(iso: str) -> int:
    """The day number of an ISO date; a build has a few thousand distinct dates, each parsed once."""
    return dt.date.fromisoformat(iso).toordinal()
