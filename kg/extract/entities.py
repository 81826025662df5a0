"""From the entity spans of a document's Docs to resolved entities.

Every name the document uses for one real-world thing ends in one cluster:
gazetteer aliases, acronyms defined in the text ("the Islamic State (ISIS)"),
and short names of a full name mentioned in the same document
("Zuckerberg" -> "Mark Zuckerberg").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import vocab
from ..nlp import gazetteer_entry
from ..facts import Entity
from ..gazetteer import norm

TYPE_OF_LABEL = {
    "PERSON": vocab.PERSON, "ORG": vocab.ORGANIZATION, "GROUP": vocab.GROUP,
    "PLATFORM": vocab.PLATFORM, "GPE": vocab.LOCATION, "LOC": vocab.LOCATION, "FAC": vocab.LOCATION,
}
HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "gen", "president", "sheikh", "imam", "prof", "gov", "sen", "rep"}


@dataclass
class Cluster:
    """The mentions of one entity while they are being gathered."""

    names: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    canonical: str = ""
    types: tuple[str, ...] = ()
    reasons: set = field(default_factory=set)
    first: int = 0
    # "President Lincoln", "Lubbock, Texas": longer forms kept as aliases but never canonical.
    titled: set = field(default_factory=set)

    def entity(self) -> Entity:
        aliases = tuple(sorted({n for n in self.names if n != self.canonical} | self.titled))
        return Entity(self.canonical, self.types, aliases, tuple(sorted(self.reasons)))


class EntityIndex:
    """Which entity each mention span of a document stands for."""

    def __init__(self):
        self.clusters: list[Cluster] = []
        # (chunk number, token start) -> cluster number
        self.mentions: dict[tuple[int, int], int] = {}
        self.spans: dict[tuple[int, int], object] = {}

    def entity_at(self, chunk: int, token) -> Entity | None:
        """The entity whose mention covers ``token``, if any."""
        if not token.ent_type_:
            return None
        start = token.i
        while start > 0 and token.doc[start].ent_iob_ == "I":
            start -= 1
        number = self.mentions.get((chunk, start))
        return None if number is None else self._entities[number]

    def entities(self) -> tuple[Entity, ...]:
        return tuple(e for e in self._entities if e is not None)

    def finish(self) -> None:
        # A cluster folded into another has no names left and no entity.
        self._entities = [c.entity() if c.names else None for c in self.clusters]


def resolve(docs: list[tuple[int, object]]) -> EntityIndex:
    """Cluster the entity mentions of one document's Docs."""
    index = EntityIndex()
    mentions = []
    titles: dict[tuple[int, int], str] = {}
    for chunk, (_, doc) in enumerate(docs):
        for ent in doc.ents:
            label = ent.label_
            if label not in TYPE_OF_LABEL:
                continue
            name = _surface(ent)
            if not name:
                continue
            mentions.append((chunk, ent, name, label))
            extra = _titled(ent, name) if label == "PERSON" else _with_region(ent, name, label)
            if extra:
                titles[(chunk, ent.start)] = extra

    by_key: dict[str, int] = {}

    def cluster_for(key: str) -> int:
        if key not in by_key:
            by_key[key] = len(index.clusters)
            index.clusters.append(Cluster(first=len(mentions)))
        return by_key[key]

    # Pass 1: gazetteer entries and exact names.
    acronyms = _acronym_links(mentions)
    for position, (chunk, ent, name, label) in enumerate(mentions):
        entry = gazetteer_entry(ent)
        if entry is not None:
            number = cluster_for("gaz:" + entry.name)
            cluster = index.clusters[number]
            cluster.canonical, cluster.types = entry.name, entry.types
            if norm(name) != norm(entry.name):
                cluster.reasons.add(f"gazetteer alias: {name}")
        else:
            key = acronyms.get(norm(name), norm(name))
            if key != norm(name):
                linked = by_key.get("gaz:" + key) if ("gaz:" + key) in by_key else None
                number = linked if linked is not None else cluster_for("name:" + key)
                index.clusters[number].reasons.add(f"acronym defined in text: {name}")
            else:
                number = cluster_for("name:" + key)
        cluster = index.clusters[number]
        cluster.names[name] += 1
        cluster.labels[label] += 1
        cluster.first = min(cluster.first, position)
        index.mentions[(chunk, ent.start)] = number

    _merge_known_as(index, mentions)
    _merge_longer_names(index)
    # The first line is the headline. Doc.text rebuilds the text at each call: read it once.
    text = docs[0][1].text if docs else ""
    headline_end = text.find("\n") if "\n" in text else len(text)
    _merge_short_names(index, {i for i, m in enumerate(mentions) if m[0] == 0 and m[1].start_char < headline_end})
    for mention, titled in titles.items():
        index.clusters[index.mentions[mention]].titled.add(titled)
    for cluster in index.clusters:
        if cluster.names and not cluster.canonical:
            cluster.types = _types(cluster)
            cluster.canonical = max(cluster.names, key=lambda n: (len(n.split()), cluster.names[n], len(n)))
    index.finish()
    return index


