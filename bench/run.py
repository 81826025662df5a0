"""Benchmarks of kg: extraction against bare spaCy, whole builds, SPARQL on a
large store against rdflib, and HTML graphs. Prints a table and writes JSON.

    python bench/run.py --quick          # about a minute
    python bench/run.py --full           # the figures in docs/benchmarks.md

Not a test: it measures, it does not assert.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FIRST = ["Adam", "Bilal", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hassan", "Ines", "Jamal", "Karin",
         "Luis", "Mona", "Nadia", "Omar", "Pavel", "Rania", "Samir", "Tariq", "Vera", "Yusuf", "Zara"]
LAST = ["Abbas", "Berg", "Castillo", "Dumont", "Erdem", "Fischer", "Haddad", "Ivanov", "Jensen", "Khalil",
        "Lindqvist", "Mansour", "Novak", "Okafor", "Petrov", "Quraishi", "Rahman", "Sokolov", "Tanaka", "Usman"]
UNITS = ["Brigade", "Army", "Front", "Movement", "Division", "Legion", "Battalion"]
ARTICLE_WORDS = 470
WORDS = ["Northern", "Eastern", "Black", "Iron", "Free", "Holy", "Red", "United", "Desert", "Mountain", "Lions",
         "Falcons", "Wolves", "Martyrs", "Partisans", "Revolutionary", "Patriotic", "Liberation", "Sword"]


def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


def sample_names() -> dict[str, list[str]]:
    """Person and group names the samples use, to be replaced in generated articles."""
    from kg.documents import text_document
    from kg.pipeline import facts_for

    names: dict[str, list[str]] = {"Person": [], "Group": []}
    for facts in facts_for([text_document(f"s{i}", t) for i, t in enumerate(sample_texts())]):
        for entity in facts.entities:
            if entity.type in names and len(entity.name.split()) >= 2:
                names[entity.type].append(entity.name)
    return names


def generate(count: int, seed: int = 1) -> list[dict]:
    """News-length articles made from the samples with other names and numbers."""
    rng = random.Random(seed)
    texts, names = sample_texts(), sample_names()
    articles = []
    for n in range(count):
        text = texts[n % len(texts)]
        for name in names["Person"]:
            text = text.replace(name, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        for name in names["Group"]:
            text = text.replace(name, f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(UNITS)}")
        text = re.sub(r"\d{2,}", lambda m: str(rng.randint(10, 99999)), text)
        # Paragraphs of another sample bring it to news length (470 words on average, as in the targets).
        extra = texts[(n * 7 + 3) % len(texts)].split("\n", 1)[-1].split("\n\n")
        for paragraph in extra:
            if len(text.split()) + len(paragraph.split()) / 2 > ARTICLE_WORDS:
                break
            text += "\n\n" + paragraph
        articles.append({"id": f"article-{n:06d}", "title": text.split("\n", 1)[0], "text": text})
    return articles


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def bench_extraction(count: int, slice_size: int = 25) -> dict:
    """Bare nlp.pipe against kg's whole extraction on the same texts, in turns of
    ``slice_size`` articles, so that a change in the machine's speed during the
    run (a shared machine's usual) falls on both alike."""
    import spacy

    from kg import config
    from kg.documents import text_document
    from kg.extract import document_facts
    from kg.nlp import parse
    from kg.pipeline import pipeline

    texts = [a["text"] for a in generate(count, seed=2)]
    total = words(texts)
    bare = spacy.load(config.DEFAULT_MODEL)
    ours = pipeline()
    list(bare.pipe(texts[:8])), list(ours.pipe(texts[:8]))  # warm up
    bare_s = kg_s = 0.0
    relations = 0
    for start in range(0, count, slice_size):
        part = texts[start:start + slice_size]
        started = time.perf_counter()
        for _ in bare.pipe(part, batch_size=config.BATCH_SIZE):
            pass
        bare_s += time.perf_counter() - started
        started = time.perf_counter()
        documents = [text_document(f"t{start + i}", t) for i, t in enumerate(part)]
        relations += sum(len(document_facts(d, ds).relations) for d, ds in parse(ours, documents))
        kg_s += time.perf_counter() - started
    return {"documents": count, "words": total, "bare_words_per_s": round(total / bare_s),
            "kg_words_per_s": round(total / kg_s), "ratio": round(bare_s / kg_s, 3), "relations": relations}


def write_corpus(folder: Path, count: int) -> tuple[Path, int]:
    """``count`` generated articles as a JSONL file in ``folder``, and their number of words."""
    corpus = folder / "articles.jsonl"
    articles = generate(count)
    corpus.write_text("\n".join(json.dumps(a) for a in articles), encoding="utf-8")
    return corpus, words(a["text"] for a in articles)


def minutes_for_target(words_done: int, seconds: float) -> float:
    """Minutes the same rate needs for the 4.7 M words of the build target."""
    return round(4.7e6 / words_done * seconds / 60, 1)


def bench_build(count: int, workers: int) -> dict:
    """A whole `kg build` of generated articles in a fresh process: time, rate, peak RSS, store size."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as temp:
        corpus, total = write_corpus(Path(temp), count)
        store = Path(temp) / "store"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store),
                                 "--workers", str(workers), "-q"], capture_output=True, text=True)
        wall = time.perf_counter() - started
        if result.returncode:
            raise SystemExit(result.stderr)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
        return {"documents": count, "workers": workers, "words": total,
                "seconds": round(wall, 1), "documents_per_s": round(count / wall, 2),
                "minutes_for_4_7M_words": minutes_for_target(total, wall),
                "peak_rss_mb": round(max(peak_kb, before) / 1024), "store_mb": round(size / 2**20, 1),
                "summary": result.stdout.strip()}


FLOOR = """
import json, sys, time, spacy
nlp = spacy.load(sys.argv[1])
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()[int(sys.argv[3])::int(sys.argv[4])]
texts = [json.loads(line)["text"] for line in lines]
started = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=int(sys.argv[5])):
    pass
