"""The GEXF, GraphML, CSV and HTML exports, each read back by real readers."""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.dates import parse_date
from kg.export import FORMATS, write_formats
from kg.export.flatten import clean_text, edge_id, flat_value, flatten_graph
from kg.export.gexf import RESERVED, to_gexf
from kg.export import layout as layouts
from kg.export.html import actor_communities, alias_rows, safe_json, safe_url, to_html
from kg.export.html import page_data as html_data
from kg.export.json import read_json, to_json, write_json
from kg.export.layout import layout
from kg.export.style import node_size
from kg.export.tables import to_tables
from kg.graph import build_graph
from kg.records import (
    BRACKET, GAZETTEER_ALIAS, AliasRule, Document, Entity, IssueLink, Mention, Relation, Source,
)

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = Path(__file__).resolve().parent / "js"

STALIN, SOONG, MONGOLIA, POLITBURO, BORDER = (
    "person:stalin", "person:t-v-soong", "place:outer-mongolia", "organization:politburo", "topic:border")


def sample_graph() -> nx.MultiDiGraph:
    """Dates at every precision, an undated document, a range, parallel edges and awkward text."""
    documents = [
        Document("doc-a", "Record of a Meeting between T.V. Soong and Stalin", parse_date("July 2, 1945"),
                 summary="Soong and Stalin discuss Outer Mongolia.\nSecond line \x0bwith a vertical tab\x00.",
                 url="https://digitalarchive.wilsoncenter.org/document/1", sources=(Source("p1.txt", 3),),
                 truncated=True),
        Document("doc-b", "Cable from Stalin to Soong", parse_date("July 1945"), summary="Soong | Stalin."),
        Document("doc-c", "Politburo decisions on Outer Mongolia", parse_date("1949-1950")),
        Document("doc-d", "Politburo note", parse_date("Undated")),
        Document("doc-e", "Politburo report", parse_date("1952")),
    ]
    entities = [
        Entity(STALIN, "person", "Stalin", ("Generalissimo Stalin", "Filippov")),
        Entity(SOONG, "person", "T. V. Soong", ("Soong",)),
        Entity(MONGOLIA, "place", "Outer Mongolia", (), "The Mongolian People's Republic"),
        Entity(POLITBURO, "organization", "Politburo"),
        Entity(BORDER, "topic", "border commission", period=("1949/1950-06",)),
    ]
    text = {d.doc_id: d for d in documents}

    def mention(doc: str, field: str, surface: str, entity: str, finder: str = "gazetteer") -> Mention:
        start = text[doc].field_text(field).index(surface)
        kind = entity.split(":")[0]
        return Mention(doc, field, start, start + len(surface), surface, kind, finder, entity_id=entity)

    mentions = [
        mention("doc-a", "title", "Stalin", STALIN), mention("doc-a", "summary", "Stalin", STALIN, "model"),
        mention("doc-a", "title", "Soong", SOONG), mention("doc-a", "summary", "Outer Mongolia", MONGOLIA),
        mention("doc-b", "title", "Soong", SOONG), mention("doc-b", "title", "Stalin", STALIN),
        mention("doc-c", "title", "Politburo", POLITBURO), mention("doc-c", "title", "Outer Mongolia", MONGOLIA),
        mention("doc-d", "title", "Politburo", POLITBURO), mention("doc-e", "title", "Politburo", POLITBURO),
    ]
    relations = [
        Relation("met", SOONG, STALIN, "doc-a", "Record of a Meeting between T.V. Soong and Stalin"),
        Relation("met", STALIN, SOONG, "doc-b", "Cable from Stalin to Soong"),
        Relation("wrote_to", STALIN, SOONG, "doc-b", "Cable from Stalin to Soong"),
        Relation("wrote", POLITBURO, "doc-c", "doc-c", "Politburo decisions on Outer Mongolia"),
    ]
    # an issue link made by cues, with the evidence every export must carry
    issues = [IssueLink("doc-c", BORDER, "cues", ("decisions",), ("Outer Mongolia", "Politburo"))]
    return build_graph(documents, entities, mentions, relations, issues)


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return sample_graph()


# -- flattening ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value, flat", [
    (None, None), ({}, None), (float("nan"), None), ("", ""), ([], ""), (True, True), (3, 3), (2.5, 2.5),
    (["a", "b"], "a|b"), (("a", 1, True), "a|1|true"), ({"b": 1, "a": "x"}, '{"a":"x","b":1}'),
    ([{"start": 4, "field": "title"}], '[{"field":"title","start":4}]'), ("a\x00b\x0bc\nd", "abc\nd"),
    ({"z", "a"}, "a|z"),
])
def test_flat_value(value, flat):
    assert flat_value(value) == flat


