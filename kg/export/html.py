"""Write graph.html: an offline explorer of the graph, opening on the actor network, with a timeline.

pyvis assembles the vis-network nodes, relation edges and options; the page around them
is our own, because pyvis's template loads bootstrap, tom-select and utils.js from CDNs
or a lib/ folder. Everything the page needs is inlined: the vis-network script and
stylesheet from the pyvis package, the data, and the code below. A Content Security
Policy forbids any network access and allows only the page's own two scripts (by
hash), so a crafted summary cannot run code even if some text were parsed as HTML.

What the page shows (its code is ``APP_JS``):

- first the actor network: people and organizations joined by ``met`` and
  ``wrote_to``, sized by documents or by links, coloured by kind or by community
  (Louvain, computed here with a fixed seed); documents, places and topics are one
  click away, and co-mentioned actors can be linked on demand;
- labels drawn by the page itself, most central first, never two over each other,
  more as the reader zooms in; hovering names any node;
- a timeline of documents per year (per month below three years) with a draggable
  range and a play button; a document counts for every day its date covers;
- panels with the evidence: an entity's names, dates, partners and documents with the
  sentence that names it; the documents behind a link; the trace of a place or topic.

Node details are data (JSON in a non-executed ``<script type="application/json">``,
with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped) turned into DOM with
``textContent``, never ``innerHTML``. Positions come from Python (kg.export.layout),
physics is off, so the page is interactive at once. Graphs above ``VIEW_LIMIT`` nodes
are shown as an overview of their most documented entities and the documents that
name most of them, and the page says so. The file is byte-for-byte the same for the
same graph.

The page's test interface, for tests and scripts: ``window.kg.ready`` (true once the
first view is drawn), ``window.kg.visibleLabels()`` (the labels drawn now, as
``{id, x, y, width, height}`` in screen pixels), ``window.kg.visibleCounts()``
(``{nodes, edges}`` drawn now) and ``window.kg.setDateRange(from, to)`` (ISO dates at
any precision, ``null`` for an open end).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
from pyvis.network import Network

from kg.export.files import atomic_write
from kg.dates import date_interval
from kg.export.layout import LAYOUT_SEED, layout, most_documented
from kg.export.style import KIND_ORDER, edge_width, kind_color, relation_color
from kg.graph import ACTOR_KINDS

#: A page holding more nodes than this parses and filters too slowly: a larger graph is
#: shown as an overview of its most documented entities (the page says so; the GEXF,
#: GraphML and JSON files hold all of it, and ``kg ego``/``kg trace`` draw any part).
VIEW_LIMIT = 20000
OVERVIEW_ENTITIES = 6000
VIS_FILES = "templates/lib/vis-9.1.2"
KIND_NAMES = {"person": "People", "organization": "Organizations", "place": "Places", "topic": "Topics",
              "document": "Documents"}
RELATION_NAMES = {"mentions": "names", "met": "met", "wrote_to": "wrote to", "wrote": "wrote"}
#: Relations drawn as edges of their own; "mentions" are drawn from each document's list of names.
DRAWN_RELATIONS = ("met", "wrote_to", "wrote")
ACTOR_RELATIONS = frozenset({"met", "wrote_to"})
DIRECTED = frozenset({"wrote_to", "wrote"})
LABEL_LENGTH = 48
SUMMARY_LENGTH = 1500  # longer single-document texts are cut in the panel; graph.json has them whole
#: Communities get a colour each, largest first; smaller ones and lone actors are grey.
COMMUNITY_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                    "#9c755f", "#86bcb6", "#d37295", "#a0cbe8")
COMMUNITY_MIN_SIZE = 3
COMMUNITY_CORE = 600

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def write_html(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return atomic_write(path, html_pieces(graph))


def to_html(graph: nx.MultiDiGraph) -> str:
    return "".join(html_pieces(graph))


def html_pieces(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The page in pieces, its data one top-level entry at a time: the page is never held whole."""
    shown = overview(graph) if len(graph) > VIEW_LIMIT else graph
    return _page(graph, shown, _json_object_pieces(page_data(shown)))


def overview(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The part of a large graph that the page draws: the ``OVERVIEW_ENTITIES`` most
    documented entities, and the documents that name most of them, up to ``VIEW_LIMIT``
    nodes in all, with every edge among them.

    It shares ``graph``'s attribute dicts (see ``_induced``): a build with every format
    holds one graph.
    """
    entities = most_documented(graph, OVERVIEW_ENTITIES)
    kept = set(entities)
    named = Counter(source for entity in entities for source in graph.predecessors(entity)
                    if graph.nodes[source].get("kind") == "document")
    documents = sorted(named, key=lambda d: (-named[d], graph.nodes[d].get("date") or "9999", d))
    return _induced(graph, kept | set(documents[:VIEW_LIMIT - len(kept)]))


def _induced(graph: nx.MultiDiGraph, nodes: set[str]) -> nx.MultiDiGraph:
    """The frozen subgraph of ``graph`` on ``nodes``, holding ``graph``'s own attribute dicts.

    Only the adjacency is new: ``graph.subgraph(nodes).copy()`` copies every node's and
    edge's attributes, and the subgraph view filters every edge each time it is read (the
    page took half as long again). networkx keeps a multigraph's attributes in ``_node``
    and in the key dicts of ``_succ`` and ``_pred``, which are shared here as they are.
    """
    induced = graph.__class__()
    induced.graph = graph.graph
    order = [node for node in graph if node in nodes]
    induced._node = {node: graph._node[node] for node in order}
    induced._succ = {node: {other: keys for other, keys in graph._succ[node].items() if other in nodes}
                     for node in order}
    induced._pred = {node: {other: keys for other, keys in graph._pred[node].items() if other in nodes}
                     for node in order}
    return nx.freeze(induced)


def _json_object_pieces(data: dict) -> Iterator[str]:
    """``safe_json(data)`` for a dict with text keys, one entry at a time (the same bytes)."""
    yield "{"
    for number, (key, value) in enumerate(data.items()):
        yield ("," if number else "") + safe_json(key) + ":" + safe_json(value)
    yield "}"


def safe_json(data: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators."""
    # ASCII output escapes U+2028 and U+2029 too, and is faster to write than UTF-8
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def safe_url(url: str) -> str:
    """``url`` when it is an http(s) link, else "" (no ``javascript:`` or ``data:`` links)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def page_data(graph: nx.MultiDiGraph) -> dict:
    """Everything the page's script reads: vis-network nodes, edges and options, and the panels' data."""
    drawn = _drawn_edges(graph)
    actor_edges = [edge for edge in drawn if edge[2] in ACTOR_RELATIONS and edge[0] != edge[1]]
    partners = relation_partners(actor_edges)
    communities = actor_communities(actor_edges)
    nodes, edges, _, _, _, options = _network(graph, drawn, partners, communities).get_network_data()
    return {
        "nodes": nodes, "edges": edges, "options": json.loads(options), "info": _info(graph),
        "kinds": _kinds(graph), "relations": _relations(graph), "communities": _community_legend(graph, communities),
        # Opens on the actor network when there is one; a graph without meetings or
        # letters (a trace, a corpus of reports) opens on everything.
        "start": {"kinds": list(ACTOR_KINDS) if actor_edges else list(KIND_ORDER), "unlinked": not actor_edges},
    }


# -- what is computed for the page --------------------------------------------------------------
Edge = tuple[str, str, str, dict]


def _drawn_edges(graph: nx.MultiDiGraph) -> list[Edge]:
    """The edges the page draws as edges of their own (all but mentions), in a fixed order."""
    return sorted(((s, t, k, d) for s, t, k, d in graph.edges(keys=True, data=True)
                   if d.get("relation", k) in DRAWN_RELATIONS), key=lambda e: e[:3])


def relation_partners(actor_edges: list[Edge]) -> dict[str, int]:
    """Per entity, how many others it met or wrote to or heard from (its degree in the actor network)."""
    linked: dict[str, set[str]] = defaultdict(set)
    for source, target, _, _ in actor_edges:
        linked[source].add(target)
        linked[target].add(source)
    return {node: len(others) for node, others in linked.items()}


def actor_communities(actor_edges: list[Edge]) -> dict[str, int]:
    """Louvain communities of the actor network (meetings and letters, weighted by documents), largest first.

    networkx's Louvain is pure Python (5 s for 5,000 actors on the shared machine), so
    it runs over the ``COMMUNITY_CORE`` actors with most partners; every other actor
    then joins the community it is most strongly linked to, nearest the core first, in
    time linear in the edges. Seeded, over nodes and edges in sorted order: the same graph gets the same
    communities.
    """
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for source, target, _, data in actor_edges:
        weights[(min(source, target), max(source, target))] += data.get("weight", 1)
    if not weights:
        return {}
    partners = relation_partners(actor_edges)
    core = set(sorted(partners, key=lambda n: (-partners[n], n))[:COMMUNITY_CORE])
    actors = nx.Graph()
    actors.add_nodes_from(sorted(core))
    actors.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()) if a in core and b in core)
    found = nx.community.louvain_communities(actors, weight="weight", seed=LAYOUT_SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {node: number for number, members in enumerate(ordered) for node in members}
    links: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (a, b), w in sorted(weights.items()):
        links[a].append((b, w))
        links[b].append((a, w))
    # An actor joins in the first round in which it is linked to a member, pulled by the
    # members of the rounds before; each round looks only at the actors linked to the last
    # round's, not at every actor still waiting (quadratic along a long chain of actors).
    joined = community
    while joined:
        frontier = sorted({other for node in joined for other, _ in links[node] if other not in community})
        joined = {}
        for node in frontier:
            pull: dict[int, float] = defaultdict(float)
            for other, w in links[node]:
                if other in community:
                    pull[community[other]] += w
            joined[node] = min(pull, key=lambda c: (-pull[c], c))
        community.update(joined)
    return community  # actors in components without a core actor are in none


def _community_legend(graph: nx.MultiDiGraph, communities: dict[str, int]) -> list[dict]:
    """The coloured communities with their best-documented members, for the legend."""
    members: dict[int, list[str]] = defaultdict(list)
    for node, number in communities.items():
        members[number].append(node)
    legend = []
    for number in sorted(members):
        if number >= len(COMMUNITY_COLORS) or len(members[number]) < COMMUNITY_MIN_SIZE:
            break
        best = sorted(members[number], key=lambda n: (-(graph.nodes[n].get("document_count") or 0), n))[:2]
        legend.append({"community": number, "color": COMMUNITY_COLORS[number], "size": len(members[number]),
                       "names": [_short(str(graph.nodes[n].get("label") or n)) for n in best]})
    return legend


def _label_rank(graph: nx.MultiDiGraph, partners: dict[str, int]) -> dict[str, int]:
    """The order in which labels claim space: actors with most partners, then most documents."""
    order = sorted(graph, key=lambda n: (graph.nodes[n].get("kind") == "document", -partners.get(n, 0),
                                         -(graph.nodes[n].get("document_count") or 0), n))
    return {node: rank for rank, node in enumerate(order)}


# -- the network --------------------------------------------------------------------------------
class _IdList(list):
    """A list of node ids that answers ``in`` from a set.

    pyvis keeps the ids in a list and tests membership for every node and both ends of
    every edge it adds: quadratic, hours at a hundred thousand documents.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, node_id) -> None:
        super().append(node_id)
        self._members.add(node_id)

    def __contains__(self, node_id) -> bool:
        return node_id in self._members