print(time.perf_counter() - started)
"""


def bench_floor(count: int, processes: int) -> dict:
    """The model alone on the same articles: ``processes`` processes each running bare
    nlp.pipe on its share, nothing else (no reading, no rules, no store). No build of
    these articles can be faster on this machine."""
    from kg import config

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as temp:
        corpus, total = write_corpus(Path(temp), count)
        runs = [subprocess.Popen([sys.executable, "-c", FLOOR, config.DEFAULT_MODEL, str(corpus), str(n),
                                  str(processes), str(config.BATCH_SIZE)], stdout=subprocess.PIPE, text=True)
                for n in range(processes)]
        seconds = max(float(run.communicate()[0]) for run in runs)
        return {"documents": count, "processes": processes, "words": total, "seconds": round(seconds, 1),
                "words_per_s": round(total / seconds), "minutes_for_4_7M_words": minutes_for_target(total, seconds)}


def synthetic_store(path: Path, target_triples: int):
    """A store shaped like a real kg graph (entities, relations, provenance), made without NLP."""
    from kg.facts import Document, DocumentFacts, Entity, Evidence, Relation, Threat
    from kg.store import open_store
    from kg import vocab

    rng = random.Random(3)
    types = [vocab.PERSON, vocab.GROUP, vocab.ORGANIZATION, vocab.PLATFORM, vocab.LOCATION]
    pool = [Entity(f"{rng.choice(WORDS)} {rng.choice(LAST)} {n}", (types[n % 5],), (f"Alias {n}",)) for n in range(20000)]
    store = open_store(path, create=True)
    batch, n, size = [], 0, 0
    while size < target_triples:
        entities = rng.sample(pool, 12)
        relations = []
        for _ in range(10):
            s, o = rng.sample(entities, 2)
            predicates = [p for p in vocab.PREDICATES if vocab.fits(p, s.types, o.types)]
            if predicates:
                ev = Evidence(f"{s.name} and {o.name} in sentence {n}.", 10, 60, "bench", 0.7)
                relations.append(Relation(s.key, rng.choice(predicates), o.key, ev))
        threats = tuple(Threat(r.subject, r.object, r.evidence) for r in relations if r.predicate == vocab.THREATENS)
        batch.append(DocumentFacts(Document(f"doc-{n}", f"text {n}", title=f"Article {n}"), tuple(entities),
                                   tuple(relations), threats))
        n += 1
        if len(batch) == 200:
            store.add(batch)
            batch = []
            size = len(store)  # counting walks the store: only once a batch
    if batch:
        store.add(batch)
    return store


def timed_in_child(work, limit: float, memory_gb: float = 8) -> float | None:
    """Seconds ``work`` takes in a forked child, or None past ``limit`` seconds or
    ``memory_gb`` more memory (the child is then killed)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def run():
        # rdflib can take all the machine's memory on a query it evaluates badly.
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + int(memory_gb * 2**30),) * 2)
        started = time.perf_counter()
        try:
            work()
        except MemoryError:
            return
        child.send(time.perf_counter() - started)

    process = context.Process(target=run, daemon=True)
    process.start()
    seconds = parent.recv() if parent.poll(limit) else None
    process.kill()
    process.join()
    return seconds


