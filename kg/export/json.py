"""Write and read graph.json: networkx node-link JSON, byte-for-byte deterministic."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from kg.errors import KGError
from kg.export.files import atomic_write


class GraphFileError(KGError):
    """graph.json is missing or is not a kg graph."""


def to_json(graph: nx.MultiDiGraph) -> str:
    return "".join(json_chunks(graph))


def json_chunks(graph: nx.MultiDiGraph) -> Iterator[str]:
    """graph.json in pieces, so that a large graph's file is written without being held whole."""
    data = nx.node_link_data(graph, edges="edges")
    yield from json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=1).iterencode(data)
    yield "\n"


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
