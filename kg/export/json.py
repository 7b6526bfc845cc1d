"""Write and read graph.json: networkx node-link JSON, byte-for-byte deterministic."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx

from kg.errors import KGError
from kg.export.files import atomic_write

_ITEMS_PER_PIECE = 256
_LITERALS = {True: "true", False: "false", None: "null"}
# The json module's own string escaper (its C version where it has one).
_string = json.encoder.encode_basestring


class GraphFileError(KGError):
    """graph.json is missing or is not a kg graph."""


def to_json(graph: nx.MultiDiGraph) -> str:
    return "".join(json_chunks(graph))


def json_chunks(graph: nx.MultiDiGraph) -> Iterator[str]:
    """graph.json in pieces, a few hundred nodes or edges at a time.

    The bytes are those of ``json.dumps(nx.node_link_data(graph, edges="edges"),
    ensure_ascii=False, sort_keys=True, indent=1)``, without node_link_data's copy of
    every node and edge, and without the json module's indenting encoder, which is pure
    Python and hands on every bracket and comma as a piece of its own.
    """
    edges = ({**data, "source": u, "target": v, "key": k} for u, v, k, data in graph.edges(keys=True, data=True))
    nodes = ({**graph.nodes[n], "id": n} for n in graph)
    yield f'{{\n "directed": {_LITERALS[graph.is_directed()]},\n "edges": '
    yield from _list(edges)
    yield f',\n "graph": {_encode(graph.graph, 1)},\n "multigraph": {_LITERALS[graph.is_multigraph()]},\n "nodes": '
    yield from _list(nodes)
    yield "\n}\n"


def _list(items: Iterable[dict]) -> Iterator[str]:
    """A list at the first level of the file, its items encoded a few hundred at a time."""
    pieces: list[str] = []
    started = False
    for item in items:
        pieces.append(_encode(item, 2))
        if len(pieces) == _ITEMS_PER_PIECE:
            yield ("[\n  " if not started else ",\n  ") + ",\n  ".join(pieces)
            pieces.clear()
            started = True
    if pieces:
        yield ("[\n  " if not started else ",\n  ") + ",\n  ".join(pieces)
        started = True
    yield "\n ]" if started else "[]"


def _encode(value: object, level: int) -> str:
    """``value`` as the json module writes it with ``indent=1, sort_keys=True, ensure_ascii=False``.

    The values most attributes hold (text, integers, lists of text) are written in the
    loop over their dict or list rather than by a call each: a graph has millions.
    """
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + " " * (level + 1)
        if _C_ENCODER and all(type(v) in _SCALARS for v in value.values()):
            return "{" + inner + "".join(_flat_encoder(level)(value, 0))[1:-1] + "\n" + " " * level + "}"
        parts = []
        for k, v in sorted(value.items()):
            item = type(v)
            if item is str:
                text = _string(v)
            elif item is int:
                text = int.__repr__(v)
            elif item is list and v and all(type(x) is str for x in v):
                deeper = inner + " "
                text = "[" + deeper + ("," + deeper).join(map(_string, v)) + inner + "]"
            else:
                text = _encode(v, level + 1)
            parts.append((_string(k) if type(k) is str else _key(k)) + ": " + text)
        return "{" + inner + ("," + inner).join(parts) + "\n" + " " * level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + " " * (level + 1)
        if _C_ENCODER and all(type(v) in _SCALARS for v in value):
            return "[" + inner + "".join(_flat_encoder(level)(value, 0))[1:-1] + "\n" + " " * level + "]"
        return "[" + inner + ("," + inner).join(_encode(v, level + 1) for v in value) + "\n" + " " * level + "]"
    if kind is bool or value is None:
        return _LITERALS[value]
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    # Anything rarer (a subclass, a value json cannot write): as the json module would have it.
    return "\n".join(line if i == 0 else " " * level + line for i, line in enumerate(
        json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).split("\n")))


_C_ENCODER = json.encoder.c_make_encoder
#: Values the json module writes without looking inside them.
_SCALARS = frozenset({str, int, float, bool, type(None)})
_FLAT_ENCODERS: dict[int, object] = {}


def _flat_encoder(level: int):
    """The json module's C encoder for a dict or list of scalars at ``level``.

    The C encoder does not indent, but with nothing nested inside, indenting is only
    the separator between items (",\\n" and the next level's spaces): its output
    between the brackets is the indented encoder's, at C speed (most of graph.json is
    such dicts, a mention's provenance, and such lists).
    """
    encoder = _FLAT_ENCODERS.get(level)
    if encoder is None:
        # no default (scalars only) and no check for cycles (nothing nested)
        encoder = _FLAT_ENCODERS[level] = _C_ENCODER(
            None, None, _string, None, ": ", ",\n" + " " * (level + 1), True, False, True)
    return encoder


def _key(key: object) -> str:
    if type(key) is str:
        return _string(key)
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]  # 1, True, None: as json turns them into text


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def write_json(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return atomic_write(path, json_chunks(graph))


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """The graph written by ``write_json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphFileError(f"{path}: no graph here; build one first with: kg build corpus/ --out {path.parent}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GraphFileError(f"{path}: not a readable graph.json ({err})") from None
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise GraphFileError(f"{path}: not a kg graph (expected node-link JSON with 'nodes' and 'edges')")
    try:
        return nx.node_link_graph(data, edges="edges", directed=True, multigraph=True)
    except (KeyError, TypeError, nx.NetworkXError) as err:
        raise GraphFileError(f"{path}: not a kg graph ({err})") from None
