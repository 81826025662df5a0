"""The attribute table gives exactly what the model's attribute ruler gives."""

import pytest
import spacy

from kg import attributes, config

pytestmark = pytest.mark.model

TRICKY = ("I ain't gonna do it, y'all. Let's go! Gotta run, c'mon. She'd said 'em ol' nothin' doin'.\n\n"
          "  There is a man who had it; there were two. It's   here, isn't it? He gets what he got.\n"
          "Him, her, us, them: we did, they do, you'd have been being there. Something, nobody, anyone.")


def annotations(nlp, texts):
    return [[(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_attributes_table_matches_the_ruler():
    ruler = spacy.load(config.DEFAULT_MODEL)
    table = spacy.load(config.DEFAULT_MODEL)
    attributes.use_table(table)
    assert "attribute_ruler" not in table.pipe_names and "kg_attribute_table" in table.pipe_names
    texts = [TRICKY] + [p.read_text(encoding="utf-8") for p in sorted((config.data_dir() / "samples").glob("*.txt"))]
    expected, found = annotations(ruler, texts), annotations(table, texts)
    assert sum(map(len, found)) > 2500
    assert found == expected
    # Patterns of two tokens ("ai" + "n't") and precedence (a later pattern wins) are both at work here.
    tricky = dict(((t.text, t.i), t) for t in table(TRICKY))
    assert tricky[("ai", 1)].lemma_ == "be" and tricky[("gon", 3)].lemma_ == "go"
