"""The model's attribute ruler (fine tag → POS and morphology, pronoun lemmas,
…) applied from a table: the same annotations in a fifth of the time.

spaCy's AttributeRuler runs a Matcher of every pattern over every token and
costs as much as the parser. Nearly all its patterns look at one token's tag,
lower-case form and dependency label, so their outcome is a function of those
three: each distinct combination is matched once, with spaCy's own Matcher,
and remembered. Patterns of several tokens still go through a Matcher.
"""

from __future__ import annotations

from spacy.attrs import DEP, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# What a one-token pattern may test for the table to be exact: these are
# rebuilt on a one-token Doc from the (tag, lower, dependency) key.
TABLE_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
MAX_KEYS = 200_000


class AttributeTable:
    """Applies an AttributeRuler's patterns with its precedence: a later pattern wins."""

    def __init__(self, ruler):
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs
        self.one = Matcher(self.vocab, validate=False)
        self.many = Matcher(self.vocab, validate=False)
        for number, entry in enumerate(ruler.patterns):
            single = all(len(p) == 1 and set(p[0]) <= TABLE_KEYS for p in entry["patterns"])
            if single and entry["index"] in (0, -1):
                self.one.add(str(number), entry["patterns"])
            else:
                self.many.add(str(number), entry["patterns"])
        self.indices = ruler.indices
        self.table: dict[tuple, tuple] = {}
        self.merged: dict[tuple, dict] = {}

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}
        for match_id, start, end in self.many(doc, allow_missing=True):
            number = int(self.vocab.strings[match_id])
            extra.setdefault(doc[start:end][self.indices[number]].i, []).append(number)
        for token, key in zip(doc, doc.to_array([TAG, LOWER, DEP]).tolist()):
            numbers = self.table.get(tuple(key))
            if numbers is None:
                if len(self.table) >= MAX_KEYS:
                    self.table.clear()  # new names and numbers keep coming: memory stays bounded
                numbers = self.table[tuple(key)] = self._numbers(*key)
            if token.i in extra:
                numbers = tuple(sorted(numbers + tuple(extra[token.i])))
            if numbers:
                set_token_attrs(token, self._merged(numbers))
        return doc

    def _numbers(self, tag: int, lower: int, dep: int) -> tuple:
        """The one-token patterns a token with this tag, form and label matches, in order."""
        doc = Doc(self.vocab, words=[self.vocab.strings[lower]], spaces=[False])
        doc[0].tag = tag
        doc[0].dep = dep
        return tuple(sorted(int(self.vocab.strings[m]) for m, _, _ in self.one(doc, allow_missing=True)))

    def _merged(self, numbers: tuple) -> dict:
        """One dict of what the patterns set, each key from the last pattern that sets it."""
        found = self.merged.get(numbers)
        if found is None:
            found = self.merged[numbers] = {}
            for number in numbers:
                found.update(self.attrs[number])
        return found


@Language.factory("kg_attribute_table")
def make_attribute_table(nlp, name):
    return AttributeTable(nlp.get_pipe("attribute_ruler"))


def use_table(nlp) -> None:
    """Swap the model's attribute ruler for the table, if it has one."""
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("kg_attribute_table", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
