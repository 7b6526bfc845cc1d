"""Write graph.graphml: every attribute flattened to a typed scalar, for Gephi, yEd, igraph and networkx.

The file is written in pieces, one node or edge at a time, to the bytes networkx's
own writer (``nx.generate_graphml``) gives for the flattened graph: its key ids (``d0``,
``d1``, ... in the order the columns first appear, declared last first), its
indentation, its ASCII output with character references, Python's ``True``/``False``
for booleans. networkx builds the whole XML tree first, which for a hundred thousand
documents took 11 GB; here nothing but the current node or edge is held.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path

import networkx as nx

from kg.export.xml_escape import attribute, text
from kg.export.files import atomic_write
from kg.export.flatten import BOOLEAN, DOUBLE, LONG, STRING, FlatGraph, edge_id, flatten_graph

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n'
)
#: GraphML's names of the flattened columns' types, as networkx writes them.
_TYPES = {BOOLEAN: "boolean", LONG: "long", DOUBLE: "double", STRING: "string"}
_ITEMS_PER_PIECE = 256


def write_graphml(graph: nx.MultiDiGraph, path: str | Path, *, flat: FlatGraph | None = None) -> Path:
    return atomic_write(path, graphml_chunks(graph, flat=flat))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "".join(graphml_chunks(graph))


def graphml_chunks(graph: nx.MultiDiGraph, *, flat: FlatGraph | None = None) -> Iterator[str]:
    """GraphML of the flattened graph in pieces; edge ids are ``relation:source->target``.

    Directions are kept as stored: ``met`` is symmetric but goes from the smaller
    node id to the larger, like in graph.json. ``flat``: the graph already flattened, if it is.
    """
    flat = flat or flatten_graph(graph)
    # networkx numbers a key when it first meets the column (nodes first, in order, then
    # edges) and inserts each new key before the others.
    order = [(flat.node_first_rows[c], i, "node", c) for i, c in enumerate(flat.node_columns)]
    order += [(len(flat.node_ids) + flat.edge_first_rows[c], i, "edge", c) for i, c in enumerate(flat.edge_columns)]
    keys: dict[tuple[str, str], str] = {}
    declarations = []
    for number, (_, _, scope, column) in enumerate(sorted(order)):
        keys[(scope, column)] = key = f"d{number}"
        kind = _TYPES[(flat.node_columns if scope == "node" else flat.edge_columns)[column]]
        declarations.append(f'  <key id="{key}" for="{scope}" attr.name={attribute(column)} attr.type="{kind}" />\n')
    if not flat.node_ids:
        yield _ascii(_HEAD + "".join(reversed(declarations)) + '  <graph edgedefault="directed" />\n</graphml>\n')
        return
    yield _ascii(_HEAD + "".join(reversed(declarations)) + '  <graph edgedefault="directed">\n')
    node_keys = {column: f'      <data key="{keys[("node", column)]}"' for column in flat.node_columns}
    edge_keys = {column: f'      <data key="{keys[("edge", column)]}"' for column in flat.edge_columns}
    # each node's id escaped once, not at every edge; only the few ids that change are kept
    changed = {node: text for node in flat.node_ids if (text := attribute(node)[1:-1]) != node}
    items = chain(
        (_item(f'<node id="{changed.get(node, node)}"', "node", attributes, node_keys)
         for node, attributes in flat.nodes),
        (_item(f'<edge source="{changed.get(source, source)}" target="{changed.get(target, target)}" '
               f"id={attribute(edge_id(source, target, key))}",
               "edge", attributes, edge_keys) for source, target, key, attributes in flat.edges),
    )
    while batch := list(islice(items, _ITEMS_PER_PIECE)):
        yield _ascii("".join(batch))
    yield _ascii("  </graph>\n</graphml>\n")


def _item(start: str, tag: str, attributes: dict, keys: dict[str, str]) -> str:
    """A node or an edge; ``keys``: column -> the start of its ``<data`` element."""
    if not attributes:
        return f"    {start} />\n"
    data = []
    for name, value in attributes.items():
        escaped = text(value if type(value) is str else str(value))
        if "\r" in escaped:  # line breaks as networkx leaves them (it joins ``splitlines()`` with newlines)
            escaped = escaped.replace("\r\n", "\n").replace("\r", "\n")
        # ElementTree writes an element without text as an empty element
        data.append(f"{keys[name]}>{escaped}</data>\n" if escaped else f"{keys[name]} />\n")
    return f"    {start}>\n{''.join(data)}    </{tag}>\n"


def _ascii(piece: str) -> str:
    """Characters beyond ASCII as character references, as networkx's writer gives them."""
    return piece if piece.isascii() else piece.encode("ascii", "xmlcharrefreplace").decode("ascii")