def bench_sparql(target_triples: int, repeats: int, rdflib_limit: float) -> dict:
    """Median latency of each ready query on Oxigraph as `kg query NAME` runs it
    (its first page of rows), against the same page from rdflib's in-memory
    graph (one run, stopped after ``rdflib_limit`` seconds); and Oxigraph's
    time for every row (`--limit 0`)."""
    import itertools

    import pyoxigraph as ox
    import rdflib

    from kg import config
    from kg import query as q
    from kg.rdf import PREFIXES

    def median_ms(work) -> float:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return round(statistics.median(times) * 1000, 1)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as temp:
        store = synthetic_store(Path(temp) / "store", target_triples)
        size = len(store)
        dataset = rdflib.Dataset()
        data = io_nquads(store)
        dataset.parse(data=data, format="nquads")
        # rdflib needs the union of graphs as its default graph to see what Oxigraph sees.
        dataset.default_union = True
        sample = next(iter(store.query("SELECT ?l WHERE { ?e a kg:Group ; rdfs:label ?l } LIMIT 1")))["l"].value
        # The evidence query's second entity is one the first is related to, so that it has rows.
        other = next(iter(store.query(
            f"SELECT ?l WHERE {{ ?e rdfs:label {ox.Literal(sample)} ; ?p ?o . ?x rdf:predicate ?p . ?o rdfs:label ?l }}"
            " LIMIT 1")))["l"].value
        params = {"name": sample, "a": sample, "b": other}
        prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
        rows = {}
        for name, ready in q.ready_queries().items():
            binding = {k: params[k] for k in ready.params}
            page = q.run(store, ready, binding, limit=config.PAGE_ROWS)
            every = q.run(store, ready, binding)
            ox_ms = median_ms(lambda: q.run(store, ready, binding, limit=config.PAGE_ROWS))
            init = {k: rdflib.Literal(v.lower() if k in ready.names else v) for k, v in binding.items()}
            rd_seconds = timed_in_child(lambda: list(itertools.islice(
                dataset.query(prologue + ready.text, initBindings=init), config.PAGE_ROWS + 1)), rdflib_limit)
            row = {"rows": len(page.rows), "oxigraph_ms": ox_ms}
            if rd_seconds is None:
                row.update(rdflib_ms=f">{rdflib_limit * 1000:.0f}", speedup=f">{rdflib_limit * 1000 / ox_ms:.0f}")
            else:
                row.update(rdflib_ms=round(rd_seconds * 1000, 1), speedup=round(rd_seconds * 1000 / ox_ms, 1))
            row.update(all_rows=len(every.rows), all_rows_ms=median_ms(lambda: q.run(store, ready, binding)))
            rows[name] = row
        store.close()
        return {"quads": size, "page_rows": config.PAGE_ROWS, "queries": rows}


