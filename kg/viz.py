"""kg viz: the graph as one self-contained HTML page (pyvis data model,
vis-network embedded from pyvis's own copy; no CDN, no network)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

import networkx as nx

from . import vocab

COLORS = {
    vocab.PERSON: "#4e79a7", vocab.GROUP: "#e15759", vocab.ORGANIZATION: "#59a14f",
    vocab.PLATFORM: "#f28e2b", vocab.LOCATION: "#9c755f",
}
SHAPES = {
    vocab.PERSON: "dot", vocab.GROUP: "diamond", vocab.ORGANIZATION: "square",
    vocab.PLATFORM: "triangle", vocab.LOCATION: "hexagon",
}
EDGE_COLORS = {vocab.THREATENS: "#d62728", vocab.ATTACKS: "#8b0000", vocab.BANS: "#7f7f7f"}
MAX_NODES = 3000


@dataclass
class Page:
    """What was drawn."""

    nodes: int
    edges: int
    dropped: int
    path: Path | None = None


def select(graph: nx.MultiDiGraph, types=None, predicates=None, max_nodes: int = MAX_NODES) -> tuple[nx.MultiDiGraph, int]:
    """Filter by type and predicate, then keep the best-connected nodes."""
    g = graph
    if types:
        g = g.subgraph([n for n, d in g.nodes(data=True) if set(d["types"]) & set(types)]).copy()
    if predicates:
        keep = nx.MultiDiGraph()
        keep.add_nodes_from(g.nodes(data=True))
        keep.add_edges_from((s, o, k, d) for s, o, k, d in g.edges(keys=True, data=True) if d["predicate"] in predicates)
        g = keep
    dropped = 0
    if g.number_of_nodes() > max_nodes:
        ranked = sorted(g.nodes, key=lambda n: (-g.degree(n), n))
        dropped = g.number_of_nodes() - max_nodes
        g = g.subgraph(ranked[:max_nodes]).copy()
    return g, dropped


def network(graph: nx.MultiDiGraph):
    """A pyvis Network of the graph; node and edge lists are set directly
    because pyvis's add_edge is quadratic."""
    from pyvis.network import Network

    net = Network(directed=True)
    degrees = dict(graph.degree())
    top = max(degrees.values(), default=1) or 1
    net.nodes = [{
        "id": node, "label": data["label"], "kgType": data["type"], "types": data["types"],
        "aliases": data["aliases"], "names": [data["label"], *data["aliases"]], "documents": data["documents"],
        "color": COLORS[data["type"]], "shape": SHAPES[data["type"]],
        "size": 10 + 30 * (degrees.get(node, 0) / top) ** 0.5,
    } for node, data in graph.nodes(data=True)]
    net.edges = [{
        "id": f"e{number}", "from": s, "to": o, "label": d["predicate"], "arrows": "to",
        "color": EDGE_COLORS.get(d["predicate"], "#999999"),
        "width": 3 if d["predicate"] in (vocab.THREATENS, vocab.ATTACKS) else 1,
        "dashes": d["predicate"] == vocab.THREATENS,
        "evidence": [{"sentence": e.sentence, "title": e.title, "document": e.document, "start": e.start,
                      "end": e.end, "confidence": e.confidence} for e in d["evidence"][:20]],
    } for number, (s, o, d) in enumerate(graph.edges(data=True))]
    net.node_ids = [n["id"] for n in net.nodes]
    return net


def options(node_count: int) -> dict:
    big = node_count > 300
    return {
        "physics": {
            "enabled": node_count > 0,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -8000 if not big else -3000, "springLength": 140,
                          "avoidOverlap": 0.2},
            # Fewer iterations for big graphs: 2,000 nodes settle in seconds rather than tens of seconds.
            "stabilization": {"enabled": True, "updateInterval": 50, "fit": True,
                              "iterations": 600 if node_count <= 300 else 300 if node_count <= 1000 else 120},
            "minVelocity": 1.0,
        },
        "edges": {"smooth": False if big else {"type": "continuous"}, "font": {"size": 10, "align": "middle"}},
        "nodes": {"font": {"size": 14}},
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 200},
    }


def _vis_js() -> str:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return lib.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _safe_json(value) -> str:
    # Inside <script>, '<' could close the element: escape it (and & and >) as JSON unicode escapes.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render(graph: nx.MultiDiGraph, title: str = "kg graph", notice: str = "") -> str:
    """The HTML page for a graph."""
    net = network(graph)
    counts = {}
    for node in net.nodes:
        counts[node["kgType"]] = counts.get(node["kgType"], 0) + 1
    data = {
        "nodes": net.nodes, "edges": net.edges, "options": options(len(net.nodes)), "notice": notice,
        "legend": [{"type": t, "color": COLORS[t], "count": counts.get(t, 0)} for t in vocab.ENTITY_TYPES],
        "types": list(vocab.ENTITY_TYPES),
        "predicates": sorted({e["label"] for e in net.edges}),
    }
    template = Template((Path(__file__).parent / "templates" / "graph.html").read_text(encoding="utf-8"))
    return template.substitute(title=html.escape(title), heading=html.escape(title), data=_safe_json(data),
                               visjs=_vis_js())
