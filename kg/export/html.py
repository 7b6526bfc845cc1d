"""Write graph.html: an interactive vis-network view of the graph that works offline.

pyvis assembles the vis-network nodes, edges and options; the page around them is
our own, because pyvis's template loads bootstrap, tom-select and utils.js from CDNs
or a lib/ folder. Everything the page needs is inlined: the vis-network script and
stylesheet from the pyvis package, the data, and the code below. A Content Security
Policy forbids any network access and allows only the page's own two scripts (by
hash), so a crafted summary cannot run code even if some text were parsed as HTML.

Node details are data (JSON in a non-executed ``<script type="application/json">``,
with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped) and are turned into tooltips
and the side panel with ``textContent``, never ``innerHTML``.

Graphs above ``PHYSICS_LIMIT`` nodes are drawn at positions computed in Python with
physics off, so they are interactive at once; smaller ones start from the same
positions and settle with vis-network's ForceAtlas2 physics (seeded). Graphs above
``VIEW_LIMIT`` nodes, which no browser draws smoothly, are shown as an overview of
their most documented entities and the documents that name most of them, and the page
says so. The file is byte-for-byte the same for the same graph.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
from pyvis.network import Network

from kg.export.files import atomic_write
from kg.export.layout import LAYOUT_SEED, layout, most_documented
from kg.export.style import KIND_ORDER, edge_width, kind_color, node_size, relation_color
from kg.graph import neighbours

#: Above this many nodes the browser gets a finished layout and no physics.
PHYSICS_LIMIT = 300
#: A browser draws a few thousand nodes smoothly, not tens of thousands: a larger graph
#: is shown as an overview of its most documented entities (the page says so; the
#: GEXF, GraphML and JSON files hold all of it, and ``kg ego``/``kg trace`` draw any part).
VIEW_LIMIT = 5000
OVERVIEW_ENTITIES = 1500
VIS_FILES = "templates/lib/vis-9.1.2"
KIND_NAMES = {"person": "People", "organization": "Organizations", "place": "Places", "topic": "Topics",
              "document": "Documents"}
RELATION_NAMES = {"mentions": "names", "met": "met", "wrote_to": "wrote to", "wrote": "wrote"}
DIRECTED = frozenset({"wrote_to", "wrote"})
LABEL_LENGTH = 48
#: Label heights in screen pixels in the first view; below 10 a label is not drawn until
#: the reader zooms in, so the overview names only the most documented entities.
LABEL_SIZES = {"top": 14, "entity": 8.5, "document": 7}
IMPORTANT_LABELS = 40
SUMMARY_LENGTH = 1500  # longer single-document texts are cut in the panel; graph.json has them whole

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write_html(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return atomic_write(path, to_html(graph))


def to_html(graph: nx.MultiDiGraph) -> str:
    shown = overview(graph) if len(graph) > VIEW_LIMIT else graph
    network = _network(shown)
    nodes, edges, _, _, _, options = network.get_network_data()
    data = {
        "nodes": nodes, "edges": edges, "options": json.loads(options), "info": _info(shown),
        "kinds": _kinds(shown), "relations": _relations(shown), "physics": len(shown) <= PHYSICS_LIMIT,
    }
    return _page(graph, shown, safe_json(data))


def overview(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The part of a large graph that the page draws: the ``OVERVIEW_ENTITIES`` most
    documented entities, and the documents that name most of them, up to ``VIEW_LIMIT``
    nodes in all, with every edge among them."""
    entities = most_documented(graph, OVERVIEW_ENTITIES)
    kept = set(entities)
    named = Counter(source for entity in entities for source in graph.predecessors(entity)
                    if graph.nodes[source].get("kind") == "document")
    documents = sorted(named, key=lambda d: (-named[d], graph.nodes[d].get("date") or "9999", d))
    return graph.subgraph(kept | set(documents[:VIEW_LIMIT - len(kept)])).copy()


