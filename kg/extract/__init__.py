"""From parsed Docs to facts: pure functions, no RDF.

``document_facts(document, docs)`` is the whole stage for one document: it
resolves entities, runs the relation rules sentence by sentence and turns
threats into events.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from .. import vocab
from ..facts import Document, DocumentFacts, Evidence, Relation
from . import events, lexicon
from .entities import EntityIndex, resolve
from .reader import Found, Reader, is_verb, verb_key
from .relations import RULES


class Sentence(Span):
    """A sentence whose Token objects are made once: a dozen rules walk every sentence."""

    def __iter__(self):
        return iter(self.tokens)


def sentences(doc) -> list[Sentence]:
    found = []
    for sent in doc.sents:
        sentence = Sentence(doc, sent.start, sent.end)
        sentence.tokens = list(sent)
        found.append(sentence)
    return found


class History:
    """Earlier mentions, for pronouns and 'the group': the nearest entity of a
    fitting type before the word, within a few sentences."""

    WINDOW = 120  # tokens

    def __init__(self, chunk: int, doc, index: EntityIndex):
        self.mentions = []
        for ent in doc.ents:
            entity = index.entity_at(chunk, ent[0])
            if entity is not None:
                self.mentions.append((ent.start, ent.end, entity, _is_subject(ent.root)))

    def resolve(self, token, types) -> list:
        """The nearest earlier subject of a fitting type, else the nearest earlier mention.
        'They' who hack or threaten are a group before they are an organization."""
        if not types:
            return []
        if token.lower_ in {"they", "them", "their", "themselves"} and vocab.GROUP in types:
            groups = self.resolve(token, {vocab.GROUP}) if types != {vocab.GROUP} else []
            if groups:
                return groups
        nearest = None
        for start, end, entity, subject in reversed(self.mentions):
            if end > token.i:
                continue
            if token.i - start > self.WINDOW:
                break
            if set(entity.types) & types:
                if subject:
                    return [entity]
                nearest = nearest or entity
        return [nearest] if nearest else []


def _is_subject(token) -> bool:
    while token.dep_ in {"appos", "conj", "compound"} and token.head != token:
        token = token.head
    return token.dep_ in {"nsubj", "nsubjpass"}


def _located_transitively(facts: dict) -> list[Found]:
    """'Ferraro of Bethany, Conn.': X in A and A in B, said in one sentence, puts X in B."""
    located = [f for f in facts.values() if f.predicate == vocab.LOCATED_IN]
    inferred = []
    for first in located:
        for second in located:
            if first.object.key == second.subject.key and first.subject.key != second.object.key:
                inferred.append(Found(first.subject, vocab.LOCATED_IN, second.object, "located:transitive",
                                      round(min(first.confidence, second.confidence) * 0.9, 2), first.sentence))
    return inferred


def _creators(reader: Reader, doc) -> dict:
    """Who released each kind of artifact ('video', 'statement') in the document."""
    lex = reader.lex
    found: dict[str, list] = {}
    for token in doc:
        if not is_verb(token) or not any(k in lex.creates for k in verb_key(token)):
            continue
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children)
        artifacts = [c for c in token.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
        if token.dep_ in {"acl", "relcl"} and token.tag_ == "VBN":
            artifacts.append(token.head)
        for artifact in artifacts:
            if artifact.lower_ in lex.artifacts:
                makers = [e for e in reader.subjects(token) if e.type != vocab.PLATFORM]
                found.setdefault(artifact.lower_, [])
                found[artifact.lower_] += [m for m in makers if m not in found[artifact.lower_]]
    # "video" and "videos" are the same artifact for this purpose.
    for key in list(found):
        other = key[:-1] if key.endswith("s") else key + "s"
        found.setdefault(other, found[key])
    return found


def document_facts(document: Document, docs: list[tuple[int, object]]) -> DocumentFacts:
    """All facts of one document from its parsed chunks ``[(offset, Doc), ...]``."""
    lex = lexicon.load()
    index = resolve(docs)
    found: list[tuple[Found, int]] = []
    for chunk, (offset, doc) in enumerate(docs):
        history = History(chunk, doc, index)
        reader = Reader(chunk, index, lex, {}, history)
        reader.creators = _creators(reader, doc)
        for sent in sentences(doc):
            facts: dict[tuple, Found] = {}
            for rule in RULES:
                for fact in rule(reader, sent):
                    facts.setdefault((fact.subject.key, fact.predicate, fact.object.key), fact)
            for fact in _located_transitively(facts):
                facts.setdefault((fact.subject.key, fact.predicate, fact.object.key), fact)
            found += [(fact, offset) for fact in facts.values()]
    relations, threats = [], []
    uses = {}
    for fact, _ in found:
        if fact.predicate == vocab.USES_PLATFORM:
            uses.setdefault(fact.subject.key, {})[fact.object.key] = fact.object
    for fact, offset in found:
        sent = fact.sentence
        evidence = Evidence(" ".join(sent.text.split()), offset + sent.start_char, offset + sent.end_char,
                            fact.rule, fact.confidence)
        relations.append(Relation(fact.subject.key, fact.predicate, fact.object.key, evidence))
        if fact.predicate == vocab.THREATENS:
            chunk = _chunk_of(docs, sent)
            said_on = [index.entity_at(chunk, t) for t in sent if events.published_on(t)]
            media = events.media_in([e for e in said_on if e is not None],
                                    uses.get(fact.subject.key, {}).values())
            threats.append(events.threat_from(fact, evidence, media, document.date))
    return DocumentFacts(document, index.entities(), tuple(relations), tuple(threats))


def merge(first: DocumentFacts, second: DocumentFacts) -> DocumentFacts:
    """The facts of two parts of one document: entities of the same key become one."""
    entities = {e.key: e for e in first.entities}
    for entity in second.entities:
        if entity.key in entities:
            old = entities[entity.key]
            entity = replace(old, aliases=tuple(sorted({*old.aliases, *entity.aliases} - {old.name})),
                             merged_because=tuple(sorted({*old.merged_because, *entity.merged_because})))
        entities[entity.key] = entity
    return DocumentFacts(first.document, tuple(entities.values()), first.relations + second.relations,
                         first.threats + second.threats)


def _chunk_of(docs, sent) -> int:
    return next(i for i, (_, doc) in enumerate(docs) if doc is sent.doc)
