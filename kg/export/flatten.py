"""Flatten node and edge attributes to typed scalars for GEXF, GraphML and CSV."""
from __future__ import annotations

import json
import math
import re
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
    """The graph as rows of scalars with one type per column, sorted for deterministic output."""

    node_columns: dict[str, str]  # attribute -> scalar type, in column order
    edge_columns: dict[str, str]
    nodes: list[tuple[str, dict[str, Scalar]]]  # (node id, attributes), sorted by id
    edges: list[tuple[str, str, str, dict[str, Scalar]]]  # (source, target, key, attributes), sorted


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
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return _compact_json(value) if value else None
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if any(isinstance(item, dict | list | tuple) for item in items):
            return _compact_json(items)
        return clean_text("|".join("" if item is None else plain_text(item) for item in items))
    return clean_text(str(value))


def flatten_graph(graph: nx.MultiDiGraph) -> FlatGraph:
    """Every node and edge with flattened attributes, and the one type of each column."""
    nodes = [(node, _flat(graph.nodes[node])) for node in sorted(graph)]
    edges = [
        (source, target, key, _flat(data))
        for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    node_columns = _unify([attributes for _, attributes in nodes])
    edge_columns = _unify([attributes for *_, attributes in edges])
    # Attributes in column order, whatever order the graph was built in, so that the
    # same graph read back from graph.json writes the same bytes.
    nodes = [(node, _ordered(attributes, node_columns)) for node, attributes in nodes]
    edges = [(source, target, key, _ordered(attributes, edge_columns)) for source, target, key, attributes in edges]
    return FlatGraph(node_columns, edge_columns, nodes, edges)


def _ordered(attributes: dict[str, Scalar], columns: dict[str, str]) -> dict[str, Scalar]:
    return {name: attributes[name] for name in columns if name in attributes}


def _flat(data: dict) -> dict[str, Scalar]:
    flat = {}
    for name, value in data.items():
        scalar = flat_value(value)
        if scalar is not None:
            flat[clean_text(str(name))] = scalar
    return flat


def _unify(rows: list[dict[str, Scalar]]) -> dict[str, str]:
    """The type of each column, converting values in place so that each column has one type.

    Readers (Gephi, igraph) declare one type per column: a column mixing numbers and
    text becomes text, integers mixed with floats become floats.
    """
    seen: dict[str, set[str]] = {}
    for row in rows:
        for name, value in row.items():
            seen.setdefault(name, set()).add(_type_of(value))
    columns = {name: _common_type(types) for name, types in seen.items()}
    for row in rows:
        for name, value in row.items():
            row[name] = _convert(value, columns[name])
    def place(name: str) -> tuple[int, str]:
        return (LEADING_COLUMNS.index(name) if name in LEADING_COLUMNS else len(LEADING_COLUMNS), name)

    return {name: columns[name] for name in sorted(columns, key=place)}


def _type_of(value: Scalar) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return LONG
    if isinstance(value, float):
        return DOUBLE
    return STRING


def _common_type(types: set[str]) -> str:
    if len(types) == 1:
        return next(iter(types))
    if types <= {LONG, DOUBLE}:
        return DOUBLE
    return STRING


def _convert(value: Scalar, to: str) -> Scalar:
    if to == DOUBLE:
        return float(value)
    if to == STRING and not isinstance(value, str):
        return plain_text(value)
    return value


def plain_text(value: object) -> str:
    """The text of a scalar as XML and CSV readers expect it ("true", not "True")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compact_json(value: object) -> str:
    return clean_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
