"""The graph store: an Oxigraph database in a folder, or (kg.remote) a
SPARQL 1.1 server.

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
    """What every kg store offers; the local folder and a SPARQL server differ
    only in the primitives at the bottom (query, write, update, quads)."""

    path: str | Path
    read_only: bool

    # -- documents ---------------------------------------------------------
    def versions(self, document_id: str) -> dict[str, str]:
        """graph IRI -> content hash of every stored version of a source document."""
        prefix = rdf.source_prefix(document_id)
        rows = self.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g kg:sourceId {ox.Literal(document_id)} }} }}", union=False)
        graphs = [row["g"].value for row in rows]
        return {g: g.rsplit("/", 1)[-1] for g in graphs if g.startswith(prefix)}

    def add(self, batch: Iterable[DocumentFacts]) -> int:
        """Write documents' facts in one transaction; returns how many were written."""
        self._writable()
        plain: list[ox.Quad] = []
        prov: list[ox.Quad] = []
        count = 0
        for facts in batch:
            more_plain, more_prov = rdf.document_quads(facts)
            plain += more_plain
            prov += more_prov
            count += 1
        # One rdfs:label per entity: the first document to name it sets it.
        named = {q.subject for q in plain if q.predicate == rdf.LABEL}
        labelled = self._labelled(named) if named else set()
        quads = []
        for quad in plain:
            if quad.predicate == rdf.LABEL:
                if quad.subject in labelled:
                    continue
                labelled.add(quad.subject)
            quads.append(quad)
        self._write(quads + prov)
        return count

    def remove_graphs(self, graphs: Iterable[str]) -> int:
        """Drop document graphs and every plain triple or entity only they supported."""
        self._writable()
        graphs = list(graphs)
        if not graphs:
            return 0
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        self._update(drops + " ;\n" + _REMOVE_UNSUPPORTED.format(predicates=rdf.PREDICATE_LIST, types=rdf.TYPE_LIST))
        return len(graphs)

    def documents(self) -> list[dict]:
        """Every stored document: graph, id, title, hash."""
        rows = self.query(
            "SELECT ?g ?id ?title ?hash WHERE { GRAPH ?g { ?g a kg:Document ; kg:sourceId ?id ; kg:contentHash ?hash "
            "OPTIONAL { ?g dcterms:title ?title } } } ORDER BY ?id", union=False)
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

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                          union=False)
        return int(next(iter(rows))["n"].value)

    def _labelled(self, subjects: set[ox.NamedNode]) -> set[ox.NamedNode]:
        values = " ".join(str(s) for s in subjects)
        rows = self.query(f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}", union=False)
        return {row["s"] for row in rows}

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    # -- primitives --------------------------------------------------------
    def query(self, sparql: str, substitutions: dict | None = None, union: bool = True):
        """Run SPARQL with kg's prefixes. ``union``: the default graph is every
        graph merged, as in ``kg query``; otherwise only the plain facts.
        Returns pyoxigraph results: QuerySolutions, QueryBoolean, or triples."""
        raise NotImplementedError

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of every graph."""
        raise NotImplementedError

    def _write(self, quads: list[ox.Quad]) -> None:
        raise NotImplementedError

    def _update(self, sparql: str) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Make what was written durable."""

    def optimize(self) -> None:
        """Compact after a large build, where the store can."""

    def close(self) -> None:
        self.flush()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self.close()
        except (OSError, RuntimeError) as error:
            if exc_type is None:  # otherwise the first error is the one to report
                raise StoreError(f"{self.path}: closing failed ({error}); what was committed before is intact") from error


class LocalStore(Store):
    """A kg graph store in the folder ``path``; open with :func:`open_store`."""

    def __init__(self, path: Path, db: ox.Store, read_only: bool):
        self.path = path
        self.db = db
        self.read_only = read_only

    def query(self, sparql: str, substitutions: dict | None = None, union: bool = True):
        return self.db.query(sparql, prefixes=rdf.PREFIXES, use_default_graph_as_union=union,
                             substitutions=substitutions)

    def quads(self) -> Iterable[ox.Quad]:
        return iter(self.db)

    def __len__(self) -> int:
        return len(self.db)

    def _write(self, quads: list[ox.Quad]) -> None:
        try:
            self.db.extend(quads)
        except OSError as exc:
            raise StoreError(f"{self.path}: writing failed ({exc}); what was committed before is intact") from exc

    def _update(self, sparql: str) -> None:
        try:
            self.db.update(sparql, prefixes=rdf.PREFIXES)
        except OSError as exc:
            raise StoreError(f"{self.path}: updating failed ({exc})") from exc

    def flush(self) -> None:
        if not self.read_only:
            self.db.flush()

    def optimize(self) -> None:
        # After a large build the write-ahead logs dwarf the data.
        if not self.read_only:
            self.db.optimize()

    def close(self) -> None:
        self.flush()
        del self.db


def open_store(path: str | Path, read_only: bool = False, create: bool = False) -> Store:
    """Open (or with ``create`` make) the store in folder ``path``, or the one
    on the SPARQL server at the URL ``path``."""
    if is_url(str(path)):
        from .remote import RemoteStore

        return RemoteStore.connect(str(path), read_only)
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
    return LocalStore(path, db, read_only)


def _check_marker(marker: Path) -> None:
    try:
        data = json.loads(marker.read_text())
        version = int(data["kg_store"])
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise StoreError(f"{marker}: damaged store marker; rebuild the store into a new folder") from exc
    if version > FORMAT_VERSION:
        raise StoreError(f"{marker.parent}: made by a newer kg (store format {version}); upgrade kg")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def is_graph(result) -> bool:
    """Whether a query result is triples (CONSTRUCT, DESCRIBE): Oxigraph's
    QueryTriples locally, a list of triples from a server."""
    return isinstance(result, (ox.QueryTriples, list))
