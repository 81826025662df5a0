"""The kg command line: a thin layer over the library.

Exit codes: 0 success, 1 a problem with input, the store or a query (with a
one-line message), 2 a usage error. A build that skipped some inputs exits 0
unless nothing at all could be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import config
from .errors import KGError


class Command(click.Command):
    """Turns KGError into a one-line message and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


class Group(click.Group):
    command_class = Command


def store_option(func):
    return click.option("--store", "store_path", default=config.default_store, show_default=config.DEFAULT_STORE,
                        metavar="DIR|URL",
                        help="Folder of the graph store, or URL of a SPARQL 1.1 server (or set KG_STORE).")(func)


def _open(path: str, write: bool = False):
    from .store import open_store

    return open_store(path, read_only=not write, create=write)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main():
    """Build a knowledge graph of threats, attacks, bans and affiliations from
    news articles, then query it with SPARQL and explore it as HTML.

    Example:

    \b
        kg build data/samples && kg query threats && kg viz -o graph.html
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@store_option
@click.option("--model", default=None, metavar="NAME", help=f"Installed spaCy model [default: {config.DEFAULT_MODEL}].")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Extraction processes.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Extract on the Dask cluster of this scheduler (tcp://HOST:8786) instead of --workers.")
@click.option("--batch", default=16, show_default=True, type=click.IntRange(1, 10_000),
              help="Documents per extraction task and per store write.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(inputs, store_path, model, workers, scheduler, batch, quiet):
    """Extract facts from files or folders and add them to the store.

    Reads .txt, .md, .html and .jsonl (one JSON object a line with "text" and
    optional "id", "title", "url", "date"). Unchanged documents already in the
    store are skipped; changed ones replace their old version.

    Example:

    \b
        kg build data/samples --store .kg-store
        kg build corpus/ --workers 2
        kg build corpus/ --scheduler tcp://10.0.0.5:8786 --store http://10.0.0.6:7878
    """
    from rich.console import Console

    from .store import is_url

    console = Console(stderr=True)
    options = dict(model=model, workers=workers, scheduler=scheduler, commit_every=batch, batch=batch)
    fresh = not is_url(store_path) and not Path(store_path).exists()
    try:
        with _open(store_path, write=True) as store:
            report = _build_with_progress(store, inputs, options, console, quiet)
    except KGError:
        if fresh:  # a failed first build leaves no empty store behind
            _discard_if_empty(Path(store_path))
        raise
    for where, why in report.notes:
        click.echo(f"note: {where} {why}", err=True)
    for where, why in report.skipped:
        click.echo(f"skipped: {where} {why}", err=True)
    status = "interrupted; stored so far" if report.interrupted else "built"
    click.echo(f"{status}: {report.added} new, {report.replaced} replaced, {report.unchanged} unchanged document(s); "
               f"{report.entities} entities, {report.relations} relations, {report.threats} threats; "
               f"{len(report.skipped)} skipped; {report.seconds:.1f} s; store {store_path}")
    if report.interrupted:
        sys.exit(130)
    if report.skipped and not (report.stored or report.unchanged):
        if fresh:
            _discard_if_empty(Path(store_path))
        click.echo("Error: nothing could be read from the input", err=True)
        sys.exit(1)


def _build_with_progress(store, inputs, options, console, quiet):
    from .build import build as run_build

    if quiet or not console.is_terminal:
        return run_build(store, inputs, **options)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def tick(rep, document):
            done = rep.stored + rep.unchanged + 1
            bar.update(task, description=f"{done} documents · {rep.relations} relations · {document.id[:50]}")

        return run_build(store, inputs, progress=tick, **options)


def _discard_if_empty(path: Path) -> None:
    import shutil

    from .store import open_store

    try:
        with open_store(path, read_only=True) as store:
            empty = not store.documents()
    except KGError:
        return
    if empty:
        shutil.rmtree(path, ignore_errors=True)


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="Value for a ready query's parameter.")
@click.option("--timeout", default=config.QUERY_TIMEOUT, show_default=True, type=float, help="Seconds before giving up.")
@click.option("--limit", default=config.PAGE_ROWS, show_default=True, type=click.IntRange(min=0),
              help="Rows to print at most; 0 prints them all.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), help="Rows to skip first.")
def query(query, store_path, fmt, param, timeout, limit, offset):
    """Run SPARQL: a ready query's name, a .rq file, or inline text.

    Ready queries live in queries/; `kg query --list` is `kg queries`.
    Results come a page at a time (--limit, --offset); a query without
    ORDER BY then reads only the rows it prints, fast on any store size.

    Example:

    \b
        kg query threats
        kg query threats --offset 100 --format csv
        kg query entity --param name=ISIS --format json
        kg query 'SELECT ?s ?o WHERE { ?s kg:bans ?o }' --limit 0
    """
    from . import query as q
    from .output import print_result

    params = {}
    for item in param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not '{item}'")
        params[name] = value
    ready = q.resolve(query)
    with _open(store_path) as store:
        result = q.run(store, ready, params, timeout, limit or None, offset)
    print_result(result, fmt)
    if isinstance(result, q.Rows) and result.more:
        click.echo(f"more rows follow: --offset {offset + limit} for the next page, --limit 0 for all", err=True)


@main.command()
def queries():
    """List the ready queries with what they answer and their parameters.

    Example:

    \b
        kg queries
    """
    from .query import ready_queries

    for name, ready in ready_queries().items():
        params = " ".join(f"--param {p}=…" for p in ready.params)
        click.echo(f"{name:10} {ready.description} {params}".rstrip())


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "graphml", "stix"]),
              default=None, help="Output format [default: from -o's suffix, else ttl].")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write here instead of stdout.")
def export(store_path, fmt, output):
    """Write the whole graph as Turtle, N-Triples, JSON-LD, TriG, N-Quads, GraphML or STIX 2.1.

    TriG and N-Quads keep one named graph per document (its provenance).
    STIX maps groups to threat actors and threats and attacks to 'targets'.

    Example:

    \b
        kg export --format ttl -o graph.ttl
    """
    from .export import SUFFIX_FORMATS, write

    if fmt is None:
        fmt = SUFFIX_FORMATS.get(Path(output).suffix.lower(), "ttl") if output else "ttl"
    with _open(store_path) as store:
        size = write(store, fmt, output)
    if output and output != "-":
        click.echo(f"wrote {output} ({size:,} bytes, {fmt})", err=True)


@main.command()
@store_option
@click.option("-o", "--output", default=config.DEFAULT_HTML, show_default=True, metavar="FILE.html")
@click.option("--focus", default=None, metavar="NAME", help="Only this entity's neighbourhood.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0, 10))
@click.option("--types", default=None, metavar="T1,T2", help="Only these entity types.")
@click.option("--predicates", default=None, metavar="P1,P2", help="Only these predicates.")
@click.option("--min-confidence", default=0.0, type=click.FloatRange(0, 1), show_default=True)
@click.option("--query", "query_file", default=None, metavar="FILE.rq",
              help="Draw what a CONSTRUCT returns, or a SELECT's ?s ?p ?o rows.")
@click.option("--max-nodes", default=3000, show_default=True, type=click.IntRange(1))
@click.option("--title", default="kg graph", show_default=True)
def viz(store_path, output, focus, hops, types, predicates, min_confidence, query_file, max_nodes, title):
    """Write an interactive HTML graph that works offline from a file:// URL.

    Example:

    \b
        kg viz -o graph.html
        kg viz --focus ISIS --hops 1 -o isis.html
        kg viz --query threats-graph.rq -o threats.html
    """
    from . import analysis, viz as v
    from .export import write_atomic
    from . import vocab

    type_list = _names(types, vocab.ENTITY_TYPES, "--types")
    predicate_list = _names(predicates, vocab.PREDICATES, "--predicates")
    with _open(store_path) as store:
        graph = analysis.load_graph(store, min_confidence=min_confidence)
        if query_file:
            graph = analysis.restrict(graph, _query_triples(store, query_file))
    if focus:
        node = analysis.find_node(graph, focus)
        if node is None:
            raise KGError(f"no entity named '{focus}' in the graph; try kg query entity --param name=…")
        graph = analysis.neighbourhood(graph, node, hops)
    graph, dropped = v.select(graph, type_list, predicate_list, max_nodes)
    notice = ""
    if dropped:
        notice = f"Showing the {graph.number_of_nodes()} best-connected entities; {dropped} less connected ones are left out."
        click.echo(notice, err=True)
    write_atomic(Path(output), v.render(graph, title, notice).encode("utf-8"))
    click.echo(f"wrote {output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)


def _query_triples(store, query_file: str):
    """(s, p, o) IRIs from a CONSTRUCT, or from a SELECT with ?s ?p ?o."""
    from . import query as q
    from .errors import QueryError

    result = q.run(store, q.resolve(query_file))
    if isinstance(result, list):
        return [(t.subject.value, t.predicate.value, t.object.value) for t in result]
    if isinstance(result, q.Rows):
        names = [v.value for v in result.variables]
        if {"s", "p", "o"} <= set(names):
            at = [names.index(n) for n in ("s", "p", "o")]
            return [tuple(row[i].value if row[i] is not None else "" for i in at) for row in result.rows]
    raise QueryError(f"{query_file}: --query needs a CONSTRUCT, or a SELECT with ?s ?p ?o")


def _names(text, allowed, option):
    if not text:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    lookup = {a.lower(): a for a in allowed}
    bad = [n for n in names if n.lower() not in lookup]
    if bad:
        raise click.UsageError(f"{option}: unknown {', '.join(bad)}; choose from {', '.join(allowed)}")
    return [lookup[n.lower()] for n in names]


@main.command()
@store_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(store_path, top, as_json):
    """Counts by type and predicate, the most central entities and the components.

    Example:

    \b
        kg stats
    """
    from .output import print_stats
    from .statistics import collect

    with _open(store_path) as store:
        figures = collect(store, top)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
    else:
        print_stats(figures)


@main.command()
@click.argument("source")
@click.argument("target")
@store_option
def path(source, target, store_path):
    """The shortest chain of relations between two entities, with evidence.

    Example:

    \b
        kg path "Mark Zuckerberg" ISIS
    """
    import networkx as nx

    from . import analysis

    with _open(store_path) as store:
        graph = analysis.load_graph(store)
    ends = []
    for name in (source, target):
        node = analysis.find_node(graph, name)
        if node is None:
            raise KGError(f"no entity named '{name}' in the graph")
        ends.append(node)
    try:
        hops = analysis.shortest_path(graph, *ends)
    except nx.NetworkXNoPath:
        raise KGError(f"no chain of relations links {source} and {target}") from None
    for a, predicate, b, evidence in hops:
        click.echo(f"{a} —{predicate}→ {b}")
        for ev in evidence[:1]:
            click.echo(f"    “{ev.sentence}” ({ev.title or ev.document})")


@main.command()
@store_option
def documents(store_path):
    """List the documents in the store.

    Example:

    \b
        kg documents
    """
    with _open(store_path) as store:
        for doc in store.documents():
            click.echo(f"{doc['hash'][:12]}  {doc['id']}  {doc['title'][:70]}")


@main.command()
@click.argument("refs", nargs=-1, required=True, metavar="DOC...")
@store_option
def remove(refs, store_path):
    """Take documents, and every fact only they supported, out of the store.

    DOC is a document id as `kg documents` lists it, its file name, its title
    or a prefix of its content hash.

    Example:

    \b
        kg remove isis_threatens_tech_ceos.txt
    """

    with _open(store_path, write=True) as store:
        graphs = []
        for ref in refs:
            found = store.find_documents(ref)
            if not found:
                raise KGError(f"no document '{ref}' in the store; see kg documents")
            graphs += found
        store.remove_graphs(graphs)
    click.echo(f"removed {len(graphs)} document(s)")


@main.command()
@store_option
def validate(store_path):
    """Check the graph against the SHACL shapes (data/ontology/shapes.ttl).

    Prints each violation (entity, property, reason) and exits 1 if there are any.

    Example:

    \b
        kg validate
    """
    from .validate import validate as check

    with _open(store_path) as store:
        violations = check(store)
    for v in violations:
        click.echo(f"{v.focus}  {v.path}  {v.message}")
    if violations:
        click.echo(f"Error: {len(violations)} violation(s) of the shapes", err=True)
        sys.exit(1)
    click.echo("the graph conforms to the shapes")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; loopback unless told otherwise.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=config.QUERY_TIMEOUT, show_default=True, type=float, help="Seconds a query may run.")
@click.option("--max-bytes", default=50_000_000, show_default=True, type=click.IntRange(1), help="Largest result sent.")
def serve(store_path, host, port, timeout, max_bytes):
    """Serve the store read-only over the SPARQL 1.1 Protocol.

    GET or POST queries to /sparql; results as SPARQL JSON, XML, CSV or TSV
    (and Turtle or JSON-LD for CONSTRUCT) chosen by the Accept header. A
    query page is at / and the HTML graph at /graph. Updates are refused.

    Example:

    \b
        kg serve --port 7878
        curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    from .serve import serve as run_server

    def ready(server):
        bound_host, bound_port = server.server_address[:2]
        click.echo(f"SPARQL endpoint http://{bound_host}:{bound_port}/sparql · query page http://{bound_host}:{bound_port}/ "
                   f"· graph http://{bound_host}:{bound_port}/graph (Ctrl-C stops)", err=True)

    try:
        run_server(store_path, host, port, timeout, max_bytes, ready)
    except OSError as exc:
        raise KGError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port") from exc
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False))
@click.option("--model", default=None, metavar="NAME", help="Installed spaCy model.")
@click.option("--json", "json_path", default=None, metavar="FILE", help="Also write the full report as JSON.")
@click.option("--errors/--no-errors", default=True, show_default=True, help="List every miss and false positive.")
def eval_(gold_dir, model, json_path, errors):
    """Score extraction against gold NAME.txt + NAME.json pairs.

    Prints entity and relation precision, recall and F1 overall, by entity
    type and by predicate, then every miss and false positive with its
    sentence. Scoring follows ../shared/eval/GUIDELINES.md.

    Example:

    \b
        kg eval ../shared/eval/dev --json dev-score.json
    """
    from .evaluate import evaluate
    from .export import write_atomic
    from .output import print_score

    score = evaluate(gold_dir, model)
    print_score(score, errors)
    if json_path:
        write_atomic(Path(json_path), json.dumps(score.as_dict(), indent=2).encode("utf-8"))


if __name__ == "__main__":  # pragma: no cover
    main()
