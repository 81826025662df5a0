"""Shared fixtures: a real spaCy model, a real Oxigraph store built from the
bundled samples, and the CLI."""

from __future__ import annotations

import shutil
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
ISIS = SAMPLES / "isis_threatens_tech_ceos.txt"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    from kg.pipeline import pipeline

    return pipeline()


def _built(tmp_path_factory, name: str, source: Path) -> Path:
    from kg.build import build
    from kg.store import open_store

    path = tmp_path_factory.mktemp(name) / "store"
    with open_store(path, create=True) as store:
        build(store, [str(source)])
    return path


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """A store built from the bundled samples, once per test session (read-only use)."""
    return _built(tmp_path_factory, "samples", SAMPLES)


@pytest.fixture(scope="session")
def isis_store(tmp_path_factory):
    return _built(tmp_path_factory, "isis", ISIS)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def store_copy(sample_store, tmp_path):
    """A writable copy of the sample store."""
    target = tmp_path / "store"
    shutil.copytree(sample_store, target, ignore=shutil.ignore_patterns("LOCK"))
    return target


def facts_of(nlp, text: str, doc_id: str = "t.txt"):
    """Extract facts from a text with the real model."""
    from kg.documents import text_document
    from kg.extract import document_facts
    from kg.nlp import parse

    document = text_document(doc_id, text)
    (doc, docs), = parse(nlp, [document])
    return document_facts(doc, docs)


def triples_of(facts) -> set[tuple[str, str, str]]:
    names = {e.key: e.name for e in facts.entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in facts.relations}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 15) -> None:
    """Wait until an HTTP server answers at ``url`` (any status)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def export_quads(runner, store) -> set:
    """The store's N-Quads export as a set, without build times (so stores
    built at different moments compare). kg writes no blank nodes, so sets
    compare exactly."""
    import rdflib

    from kg.cli import main

    result = runner.invoke(main, ["export", "--store", str(store), "--format", "nq"])
    assert result.exit_code == 0, result.output
    dataset = rdflib.Dataset()
    dataset.parse(data=result.stdout_bytes, format="nquads")
    return {quad for quad in dataset.quads() if quad[1] != rdflib.DCTERMS.created}
