"""Relation rules for places: locatedIn from prepositions, place chains, seats and datelines."""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..facts import Entity
from .reader import Found, Reader, is_head_of_entity, pairs

DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
              "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
              "southwestern", "north-east", "north-west", "south-east", "south-west", "upper", "lower"}
SEATS = {"headquarters", "hq", "head office", "offices", "office", "base", "bases", "campus", "plant", "factory",
         "embassy", "consulate", "compound", "facility", "facilities"}
AREAS = {"part", "parts", "region", "area", "outskirts", "suburbs", "suburb", "north", "south", "east", "west",
         "center", "centre", "heart", "interior", "coast", "province", "state", "district", "capital", "border"}


def location_rules(r: Reader, sent) -> Iterator[Found]:
    """'Westgate mall in Nairobi', 'Kampala, Uganda', 'the Somalia-based al-Shabaab',
    'Marie Ferraro of Bethany', 'Illinois Gov. James Thompson', 'NRC headquarters in Rockville'."""
    for token in sent:
        if token.lower_ in SEATS and r.entity(token) is None:
            owners = [e for c in token.children if c.dep_ in {"compound", "poss", "nmod"} for e in r.refs(c)
                      if e.type != vocab.LOCATION] + [e for e in r.pobjs(token, {"of"}) if e.type != vocab.LOCATION]
            places = [e for e in r.pobjs(token, {"in", "at", "near"}) if e.type == vocab.LOCATION]
            yield from pairs(owners, vocab.LOCATED_IN, places, "seat-in", 0.7, sent)
            continue
        if token.lower_ in {"based", "headquartered"}:
            places = [e for c in token.children if c.dep_ in {"npadvmod", "compound", "nmod", "advmod"} for e in r.refs(c)]
            places += r.pobjs(token, {"in", "at", "near"})
            holders = r.refs(token.head) if token.dep_ in {"amod", "acl", "compound"} else []
            yield from pairs(holders, vocab.LOCATED_IN, places, "based-in", 0.8, sent)
            continue
        here = r.entity(token)
        if here is None or not is_head_of_entity(token):
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
        yield from pairs([here], vocab.LOCATED_IN, places, rule, 0.6, sent)
    yield from _list_in_place(r, sent)


def _list_in_place(r: Reader, sent) -> Iterator[Found]:
    """'Brazoria, Fort Bend, Galveston and southern Harris Counties in southeast
    Texas': the place after the last item of a list of places holds them all."""
    for token in sent:
        if not token.conjuncts or token.i < max(c.i for c in token.conjuncts):
            continue
        if any(c.dep_ == "prep" for item in token.conjuncts for c in item.children):
            continue  # "X District in Loei, Y District in Phitsanulok": each item has its own place
        places = [e for c in token.children if c.dep_ == "prep" and c.lower_ == "in"
                  for p in c.children if p.dep_ == "pobj" for e in r.refs(p) if e.type == vocab.LOCATION]
        items = [r.entity(c) for c in token.conjuncts if is_head_of_entity(c) and r.entity(c) is not None
                 and r.entity(c).type == vocab.LOCATION]
        yield from pairs(items, vocab.LOCATED_IN, places, "list-in-place", 0.55, sent)


def _place_right_after(r: Reader, token) -> list[Entity]:
    """'Kassala in eastern Sudan', 'NRC headquarters in nearby Rockville', 'the
    Savannah River Plant, in Aiken': a place right after 'in', whatever the
    parser attached the 'in' to."""
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    if end < len(doc) and doc[end].lower_ == "headquarters":
        end += 1
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "in":
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


def source_line_rules(r: Reader, sent) -> Iterator[Found]:
    """'Paris Radio Monte Carlo in Arabic 1700 GMT': the outlet of a monitoring
    service's source line is in the place before it."""
    from ..nlp import SOURCE_LINES

    found = list(sent.doc.spans[SOURCE_LINES]) if SOURCE_LINES in sent.doc.spans else []
    for place, outlet in zip(found[::2], found[1::2]):
        if sent.start <= outlet.start < sent.end:
            yield from pairs(r.refs(outlet.root), vocab.LOCATED_IN, r.refs(place.root), "source-line", 0.8, sent)


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
                yield from pairs([agency], vocab.LOCATED_IN, places, "dateline", 0.6, sent)
                return
        if entity is not None and entity.type == vocab.LOCATION and entity not in places:
            places.append(entity)