def io_nquads(store) -> str:
    import io

    import pyoxigraph as ox

    out = io.BytesIO()
    store.db.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue().decode("utf-8")


def bench_viz(sizes) -> dict:
    """Time to write the HTML graph and its size, for graphs of several sizes."""
    import networkx as nx

    from kg import viz
    from kg.analysis import Evidence

    rows = {}
    rng = random.Random(4)
    types = ["Person", "Group", "Organization", "Platform", "Location"]
    for n in sizes:
        graph = nx.MultiDiGraph()
        for i in range(n):
            t = types[i % 5]
            graph.add_node(f"n{i}", label=f"Entity {i}", type=t, types=[t], aliases=[f"E{i}"], documents=1)
        for i in range(int(n * 1.5)):
            a, b = rng.randrange(n), rng.randrange(n)
            ev = [Evidence(f"Sentence {i} about entity {a} and {b}.", "Title", "doc", 0, 40, 0.7)]
            graph.add_edge(f"n{a}", f"n{b}", key="attacks", predicate="attacks", evidence=ev, confidence=0.7)
        started = time.perf_counter()
        selected, dropped = viz.select(graph, max_nodes=max(sizes))
        page = viz.render(selected, "bench")
        rows[n] = {"seconds": round(time.perf_counter() - started, 3), "megabytes": round(len(page) / 2**20, 2)}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes, about a minute (the default)")
    mode.add_argument("--full", action="store_true", help="the sizes of the speed targets")
    parser.add_argument("--only", choices=["extraction", "build", "sparql", "viz"], action="append")
    parser.add_argument("--build-sizes", default=None, help="comma-separated article counts for the build runs")
    parser.add_argument("--build-workers", default="1,2", help="comma-separated worker counts for the build runs")
    parser.add_argument("--json", default=None, help="where to write the figures (default bench/results/…)")
    args = parser.parse_args()
    full = args.full
    parts = args.only or ["extraction", "build", "sparql", "viz"]
    results: dict = {"mode": "full" if full else "quick", "cores": os.cpu_count(), "python": sys.version.split()[0]}
    if "extraction" in parts:
        results["extraction"] = bench_extraction(400 if full else 40)
        print_table("Extraction", [results["extraction"]])
    if "build" in parts:
        sizes = [int(n) for n in args.build_sizes.split(",")] if args.build_sizes else (1000, 10000) if full else (60,)
        results["build"] = [bench_build(n, int(w)) for n in sizes for w in args.build_workers.split(",")]
        print_table("Builds", [{k: v for k, v in r.items() if k != "summary"} for r in results["build"]])
        results["floor"] = bench_floor(1000 if full else 60, 2)
        print_table("The model alone, bare nlp.pipe in two processes (the floor of any build)", [results["floor"]])
    if "sparql" in parts:
        results["sparql"] = bench_sparql(1_000_000 if full else 60_000, 21 if full else 7, 120 if full else 10)
        print(f"\nSPARQL on {results['sparql']['quads']:,} quads, first page of {results['sparql']['page_rows']} rows")
        print_table("", [{"query": k, **v} for k, v in results["sparql"]["queries"].items()])
    if "viz" in parts:
        results["viz"] = bench_viz((500, 2000, 10000) if full else (500, 2000))
        print_table("HTML graph", [{"nodes": k, **v} for k, v in results["viz"].items()])
    target = Path(args.json) if args.json else ROOT / "bench" / "results" / f"{results['mode']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {target}")


def print_table(title: str, rows: list[dict]) -> None:
    if title:
        print(f"\n{title}")
    if not rows:
        return
    keys = list(rows[0])
    widths = {k: max(len(str(k)), *(len(str(r.get(k, ""))) for r in rows)) for k in keys}
    print("  ".join(str(k).ljust(widths[k]) for k in keys))
    for row in rows:
        print("  ".join(str(row.get(k, "")).ljust(widths[k]) for k in keys))


if __name__ == "__main__":
    main()
