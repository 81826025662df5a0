"""Span repairs of kg.nlp on hand-built Docs (no model needed)."""

import spacy
from spacy.tokens import Doc, Span

from kg.nlp import _lists_agree, _mended


def doc_of(words, tags=None):
    spaces = [i + 1 < len(words) and words[i + 1] not in {",", ")"} and words[i] != "(" for i in range(len(words))]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, tags=tags or ["NNP"] * len(words))


def test_nlp_spans_cut_at_a_bracket_that_does_not_close():
    doc = doc_of(["the", "Union", "of", "Democratic", "Forces", "(", "SDS"])
    (span,) = _mended(doc, [Span(doc, 0, 7, label="ORG")])
    assert span.text.strip() == "the Union of Democratic Forces" and span.label_ == "ORG"


def test_nlp_spans_keep_brackets_that_close():
    doc = doc_of(["Ettahadi", "(", "Challenge", ")", "Party"])
    ent = Span(doc, 0, 5, label="ORG")
    assert _mended(doc, [ent]) == [ent]


def test_nlp_spans_split_around_a_finite_verb():
    doc = doc_of(["Skadden", ",", "Arps", "said", "Popeyes"], ["NNP", ",", "NNP", "VBD", "NNP"])
    assert [s.text for s in _mended(doc, [Span(doc, 0, 5, label="ORG")])] == ["Skadden, Arps", "Popeyes"]
    doc = doc_of(["Acme", "said", "today"], ["NNP", "VBD", "NN"])
    assert [s.text for s in _mended(doc, [Span(doc, 0, 3, label="ORG")])] == ["Acme"]


def test_nlp_spans_list_items_take_the_lists_type():
    words = ["Acme", ",", "Bolt", ",", "Crane", "and", "Dover"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[0, 0, 0, 2, 2, 4, 4],
              deps=["ROOT", "punct", "conj", "punct", "conj", "cc", "conj"])
    spans = [Span(doc, i, i + 1, label=label) for i, label in ((0, "ORG"), (2, "ORG"), (4, "ORG"), (6, "GPE"))]
    assert [s.label_ for s in _lists_agree(doc, spans)] == ["ORG"] * 4
    # two against two: no majority, nothing changes
    spans = [Span(doc, i, i + 1, label=label) for i, label in ((0, "ORG"), (2, "GPE"), (4, "ORG"), (6, "GPE"))]
    assert [s.label_ for s in _lists_agree(doc, spans)] == ["ORG", "GPE", "ORG", "GPE"]
