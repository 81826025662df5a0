"""What extraction produces: frozen records with provenance, no spaCy or RDF."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One input text and what is known about where it came from."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    date: str = ""
    path: str = ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, its offsets in the document, and the rule."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Entity:
    """A real-world thing named in a document, after alias resolution."""

    name: str
    types: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    merged_because: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        return self.types[0]

    @property
    def key(self) -> str:
        return entity_key(self.type, self.name)


@dataclass(frozen=True)
class Relation:
    """subject predicate object, with entity keys at both ends."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence


@dataclass(frozen=True)
class Threat:
    """A threat event: who threatened whom, through which platform, and how it was reported."""

    actor: str | None
    target: str | None
    evidence: Evidence
    medium: str | None = None
    date: str = ""
    quote: str = ""
    claimed: bool = False


@dataclass(frozen=True)
class DocumentFacts:
    """Everything extracted from one document."""

    document: Document
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    threats: tuple[Threat, ...] = ()


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """ASCII slug of a name: 'Mark Zuckerberg' -> 'mark-zuckerberg'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:12]


def entity_key(type_: str, name: str) -> str:
    """The stable key of an entity: its type and canonical name, e.g. 'person/mark-zuckerberg'."""
    return f"{type_.lower()}/{slug(name)}"