def test_clean_text_keeps_what_xml_allows():
    kept = "tab\tnewline\nreturn\r é 中 \U0001f600"
    assert clean_text(kept) == kept
    assert clean_text("\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800") == ""


def test_each_column_has_one_type():
    graph = nx.MultiDiGraph()
    graph.add_node("a", kind="x", n=1, mixed=1, flag=True, note=None, aliases=[])
    graph.add_node("b", kind="y", n=2.5, mixed="text", flag="maybe", extra={})
    flat = flatten_graph(graph)
    assert flat.node_columns == {"kind": "string", "aliases": "string", "flag": "string", "mixed": "string",
                                 "n": "double"}
    assert dict(flat.nodes) == {"a": {"kind": "x", "aliases": "", "flag": "true", "mixed": "1", "n": 1.0},
                                "b": {"kind": "y", "flag": "maybe", "mixed": "text", "n": 2.5}}


def test_flattened_schema(graph):
    flat = flatten_graph(graph)
    assert list(flat.node_columns)[:2] == ["label", "kind"]
    assert flat.node_columns["document_count"] == "long"
    assert flat.node_columns["truncated"] == "boolean"
    assert list(flat.edge_columns)[:2] == ["relation", "weight"]
    nodes = dict(flat.nodes)
    assert nodes[STALIN]["aliases"] == "Generalissimo Stalin|Filippov"
    assert nodes["doc-a"]["summary"] == "Soong and Stalin discuss Outer Mongolia.\nSecond line with a vertical tab."
    assert "document_count" not in nodes["doc-a"] and "date" not in nodes[STALIN]
    edges = {(s, t, k): a for s, t, k, a in flat.edges}
    provenance = json.loads(edges[("doc-a", STALIN, "mentions")]["provenance"])
    assert [(p["field"], p["finder"]) for p in provenance] == [("summary", "model"), ("title", "gazetteer")]
    assert edges[("doc-a", STALIN, "mentions")]["fields"] == "title|summary"
    assert edges[(STALIN, SOONG, "met")]["documents"] == "doc-b|doc-a"  # met: smaller id first; date order
    assert [e[:3] for e in flat.edges] == sorted(e[:3] for e in flat.edges)


# -- formats ------------------------------------------------------------------------------------
def test_write_formats_writes_every_file(tmp_path, graph):
    written = write_formats(graph, tmp_path)
    assert [p.name for p in written] == ["graph.json", "graph.html", "graph.gexf", "graph.graphml", "nodes.csv",
                                         "edges.csv"]
    assert all(p.parent == tmp_path.resolve() and p.stat().st_size > 0 for p in written)
    assert set(FORMATS) == {"json", "html", "gexf", "graphml", "csv"}
    assert [p.name for p in write_formats(graph, tmp_path / "only", ["csv"])] == ["nodes.csv", "edges.csv"]


def test_an_empty_graph_writes_every_format(tmp_path):
    written = write_formats(nx.MultiDiGraph(), tmp_path)
    assert len(written) == 6
    assert nx.read_gexf(tmp_path / "graph.gexf").number_of_nodes() == 0
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == 0
    assert (tmp_path / "nodes.csv").read_text(encoding="utf-8").splitlines() == ["Id,Label"]