def safe_json(data: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
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


def _network(graph: nx.MultiDiGraph) -> Network:
    big = len(graph) > PHYSICS_LIMIT
    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()
    positions = layout(graph)
    important = _important(graph)
    for node in sorted(graph):
        data = graph.nodes[node]
        kind = data.get("kind", "")
        color = kind_color(kind)
        x, y = positions[node]
        network.add_node(
            node, label=_short(str(data.get("label") or node)), shape="square" if kind == "document" else "dot",
            color={"background": color, "border": _darker(color),
                   "highlight": {"background": color, "border": "#1d2733"},
                   "hover": {"background": color, "border": "#1d2733"}},
            size=node_size(graph, node), x=x, y=y, kind=kind,
            labelSize=LABEL_SIZES["document" if kind == "document" else "top" if node in important else "entity"],
        )
    for index, (source, target, key, data) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        relation = data.get("relation", key)
        detail = {"fields": list(data.get("fields", []))} if relation == "mentions" else {
            "documents": [d for d in data.get("documents", []) if d in graph]}
        network.add_edge(
            source, target, id=f"e{index}", relation=relation, name=RELATION_NAMES.get(relation, relation),
            weight=data.get("weight", 1), width=edge_width(data.get("weight", 1)), **detail,
            color={"color": relation_color(relation), "highlight": "#1d2733", "hover": "#1d2733",
                   "opacity": 0.55 if relation == "mentions" else 0.9},
            arrows={"to": {"enabled": relation in DIRECTED, "scaleFactor": 0.5}},
        )
    network.options = _options(big)
    return network


def _options(big: bool) -> dict:
    return {
        "nodes": {
            "borderWidth": 1,
            "font": {"face": "system-ui, -apple-system, 'Segoe UI', sans-serif", "color": "#1d2733",
                     "strokeWidth": 4, "strokeColor": "rgba(255,255,255,0.85)"},
            # Labels smaller than drawThreshold on screen are not drawn; the page sizes
            # them from each node's labelSize once the first view is fitted.
            "scaling": {"label": {"enabled": False, "drawThreshold": 10, "maxVisible": 22}},
        },
        "edges": {"smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "keyboard": False},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": not big, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -160, "springLength": 120, "avoidOverlap": 1},
            "stabilization": {"enabled": not big, "iterations": 400, "fit": True},
        },
    }


def _important(graph: nx.MultiDiGraph) -> set[str]:
    """The entities named by most documents: their labels show in the first, zoomed-out view."""
    return set(most_documented(graph, IMPORTANT_LABELS))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _darker(color: str) -> str:
    value = color.lstrip("#")
    return "#" + "".join(f"{int(int(value[i:i + 2], 16) * 0.7):02x}" for i in (0, 2, 4))


