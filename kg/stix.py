"""The graph as a STIX 2.1 bundle, made with the stix2 library.

Groups become threat actors; people, organizations and platforms identities;
places locations. threatens and attacks become 'targets' relationships,
affiliatedWith 'attributed-to', locatedIn 'located-at', usesPlatform 'uses';
the other predicates keep their names in kebab case. Each relationship
carries its evidence sentences in the description and the confidence scaled
to 0-100. Identifiers are UUIDv5 of the entity IRIs, so they are stable.
"""

from __future__ import annotations

import re
import uuid

from . import vocab

NAMESPACE = uuid.UUID("8a6f1c3e-2b4d-5e6f-9a0b-1c2d3e4f5a6b")
RELATIONSHIPS = {
    vocab.THREATENS: "targets", vocab.ATTACKS: "targets", vocab.AFFILIATED_WITH: "attributed-to",
    vocab.LOCATED_IN: "located-at", vocab.USES_PLATFORM: "uses",
}
IDENTITY_CLASS = {vocab.PERSON: "individual", vocab.ORGANIZATION: "organization", vocab.PLATFORM: "system"}


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def bundle(graph) -> str:
    """A STIX 2.1 bundle (JSON text) of a graph from kg.analysis.load_graph."""
    import stix2

    objects, ids = [], {}
    for node, data in graph.nodes(data=True):
        names = {"name": data["label"]}
        if data["aliases"]:
            names["aliases"] = data["aliases"]
        if data["type"] == vocab.GROUP:
            obj = stix2.ThreatActor(id=_id("threat-actor", node), **names, threat_actor_types=["unknown"],
                                    allow_custom=True)
        elif data["type"] == vocab.LOCATION:
            # STIX wants a region, country or coordinates; the name is what the text gives.
            obj = stix2.Location(id=_id("location", node), name=data["label"], region=data["label"])
        else:
            obj = stix2.Identity(id=_id("identity", node), name=data["label"],
                                 identity_class=IDENTITY_CLASS[data["type"]])
        ids[node] = obj.id
        objects.append(obj)
    for s, o, data in graph.edges(data=True):
        predicate = data["predicate"]
        evidence = " | ".join(f"{e.sentence} ({e.title or e.document})" for e in data["evidence"][:5])
        objects.append(stix2.Relationship(
            id=_id("relationship", f"{s} {predicate} {o}"),
            source_ref=ids[s], target_ref=ids[o],
            relationship_type=RELATIONSHIPS.get(predicate, _kebab(predicate)),
            description=f"{graph.nodes[s]['label']} {predicate} {graph.nodes[o]['label']}. Evidence: {evidence}",
            confidence=max(0, min(100, round(data["confidence"] * 100))),
            allow_custom=True,
        ))
    return stix2.Bundle(objects=objects, allow_custom=True).serialize(pretty=True)
