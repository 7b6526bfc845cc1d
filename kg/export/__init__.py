"""Write the graph to files: JSON, Gephi formats, CSV tables and interactive HTML."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export.files import ExtraFiles, output_transaction
from kg.export.flatten import flatten_graph

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
#: Every file name a format writes: a build without them removes the previous build's.
OUTPUT_NAMES = frozenset({*(file_name for file_name, _ in FORMATS.values()), "edges.csv"})
#: Formats written from the flattened graph (``flat=``): one flattening serves them all.
FLAT_FORMATS = frozenset({"gexf", "graphml", "csv"})


def write_formats(
    graph: nx.MultiDiGraph,
    folder: str | Path,
    formats: Iterable[str] | None = None,
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    extra: ExtraFiles | None = None,
) -> list[Path]:
    """Write ``graph`` into ``folder`` in each of ``formats`` (all when None); the paths written.

    The files are one build: written aside and made current together, with a
    manifest, under a lock (``kg.export.files.output_transaction``); a failure leaves
    the folder as it was. ``options`` holds keyword options per format
    (``{"csv": {"formulas": True}}``); ``extra(transaction)`` writes more files into
    the same build (``transaction.path(name)``) and returns their paths.
    """
    options = options or {}
    staged: list[Path] = []
    flat = None
    with output_transaction(folder, replaces=OUTPUT_NAMES) as transaction:
        for name in formats or FORMATS:
            file_name, writer = FORMATS[name]
            module, function = writer.split(":")
            path = transaction.path(file_name)
            shared = {}
            if name in FLAT_FORMATS:
                # the column types and sorted ids, found once; each writer makes the rows as it reads them
                flat = flat or flatten_graph(graph)
                shared["flat"] = flat
            # a writer returns the path it wrote, or a list when it writes several files
            result = getattr(import_module(module), function)(graph, path, **shared, **options.get(name, {}))
            staged.extend(result if isinstance(result, list) else [path])
        if extra:
            staged.extend(extra(transaction))
    return [transaction.final(p) for p in staged]
