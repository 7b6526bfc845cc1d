"""JSON, GEXF, GraphML and CSV are written in pieces: the bytes of the libraries' own writers, without a copy of the graph."""
from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import networkx as nx
import pytest
from test_export import sample_graph

from kg.export import write_formats
from kg.export.flatten import edge_id, flatten_graph
from kg.export.graphml import to_graphml, write_graphml
from kg.export.json import json_chunks, to_json, write_json
from kg.export.layout import layout


def awkward_graph() -> nx.MultiDiGraph:
    """Every kind of value and every character the writers must escape or refuse to carry."""
    graph = nx.MultiDiGraph(name="awkward", meta={"list": [1, {"b": None}]})
    odd = "a&<b>\"'\tx é 中 \U0001f600"
    graph.add_node(odd, kind="t\r\nx\ry \x00\x1f & <z> \"q\" 'é'", flag=True, n=1, f=2.5, l=[1, "x", [], {}, (2, 3)],
                   d={"k": [1], "z": {}}, numbered={2: "two", 1: "one"}, z=None, e=[], big=10**30, line="\u2028\x85")
    graph.add_node("b", kind="y", n=2, f=-0.0, nan=float("nan"), inf=float("-inf"))
    graph.add_node("c")
    graph.add_edge(odd, "b", key="mentions", relation="mentions", weight=1, provenance=[{"text": "é", "start": 3}])
    graph.add_edge("b", "c", key="met", relation="met", weight=2.0, flag=False)
    graph.add_edge("c", "b", key="met", relation="met", weight=1)
    return graph


GRAPHS = {"sample": sample_graph, "awkward": awkward_graph, "empty": nx.MultiDiGraph}


def networkx_graphml(graph: nx.MultiDiGraph) -> str:
    """What networkx's own writer gives for the flattened graph (kg's writer before it streamed)."""
    flat = flatten_graph(graph)
    simple = nx.MultiDiGraph()
    for node, attributes in flat.nodes:
        simple.add_node(node, **attributes)
    for source, target, key, attributes in flat.edges:
        simple.add_edge(source, target, key=edge_id(source, target, key), **attributes)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(nx.generate_graphml(simple)) + "\n"


@pytest.mark.parametrize("name", GRAPHS)
def test_graphml_is_the_bytes_networkx_writes(name):
    graph = GRAPHS[name]()
    assert to_graphml(graph) == networkx_graphml(graph)


@pytest.mark.parametrize("name", GRAPHS)
def test_json_is_the_bytes_the_json_module_writes(name):
    graph = GRAPHS[name]()
    data = nx.node_link_data(graph, edges="edges")
    assert to_json(graph) == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def test_the_awkward_graph_reads_back(tmp_path):
    graph = awkward_graph()
    back = nx.read_graphml(write_graphml(graph, tmp_path / "g.graphml"), force_multigraph=True)
    # An XML reader reads a line end in text as "\n" (networkx's writer leaves "\r" as it is).
    expected = {node: {name: value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value
                       for name, value in attributes.items()} for node, attributes in flatten_graph(graph).nodes}
    assert dict(back.nodes(data=True)) == expected
    assert sorted(back.edges(keys=True)) == sorted((s, t, edge_id(s, t, k)) for s, t, k in graph.edges(keys=True))
    assert write_graphml(graph, tmp_path / "g.graphml").read_text(encoding="utf-8") == to_graphml(graph)
    assert "".join(json_chunks(graph)) == write_json(graph, tmp_path / "g.json").read_text(encoding="utf-8")


def star_graph(documents: int) -> nx.MultiDiGraph:
    """Documents with a title, a summary and three mentions each; actors who met."""
    graph = nx.MultiDiGraph()
    people = documents // 3
    for d in range(documents):
        graph.add_node(f"doc-{d:05d}", kind="document", label=f"Report {d} on Outer Mongolia", title=f"Report {d}",
                       summary="Soong and Stalin discuss Outer Mongolia. " * 4, date=f"19{50 + d % 40}-0{1 + d % 9}",
                       sources=[f"p{d}.txt:3"], truncated=False, aliases=[])
    for e in range(people):
        graph.add_node(f"person:e{e}", kind="person", label=f"E{e}", aliases=[f"e{e}", f"E. {e}"], document_count=3)
    for d in range(documents):
        for e in {d % people, (d * 7) % people, (d * 13) % people}:
            graph.add_edge(f"doc-{d:05d}", f"person:e{e}", key="mentions", relation="mentions", weight=1,
                           fields=["summary"], provenance=[{"field": "summary", "start": 0, "end": 5, "text": "Soong"}])
        if d % 3 == 0:
            graph.add_edge(f"person:e{d % people}", f"person:e{(d + 1) % people}", key="met", relation="met",
                           weight=1, documents=[f"doc-{d:05d}"], dates=["1950"], evidence=["Record of a meeting"])
    return graph


# A measurement of an 8,000-document graph's exports (about 30 s in all): the full suite runs it, not --fast.
@pytest.mark.benchmark
@pytest.mark.parametrize("name, most", [("json", 0.15), ("graphml", 0.25), ("gexf", 0.4), ("csv", 0.3)])
def test_a_streamed_export_holds_no_copy_of_the_graph(tmp_path, name, most):
    """The memory an export takes beyond the graph, as a share of the graph's own (a copy would be 1 or more).

    What remains are the sorted lists of node and edge ids, an entity's dates (GEXF), and
    the pieces gathered for one write.
    """
    tracemalloc.start()
    try:
        graph = star_graph(8000)
        layout(graph)  # kept for the export (it belongs to the layout, shared with the HTML page)
        gc.collect()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        write_formats(graph, Path(tmp_path), [name])
        extra = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert extra < most * size, f"{name}: {extra / size:.2f} of the graph's memory"
