"""kg serve: a read-only SPARQL 1.1 Protocol endpoint over the store, a small
query page, and the HTML graph.

Each query runs in a child process that opens the store read-only, so a slow
query can be stopped at its time limit and a crash cannot take the server down.
"""

from __future__ import annotations

import html
import multiprocessing
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from . import config

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
MAX_QUERY_CHARS = 100_000


def _negotiate(accept: str, offered: dict, default: str) -> str:
    """The first offered media type the Accept header names (q-values are read in order)."""
    wanted = []
    for part in (accept or "").split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        wanted.append((q, media.strip().lower()))
    for q, media in sorted(wanted, key=lambda w: -w[0]):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def _run(store_path: str, query: str, accept: str, max_bytes: int, conn) -> None:
    """In the child: run one query and send (status, content type, body) back."""
    from .store import is_graph, open_store

    try:
        with open_store(store_path, read_only=True) as store:
            result = store.query(query)
            if is_graph(result):
                media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
                body = ox.serialize(result, format=GRAPH_TYPES[media])
            else:
                media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
                body = result.serialize(format=RESULT_TYPES[media])
        if len(body) > max_bytes:
            conn.send((413, "text/plain", f"result larger than {max_bytes:,} bytes; add a LIMIT".encode()))
        else:
            conn.send((200, media, body))
    except SyntaxError as exc:
        from .query import syntax_message

        conn.send((400, "text/plain", f"malformed SPARQL: {syntax_message(exc, query)}".encode()))
    except Exception as exc:  # noqa: BLE001 - the child reports every failure as a response
        conn.send((500, "text/plain", f"query failed: {exc}".encode()))
    finally:
        conn.close()


class Endpoint:
    """What the handler needs: the store path and the limits."""

    def __init__(self, store_path: str, timeout: float, max_bytes: int):
        self.store_path = str(store_path)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.context = multiprocessing.get_context("fork")
        self._graph_page: bytes | None = None

    def query(self, text: str, accept: str) -> tuple[int, str, bytes]:
        if len(text) > MAX_QUERY_CHARS:
            return 413, "text/plain", b"query text too long"
        parent, child = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_run, args=(self.store_path, text, accept, self.max_bytes, child),
                                       daemon=True)
        process.start()
        child.close()
        try:
            if parent.poll(self.timeout):
                return parent.recv()
            return 503, "text/plain", f"query took longer than {self.timeout:g} s and was stopped".encode()
        except EOFError:
            return 500, "text/plain", b"query process failed"
        finally:
            if process.is_alive():
                process.kill()
            process.join(1)
            parent.close()

    def graph_page(self) -> bytes:
        if self._graph_page is None:
            from . import analysis, viz
            from .store import open_store

            with open_store(self.store_path, read_only=True) as store:
                graph = analysis.load_graph(store)
            graph, dropped = viz.select(graph)
            notice = f"{dropped} less connected entities are left out." if dropped else ""
            self._graph_page = viz.render(graph, "kg graph", notice).encode("utf-8")
        return self._graph_page


def query_page() -> bytes:
    from .query import ready_queries

    options = []
    for name, ready in ready_queries().items():
        if ready.params:
            continue  # parameters are filled on the command line
        options.append(f'<option value="{html.escape(ready.text, quote=True)}">{html.escape(name)} — '
                       f'{html.escape(ready.description)}</option>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:70em}} textarea{{width:100%;height:14em;font-family:monospace}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:3px 6px;vertical-align:top}}</style></head>
<body><h1>kg SPARQL endpoint</h1>
<p>Read-only. Send queries to <code>/sparql</code> (GET or POST). See the <a href="/graph">graph</a>.</p>
<p><label>Ready queries: <select id="ready"><option value="">choose…</option>{''.join(options)}</select></label></p>
<textarea id="q">SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><div id="out"></div>
<script>
"use strict";
document.getElementById("ready").addEventListener("change", function (e) {{ if (e.target.value) document.getElementById("q").value = e.target.value; }});
document.getElementById("run").addEventListener("click", function () {{
  var status = document.getElementById("status"), out = document.getElementById("out");
  status.textContent = "running…"; out.textContent = "";
  fetch("/sparql", {{method: "POST", headers: {{"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}},
                    body: document.getElementById("q").value}})
    .then(function (r) {{ return r.text().then(function (t) {{ return [r.status, t]; }}); }})
    .then(function (res) {{
      if (res[0] !== 200) {{ status.textContent = res[1]; return; }}
      var data; try {{ data = JSON.parse(res[1]); }} catch (e) {{ var pre = document.createElement("pre"); pre.textContent = res[1]; out.appendChild(pre); status.textContent = ""; return; }}
      if (data.boolean !== undefined) {{ status.textContent = String(data.boolean); return; }}
      var table = document.createElement("table"), head = document.createElement("tr");
      data.head.vars.forEach(function (v) {{ var th = document.createElement("th"); th.textContent = v; head.appendChild(th); }});
      table.appendChild(head);
      data.results.bindings.forEach(function (b) {{
        var tr = document.createElement("tr");
        data.head.vars.forEach(function (v) {{ var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); }});
        table.appendChild(tr);
      }});
      out.appendChild(table); status.textContent = data.results.bindings.length + " row(s)";
    }});
}});
</script></body></html>"""
    return page.encode("utf-8")


def make_handler(endpoint: Endpoint):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass

        def _send(self, status: int, media: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, "text/plain", message.encode("utf-8"))

        def do_GET(self):  # noqa: N802 - the stdlib's name
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/":
                return self._send(200, "text/html", query_page())
            if url.path == "/graph":
                return self._send(200, "text/html", endpoint.graph_page())
            if url.path != "/sparql":
                return self._error(404, "not found; the endpoint is /sparql")
            params = urllib.parse.parse_qs(url.query)
            if "update" in params:
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            self._answer(params["query"][0])

        def do_POST(self):  # noqa: N802 - the stdlib's name
            if urllib.parse.urlsplit(self.path).path != "/sparql":
                return self._error(404, "not found; the endpoint is /sparql")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_CHARS * 4:
                return self._error(413, "request too large")
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if media == "application/sparql-query":
                return self._answer(body)
            params = urllib.parse.parse_qs(body)
            if "update" in params:
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            self._answer(params["query"][0])

        def _answer(self, text: str) -> None:
            from .query import looks_like_update

            if looks_like_update(text):
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            status, media, body = endpoint.query(text, self.headers.get("Accept", ""))
            self._send(status, media, body)

    return Handler


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = config.QUERY_TIMEOUT, max_bytes: int = 50_000_000, ready=None) -> None:
    """Serve until interrupted. ``ready(server)`` is called once the socket listens."""
    from .store import open_store

    open_store(store_path, read_only=True).close()  # fail now, with a clear message, if there is no store
    endpoint = Endpoint(str(store_path), timeout, max_bytes)
    server = ThreadingHTTPServer((host, port), make_handler(endpoint))
    server.daemon_threads = True
    if ready:
        ready(server)
    try:
        server.serve_forever()
    finally:
        server.server_close()
