"""kg export: the whole graph in standard formats, written atomically."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from . import rdf
from .errors import FormatError, KGError
from .store import Store

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
FORMATS = ("ttl", "nt", "jsonld", "trig", "nq", "graphml", "stix")
SUFFIX_FORMATS = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld", ".trig": "trig",
                  ".nq": "nq", ".graphml": "graphml", ".stix": "stix"}

JSONLD_CONTEXT = {
    "@vocab": rdf.PREFIXES["kg"], **{k: v for k, v in rdf.PREFIXES.items()},
    "label": rdf.RDFS + "label", "altLabel": rdf.SKOS + "altLabel",
}


def triples(store: Store) -> list[ox.Triple]:
    """Every triple of every graph, once."""
    return list(dict.fromkeys(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")))


def serialize(store: Store, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise FormatError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt in ("trig", "nq"):
        kwargs = {"prefixes": rdf.PREFIXES} if fmt == "trig" else {}
        return ox.serialize(document_quads(store), format=RDF_FORMATS[fmt], **kwargs)
    if fmt in ("ttl", "nt"):
        kwargs = {"prefixes": rdf.PREFIXES} if fmt == "ttl" else {}
        return ox.serialize(triples(store), format=RDF_FORMATS[fmt], **kwargs)
    if fmt == "jsonld":
        import rdflib

        graph = rdflib.Graph()
        graph.parse(data=ox.serialize(triples(store), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True).encode("utf-8")
    if fmt == "stix":
        from .analysis import load_graph
        from .stix import bundle

        return bundle(load_graph(store)).encode("utf-8")
    return _graphml(store)


_DOCUMENT_FACTS = """
SELECT ?g ?s ?p ?o WHERE {
  { GRAPH ?g { ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }
  UNION
  { GRAPH ?g { ?s kg:mentionedIn ?g } VALUES ?p { rdf:type rdfs:label skos:altLabel skos:hiddenLabel } ?s ?p ?o
    FILTER(?p != skos:altLabel || EXISTS { GRAPH ?g { ?s kg:mentionedAs ?o } })
    FILTER(?p != skos:hiddenLabel || EXISTS { GRAPH ?g { ?s kg:mentionedAs ?n } FILTER(LCASE(?n) = ?o) }) }
}
"""


def document_quads(store: Store) -> list[ox.Quad]:
    """Every document's graph made whole: its provenance, and the plain facts
    it supports (relations it asserts; types, labels and the names it uses of
    the entities it mentions). A triplestore can then drop one source by
    dropping its graph; the union of the graphs is the store's graph."""
    quads = [q for q in store.quads() if not isinstance(q.graph_name, ox.DefaultGraph)]
    for row in store.query(_DOCUMENT_FACTS, union=False):
        quads.append(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
    return list(dict.fromkeys(quads))


def _graphml(store: Store) -> bytes:
    import networkx as nx

    from .analysis import load_graph

    graph = load_graph(store)
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, label=data["label"], type=data["type"], types=",".join(data["types"]),
                      aliases="; ".join(data["aliases"]), documents=data["documents"])
    for s, o, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, predicate=data["predicate"], confidence=data["confidence"],
                      evidence=" | ".join(e.sentence for e in data["evidence"][:5]))
    out = io.BytesIO()
    nx.write_graphml(flat, out)
    return out.getvalue()


def write(store: Store, fmt: str, output: str | None) -> int:
    """Write the export to ``output`` (via a temporary file and a rename) or stdout; returns bytes written."""
    data = serialize(store, fmt)
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return len(data)
    write_atomic(Path(output), data)
    return len(data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: never a truncated file under the name."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes files private; an export is an ordinary file
        os.replace(temp, path)
    except OSError as exc:
        if "temp" in locals() and os.path.exists(temp):
            os.unlink(temp)
        raise KGError(f"{path}: cannot write ({exc.strerror or exc}); check the folder exists and is writable") from exc
