"""Cue words of the relation rules, read from data/patterns/relations.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from .. import config


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]]

    def verb(self, group: str, lemma: str) -> bool:
        return lemma in self.verbs[group]

    def __post_init__(self):
        # Each word list as an attribute (lex.artifacts): rules read them for every token.
        for name, words in self.words.items():
            object.__setattr__(self, name, words)


@lru_cache(maxsize=1)
def load() -> Lexicon:
    raw = json.loads((config.data_dir() / "patterns" / "relations.json").read_text(encoding="utf-8"))
    verbs = {group: frozenset(words) for group, words in raw.pop("verbs").items()}
    raw.pop("_comment", None)
    return Lexicon(verbs, {key: frozenset(words) for key, words in raw.items()})
