"""The facts the foundation issue requires from the ISIS article alone."""

import pytest

from kg import rdf
from kg.store import open_store

pytestmark = pytest.mark.model

K = rdf.PREFIXES["kg"]


def triples(path):
    with open_store(path, read_only=True) as store:
        rows = store.query(
            "SELECT ?s ?p ?o WHERE { ?a ?p ?b . ?a rdfs:label ?s . ?b rdfs:label ?o . "
            "FILTER(STRSTARTS(STR(?p), STR(kg:))) }")
        return {(r["s"].value, r["p"].value[len(K):], r["o"].value) for r in rows}


def types(path):
    with open_store(path, read_only=True) as store:
        rows = store.query("SELECT ?l ?t WHERE { ?e rdfs:label ?l ; a ?t }")
        found = {}
        for r in rows:
            found.setdefault(r["l"].value, set()).add(r["t"].value[len(K):])
        return found


@pytest.mark.parametrize("fact", [
    ("sons of the Caliphate army", "threatens", "Mark Zuckerberg"),
    ("sons of the Caliphate army", "threatens", "Jack Dorsey"),
    ("Mark Zuckerberg", "worksFor", "Facebook"),
    ("Jack Dorsey", "worksFor", "Twitter"),
    ("Twitter", "bans", "Islamic State"),
    ("Islamic State", "usesPlatform", "Telegram"),
])
def test_isis_article_facts(isis_store, fact):
    assert fact in triples(isis_store)


def test_isis_article_types(isis_store):
    found = types(isis_store)
    assert found["Islamic State"] == {"Group"}
    assert "Platform" in found["Facebook"] and "Platform" in found["Twitter"] and "Platform" in found["Telegram"]
    assert "Person" not in found["Twitter"]


def test_isis_article_one_node_per_person(isis_store):
    with open_store(isis_store, read_only=True) as store:
        rows = list(store.query("SELECT ?e WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n } "
                                "FILTER(?n IN (\"Zuckerberg\", \"Mark Zuckerberg\")) }"))
    assert len({r["e"].value for r in rows}) == 1
