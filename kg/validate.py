"""kg validate: check the store against the SHACL shapes in data/ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass

from . import config
from .store import Store


@dataclass(frozen=True)
class Violation:
    """One way the graph breaks a shape: where, which property, and why."""

    focus: str
    path: str
    message: str


def shapes_graph():
    import rdflib

    return rdflib.Graph().parse(config.data_dir() / "ontology" / "shapes.ttl", format="turtle")


def validate(store: Store) -> list[Violation]:
    """The violations of the shapes by the store's whole graph (empty when it conforms)."""
    import pyoxigraph as ox
    import pyshacl
    import rdflib

    from .export import triples

    data = rdflib.Graph()
    data.parse(data=ox.serialize(triples(store), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                           allow_warnings=True, advanced=True)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        label = data.value(focus, rdflib.RDFS.label)
        found.append(Violation(f"{label} <{focus}>" if label else str(focus),
                               str(report.value(result, sh.resultPath) or ""),
                               str(report.value(result, sh.resultMessage) or "")))
    return sorted(found, key=lambda v: (v.focus, v.path))
