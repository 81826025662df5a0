"""Entity resolution on hand-built Docs: no model needed."""

import spacy
from spacy.tokens import Doc, Span

from kg.extract.entities import resolve


def make_doc(words, ents, ids=None):
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words)
    spans = []
    for start, end, label in ents:
        span_id = (ids or {}).get(start, "")
        spans.append(Span(doc, start, end, label=label, span_id=span_id))
    doc.ents = spans
    return doc


def test_entities_short_name_joins_full_name():
    doc = make_doc(["Mark", "Zuckerberg", "spoke", ".", "Zuckerberg", "left", "."],
                   [(0, 2, "PERSON"), (4, 5, "PERSON")])
    entities = resolve([(0, doc)]).entities()
    assert [(e.name, e.aliases) for e in entities] == [("Mark Zuckerberg", ("Zuckerberg",))]


def test_entities_shared_surname_is_not_merged():
    doc = make_doc(["Ann", "Lee", "met", "Bob", "Lee", ".", "Lee", "left"],
                   [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 7, "PERSON")])
    names = sorted(e.name for e in resolve([(0, doc)]).entities())
    assert names == ["Ann Lee", "Bob Lee", "Lee"]


def test_entities_acronym_defined_in_parentheses():
    doc = make_doc(["the", "Middle", "East", "Media", "Research", "Institute", "(", "MEMRI", ")", "said", ".",
                    "MEMRI", "added"],
                   [(1, 6, "ORG"), (7, 8, "ORG"), (11, 12, "ORG")])
    (entity,) = resolve([(0, doc)]).entities()
    assert entity.name == "Middle East Media Research Institute"
    assert entity.aliases == ("MEMRI",)
    assert any("acronym" in reason for reason in entity.merged_because)


def test_entities_gazetteer_alias_gives_canonical_name_and_types():
    doc = make_doc(["ISIS", "and", "Daesh", "use", "Telegram"],
                   [(0, 1, "GROUP"), (2, 3, "GROUP"), (4, 5, "PLATFORM")],
                   ids={0: "Islamic State", 2: "Islamic State", 4: "Telegram"})
    entities = {e.name: e for e in resolve([(0, doc)]).entities()}
    assert set(entities) == {"Islamic State", "Telegram"}
    assert set(entities["Islamic State"].aliases) == {"ISIS", "Daesh"}
    assert entities["Telegram"].types[0] == "Platform"


def test_entities_mentions_map_to_their_entity():
    doc = make_doc(["Mark", "Zuckerberg", "and", "Zuckerberg"], [(0, 2, "PERSON"), (3, 4, "PERSON")])
    index = resolve([(0, doc)])
    assert index.entity_at(0, doc[1]) is index.entity_at(0, doc[3])
    assert index.entity_at(0, doc[2]) is None


def test_entities_also_known_as_joins_names():
    doc = make_doc(["Abu", "Ubaidah", ",", "also", "known", "as", "Direye", ",", "spoke"],
                   [(0, 2, "PERSON"), (6, 7, "GPE")])
    (entity,) = resolve([(0, doc)]).entities()
    assert entity.name == "Abu Ubaidah" and entity.aliases == ("Direye",)


def test_entities_middle_name_variant_is_one_person():
    doc = make_doc(["Brandon", "Russell", "and", "Brandon", "Clint", "Russell", "and", "Russell"],
                   [(0, 2, "PERSON"), (3, 6, "PERSON"), (7, 8, "PERSON")])
    (entity,) = resolve([(0, doc)]).entities()
    assert entity.name == "Brandon Clint Russell"
    assert set(entity.aliases) == {"Brandon Russell", "Russell"}
