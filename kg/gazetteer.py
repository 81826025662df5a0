"""The gazetteer: well-known groups, platforms and organizations with their
aliases, read from data/gazetteer/*.jsonl. Plain data, no spaCy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import config
from .errors import InputError


@dataclass(frozen=True)
class Entry:
    """One real-world entity: its canonical name, types and other names."""

    name: str
    types: tuple[str, ...]
    aliases: tuple[str, ...]
    # A strict entry's names are common words ("Line", "Medium"): they type an
    # entity the model already found, but are never matched on their own.
    strict: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def norm(name: str) -> str:
    """The matching form of a name (GUIDELINES.md): case-folded, no leading
    'the', no possessive, quotes, periods or commas."""
    text = name.casefold().replace("\u2019", "'").replace("\u2018", "'")
    text = text.removesuffix("'s").removesuffix("'")
    for ch in "\"'`\u201c\u201d.,":
        text = text.replace(ch, "")
    text = " ".join(text.split())
    return text.removeprefix("the ").strip()


class Gazetteer:
    """Lookup of entries by any of their names."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._by_name: dict[str, Entry] = {}
        # A name listed twice (a strict abbreviation entry beside the full entry) maps to one entry:
        # entries sharing a canonical name are merged.
        merged: dict[str, Entry] = {}
        for entry in entries:
            if entry.name in merged:
                first = merged[entry.name]
                entry = Entry(first.name, first.types, first.aliases + entry.aliases, first.strict)
            merged[entry.name] = entry
        for entry in entries:
            for name in entry.names:
                self._by_name.setdefault(norm(name), merged[entry.name])

    def lookup(self, name: str) -> Entry | None:
        return self._by_name.get(norm(name))

    def __len__(self) -> int:
        return len(self.entries)


def read_entries(folder: Path) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                entries.append(Entry(record["name"], tuple(record["types"]),
                                     tuple(record.get("aliases", ())), bool(record.get("strict"))))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: bad gazetteer line ({exc}); each line needs name and types") from exc
    return entries


@lru_cache(maxsize=4)
def load(folder: str | None = None) -> Gazetteer:
    """The bundled gazetteer, or the one in ``folder``."""
    return Gazetteer(read_entries(Path(folder) if folder else config.data_dir() / "gazetteer"))