def test_outputs_are_deterministic(tmp_path, graph):
    """Same graph, same bytes; also for the graph read back from graph.json."""
    first = write_formats(graph, tmp_path / "a")
    again = write_formats(sample_graph(), tmp_path / "b")
    write_json(graph, tmp_path / "graph.json")
    reread = write_formats(read_json(tmp_path / "graph.json"), tmp_path / "c")
    for a, b, c in zip(first, again, reread, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes(), a.name


def test_layout_is_deterministic_and_complete(graph):
    positions = layout(graph)
    assert set(positions) == set(graph)
    assert positions == layouts.compute_layout(sample_graph())  # computed afresh, not the kept layout
    assert len(set(positions.values())) == len(graph)


# -- GEXF ---------------------------------------------------------------------------------------
def expected_spells(graph) -> dict[str, list[tuple[str, str]]]:
    return {
        "doc-a": [("1945-07-02", "1945-07-02")], "doc-b": [("1945-07-01", "1945-07-31")],
        "doc-c": [("1949-01-01", "1950-12-31")], "doc-e": [("1952-01-01", "1952-12-31")],
        STALIN: [("1945-07-01", "1945-07-31")], SOONG: [("1945-07-01", "1945-07-31")],
        MONGOLIA: [("1945-07-02", "1945-07-02"), ("1949-01-01", "1950-12-31")],
        POLITBURO: [("1949-01-01", "1950-12-31"), ("1952-01-01", "1952-12-31")],
        BORDER: [("1949-01-01", "1950-12-31")],  # the issue lives on the dates of the document about it
    }


def test_gexf_structure(graph):
    root = ET.fromstring(to_gexf(graph))
    ns = {"g": "http://gexf.net/1.3"}
    assert root.get("version") == "1.3"
    element = root.find("g:graph", ns)
    assert (element.get("mode"), element.get("timeformat"), element.get("defaultedgetype")) == (
        "dynamic", "date", "directed")
    columns = {(a.get("title"), a.get("type")) for a in root.iterfind("g:graph/g:attributes/g:attribute", ns)}
    assert {("kind", "string"), ("document_count", "long"), ("truncated", "boolean"), ("relation", "string")} <= columns
    assert not {title for title, _ in columns} & RESERVED
    for node in root.iterfind(".//g:node", ns):
        assert node.find("{http://gexf.net/1.3/viz}color") is not None
        assert node.find("{http://gexf.net/1.3/viz}position") is not None
        assert node.find("{http://gexf.net/1.3/viz}size") is not None
    # nothing XML 1.0 forbids, not even as a character reference
    assert not re.search(r"&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[1-24-9]|2[0-9]|3[01]));", to_gexf(graph), re.I)


def test_gexf_read_by_networkx(tmp_path, graph):
    path = write_formats(graph, tmp_path, ["gexf"])[0]
    back = nx.read_gexf(path)
    flat = flatten_graph(graph)
    assert back.is_directed() and back.is_multigraph()  # parallel met / wrote_to edges survive
    assert set(back) == set(graph)
    positions = layout(graph)
    spells = expected_spells(graph)
    for node, attributes in flat.nodes:
        data = dict(back.nodes[node])
        viz = data.pop("viz")
        assert data.pop("spells", []) == spells.get(node, []), node
        assert data == attributes, node
        assert viz["size"] == pytest.approx(node_size(graph, node))
        assert (viz["position"]["x"], -viz["position"]["y"]) == pytest.approx(positions[node])
    assert "spells" not in back.nodes["doc-d"]
    edges = {(s, t, k): d for s, t, k, d in back.edges(keys=True, data=True)}
    assert len(edges) == graph.number_of_edges()
    for source, target, key, attributes in flat.edges:
        data = dict(edges[(source, target, edge_id(source, target, key))])
        spell = data.pop("spells", [])
        assert data.pop("label") == key and data.pop("id") == edge_id(source, target, key)
        assert data == {**attributes, "weight": float(attributes["weight"])}
        if key == "mentions":  # a mention lives on its document's dates
            assert spell == spells.get(source, []), (source, target)
    assert edges[(STALIN, SOONG, edge_id(STALIN, SOONG, "met"))]["spells"] == [("1945-07-01", "1945-07-31")]


@pytest.fixture(scope="session")
def graphology(tmp_path_factory):
    """Read a GEXF file with the npm package graphology-gexf, installed once into tests/js/node_modules."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to read GEXF with graphology-gexf (the second, independent reader)")
    if not (JS_DIR / "node_modules" / "graphology-gexf" / "package.json").is_file():
        try:
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=JS_DIR, check=True,
                           capture_output=True, text=True, timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
            pytest.skip(f"could not install graphology-gexf with npm ci in {JS_DIR}: {err.stderr or err}")

    def read(path: Path) -> dict:
        result = subprocess.run([node, str(JS_DIR / "read_gexf.js"), str(path)], capture_output=True, text=True,
                                check=True, timeout=120)
        return json.loads(result.stdout)

    return read


def test_gexf_read_by_graphology(tmp_path, graph, graphology):
    path = write_formats(graph, tmp_path, ["gexf"])[0]
    back = graphology(path)
    flat = flatten_graph(graph)
    positions = layout(graph)
    assert back["type"] == "directed" and back["multi"] is True
    assert set(back["nodes"]) == set(graph)
    for node, attributes in flat.nodes:
        data = dict(back["nodes"][node])
        assert data.pop("color").startswith("rgb(")
        assert data.pop("size") == pytest.approx(node_size(graph, node))
        assert (data.pop("x"), -data.pop("y")) == pytest.approx(positions[node])
        data.pop("z")
        assert data == attributes, node
    assert len(back["edges"]) == graph.number_of_edges()
    flat_edges = {edge_id(s, t, k): (s, t, a) for s, t, k, a in flat.edges}
    for edge in back["edges"]:
        source, target, attributes = flat_edges[edge["key"]]
        data = dict(edge["attributes"])
        assert (edge["source"], edge["target"], edge["undirected"]) == (source, target, False)
        assert data.pop("color").startswith("rgb(") and data.pop("thickness") > 0
        assert data.pop("kind") == data.pop("label") == attributes["relation"]
        assert data == attributes


# -- GraphML ------------------------------------------------------------------------------------
def test_graphml_read_by_networkx(tmp_path, graph):
    path = write_formats(graph, tmp_path, ["graphml"])[0]
    back = nx.read_graphml(path, force_multigraph=True)
    flat = flatten_graph(graph)
    assert back.is_directed()
    assert dict(back.nodes(data=True)) == dict(flat.nodes)
    edges = {(s, t, k): d for s, t, k, d in back.edges(keys=True, data=True)}
    assert edges == {(s, t, edge_id(s, t, k)): a for s, t, k, a in flat.edges}


def test_gexf_and_graphml_carry_why_each_alias_joined(tmp_path):
    """alias_rules, in_gazetteer and each mention's rule survive flattening, read back by networkx."""
    letter = Document("doc-a", "Telegram from Filippov [Stalin] to Mao Zedong", parse_date("January 2, 1950"))
    stalin = Entity(STALIN, "person", "Stalin", ("Filippov", "Generalissimo Stalin"),
                    alias_rules=(AliasRule("Filippov", BRACKET, ("doc-a",)), AliasRule("Generalissimo Stalin", GAZETTEER_ALIAS)),
                    in_gazetteer=True)
    start = letter.title.index("Filippov [Stalin]")
    mention = Mention("doc-a", "title", start, start + len("Filippov [Stalin]"), "Filippov [Stalin]", "person",
                      "gazetteer", entity_id=STALIN, rule=BRACKET)
    graph = build_graph([letter], [stalin], [mention], [])
    rules = {"Filippov": [{"rule": BRACKET, "documents": ["doc-a"]}],
             "Generalissimo Stalin": [{"rule": GAZETTEER_ALIAS, "documents": []}]}
    assert graph.nodes[STALIN]["alias_rules"] == rules
    gexf, graphml = write_formats(graph, tmp_path, ["gexf", "graphml"])
    for back in (nx.read_gexf(gexf), nx.read_graphml(graphml, force_multigraph=True)):
        node = back.nodes[STALIN]
        assert (json.loads(node["alias_rules"]), node["in_gazetteer"]) == (rules, True)
        (provenance,) = [json.loads(d["provenance"]) for s, t, d in back.edges(data=True) if t == STALIN]
        assert [(p["text"], p["rule"]) for p in provenance] == [("Filippov [Stalin]", BRACKET)]


def test_graphml_read_by_igraph(tmp_path, graph):
    igraph = pytest.importorskip("igraph", reason="python-igraph (test extra) reads GraphML independently")
    path = write_formats(graph, tmp_path, ["graphml"])[0]
    back = igraph.Graph.Read_GraphML(str(path))
    flat = flatten_graph(graph)
    assert back.is_directed()
    assert (back.vcount(), back.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    nodes = dict(flat.nodes)
    assert {v["id"] for v in back.vs} == set(nodes)
    for vertex in back.vs:
        # igraph gives every vertex every column: "" or NaN where a node has no value
        assert {k: vertex[k] for k in nodes[vertex["id"]]} == nodes[vertex["id"]]
    # igraph 1.0 does not keep GraphML edge ids: match edges by their ends and relation
    got = Counter()
    for edge in back.es:
        ends = (back.vs[edge.source]["id"], back.vs[edge.target]["id"], edge["relation"])
        got[ends] += 1
        attributes = next(a for s, t, _, a in flat.edges if (s, t, a["relation"]) == ends)
        assert {k: edge[k] for k in attributes} == attributes
    assert got == Counter((s, t, a["relation"]) for s, t, _, a in flat.edges)


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_tables(tmp_path, graph):
    nodes_path, edges_path = write_formats(graph, tmp_path, ["csv"])
    with nodes_path.open(newline="", encoding="utf-8") as stream:
        nodes = list(csv.DictReader(stream))
    with edges_path.open(newline="", encoding="utf-8") as stream:
        edges = list(csv.DictReader(stream))
    assert list(nodes[0])[:3] == ["Id", "Label", "kind"]
    assert {"aliases", "date", "document_count", "summary", "truncated"} <= set(nodes[0])
    assert list(edges[0])[:7] == ["Source", "Target", "Type", "Id", "Label", "Weight", "relation"]
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    by_id = {row["Id"]: row for row in nodes}
    assert by_id[STALIN]["Label"] == "Stalin" and by_id[STALIN]["aliases"] == "Generalissimo Stalin|Filippov"
    assert by_id[STALIN]["document_count"] == "2" and by_id[STALIN]["date"] == ""
    assert by_id["doc-a"]["truncated"] == "true" and "\n" in by_id["doc-a"]["summary"]
    assert by_id["doc-b"]["summary"] == "Soong | Stalin."
    types = {(row["Source"], row["Target"], row["relation"]): row["Type"] for row in edges}
    assert types[(STALIN, SOONG, "met")] == "Undirected"
    assert types[(STALIN, SOONG, "wrote_to")] == "Directed"
    assert {row["Id"] for row in edges} == {edge_id(s, t, k) for s, t, k in graph.edges(keys=True)}
    assert to_tables(graph) == (nodes_path.read_text(encoding="utf-8"), edges_path.read_text(encoding="utf-8"))


# -- HTML (the browser tests are in test_browser.py) -----------------------------------------------
def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_html_references_nothing_outside_the_file(graph):
    page = to_html(graph)
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|//)""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:|//)""", page, re.I)
    assert not re.search(r"@import", page)
    for pyvis_reference in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "lib/bindings", "node_modules", "tom-select"):
        assert pyvis_reference not in page
    tags = StartTags()
    tags.feed(page)
    assert [attrs for tag, attrs in tags.seen if tag == "script"] == [{"type": "application/json", "id": "kg-data"},
                                                                       {}, {}]
    assert [attrs for tag, attrs in tags.seen if tag == "link"] == [{"rel": "icon", "href": "data:,"}]
    for tag, attrs in tags.seen:
        for name in ("src", "href", "action", "poster", "srcset", "background"):
            assert name not in attrs or attrs[name].startswith("data:"), (tag, attrs)


class StartTags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))


