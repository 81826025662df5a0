"""Relation rules for people and groups: titles and roles (worksFor, leads), financiers (fundedBy) and membership (affiliatedWith)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..facts import Entity
from .reader import Found, Reader, apposed_to, is_head_of_entity, pairs


def role_rules(r: Reader, sent) -> Iterator[Found]:
    """Titles and roles: 'Facebook CEO Mark Zuckerberg', 'Twitter's Jack Dorsey',
    'Veryan Khan, editorial director at TRAC', 'the founder of the Atomwaffen
    Division', 'Boko Haram leader Abubakar Shekau'."""
    lex = r.lex
    for token in sent:
        person = r.entity(token)
        if person is None or person.type != vocab.PERSON or not is_head_of_entity(token):
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
                for org in (e for g in child.children if g.dep_ in {"compound", "poss", "amod"} for e in r.refs(g)):
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
            candidates += [c for c in child.conjuncts if c.lower_ in roles_words or c.lower_.split("-")[-1] in roles_words]
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
        # "a professor of political science at Queens College", "vice president for marketing at
        # American Express": the place of work after the field
        for prep in role.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "for"}:
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
            yield from pairs(beneficiaries, vocab.FUNDED_BY, funders, "role:financier", 0.65, sent)
        elif lower in {"backed", "funded", "sponsored", "financed", "supported", "armed"} and token.dep_ in {"amod", "compound"}:
            funders = [e for c in token.children if c.dep_ in {"npadvmod", "compound", "advmod", "nmod"} for e in r.refs(c)]
            yield from pairs(r.refs(token.head), vocab.FUNDED_BY, funders, "backed-by", 0.7, sent)


def affiliation_rules(r: Reader, sent) -> Iterator[Found]:
    """'Cyber-Caliphate, the hacking unit of ISIS', 'supporters of ISIS', 'pro-ISIS hackers'."""
    lex = r.lex
    for token in sent:
        lower = token.lower_
        if lower in lex.members and r.entity(token) is None:
            parents = r.pobjs(token, {"of", "to", "for", "within"}) + [
                e for c in token.children if c.dep_ in {"poss", "compound", "nmod"} for e in r.refs(c)]
            parents = [p for p in parents if p.type == vocab.GROUP]
            members = apposed_to(r, token)
            if token.dep_ == "attr":
                members += [e for c in token.head.children if c.dep_ == "nsubj" for e in r.refs(c)]
            members += [e for c in token.children if c.dep_ == "appos" for e in r.refs(c)]
            named = [e for c in token.children if c.dep_ == "acl" and c.lemma_ in {"name", "call", "know"}
                     for g in c.children for e in r.refs(g)]
            members += named
            members = [m for m in members if m.type in {vocab.GROUP, vocab.PERSON}]
            yield from pairs(members, vocab.AFFILIATED_WITH, parents, "member-of", 0.7, sent)
        if lower == "pro" and token.i + 2 < len(token.doc) and token.nbor().text == "-":
            parent = r.entity(token.nbor(2))
            head = token.head if token.head != token else None
            if parent is not None and parent.type == vocab.GROUP and head is not None:
                while head.dep_ in {"amod", "compound"} and r.entity(head) is None and head.head != head:
                    head = head.head
                yield from pairs([e for e in r.refs(head) if e is not parent], vocab.AFFILIATED_WITH, [parent],
                                  "pro-group", 0.6, sent)