def _surface(ent) -> str:
    tokens = list(ent)
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in {"'s", "\u2019s", "'"}):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].lower_ in {"the", "a", "an"}):
        tokens.pop(0)
    if not tokens:
        return ""
    text = ent.doc[tokens[0].i:tokens[-1].i + 1].text
    return " ".join(text.split())


def _titled(ent, name: str) -> str:
    """The name with the capitalised title just before it: 'President Lincoln'."""
    from ..nlp import TITLES

    doc, start = ent.doc, ent.start
    while start > 0 and doc[start - 1].lower_ in TITLES and doc[start - 1].text[:1].isupper() and ent.start - start < 3:
        start -= 1
    # "Austrian Archduke Franz Ferdinand", "Actress Helen Hayes": capitalised words just before
    while start > 0 and ent.start - start < 2 and doc[start - 1].is_title and doc[start - 1].is_alpha \
            and not doc[start - 1].ent_type_ and doc[start - 1].lower_ not in {"the", "a", "an", "in", "on", "at", "and", "but", "when", "as"}:
        start -= 1
    return f"{doc[start:ent.start].text} {name}" if start < ent.start else ""


def _with_region(ent, name: str, label: str) -> str:
    """'Lubbock, Texas': a place followed by its state or country is also named with it."""
    doc, end = ent.doc, ent.end
    if label not in {"GPE", "LOC", "FAC"} or end + 1 >= len(doc) or doc[end].text != ",":
        return ""
    region = doc[end + 1]
    if region.ent_type_ not in {"GPE", "LOC"} or region.ent_iob_ != "B":
        return ""
    stop = end + 2
    while stop < len(doc) and doc[stop].ent_iob_ == "I":
        stop += 1
    return f"{name}, {doc[end + 1:stop].text}"


def _types(cluster: Cluster) -> tuple[str, ...]:
    ranked = [TYPE_OF_LABEL[label] for label, _ in cluster.labels.most_common()]
    return tuple(dict.fromkeys(ranked[:1]))


def _acronym_links(mentions) -> dict[str, str]:
    """'Islamic State (ISIS)' and 'ISIS (Islamic State)' make the two names one."""
    links: dict[str, str] = {}
    for (chunk_a, a, name_a, _), (chunk_b, b, name_b, _) in zip(mentions, mentions[1:]):
        if chunk_a != chunk_b or b.start - a.end not in (1, 2):
            continue
        between = a.doc[a.end:b.start].text.strip()
        if between not in ("(", "( the", "(the") or b.end >= len(b.doc) or b.doc[b.end].text != ")":
            continue
        short, long_ = (name_b, name_a) if len(name_b) < len(name_a) else (name_a, name_b)
        if _is_acronym(short, long_):
            links[norm(short)] = norm(long_)
    return links


def _is_acronym(short: str, long_: str) -> bool:
    letters = "".join(ch for ch in short if ch.isalpha())
    if not letters.isupper() or len(letters) < 2:
        return False
    initials = "".join(w[0] for w in long_.replace("-", " ").split() if w[0].isalpha()).upper()
    significant = "".join(w[0] for w in long_.replace("-", " ").split()
                          if w[0].isupper()).upper()
    return letters in (initials, significant) or letters.startswith(significant[:2]) and len(letters) <= len(initials) + 1


KNOWN_AS = ("also known as", "otherwise known as", "better known as", "known as", "alias", "aka", "a.k.a.")


def _fold(index: EntityIndex, number: int, into: int, reason: str) -> None:
    """Move every name and mention of cluster ``number`` into cluster ``into``."""
    source, dest = index.clusters[number], index.clusters[into]
    if number == into or not source.names:
        return
    dest.names.update(source.names)
    dest.labels.update(source.labels)
    dest.titled |= source.titled
    dest.reasons.add(reason)
    source.names.clear()
    for mention, cluster in index.mentions.items():
        if cluster == number:
            index.mentions[mention] = into


