"""Flatten node and edge attributes to typed scalars for GEXF, GraphML and CSV."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

#: Scalar types, named as GEXF and GraphML both spell them.
BOOLEAN, LONG, DOUBLE, STRING = "boolean", "long", "double", "string"

#: Columns that come first, in this order; the rest follow sorted by name.
LEADING_COLUMNS = ("label", "kind", "relation", "weight")

# Characters XML 1.0 cannot carry even escaped: C0 controls other than tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Scalar = bool | int | float | str


@dataclass(frozen=True)
class FlatGraph:
    """The graph's attributes as typed scalar columns, one type per column.

    Rows are made as they are read (``nodes``, ``edges``: a fresh iterator each time),
    so that a writer never holds a flattened copy of the graph: for a hundred thousand
    documents that copy was larger than the graph itself.
    """

    graph: nx.MultiDiGraph
    node_columns: dict[str, str]  # attribute -> scalar type, in column order
    edge_columns: dict[str, str]
    node_ids: list[str]  # sorted
    edge_keys: list[tuple[str, str, str]]  # (source, target, key), sorted
    #: the index (in ``node_ids``, ``edge_keys``) of the first row with each column
    node_first_rows: dict[str, int]
    edge_first_rows: dict[str, int]
    #: whether some attribute name is not text or has characters XML cannot carry
    renamed: bool = False

    @property
    def nodes(self) -> Iterator[tuple[str, dict[str, Scalar]]]:
        """(node id, attributes in column order), sorted by id."""
        data = self.graph.nodes
        rows = _Rows(self.node_columns, self.renamed)
        return ((node, rows(data[node])) for node in self.node_ids)

    @property
    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Scalar]]]:
        """(source, target, key, attributes in column order), sorted."""
        data = self.graph.edges
        rows = _Rows(self.edge_columns, self.renamed)
        return ((s, t, k, rows(data[s, t, k])) for s, t, k in self.edge_keys)


def edge_id(source: str, target: str, key: str) -> str:
    """A readable id, unique because the graph has one edge per (source, target, relation)."""
    return f"{key}:{source}->{target}"


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (they cannot even be escaped)."""
    return _XML_FORBIDDEN.sub("", text)


def flat_value(value: object) -> Scalar | None:
    """One attribute value as a scalar; None when there is nothing to write.

    Lists are joined with "|" (lists of dicts, such as ``provenance``, become compact
    JSON so that no offset or finder is lost); dicts become compact JSON; None, NaN and
    empty dicts are dropped.
    """
    kind = type(value)
    if kind is str:
        return _XML_FORBIDDEN.sub("", value)
    if value is None or kind is bool or kind is int:
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return _compact_json(value) if value else None
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        if all(type(item) is str for item in items):
            return _XML_FORBIDDEN.sub("", "|".join(items))
        if any(isinstance(item, dict | list | tuple) for item in items):
            return _compact_json(list(items))
        return clean_text("|".join("" if item is None else plain_text(item) for item in items))
    if isinstance(value, int):  # an int subclass (bool is handled above)
        return value
    return clean_text(str(value))


def flatten_graph(graph: nx.MultiDiGraph) -> FlatGraph:
    """The one type of each column, found in a pass over the graph that keeps no values."""
    node_ids = sorted(graph)
    edge_keys = sorted(graph.edges(keys=True))
    node_types, node_first, nodes_renamed = _column_types(graph.nodes[node] for node in node_ids)
    edges = graph.edges
    edge_types, edge_first, edges_renamed = _column_types(edges[key] for key in edge_keys)
    return FlatGraph(graph, _ordered_columns(node_types), _ordered_columns(edge_types), node_ids, edge_keys,
                     node_first, edge_first, nodes_renamed or edges_renamed)


def _column_types(rows: Iterator[dict]) -> tuple[dict[str, set[str]], dict[str, int], bool]:
    """The types each column's values flatten to, the first row with each column, whether a name was cleaned."""
    types: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    names: dict[object, str] = {}
    for index, row in enumerate(rows):
        for name, value in row.items():
            scalar = _scalar_type(value)
            if scalar is None:
                continue
            column = names.get(name)
            if column is None:
                column = names[name] = clean_text(str(name))
            seen = types.get(column)
            if seen is None:
                types[column] = {scalar}
                first[column] = index
            else:
                seen.add(scalar)
    return types, first, any(column != name for name, column in names.items())


