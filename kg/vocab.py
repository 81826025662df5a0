"""The names of the graph's vocabulary: entity types, relation predicates and
namespaces. Plain strings, so extraction can use them without rdflib."""

from __future__ import annotations

ONTOLOGY = "https://w3id.org/kg/ontology#"
RESOURCE = "https://w3id.org/kg/id/"

PERSON = "Person"
GROUP = "Group"
ORGANIZATION = "Organization"
PLATFORM = "Platform"
LOCATION = "Location"
ENTITY_TYPES = (PERSON, GROUP, ORGANIZATION, PLATFORM, LOCATION)

THREAT = "Threat"
DOCUMENT = "Document"
ASSERTION = "Assertion"

THREATENS = "threatens"
ATTACKS = "attacks"
USES_PLATFORM = "usesPlatform"
BANS = "bans"
WORKS_FOR = "worksFor"
AFFILIATED_WITH = "affiliatedWith"
LEADS = "leads"
LOCATED_IN = "locatedIn"
OWNS = "owns"
FUNDED_BY = "fundedBy"
PREDICATES = (
    THREATENS, ATTACKS, USES_PLATFORM, BANS, WORKS_FOR,
    AFFILIATED_WITH, LEADS, LOCATED_IN, OWNS, FUNDED_BY,
)

# Which entity types may stand at each end of a predicate (GUIDELINES.md).
ANY = frozenset(ENTITY_TYPES)
AGENTS = frozenset({PERSON, GROUP, ORGANIZATION})
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    THREATENS: (frozenset({PERSON, GROUP, ORGANIZATION}), ANY),
    ATTACKS: (frozenset({PERSON, GROUP, ORGANIZATION}), ANY),
    USES_PLATFORM: (AGENTS, frozenset({PLATFORM})),
    BANS: (frozenset({PLATFORM, ORGANIZATION}), frozenset({GROUP, PERSON, ORGANIZATION})),
    WORKS_FOR: (frozenset({PERSON}), frozenset({ORGANIZATION, PLATFORM, GROUP})),
    AFFILIATED_WITH: (frozenset({PERSON, GROUP}), frozenset({GROUP, ORGANIZATION})),
    LEADS: (frozenset({PERSON}), frozenset({GROUP, ORGANIZATION})),
    LOCATED_IN: (ANY, frozenset({LOCATION})),
    OWNS: (frozenset({ORGANIZATION, PLATFORM, PERSON, GROUP}), frozenset({PLATFORM, ORGANIZATION})),
    FUNDED_BY: (frozenset({GROUP, PERSON, ORGANIZATION}), ANY),
}


def fits(predicate: str, subject_types, object_types) -> bool:
    """True when some type of each end is allowed for the predicate."""
    allowed_s, allowed_o = SIGNATURES[predicate]
    return bool(allowed_s.intersection(subject_types)) and bool(allowed_o.intersection(object_types))
