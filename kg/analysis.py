"""The store's knowledge graph as a networkx graph, and what networkx tells
about it: central entities, components, shortest paths."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from . import rdf, vocab
from .query import term_text
from .store import Store

# A company that is also its service (Facebook) is shown as the platform.
TYPE_PRIORITY = (vocab.PERSON, vocab.GROUP, vocab.PLATFORM, vocab.ORGANIZATION, vocab.LOCATION)

_ENTITIES = """
SELECT ?e ?label ?type WHERE { ?e a ?type ; rdfs:label ?label . VALUES ?type { %s } }
"""
_ALIASES = "SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt }"
_DOCS = "SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e kg:mentionedIn ?g } } GROUP BY ?e"
_RELATIONS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { %s } }"
_EVIDENCE = """
SELECT ?s ?p ?o ?sentence ?conf ?title ?id ?start ?end WHERE {
  GRAPH ?g { ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence ;
                kg:confidence ?conf ; kg:startOffset ?start ; kg:endOffset ?end .
             ?g kg:sourceId ?id . OPTIONAL { ?g dcterms:title ?title } }
}
"""
_THREATS = """
SELECT ?t ?actor ?target ?medium ?sentence ?claimed ?title WHERE {
  GRAPH ?g { ?t a kg:Threat ; kg:sentence ?sentence ; kg:claimed ?claimed .
             OPTIONAL { ?t kg:actor ?actor } OPTIONAL { ?t kg:target ?target } OPTIONAL { ?t kg:medium ?medium }
             OPTIONAL { ?g dcterms:title ?title } }
}
"""


@dataclass(frozen=True)
class Evidence:
    """One place a relation was read, for display."""

    sentence: str
    title: str
    document: str
    start: int
    end: int
    confidence: float


def load_graph(store: Store, min_confidence: float = 0.0, with_evidence: bool = True) -> nx.MultiDiGraph:
    """Entities as nodes (label, types, aliases, document count) and relations
    as edges keyed by predicate (evidence, best confidence)."""
    graph = nx.MultiDiGraph()
    for row in store.query(_ENTITIES % rdf.TYPE_LIST):
        node = row["e"].value
        type_ = row["type"].value.rsplit("#", 1)[-1]
        if node in graph:
            graph.nodes[node]["types"].append(type_)
            continue
        graph.add_node(node, label=row["label"].value, types=[type_], aliases=[], documents=0)
    for node, data in graph.nodes(data=True):
        data["types"].sort(key=TYPE_PRIORITY.index)
        data["type"] = data["types"][0]
    for row in store.query(_ALIASES):
        if row["e"].value in graph:
            graph.nodes[row["e"].value]["aliases"].append(row["alt"].value)
    for row in store.query(_DOCS):
        if row["e"].value in graph:
            graph.nodes[row["e"].value]["documents"] = int(row["n"].value)
    evidence: dict[tuple, list[Evidence]] = defaultdict(list)
    if with_evidence or min_confidence > 0:
        for row in store.query(_EVIDENCE):
            key = (row["s"].value, row["p"].value, row["o"].value)
            evidence[key].append(Evidence(row["sentence"].value, term_text(row["title"]), row["id"].value,
                                          int(row["start"].value), int(row["end"].value), float(row["conf"].value)))
    for row in store.query(_RELATIONS % rdf.PREDICATE_LIST):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        found = sorted(evidence.get((s, p, o), []), key=lambda e: -e.confidence)
        confidence = found[0].confidence if found else 1.0
        if confidence < min_confidence or s not in graph or o not in graph:
            continue
        predicate = p.rsplit("#", 1)[-1]
        graph.add_edge(s, o, key=predicate, predicate=predicate, evidence=found, confidence=confidence)
    return graph


def threats(store: Store) -> list[dict]:
    """Threat events with their actor, target and medium IRIs."""
    return [{k: term_text(row[k]) for k in ("t", "actor", "target", "medium", "sentence", "claimed", "title")}
            for row in store.query(_THREATS)]


def find_node(graph: nx.MultiDiGraph, name: str) -> str | None:
    """The node whose label or alias is ``name`` (case-insensitive), else one that contains it."""
    from .gazetteer import norm

    wanted = norm(name)
    partial = None
    for node, data in graph.nodes(data=True):
        names = [data["label"], *data["aliases"]]
        if any(norm(n) == wanted for n in names) or node == name:
            return node
        if partial is None and any(wanted in norm(n) for n in names):
            partial = node
    return partial


def centrality(graph: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, int, float]]:
    """(label, degree, PageRank) of the most central entities."""
    if not graph:
        return []
    simple = nx.DiGraph(graph)
    ranks = nx.pagerank(simple) if simple.number_of_edges() else {n: 1 / len(simple) for n in simple}
    rows = [(graph.nodes[n]["label"], graph.degree(n), ranks[n]) for n in graph]
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))[:top]


def components(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Weakly connected components, largest first, as lists of labels."""
    parts = sorted(nx.weakly_connected_components(graph), key=len, reverse=True)
    return [sorted(graph.nodes[n]["label"] for n in part) for part in parts]


def shortest_path(graph: nx.MultiDiGraph, source: str, target: str) -> list[tuple[str, str, str, list[Evidence]]]:
    """The hops (from label, predicate, to label, evidence) of a shortest chain, ignoring direction."""
    undirected = graph.to_undirected(as_view=True)
    nodes = nx.shortest_path(undirected, source, target)
    hops = []
    for a, b in zip(nodes, nodes[1:]):
        forward = graph.get_edge_data(a, b) or {}
        edges = [(a, b, d) for d in forward.values()] or [(b, a, d) for d in (graph.get_edge_data(b, a) or {}).values()]
        s, o, data = edges[0]
        hops.append((graph.nodes[s]["label"], data["predicate"], graph.nodes[o]["label"], data["evidence"]))
    return hops


def neighbourhood(graph: nx.MultiDiGraph, node: str, hops: int) -> nx.MultiDiGraph:
    undirected = graph.to_undirected(as_view=True)
    keep = nx.single_source_shortest_path_length(undirected, node, cutoff=hops)
    return graph.subgraph(keep).copy()


def restrict(graph: nx.MultiDiGraph, triples) -> nx.MultiDiGraph:
    """The part of the graph a query's (subject, predicate, object) IRIs name:
    their relation edges, and any entity named on its own."""
    keep = nx.MultiDiGraph()
    for s, p, o in triples:
        predicate = p.rsplit("#", 1)[-1]
        for node in (s, o):
            if node in graph:
                keep.add_node(node, **graph.nodes[node])
        data = graph.get_edge_data(s, o, key=predicate)
        if data is not None:
            keep.add_edge(s, o, key=predicate, **data)
    return keep
