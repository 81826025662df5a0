"""Exports parse back to the same graph."""

import io
import json

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import export
from kg.store import open_store

pytestmark = pytest.mark.model


def store_graph(store) -> rdflib.Graph:
    graph = rdflib.Graph()
    import pyoxigraph as ox

    graph.parse(data=ox.serialize(export.triples(store), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


@pytest.mark.parametrize("fmt, parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_triple_formats_round_trip(sample_store, fmt, parser):
    with open_store(sample_store, read_only=True) as store:
        data = export.serialize(store, fmt)
        expected = store_graph(store)
    back = rdflib.Graph().parse(data=data.decode("utf-8"), format=parser)
    assert len(back) == len(expected) > 100
    assert isomorphic(back, expected)


@pytest.mark.parametrize("fmt, parser", [("trig", "trig"), ("nq", "nquads")])
def test_export_dataset_formats_keep_one_whole_graph_per_document(sample_store, fmt, parser):
    with open_store(sample_store, read_only=True) as store:
        data = export.serialize(store, fmt)
        documents = len(store.documents())
        expected = store_graph(store)
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format=parser)
    named = [g for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g)]
    assert len(named) == documents
    union = rdflib.Graph()
    for graph in named:
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, expected)  # nothing lost, nothing only in a default graph
    # Each document graph holds the relation triples it asserts, so dropping it drops them.
    kg = rdflib.Namespace("https://w3id.org/kg/ontology#")
    for graph in named:
        for a in graph.subjects(rdflib.RDF.type, kg.Assertion):
            s, p, o = (graph.value(a, rdflib.RDF[x]) for x in ("subject", "predicate", "object"))
            assert (s, p, o) in graph


def test_export_jsonld_uses_short_names(sample_store):
    with open_store(sample_store, read_only=True) as store:
        data = json.loads(export.serialize(store, "jsonld"))
    text = json.dumps(data)
    assert "@context" in data
    assert '"threatens"' in text and "ontology#threatens" not in text


def test_export_graphml_matches_graph(sample_store):
    from kg.analysis import load_graph

    with open_store(sample_store, read_only=True) as store:
        data = export.serialize(store, "graphml")
        graph = load_graph(store)
    back = nx.read_graphml(io.BytesIO(data))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


def test_export_write_is_atomic(sample_store, tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    with open_store(sample_store, read_only=True) as store:
        export.write(store, "ttl", str(target))
    assert target.read_text().startswith("@prefix")
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_export_stix_bundle_parses_and_matches_graph(sample_store):
    import stix2

    from kg.analysis import load_graph

    with open_store(sample_store, read_only=True) as store:
        data = export.serialize(store, "stix")
        graph = load_graph(store)
    bundle = stix2.parse(data.decode("utf-8"), allow_custom=True)
    kinds = [o.type for o in bundle.objects]
    assert kinds.count("relationship") == graph.number_of_edges()
    assert len(kinds) - kinds.count("relationship") == graph.number_of_nodes()
    targets = [o for o in bundle.objects if o.type == "relationship" and o.relationship_type == "targets"]
    assert targets and all(0 <= o.confidence <= 100 and "Evidence:" in o.description for o in targets)
    actors = {o.name for o in bundle.objects if o.type == "threat-actor"}
    assert "Islamic State" in actors