def test_html_content_security_policy_allows_only_its_own_scripts(graph):
    page = to_html(graph)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_html_data(graph):
    data = html_data(graph)
    assert {n["id"] for n in data["nodes"]} == set(graph)
    # the page draws mentions from each document's list of names, and no issue links yet
    drawn = [(s, t, k) for s, t, k in graph.edges(keys=True) if k not in ("mentions", "about")]
    assert sorted((e["from"], e["to"], e["relation"]) for e in data["edges"]) == sorted(drawn)
    # mentions are drawn from each document's list of names: every one of them is there
    named = sorted((d, e) for d, info in data["info"].items() if info["kind"] == "document" for e in info["named"])
    assert named == sorted((s, t) for s, t, k in graph.edges(keys=True) if k == "mentions")
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert {k["kind"]: k["count"] for k in data["kinds"]} == {"person": 2, "organization": 1, "place": 1,
                                                               "topic": 1, "document": 5}
    assert data["start"] == {"kinds": ["person", "organization"], "unlinked": False}  # the actor network first
    stalin = data["info"][STALIN]
    assert stalin["aliases"] == [{"name": "Generalissimo Stalin"}, {"name": "Filippov"}]
    assert (stalin["first"], stalin["last"]) == ("1945-07", "1945-07-02")
    # a document lists what it names, most documented first, and where it names each:
    # in the summary where it can, else in the title
    doc_a = data["info"]["doc-a"]
    assert doc_a["named"] == [STALIN, SOONG, MONGOLIA]
    field, start, end = doc_a["spans"][0]
    assert field == "body" and graph.nodes["doc-a"]["summary"][start:end] == "Stalin"
    assert [span[0] for span in data["info"]["doc-c"]["spans"]] == ["title", "title"]
    # an issue a document is about by its cues, not by name, comes with the evidence of the link
    assert data["info"]["doc-c"]["about"] == [[BORDER, 'cues "decisions" next to Outer Mongolia, Politburo']]
    assert all(not info["about"] for d, info in data["info"].items() if info["kind"] == "document" and d != "doc-c")
    assert data["info"]["doc-a"]["url"] == "https://digitalarchive.wilsoncenter.org/document/1"
    assert data["info"]["doc-a"]["date"] == "July 2, 1945"
    assert data["info"]["doc-c"]["span"] == ["1949-01-01", "1950-12-31"] and data["info"]["doc-d"]["span"] is None
    by_id = {n["id"]: n for n in data["nodes"]}
    assert (by_id[STALIN]["partners"], by_id[STALIN]["documents"]) == (1, 2)
    assert by_id[STALIN]["rank"] < by_id[MONGOLIA]["rank"] < by_id["doc-a"]["rank"]  # who gets a label first
    assert all("title" not in n for n in data["nodes"])  # tooltips are built as DOM elements in the page


