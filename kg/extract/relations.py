"""Relations from dependency patterns over one parsed sentence at a time.

Each rule family is a function ``rule(reader, sentence)`` that yields
``Found`` triples; the cue words come from data/patterns/relations.json and
the reading helpers from kg.extract.reader. Verbs, events, platform use and
ownership are here; places and roles have modules of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..facts import Entity
from .reader import (ACCUSED, INTENT, Found, Reader, apposed_to, intended, is_verb, negated, pairs,
                     verb_key)
from .places import dateline_rules, location_rules, source_line_rules
from .roles import affiliation_rules, financier_rules, role_rules

VICTIM_NOUNS = {"killing", "killings", "murder", "assassination", "kidnapping", "abduction", "shooting",
                "execution", "slaying", "beheading"}


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
        yield from pairs(subjects, vocab.THREATENS, targets, "verb:threaten", 0.8, sent)
    elif group == "attacks":
        targets = r.objects(v, {"against", "on", "at", "into"})
        pred = vocab.THREATENS if intended(v) else vocab.ATTACKS
        if lemma == "target" and pred == vocab.ATTACKS:
            # Targeting a person is reported of threats and incitement far more often than of deeds.
            people = [t for t in targets if t.type == vocab.PERSON]
            yield from pairs(subjects, vocab.THREATENS, people, "verb:target-person", 0.6, sent)
            targets = [t for t in targets if t.type != vocab.PERSON]
        # Platforms take down accounts (bans); they do not attack.
        subjects = [s for s in subjects if s.type != vocab.PLATFORM]
        yield from pairs(subjects, pred, targets, f"verb:{pred}", 0.75, sent)
    elif group == "bans":
        targets = r.objects(v, {"from"} if lemma in {"ban", "bar", "block"} else set(), media=False)
        # Closing or removing a platform's accounts is not banning the platform.
        targets = [t for t in targets if t.type != vocab.PLATFORM]
        yield from pairs(subjects, vocab.BANS, targets, "verb:ban", 0.75, sent)
    elif group == "owns":
        if lemma in {"operate", "run", "manage", "direct", "control"}:
            # A person who runs an organization works for it; an organization that runs one owns it.
            people = [s for s in subjects if s.type == vocab.PERSON]
            yield from pairs(people, vocab.WORKS_FOR, r.objects(v), "verb:run", 0.6, sent)
            subjects = [s for s in subjects if s.type != vocab.PERSON]
        yield from pairs(subjects, vocab.OWNS, r.objects(v), "verb:own", 0.7, sent)
    elif group == "funds":
        money = [c for c in v.children if c.dep_ == "dobj" and c.lower_ in r.lex.funding_nouns]
        if money or lemma in {"provide", "send", "transfer", "give", "funnel", "channel", "pay", "donate", "raise"}:
            recipients = r.pobjs(v, {"to", "for"}) + [e for m in money for e in r.pobjs(m, {"to", "for"})]
            sources = subjects + r.pobjs(v, {"from"}) + [e for m in money for e in r.pobjs(m, {"from"})]
            if money or recipients:
                yield from pairs(recipients, vocab.FUNDED_BY, sources, "verb:fund-transfer", 0.7, sent, reverse=False)
        elif lemma in {"fund", "finance", "bankroll", "sponsor", "subsidize", "subsidise", "arm", "back"}:
            yield from pairs(r.objects(v), vocab.FUNDED_BY, subjects, "verb:fund", 0.75, sent)
    elif group == "leads":
        direct = [e for c in v.children if c.dep_ in {"dobj", "nsubjpass"} and r.entity(c) is not None for e in r.refs(c)]
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in v.children):
            direct = [e for c in v.children if c.dep_ == "agent" for p in c.children for e in r.refs(p)]
            yield from pairs(direct, vocab.LEADS, r.objects(v), "verb:lead", 0.7, sent)
            return
        yield from pairs(subjects, vocab.LEADS, direct, "verb:lead", 0.7, sent)
        # "oversees al-Shabaab's financial activities": running part of it is working for it.
        indirect = [e for e in r.objects(v) if e not in direct]
        yield from pairs(subjects, vocab.WORKS_FOR, indirect, "verb:oversee", 0.6, sent)
    elif group == "worksFor":
        preps = {"for", "at", "with", "in"} if lemma == "serve" else {"for", "at", "with"}
        objects = r.pobjs(v, preps) + (r.objects(v) if lemma in {"join", "employ", "hire", "represent"} else [])
        if lemma in {"employ", "hire"}:
            yield from pairs(r.objects(v), vocab.WORKS_FOR, subjects, "verb:employ", 0.7, sent)
        else:
            yield from pairs(subjects, vocab.WORKS_FOR, [o for o in objects if o.type != vocab.GROUP], "verb:work", 0.7, sent)
    elif group == "affiliatedWith":
        others = r.objects(v, {"to", "with"})
        yield from pairs(subjects, vocab.AFFILIATED_WITH, [o for o in others if o.type == vocab.GROUP],
                          "verb:affiliate", 0.7, sent)
    elif group == "usesPlatform":
        platforms = r.objects(v, r.lex.platform_preps)
        yield from pairs(subjects, vocab.USES_PLATFORM, platforms, "verb:use", 0.7, sent)
    elif group == "locatedIn":
        places = r.pobjs(v, {"in", "at", "near", "within", "inside", "outside", "across"})
        holders = subjects if not any(c.dep_ == "nsubjpass" for c in v.children) else r.objects(v)
        if v.dep_ in {"acl", "amod"}:
            holders = r.refs(v.head)
        yield from pairs(holders, vocab.LOCATED_IN, places, "verb:located", 0.7, sent)


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
        yield from pairs(users, vocab.USES_PLATFORM, platforms, "publish-on", 0.7, sent)


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
            yield from pairs(owners, vocab.USES_PLATFORM, platforms, "holder-of-account", 0.65, sent)


def adjective_rules(r: Reader, sent) -> Iterator[Found]:
    """'Telegram, a site popular with ISIS', 'the app favored by jihadists',
    'X is responsible for al-Shabaab's planning', 'The Base is active in Canada'."""
    for token in sent:
        if token.lower_ in {"responsible", "active", "present"} and token.dep_ in {"acomp", "amod", "conj", "acl"}:
            holders = _described(r, token)
            if token.lower_ == "responsible":
                yield from pairs(holders, vocab.WORKS_FOR, r.pobjs(token, {"for"}), "responsible-for", 0.6, sent)
            else:
                # "is active in X": the parser may hang "in X" on the verb rather than the adjective
                preps = r.pobjs(token, {"in", "across", "throughout"}) + (
                    r.pobjs(token.head, {"in", "across", "throughout"}) if token.dep_ == "acomp" else [])
                places = [e for e in preps if e.type == vocab.LOCATION]
                yield from pairs(holders, vocab.LOCATED_IN, places, "active-in", 0.65, sent)
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
        yield from pairs(users, vocab.USES_PLATFORM, platforms, "popular-with", 0.7, sent)


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
        victim_preps = preps - {"in"}
        targets = r.pobjs(noun, victim_preps)
        if not any(c.dep_ == "prep" and c.lower_ in victim_preps for c in noun.children):
            # "attacks in Kenya"; but in "the murder of King in Memphis" the place is only where
            targets += r.pobjs(noun, preps & {"in"})
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
        yield from pairs(agents, pred, targets, f"noun:{pred}", 0.65, sent)


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
            yield from pairs(owners, vocab.OWNS, owned, "owned-by", 0.75, sent)
        elif lower in {"company", "firm", "owner", "parent", "operator", "developer", "maker"}:
            words = {lower} | {c.lower_ for c in token.children if c.dep_ in {"compound", "amod"}}
            if not words & lex.owner_roles:
                continue
            owned = [e for c in token.children if c.dep_ == "poss" for e in r.refs(c)] + r.pobjs(token, {"of", "behind"})
            owners = apposed_to(r, token)
            owners += [e for c in token.children if c.dep_ == "appos" for e in r.refs(c)]
            if token.dep_ == "attr":
                owners += [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
            yield from pairs(owners, vocab.OWNS, owned, "owner-of", 0.7, sent)


RULES = (dateline_rules, source_line_rules, verb_rules, publish_rules, holder_rules, adjective_rules, noun_rules, role_rules,
         financier_rules, affiliation_rules, location_rules, ownership_rules)
