"""How relation rules read a parsed sentence: the entities a noun phrase
stands for (through appositions, coordination, pronouns and holder nouns such
as "accounts of X"), a verb's logical subjects and objects in active and
passive voice, and the ``Found`` record every rule yields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import vocab
from ..facts import Entity
from .entities import EntityIndex
from .lexicon import Lexicon

RELATIVE = {"who", "which", "that", "whom", "whose"}
PRONOUNS = {
    "he": {vocab.PERSON}, "him": {vocab.PERSON}, "his": {vocab.PERSON}, "himself": {vocab.PERSON},
    "she": {vocab.PERSON}, "her": {vocab.PERSON}, "hers": {vocab.PERSON}, "herself": {vocab.PERSON},
    "it": {vocab.GROUP, vocab.ORGANIZATION, vocab.PLATFORM}, "its": {vocab.GROUP, vocab.ORGANIZATION, vocab.PLATFORM},
    "itself": {vocab.GROUP, vocab.ORGANIZATION, vocab.PLATFORM},
    "they": {vocab.GROUP, vocab.ORGANIZATION}, "them": {vocab.GROUP, vocab.ORGANIZATION},
    "their": {vocab.GROUP, vocab.ORGANIZATION}, "themselves": {vocab.GROUP, vocab.ORGANIZATION},
}
# "the group", "the company": definite descriptions that refer back to an entity.
NOMINALS = {
    "group": {vocab.GROUP}, "organization": {vocab.GROUP, vocab.ORGANIZATION},
    "organisation": {vocab.GROUP, vocab.ORGANIZATION}, "militants": {vocab.GROUP},
    "hackers": {vocab.GROUP}, "network": {vocab.GROUP}, "movement": {vocab.GROUP},
    "company": {vocab.ORGANIZATION, vocab.PLATFORM}, "firm": {vocab.ORGANIZATION, vocab.PLATFORM},
    "platform": {vocab.PLATFORM}, "app": {vocab.PLATFORM}, "site": {vocab.PLATFORM},
    "service": {vocab.PLATFORM}, "agency": {vocab.ORGANIZATION}, "jihadists": {vocab.GROUP},
    "extremists": {vocab.GROUP}, "insurgents": {vocab.GROUP}, "terrorists": {vocab.GROUP},
    "man": {vocab.PERSON}, "woman": {vocab.PERSON},
}
DEFINITE = {"the", "this", "that", "its", "his", "her", "their"}
NAMING = {"name", "call", "dub", "know", "title"}
WEAPONS = {"shot", "shots", "bullet", "bullets", "bomb", "bombs", "blast", "missile", "missiles", "rocket", "rockets",
           "grenade", "explosives", "round", "rounds"}
ACCUSED = {"convict", "accuse", "charge", "suspect", "guilty", "acquit", "arrest", "indict", "sentence", "try",
           "jail", "imprison", "blame"}
MEANS = {"by", "through", "via", "after", "before", "while", "in", "when"}
FUTURE = {"will", "would", "'ll", "shall"}
INTENT = {"threaten", "vow", "plan", "promise", "pledge", "call", "urge", "want", "intend", "warn",
          "aim", "seek", "plot", "try", "attempt", "prepare", "encourage", "incite", "order", "tell", "ask"}


@dataclass(frozen=True)
class Found:
    """A relation read from one sentence, before it becomes a Relation fact."""

    subject: Entity
    predicate: str
    object: Entity
    rule: str
    confidence: float
    sentence: object


class Reader:
    """The helpers rules use to read a sentence's arguments."""

    def __init__(self, chunk: int, index: EntityIndex, lexicon: Lexicon, creators: dict, history):
        self.chunk = chunk
        self.index = index
        self.lex = lexicon
        self.creators = creators
        self.history = history

    def entity(self, token) -> Entity | None:
        return self.index.entity_at(self.chunk, token)

    def refs(self, token, depth: int = 0, media: bool = True) -> list[Entity]:
        """The entities a noun phrase headed by ``token`` stands for."""
        if token is None or depth > 6:
            return []
        found = self._refs(token, depth, media)
        for child in token.children:
            if child.dep_ == "conj":
                found += self.refs(child, depth + 1, media)
        return list(dict.fromkeys(found))

    def _refs(self, token, depth: int, media: bool) -> list[Entity]:
        own = self.entity(token)
        if own is not None:
            found = [own]
            # "Facebook's Mark Zuckerberg, Twitter's Jack Dorsey": a list written as appositions.
            for child in token.children:
                if child.dep_ == "appos":
                    other = self.entity(child)
                    if other is not None and other.type == own.type:
                        found.append(other)
            return found
        lower = token.lower_
        if lower in RELATIVE and token.head.dep_ in {"relcl", "acl"}:
            # The antecedent alone: in "Jack Ruby, who killed Oswald, and Jim Bakker" Jim did not.
            return self._refs(token.head.head, depth + 1, media)
        if lower in PRONOUNS and token.pos_ == "PRON" or token.tag_ == "PRP$":
            return self.history.resolve(token, PRONOUNS.get(lower, set()))
        found = [e for c in token.children if c.dep_ == "appos" for e in self.refs(c, depth + 1, media)
                 if not self._is_role(c)]
        if token.dep_ == "appos" and self.entity(token.head) is not None:
            found.append(self.entity(token.head))
        if found:
            return found
        for child in token.children:  # "a group named X", "a group that calls itself X"
            if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in NAMING:
                named = [e for g in child.children if g.dep_ in {"oprd", "dobj", "attr", "xcomp"}
                         and g.lower_ not in {"itself", "themselves"} for e in self.refs(g, depth + 1)]
                if named:
                    return named
        if lower in NOMINALS and any(c.lower_ in DEFINITE for c in token.children):
            return self.history.resolve(token, NOMINALS[lower])
        if lower in self.lex.artifacts and lower in self.creators:
            return list(self.creators[lower])
        return self.through(token, depth, media)

    def through(self, token, depth: int = 0, media: bool = True) -> list[Entity]:
        """Entities behind a non-entity noun: owners first ("accounts of X",
        "X-related accounts", "X's accounts"), else the medium ("Facebook accounts")."""
        owners, mediums, listed = [], [], []
        for child in token.children:
            dep = child.dep_
            if dep == "poss":
                owners += self.refs(child, depth + 1)
            elif dep == "prep" and child.lower_ in {"including", "like", "as", "from"}:
                # "airports including LAX", "groups such as X", "hackers like Y"
                listed += [e for p in child.children if p.dep_ == "pobj" for e in self.refs(p, depth + 1)]
            elif dep == "prep" and child.lower_ in {"of", "for", "by", "with", "within"}:
                if token.lower_ in self.lex.holders or child.lower_ == "of":
                    owners += [e for p in child.children if p.dep_ == "pobj" for e in self.refs(p, depth + 1)]
            elif dep in {"acl", "amod"} and child.lower_ in self.lex.owner_links:
                for grand in child.children:
                    if grand.dep_ in {"npadvmod", "compound", "nmod", "advmod"}:
                        owners += self.refs(grand, depth + 1)
                    elif grand.dep_ in {"prep", "agent"}:
                        owners += [e for p in grand.children if p.dep_ == "pobj" for e in self.refs(p, depth + 1)]
            elif dep in {"compound", "nmod", "amod", "npadvmod"}:
                holder = token.lower_ in self.lex.holders
                for e in self.refs(child, depth + 1):
                    medium = not holder or e.type == vocab.PLATFORM or vocab.LOCATION in e.types
                    (mediums if medium else owners).append(e)
            elif dep == "relcl" and token.lower_ in self.lex.holders:
                # "accounts that were posting videos for the Islamic State", "an account that belongs to the Taliban"
                owners += [e for e in self.pobjs(child, {"to", "for", "of"}) if e.type != vocab.PLATFORM]
                for grand in child.children:
                    if grand.dep_ == "dobj":
                        owners += [e for e in self.pobjs(grand, {"for", "of"}) if e.type != vocab.PLATFORM]
        if listed:
            return listed
        if owners:
            return owners
        return mediums if media else []

    def _is_role(self, token) -> bool:
        return token.lower_ in self.lex.work_roles or token.lower_ in self.lex.leader_roles

    def subjects(self, verb, depth: int = 0) -> list[Entity]:
        """The logical subject of a verb: the agent of a passive, the head of a
        relative clause, the subject shared by coordinated or controlled verbs."""
        if depth > 4:
            return []
        found: list[Entity] = []
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in {"acl", "relcl"})
        for child in verb.children:
            if passive and child.dep_ == "agent":
                found += [e for p in child.children if p.dep_ == "pobj" for e in self.refs(p)]
            elif not passive and child.dep_ in {"nsubj", "csubj"}:
                found += self.refs(child)
        if found:
            return found
        if self.misread_modifier(verb):
            return [self.entity(verb.doc[verb.i - 1])]
        if verb.pos_ == "NOUN":  # a headline verb the parser took for a noun
            return [e for c in verb.lefts if c.dep_ in {"compound", "nsubj", "amod"} for e in self.refs(c)]
        if verb.dep_ == "relcl" and verb.head.lower_ in WEAPONS and verb.head.dep_ == "dobj":
            return self.subjects(verb.head.head, depth + 1)  # "Oswald fired the shots that killed Kennedy"
        if not passive and verb.dep_ in {"relcl", "acl"} and not any(c.dep_ == "nsubj" for c in verb.children):
            caller = verb.head.head
            if infinitive(verb) and verb.head.dep_ in {"pobj", "dobj"} and caller.dep_ == "prep":
                caller = caller.head
            if infinitive(verb) and caller.lemma_.lower() in INTENT and caller != verb.head:
                # "calling upon other groups to attack the US": the caller makes the threat.
                return self.subjects(caller, depth + 1)
            return self.refs(verb.head)
        head = verb.head
        if verb.dep_ == "pcomp" and head.lower_ == "of" and head.head.lemma_.lower() in ACCUSED:
            # "Adamson, convicted of murdering Don Bolles": the one convicted did it.
            charged = head.head
            if charged.dep_ in {"acl", "amod", "relcl"}:
                return self.refs(charged.head)
            return [e for c in charged.children if c.dep_ in {"nsubjpass", "nsubj"} for e in self.refs(c)]
        if verb.dep_ == "pcomp" and head.lower_ in MEANS and head.head != head:
            return self.subjects(head.head, depth + 1)  # "recruited by using iFunny"
        if verb.dep_ in {"xcomp", "conj", "advcl"} and head != verb:
            if (verb.dep_ == "xcomp" or infinitive(verb)) and any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children):
                # "recruited by the CIA to assassinate him": the one recruited acts, not the recruiter.
                return [e for c in head.children if c.dep_ == "nsubjpass" for e in self.refs(c)]
            return self.subjects(head, depth + 1)
        return []

    def misread_modifier(self, verb) -> bool:
        """'Twitter suspended accounts ...' parsed as a noun phrase with 'suspended'
        modifying 'accounts': the name just before the verb is its subject."""
        return (verb.dep_ in {"amod", "compound"} and verb.tag_ in {"VBD", "VBZ", "VBN"} and verb.i > 0
                and self.entity(verb.doc[verb.i - 1]) is not None)

    def objects(self, verb, preps: frozenset | set = frozenset(), media: bool = True) -> list[Entity]:
        """A verb's logical objects: the direct object (the subject of a
        passive), and the objects of the prepositions named in ``preps``."""
        found: list[Entity] = []
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
        for child in verb.children:
            if child.dep_ in {"dobj", "attr", "oprd"} or (passive and child.dep_ == "nsubjpass"):
                found += self.refs(child, media=media)
            elif child.dep_ in {"prep", "prt"} and child.lower_ in preps:
                found += [e for p in child.children if p.dep_ == "pobj" for e in self.refs(p)]
        if not found and (self.misread_modifier(verb) or verb.dep_ == "amod" and any(c.dep_ == "nsubj" for c in verb.children)):
            found += self.refs(verb.head, media=media)
        if not found and passive is False and verb.dep_ in {"acl"} and verb.tag_ == "VBN":
            found += self.refs(verb.head)
        if not found and verb.dep_ == "relcl" and passive:
            found += self.refs(verb.head)
        return found

    def pobjs(self, token, preps) -> list[Entity]:
        return [e for c in token.children if c.dep_ == "prep" and c.lower_ in preps
                for p in c.children if p.dep_ == "pobj" for e in self.refs(p)]


