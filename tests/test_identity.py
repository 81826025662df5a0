"""Entities merge across documents, conservatively (no model needed)."""

from kg.facts import Document, DocumentFacts, Entity, Evidence, Relation
from kg.identity import Identities, unify


def facts(*entities, relations=()):
    return DocumentFacts(Document("d", "text"), tuple(entities), tuple(relations))


def test_identity_alias_in_one_document_names_entity_of_another():
    known = Identities()
    unify(facts(Entity("Atomwaffen Division", ("Group",), ("Atomwaffen",))), known)
    later = unify(facts(Entity("Atomwaffen", ("Group",))), known)
    (entity,) = later.entities
    assert entity.name == "Atomwaffen Division" and "Atomwaffen" in entity.aliases
    assert any("across documents" in r for r in entity.merged_because)


def test_identity_fuzzy_match_of_long_names_only():
    known = Identities()
    unify(facts(Entity("Terrorism Research and Analysis Consortium", ("Organization",))), known)
    (entity,) = unify(facts(Entity("Terrorism Research & Analysis Consortium", ("Organization",))), known).entities
    assert entity.name == "Terrorism Research and Analysis Consortium"


def test_identity_people_sharing_a_surname_stay_apart():
    known = Identities()
    unify(facts(Entity("Ann Lee", ("Person",))), known)
    (entity,) = unify(facts(Entity("Bob Lee", ("Person",))), known).entities
    assert entity.name == "Bob Lee"


def test_identity_types_must_agree():
    known = Identities()
    unify(facts(Entity("Jordan", ("Location",))), known)
    (entity,) = unify(facts(Entity("Jordan", ("Person",))), known).entities
    assert entity.key == "person/jordan"


def test_identity_relations_follow_renamed_entities():
    known = Identities()
    unify(facts(Entity("Atomwaffen Division", ("Group",), ("Atomwaffen",))), known)
    ev = Evidence("s", 0, 1, "r", 0.5)
    later = unify(facts(Entity("Atomwaffen", ("Group",)), Entity("Florida", ("Location",)),
                        relations=[Relation("group/atomwaffen", "locatedIn", "location/florida", ev)]), known)
    assert later.relations[0].subject == "group/atomwaffen-division"
