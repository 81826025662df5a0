"""Relations from dependency patterns over one parsed sentence at a time.

Each rule family is a function ``rule(reader, sentence)`` that yields
``Found`` triples; the cue words come from data/patterns/relations.json.
Arguments are read through the same helpers everywhere: ``reader.refs``
finds the entities a noun phrase stands for (through appositions,
coordination, pronouns, and holder nouns such as "accounts of X"), and
``reader.subjects`` / ``reader.objects`` find a verb's logical arguments in
active and passive voice.
"""

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
VICTIM_NOUNS = {"killing", "killings", "murder", "assassination", "kidnapping", "abduction", "shooting",
                "execution", "slaying", "beheading"}
WEAPONS = {"shot", "shots", "bullet", "bullets", "bomb", "bombs", "blast", "missile", "missiles", "rocket", "rockets",
           "grenade", "explosives", "round", "rounds"}
ACCUSED = {"convict", "accuse", "charge", "suspect", "guilty", "acquit", "arrest", "indict", "sentence", "try",
           "jail", "imprison", "blame"}
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
              "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
              "southwestern", "north-east", "north-west", "south-east", "south-west", "upper", "lower"}
SEATS = {"headquarters", "hq", "head office", "offices", "office", "base", "bases", "campus", "plant", "factory",
         "embassy", "consulate", "compound", "facility", "facilities"}
AREAS = {"part", "parts", "region", "area", "outskirts", "suburbs", "suburb", "north", "south", "east", "west",
         "center", "centre", "heart", "interior", "coast", "province", "state", "district", "capital", "border"}
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
            if _infinitive(verb) and verb.head.dep_ in {"pobj", "dobj"} and caller.dep_ == "prep":
                caller = caller.head
            if _infinitive(verb) and caller.lemma_.lower() in INTENT and caller != verb.head:
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
            if (verb.dep_ == "xcomp" or _infinitive(verb)) and any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children):
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


def _infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def intended(verb) -> bool:
    """Said as a threat or plan, not as a deed: 'will attack', 'vowed to attack',
    'groups to attack'."""
    if any(c.dep_ == "aux" and c.lower_ in FUTURE for c in verb.children):
        return True
    if verb.dep_ in {"acl", "relcl"} and _infinitive(verb):
        return True
    head = verb.head
    return verb.dep_ in {"xcomp", "advcl", "pcomp", "acomp"} and head.lemma_.lower() in INTENT


def verb_rules(r: Reader, sent) -> Iterator[Found]:
    lex = r.lex
    for v in sent:
        if not is_verb(v) or negated(v):
            continue
        keys = verb_key(v)
        groups = [g for g in ("threatens", "attacks", "bans", "owns", "funds", "leads", "affiliatedWith",
                              "worksFor", "usesPlatform", "locatedIn") if any(k in lex.verbs[g] for k in keys)]
        if not groups:
            continue
        subjects = r.subjects(v)
        for group in groups:
            yield from _verb_group(r, v, group, subjects, sent)