def test_a_graph_without_meetings_or_letters_opens_on_everything():
    graph = star_corpus_graph(20, entities=5)
    assert html_data(graph)["start"] == {"kinds": ["person", "organization", "place", "topic", "document"],
                                         "unlinked": True}


def test_actor_communities_are_louvain_groups_that_do_not_change_between_runs():
    graph = nx.MultiDiGraph()
    for group in "abc":
        for i in range(4):
            graph.add_node(f"person:{group}{i}", kind="person", label=f"{group}{i}", document_count=1)
        for i in range(4):
            for j in range(i + 1, 4):
                graph.add_edge(f"person:{group}{i}", f"person:{group}{j}", key="met", relation="met", weight=2)
    graph.add_edge("person:a0", "person:b0", key="wrote_to", relation="wrote_to", weight=1)
    graph.add_node("person:alone", kind="person", label="alone", document_count=1)
    def communities_of(graph):
        return actor_communities([(s, t, k, d) for s, t, k, d in graph.edges(keys=True, data=True) if k != "mentions"])

    communities = communities_of(graph)
    assert "person:alone" not in communities
    groups = {}
    for node, number in communities.items():
        groups.setdefault(number, set()).add(node[7])
    assert sorted(map(sorted, groups.values())) == [["a"], ["b"], ["c"]]
    assert communities == communities_of(graph.copy())
    legend = html_data(graph)["communities"]
    assert [c["size"] for c in legend] == [4, 4, 4] and all(c["color"].startswith("#") for c in legend)


