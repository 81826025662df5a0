"""A store on a real Oxigraph server (the `oxigraph` package's `oxigraph serve`):
every command gives what it gives on a local store."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from conftest import SAMPLES, export_quads, free_port, wait_for
from rdflib.compare import isomorphic

from kg.cli import main

pytestmark = pytest.mark.model


def start_server(folder: Path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    process = subprocess.Popen([exe, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/query")
    return process, url


@pytest.fixture
def server(tmp_path):
    process, url = start_server(tmp_path / "oxigraph")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def remote_samples(tmp_path_factory):
    """An Oxigraph server holding the samples, built with `kg build --store URL`."""
    from click.testing import CliRunner

    process, url = start_server(tmp_path_factory.mktemp("remote") / "oxigraph")
    result = CliRunner().invoke(main, ["build", str(SAMPLES), "--store", url, "-q"])
    assert result.exit_code == 0, result.output
    yield url
    process.terminate()
    process.wait(10)


def export(runner, store):
    result = runner.invoke(main, ["export", "--store", str(store), "--format", "ttl"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def plain_graph(data: bytes) -> rdflib.Graph:
    """A Turtle export without build times."""
    graph = rdflib.Graph().parse(data=data, format="turtle")
    graph.remove((None, rdflib.DCTERMS.created, None))
    return graph


def test_remote_build_gives_the_local_graph(runner, remote_samples, sample_store):
    remote, local = (plain_graph(export(runner, s)) for s in (remote_samples, sample_store))
    assert len(remote) > 1000 and isomorphic(remote, local)
    remote, local = (export_quads(runner, s) for s in (remote_samples, sample_store))
    assert len(remote) > 1000 and remote == local


def test_remote_rebuild_adds_nothing(runner, remote_samples):
    from kg.store import open_store

    with open_store(remote_samples, read_only=True) as store:
        before = len(store)
    result = runner.invoke(main, ["build", str(SAMPLES), "--store", remote_samples, "-q"])
    assert result.exit_code == 0 and "0 new" in result.output and "8 unchanged" in result.output
    with open_store(remote_samples, read_only=True) as store:
        assert len(store) == before


@pytest.mark.parametrize("name,params", [
    ("threats", []), ("platforms", []), ("bans", []), ("roles", []),
    ("entity", ["--param", "name=isis"]), ("evidence", ["--param", "a=ISIS", "--param", "b=twitter"]),
])
def test_remote_ready_queries_answer_as_local(runner, remote_samples, sample_store, name, params):
    answers = []
    for store in (remote_samples, str(sample_store)):
        result = runner.invoke(main, ["query", name, "--store", store, "--format", "csv", *params])
        assert result.exit_code == 0, result.output
        answers.append(sorted(result.output.splitlines()))
    assert len(answers[0]) > 1 and answers[0] == answers[1]


@pytest.mark.parametrize("command", [["stats", "--json"], ["documents"], ["path", "ISIS", "Twitter"], ["validate"]])
def test_remote_commands_answer_as_local(runner, remote_samples, sample_store, command):
    outputs = []
    for store in (remote_samples, str(sample_store)):
        result = runner.invoke(main, [*command, "--store", store])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]


def test_remote_viz_draws_the_same_graph(runner, remote_samples, sample_store, tmp_path):
    messages = []
    for store in (remote_samples, str(sample_store)):
        out = tmp_path / f"{len(messages)}.html"
        result = runner.invoke(main, ["viz", "--store", store, "-o", str(out)])
        assert result.exit_code == 0, result.output
        messages.append(result.output.split(":", 1)[1])
    assert "nodes" in messages[0] and messages[0] == messages[1]


def test_remote_remove_matches_local(runner, server, store_copy):
    assert runner.invoke(main, ["build", str(SAMPLES), "--store", server, "-q"]).exit_code == 0
    for store in (server, str(store_copy)):
        result = runner.invoke(main, ["remove", "isis_threatens_tech_ceos.txt", "--store", store])
        assert result.exit_code == 0, result.output
    remote, local = (export_quads(runner, s) for s in (server, store_copy))
    assert remote == local
    assert "Zuckerberg" not in export(runner, server).decode()


def test_remote_serve_proxies_queries(remote_samples):
    from SPARQLWrapper import JSON, SPARQLWrapper

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", remote_samples,
                                "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        client = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/kg/ontology#threatens> ?o }")
        client.setReturnFormat(JSON)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) > 0
    finally:
        process.terminate()
        process.wait(10)


def test_remote_unreachable_server_is_one_clean_error(runner):
    port = free_port()
    result = runner.invoke(main, ["stats", "--store", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert "cannot reach the SPARQL server" in result.output and "Traceback" not in result.output


def test_remote_malformed_query_reports_the_users_column(runner, server):
    result = runner.invoke(main, ["query", "SELECT * WHERE { ?s ?p }", "--store", server])
    assert result.exit_code == 1 and "line 1, column 25" in result.output


def test_remote_endpoints_follow_server_conventions():
    from kg.remote import endpoints

    assert endpoints("http://h:7878") == ("http://h:7878/query", "http://h:7878/update")
    assert endpoints("http://h:3030/ds/") == ("http://h:3030/ds/query", "http://h:3030/ds/update")
    assert endpoints("http://h:8890/sparql") == ("http://h:8890/sparql", "http://h:8890/sparql")
    assert endpoints("http://h/ds/query") == ("http://h/ds/query", "http://h/ds/update")


def test_remote_values_bind_parameters_at_the_top():
    import pyoxigraph as ox

    from kg.remote import with_values

    text = with_values('SELECT ?name ?e WHERE { BIND(LCASE(?name) AS ?k) ?e ?p ?k }',
                       {ox.Variable("name"): ox.Literal('say "hi"')})
    assert text.startswith('SELECT ?name ?e WHERE { VALUES (?name) { ("say \\"hi\\"") } BIND(')
