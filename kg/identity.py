"""One node per real-world entity across documents.

Before a document's facts are written, each entity is matched against the
entities already in the store (and in the batch being written): the same
normalised name or alias of the same type, an acronym of a stored name, or
a conservative fuzzy match of a multi-word name. A matched entity takes the
stored canonical name, so its IRI is the stored one, and the reason is kept
with the document's provenance.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from . import vocab
from .facts import DocumentFacts, Entity, entity_key
from .gazetteer import norm

FUZZY_THRESHOLD = 92


class Identities:
    """Names of known entities, by type, for matching new ones."""

    def __init__(self):
        self.by_name: dict[tuple[str, str], str] = {}  # (type, normalised name) -> canonical name
        self.by_first: dict[tuple[str, str], set[str]] = {}  # (type, first word) -> canonical names

    @classmethod
    def from_store(cls, store) -> "Identities":
        known = cls()
        types = " ".join(f"kg:{t}" for t in vocab.ENTITY_TYPES)
        rows = store.query(f"SELECT ?t ?label ?alt WHERE {{ VALUES ?t {{ {types} }} ?e a ?t ; rdfs:label ?label . "
                           f"OPTIONAL {{ ?e skos:altLabel ?alt }} }}")
        for row in rows:
            type_ = row["t"].value.rsplit("#", 1)[-1]
            label = row["label"].value
            known.add(type_, label, label)
            if row["alt"] is not None:
                known.add(type_, row["alt"].value, label)
        return known

    def add(self, type_: str, name: str, canonical: str) -> None:
        key = norm(name)
        if not key:
            return
        self.by_name.setdefault((type_, key), canonical)
        self.by_first.setdefault((type_, key.split()[0]), set()).add(canonical)

    def match(self, entity: Entity) -> tuple[str, str] | None:
        """(stored canonical name, reason) for an entity already known under another name."""
        for type_ in entity.types[:1]:
            for name in (entity.name, *entity.aliases):
                found = self.by_name.get((type_, norm(name)))
                if found is not None:
                    return found, "same name" if norm(found) == norm(entity.name) else f"shared name '{name}'"
            words = norm(entity.name).split()
            if len(words) < 2 or type_ == vocab.PERSON and len(words) < 2:
                continue
            for candidate in self.by_first.get((type_, words[0]), ()):
                other = norm(candidate).split()
                if type_ == vocab.PERSON and other[-1] != words[-1]:
                    continue  # people match only with the same surname
                if len(other) >= 2 and fuzz.ratio(" ".join(words), " ".join(other)) >= FUZZY_THRESHOLD:
                    return candidate, f"fuzzy match of '{entity.name}'"
        return None

    def remember(self, entity: Entity) -> None:
        for name in (entity.name, *entity.aliases):
            self.add(entity.type, name, entity.name)


def unify(facts: DocumentFacts, known: Identities) -> DocumentFacts:
    """The facts with entities renamed to the stored entities they match."""
    renamed: dict[str, str] = {}
    entities = []
    for entity in facts.entities:
        found = known.match(entity)
        if found is not None and found[0] != entity.name:
            canonical, reason = found
            aliases = tuple(sorted({*entity.aliases, entity.name} - {canonical}))
            new = replace(entity, name=canonical, aliases=aliases,
                          merged_because=(*entity.merged_because, f"across documents: {reason}"))
            renamed[entity.key] = entity_key(new.type, canonical)
            entity = new
        known.remember(entity)
        entities.append(entity)
    if not renamed:
        return facts
    merged: dict[str, Entity] = {}
    for entity in entities:  # two names of one document may now be one entity
        if entity.key in merged:
            first = merged[entity.key]
            entity = replace(first, aliases=tuple(sorted({*first.aliases, *entity.aliases} - {first.name})),
                             merged_because=tuple(sorted({*first.merged_because, *entity.merged_because})))
        merged[entity.key] = entity
    key = lambda k: renamed.get(k, k)  # noqa: E731
    relations = tuple(replace(r, subject=key(r.subject), object=key(r.object)) for r in facts.relations
                      if key(r.subject) != key(r.object))
    threats = tuple(replace(t, actor=t.actor and key(t.actor), target=t.target and key(t.target),
                            medium=t.medium and key(t.medium)) for t in facts.threats)
    return replace(facts, entities=tuple(merged.values()), relations=relations, threats=threats)
