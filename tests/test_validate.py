"""SHACL validation of what kg build writes."""

import pyoxigraph as ox
import pytest

from kg import rdf, vocab
from kg.store import open_store
from kg.validate import shapes_graph, validate

pytestmark = pytest.mark.model


def test_validate_samples_conform(sample_store):
    with open_store(sample_store, read_only=True) as store:
        assert validate(store) == []


def test_validate_reports_broken_graph(store_copy):
    with open_store(store_copy) as store:
        entity = next(iter(store.query('SELECT ?e WHERE { ?e rdfs:label "Twitter" }')))["e"]
        store.db.add(ox.Quad(entity, rdf.LABEL, ox.Literal("Twitter Inc."), rdf.DEFAULT))
        assertion = next(iter(store.query("SELECT ?a ?g WHERE { GRAPH ?g { ?a a kg:Assertion } }")))
        store.db.add(ox.Quad(assertion["a"], rdf.kg("confidence"),
                             ox.Literal("1.5", datatype=ox.NamedNode(rdf.XSD + "decimal")), assertion["g"]))
        violations = validate(store)
    paths = {v.path.rsplit("#", 1)[-1] for v in violations}
    assert "label" in paths and "confidence" in paths


def test_validate_shapes_follow_the_vocabulary():
    import rdflib

    graph = shapes_graph()
    kg = rdflib.Namespace(vocab.ONTOLOGY)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for predicate in vocab.PREDICATES:
        shape = next(graph.subjects(sh.targetSubjectsOf, kg[predicate]))
        members = rdflib.collection.Collection(graph, graph.value(shape, sh["or"]))
        allowed = {str(graph.value(m, sh["class"])).rsplit("#", 1)[-1] for m in members}
        assert allowed == set(vocab.SIGNATURES[predicate][0]), predicate
