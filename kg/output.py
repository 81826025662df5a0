"""Printing query results and figures for a terminal or a pipe."""

from __future__ import annotations

import csv
import json
import sys

import pyoxigraph as ox

from .query import term_text


def _json_term(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return term.value
    return term.value if hasattr(term, "value") else str(term)


def print_result(result, fmt: str) -> None:
    """Rows of a SELECT (kg.query.Rows), triples of a CONSTRUCT, or the answer of an ASK."""
    if isinstance(result, bool):
        print(json.dumps({"boolean": result}) if fmt == "json" else ("yes" if result else "no"))
        return
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE
        if fmt == "json":
            print(json.dumps([[_json_term(t.subject), _json_term(t.predicate), _json_term(t.object)] for t in result], indent=2))
        else:
            sys.stdout.write(ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8"))
        return
    rows = result.rows
    names = [v.value for v in result.variables]
    if fmt == "json":
        print(json.dumps([dict(zip(names, map(_json_term, row))) for row in rows], indent=2, ensure_ascii=False))
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[term_text(t) for t in row] for row in rows])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*names, show_lines=False, highlight=False)
        for row in rows:
            table.add_row(*[_short(term_text(t)) for t in row])
        console = Console()
        console.print(table)
        console.print(f"{len(rows)} row(s)", style="dim")


def _short(text: str) -> str:
    from . import vocab

    for prefix in (vocab.RESOURCE + "entity/", vocab.ONTOLOGY):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def print_stats(figures: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"{figures['documents']} documents, {figures['entities']} entities, {figures['relations']} relations, "
                  f"{figures['threat_events']} threat events, {figures['assertions']} assertions, {figures['quads']} quads")
    for title, counts in (("type", figures["by_type"]), ("predicate", figures["by_predicate"])):
        table = Table(title.capitalize(), "count", title=f"By {title}", title_justify="left")
        for name, n in counts.items():
            table.add_row(name, str(n))
        console.print(table)
    table = Table("entity", "degree", "PageRank", title="Most central", title_justify="left")
    for row in figures["central"]:
        table.add_row(row["entity"], str(row["degree"]), f"{row['pagerank']:.4f}")
    console.print(table)
    parts = figures["components"]
    console.print(f"{parts['count']} connected components; the largest has {parts['largest']} entities")


def print_score(score, errors: bool = True) -> None:
    """The scores as tables, errors first so the totals end the output."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if errors:
        for error in sorted(score.errors, key=lambda e: (e["kind"], e["doc"], e["error"])):
            line = f"{error['kind']:8} {error['error']:28} {error['doc']}: {error['item']}"
            console.print(line, markup=False)
            if error.get("sentence"):
                console.print(f"{'':38}“{error['sentence'][:200]}”", markup=False, style="dim")
    for title, rows in (("Entity type", score.by_type), ("Predicate", score.by_predicate)):
        table = Table(title, "P", "R", "F1", "TP", "FP", "FN", title_justify="left")
        for name, c in sorted(rows.items()):
            table.add_row(name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn))
        console.print(table)
    for name, c in (("entities", score.entities), ("relations", score.relations)):
        console.print(f"{name:9}  P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
