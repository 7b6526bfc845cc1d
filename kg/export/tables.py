"""Write nodes.csv and edges.csv with the column names Gephi's spreadsheet import recognises."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from kg.export.files import atomic_write, output_path
from kg.export.flatten import edge_id, flatten_graph

EDGES_FILE = "edges.csv"
#: Relations stated without a direction: Gephi draws them as plain lines.
UNDIRECTED = frozenset({"met"})


def write_tables(graph: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write the node table to ``path`` and the edge table to edges.csv beside it; both paths."""
    path = Path(path)
    nodes_csv, edges_csv = to_tables(graph)
    return [atomic_write(path, nodes_csv), atomic_write(output_path(path.parent, EDGES_FILE), edges_csv)]


def to_tables(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The text of nodes.csv and edges.csv.

    nodes.csv: Id, Label, then every other node attribute (kind first).
    edges.csv: Source, Target, Type (Directed or Undirected), Id, Label (the relation),
    Weight, relation, then every other edge attribute. Lists are joined with "|";
    attributes a node or edge lacks are left empty.
    """
    flat = flatten_graph(graph)
    node_columns = [c for c in flat.node_columns if c != "label"]
    rows = [["Id", "Label", *node_columns]]
    for node, attributes in flat.nodes:
        rows.append([node, _cell(attributes.get("label", node)), *(_cell(attributes.get(c)) for c in node_columns)])
    nodes_csv = _csv(rows)

    edge_columns = [c for c in flat.edge_columns if c != "weight"]
    rows = [["Source", "Target", "Type", "Id", "Label", "Weight", *edge_columns]]
    for source, target, key, attributes in flat.edges:
        relation = str(attributes.get("relation", key))
        kind = "Undirected" if relation in UNDIRECTED else "Directed"
        rows.append([source, target, kind, edge_id(source, target, key), relation, _cell(attributes.get("weight", 1)),
                     *(_cell(attributes.get(c)) for c in edge_columns)])
    return nodes_csv, _csv(rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # "\n" rather than the csv module's "\r\n": Gephi reads both, and the files diff cleanly.
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