def _network(graph: nx.MultiDiGraph, drawn: list[Edge], partners: dict[str, int],
             communities: dict[str, int]) -> Network:
    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()
    positions = layout(graph)
    rank = _label_rank(graph, partners)
    attributes = dict(graph.nodes(data=True))
    named = {node: len(linked) for node, linked in graph.adjacency()}
    for node in sorted(attributes):
        data = attributes[node]
        kind = data.get("kind", "")
        x, y = positions[node]
        network.add_node(
            node, label=_short(str(data.get("label") or node)), shape="square" if kind == "document" else "dot",
            color=kind_color(kind), x=x, y=y, kind=kind, rank=rank[node],
            documents=named[node] if kind == "document" else data.get("document_count", 0) or 0,
            partners=partners.get(node, 0), community=communities.get(node, -1),
        )
    for index, (source, target, key, data) in enumerate(drawn):
        relation = data.get("relation", key)
        documents = [d for d in data.get("documents", []) if d in graph]
        evidence = {"evidence": [e for d, e in zip(data.get("documents", []), data.get("evidence", [])) if d in graph]}
        network.add_edge(
            source, target, id=f"e{index}", relation=relation, weight=data.get("weight", 1),
            width=edge_width(data.get("weight", 1)), documents=documents,
            **(evidence if relation in ACTOR_RELATIONS else {}),
            color={"color": relation_color(relation), "highlight": "#1d2733", "hover": "#1d2733", "opacity": 0.85},
            arrows={"to": {"enabled": relation in DIRECTED, "scaleFactor": 0.5}},
        )
    network.options = _options(len(drawn) > 2000)
    return network


def _options(big: bool) -> dict:
    return {
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3},
        "edges": {"smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.2},
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        # the links of a selected node keep their colours: black on every link of a hub hides which is which
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "keyboard": False,
                        "multiselect": False, "selectConnectedEdges": False},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": False},
    }


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


# -- the data behind tooltips and panels --------------------------------------------------------
def _info(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """Per node, what its tooltip and panels show. Documents are referred to by id.

    A document lists the entities it names (most documented first) and, in the same
    order, where the page finds the words naming each (``spans``), and the issues it is
    about without naming them (``about``: issue and evidence, from the "about" edges); the
    page derives each entity's documents from these lists rather than the file holding
    them twice.
    """
    info = {}
    attributes = dict(graph.nodes(data=True))  # plain dicts: networkx's views cost more than the work here
    successors = dict(graph.adjacency())
    count = {node: data.get("document_count") or 0 for node, data in attributes.items()}
    for node in sorted(attributes):
        data = attributes[node]
        if data.get("kind") == "document":
            interval = date_interval(data.get("date", ""), data.get("date_until", ""))
            linked = successors[node]
            body_field = "summary" if data.get("summary") else "text"
            named = sorted((e for e, keys in linked.items() if "mentions" in keys), key=lambda n: (-count[n], n))
            info[node] = {
                "kind": "document", "title": data.get("title") or data.get("label") or node,
                "date": data.get("date_text") or data.get("date") or "", "iso": data.get("date", ""),
                "span": list(interval) if interval else None,
                "summary": _clip(_body(data)), "truncated": bool(data.get("truncated")),
                "url": safe_url(data.get("url", "")), "named": named,
                "spans": [_evidence_span(body_field, linked[e]["mentions"].get("provenance", ())) for e in named],
                # issues it is about without naming them: the panel and the trace show them with the evidence
                "about": [[issue, linked[issue]["about"].get("evidence", "")] for issue in sorted(linked)
                          if "about" in linked[issue] and "mentions" not in linked[issue]],
            }
        else:
            info[node] = {
                "kind": data.get("kind", ""), "title": data.get("label") or node,
                "aliases": alias_rows(data), "description": data.get("description", ""),
                "count": data.get("document_count", 0), "first": data.get("first_date", ""),
                "last": data.get("last_date", ""),
            }
    return info


def alias_rows(data: dict) -> list[dict]:
    """An entity's other names as panel rows: ``{"name", "rules"}``, ``rules`` being why it was joined.

    ``rules`` lists ``{"rule", "documents"}`` from the node's ``alias_rules`` (see
    kg.graph): each rule that joined the name, and how many documents it did so in.
    """
    rules = data.get("alias_rules") or {}
    rows = []
    for alias in data.get("aliases", []):
        row: dict = {"name": alias}
        why = rules.get(alias) if isinstance(rules, dict) else None
        if isinstance(why, list):
            row["rules"] = [{"rule": str(r["rule"]), "documents": len(r.get("documents") or ())}
                            for r in why if isinstance(r, dict) and r.get("rule")]
        rows.append(row)
    return rows


def _body(data: dict) -> str:
    return data.get("summary") or data.get("text") or ""


def _evidence_span(body_field: str, provenance) -> list | None:
    """Where the page finds the words naming an entity: ``[field, start, end]``, in the body shown if it can
    (``body_field``: the document's field shown as its body, see ``_body``).

    Provenance is sorted by field and offset, so the first mention of a field is its earliest.
    """
    title = None
    for mention in provenance:
        field = mention.get("field")
        if field == body_field:
            end = mention.get("end", 0)
            if end < SUMMARY_LENGTH:
                return ["body", mention.get("start", 0), end]
        if field == "title" and title is None:
            title = ["title", mention.get("start", 0), mention.get("end", 0)]
    return title


def _clip(text: str) -> str:
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _kinds(graph: nx.MultiDiGraph) -> list[dict]:
    counts = Counter(d.get("kind", "") for _, d in graph.nodes(data=True))
    order = [k for k in KIND_ORDER if counts[k]] + sorted(k for k in counts if k not in KIND_ORDER)
    return [{"kind": k, "name": KIND_NAMES.get(k, k), "color": kind_color(k), "count": counts[k],
             "shape": "square" if k == "document" else "dot"} for k in order]


def _relations(graph: nx.MultiDiGraph) -> list[dict]:
    # Only what the page draws: the edges of their own, and the mentions from each document's list of names.
    counts = Counter(r for _, _, k, d in graph.edges(keys=True, data=True)
                     if (r := d.get("relation", k)) in DRAWN_RELATIONS or r == "mentions")
    return [{"relation": r, "name": RELATION_NAMES.get(r, r), "color": relation_color(r), "count": counts[r]}
            for r in sorted(counts, key=lambda r: (r == "mentions", r))]


# -- the page -----------------------------------------------------------------------------------
def _vis_file(name: str) -> str:
    return (resources.files("pyvis") / VIS_FILES / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(graph: nx.MultiDiGraph, shown: nx.MultiDiGraph, data_json: Iterable[str]) -> Iterator[str]:
    vis_js = _vis_file("vis-network.min.js")
    heading = _counts(graph)
    note = ""
    if shown is not graph:
        note = (f"<p class=\"kg-note\">Overview: {html.escape(_counts(shown))} shown, the most documented "
                "entities and the documents that name most of them. graph.gexf, graph.graphml and graph.json "
                "hold the whole graph; <code>kg ego NAME</code> and <code>kg trace NAME</code> draw any part.</p>")
    policy = "; ".join([
        "default-src 'none'", f"script-src {_csp_hash(vis_js)} {_csp_hash(APP_JS)}", "style-src 'unsafe-inline'",
        "img-src data:", "base-uri 'none'", "form-action 'none'",
    ])
    yield "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(policy)}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<title>Knowledge graph</title>\n<link rel=\"icon\" href=\"data:,\">\n",
        "<style>\n", _vis_file("vis-network.css"), "\n", PAGE_CSS, "</style>\n</head>\n<body>\n",
        "<header><h1>Knowledge graph</h1>",
        f"<span class=\"kg-counts\">{html.escape(heading)}</span>",
        "<span id=\"kg-view\" class=\"kg-view\" role=\"status\"></span>",
        "<label class=\"kg-search\"><span>Find</span>",
        "<input id=\"kg-search\" type=\"search\" list=\"kg-names\" autocomplete=\"off\" "
        "placeholder=\"a name, any spelling, or a document title\"></label>",
        "<datalist id=\"kg-names\"></datalist><span id=\"kg-status\" role=\"status\"></span>", note,
        "</header>\n",
        "<main><div id=\"kg-stage\"><div id=\"kg-network\"></div>",
        "<section id=\"kg-timeline\" aria-label=\"Timeline\"><div class=\"kg-timeline-bar\">",
        "<button id=\"kg-play\" type=\"button\">\u25b6 Play</button>",
        "<button id=\"kg-all-dates\" type=\"button\">All dates</button>",
        "<span id=\"kg-range\"></span></div><canvas id=\"kg-histogram\"></canvas></section></div>",
        "<aside id=\"kg-side\"><section id=\"kg-legend\" aria-label=\"Legend and filter\"></section>",
        "<section id=\"kg-details\" aria-live=\"polite\"></section></aside></main>\n",
        "<script type=\"application/json\" id=\"kg-data\">",
    ])
    yield from data_json
    yield "".join(["</script>\n", "<script>", vis_js, "</script>\n",
                   "<script>", APP_JS, "</script>\n</body>\n</html>\n"])


