"""The on-disk graph store: an Oxigraph database in a folder.

Writes are transactions of whole documents, so a killed build leaves every
document either fully in or fully absent. Read-only opens do not take the
write lock, so queries run while a build writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from . import rdf, vocab
from .errors import StoreError, StoreLockedError
from .facts import DocumentFacts

MARKER = "kg-store.json"
FORMAT_VERSION = 1

_REMOVE_UNSUPPORTED = """
DELETE {{ ?s ?p ?o }} WHERE {{
  VALUES ?p {{ {predicates} }}
  ?s ?p ?o .
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }}
}} ;
DELETE {{ ?e ?p ?o }} WHERE {{
  VALUES ?t {{ {types} }}
  ?e a ?t .
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e kg:mentionedIn ?d }} }}
  ?e ?p ?o .
}} ;
DELETE {{ ?e skos:altLabel ?n }} WHERE {{
  ?e skos:altLabel ?n .
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e kg:mentionedAs ?n }} }}
}} ;
DELETE {{ ?e skos:hiddenLabel ?k }} WHERE {{
  ?e skos:hiddenLabel ?k .
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e kg:mentionedAs ?n }} FILTER(LCASE(?n) = ?k) }}
  FILTER NOT EXISTS {{ ?e rdfs:label ?l FILTER(LCASE(?l) = ?k) }}
}}
"""


class Store:
    """A kg graph store in ``path``; open with :func:`open_store`."""

    def __init__(self, path: Path, db: ox.Store, read_only: bool):
        self.path = path
        self.db = db
        self.read_only = read_only

    # -- documents ---------------------------------------------------------
    def versions(self, document_id: str) -> dict[str, str]:
        """graph IRI -> content hash of every stored version of a source document."""
        prefix = rdf.source_prefix(document_id)
        found = {}
        for quad in self.db.quads_for_pattern(None, rdf.kg("sourceId"), ox.Literal(document_id), None):
            if quad.graph_name.value.startswith(prefix):
                found[quad.graph_name.value] = quad.graph_name.value.rsplit("/", 1)[-1]
        return found

    def add(self, batch: Iterable[DocumentFacts]) -> int:
        """Write documents' facts in one transaction; returns how many were written."""
        self._writable()
        quads: list[ox.Quad] = []
        labelled: set[str] = set()
        count = 0
        for facts in batch:
            plain, prov = rdf.document_quads(facts)
            for quad in plain:
                if quad.predicate == rdf.LABEL:
                    # One rdfs:label per entity: the first document to name it sets it.
                    if quad.subject.value in labelled or next(
                            self.db.quads_for_pattern(quad.subject, rdf.LABEL, None, rdf.DEFAULT), None):
                        continue
                    labelled.add(quad.subject.value)
                quads.append(quad)
            quads += prov
            count += 1
        try:
            self.db.extend(quads)
        except OSError as exc:
            raise StoreError(f"{self.path}: writing failed ({exc}); what was committed before is intact") from exc
        return count

    def remove_graphs(self, graphs: Iterable[str]) -> int:
        """Drop document graphs and every plain triple or entity only they supported."""
        self._writable()
        graphs = list(graphs)
        if not graphs:
            return 0
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        update = drops + " ;\n" + _REMOVE_UNSUPPORTED.format(predicates=rdf.PREDICATE_LIST, types=rdf.TYPE_LIST)
        try:
            self.db.update(update, prefixes=rdf.PREFIXES)
        except OSError as exc:
            raise StoreError(f"{self.path}: removing failed ({exc})") from exc
        return len(graphs)

    def documents(self) -> list[dict]:
        """Every stored document: graph, id, title, hash."""
        rows = self.db.query(
            "SELECT ?g ?id ?title ?hash WHERE { GRAPH ?g { ?g a kg:Document ; kg:sourceId ?id ; kg:contentHash ?hash "
            "OPTIONAL { ?g dcterms:title ?title } } } ORDER BY ?id", prefixes=rdf.PREFIXES)
        return [{"graph": r["g"].value, "id": r["id"].value, "title": r["title"].value if r["title"] else "",
                 "hash": r["hash"].value} for r in rows]

    def find_documents(self, ref: str) -> list[str]:
        """Graph IRIs of the documents ``ref`` names: a source id, file name, title or hash prefix."""
        hits = []
        for doc in self.documents():
            if ref in (doc["id"], doc["graph"], doc["title"]) or doc["id"].endswith("/" + ref) or (
                    len(ref) >= 8 and doc["hash"].startswith(ref)):
                hits.append(doc["graph"])
        return hits

    # -- reading -----------------------------------------------------------
    def query(self, sparql: str, substitutions=None):
        return self.db.query(sparql, prefixes=rdf.PREFIXES, use_default_graph_as_union=True,
                             substitutions=substitutions)

    def __len__(self) -> int:
        return len(self.db)

    def flush(self) -> None:
        if not self.read_only:
            self.db.flush()

    def optimize(self) -> None:
        """Compact the database: after a large build its write-ahead logs dwarf the data."""
        if not self.read_only:
            self.db.optimize()

    def close(self) -> None:
        self.flush()
        del self.db

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self.close()
        except (OSError, RuntimeError) as error:
            if exc_type is None:  # otherwise the first error is the one to report
                raise StoreError(f"{self.path}: closing failed ({error}); what was committed before is intact") from error


def open_store(path: str | Path, read_only: bool = False, create: bool = False) -> Store:
    """Open (or with ``create`` make) the store in folder ``path``."""
    path = Path(path)
    marker = path / MARKER
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no store here; build one first with 'kg build FILES --store {path}'")
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store ({exc.strerror or exc}); choose a writable --store") from exc
    elif not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder; choose another --store")
    elif not marker.exists():
        if any(path.iterdir()):
            raise StoreError(f"{path}: is not a kg store (no {MARKER}); choose an empty or new folder for --store")
        if not create:
            raise StoreError(f"{path}: the store is empty; build it first with 'kg build FILES --store {path}'")
    else:
        _check_marker(marker)
    try:
        db = ox.Store.read_only(str(path)) if read_only and marker.exists() else ox.Store(str(path))
    except (OSError, RuntimeError) as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreLockedError(
                f"{path}: another kg process is writing to this store; wait for it to finish "
                f"(read-only commands such as query and export can run meanwhile)") from exc
        if "permission" in text.lower() or "read-only" in text.lower():
            raise StoreError(f"{path}: cannot write here ({text}); choose a writable --store") from exc
        raise StoreError(f"{path}: the store cannot be opened ({text}); it may be damaged — rebuild it into a new folder") from exc
    if not marker.exists():
        try:
            marker.write_text(json.dumps({"kg_store": FORMAT_VERSION, "ontology": vocab.ONTOLOGY}) + "\n")
        except OSError as exc:
            raise StoreError(f"{path}: cannot write here ({exc.strerror or exc}); choose a writable --store") from exc
    return Store(path, db, read_only)


def _check_marker(marker: Path) -> None:
    try:
        data = json.loads(marker.read_text())
        version = int(data["kg_store"])
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise StoreError(f"{marker}: damaged store marker; rebuild the store into a new folder") from exc
    if version > FORMAT_VERSION:
        raise StoreError(f"{marker.parent}: made by a newer kg (store format {version}); upgrade kg")
