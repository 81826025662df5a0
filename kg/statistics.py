"""Figures about a store: counts, central entities, components."""

from __future__ import annotations

from . import analysis, rdf
from .query import term_text
from .store import Store


def collect(store: Store, top: int = 10) -> dict:
    by_type = {term_text(r["t"]).rsplit("#", 1)[-1]: int(r["n"].value) for r in store.query(
        f"SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?t {{ {rdf.TYPE_LIST} }} ?e a ?t }} GROUP BY ?t ORDER BY DESC(?n)")}
    by_predicate = {term_text(r["p"]).rsplit("#", 1)[-1]: int(r["n"].value) for r in store.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {rdf.PREDICATE_LIST} }} ?s ?p ?o }} GROUP BY ?p ORDER BY DESC(?n)")}

    def count(sparql: str) -> int:
        return int(next(iter(store.query(sparql)))["n"].value)

    graph = analysis.load_graph(store, with_evidence=False)
    parts = analysis.components(graph)
    return {
        "documents": count("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a kg:Document } }"),
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "threat_events": count("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH ?g { ?t a kg:Threat } }"),
        "assertions": count("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a kg:Assertion } }"),
        "quads": len(store),
        "by_type": by_type,
        "by_predicate": by_predicate,
        "central": [{"entity": label, "degree": degree, "pagerank": round(rank, 4)}
                    for label, degree, rank in analysis.centrality(graph, top)],
        "components": {"count": len(parts), "largest": len(parts[0]) if parts else 0,
                       "sizes": [len(p) for p in parts[:top]]},
    }
