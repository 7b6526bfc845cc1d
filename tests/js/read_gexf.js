// Read a GEXF file with graphology-gexf and print its nodes and edges as JSON, for tests/test_export.py.
"use strict";
const fs = require("fs");
const Graph = require("graphology");
const gexf = require("graphology-gexf");

const graph = gexf.parse(Graph, fs.readFileSync(process.argv[2], "utf8"));
const out = {type: graph.type, multi: graph.multi, nodes: {}, edges: []};
graph.forEachNode((key, attributes) => { out.nodes[key] = attributes; });
graph.forEachEdge((key, attributes, source, target, _s, _t, undirected) => {
  out.edges.push({key, source, target, undirected, attributes});
});
process.stdout.write(JSON.stringify(out));