PSEUDONYMS = {"pseudonym", "alias", "nickname", "moniker", "handle", "nom", "codename", "name", "username"}


def _merge_known_as(index: EntityIndex, mentions) -> None:
    """'Abu Ubaidah, also known as Direye', 'Nazzaro, who uses the pseudonyms
    Norman Spear and Roman Wolf': other names of one entity."""
    for position, (chunk_b, b, name_b, label_b) in enumerate(mentions):
        if label_b != "PERSON":
            continue
        token, named = b.root, False
        for _ in range(4):  # up the conjunctions and appositions to the noun that names it
            if token.lemma_.lower() in PSEUDONYMS and token != b.root:
                named = True
                break
            if token.head == token:
                break
            token = token.head
        if not named:
            continue
        earlier = [m for m in mentions[:position] if m[0] == chunk_b and m[3] == "PERSON"
                   and m[1].sent.start == b.sent.start and m[1].end <= token.i]
        if earlier:
            chunk_a, a = earlier[0][0], earlier[0][1]
            _fold(index, index.mentions[(chunk_b, b.start)], index.mentions[(chunk_a, a.start)], f"pseudonym: {name_b}")
    for (chunk_a, a, name_a, _), (chunk_b, b, name_b, _) in zip(mentions, mentions[1:]):
        if chunk_a != chunk_b or not 1 <= b.start - a.end <= 5:
            continue
        between = " ".join(a.doc[a.end:b.start].text.lower().replace(",", " ").replace("(", " ").split())
        if between in KNOWN_AS:
            first, second = index.mentions[(chunk_a, a.start)], index.mentions[(chunk_b, b.start)]
            _fold(index, second, first, f"known as: {name_b}")


def _merge_longer_names(index: EntityIndex) -> None:
    """'Brandon Russell' and 'Brandon Clint Russell': the same first and last
    name with a middle name between are one person."""
    people = [(n, c) for n, c in enumerate(index.clusters) if c.names and _label(c) == "PERSON" and not c.canonical]
    for number, cluster in people:
        words = [_words(name) for name in cluster.names]
        for other, target in people:
            if other == number or not target.names:
                continue
            for longer in (_words(name) for name in target.names):
                if any(len(w) >= 2 and len(longer) > len(w) and w[0] == longer[0] and w[-1] == longer[-1]
                       for w in words):
                    _fold(index, number, other, "same first and last name")
                    break
            if not cluster.names:
                break


def _merge_short_names(index: EntityIndex, titles_at: set[int]) -> None:
    """Fold a cluster whose only names are part of one longer name of the same
    type into that one: 'Zuckerberg' into 'Mark Zuckerberg'."""
    clusters = index.clusters
    full = defaultdict(list)
    for number, cluster in enumerate(clusters):
        for name in cluster.names:
            words = _words(name)
            if not words:
                continue
            if len(words) > 1:
                full[words[-1]].append(number)
                if _label(cluster) != "PERSON":
                    full[words[0]].append(number)
    target: dict[int, int] = {}
    for number, cluster in enumerate(clusters):
        if cluster.canonical:  # gazetteer entries keep their names
            continue
        names = list(cluster.names)
        if not names or not all(len(_words(n)) == 1 for n in names):
            continue
        word = _words(names[0])[0]
        # A surname refers back to a full name met before it (or is a headline's short form).
        candidates = {c for c in full.get(word, ()) if c != number and _compatible(clusters[c], cluster)
                      and (clusters[c].first < cluster.first or cluster.first in titles_at)}
        if len(candidates) == 1:
            target[number] = candidates.pop()
    for number, into in target.items():
        while into in target:
            into = target[into]
        _fold(index, number, into, "short name of " + max(clusters[into].names, key=len))


def _words(name: str) -> list[str]:
    return [w for w in norm(name).split() if w not in HONORIFICS]


def _label(cluster: Cluster) -> str:
    return cluster.labels.most_common(1)[0][0] if cluster.labels else ""


def _compatible(a: Cluster, b: Cluster) -> bool:
    la, lb = _label(a), _label(b)
    if vocab.PERSON in a.types or la == "PERSON":
        return lb in {"PERSON", "ORG", "GPE"} and la == "PERSON"
    return TYPE_OF_LABEL.get(la) == TYPE_OF_LABEL.get(lb) or {la, lb} <= {"ORG", "GROUP", "PLATFORM"}
