"""Facts to RDF quads (pyoxigraph terms). No spaCy here.

Layout of the dataset:
- the default graph holds the knowledge graph itself: each entity's types,
  rdfs:label and skos:altLabel, and one plain triple per relation;
- one named graph per document holds its provenance: the Document node, the
  entities it mentions, an assertion node per place a relation was found
  (PROV-O), and its Threat events.
Dropping a document's graph drops its provenance; the store then removes
plain triples no remaining assertion supports.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from . import vocab
from .facts import Document, DocumentFacts

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

PREFIXES = {
    "kg": vocab.ONTOLOGY, "kgr": vocab.RESOURCE, "rdf": RDF, "rdfs": RDFS, "skos": SKOS,
    "prov": PROV, "dcterms": DCT, "xsd": XSD, "schema": SCHEMA,
}


def kg(name: str) -> NamedNode:
    return NamedNode(vocab.ONTOLOGY + name)


TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
ALT_LABEL = NamedNode(SKOS + "altLabel")
HIDDEN_LABEL = NamedNode(SKOS + "hiddenLabel")
SUBJECT, PREDICATE, OBJECT = (NamedNode(RDF + n) for n in ("subject", "predicate", "object"))
DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")
GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")
TITLE, DATE, CREATED, SOURCE = (NamedNode(DCT + n) for n in ("title", "date", "created", "source"))
DEFAULT = DefaultGraph()
PREDICATE_IRIS = {p: kg(p) for p in vocab.PREDICATES}
TYPE_IRIS = {t: kg(t) for t in vocab.ENTITY_TYPES}
# For SPARQL VALUES clauses.
PREDICATE_LIST = " ".join(f"<{iri.value}>" for iri in PREDICATE_IRIS.values())
TYPE_LIST = " ".join(f"<{iri.value}>" for iri in TYPE_IRIS.values())


def entity_iri(key: str) -> NamedNode:
    return NamedNode(f"{vocab.RESOURCE}entity/{key}")


def document_iri(document: Document) -> NamedNode:
    """The IRI (and graph name) of one version of a document: its source id and content hash."""
    source = hashlib.sha256(document.id.encode("utf-8")).hexdigest()[:16]
    return NamedNode(f"{vocab.RESOURCE}doc/{source}/{document.content_hash[:16]}")


def source_prefix(document_id: str) -> str:
    """The IRI prefix shared by every version of a document."""
    return f"{vocab.RESOURCE}doc/{hashlib.sha256(document_id.encode('utf-8')).hexdigest()[:16]}/"


def rule_iri(rule: str) -> NamedNode:
    return NamedNode(f"{vocab.RESOURCE}rule/{rule.replace(':', '/').replace(' ', '-')}")


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.2f}", datatype=NamedNode(XSD + "decimal"))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def document_quads(facts: DocumentFacts, added: datetime | None = None):
    """(default-graph quads, document-graph quads) for one document's facts.

    Entity labels are returned in the default-graph part; the store adds an
    rdfs:label only to an entity that has none yet.
    """
    doc = facts.document
    graph = document_iri(doc)
    added = added or datetime.now(timezone.utc)
    plain: list[Quad] = []
    prov: list[Quad] = [
        Quad(graph, TYPE, kg(vocab.DOCUMENT), graph),
        Quad(graph, kg("sourceId"), Literal(doc.id), graph),
        Quad(graph, kg("contentHash"), Literal(doc.content_hash), graph),
        Quad(graph, CREATED, Literal(added.isoformat(timespec="seconds"), datatype=NamedNode(XSD + "dateTime")), graph),
        Quad(graph, kg("characters"), _integer(len(doc.text)), graph),
    ]
    for predicate, value in ((TITLE, doc.title), (DATE, doc.date), (SOURCE, doc.url)):
        if value:
            prov.append(Quad(graph, predicate, Literal(value), graph))
    for entity in facts.entities:
        node = entity_iri(entity.key)
        for type_ in entity.types:
            plain.append(Quad(node, TYPE, TYPE_IRIS[type_], DEFAULT))
        plain.append(Quad(node, LABEL, Literal(entity.name), DEFAULT))
        for alias in entity.aliases:
            plain.append(Quad(node, ALT_LABEL, Literal(alias), DEFAULT))
        # Lower-cased names as SKOS hidden labels: an index lookup finds an entity by any name in any case.
        for name in {entity.name.lower(), *(a.lower() for a in entity.aliases)}:
            plain.append(Quad(node, HIDDEN_LABEL, Literal(name), DEFAULT))
        prov.append(Quad(node, kg("mentionedIn"), graph, graph))
        for name in (entity.name, *entity.aliases):
            prov.append(Quad(node, kg("mentionedAs"), Literal(name), graph))
        for reason in entity.merged_because:
            prov.append(Quad(node, kg("mergeReason"), Literal(reason), graph))
    assertions: dict[tuple, NamedNode] = {}
    for number, rel in enumerate(facts.relations):
        s, p, o = entity_iri(rel.subject), PREDICATE_IRIS[rel.predicate], entity_iri(rel.object)
        plain.append(Quad(s, p, o, DEFAULT))
        node = NamedNode(f"{graph.value}/assertion/{number}")
        assertions[(rel.subject, rel.predicate, rel.object, rel.evidence.start)] = node
        ev = rel.evidence
        prov += [
            Quad(node, TYPE, kg(vocab.ASSERTION), graph),
            Quad(node, SUBJECT, s, graph), Quad(node, PREDICATE, p, graph), Quad(node, OBJECT, o, graph),
            Quad(node, DERIVED_FROM, graph, graph),
            Quad(node, kg("sentence"), Literal(ev.sentence), graph),
            Quad(node, kg("startOffset"), _integer(ev.start), graph),
            Quad(node, kg("endOffset"), _integer(ev.end), graph),
            Quad(node, kg("confidence"), _decimal(ev.confidence), graph),
            Quad(node, GENERATED_BY, rule_iri(ev.rule), graph),
        ]
    for number, threat in enumerate(facts.threats):
        node = NamedNode(f"{graph.value}/threat/{number}")
        prov += [Quad(node, TYPE, kg(vocab.THREAT), graph), Quad(node, DERIVED_FROM, graph, graph),
                 Quad(node, kg("claimed"), Literal("true" if threat.claimed else "false", datatype=NamedNode(XSD + "boolean")), graph),
                 Quad(node, kg("sentence"), Literal(threat.evidence.sentence), graph),
                 Quad(node, kg("confidence"), _decimal(threat.evidence.confidence), graph)]
        for predicate, key in (("actor", threat.actor), ("target", threat.target), ("medium", threat.medium)):
            if key:
                prov.append(Quad(node, kg(predicate), entity_iri(key), graph))
        if threat.date:
            prov.append(Quad(node, DATE, Literal(threat.date), graph))
        if threat.quote:
            prov.append(Quad(node, kg("quote"), Literal(threat.quote), graph))
        evidence = assertions.get((threat.actor, vocab.THREATENS, threat.target, threat.evidence.start))
        if evidence is not None:
            prov.append(Quad(node, kg("evidence"), evidence, graph))
    return plain, prov