def _counts(graph: nx.MultiDiGraph) -> str:
    documents = sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "document")
    return f"{documents:,} documents · {len(graph) - documents:,} entities · {graph.number_of_edges():,} links"

PAGE_CSS = """
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #1d2733; background: #f6f7f9; }
body { display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 18px; padding: 8px 16px; background: #fff;
  border-bottom: 1px solid #dde1e6; flex-wrap: wrap; }
header h1 { font-size: 17px; margin: 0; }
.kg-counts, .kg-view { color: #5b6775; }
.kg-view button { all: unset; cursor: pointer; color: #0b5cad; margin-left: 6px; }
.kg-view button:hover, .kg-view button:focus { text-decoration: underline; }
.kg-note { flex-basis: 100%; margin: 0; color: #5b6775; }
.kg-search { display: flex; align-items: center; gap: 6px; margin-left: auto; }
.kg-search input { width: 320px; padding: 5px 8px; border: 1px solid #b8c0ca; border-radius: 4px; font: inherit; }
#kg-status { color: #a03a00; min-width: 6em; }
main { flex: 1; display: flex; min-height: 0; }
#kg-stage { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#kg-network { flex: 1; position: relative; background: #fff; min-height: 0; }
#kg-timeline { height: 118px; border-top: 1px solid #dde1e6; background: #fbfbfc; display: flex;
  flex-direction: column; }
.kg-timeline-bar { display: flex; align-items: center; gap: 10px; padding: 4px 12px 0; color: #5b6775; }
.kg-timeline-bar button { font: inherit; font-size: 13px; padding: 1px 10px; border: 1px solid #b8c0ca;
  border-radius: 4px; background: #fff; cursor: pointer; }
#kg-histogram { display: block; flex: 1; width: 100%; min-height: 0; cursor: crosshair; touch-action: none; }
#kg-side { width: 350px; overflow-y: auto; border-left: 1px solid #dde1e6; background: #fbfbfc; }
#kg-side section { padding: 12px 16px; }
#kg-legend { border-bottom: 1px solid #e4e7eb; }
#kg-side h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: #5b6775; margin: 10px 0 4px; }
#kg-side h2:first-child { margin-top: 0; }
.kg-row { display: flex; align-items: center; gap: 8px; padding: 1px 0; cursor: pointer; }
.kg-row .kg-count { margin-left: auto; color: #7a8592; font-variant-numeric: tabular-nums; }
.kg-swatch { display: inline-block; flex: none; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid rgba(0,0,0,.3); }
.kg-swatch.square { border-radius: 2px; }
.kg-line { display: inline-block; flex: none; width: 18px; height: 3px; border-radius: 2px; }
.kg-choice { display: flex; gap: 12px; flex-wrap: wrap; }
.kg-hint { color: #7a8592; }
.kg-card { max-width: 360px; white-space: normal; overflow-wrap: anywhere;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
#kg-details .kg-card { max-width: none; }
.kg-card-kind { display: flex; align-items: center; gap: 6px; color: #5b6775; font-size: 12px;
  text-transform: uppercase; letter-spacing: .04em; }
.kg-card-title { font-weight: 600; font-size: 15px; margin: 3px 0; }
.kg-card h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6775; margin: 12px 0 3px; }
.kg-card p { margin: 4px 0; }
.kg-card .kg-meta { color: #5b6775; }
.kg-card ul { margin: 3px 0; padding-left: 0; list-style: none; }
.kg-card li { margin: 0 0 6px; }
.kg-card .kg-evidence { color: #3c4956; font-size: 12.5px; margin: 1px 0 0; }
.kg-card mark { background: #ffe8a3; color: inherit; padding: 0 1px; }
.kg-card button.kg-jump { all: unset; cursor: pointer; color: #0b5cad; }
.kg-card button.kg-jump:hover, .kg-card button.kg-jump:focus { text-decoration: underline; }
.kg-card button.kg-action { font: inherit; font-size: 12px; margin: 6px 6px 0 0; padding: 1px 8px;
  border: 1px solid #b8c0ca; border-radius: 4px; background: #fff; cursor: pointer; }
.kg-card a { color: #0b5cad; }
.kg-card .kg-date { color: #5b6775; font-variant-numeric: tabular-nums; }
div.vis-tooltip { white-space: normal; max-width: 380px; padding: 8px 10px; background: #fff;
  border: 1px solid #b8c0ca; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,.15); font-family: inherit; }
"""

