"""SPARQL over the store: ready queries by name, parameters bound as typed
literals (never pasted into the text), results as rows or serialised."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from . import config
from .errors import KGError, QueryError
from .store import Store, is_graph

# "@param x" binds ?x as given; "@name x" binds it lower-cased, to match the
# skos:hiddenLabel index of names directly (a LCASE in the query would hide
# the constant from the optimiser and scan every relation).
_PARAM_DECL = re.compile(r"^#\s*@(param|name)\s+(\w+)\s*(.*)$", re.MULTILINE)
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ReadyQuery:
    """A SPARQL file from queries/: its name, what it answers, its parameters."""

    name: str
    text: str
    description: str
    params: dict[str, str]
    names: frozenset[str] = frozenset()


def ready_queries(folder: Path | None = None) -> dict[str, ReadyQuery]:
    folder = folder or config.queries_dir()
    found = {}
    for path in sorted(folder.glob("*.rq")):
        found[path.stem] = read_query_file(path)
    return found


def read_query_file(path: Path) -> ReadyQuery:
    text = path.read_text(encoding="utf-8")
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#") and not _PARAM_DECL.match(line)]
    declared = list(_PARAM_DECL.finditer(text))
    params = {m.group(2): m.group(3).strip() for m in declared}
    names = frozenset(m.group(2) for m in declared if m.group(1) == "name")
    return ReadyQuery(path.stem, text, " ".join(comments).strip(), params, names)


def resolve(query: str) -> ReadyQuery:
    """QUERY as the CLI takes it: a .rq path, a ready query's name, or inline SPARQL."""
    path = Path(query)
    if query.endswith((".rq", ".sparql")):
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return read_query_file(path)
    ready = ready_queries()
    if query in ready:
        return ready[query]
    if re.fullmatch(r"[\w-]+", query.strip()):
        raise QueryError(f"unknown ready query '{query}'; the ready queries are: {', '.join(ready)}")
    return ReadyQuery("inline", query, "", {})


def bind(query: ReadyQuery, params: dict[str, str]) -> dict:
    """Parameter values as SPARQL substitutions of plain literals. Oxigraph
    substitutes only projected variables, and a SPARQL server gets them as a
    VALUES block at the top of WHERE, so ready queries SELECT their parameters
    (the first columns) and use them outside sub-queries."""
    unknown = set(params) - set(query.params) if query.params else set()
    if unknown and query.name != "inline":
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(sorted(unknown))}; "
                         f"it takes: {', '.join(query.params) or 'none'}")
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query '{query.name}' needs --param {missing[0]}=VALUE ({query.params[missing[0]]})")
    return {ox.Variable(name): ox.Literal(value.lower() if name in query.names else value)
            for name, value in params.items()}


@dataclass(frozen=True)
class Rows:
    """A page of a SELECT's solutions; ``more`` when rows beyond the page exist."""

    variables: list
    rows: list
    more: bool = False


def run(store: Store, query: ReadyQuery, params: dict[str, str] | None = None,
        timeout: float = config.QUERY_TIMEOUT, limit: int | None = None, offset: int = 0):
    """Run a query with a time limit: Rows for a SELECT (at most ``limit`` of
    them after ``offset``), triples for a CONSTRUCT, a bool for an ASK."""
    if looks_like_update(query.text):
        raise QueryError("SPARQL Update is not allowed here; kg query only reads the graph")
    substitutions = bind(query, params or {})
    outcome: dict = {}
    # Oxigraph computes solutions as they are read, so a page of an unsorted
    # query costs its own rows, not the whole store's.
    stop = None if limit is None else offset + limit + 1

    def work():
        try:
            result = store.query(query.text, substitutions or None)
            if isinstance(result, ox.QuerySolutions):
                rows = [list(row) for row in islice(result, offset, stop)]
                more = limit is not None and len(rows) > limit
                outcome["value"] = Rows(list(result.variables), rows[:limit] if more else rows, more)
            elif is_graph(result):
                outcome["value"] = list(result)
            else:
                outcome["value"] = bool(result)
        except SyntaxError as exc:
            outcome["error"] = QueryError(f"malformed SPARQL: {syntax_message(exc, query.text)}")
        except (OSError, RuntimeError, ValueError) as exc:
            outcome["error"] = QueryError(f"query failed: {exc}")
        except KGError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryError(f"query took longer than {timeout:g} s; narrow it or raise --timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def looks_like_update(text: str) -> bool:
    """True for SPARQL Update requests, which kg never runs."""
    body = re.sub(r"#[^\n]*", "", text)
    body = re.sub(r"(?im)^\s*(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", "", body)
    return bool(_UPDATE.match(body.strip()) or _UPDATE.search(body) and not re.match(
        r"\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body.strip(), re.I))


def syntax_message(exc: SyntaxError, text: str) -> str:
    """Oxigraph's parse error with line and column."""
    message = str(exc).strip()
    match = re.search(r"(\d+):(\d+)", message)
    if match and "line" not in message:
        line, column = match.groups()
        source = text.splitlines()[int(line) - 1] if int(line) - 1 < len(text.splitlines()) else ""
        message = f"line {line}, column {column}: {message}" + (f" — near: {source.strip()[:80]}" if source else "")
    return " ".join(message.split())


def term_text(term) -> str:
    """A readable form of an RDF term for tables."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