def _verb_group(r: Reader, v, group: str, subjects, sent) -> Iterator[Found]:
    lemma = v.lemma_.lower()
    if group == "threatens":
        targets = r.objects(v, {"against", "on", "to"})
        for x in v.children:  # "threatened to kill X"
            if x.dep_ == "xcomp" and any(k in r.lex.verbs["attacks"] for k in verb_key(x)):
                targets += r.objects(x, {"against", "on"})
        yield from _pairs(subjects, vocab.THREATENS, targets, "verb:threaten", 0.8, sent)
    elif group == "attacks":
        targets = r.objects(v, {"against", "on", "at", "into"})
        pred = vocab.THREATENS if intended(v) else vocab.ATTACKS
        if lemma == "target" and pred == vocab.ATTACKS:
            # Targeting a person is reported of threats and incitement far more often than of deeds.
            people = [t for t in targets if t.type == vocab.PERSON]
            yield from _pairs(subjects, vocab.THREATENS, people, "verb:target-person", 0.6, sent)
            targets = [t for t in targets if t.type != vocab.PERSON]
        # Platforms take down accounts (bans); they do not attack.
        subjects = [s for s in subjects if s.type != vocab.PLATFORM]
        yield from _pairs(subjects, pred, targets, f"verb:{pred}", 0.75, sent)
    elif group == "bans":
        targets = r.objects(v, {"from"} if lemma in {"ban", "bar", "block"} else set(), media=False)
        # Closing or removing a platform's accounts is not banning the platform.
        targets = [t for t in targets if t.type != vocab.PLATFORM]
        yield from _pairs(subjects, vocab.BANS, targets, "verb:ban", 0.75, sent)
    elif group == "owns":
        if lemma in {"operate", "run", "manage", "direct", "control"}:
            # A person who runs an organization works for it; an organization that runs one owns it.
            people = [s for s in subjects if s.type == vocab.PERSON]
            yield from _pairs(people, vocab.WORKS_FOR, r.objects(v), "verb:run", 0.6, sent)
            subjects = [s for s in subjects if s.type != vocab.PERSON]
        yield from _pairs(subjects, vocab.OWNS, r.objects(v), "verb:own", 0.7, sent)
    elif group == "funds":
        money = [c for c in v.children if c.dep_ == "dobj" and c.lower_ in r.lex.funding_nouns]
        if money or lemma in {"provide", "send", "transfer", "give", "funnel", "channel", "pay", "donate", "raise"}:
            recipients = r.pobjs(v, {"to", "for"}) + [e for m in money for e in r.pobjs(m, {"to", "for"})]
            sources = subjects + r.pobjs(v, {"from"}) + [e for m in money for e in r.pobjs(m, {"from"})]
            if money or recipients:
                yield from _pairs(recipients, vocab.FUNDED_BY, sources, "verb:fund-transfer", 0.7, sent, reverse=False)
        elif lemma in {"fund", "finance", "bankroll", "sponsor", "subsidize", "subsidise", "arm", "back"}:
            yield from _pairs(r.objects(v), vocab.FUNDED_BY, subjects, "verb:fund", 0.75, sent)
    elif group == "leads":
        direct = [e for c in v.children if c.dep_ in {"dobj", "nsubjpass"} and r.entity(c) is not None for e in r.refs(c)]
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in v.children):
            direct = [e for c in v.children if c.dep_ == "agent" for p in c.children for e in r.refs(p)]
            yield from _pairs(direct, vocab.LEADS, r.objects(v), "verb:lead", 0.7, sent)
            return
        yield from _pairs(subjects, vocab.LEADS, direct, "verb:lead", 0.7, sent)
        # "oversees al-Shabaab's financial activities": running part of it is working for it.
        indirect = [e for e in r.objects(v) if e not in direct]
        yield from _pairs(subjects, vocab.WORKS_FOR, indirect, "verb:oversee", 0.6, sent)
    elif group == "worksFor":
        preps = {"for", "at", "with", "in"} if lemma == "serve" else {"for", "at", "with"}
        objects = r.pobjs(v, preps) + (r.objects(v) if lemma in {"join", "employ", "hire", "represent"} else [])
        if lemma in {"employ", "hire"}:
            yield from _pairs(r.objects(v), vocab.WORKS_FOR, subjects, "verb:employ", 0.7, sent)
        else:
            yield from _pairs(subjects, vocab.WORKS_FOR, [o for o in objects if o.type != vocab.GROUP], "verb:work", 0.7, sent)
    elif group == "affiliatedWith":
        others = r.objects(v, {"to", "with"})
        yield from _pairs(subjects, vocab.AFFILIATED_WITH, [o for o in others if o.type == vocab.GROUP],
                          "verb:affiliate", 0.7, sent)
    elif group == "usesPlatform":
        platforms = r.objects(v, r.lex.platform_preps)
        yield from _pairs(subjects, vocab.USES_PLATFORM, platforms, "verb:use", 0.7, sent)
    elif group == "locatedIn":
        places = r.pobjs(v, {"in", "at", "near", "within", "inside", "outside", "across"})
        holders = subjects if not any(c.dep_ == "nsubjpass" for c in v.children) else r.objects(v)
        if v.dep_ in {"acl", "amod"}:
            holders = r.refs(v.head)
        yield from _pairs(holders, vocab.LOCATED_IN, places, "verb:located", 0.7, sent)


