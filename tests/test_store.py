"""The Oxigraph store: idempotent builds, replacement, removal, and bad stores."""

import pytest

from kg.build import build
from kg.errors import StoreError, StoreLockedError
from kg.store import open_store

from conftest import ISIS

pytestmark = pytest.mark.model


def counts(store):
    return len(store), len(store.documents())


def test_store_building_twice_changes_nothing(store_copy, tmp_path):
    with open_store(store_copy) as store:
        before = counts(store)
        report = build(store, [str(ISIS.parent)])
        assert report.added == 0 and report.unchanged == before[1]
        assert counts(store) == before


def test_store_changed_document_replaces_old_version(tmp_path):
    doc = tmp_path / "in" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Report\n\nISIS threatened Mark Zuckerberg.")
    with open_store(tmp_path / "s", create=True) as store:
        build(store, [str(doc.parent)])
        doc.write_text("Report\n\nTwitter suspended accounts linked to al-Shabaab.")
        report = build(store, [str(doc.parent)])
        assert report.replaced == 1
        assert len(store.documents()) == 1
        predicates = {r["p"].value.rsplit("#")[-1] for r in store.query("SELECT ?p WHERE { ?s ?p ?o }")}
        assert "bans" in predicates and "threatens" not in predicates
        labels = {r["l"].value for r in store.query("SELECT ?l WHERE { ?e rdfs:label ?l }")}
        assert "Mark Zuckerberg" not in labels
        assert not bool(store.query('ASK { ?e skos:altLabel "ISIS" }'))


def test_store_remove_keeps_facts_other_documents_support(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A\n\nTwitter suspended accounts linked to ISIS.")
    (folder / "b.txt").write_text("B\n\nTwitter suspended accounts linked to ISIS. ISIS threatened Jack Dorsey.")
    with open_store(tmp_path / "s", create=True) as store:
        build(store, [str(folder)])
        ask = 'ASK { ?t rdfs:label "Twitter" . ?i rdfs:label "Islamic State" . ?t kg:bans ?i }'
        store.remove_graphs(store.find_documents("b.txt"))
        assert bool(store.query(ask))
        assert not bool(store.query('ASK { ?p rdfs:label "Jack Dorsey" }'))
        store.remove_graphs(store.find_documents("a.txt"))
        assert not bool(store.query(ask))
        assert len(store) == 0


def test_store_not_a_store_folder(tmp_path):
    (tmp_path / "junk.txt").write_text("hello")
    with pytest.raises(StoreError, match="not a kg store"):
        open_store(tmp_path, create=True)


def test_store_missing_for_reading(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "none", read_only=True)


def test_store_second_writer_is_told_to_wait(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "s"
    open_store(path, create=True).close()
    holder = subprocess.Popen([sys.executable, "-c", f"from kg.store import open_store; s = open_store({str(path)!r});"
                               "import sys; print('ready', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="another kg process"):
            open_store(path)
        with open_store(path, read_only=True) as reader:  # readers still work
            assert len(reader) == 0
    finally:
        holder.communicate("")