APP_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = data.info;
  var ACTOR = {person: true, organization: true};
  var ACTOR_RELATION = {met: true, wrote_to: true};
  var FADED = "#dfe3e8";
  var OTHER_COMMUNITY = "#b9c0c8";
  var COMENTION = {relation: "comention", name: "co-mentioned", color: "#a99bc0"};
  var COMENTION_LIMIT = 1500;
  var LABEL_BUDGET = 40;
  var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
  var LABEL_HEIGHT = 16;
  var DOCUMENTS_SHOWN = 25;
  var PLAY_STEP_MS = 900;

  var kindColor = {}, kindName = {};
  data.kinds.forEach(function (k) { kindColor[k.kind] = k.color; kindName[k.kind] = k.name; });
  var communityColor = {};
  data.communities.forEach(function (c) { communityColor[c.community] = c.color; });
  var relationName = {};
  data.relations.forEach(function (r) { relationName[r.relation] = r.name; });

  var nodeById = new Map();
  var documentIds = [];
  data.nodes.forEach(function (node) {
    nodeById.set(node.id, node);
    if (node.kind === "document") { documentIds.push(node.id); }
  });
  // Each entity's documents, in date order, with where each names it: from the documents' lists.
  documentIds.sort(function (a, b) { return compare(info[a].iso || "9999", info[b].iso || "9999") || compare(a, b); });
  data.nodes.forEach(function (node) {
    if (node.kind !== "document") { info[node.id].documents = []; info[node.id].spans = []; }
  });
  documentIds.forEach(function (doc) {
    var d = info[doc];
    d.named.forEach(function (e, i) {
      if (info[e] && info[e].documents) { info[e].documents.push(doc); info[e].spans.push(d.spans[i]); }
    });
    // an issue's documents include those about it by cues, with the evidence line instead of a span
    d.about.forEach(function (link) {
      var issue = info[link[0]];
      if (issue && issue.documents) { issue.documents.push(doc); issue.spans.push(link[1]); }
    });
  });
  var adjacent = new Map();
  data.edges.forEach(function (edge) {
    [edge.from, edge.to].forEach(function (id) {
      if (!adjacent.has(id)) { adjacent.set(id, []); }
      adjacent.get(id).push(edge);
    });
  });

  // -- small helpers: every piece of archive text goes through textContent --------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clip(text, limit) {
    text = String(text || "");
    return text.length > limit ? text.slice(0, limit - 1).replace(/\s+$/, "") + "\u2026" : text;
  }
  function httpUrl(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }
  function swatch(kind) {
    var mark = el("span", "kg-swatch" + (kind === "document" ? " square" : ""));
    mark.style.background = kindColor[kind] || "#555";
    return mark;
  }
  function button(className, text, action) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }
  function plural(count, one, many) { return count.toLocaleString("en-US") + " " + (count === 1 ? one : many); }
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function darker(color) {
    var value = color.replace("#", "");
    var out = "#";
    for (var i = 0; i < 6; i += 2) {
      var part = Math.floor(parseInt(value.slice(i, i + 2), 16) * 0.7).toString(16);
      out += part.length < 2 ? "0" + part : part;
    }
    return out;
  }

  // -- dates: ISO strings at their precision; a document covers every day of its date -----------
  var ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function lastDay(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }
  function parseIso(value) {
    var match = ISO.exec(String(value));
    if (!match) { throw new Error("kg: expected an ISO date such as 1950, 1950-03 or 1950-03-12, not " + value); }
    return match;
  }
  function dayFrom(value) {
    if (value === null || value === undefined || value === "") { return null; }
    var m = parseIso(value);
    return m[1] + "-" + (m[2] || "01") + "-" + (m[3] || "01");
  }
  function dayUntil(value) {
    if (value === null || value === undefined || value === "") { return null; }
    var m = parseIso(value);
    var month = m[2] || "12";
    return m[1] + "-" + month + "-" + (m[3] || pad(lastDay(+m[1], +month)));
  }
  function dateSpan(first, last) {
    if (!first) { return ""; }
    return first === last || !last ? first : first + " \u2013 " + last;
  }
  function isoDates(ids) {
    var dates = ids.map(function (d) { return info[d] ? info[d].iso : ""; }).filter(Boolean).sort();
    return dates.length ? dateSpan(dates[0], dates[dates.length - 1]) : "undated";
  }

  // -- what is shown: one state, one function that turns it into nodes and edges --------------
  var state = {
    kinds: {}, relations: {met: true, wrote_to: true, wrote: true, mentions: true}, comention: false,
    unlinked: data.start.unlinked, sizeBy: "documents", colorBy: "kind", from: null, to: null,
    focusId: null, focus: null, traceId: null, trace: null
  };
  data.kinds.forEach(function (k) { state.kinds[k.kind] = data.start.kinds.indexOf(k.kind) >= 0; });

  function ranged() { return state.from !== null || state.to !== null; }
  function documentInRange(id) {
    if (!ranged()) { return true; }
    var span = info[id].span;
    return !!span && (state.from === null || span[1] >= state.from) && (state.to === null || span[0] <= state.to);
  }
  function pairKey(a, b) { return a < b ? a + "\n" + b : b + "\n" + a; }

  var mentionEdges = new Map();
  function mentionEdge(doc, entity) {
    var key = doc + "\n" + entity;
    var edge = mentionEdges.get(key);
    if (!edge) {
      edge = {id: "m\n" + key, from: doc, to: entity, relation: "mentions", documents: [doc], weight: 1};
      mentionEdges.set(key, edge);
    }
    return edge;
  }

  function compute() {
    var inRange = new Set();
    documentIds.forEach(function (id) { if (documentInRange(id)) { inRange.add(id); } });
    var dated = new Map();  // entity -> documents in range naming it
    inRange.forEach(function (doc) {
      info[doc].named.forEach(function (e) { dated.set(e, (dated.get(e) || 0) + 1); });
      info[doc].about.forEach(function (link) { dated.set(link[0], (dated.get(link[0]) || 0) + 1); });
    });
    var shown = new Set();
    data.nodes.forEach(function (node) {
      var id = node.id;
      if (!state.kinds[node.kind] || (state.focus && !state.focus.has(id))) { return; }
      if (node.kind === "document" ? !inRange.has(id) : ranged() && !dated.has(id)) { return; }
      shown.add(id);
    });
    var edges = [];
    var related = new Set();
    data.edges.forEach(function (edge) {
      if (!state.relations[edge.relation] || !shown.has(edge.from) || !shown.has(edge.to)) { return; }
      if (ranged() && !edge.documents.some(function (d) { return inRange.has(d); })) { return; }
      edges.push(edge);
      if (ACTOR_RELATION[edge.relation]) { related.add(pairKey(edge.from, edge.to)); }
    });
    if (state.kinds.document && state.relations.mentions) {
      inRange.forEach(function (doc) {
        if (!shown.has(doc)) { return; }
        info[doc].named.forEach(function (e) { if (shown.has(e)) { edges.push(mentionEdge(doc, e)); } });
      });
    }
    var comentioned = 0;
    if (state.comention) {
      var counts = new Map();
      inRange.forEach(function (doc) {
        var named = info[doc].named.filter(function (e) { return shown.has(e); });
        for (var i = 0; i < named.length; i++) {
          for (var j = i + 1; j < named.length; j++) {
            var key = pairKey(named[i], named[j]);
            counts.set(key, (counts.get(key) || 0) + 1);
          }
        }
      });
      var pairs = [];
      counts.forEach(function (weight, key) { if (!related.has(key)) { pairs.push([key, weight]); } });
      pairs.sort(function (a, b) { return b[1] - a[1] || compare(a[0], b[0]); });
      comentioned = pairs.length;
      pairs.slice(0, COMENTION_LIMIT).forEach(function (pair) {
        var ends = pair[0].split("\n");
        edges.push({id: "c\n" + pair[0] + "\n" + pair[1], from: ends[0], to: ends[1], relation: "comention",
                    weight: pair[1]});
      });
    }
    if (!state.unlinked) {
      var linked = new Set();
      edges.forEach(function (edge) { linked.add(edge.from); linked.add(edge.to); });
      shown.forEach(function (id) {
        if (ACTOR[nodeById.get(id).kind] && !linked.has(id) && id !== state.focusId && id !== state.traceId) {
          shown.delete(id);
        }
      });
    }
    return {nodes: shown, edges: edges, inRange: inRange, comentioned: comentioned};
  }

  // -- drawing: vis-network holds exactly what is shown ------------------------------------------
  function nodeSize(node) {
    if (node.kind === "document") { return 5 + 1.2 * Math.sqrt(node.documents); }
    var measure = state.sizeBy === "degree" ? node.partners : node.documents;
    return Math.min(8 + 4 * Math.sqrt(measure || 0), 40);
  }
  function nodeColor(node) {
    var color = kindColor[node.kind] || "#555";
    if (state.colorBy === "community" && ACTOR[node.kind]) {
      color = communityColor[node.community] || OTHER_COMMUNITY;
    }
    if (state.trace && !state.trace.has(node.id)) {
      return {background: FADED, border: "#c8ced6", highlight: {background: color, border: "#1d2733"},
              hover: {background: color, border: "#1d2733"}};
    }
    return {background: color, border: darker(color), highlight: {background: color, border: "#1d2733"},
            hover: {background: color, border: "#1d2733"}};
  }
  var tooltips = new Map();
  function tooltip(id) {
    if (!tooltips.has(id)) { tooltips.set(id, buildCard(id, false)); }
    return tooltips.get(id);
  }
  function visNode(id) {
    var node = nodeById.get(id);
    return {id: id, x: node.x, y: node.y, shape: node.shape, size: nodeSize(node), color: nodeColor(node),
            title: tooltip(id), kind: node.kind};
  }
  function edgeTooltip(edge) {
    var card = el("div", "kg-card");
    var a = info[edge.from].title, b = info[edge.to].title;
    if (edge.relation === "comention") {
      card.appendChild(el("div", "kg-card-title", a + " \u00b7 " + b));
      card.appendChild(el("p", "kg-meta", "named together in " + plural(edge.weight, "document", "documents")));
    } else {
      card.appendChild(el("div", "kg-card-title", a + " \u2014 " + (relationName[edge.relation] || edge.relation) +
        " \u2192 " + b));
      card.appendChild(el("p", "kg-meta", plural(edge.documents.length, "document", "documents") + ", " +
        isoDates(edge.documents) + " \u00b7 click for the documents"));
    }
    return card;
  }
  function visEdge(edge) {
    var item = {id: edge.id, from: edge.from, to: edge.to, relation: edge.relation};
    if (edge.relation !== "mentions") { item.title = edgeTooltip(edge); }
    if (edge.relation === "comention") {
      item.color = {color: COMENTION.color, highlight: "#1d2733", hover: "#1d2733", opacity: 0.7};
      item.width = Math.min(1 + 1.5 * Math.log2(Math.max(edge.weight, 1)), 8);
      item.smooth = false;
    } else if (edge.relation === "mentions") {
      item.color = {color: "#c9ced4", highlight: "#1d2733", hover: "#1d2733", opacity: 0.6};
      item.width = 1;
      item.smooth = false;
    } else {
      item.color = edge.color;
      item.width = edge.width;
      item.arrows = edge.arrows;
    }
    return item;
  }

  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  var current = {nodes: new Set(), edges: new Map(), inRange: new Set(), comentioned: 0};
  var labelOrder = [];

  function refresh() {
    var view = compute();
    var dropNodes = [], addNodes = [], dropEdges = [], addEdges = [];
    var nextEdges = new Map();
    view.edges.forEach(function (edge) { nextEdges.set(edge.id, edge); });
    current.edges.forEach(function (edge, id) { if (!nextEdges.has(id)) { dropEdges.push(id); } });
    current.nodes.forEach(function (id) { if (!view.nodes.has(id)) { dropNodes.push(id); } });
    view.nodes.forEach(function (id) { if (!current.nodes.has(id)) { addNodes.push(visNode(id)); } });
    nextEdges.forEach(function (edge, id) { if (!current.edges.has(id)) { addEdges.push(visEdge(edge)); } });
    edges.remove(dropEdges);
    nodes.remove(dropNodes);
    nodes.add(addNodes);
    edges.add(addEdges);
    current = {nodes: view.nodes, edges: nextEdges, inRange: view.inRange, comentioned: view.comentioned};
    labelOrder = Array.from(view.nodes).sort(function (a, b) { return nodeById.get(a).rank - nodeById.get(b).rank; });
    updateCounts();
    drawTimeline();
  }
  function restyle() {
    var updates = [];
    current.nodes.forEach(function (id) {
      var node = nodeById.get(id);
      updates.push({id: id, size: nodeSize(node), color: nodeColor(node)});
    });
    nodes.update(updates);
  }

  // -- labels: drawn by the page, most central first, never over each other --------------------
  var widths = new Map();
  var drawnLabels = [];
  var baseScale = 1;
  var started = false;  // the first view's data is in place: the next drawing makes the page ready
  function labelText(id) { return nodeById.get(id).label; }
  function labelWidth(ctx, text) {
    if (!widths.has(text)) { widths.set(text, Math.ceil(ctx.measureText(text).width) + 6); }
    return widths.get(text);
  }
  function overlapsAny(grid, box) {
    for (var cx = Math.floor(box.x / 64); cx <= Math.floor((box.x + box.width) / 64); cx++) {
      for (var cy = Math.floor(box.y / 64); cy <= Math.floor((box.y + box.height) / 64); cy++) {
        var cell = grid.get(cx + ":" + cy);
        if (cell && cell.some(function (o) {
          return box.x < o.x + o.width && o.x < box.x + box.width && box.y < o.y + o.height && o.y < box.y + box.height;
        })) { return true; }
      }
    }
    return false;
  }
  function claim(grid, box) {
    for (var cx = Math.floor(box.x / 64); cx <= Math.floor((box.x + box.width) / 64); cx++) {
      for (var cy = Math.floor(box.y / 64); cy <= Math.floor((box.y + box.height) / 64); cy++) {
        var key = cx + ":" + cy;
        if (!grid.has(key)) { grid.set(key, []); }
        grid.get(key).push(box);
      }
    }
  }
  function placeLabels(ctx) {
    var view = network.body.view, scale = view.scale, tx = view.translation.x, ty = view.translation.y;
    var width = container.clientWidth, height = container.clientHeight;
    var budget = Math.round(LABEL_BUDGET * Math.max(1, scale / baseScale));
    var first = network.getSelectedNodes().concat([state.focusId, state.traceId]).filter(Boolean);
    var order = first.concat(labelOrder);
    var grid = new Map(), boxes = [], taken = new Set();
    for (var i = 0; i < order.length && boxes.length < budget; i++) {
      var id = order[i], body = network.body.nodes[id];
      if (taken.has(id) || !body || !current.nodes.has(id)) { continue; }
      var x = body.x * scale + tx, y = body.y * scale + ty;
      if (x < 0 || y < 0 || x > width || y > height) { continue; }
      var text = labelText(id), w = labelWidth(ctx, text);
      var box = {id: id, text: text, x: x - w / 2, y: y + (body.options.size || 8) * scale + 1, width: w,
                 height: LABEL_HEIGHT};
      if (box.x < 0 || box.y < 0 || box.x + w > width || box.y + LABEL_HEIGHT > height) { continue; }
      if (overlapsAny(grid, box)) { continue; }
      claim(grid, box);
      boxes.push(box);
      taken.add(id);
    }
    return boxes;
  }
  network.on("afterDrawing", function (ctx) {
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = LABEL_FONT;
    drawnLabels = placeLabels(ctx);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.fillStyle = "#1d2733";
    drawnLabels.forEach(function (box) {
      var cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      ctx.strokeText(box.text, cx, cy);
      ctx.fillText(box.text, cx, cy);
    });
    ctx.restore();
    if (started && !kg.ready) {
      kg.readyAt = performance.now();
      kg.ready = true;
      setTimeout(buildSearch, 0);
    }
  });

  // -- the timeline: documents per year (per month below three years) -----------------------------
  var histogram = document.getElementById("kg-histogram");
  var rangeText = document.getElementById("kg-range");
  var playButton = document.getElementById("kg-play");
  var timeline = buildTimeline();
  var selection = null;  // {first, last} bucket indices while a range is set
  function buildTimeline() {
    var spans = documentIds.map(function (id) { return info[id].span; }).filter(Boolean);
    var result = {buckets: [], unit: "year", of: new Map(), undated: documentIds.length - spans.length};
    if (!spans.length) { return result; }
    var low = spans.reduce(function (m, s) { return s[0] < m ? s[0] : m; }, spans[0][0]);
    var high = spans.reduce(function (m, s) { return s[1] > m ? s[1] : m; }, spans[0][1]);
    var y0 = +low.slice(0, 4), y1 = +high.slice(0, 4);
    var byMonth = y1 - y0 < 3;
    result.unit = byMonth ? "month" : "year";
    var m0 = byMonth ? +low.slice(5, 7) : 1;
    function index(day) {
      var y = +day.slice(0, 4);
      return byMonth ? (y - y0) * 12 + (+day.slice(5, 7)) - m0 : y - y0;
    }
    var count = index(high) + 1;
    for (var i = 0; i < count; i++) {
      if (byMonth) {
        var month = (m0 - 1 + i) % 12 + 1, year = y0 + Math.floor((m0 - 1 + i) / 12);
        result.buckets.push({label: year + "-" + pad(month), start: year + "-" + pad(month) + "-01",
                             end: year + "-" + pad(month) + "-" + pad(lastDay(year, month))});
      } else {
        result.buckets.push({label: String(y0 + i), start: (y0 + i) + "-01-01", end: (y0 + i) + "-12-31"});
      }
    }
    documentIds.forEach(function (id) {
      var span = info[id].span;
      if (span) { result.of.set(id, [index(span[0]), index(span[1])]); }
    });
    return result;
  }
  function histogramGeometry() {
    var width = histogram.clientWidth, height = histogram.clientHeight;
    var left = 12, right = 12, n = Math.max(timeline.buckets.length, 1);
    return {width: width, height: height, left: left, step: (width - left - right) / n, base: height - 16};
  }
  function drawTimeline() {
    var ratio = window.devicePixelRatio || 1;
    var g = histogramGeometry();
    if (histogram.width !== Math.round(g.width * ratio) || histogram.height !== Math.round(g.height * ratio)) {
      histogram.width = Math.round(g.width * ratio);
      histogram.height = Math.round(g.height * ratio);
    }
    var ctx = histogram.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, g.width, g.height);
    var n = timeline.buckets.length;
    var all = new Array(n).fill(0), exact = new Array(n).fill(0), shown = new Array(n).fill(0);
    var traced = new Array(n).fill(0);
    timeline.of.forEach(function (range, id) {
      var visible = current.inRange.has(id);
      var inTrace = state.trace && state.trace.has(id);
      for (var i = range[0]; i <= range[1]; i++) {
        all[i] += 1;
        if (range[0] === range[1]) { exact[i] += 1; }
        if (visible) { shown[i] += 1; }
        if (inTrace) { traced[i] += 1; }
      }
    });
    var peak = Math.max.apply(null, all.concat([1]));
    var usable = g.base - 6;
    for (var i = 0; i < n; i++) {
      var x = g.left + i * g.step, w = Math.max(g.step - 1, 1);
      var h = all[i] / peak * usable, he = exact[i] / peak * usable;
      var inside = !selection || (i >= selection.first && i <= selection.last);
      ctx.fillStyle = inside ? "#b6c8dc" : "#e1e5ea";  // documents dated only to a wider span
      ctx.fillRect(x, g.base - h, w, h);
      ctx.fillStyle = inside ? "#4f7299" : "#c9d0d8";
      ctx.fillRect(x, g.base - he, w, he);
      if (traced[i]) {
        var ht = traced[i] / peak * usable;
        ctx.fillStyle = "#d55e00";
        ctx.fillRect(x + w * 0.2, g.base - ht, Math.max(w * 0.6, 1), ht);
      }
    }
    ctx.fillStyle = "#5b6775";
    ctx.font = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    var every = Math.max(1, Math.ceil(48 / Math.max(g.step, 0.01)));
    for (var t = 0; t < n; t += every) {
      ctx.fillText(timeline.buckets[t].label, g.left + t * g.step, g.base + 2);
    }
    if (selection) {
      var sx = g.left + selection.first * g.step, ex = g.left + (selection.last + 1) * g.step;
      ctx.fillStyle = "#1d2733";
      ctx.fillRect(sx - 1, 2, 2, g.base - 2);
      ctx.fillRect(ex - 1, 2, 2, g.base - 2);
      ctx.fillRect(sx - 4, g.base / 2 - 8, 8, 16);
      ctx.fillRect(ex - 4, g.base / 2 - 8, 8, 16);
    }
    var what = plural(current.inRange.size, "document", "documents");
    if (ranged()) {
      rangeText.textContent = (state.from || "\u2026") + " \u2013 " + (state.to || "\u2026") + " \u00b7 " + what +
        " in range";
    } else {
      rangeText.textContent = "All dates \u00b7 " + what + (timeline.undated ? " (" + timeline.undated +
        " undated)" : "") + " \u00b7 drag on the timeline to choose a range";
    }
  }
  function selectBuckets(first, last) {
    var n = timeline.buckets.length;
    if (!n) { return; }
    first = Math.max(0, Math.min(first, n - 1));
    last = Math.max(first, Math.min(last, n - 1));
    selection = {first: first, last: last};
    state.from = timeline.buckets[first].start;
    state.to = timeline.buckets[last].end;
    refresh();
  }
  function clearRange() {
    selection = null;
    state.from = state.to = null;
    refresh();
  }
  function setDateRange(from, to) {
    var start = dayFrom(from), end = dayUntil(to);
    if (start === null && end === null) { stopPlaying(); clearRange(); return visibleCounts(); }
    state.from = start;
    state.to = end;
    var b = timeline.buckets, first = 0, last = b.length - 1;
    while (first < b.length && start !== null && b[first].end < start) { first++; }
    while (last >= 0 && end !== null && b[last].start > end) { last--; }
    selection = first <= last ? {first: first, last: last} : null;
    refresh();
    return visibleCounts();
  }
  var drag = null;
  function bucketAt(event) {
    var g = histogramGeometry(), rect = histogram.getBoundingClientRect();
    var x = event.clientX - rect.left;
    return {x: x, index: Math.floor((x - g.left) / g.step), g: g};
  }
  var pendingDrag = null;
  function dragTo(first, last) {
    pendingDrag = [first, last];
    requestAnimationFrame(function () {
      if (pendingDrag) { selectBuckets(pendingDrag[0], pendingDrag[1]); pendingDrag = null; }
    });
  }
  histogram.addEventListener("pointerdown", function (event) {
    if (!timeline.buckets.length) { return; }
    stopPlaying();
    var at = bucketAt(event);
    histogram.setPointerCapture(event.pointerId);
    if (selection) {
      var sx = at.g.left + selection.first * at.g.step, ex = at.g.left + (selection.last + 1) * at.g.step;
      if (Math.abs(at.x - sx) <= 6) { drag = {mode: "first"}; return; }
      if (Math.abs(at.x - ex) <= 6) { drag = {mode: "last"}; return; }
      if (at.x > sx && at.x < ex) {
        drag = {mode: "move", from: at.index, first: selection.first, last: selection.last};
        return;
      }
    }
    drag = {mode: "new", anchor: at.index};
    dragTo(at.index, at.index);
  });
  histogram.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var index = bucketAt(event).index, n = timeline.buckets.length;
    if (drag.mode === "new") {
      dragTo(Math.min(drag.anchor, index), Math.max(drag.anchor, index));
    } else if (drag.mode === "first") {
      dragTo(Math.min(index, selection.last), selection.last);
    } else if (drag.mode === "last") {
      dragTo(selection.first, Math.max(index, selection.first));
    } else {
      var shift = Math.max(-drag.first, Math.min(index - drag.from, n - 1 - drag.last));
      dragTo(drag.first + shift, drag.last + shift);
    }
  });
  histogram.addEventListener("pointerup", function () { drag = null; });
  histogram.addEventListener("pointermove", function (event) {
    var index = bucketAt(event).index, bucket = timeline.buckets[index];
    if (drag || !bucket) { return; }
    var all = 0, wider = 0;
    timeline.of.forEach(function (range) {
      if (range[0] <= index && index <= range[1]) { all += 1; if (range[0] !== range[1]) { wider += 1; } }
    });
    histogram.title = bucket.label + ": " + plural(all, "document", "documents") +
      (wider ? " (" + wider + " dated only to a wider span)" : "");
  });
  histogram.addEventListener("dblclick", function () { stopPlaying(); clearRange(); });
  document.getElementById("kg-all-dates").addEventListener("click", function () { stopPlaying(); clearRange(); });
  var playing = null;
  function stopPlaying() {
    if (playing) { clearInterval(playing); playing = null; }
    playButton.textContent = "\u25b6 Play";
  }
  playButton.addEventListener("click", function () {
    var n = timeline.buckets.length;
    if (playing) { stopPlaying(); return; }
    if (!n) { return; }
    var width = selection ? selection.last - selection.first : Math.max(0, Math.round(n / 8) - 1);
    var start = selection && selection.last < n - 1 ? selection.first : 0;
    selectBuckets(start, start + width);
    playButton.textContent = "\u275a\u275a Pause";
    playing = setInterval(function () {
      if (!selection || selection.last >= n - 1) { stopPlaying(); return; }
      selectBuckets(selection.first + 1, selection.last + 1);
    }, PLAY_STEP_MS);
  });
  window.addEventListener("resize", drawTimeline);

  // -- cards: compact in the tooltip, complete (with the evidence) in the side panel ------------
  function docDate(id) { return info[id].date || "undated"; }
  function evidence(doc, span) {
    var d = info[doc];
    if (typeof span === "string") { return span ? el("p", "kg-evidence", span) : null; }
    if (!span || !d) { return null; }
    var text = span[0] === "title" ? d.title : d.summary, start = span[1], end = span[2];
    if (!text || end > text.length || start >= end) { return null; }
    var stop = text.lastIndexOf(". ", start), from = stop < 0 ? 0 : stop + 2, to = text.indexOf(". ", end);
    to = to < 0 ? text.length : to + 1;
    if (start - from > 160) { from = start - 160; }
    if (to - end > 200) { to = end + 200; }
    var line = el("p", "kg-evidence");
    line.appendChild(document.createTextNode((from > 0 && span[0] !== "title" ? "\u2026" : "") +
      text.slice(from, start)));
    line.appendChild(el("mark", null, text.slice(start, end)));
    line.appendChild(document.createTextNode(text.slice(end, to) + (to < text.length ? "\u2026" : "")));
    return line;
  }
  function archiveLink(doc) {
    var url = httpUrl(info[doc].url);
    if (!url) { return null; }
    var link = el("a", null, "archive");
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  function documentRow(doc, proof) {
    var item = el("li");
    item.appendChild(el("span", "kg-date", docDate(doc) + " "));
    item.appendChild(button("kg-jump", info[doc].title, function () { showDetails(doc); }));
    var link = archiveLink(doc);
    if (link) { item.appendChild(document.createTextNode(" \u00b7 ")); item.appendChild(link); }
    if (proof) { item.appendChild(proof); }
    return item;
  }
  function documentList(card, docs, proofOf) {
    var items = el("ul");
    function more(from) {
      docs.slice(from, from + DOCUMENTS_SHOWN).forEach(function (doc, i) {
        items.appendChild(documentRow(doc, proofOf(doc, from + i)));
      });
      if (from + DOCUMENTS_SHOWN < docs.length) {
        var rest = el("li");
        rest.appendChild(button("kg-action", "Show " + Math.min(DOCUMENTS_SHOWN, docs.length - from - DOCUMENTS_SHOWN) +
          " more of " + docs.length, function () { rest.remove(); more(from + DOCUMENTS_SHOWN); }));
        items.appendChild(rest);
      }
    }
    more(0);
    card.appendChild(items);
  }
  function partnersOf(id) {
    var groups = {met: [], wrote_to: [], from: []};
    (adjacent.get(id) || []).forEach(function (edge) {
      if (!ACTOR_RELATION[edge.relation]) { return; }
      var other = edge.from === id ? edge.to : edge.from;
      var group = edge.relation === "met" ? "met" : edge.from === id ? "wrote_to" : "from";
      groups[group].push({other: other, edge: edge});
    });
    Object.keys(groups).forEach(function (g) {
      groups[g].sort(function (a, b) { return b.edge.weight - a.edge.weight || compare(info[a.other].title, info[b.other].title); });
    });
    return groups;
  }
  function partnerList(card, heading, rows) {
    if (!rows.length) { return; }
    card.appendChild(el("h3", null, heading + " (" + rows.length + ")"));
    var items = el("ul");
    rows.forEach(function (row) {
      var item = el("li");
      item.appendChild(button("kg-jump", info[row.other].title, function () { focusNode(row.other); }));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(button("kg-jump kg-date", plural(row.edge.weight, "document", "documents") + ", " +
        isoDates(row.edge.documents), function () { showEdge(row.edge); }));
      items.appendChild(item);
    });
    card.appendChild(items);
  }
  function head(card, kind, text) {
    var line = el("div", "kg-card-kind");
    line.appendChild(swatch(kind));
    line.appendChild(el("span", null, text));
    card.appendChild(line);
  }
  function buildCard(id, full) {
    var d = info[id];
    var card = el("div", "kg-card");
    if (!d) { return card; }
    head(card, d.kind, d.kind + (d.kind === "document" && d.date ? " \u00b7 " + d.date : ""));
    card.appendChild(el("div", "kg-card-title", d.title));
    if (d.kind === "document") {
      if (!d.date) { card.appendChild(el("p", "kg-meta", "undated")); }
      if (d.summary) { card.appendChild(el("p", null, full ? d.summary : clip(d.summary, 320))); }
      if (d.truncated) { card.appendChild(el("p", "kg-meta", "(the archive page cut this summary short)")); }
      var link = full ? archiveLink(id) : null;
      if (link) {
        link.textContent = "Open in the Wilson Center Digital Archive";
        card.appendChild(el("p")).appendChild(link);
      }
      if (d.named.length && full) {
        card.appendChild(el("h3", null, "Names (" + d.named.length + ")"));
        var names = el("ul");
        d.named.forEach(function (n) {
          var item = el("li");
          item.appendChild(swatch(info[n].kind));
          item.appendChild(document.createTextNode(" "));
          item.appendChild(button("kg-jump", info[n].title, function () { focusNode(n); }));
          names.appendChild(item);
        });
        card.appendChild(names);
      } else if (d.named.length) {
        card.appendChild(el("p", "kg-meta", "Names: " + clip(d.named.map(function (n) {
          return info[n].title;
        }).join(", "), 200)));
      }
      if (d.about.length && full) {
        card.appendChild(el("h3", null, "About, by its cues (" + d.about.length + ")"));
        var issues = el("ul");
        d.about.forEach(function (link) {
          var item = el("li");
          item.appendChild(swatch(info[link[0]].kind));
          item.appendChild(document.createTextNode(" "));
          item.appendChild(button("kg-jump", info[link[0]].title, function () { focusNode(link[0]); }));
          if (link[1]) { item.appendChild(el("span", "kg-meta", " \u2014 " + link[1])); }
          issues.appendChild(item);
        });
        card.appendChild(issues);
      }
      return card;
    }
    var groups = partnersOf(id);
    if (d.description) { card.appendChild(el("p", null, full ? d.description : clip(d.description, 200))); }
    card.appendChild(el("p", "kg-meta", plural(d.count, "document", "documents") +
      (d.first ? ", " + dateSpan(d.first, d.last) : "")));
    if (!full) {
      if (d.aliases.length) {
        card.appendChild(el("p", "kg-meta", "Also: " + clip(d.aliases.map(function (a) { return a.name; }).join("; "), 240)));
      }
      var links = [];
      if (groups.met.length) { links.push("met " + groups.met.length); }
      if (groups.wrote_to.length) { links.push("wrote to " + groups.wrote_to.length); }
      if (groups.from.length) { links.push("letters from " + groups.from.length); }
      if (links.length) { card.appendChild(el("p", "kg-meta", links.join(" \u00b7 "))); }
      return card;
    }
    var actions = el("p");
    actions.appendChild(button("kg-action", "Show its network", function () { focusNode(id); }));
    card.appendChild(actions);
    if (d.aliases.length) {
      card.appendChild(el("h3", null, "Also named (" + d.aliases.length + ")"));
      var aliases = el("ul");
      d.aliases.forEach(function (alias) {
        var item = el("li", null, alias.name);
        if (alias.rules && alias.rules.length) {
          item.appendChild(el("span", "kg-meta", " \u2014 " + alias.rules.map(function (why) {
            return why.rule + (why.documents ? ", " + plural(why.documents, "document", "documents") : "");
          }).join("; ")));
        }
        aliases.appendChild(item);
      });
      card.appendChild(aliases);
    }
    partnerList(card, "Met", groups.met);
    partnerList(card, "Wrote to", groups.wrote_to);
    partnerList(card, "Letters from", groups.from);
    if (d.documents.length) {
      card.appendChild(el("h3", null, "Documents (" + d.documents.length + ")"));
      documentList(card, d.documents, function (doc, i) { return evidence(doc, d.spans[i]); });
    }
    return card;
  }
  function edgeCard(edge) {
    var card = el("div", "kg-card");
    var a = info[edge.from].title, b = info[edge.to].title;
    if (edge.relation === "comention") {
      head(card, info[edge.from].kind, "named together");
      card.appendChild(el("div", "kg-card-title", a + " \u00b7 " + b));
      var shared = Array.from(current.inRange).filter(function (doc) {
        var named = info[doc].named;
        return named.indexOf(edge.from) >= 0 && named.indexOf(edge.to) >= 0;
      }).sort(function (x, y) { return compare(info[x].iso || "9999", info[y].iso || "9999") || compare(x, y); });
      card.appendChild(el("p", "kg-meta", "Named in the same " + plural(shared.length, "document", "documents") +
        (ranged() ? " of the date range" : "") + ", with no meeting or letter found between them."));
      documentList(card, shared, function () { return null; });
      return card;
    }
    head(card, info[edge.from].kind, relationName[edge.relation] || edge.relation);
    card.appendChild(el("div", "kg-card-title", a + (edge.relation === "met" ? " \u2014 met \u2014 " :
      " \u2192 ") + b));
    card.appendChild(el("p", "kg-meta", plural(edge.documents.length, "document", "documents") + ", " +
      isoDates(edge.documents)));
    documentList(card, edge.documents, function (doc, i) {
      return edge.evidence && edge.evidence[i] ? el("p", "kg-evidence", edge.evidence[i]) : null;
    });
    return card;
  }

  // -- the side panel, focus and trace ------------------------------------------------------------
  var details = document.getElementById("kg-details");
  function showHint() {
    details.replaceChildren(el("h2", null, "Details"),
      el("p", "kg-hint", "Hover over a node to name it; click it for its documents and links, or a link for " +
        "the documents behind it."));
  }
  function traceOf(id) {
    var d = info[id], members = new Set([id]);
    if (!d) { return members; }
    if (d.kind === "document") {
      d.named.forEach(function (n) { members.add(n); });
      d.about.forEach(function (link) { members.add(link[0]); });
      return members;
    }
    d.documents.forEach(function (doc) {
      members.add(doc);
      if (!ACTOR[d.kind]) { info[doc].named.forEach(function (n) { members.add(n); }); }
    });
    (adjacent.get(id) || []).forEach(function (edge) {
      if (ACTOR_RELATION[edge.relation]) { members.add(edge.from); members.add(edge.to); }
    });
    return members;
  }
  function setTrace(id) {
    state.traceId = id;
    state.trace = id ? traceOf(id) : null;
    restyle();
    drawTimeline();
  }
  function showDetails(id) {
    if (!info[id]) { return; }
    details.replaceChildren(el("h2", null, "Details"), buildCard(id, true));
    setTrace(id);
    if (current.nodes.has(id)) { network.selectNodes([id], false); }
  }
  function showEdge(edge) {
    details.replaceChildren(el("h2", null, "Details"), edgeCard(edge));
    if (state.trace) { setTrace(null); }
  }
  function egoOf(id) {
    var members = traceOf(id);
    var d = info[id];
    if (d && d.kind !== "document" && ACTOR[d.kind]) {
      // an actor's network: its partners, and the documents that name it (drawn when shown)
      (adjacent.get(id) || []).forEach(function (edge) { members.add(edge.from); members.add(edge.to); });
    }
    if (state.comention && d && d.kind !== "document") {
      d.documents.forEach(function (doc) { info[doc].named.forEach(function (n) { members.add(n); }); });
    }
    return members;
  }
  function focusNode(id) {
    var node = nodeById.get(id);
    if (!node) { return; }
    if (!state.kinds[node.kind]) { setKind(node.kind, true, true); }
    if (ranged() && !(node.kind === "document" ? documentInRange(id) : info[id].documents.some(documentInRange))) {
      selection = null;
      state.from = state.to = null;
    }
    state.focusId = id;
    state.focus = egoOf(id);
    refresh();
    if (current.nodes.size) { network.fit({nodes: Array.from(current.nodes), animation: false}); }
    showDetails(id);
  }
  function showEverything() {
    state.focusId = null;
    state.focus = null;
    refresh();
    network.fit({animation: false});
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails(params.nodes[0]);
    } else if (params.edges.length) {
      var id = params.edges[0], edge = current.edges.get(id);
      if (edge && edge.relation !== "mentions") { showEdge(edge); }
      else if (edge) { showDetails(edge.from); }
    } else {
      showHint();
      setTrace(null);
    }
  });

  // -- legend, filters and switches ---------------------------------------------------------------
  var legend = document.getElementById("kg-legend");
  var kindBoxes = {}, kindCounts = {}, relationCounts = {}, communityRows = el("div");
  var viewText = document.getElementById("kg-view");
  function checkbox(id, checked, onChange) {
    var box = el("input");
    box.type = "checkbox";
    box.id = id;
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    return box;
  }
  function row(box, mark, name, count) {
    var line = el("label", "kg-row");
    line.appendChild(box);
    if (mark) { line.appendChild(mark); }
    line.appendChild(el("span", null, name));
    if (count) { line.appendChild(count); }
    return line;
  }
  function lineMark(color) {
    var mark = el("span", "kg-line");
    mark.style.background = color;
    return mark;
  }
  function setKind(kind, visible, quiet) {
    state.kinds[kind] = visible;
    if (kindBoxes[kind]) { kindBoxes[kind].checked = visible; }
    if (!quiet) { refresh(); }
  }
  function radios(name, choices, chosen, onChange) {
    var holder = el("div", "kg-choice");
    choices.forEach(function (choice) {
      var label = el("label", "kg-row");
      var input = el("input");
      input.type = "radio";
      input.name = name;
      input.id = "kg-" + name + "-" + choice[0];
      input.checked = choice[0] === chosen;
      input.addEventListener("change", function () { if (input.checked) { onChange(choice[0]); } });
      label.appendChild(input);
      label.appendChild(el("span", null, choice[1]));
      holder.appendChild(label);
    });
    return holder;
  }
  legend.appendChild(el("h2", null, "Show"));
  data.kinds.forEach(function (k) {
    kindBoxes[k.kind] = checkbox("kg-kind-" + k.kind, state.kinds[k.kind], function (on) { setKind(k.kind, on); });
    kindCounts[k.kind] = el("span", "kg-count");
    legend.appendChild(row(kindBoxes[k.kind], swatch(k.kind), k.name, kindCounts[k.kind]));
  });
  legend.appendChild(row(checkbox("kg-unlinked", state.unlinked, function (on) { state.unlinked = on; refresh(); }),
    null, "Actors without meetings or letters"));
  legend.appendChild(el("h2", null, "Links"));
  data.relations.forEach(function (r) {
    relationCounts[r.relation] = el("span", "kg-count");
    legend.appendChild(row(checkbox("kg-relation-" + r.relation, true, function (on) {
      state.relations[r.relation] = on;
      refresh();
    }), lineMark(r.color), r.name, relationCounts[r.relation]));
  });
  relationCounts.comention = el("span", "kg-count");
  legend.appendChild(row(checkbox("kg-comention", false, function (on) { state.comention = on; refresh(); }),
    lineMark(COMENTION.color), "Also link co-mentioned actors", relationCounts.comention));
  legend.appendChild(el("h2", null, "Size by"));
  legend.appendChild(radios("size", [["documents", "documents"], ["degree", "people met or written to"]],
    state.sizeBy, function (v) { state.sizeBy = v; restyle(); }));
  legend.appendChild(el("h2", null, "Colour by"));
  legend.appendChild(radios("color", [["kind", "kind"], ["community", "community"]], state.colorBy, function (v) {
    state.colorBy = v;
    communityRows.style.display = v === "community" ? "" : "none";
    restyle();
  }));
  data.communities.forEach(function (c) {
    var line = el("div", "kg-row");
    var mark = el("span", "kg-swatch");
    mark.style.background = c.color;
    line.appendChild(mark);
    line.appendChild(el("span", null, c.names.join(", ")));
    line.appendChild(el("span", "kg-count", c.size));
    communityRows.appendChild(line);
  });
  if (!data.communities.length) { communityRows.appendChild(el("p", "kg-hint", "No community of three or more.")); }
  communityRows.style.display = "none";
  legend.appendChild(communityRows);
  legend.appendChild(el("p", "kg-hint", "Scroll to zoom: more names appear as you zoom in. Communities are " +
    "Louvain groups of the meeting and letter network."));

  function updateCounts() {
    var byKind = {}, byRelation = {};
    current.nodes.forEach(function (id) {
      var kind = nodeById.get(id).kind;
      byKind[kind] = (byKind[kind] || 0) + 1;
    });
    current.edges.forEach(function (edge) { byRelation[edge.relation] = (byRelation[edge.relation] || 0) + 1; });
    function share(shown, total) { return shown.toLocaleString("en-US") + " / " + total.toLocaleString("en-US"); }
    data.kinds.forEach(function (k) { kindCounts[k.kind].textContent = share(byKind[k.kind] || 0, k.count); });
    data.relations.forEach(function (r) {
      relationCounts[r.relation].textContent = share(byRelation[r.relation] || 0, r.count);
    });
    relationCounts.comention.textContent = state.comention ? share(byRelation.comention || 0, current.comentioned) : "";
    var parts = [plural(current.nodes.size, "node", "nodes"), plural(current.edges.size, "link", "links")];
    viewText.replaceChildren(document.createTextNode("In view: " + parts.join(" \u00b7 ")));
    if (state.focusId) {
      viewText.appendChild(document.createTextNode(" \u00b7 around " + info[state.focusId].title));
      viewText.appendChild(button(null, "Show everything", showEverything));
    }
  }

  // -- find: every name and spelling --------------------------------------------------------------
  // A Map, not an object: a title such as "constructor" or "__proto__" is a key like any other.
  var byName = new Map();
  var keys = [];
  function nameKey(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  var ranked = data.nodes.slice().sort(function (a, b) {
    return (a.kind === "document") - (b.kind === "document") || b.documents - a.documents || compare(a.id, b.id);
  });
  ranked.forEach(function (node) {
    var d = info[node.id];
    [d.title].concat((d.aliases || []).map(function (a) { return a.name; })).forEach(function (name) {
      var key = nameKey(name);
      if (key && !byName.has(key)) { byName.set(key, node.id); keys.push(key); }
    });
  });
  function buildSearch() {
    var names = document.getElementById("kg-names"), options = document.createDocumentFragment();
    ranked.forEach(function (node) {
      if (node.kind === "document") { return; }
      var d = info[node.id];
      [d.title].concat(d.aliases.map(function (a) { return a.name; })).forEach(function (name) {
        var option = el("option");
        option.value = name;
        options.appendChild(option);
      });
    });
    names.appendChild(options);
  }
  var input = document.getElementById("kg-search");
  var status = document.getElementById("kg-status");
  function search() {
    var query = nameKey(input.value);
    status.textContent = "";
    if (!query) { return; }
    var id = byName.get(query);
    if (!id) {
      var found = keys.find(function (key) { return key.indexOf(query) >= 0; });
      id = found && byName.get(found);
    }
    if (id) { focusNode(id); } else { status.textContent = "No match for \u201c" + input.value.trim() + "\u201d"; }
  }
  input.addEventListener("change", search);
  input.addEventListener("keydown", function (event) { if (event.key === "Enter") { search(); } });

  // -- the test and scripting interface -----------------------------------------------------------
  function visibleCounts() { return {nodes: nodes.length, edges: edges.length}; }
  function visibleLabels() {
    var rect = container.getBoundingClientRect();
    return drawnLabels.map(function (box) {
      return {id: box.id, x: box.x + rect.left, y: box.y + rect.top, width: box.width, height: box.height};
    });
  }
  var kg = window.kg = {
    ready: false, readyAt: null, network: network, nodes: nodes, edges: edges, info: info, state: state,
    buildCard: buildCard, showDetails: showDetails, showEdge: function (id) { showEdge(current.edges.get(id)); },
    focusNode: focusNode, showEverything: showEverything, setKind: setKind, setDateRange: setDateRange,
    timeline: timeline,
    visibleLabels: visibleLabels, visibleCounts: visibleCounts
  };

  showHint();
  refresh();
  network.fit({animation: false});
  baseScale = network.getScale() || 1;
  started = true;
  network.redraw();
})();
"""