# -- the data behind tooltips and the side panel ----------------------------------------------
def _info(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """Per node, what its tooltip and panel show. Documents are referred to by id."""
    by_date = sorted((n for n, d in graph.nodes(data=True) if d.get("kind") == "document"),
                     key=lambda n: (graph.nodes[n].get("date") or "9999", n))
    rank = {doc: i for i, doc in enumerate(by_date)}
    info = {}
    for node in sorted(graph):
        data = graph.nodes[node]
        linked = neighbours(graph, node)
        if data.get("kind") == "document":
            date = data.get("date_text") or data.get("date") or ""
            info[node] = {
                "kind": "document", "title": data.get("title") or data.get("label") or node, "date": date,
                "summary": _clip(data.get("summary") or data.get("text") or ""),
                "truncated": bool(data.get("truncated")), "url": safe_url(data.get("url", "")),
                "named": sorted((n for n in linked if graph.nodes[n].get("kind") != "document"),
                                key=lambda n: (-graph.nodes[n].get("document_count", 0), n)),
            }
        else:
            first, last = data.get("first_date", ""), data.get("last_date", "")
            info[node] = {
                "kind": data.get("kind", ""), "title": data.get("label") or node,
                "aliases": list(data.get("aliases", [])),
                "description": data.get("description", ""), "count": data.get("document_count", 0),
                "dates": first if first == last else f"{first} – {last}",
                "documents": sorted((n for n in linked if n in rank), key=rank.__getitem__),
            }
    return info


def _clip(text: str) -> str:
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _kinds(graph: nx.MultiDiGraph) -> list[dict]:
    counts = Counter(d.get("kind", "") for _, d in graph.nodes(data=True))
    order = [k for k in KIND_ORDER if counts[k]] + sorted(k for k in counts if k not in KIND_ORDER)
    return [{"kind": k, "name": KIND_NAMES.get(k, k), "color": kind_color(k), "count": counts[k],
             "shape": "square" if k == "document" else "dot"} for k in order]


def _relations(graph: nx.MultiDiGraph) -> list[dict]:
    counts = Counter(d.get("relation", k) for _, _, k, d in graph.edges(keys=True, data=True))
    return [{"relation": r, "name": RELATION_NAMES.get(r, r), "color": relation_color(r), "count": counts[r]}
            for r in sorted(counts, key=lambda r: (r == "mentions", r))]


# -- the page -----------------------------------------------------------------------------------
def _vis_file(name: str) -> str:
    return (resources.files("pyvis") / VIS_FILES / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(graph: nx.MultiDiGraph, shown: nx.MultiDiGraph, data_json: str) -> str:
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
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(policy)}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<title>Knowledge graph</title>\n<link rel=\"icon\" href=\"data:,\">\n",
        "<style>\n", _vis_file("vis-network.css"), "\n", PAGE_CSS, "</style>\n</head>\n<body>\n",
        "<header><h1>Knowledge graph</h1>",
        f"<span class=\"kg-counts\">{html.escape(heading)}</span>",
        "<label class=\"kg-search\"><span>Find</span>",
        "<input id=\"kg-search\" type=\"search\" list=\"kg-names\" autocomplete=\"off\" "
        "placeholder=\"a name or a document title\"></label>",
        "<datalist id=\"kg-names\"></datalist><span id=\"kg-status\" role=\"status\"></span>", note,
        "</header>\n",
        "<main><div id=\"kg-network\"></div>",
        "<aside id=\"kg-side\"><section id=\"kg-legend\" aria-label=\"Legend and filter\"></section>",
        "<section id=\"kg-details\" aria-live=\"polite\"></section></aside></main>\n",
        "<script type=\"application/json\" id=\"kg-data\">", data_json, "</script>\n",
        "<script>", vis_js, "</script>\n",
        "<script>", APP_JS, "</script>\n</body>\n</html>\n",
    ])


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
.kg-counts { color: #5b6775; }
.kg-note { flex-basis: 100%; margin: 0; color: #5b6775; }
.kg-search { display: flex; align-items: center; gap: 6px; margin-left: auto; }
.kg-search input { width: 340px; padding: 5px 8px; border: 1px solid #b8c0ca; border-radius: 4px; font: inherit; }
#kg-status { color: #a03a00; min-width: 8em; }
main { flex: 1; display: flex; min-height: 0; }
#kg-network { flex: 1; position: relative; background: #fff; }
#kg-side { width: 330px; overflow-y: auto; border-left: 1px solid #dde1e6; background: #fbfbfc; }
#kg-side section { padding: 12px 16px; }
#kg-legend { border-bottom: 1px solid #e4e7eb; }
#kg-side h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: #5b6775; margin: 0 0 6px; }
.kg-kind { display: flex; align-items: center; gap: 8px; padding: 2px 0; cursor: pointer; }
.kg-kind .kg-count, .kg-rel .kg-count { margin-left: auto; color: #7a8592; font-variant-numeric: tabular-nums; }
.kg-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; border: 1px solid rgba(0,0,0,.3); }
.kg-swatch.square { border-radius: 2px; }
.kg-rel { display: flex; align-items: center; gap: 8px; padding: 1px 0 1px 22px; }
.kg-line { display: inline-block; width: 22px; height: 3px; border-radius: 2px; }
.kg-hint { color: #7a8592; }
.kg-card { max-width: 340px; white-space: normal; overflow-wrap: anywhere;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
#kg-details .kg-card { max-width: none; }
.kg-card-kind { display: flex; align-items: center; gap: 6px; color: #5b6775; font-size: 12px;
  text-transform: uppercase; letter-spacing: .04em; }
.kg-card-title { font-weight: 600; font-size: 14px; margin: 3px 0; }
.kg-card p { margin: 4px 0; }
.kg-card .kg-meta { color: #5b6775; }
.kg-card ul { margin: 4px 0; padding-left: 18px; }
.kg-card li { margin: 1px 0; }
.kg-card ul.kg-jumps { list-style: none; padding-left: 0; }
.kg-card ul.kg-jumps li { margin: 0 0 5px; }
.kg-card button.kg-jump { all: unset; display: block; cursor: pointer; color: #0b5cad; }
.kg-card button.kg-jump:hover, .kg-card button.kg-jump:focus { text-decoration: underline; }
.kg-card a { color: #0b5cad; }
div.vis-tooltip { white-space: normal; max-width: 360px; padding: 8px 10px; background: #fff;
  border: 1px solid #b8c0ca; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,.15); font-family: inherit; }
"""

APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = data.info;
  var kindColor = {};
  data.kinds.forEach(function (k) { kindColor[k.kind] = k.color; });

  // Every piece of archive text goes through textContent: nothing is parsed as HTML.
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clip(text, limit) {
    text = String(text || "");
    return text.length > limit ? text.slice(0, limit - 1).replace(/\\s+$/, "") + "\\u2026" : text;
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
  function docLine(id) {
    var doc = info[id];
    return (doc.date || "undated") + " \\u2014 " + doc.title;
  }
  function list(ids, limit, full, line) {
    var items = el("ul", full ? "kg-jumps" : null);
    var shown = full ? ids : ids.slice(0, limit);
    shown.forEach(function (id) {
      var item = el("li");
      if (full) {
        var jump = el("button", "kg-jump", line(id));
        jump.type = "button";
        jump.addEventListener("click", function () { focusNode(id); });
        item.appendChild(jump);
      } else {
        item.textContent = line(id);
      }
      items.appendChild(item);
    });
    if (shown.length < ids.length) {
      items.appendChild(el("li", "kg-meta", "\\u2026 and " + (ids.length - shown.length) + " more"));
    }
    return items;
  }

  // A node's card: compact in the tooltip, complete (with links) in the side panel.
  function buildCard(id, full) {
    var d = info[id];
    var card = el("div", "kg-card");
    if (!d) { return card; }
    var head = el("div", "kg-card-kind");
    head.appendChild(swatch(d.kind));
    head.appendChild(el("span", null, d.kind + (d.kind === "document" && d.date ? " \\u00b7 " + d.date : "")));
    card.appendChild(head);
    card.appendChild(el("div", "kg-card-title", d.title));
    if (d.kind === "document") {
      if (!d.date) { card.appendChild(el("p", "kg-meta", "undated")); }
      if (d.summary) {
        card.appendChild(el("p", null, full ? d.summary : clip(d.summary, 320)));
      }
      if (d.truncated) { card.appendChild(el("p", "kg-meta", "(the archive page cut this summary short)")); }
      if (d.named.length) {
        if (full) {
          card.appendChild(el("p", "kg-meta", "Names:"));
          card.appendChild(list(d.named, 0, true, function (n) { return info[n].title; }));
        } else {
          card.appendChild(el("p", "kg-meta", "Names: " + clip(d.named.map(function (n) {
            return info[n].title;
          }).join(", "), 200)));
        }
      }
      var url = full ? httpUrl(d.url) : null;
      if (url) {
        var link = el("a", null, "Open in the Wilson Center Digital Archive");
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        card.appendChild(el("p")).appendChild(link);
      }
    } else {
      if (d.aliases.length) { card.appendChild(el("p", "kg-meta", "Also: " + d.aliases.join("; "))); }
      if (d.description) { card.appendChild(el("p", null, d.description)); }
      card.appendChild(el("p", "kg-meta", d.count + (d.count === 1 ? " document" : " documents") +
        (d.dates ? ", " + d.dates : "")));
      if (d.documents.length) { card.appendChild(list(d.documents, 6, full, docLine)); }
    }
    return card;
  }
  function edgeCard(edge) {
    var card = el("div", "kg-card");
    card.appendChild(el("div", "kg-card-kind", edge.name));
    card.appendChild(el("div", "kg-card-title", info[edge.from].title + " \\u2192 " + info[edge.to].title));
    if (edge.fields) {
      card.appendChild(el("p", "kg-meta", "named " + edge.weight + (edge.weight === 1 ? " time" : " times") +
        ", in the " + edge.fields.join(" and ")));
    } else {
      card.appendChild(list(edge.documents, 4, false, docLine));
    }
    return card;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (node) {
    node.title = buildCard(node.id, false);
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (edge) {
    edge.title = edgeCard(edge);
    return edge;
  }));
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {}, data.options);

  // Fit the graph, then give labels their intended on-screen size at this zoom; zooming
  // in enlarges them, so the names of smaller nodes appear as the reader looks closer.
  function ready() {
    network.fit();
    var scale = network.getScale() || 1;
    nodes.update(data.nodes.map(function (node) {
      return {id: node.id, font: {size: node.labelSize / scale}};
    }));
    network.once("afterDrawing", function () { window.kgDrawn = true; });
    network.redraw();
  }
  // The handler is in place before the data arrives, so stabilization cannot finish unseen.
  if (data.physics && data.nodes.length > 1) {
    network.once("stabilizationIterationsDone", ready);
    network.setData({nodes: nodes, edges: edges});
  } else {
    network.setData({nodes: nodes, edges: edges});
    ready();
  }

  var details = document.getElementById("kg-details");
  function showHint() {
    details.replaceChildren(el("h2", null, "Details"),
      el("p", "kg-hint", "Hover over a node for a summary; click it for its documents and links."));
  }
  function showDetails(id) {
    details.replaceChildren(el("h2", null, "Details"), buildCard(id, true));
  }
  function focusNode(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    if (hidden[node.kind]) { setKind(node.kind, true); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 400}});
    showDetails(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); } else { showHint(); }
  });
  showHint();

  // Legend and filter: one checkbox per kind.
  var hidden = {};
  var boxes = {};
  var legend = document.getElementById("kg-legend");
  legend.appendChild(el("h2", null, "Show"));
  function setKind(kind, visible) {
    hidden[kind] = !visible;
    boxes[kind].checked = visible;
    var updates = [];
    nodes.forEach(function (node) {
      if (node.kind === kind) { updates.push({id: node.id, hidden: !visible}); }
    });
    nodes.update(updates);
  }
  data.kinds.forEach(function (k) {
    var row = el("label", "kg-kind");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { setKind(k.kind, box.checked); });
    boxes[k.kind] = box;
    row.appendChild(box);
    row.appendChild(swatch(k.kind));
    row.appendChild(el("span", null, k.name));
    row.appendChild(el("span", "kg-count", k.count));
    legend.appendChild(row);
  });
  legend.appendChild(el("h2", null, "Links")).style.marginTop = "10px";
  data.relations.forEach(function (r) {
    var row = el("div", "kg-rel");
    var line = el("span", "kg-line");
    line.style.background = r.color;
    row.appendChild(line);
    row.appendChild(el("span", null, r.name));
    row.appendChild(el("span", "kg-count", r.count));
    legend.appendChild(row);
  });
  legend.appendChild(el("p", "kg-hint",
    "Size: documents naming an entity. Scroll to zoom; names appear as you zoom in."));

  // Search: exact names and aliases first, then any label containing the text.
  // A Map, not an object: a title such as "constructor" or "__proto__" is a key like any other.
  var byName = new Map();
  var names = document.getElementById("kg-names");
  var ranked = data.nodes.slice().sort(function (a, b) {
    return (b.kind !== "document") - (a.kind !== "document") || b.size - a.size ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  ranked.forEach(function (node) {
    var d = info[node.id];
    [d.title].concat(d.aliases || []).forEach(function (name) {
      var key = name.toLowerCase();
      if (!byName.has(key)) {
        byName.set(key, node.id);
        var option = el("option");
        option.value = name;
        names.appendChild(option);
      }
    });
  });
  var input = document.getElementById("kg-search");
  var status = document.getElementById("kg-status");
  function search() {
    var query = input.value.trim().toLowerCase();
    status.textContent = "";
    if (!query) { return; }
    var id = byName.get(query);
    if (!id) {
      var found = ranked.find(function (node) { return info[node.id].title.toLowerCase().indexOf(query) >= 0; });
      id = found && found.id;
    }
    if (id) { focusNode(id); } else { status.textContent = "No match for \\u201c" + input.value.trim() + "\\u201d"; }
  }
  input.addEventListener("change", search);
  input.addEventListener("keydown", function (event) { if (event.key === "Enter") { search(); } });

  window.kg = {network: network, nodes: nodes, edges: edges, info: info, buildCard: buildCard,
               showDetails: showDetails, focusNode: focusNode, setKind: setKind};
})();
"""
