"""A kg store on a SPARQL 1.1 server: Oxigraph server, Apache Jena Fuseki,
Virtuoso, GraphDB.

Reads go to the query endpoint, writes to the update endpoint; each batch of
documents is one INSERT DATA request, which the server applies as one
transaction, so an interrupted build leaves whole documents as on disk.
Results come back as SPARQL JSON or N-Triples and are parsed into the same
pyoxigraph objects a local store returns, so every command works on either.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from . import config, rdf
from .errors import StoreError
from .store import Store

_RESULTS = "application/sparql-results+json"
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
# On one line, so the server's line numbers in syntax errors stay the user's.
_PROLOGUE = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in rdf.PREFIXES.items()) + " "


def endpoints(url: str) -> tuple[str, str]:
    """(query, update) endpoint URLs for a store URL.

    A dataset URL (Oxigraph server's root, a Fuseki dataset) gets /query and
    /update; a URL ending in /sparql (Virtuoso) serves both; one ending in
    /query has its /update beside it."""
    base = url.rstrip("/")
    if base.endswith("/sparql"):
        return base, base
    if base.endswith("/query"):
        return base, base[: -len("query")] + "update"
    return base + "/query", base + "/update"


class RemoteStore(Store):
    """The graph on a SPARQL server at ``path`` (a URL); open with :func:`kg.store.open_store`."""

    def __init__(self, url: str, read_only: bool, timeout: float = config.QUERY_TIMEOUT):
        self.path = url
        self.query_url, self.update_url = endpoints(url)
        self.read_only = read_only
        self.timeout = timeout

    @classmethod
    def connect(cls, url: str, read_only: bool) -> "RemoteStore":
        store = cls(url, read_only)
        store.query("ASK { ?s ?p ?o }")  # fail now, with a clear message, if no server answers
        return store

    def query(self, sparql: str, substitutions: dict | None = None, union: bool = True):
        if substitutions:
            sparql = with_values(sparql, substitutions)
        form = {"query": _PROLOGUE + sparql}
        if union:
            form["union-default-graph"] = ""  # Oxigraph server's switch; others ignore it
        media, body = self._post(self.query_url, urllib.parse.urlencode(form).encode("utf-8"),
                                 "application/x-www-form-urlencoded", f"{_RESULTS}, application/n-triples;q=0.9")
        if media in _GRAPH_TYPES:
            return [quad.triple for quad in ox.parse(body, format=_GRAPH_TYPES[media])]
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.query_url}: the server's answer is not SPARQL results ({media}); "
                             f"is --store the URL of a SPARQL endpoint?") from exc

    def quads(self) -> Iterable[ox.Quad]:
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", union=False)
        for row in rows:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"] or rdf.DEFAULT)

    def _write(self, quads: list[ox.Quad]) -> None:
        self._update(insert_data(quads))

    def _update(self, sparql: str) -> None:
        self._writable()
        # Writes wait longer than queries: a server may queue them behind others.
        self._post(self.update_url, (_PROLOGUE + sparql).encode("utf-8"), "application/sparql-update", "*/*",
                   timeout=max(self.timeout, 600))

    def _post(self, url: str, data: bytes, content_type: str, accept: str,
              timeout: float | None = None) -> tuple[str, bytes]:
        timeout = timeout or self.timeout
        request = urllib.request.Request(url, data=data, method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                media = response.headers.get_content_type()
                return media, response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
            if exc.code == 400 and url == self.query_url:
                raise SyntaxError(_unshift(detail)) from exc
            raise StoreError(f"{url}: the server answered {exc.code} {exc.reason}: {detail}") from exc
        except (socket.timeout, TimeoutError) as exc:
            raise StoreError(f"{url}: no answer within {timeout:g} s; the server is busy or the request "
                             f"too large") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the SPARQL server ({reason}); start it or check --store") from exc


def _unshift(message: str) -> str:
    """A server's error message with line-1 columns counted from the user's text, not the prologue."""
    return re.sub(r"\b1:(\d+)", lambda m: f"1:{max(1, int(m.group(1)) - len(_PROLOGUE))}", message)


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """One SPARQL INSERT DATA request for quads, grouped by graph."""
    graphs: dict = defaultdict(list)
    for quad in quads:
        graphs[quad.graph_name].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    parts = []
    for graph, lines in graphs.items():
        body = "\n".join(lines)
        parts.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def with_values(sparql: str, substitutions: dict) -> str:
    """The query with its parameters bound by a VALUES block at the top of the
    WHERE clause: a server has no Oxigraph substitutions, and a block there
    binds them for everything that follows, as ready queries expect."""
    names = " ".join(f"?{variable.value}" for variable in substitutions)
    values = " ".join(str(term) for term in substitutions.values())
    match = re.search(r"\bWHERE\s*\{", sparql, re.I) or re.search(r"\{", sparql)
    if not match:
        return sparql
    return f"{sparql[:match.end()]} VALUES ({names}) {{ ({values}) }}{sparql[match.end():]}"
