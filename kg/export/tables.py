"""Write nodes.csv and edges.csv with the column names Gephi's spreadsheet import recognises."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx

from kg.export.files import atomic_write, output_path
from kg.export.flatten import FlatGraph, edge_id, flatten_graph, plain_text

EDGES_FILE = "edges.csv"
#: Relations stated without a direction: Gephi draws them as plain lines.
UNDIRECTED = frozenset({"met"})
#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The most characters a spreadsheet cell holds (Excel, LibreOffice); longer cells are cut.
CELL_LIMIT = 32_767
#: Where a long list is cut, at the end of an item: "|" between plain items, "},{" between records.
_ITEM_ENDS = ("|", "},{")
_ROWS_PER_PIECE = 256


def write_tables(graph: nx.MultiDiGraph, path: str | Path, *, raw: bool = False,
                 flat: FlatGraph | None = None) -> list[Path]:
    """Write the node table to ``path`` and the edge table to edges.csv beside it; both paths.

    The rows are written in pieces as they are made: neither table is ever held whole.
    ``flat``: the graph already flattened (``flatten_graph``), if it is.
    """
    path = Path(path)
    flat = flat or flatten_graph(graph)
    return [atomic_write(path, node_table(flat, raw=raw)),
            atomic_write(output_path(path.parent, EDGES_FILE), edge_table(flat, raw=raw))]


def to_tables(graph: nx.MultiDiGraph, *, raw: bool = False) -> tuple[str, str]:
    """The text of nodes.csv and edges.csv.

    nodes.csv: Id, Label, then every other node attribute (kind first).
    edges.csv: Source, Target, Type (Directed or Undirected), Id, Label (the relation),
    Weight, relation, then every other edge attribute. Lists are joined with "|";
    attributes a node or edge lacks are left empty.

    Made safe for spreadsheets unless ``raw``: a text cell that begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that no program
    runs it as a formula (OWASP's advice); a cell longer than ``CELL_LIMIT`` characters
    is cut (a list at the end of an item) and ends with a marker saying how much was
    left out. graph.json keeps every value whole.
    """
    flat = flatten_graph(graph)
    return "".join(node_table(flat, raw=raw)), "".join(edge_table(flat, raw=raw))


def node_table(flat: FlatGraph, *, raw: bool = False) -> Iterator[str]:
    """nodes.csv (see ``to_tables``) in pieces of rows."""
    cell = _cell if raw else _safe_cell
    columns = [c for c in flat.node_columns if c != "label"]
    place = {c: i for i, c in enumerate(columns)}
    rows = ([cell(node), cell(attributes.get("label", node)), *_cells(attributes, place, raw)]
            for node, attributes in flat.nodes)
    return _csv_pieces(["Id", "Label", *columns], rows)


def edge_table(flat: FlatGraph, *, raw: bool = False) -> Iterator[str]:
    """edges.csv (see ``to_tables``) in pieces of rows."""
    cell = _cell if raw else _safe_cell
    columns = [c for c in flat.edge_columns if c != "weight"]
    place = {c: i for i, c in enumerate(columns)}

    def rows() -> Iterator[list[str]]:
        for source, target, key, attributes in flat.edges:
            relation = str(attributes.get("relation", key))
            kind = "Undirected" if relation in UNDIRECTED else "Directed"
            yield [cell(source), cell(target), kind, cell(edge_id(source, target, key)), cell(relation),
                   cell(attributes.get("weight", 1)), *_cells(attributes, place, raw)]

    return _csv_pieces(["Source", "Target", "Type", "Id", "Label", "Weight", *columns], rows())


def _cells(attributes: dict, place: dict[str, int], raw: bool) -> list:
    """A row's cells in ``place``'s columns: what ``_cell``/``_safe_cell`` make of each value.

    Only the values a row has are visited (most rows have a few of the columns), and
    numbers are left to the csv module, which writes them as ``str`` does; None is an
    empty cell to it too.
    """
    cells: list = [None] * len(place)
    for name, value in attributes.items():
        index = place.get(name)
        if index is None:  # the label or the weight, which have columns of their own
            continue
        kind = type(value)
        if kind is str:
            if not raw and (len(value) > CELL_LIMIT or value.startswith(FORMULA_STARTS)):
                value = _safe_cell(value)
        elif kind is bool:
            value = "true" if value else "false"
        cells[index] = value
    return cells


def _cell(value: object) -> str:
    return "" if value is None else plain_text(value)


def _safe_cell(value: object) -> str:
    if not isinstance(value, str):  # numbers and booleans are no formulas
        return _cell(value)
    if len(value) > CELL_LIMIT:
        value = _capped(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _capped(text: str) -> str:
    """``text`` cut to fit a cell with a marker, at the last item end that fits (linear in the cell)."""
    marker = f" … [cut: {len(text):,} characters in all; graph.json has the whole value]"
    room = CELL_LIMIT - len(marker) - 1  # 1 for a leading "'"
    cut = max(text.rfind(end, 0, room) for end in _ITEM_ENDS)
    if cut <= 0:
        cut = room
    elif text.startswith("},{", cut):
        cut += 1  # keep the record's closing brace
    return text[:cut] + marker


def _csv_pieces(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows``, a piece every ``_ROWS_PER_PIECE`` rows."""
    buffer = io.StringIO()
    # "\n" rather than the csv module's "\r\n": Gephi reads both, and the files diff cleanly.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for number, row in enumerate(rows, 1):
        writer.writerow(row)
        if number % _ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
