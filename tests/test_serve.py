"""kg serve with a real SPARQL client and plain HTTP, in a separate process."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import free_port, wait_for

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def endpoint(sample_store):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(sample_store),
                                "--port", str(port), "--timeout", "3"], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/")
    yield base
    process.terminate()
    process.wait(10)


def get(url, accept=None, data=None, content_type=None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


THREATS = "SELECT ?a ?t WHERE { ?x kg:threatens ?y . ?x rdfs:label ?a . ?y rdfs:label ?t }"


def test_serve_sparqlwrapper_select_and_construct(endpoint):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery("PREFIX kg: <https://w3id.org/kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + THREATS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {"a": "Islamic State", "t": "Mark Zuckerberg"} in [{k: v["value"] for k, v in r.items()} for r in rows]
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10")
    client.setReturnFormat(TURTLE)
    assert len(client.query().convert()) > 0


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["results"]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b.startswith(b"<?xml")),
    ("text/csv", "text/csv", lambda b: b.splitlines()[0] == b"a,t"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines()[0] == b"?a\t?t"),
])
def test_serve_content_negotiation(endpoint, accept, media, check):
    status, ctype, body = get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": THREATS}), accept)
    assert status == 200 and ctype.startswith(media) and check(body)


def test_serve_construct_as_jsonld_and_post_form(endpoint):
    data = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s kg:bans ?o }"}).encode()
    status, ctype, body = get(endpoint + "/sparql", "application/ld+json", data, "application/x-www-form-urlencoded")
    assert status == 200 and ctype.startswith("application/ld+json") and json.loads(body)


def test_serve_refuses_updates(endpoint):
    status, _, body = get(endpoint + "/sparql", data=b"DELETE WHERE { ?s ?p ?o }", content_type="application/sparql-update")
    assert status == 403 and b"read-only" in body
    status, _, _ = get(endpoint + "/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"}))
    assert status == 403
    status, _, _ = get(endpoint + "/sparql", data=b"DROP ALL", content_type="application/sparql-query")
    assert status == 403


def test_serve_survives_bad_and_slow_queries(endpoint):
    bad = get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert bad[0] == 400 and b"line 1" in bad[2]
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    started = time.time()
    status, _, body = get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": slow}))
    assert status == 503 and b"longer than" in body and time.time() - started < 10
    ok = get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": THREATS}), "text/csv")
    assert ok[0] == 200


def test_serve_pages(endpoint):
    status, ctype, page = get(endpoint + "/")
    assert status == 200 and b"threats" in page and b"/sparql" in page
    status, ctype, graph = get(endpoint + "/graph")
    assert status == 200 and b"vis.Network" in graph


def test_serve_burst_of_bad_and_slow_queries(endpoint):
    from concurrent.futures import ThreadPoolExecutor

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    queries = ["SELECT ?x WHERE {"] * 20 + ["DELETE WHERE { ?s ?p ?o }"] * 5 + [slow] * 3 + ["x" * 200_000]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda q: get(endpoint + "/sparql", data=q.encode(),
                                               content_type="application/sparql-query")[0], queries))
    assert set(statuses) <= {400, 403, 413, 503} and 400 in statuses and 503 in statuses
    ok = get(endpoint + "/sparql?" + urllib.parse.urlencode({"query": THREATS}), "application/sparql-results+json")
    assert ok[0] == 200 and json.loads(ok[2])["results"]["bindings"]