def _scalar_type(value: object) -> str | None:
    """The type ``flat_value(value)`` has, without making it; None when it is dropped."""
    kind = type(value)
    if kind is str:
        return STRING
    if value is None:
        return None
    if kind is bool:
        return BOOLEAN
    if kind is int:
        return LONG
    if isinstance(value, float):
        return None if math.isnan(value) else DOUBLE
    if isinstance(value, dict):
        return STRING if value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return LONG
    return STRING


def _ordered_columns(types: dict[str, set[str]]) -> dict[str, str]:
    """Each column's one type, in column order.

    Readers (Gephi, igraph) declare one type per column: a column mixing numbers and
    text becomes text, integers mixed with floats become floats.
    """
    def place(name: str) -> tuple[int, str]:
        return (LEADING_COLUMNS.index(name) if name in LEADING_COLUMNS else len(LEADING_COLUMNS), name)

    return {name: _common_type(types[name]) for name in sorted(types, key=place)}


class _Rows:
    """Makes rows of one set of columns: ``_row`` with the columns to visit looked up once per set of attribute names.

    The nodes or edges of one kind share their attribute names, in the same order, so
    each row visits only the attributes it has (not every column) with no sorting;
    strings, integers and lists of strings, most of the values, are flattened here
    without a call per value (the same scalars as ``flat_value``).
    """

    def __init__(self, columns: dict[str, str], renamed: bool) -> None:
        self.columns = columns
        self.renamed = renamed
        self.plans: dict[tuple, list[tuple[str, str]]] = {}

    def __call__(self, data: dict) -> dict[str, Scalar]:
        if self.renamed:  # attribute names XML cannot carry, or not text: rare
            return _row(data, self.columns, True)
        names = tuple(data)
        plan = self.plans.get(names)
        if plan is None:
            plan = self.plans[names] = [(name, kind) for name, kind in self.columns.items() if name in data]
        row = {}
        for name, scalar_type in plan:
            value = data[name]
            kind = type(value)
            if kind is str:
                row[name] = _XML_FORBIDDEN.sub("", value)  # any column holding a str is a string column
                continue
            if kind is list and value and type(value[0]) is dict:  # records such as provenance: as flat_value has them
                row[name] = _compact_json(value)
                continue
            if kind is list and all(type(item) is str for item in value):
                row[name] = _XML_FORBIDDEN.sub("", "|".join(value))
                continue
            if kind is int and scalar_type == LONG:
                row[name] = value
                continue
            scalar = _converted(value, scalar_type)
            if scalar is not None:
                row[name] = scalar
        return row


def _row(data: dict, columns: dict[str, str], renamed: bool) -> dict[str, Scalar]:
    """One node's or edge's attributes flattened, converted to their column's type, in column order."""
    if renamed:
        data = {clean_text(str(name)): value for name, value in data.items()}
    row = {}
    for name, scalar_type in columns.items():
        value = data.get(name)
        if value is not None and (scalar := _converted(value, scalar_type)) is not None:
            row[name] = scalar
    return row


def _converted(value: object, scalar_type: str) -> Scalar | None:
    """``flat_value(value)`` in its column's type; None when there is nothing to write."""
    scalar = flat_value(value)
    if scalar is None:
        return None
    if scalar_type == DOUBLE:
        return float(scalar)
    if scalar_type == STRING and type(scalar) is not str:
        return plain_text(scalar)
    return scalar


def _common_type(types: set[str]) -> str:
    if len(types) == 1:
        return next(iter(types))
    if types <= {LONG, DOUBLE}:
        return DOUBLE
    return STRING


def plain_text(value: object) -> str:
    """The text of a scalar as XML and CSV readers expect it ("true", not "True")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# The json module's C encoder, made once: JSONEncoder.encode makes a new one for every value.
# No check for circular references (graph attributes are plain data): Python's own recursion limit stops one.
_COMPACT_JSON = json.encoder.c_make_encoder(
    None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ":", ",", True, False, True,
) if json.encoder.c_make_encoder else None


def _compact_json(value: object) -> str:
    if _COMPACT_JSON is None:  # a Python without the C encoder
        return clean_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    text = "".join(_COMPACT_JSON(value, 0))
    # JSON escapes every control character: only text beyond ASCII (a lone surrogate) can need cleaning
    return text if text.isascii() else clean_text(text)
