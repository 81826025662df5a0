"""kg eval: score the extractor against gold annotations (../shared/eval/GUIDELINES.md).

The graph scored is the one `kg build` writes: the documents are built into
a temporary store and read back from it.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import vocab
from .errors import InputError
from .gazetteer import norm


@dataclass(frozen=True)
class Extracted:
    """An entity as the graph holds it for one document."""

    key: str
    names: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class Triple:
    subject: str
    predicate: str
    object: str
    sentence: str = ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Score:
    """Counts overall, by entity type and by predicate, and every error."""

    entities: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    by_type: dict = field(default_factory=lambda: defaultdict(Counts))
    by_predicate: dict = field(default_factory=lambda: defaultdict(Counts))
    errors: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.entities.add(other.entities)
        self.relations.add(other.relations)
        for key, counts in other.by_type.items():
            self.by_type[key].add(counts)
        for key, counts in other.by_predicate.items():
            self.by_predicate[key].add(counts)
        self.errors += other.errors

    def as_dict(self) -> dict:
        return {"entities": self.entities.as_dict(), "relations": self.relations.as_dict(),
                "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
                "by_predicate": {k: v.as_dict() for k, v in sorted(self.by_predicate.items())},
                "errors": self.errors}


def _gold_names(entity: dict) -> set[str]:
    return {norm(n) for n in entity["names"]}


def match_entities(gold: dict, extracted: list[Extracted]) -> tuple[dict[str, set[str]], Score]:
    """Score one document's entities; returns extracted key -> gold ids it matches, and the score."""
    score = Score()
    golds = gold["entities"]
    names = [(g, _gold_names(g)) for g in golds]
    matches: dict[str, set[str]] = {}
    taken: set[str] = set()
    doc = gold.get("doc", "")
    for entity in extracted:
        mine = {norm(n) for n in entity.names}
        candidates = [g for g, gn in names if gn & mine and set(g["types"]) & set(entity.types)]
        matches[entity.key] = {g["id"] for g in candidates}
        if not candidates:
            score.entities.fp += 1
            score.by_type[entity.types[0]].fp += 1
            score.errors.append({"doc": doc, "kind": "entity", "error": "false positive",
                                 "item": f"{entity.names[0]} ({'/'.join(entity.types)})"})
            continue
        required = [g for g in candidates if not g.get("optional")]
        if not required:
            continue
        free = [g for g in required if g["id"] not in taken]
        if free:
            taken.add(free[0]["id"])
            score.entities.tp += 1
            score.by_type[free[0]["types"][0] if entity.types[0] not in free[0]["types"] else entity.types[0]].tp += 1
        else:
            score.entities.fp += 1
            score.by_type[entity.types[0]].fp += 1
            score.errors.append({"doc": doc, "kind": "entity", "error": "false positive (second node)",
                                 "item": f"{entity.names[0]} ({'/'.join(entity.types)})"})
    for g in golds:
        if not g.get("optional") and g["id"] not in taken:
            score.entities.fn += 1
            score.by_type[g["types"][0]].fn += 1
            score.errors.append({"doc": doc, "kind": "entity", "error": "missed",
                                 "item": f"{g['names'][0]} ({'/'.join(g['types'])})"})
    return matches, score


def score_document(gold: dict, extracted: list[Extracted], triples: list[Triple]) -> Score:
    """Entity and relation counts for one document, as GUIDELINES.md defines them."""
    matches, score = match_entities(gold, extracted)
    found: set[int] = set()
    doc = gold.get("doc", "")
    names = {e.key: e.names[0] for e in extracted}
    relations = gold["relations"]
    for triple in dict.fromkeys(triples):
        subjects, objects = matches.get(triple.subject, set()), matches.get(triple.object, set())
        hits = [i for i, r in enumerate(relations)
                if r["p"] == triple.predicate and r["s"] in subjects and r["o"] in objects]
        required = [i for i in hits if not relations[i].get("optional")]
        if hits and not required:
            continue
        if required:
            new = [i for i in required if i not in found]
            if new:
                found.update(new[:1])
                score.relations.tp += 1
                score.by_predicate[triple.predicate].tp += 1
            continue
        score.relations.fp += 1
        score.by_predicate[triple.predicate].fp += 1
        score.errors.append({"doc": doc, "kind": "relation", "error": "false positive",
                             "item": f"{names.get(triple.subject, triple.subject)} {triple.predicate} "
                                     f"{names.get(triple.object, triple.object)}",
                             "sentence": triple.sentence})
    for i, r in enumerate(relations):
        if not r.get("optional") and i not in found:
            score.relations.fn += 1
            score.by_predicate[r["p"]].fn += 1
            score.errors.append({"doc": doc, "kind": "relation", "error": "missed",
                                 "item": f"{r['s']} {r['p']} {r['o']}", "sentence": r.get("evidence", "")})
    return score


def read_gold(folder: Path) -> list[tuple[Path, dict]]:
    pairs = []
    for text in sorted(folder.glob("*.txt")):
        gold = text.with_suffix(".json")
        if gold.exists():
            try:
                pairs.append((text, json.loads(gold.read_text(encoding="utf-8"))))
            except ValueError as exc:
                raise InputError(f"{gold}: not valid JSON ({exc})") from exc
    if not pairs:
        raise InputError(f"{folder}: no NAME.txt + NAME.json pairs to score")
    return pairs


_DOC_ENTITIES = """
SELECT ?e ?name ?type WHERE {
  GRAPH ?g { ?g kg:sourceId ?id . ?e kg:mentionedIn ?g ; kg:mentionedAs ?name }
  ?e a ?type .
}
"""
_DOC_TRIPLES = """
SELECT ?s ?p ?o ?sentence WHERE {
  GRAPH ?g { ?g kg:sourceId ?id . ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence }
}
"""


def extracted_for(store, document_id: str) -> tuple[list[Extracted], list[Triple]]:
    """The entities and relation triples the store holds for one document."""
    import pyoxigraph as ox

    binding = {ox.Variable("id"): ox.Literal(document_id)}
    names: dict[str, list[str]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_DOC_ENTITIES.replace("SELECT ?e", "SELECT ?id ?e"), binding):
        type_ = row["type"].value.rsplit("#", 1)[-1]
        if type_ in vocab.ENTITY_TYPES:
            key = row["e"].value
            if row["name"].value not in names[key]:
                names[key].append(row["name"].value)
            types[key].add(type_)
    entities = [Extracted(k, tuple(v), tuple(sorted(types[k], key=vocab.ENTITY_TYPES.index)))
                for k, v in names.items() if types[k]]
    triples = [Triple(r["s"].value, r["p"].value.rsplit("#", 1)[-1], r["o"].value, r["sentence"].value)
               for r in store.query(_DOC_TRIPLES.replace("SELECT ?s", "SELECT ?id ?s"), binding)]
    return entities, triples


def evaluate(folder: str | Path, model: str | None = None) -> Score:
    """Build the folder's texts into a fresh store and score it against the gold files."""
    from .build import build
    from .store import open_store

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of NAME.txt + NAME.json pairs")
    pairs = read_gold(folder)
    total = Score()
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as temp:
        with open_store(Path(temp) / "store", create=True) as store:
            build(store, [str(text) for text, _ in pairs], model=model)
            for text, gold in pairs:
                entities, triples = extracted_for(store, text.name)
                total.add(score_document(gold, entities, triples))
    return total