def publish_rules(r: Reader, sent) -> Iterator[Found]:
    """'posted videos on YouTube', 'a video released on Youtube by Boko Haram',
    'Terror Monitor claimed via Twitter': the one who publishes uses the platform."""
    lex = r.lex
    for v in sent:
        if not is_verb(v) or not any(k in lex.verbs["publishes"] | lex.verbs["usesPlatform"] for k in verb_key(v)):
            continue
        platforms = [e for e in r.pobjs(v, lex.platform_preps) if e.type == vocab.PLATFORM]
        for child in v.children:  # "in a post on its Telegram account"
            if child.dep_ == "prep":
                for p in child.children:
                    if p.dep_ == "pobj" and r.entity(p) is None:
                        platforms += [e for e in r.pobjs(p, {"on", "via", "through"}) if e.type == vocab.PLATFORM]
        if not platforms:
            continue
        users = r.subjects(v)
        if not users and v.dep_ in {"acl", "relcl"}:
            users = [e for e in r.refs(v.head) if e.type != vocab.PLATFORM]
        yield from _pairs(users, vocab.USES_PLATFORM, platforms, "publish-on", 0.7, sent)


def holder_rules(r: Reader, sent) -> Iterator[Found]:
    """'ISIS's Telegram channel', 'the Facebook accounts of RTA',
    'a Taliban YouTube radio channel': the owner uses the platform."""
    holders = r.lex.holders
    for token in sent:
        if token.lower_ not in holders or r.entity(token) is not None:
            continue
        platforms, owners = [], []
        for child in token.children:
            refs = r.refs(child) if child.dep_ in {"compound", "poss", "nmod", "amod", "npadvmod"} else []
            if child.dep_ == "prep" and child.lower_ in {"on", "in"}:
                platforms += [e for p in child.children if p.dep_ == "pobj" for e in r.refs(p) if e.type == vocab.PLATFORM]
            for e in refs:
                (platforms if e.type == vocab.PLATFORM else owners).append(e)
            if child.dep_ == "compound":  # "a Taliban YouTube radio channel"
                for e in (r.refs(g) for g in child.children if g.dep_ in {"compound", "poss"}):
                    for x in e:
                        (platforms if x.type == vocab.PLATFORM else owners).append(x)
        owners += [e for e in r.through(token, media=False) if e.type != vocab.PLATFORM]
        if platforms and not owners and token.dep_ in {"dobj", "pobj"} and is_verb(token.head):
            # "The Taliban created accounts on Telegram": whoever has or makes the accounts.
            owners = [e for e in r.subjects(token.head) if e.type != vocab.PLATFORM]
        if platforms and owners:
            yield from _pairs(owners, vocab.USES_PLATFORM, platforms, "holder-of-account", 0.65, sent)


