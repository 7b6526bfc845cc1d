"""Write the graph to files: JSON, Gephi formats, CSV tables and interactive HTML."""
from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

import networkx as nx

from kg.export.files import output_path

#: format name -> (file name, "module:function" that writes it). Imported lazily so
#: that writing JSON never needs pyvis.
FORMATS: dict[str, tuple[str, str]] = {
    "json": ("graph.json", "kg.export.json:write_json"),
    "html": ("graph.html", "kg.export.html:write_html"),
    "gexf": ("graph.gexf", "kg.export.gexf:write_gexf"),
    "graphml": ("graph.graphml", "kg.export.graphml:write_graphml"),
    # the writer also writes edges.csv beside nodes.csv and returns both paths
    "csv": ("nodes.csv", "kg.export.tables:write_tables"),
}


def write_formats(graph: nx.MultiDiGraph, folder: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
    """Write ``graph`` into ``folder`` in each of ``formats`` (all when None); the paths written."""
    written = []
    for name in formats or FORMATS:
        file_name, writer = FORMATS[name]
        module, function = writer.split(":")
        path = output_path(folder, file_name)
        # a writer returns the path it wrote, or a list when it writes several files
        result = getattr(import_module(module), function)(graph, path)
        written.extend(result if isinstance(result, list) else [path])
    return written