def test_actors_beyond_the_louvain_core_join_the_community_they_are_most_linked_to(monkeypatch):
    import kg.export.html as html_export

    monkeypatch.setattr(html_export, "COMMUNITY_CORE", 2)
    edges = [(f"person:{a}", f"person:{b}", "met", {"weight": w}) for a, b, w in [
        ("hub1", "hub2", 1), ("hub1", "x", 3), ("hub1", "y", 1), ("hub2", "y", 5), ("x", "z", 1),
        ("hub1", "a", 1), ("hub1", "b", 1), ("hub2", "c", 1), ("hub2", "d", 1), ("lone1", "lone2", 1)]]
    communities = actor_communities(edges)
    core = {communities["person:hub1"], communities["person:hub2"]}
    assert communities["person:y"] == communities["person:hub2"]  # 5 against 1
    assert communities["person:x"] == communities["person:z"] == communities["person:hub1"]  # z through x
    assert set(communities.values()) == core
    assert "person:lone1" not in communities  # a component without a core actor stays grey


def test_a_long_chain_of_actors_joins_the_core_link_by_link(monkeypatch):
    import kg.export.html as html_export

    monkeypatch.setattr(html_export, "COMMUNITY_CORE", 2)
    chain = ["person:hub1", "person:hub2", *(f"person:p{i:04d}" for i in range(3000))]
    edges = [(a, b, "met", {"weight": 1}) for a, b in zip(chain, chain[1:])]
    communities = actor_communities(edges)
    assert set(communities) == set(chain)
    assert communities[chain[-1]] == communities["person:hub2"]


def test_alias_rows_carry_the_rules_that_joined_each_name():
    assert alias_rows({"aliases": ["Soong", "Dr. Soong"]}) == [{"name": "Soong"}, {"name": "Dr. Soong"}]
    rows = alias_rows({"aliases": ["Soong", "Dr. Soong"], "alias_rules": {
        "Soong": [{"rule": "surname in the same document", "documents": ["doc-a", "doc-b"]},
                  {"rule": "surname in the corpus", "documents": ["doc-c"]}],
        "Dr. Soong": [{"rule": "gazetteer alias", "documents": []}]}})
    assert rows == [
        {"name": "Soong", "rules": [{"rule": "surname in the same document", "documents": 2},
                                    {"rule": "surname in the corpus", "documents": 1}]},
        {"name": "Dr. Soong", "rules": [{"rule": "gazetteer alias", "documents": 0}]},
    ]