def adjective_rules(r: Reader, sent) -> Iterator[Found]:
    """'Telegram, a site popular with ISIS', 'the app favored by jihadists',
    'X is responsible for al-Shabaab's planning', 'The Base is active in Canada'."""
    for token in sent:
        if token.lower_ in {"responsible", "active", "present"} and token.dep_ in {"acomp", "amod", "conj", "acl"}:
            holders = _described(r, token)
            if token.lower_ == "responsible":
                yield from _pairs(holders, vocab.WORKS_FOR, r.pobjs(token, {"for"}), "responsible-for", 0.6, sent)
            else:
                # "is active in X": the parser may hang "in X" on the verb rather than the adjective
                preps = r.pobjs(token, {"in", "across", "throughout"}) + (
                    r.pobjs(token.head, {"in", "across", "throughout"}) if token.dep_ == "acomp" else [])
                places = [e for e in preps if e.type == vocab.LOCATION]
                yield from _pairs(holders, vocab.LOCATED_IN, places, "active-in", 0.65, sent)
            continue
        if token.lower_ not in {"popular", "favored", "favoured", "favorite", "favourite", "preferred", "beloved"}:
            continue
        users = r.pobjs(token, {"with", "among", "by", "for"})
        if token.dep_ in {"amod", "acl"}:
            platforms = r.refs(token.head)
        elif token.dep_ == "acomp":
            platforms = [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
        else:
            platforms = []
        yield from _pairs(users, vocab.USES_PLATFORM, platforms, "popular-with", 0.7, sent)


def _described(r: Reader, adjective) -> list[Entity]:
    """What an adjective says something of: the subject of 'is active', the noun it
    modifies, or through 'a group, formed in 2018 and active in ...' the subject of
    the sentence that group describes."""
    token = adjective
    for _ in range(4):  # "formed in 2015 and active in ...": the parser may join it to the year
        if token.dep_ == "conj" and token.head != token:
            token = token.head
        elif token.dep_ == "pobj" and token.head.dep_ == "prep" and token != adjective:
            token = token.head.head
        else:
            break
    if token.dep_ == "acomp":
        return [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
    noun = token.head
    found = r.refs(noun)
    while not found and noun.dep_ == "appos" and noun.head != noun:
        noun = noun.head
        found = r.refs(noun)
    if not found and noun.dep_ == "attr":
        found = [e for c in noun.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
    return found


def noun_rules(r: Reader, sent) -> Iterator[Found]:
    """Event nouns: 'threats to Zuckerberg', 'the attack on Garissa University
    College' claimed by al-Shabaab, 'ISIS's attacks against X'."""
    lex = r.lex
    for noun in sent:
        lower = noun.lower_
        if noun.pos_ not in {"NOUN", "PROPN"} or r.entity(noun) is not None:
            continue
        if lower in lex.threat_nouns:
            pred, preps = vocab.THREATENS, {"to", "against", "on", "toward", "towards"}
        elif lower in lex.attack_nouns:
            pred, preps = vocab.ATTACKS, {"on", "against", "targeting", "at", "in", "of"}
        else:
            continue
        if lower == "war" and not any(c.lower_ == "on" for c in noun.children):
            continue
        targets = r.pobjs(noun, preps)
        modifiers = [e for c in noun.children if c.dep_ in {"poss", "compound", "nmod"} for e in r.refs(c)
                     if e.type != vocab.LOCATION and e.type != vocab.PLATFORM]
        if lower in VICTIM_NOUNS:
            targets += modifiers  # "Kennedy's killing": the one killed
            agents = []
        else:
            agents = modifiers  # "ISIS's attack"
        agents += r.pobjs(noun, {"by", "from"})
        if not agents and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in ACCUSED:
            charged = noun.head.head  # "Sirhan was convicted of Kennedy's killing"
            agents = r.refs(charged.head) if charged.dep_ in {"acl", "amod", "relcl"} else [
                e for c in charged.children if c.dep_ in {"nsubjpass", "nsubj"} for e in r.refs(c)]
        if not agents:
            agents = _governor_subjects(r, noun)
        targets = [t for t in targets if t not in agents]
        if pred == vocab.ATTACKS and _planned(noun):
            pred = vocab.THREATENS
        yield from _pairs(agents, pred, targets, f"noun:{pred}", 0.65, sent)


def _planned(noun) -> bool:
    """'planning a new unit to launch cyber-attacks': an attack spoken of as intended."""
    token = noun
    for _ in range(6):
        if token.head == token:
            return False
        token = token.head
        if token.pos_ in {"VERB", "AUX"} and (intended(token) or token.lemma_.lower() in INTENT):
            return True
    return False


def _governor_subjects(r: Reader, noun) -> list[Entity]:
    """The subject of the verb that governs an event noun: 'X claimed
    responsibility for the attack', 'the video ends with threats'."""
    token = noun
    for _ in range(7):
        if token.dep_ in {"dobj", "pobj", "nsubjpass", "attr", "conj", "appos", "npadvmod"} or token.dep_ == "prep":
            token = token.head
            if is_verb(token) and not negated(token):
                return r.subjects(token)
        else:
            return []
    return []


def role_rules(r: Reader, sent) -> Iterator[Found]:
    """Titles and roles: 'Facebook CEO Mark Zuckerberg', 'Twitter's Jack Dorsey',
    'Veryan Khan, editorial director at TRAC', 'the founder of the Atomwaffen
    Division', 'Boko Haram leader Abubakar Shekau'."""
    lex = r.lex
    for token in sent:
        person = r.entity(token)
        if person is None or person.type != vocab.PERSON or not _is_head_of_entity(token):
            continue
        for role, orgs in _roles_of(r, token):
            for org in orgs:
                if org is person:
                    continue
                pred, confidence = _role_predicate(lex, role, org)
                if pred == vocab.LEADS and org.type in {vocab.ORGANIZATION, vocab.PLATFORM}:
                    # A company's chief executive works for it; only founders and leaders are said to lead it.
                    yield Found(person, vocab.WORKS_FOR, org, f"role:{role}", confidence, sent)
                    if role.split()[-1] not in {"founder", "co-founder", "cofounder", "leader"}:
                        continue
                if pred:
                    yield Found(person, pred, org, f"role:{role}", confidence, sent)
        for child in token.children:  # "retired NFL placekicker Mark Moseley": any occupation noun between
            if child.dep_ == "compound" and child.pos_ == "NOUN" and child.is_lower and r.entity(child) is None \
                    and child.lower_ not in lex.holders and child.lower_ not in lex.members:
                for org in (e for g in child.children if g.dep_ in {"compound", "poss"} for e in r.refs(g)):
                    if org.type in {vocab.ORGANIZATION, vocab.PLATFORM}:
                        yield Found(person, vocab.WORKS_FOR, org, "role:occupation", 0.5, sent)
                    elif org.type == vocab.LOCATION:  # "Atlanta businessman Neil Estes"
                        yield Found(person, vocab.LOCATED_IN, org, "role:occupation-place", 0.5, sent)
        for child in token.children:  # "Deputy U.S. Ambassador Herbert S. Okun"
            if child.dep_ in {"compound", "nmod"} and r.entity(child) is not None and r.entity(child).type == vocab.LOCATION \
                    and any(c.dep_ == "compound" and c.lower_ in lex.work_roles | lex.leader_roles | lex.place_roles
                            for c in token.children):
                yield Found(person, vocab.LOCATED_IN, r.entity(child), "role:title-place", 0.5, sent)
        for org in r.pobjs(token, {"at", "of", "with", "for"}):  # "Wang Ziqiang at the Institute of Mechanics"
            if org.type in {vocab.ORGANIZATION, vocab.PLATFORM}:
                yield Found(person, vocab.WORKS_FOR, org, "role:person-at", 0.55, sent)
        for child in token.children:  # "Twitter's Jack Dorsey"
            if child.dep_ == "poss":
                for org in r.refs(child):
                    if org.type in {vocab.ORGANIZATION, vocab.PLATFORM, vocab.GROUP}:
                        yield Found(person, vocab.WORKS_FOR if org.type != vocab.GROUP else vocab.AFFILIATED_WITH,
                                    org, "role:possessive", 0.6, sent)


def _roles_of(r: Reader, head) -> Iterator[tuple[str, list[Entity]]]:
    lex = r.lex
    roles_words = lex.work_roles | lex.leader_roles | lex.member_roles | lex.financier_roles | lex.place_roles | lex.killer_roles
    candidates = []
    for child in head.children:
        if child.dep_ in {"compound", "appos", "nmod", "amod"} and child.lower_ in roles_words:
            candidates.append(child)
        if child.dep_ == "appos":
            # "Karadzic, leader of Bosnian Serbs and vice-president of the Union of Serb Writers"
            candidates += [c for c in child.conjuncts if c.lower_ in roles_words]
            # "Linda Schmitt, an analyst at Becton Dickinson": any occupation with 'at' or 'for'
            if child.lower_ not in roles_words and child.pos_ == "NOUN" and r.pobjs(child, {"at", "for"}):
                candidates.append(child)
    if head.dep_ == "appos" and head.head.lower_ in roles_words:
        candidates.append(head.head)
    if head.dep_ in {"compound"} and head.head.lower_ in roles_words:
        candidates.append(head.head)
    if head.dep_ in {"nsubj", "nsubjpass"}:  # "X is the founder of Y", "X was named the leader of Y"
        verb = head.head
        for child in verb.children:
            if child.dep_ in {"attr", "acomp", "oprd"}:
                apposed = [a for a in child.children if a.dep_ == "appos"]
                for item in [child, *child.conjuncts, *apposed, *(c for a in apposed for c in a.conjuncts)]:
                    if item.lower_ in roles_words or (item.pos_ == "NOUN" and r.pobjs(item, {"at", "for"})):
                        candidates.append(item)  # "was acting comptroller at the American University"
            if child.dep_ == "prep" and child.lower_ == "as":
                candidates += [p for p in child.children if p.dep_ == "pobj" and p.lower_ in roles_words]
    for role in candidates:
        orgs = []
        stack = [role]
        while stack:  # "Taliban chief spokesman": the organization may sit on any word of the title
            word = stack.pop()
            for child in word.children:
                if child.dep_ in {"compound", "poss", "nmod", "amod"} and child != head:
                    ents = r.refs(child)
                    if ents:
                        orgs += ents
                    elif child.lower_ in roles_words or child.pos_ in {"ADJ", "NOUN"}:
                        stack.append(child)
        orgs += r.pobjs(role, {"of", "at", "for", "with", "in"})
        if role.dep_ == "compound" and role.head == head:
            # "William McKinley's assassin Leon Czolgosz": the possessive hangs on the name
            orgs += [e for c in head.children if c.dep_ == "poss" for e in r.refs(c)]
        # "a professor of political science at Queens College": the place of work after the field
        for prep in role.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for field in prep.children:
                    if field.dep_ == "pobj" and r.entity(field) is None:
                        orgs += r.pobjs(field, {"at", "for"})
        title = " ".join(t.lower_ for t in role.lefts if t.dep_ in {"compound", "amod"} and t.lower_ in lex.leader_roles)
        yield (f"{title} {role.lower_}".strip() if title else role.lower_), orgs


def _role_predicate(lex, role: str, org: Entity) -> tuple[str | None, float]:
    word = role.split()[-1]
    if word in lex.killer_roles:
        return vocab.ATTACKS, 0.7  # "King assassin James Earl Ray"
    if org.type == vocab.LOCATION:
        return vocab.LOCATED_IN, 0.6 if word in lex.place_roles else 0.5
    if word in lex.place_roles and word not in lex.work_roles and word not in lex.leader_roles:
        return None, 0.0
    if word in lex.financier_roles:
        return None, 0.0
    if word in lex.member_roles:
        # A member of a group is affiliated with it; a member of a commission or board works for it.
        if org.type == vocab.GROUP:
            return vocab.AFFILIATED_WITH, 0.7
        return (vocab.WORKS_FOR, 0.6) if word == "member" and org.type == vocab.ORGANIZATION else (None, 0.0)
    if word in lex.leader_roles and ("chief" not in role or word == "chief") and word not in {"vice", "deputy"}:
        return vocab.LEADS, 0.75
    return vocab.WORKS_FOR, 0.75


def financier_rules(r: Reader, sent) -> Iterator[Found]:
    """'Hamas financiers Awad and Nasser', 'a financier for al-Qaida', 'Iran-backed groups'."""
    lex = r.lex
    for token in sent:
        lower = token.lower_
        if lower in lex.financier_roles and r.entity(token) is None:
            beneficiaries = [e for c in token.children if c.dep_ in {"compound", "poss", "nmod"}
                             for e in r.refs(c) if e.type in {vocab.GROUP, vocab.ORGANIZATION}]
            beneficiaries += r.pobjs(token, {"for", "of", "to"})
            funders = [e for c in token.children if c.dep_ == "appos" for e in r.refs(c)]
            if token.dep_ in {"appos", "compound"} and r.entity(token.head):
                funders += r.refs(token.head)
            if token.dep_ == "attr":
                funders += [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
            yield from _pairs(beneficiaries, vocab.FUNDED_BY, funders, "role:financier", 0.65, sent)
        elif lower in {"backed", "funded", "sponsored", "financed", "supported", "armed"} and token.dep_ in {"amod", "compound"}:
            funders = [e for c in token.children if c.dep_ in {"npadvmod", "compound", "advmod", "nmod"} for e in r.refs(c)]
            yield from _pairs(r.refs(token.head), vocab.FUNDED_BY, funders, "backed-by", 0.7, sent)


def affiliation_rules(r: Reader, sent) -> Iterator[Found]:
    """'Cyber-Caliphate, the hacking unit of ISIS', 'supporters of ISIS', 'pro-ISIS hackers'."""
    lex = r.lex
    for token in sent:
        lower = token.lower_
        if lower in lex.members and r.entity(token) is None:
            parents = r.pobjs(token, {"of", "to", "for", "within"}) + [
                e for c in token.children if c.dep_ in {"poss", "compound", "nmod"} for e in r.refs(c)]
            parents = [p for p in parents if p.type == vocab.GROUP]
            members = _apposed_to(r, token)
            if token.dep_ == "attr":
                members += [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
            members += [e for c in token.children if c.dep_ == "appos" for e in r.refs(c)]
            named = [e for c in token.children if c.dep_ == "acl" and c.lemma_ in {"name", "call", "know"}
                     for g in c.children for e in r.refs(g)]
            members += named
            members = [m for m in members if m.type in {vocab.GROUP, vocab.PERSON}]
            yield from _pairs(members, vocab.AFFILIATED_WITH, parents, "member-of", 0.7, sent)
        if lower == "pro" and token.i + 2 < len(token.doc) and token.nbor().text == "-":
            parent = r.entity(token.nbor(2))
            head = token.head if token.head != token else None
            if parent is not None and parent.type == vocab.GROUP and head is not None:
                while head.dep_ in {"amod", "compound"} and r.entity(head) is None and head.head != head:
                    head = head.head
                yield from _pairs([e for e in r.refs(head) if e is not parent], vocab.AFFILIATED_WITH, [parent],
                                  "pro-group", 0.6, sent)


def location_rules(r: Reader, sent) -> Iterator[Found]:
    """'Westgate mall in Nairobi', 'Kampala, Uganda', 'the Somalia-based al-Shabaab',
    'Marie Ferraro of Bethany', 'Illinois Gov. James Thompson', 'NRC headquarters in Rockville'."""
    for token in sent:
        if token.lower_ in SEATS and r.entity(token) is None:
            owners = [e for c in token.children if c.dep_ in {"compound", "poss", "nmod"} for e in r.refs(c)
                      if e.type != vocab.LOCATION] + [e for e in r.pobjs(token, {"of"}) if e.type != vocab.LOCATION]
            places = [e for e in r.pobjs(token, {"in", "at", "near"}) if e.type == vocab.LOCATION]
            yield from _pairs(owners, vocab.LOCATED_IN, places, "seat-in", 0.7, sent)
            continue
        if token.lower_ in {"based", "headquartered"}:
            places = [e for c in token.children if c.dep_ in {"npadvmod", "compound", "nmod", "advmod"} for e in r.refs(c)]
            places += r.pobjs(token, {"in", "at", "near"})
            holders = r.refs(token.head) if token.dep_ in {"amod", "acl", "compound"} else []
            yield from _pairs(holders, vocab.LOCATED_IN, places, "based-in", 0.8, sent)
            continue
        here = r.entity(token)
        if here is None or not _is_head_of_entity(token):
            continue
        places = []
        if here.type == vocab.LOCATION:
            places += _region_after(r, token)
        if here.type in {vocab.LOCATION, vocab.ORGANIZATION, vocab.GROUP}:
            places += _place_right_after(r, token)
        if token.dep_ == "appos" and r.entity(token.head) is None:
            # "Bosnia's capital, Sarajevo": the place the described noun belongs to
            places += [e for c in token.head.children if c.dep_ == "poss" for e in r.refs(c) if e.type == vocab.LOCATION]
        for child in token.children:
            if child.dep_ == "appos" and r.entity(child) is None:
                # "Sun Hung Kai Properties, a Hong Kong firm", "Madagascar, an island nation in the Indian Ocean",
                # "Derwinski, a Republican from Chicago"
                places += [e for g in child.children if g.dep_ in {"compound", "nmod", "poss", "amod"}
                           for e in r.refs(g) if e.type == vocab.LOCATION]
                places += [e for e in r.pobjs(child, {"in", "from", "of"}) if e.type == vocab.LOCATION]
                for prep in child.children:  # "Yisrael Tal, one of the top strategists in Israel"
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        places += [e for p in prep.children if p.dep_ == "pobj" and r.entity(p) is None
                                   for e in r.pobjs(p, {"in", "from"}) if e.type == vocab.LOCATION]
            if child.dep_ == "prep" and child.lower_ in {"in", "of", "at", "near", "outside", "from"}:
                if child.lower_ in {"of", "from"} and here.type not in {vocab.PERSON, vocab.LOCATION, vocab.ORGANIZATION}:
                    continue
                # "in the southeastern part of Rwanda", "on the outskirts of Kabul"
                places += [e for p in child.children if p.dep_ == "pobj" and p.lower_ in AREAS
                           for e in r.pobjs(p, {"of"}) if e.type == vocab.LOCATION]
                places += [e for p in child.children if p.dep_ == "pobj" for e in r.refs(p) if e.type == vocab.LOCATION]
            elif child.dep_ in {"poss", "compound"} and here.type in {vocab.ORGANIZATION, vocab.GROUP}:
                places += [e for e in r.refs(child) if e.type == vocab.LOCATION]
        rule = "in-place" if here.type != vocab.LOCATION else "place-in-place"
        yield from _pairs([here], vocab.LOCATED_IN, places, rule, 0.6, sent)


def _place_right_after(r: Reader, token) -> list[Entity]:
    """'Kassala in eastern Sudan', 'NRC headquarters in nearby Rockville': a place
    right after 'in', whatever the parser attached the 'in' to."""
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    if end < len(doc) and doc[end].lower_ == "headquarters":
        end += 1
    if end >= len(doc) or doc[end].lower_ not in {"in", "near"}:
        return []
    at = end + 1
    while at < len(doc) and at - end <= 3 and not doc[at].ent_type_ and (doc[at].is_lower or doc[at].pos_ == "DET"):
        at += 1  # "in the southeastern", "in nearby"
    place = r.entity(doc[at]) if at < len(doc) else None
    return [place] if place is not None and place.type == vocab.LOCATION else []


def _region_after(r: Reader, token) -> list[Entity]:
    """'Kampala, Uganda': a place right after a place and a comma, unless the two are items of a list."""
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    if end + 1 >= len(doc) or doc[end].text != ",":
        return []
    start = end + 1
    while start < len(doc) and start - end <= 4 and (doc[start].lower_ in DIRECTIONS or doc[start].text == "-"):
        start += 1  # "Mohammadia, south-east Algeria"
    if start >= len(doc) or doc[start].ent_iob_ != "B":
        return []
    region = r.entity(doc[start])
    if region is None or region.type != vocab.LOCATION:
        return []
    stop = start + 1
    while stop < len(doc) and doc[stop].ent_iob_ == "I":
        stop += 1
    following = doc[stop].lower_ if stop < len(doc) else ""
    after_comma = doc[stop + 1] if following == "," and stop + 1 < len(doc) else None
    if following in {"and", "or"} or (after_comma is not None and (
            after_comma.ent_type_ in {"GPE", "LOC"} or after_comma.lower_ in {"and", "or"})):
        return []
    if token.i > 1 and doc[token.i - 1].text == ",":
        before = r.entity(doc[token.i - 2])
        if before is not None and before.type == vocab.LOCATION:
            return []  # the middle of "Poland, Italy, Norway"
    return [region]


def _is_head_of_entity(token) -> bool:
    if not token.ent_type_:
        return False
    start = token.i
    while start > 0 and token.doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    return token.doc[start:end].root.i == token.i


def _apposed_to(r: Reader, token) -> list[Entity]:
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


def ownership_rules(r: Reader, sent) -> Iterator[Found]:
    """'Meta, Facebook's parent company', 'owned by ByteDance', 'Google-owned YouTube'."""
    lex = r.lex
    for token in sent:
        lower = token.lower_
        if lower in {"owned", "operated", "developed", "run", "controlled", "created", "made"} and token.dep_ in {"acl", "amod", "relcl", "ROOT", "conj"}:
            owners = [e for c in token.children if c.dep_ in {"npadvmod", "compound", "nmod"} for e in r.refs(c)]
            owners += [e for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for e in r.refs(p)]
            if token.dep_ in {"acl", "amod"}:
                owned = r.refs(token.head)
            else:
                owned = [e for c in token.children if c.dep_ == "nsubjpass" for e in r.refs(c)]
            yield from _pairs(owners, vocab.OWNS, owned, "owned-by", 0.75, sent)
        elif lower in {"company", "firm", "owner", "parent", "operator", "developer", "maker"}:
            words = {lower} | {c.lower_ for c in token.children if c.dep_ in {"compound", "amod"}}
            if not words & lex.owner_roles:
                continue
            owned = [e for c in token.children if c.dep_ == "poss" for e in r.refs(c)] + r.pobjs(token, {"of", "behind"})
            owners = _apposed_to(r, token)
            owners += [e for c in token.children if c.dep_ == "appos" for e in r.refs(c)]
            if token.dep_ == "attr":
                owners += [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
            yield from _pairs(owners, vocab.OWNS, owned, "owner-of", 0.7, sent)


def dateline_rules(r: Reader, sent) -> Iterator[Found]:
    """'DAYTON, Ohio (AP) —', 'Sofia, February 15 (BTA) --': the agency files from the places before it."""
    tokens = list(sent)[:14]
    places = []
    for token in tokens:
        entity = r.entity(token)
        if token.text == "(":
            inside = [t for t in token.doc[token.i + 1:min(token.i + 7, len(token.doc))]]
            close = next((n for n, t in enumerate(inside) if t.text == ")"), None)
            agency = r.entity(inside[0]) if close and inside else None
            if agency is not None and agency.type == vocab.ORGANIZATION and places:
                yield from _pairs([agency], vocab.LOCATED_IN, places, "dateline", 0.6, sent)
                return
        if entity is not None and entity.type == vocab.LOCATION and entity not in places:
            places.append(entity)


RULES = (dateline_rules, verb_rules, publish_rules, holder_rules, adjective_rules, noun_rules, role_rules,
         financier_rules, affiliation_rules, location_rules, ownership_rules)


def _pairs(subjects, predicate: str, objects, rule: str, confidence: float, sent,
           reverse: bool = False) -> Iterator[Found]:
    for s in dict.fromkeys(subjects):
        for o in dict.fromkeys(objects):
            if s is o or s.key == o.key:
                continue
            if vocab.fits(predicate, s.types, o.types):
                yield Found(s, predicate, o, rule, confidence, sent)