def verb_key(token) -> list[str]:
    """The lexicon keys of a verb: its lemma, and lemma plus particle ("shut down")."""
    lemma = token.lemma_.lower()
    keys = [lemma]
    for child in token.children:
        if child.dep_ == "prt" or (child.dep_ == "dobj" and child.lower_ == "war"):
            keys.insert(0, f"{lemma} {child.lower_}")
        if child.dep_ == "advmod" and child.lower_ in {"offline", "down"}:
            keys.insert(0, f"{lemma} {child.lower_}")
        if child.dep_ == "prep" and child.lower_ in {"at", "on", "upon"}:
            keys.append(f"{lemma} {child.lower_}")  # "fired at Oswald", "opened fire on"
    return keys


def is_verb(token) -> bool:
    if token.pos_ in {"VERB", "AUX"}:
        return True
    # Headlines: "ISIS targets Facebook's Mark Zuckerberg" parses 'targets' as a noun.
    return token.pos_ == "NOUN" and token.tag_ == "NNS" and any(c.dep_ == "dobj" for c in token.children)


def negated(token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def intended(verb) -> bool:
    """Said as a threat or plan, not as a deed: 'will attack', 'vowed to attack',
    'groups to attack'."""
    if any(c.dep_ == "aux" and c.lower_ in FUTURE for c in verb.children):
        return True
    if verb.dep_ in {"acl", "relcl"} and infinitive(verb):
        return True
    head = verb.head
    return verb.dep_ in {"xcomp", "advcl", "pcomp", "acomp"} and head.lemma_.lower() in INTENT


def is_head_of_entity(token) -> bool:
    if not token.ent_type_:
        return False
    start = token.i
    while start > 0 and token.doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    return token.doc[start:end].root.i == token.i


def apposed_to(r: Reader, token) -> list[Entity]:
    """The entity a descriptive noun phrase stands beside: 'Meta, Facebook's parent
    company' (parsed as an apposition or as a second subject)."""
    if token.dep_ == "appos":
        return r.refs(token.head)
    start = token.left_edge.i
    if start >= 2 and token.doc[start - 1].text == ",":
        before = r.entity(token.doc[start - 2])
        if before is not None:
            return [before]
    return []


def pairs(subjects, predicate: str, objects, rule: str, confidence: float, sent,
           reverse: bool = False) -> Iterator[Found]:
    for s in dict.fromkeys(subjects):
        for o in dict.fromkeys(objects):
            if s is o or s.key == o.key:
                continue
            if vocab.fits(predicate, s.types, o.types):
                yield Found(s, predicate, o, rule, confidence, sent)