def test_json_in_script_cannot_close_the_element():
    text = safe_json({"s": "</script><!-- <script>&\u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><!-- <script>&\u2028\u2029"}


@pytest.mark.parametrize("url, safe", [
    ("https://digitalarchive.wilsoncenter.org/document/1", "https://digitalarchive.wilsoncenter.org/document/1"),
    ("http://example.org/x", "http://example.org/x"), ("javascript:alert(1)", ""), (" JavaScript:alert(1)", ""),
    ("data:text/html,<script>", ""), ("//evil.example/x", ""), ("", ""), ("https://", ""),
])
def test_safe_url(url, safe):
    assert safe_url(url) == safe


def test_only_the_html_export_imports_pyvis():
    importers = [p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py")
                 if re.search(r"^\s*(?:from|import)\s+pyvis", p.read_text(encoding="utf-8"), re.M)]
    assert importers == ["kg/export/html.py"]


# -- the sample corpus, end to end ----------------------------------------------------------------
@pytest.mark.model
def test_sample_corpus_exports(tmp_path, sample_corpus, graphology):
    from kg.pipeline import build

    graph = build([sample_corpus]).graph
    written = {p.name: p for p in write_formats(graph, tmp_path)}
    assert nx.read_gexf(written["graph.gexf"]).number_of_nodes() == graph.number_of_nodes()
    assert len(graphology(written["graph.gexf"])["edges"]) == graph.number_of_edges()
    back = nx.read_graphml(written["graph.graphml"], force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    with written["edges.csv"].open(newline="", encoding="utf-8") as stream:
        assert sum(1 for _ in csv.DictReader(stream)) == graph.number_of_edges()
    assert len(page_data(written["graph.html"].read_text(encoding="utf-8"))["nodes"]) == graph.number_of_nodes()
    again = {p.name: p for p in write_formats(read_json(written["graph.json"]), tmp_path / "again")}
    for name, path in written.items():
        assert path.read_bytes() == again[name].read_bytes(), name


def star_corpus_graph(documents: int, *, entities: int = 60) -> nx.MultiDiGraph:
    """Documents that each name three entities: entity 0 in every one, the others in fewer."""
    graph = nx.MultiDiGraph()
    for e in range(entities):
        graph.add_node(f"person:e{e:03d}", kind="person", label=f"E{e}", aliases=[])
    for d in range(documents):
        doc = f"doc-{d:05d}"
        graph.add_node(doc, kind="document", label=f"Document {d}", aliases=[], date=f"19{50 + d % 40}")
        for e in {0, 1 + d % (entities - 1), 1 + (d * 7) % (entities - 1)}:
            graph.add_edge(doc, f"person:e{e:03d}", key="mentions", relation="mentions", weight=1)
    for e in range(entities):
        node = f"person:e{e:03d}"
        graph.nodes[node]["document_count"] = graph.in_degree(node)
    return graph


def test_layout_of_a_graph_too_large_for_force_places_every_node_among_its_links(monkeypatch):
    monkeypatch.setattr(layouts, "FORCE_LAYOUT_LIMIT", 20)
    graph = star_corpus_graph(400)
    graph.add_node("topic:alone", kind="topic", label="alone", aliases=[], document_count=0)
    positions = layouts.compute_layout(graph)
    assert set(positions) == set(graph) and positions == layouts.compute_layout(graph)
    assert len(set(positions.values())) == len(graph)  # nudged apart, not stacked
    spread = max(abs(c) for xy in positions.values() for c in xy)

    def distance(a, b):
        return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5

    def centre(nodes):
        points = [positions[n] for n in nodes]
        return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)

    core = set(layouts.most_documented(graph, 20))
    placed_first = [d for d in graph if d.startswith("doc-") and set(graph.successors(d)) <= core]
    assert placed_first
    for doc in placed_first:  # beside the laid-out entities it names
        assert distance(positions[doc], centre(graph.successors(doc))) < 0.1 * spread, doc
    for entity in (n for n in graph if n.startswith("person:") and n not in core):  # among its documents
        docs = [d for d in graph.predecessors(entity) if graph.nodes[d]["kind"] == "document"]
        assert distance(positions[entity], centre(docs)) < 0.1 * spread, entity
    # Linked to nothing: on the outer ring.
    assert distance(positions["topic:alone"], (0, 0)) > 0.5 * spread


def test_large_graphs_are_drawn_as_an_overview_of_their_most_documented_entities(monkeypatch):
    import kg.export.html as html_export

    monkeypatch.setattr(html_export, "VIEW_LIMIT", 120)
    monkeypatch.setattr(html_export, "OVERVIEW_ENTITIES", 20)
    graph = star_corpus_graph(300)
    page = to_html(graph)
    data = page_data(page)
    drawn = {n["id"] for n in data["nodes"]}
    assert len(drawn) == 120 and set(data["info"]) == drawn
    entities = {n for n in drawn if n.startswith("person:")}
    assert len(entities) == 20 and "person:e000" in entities
    counts = sorted((graph.nodes[n]["document_count"] for n in graph if n.startswith("person:")), reverse=True)
    assert min(graph.nodes[n]["document_count"] for n in entities) >= counts[19]
    assert {(d, e) for d, info in data["info"].items() if info["kind"] == "document" for e in info["named"]} == {
        (s, t) for s, t in graph.edges() if s in drawn and t in drawn}
    assert "300 documents · 60 entities" in page and "Overview: 100 documents · 20 entities" in page
    # Small graphs are drawn whole, with no overview note.
    assert "Overview" not in to_html(sample_graph())


def test_the_overview_holds_the_graphs_own_attributes_not_a_copy(monkeypatch):
    import kg.export.html as html_export

    monkeypatch.setattr(html_export, "VIEW_LIMIT", 120)
    monkeypatch.setattr(html_export, "OVERVIEW_ENTITIES", 20)
    graph = star_corpus_graph(300)
    shown = html_export.overview(graph)
    copied = graph.subgraph(shown).copy()
    assert nx.is_frozen(shown) and len(shown) == 120
    assert sorted(shown.edges(keys=True, data=True)) == sorted(copied.edges(keys=True, data=True))
    assert {n: sorted(shown.pred[n]) for n in shown} == {n: sorted(copied.pred[n]) for n in copied}
    assert all(shown.nodes[n] is graph.nodes[n] for n in shown)
    assert all(shown.edges[e] is graph.edges[e] for e in shown.edges(keys=True))


def test_html_network_holds_each_node_once_however_many_links():
    graph = star_corpus_graph(50, entities=5)
    data = html_data(graph)
    ids = [n["id"] for n in data["nodes"]]
    assert sorted(ids) == sorted(graph)
    assert sum(len(info.get("named", [])) for info in data["info"].values()) == graph.number_of_edges()


def test_streamed_files_are_the_same_bytes_as_the_whole_text(graph, tmp_path):
    from kg.export.gexf import write_gexf

    assert write_gexf(graph, tmp_path / "g.gexf").read_text(encoding="utf-8") == to_gexf(graph)
    assert write_json(graph, tmp_path / "g.json").read_text(encoding="utf-8") == to_json(graph)
    assert json.loads(to_json(graph)) == nx.node_link_data(graph, edges="edges")  # read back: nothing lost


def test_issue_links_keep_their_evidence_in_every_format(tmp_path, graph):
    """The 'about' edge of a document linked by cues, read back from GEXF, GraphML, CSV and JSON."""
    from kg.export.json import read_json

    paths = {p.suffix: p for p in write_formats(graph, tmp_path, ["gexf", "graphml", "csv", "json"])}
    key = edge_id("doc-c", BORDER, "about")
    graphml = nx.read_graphml(paths[".graphml"], force_multigraph=True)
    gexf = nx.read_gexf(paths[".gexf"])
    for data in (graphml.edges["doc-c", BORDER, key], next(d for *_, d in gexf.edges(data=True) if d.get("id") == key)):
        assert (data["basis"], data["words"], data["entities"]) == ("cues", "decisions", "Outer Mongolia|Politburo")
        assert data["evidence"] == 'cues "decisions" next to Outer Mongolia, Politburo'
    assert graphml.nodes[BORDER]["period"] == "1949/1950-06"
    with (tmp_path / "edges.csv").open(encoding="utf-8") as f:
        (row,) = [r for r in csv.DictReader(f) if r["Id"] == key]
    assert (row["basis"], row["entities"]) == ("cues", "Outer Mongolia|Politburo")
    back = read_json(paths[".json"])
    assert back.edges["doc-c", BORDER, "about"]["entities"] == ["Outer Mongolia", "Politburo"]
    assert back.nodes[BORDER]["period"] == ["1949/1950-06"]
